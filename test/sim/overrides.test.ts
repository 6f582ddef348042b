import { describe, expect, it } from "vitest";
import { z } from "zod";
import { applyOverrides, resolveFieldPath, schemaFieldPaths } from "../../sim/overrides";
import { positiveQuantity, validate } from "../../sim/config";

const schema = z
  .object({
    clock: positiveQuantity("frequency"),
    tile: z
      .object({
        mvmu: z
          .object({
            adc: z
              .object({ bits: z.number().int().default(8) })
              .strict()
              .default({ bits: 8 }),
            dac: z.object({ bits: z.number().int() }).strict(),
          })
          .strict(),
        core: z
          .object({ bits: z.number().int().default(32) })
          .strict()
          .default({ bits: 32 }),
      })
      .strict(),
  })
  .strict();

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe("config overrides", () => {
  it("lists every leaf path", () => {
    expect(schemaFieldPaths(schema)).toEqual(["clock", "tile.mvmu.adc.bits", "tile.mvmu.dac.bits", "tile.core.bits"]);
  });
  it("a unique suffix resolves to the full path", () => {
    expect(resolveFieldPath(schema, "adc.bits")).toBe("tile.mvmu.adc.bits");
    expect(resolveFieldPath(schema, "tile.core.bits")).toBe("tile.core.bits");
  });
  it("an ambiguous suffix is OVERRIDE_PATH listing the candidates", () => {
    expect(codeOf(() => resolveFieldPath(schema, "bits"))).toBe("OVERRIDE_PATH");
    expect(() => resolveFieldPath(schema, "bits")).toThrow(/tile\.mvmu\.adc\.bits, tile\.mvmu\.dac\.bits, tile\.core\.bits/);
  });
  it("an unknown path is OVERRIDE_PATH", () => {
    expect(codeOf(() => resolveFieldPath(schema, "adc.bitz"))).toBe("OVERRIDE_PATH");
  });
  it("sets fields absent from the file (left at their default) and parses values with units", () => {
    const raw = { clock: "1GHz", tile: { mvmu: { dac: { bits: 1 } } } };
    const out = validate(schema, applyOverrides(schema, raw, ["adc.bits=6", "clock=1.2GHz"]), "x.yaml");
    expect(out.tile.mvmu.adc.bits).toBe(6);
    expect(out.clock).toBe(1.2e9);
    expect(raw.clock).toBe("1GHz"); // the input is not mutated
  });
  it("an override that breaks the schema fails validation with the field path", () => {
    const raw = { clock: "1GHz", tile: { mvmu: { dac: { bits: 1 } } } };
    expect(() => validate(schema, applyOverrides(schema, raw, ["dac.bits=two"]), "x.yaml")).toThrow(/tile\.mvmu\.dac\.bits/);
  });
});
