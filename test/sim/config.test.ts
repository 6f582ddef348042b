import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { loadConfig, positiveQuantity, quantity, validate } from "../../sim/config";
import { codeOf, errorOf } from "../errors";

const schema = z
  .object({
    name: z.string(),
    clock: positiveQuantity("frequency"),
    tile: z
      .object({
        adc: z.object({ bits: z.number().int().min(1).max(16), energy: quantity("energy").default(1) }).strict(),
        kind: z.enum(["sar", "flash"]).default("sar"),
      })
      .strict(),
  })
  .strict();

const good = { name: "x", clock: "1.2GHz", tile: { adc: { bits: 8, energy: "1.5625pJ" } } };

describe("config validation", () => {
  it("parses quantities into canonical units and applies schema defaults", () => {
    const c = validate(schema, good, "x.yaml");
    expect(c.clock).toBe(1.2e9);
    expect(c.tile.adc.energy).toBeCloseTo(1.5625, 12);
    expect(c.tile.kind).toBe("sar");
    expect(Object.isFrozen(c.tile.adc)).toBe(true);
  });
  it("unknown key → CONFIG_UNKNOWN_KEY naming the key's path", () => {
    const raw = { ...good, tile: { ...good.tile, adc: { bits: 8, bitz: 9 } } };
    expect(codeOf(() => validate(schema, raw, "x.yaml"))).toBe("CONFIG_UNKNOWN_KEY");
    expect(errorOf(() => validate(schema, raw, "x.yaml")).message).toMatch(/^x\.yaml: tile\.adc\.bitz: /);
  });
  it("missing field → CONFIG_MISSING", () => {
    const { name: _n, ...raw } = good;
    expect(codeOf(() => validate(schema, raw, "x.yaml"))).toBe("CONFIG_MISSING");
    expect(errorOf(() => validate(schema, raw, "x.yaml")).message).toMatch(/^x\.yaml: name: required/);
  });
  it("wrong type → CONFIG_TYPE", () => {
    expect(codeOf(() => validate(schema, { ...good, name: 3 }, "x.yaml"))).toBe("CONFIG_TYPE");
  });
  it("out of range → CONFIG_RANGE, with the limit and the value", () => {
    const raw = { ...good, tile: { adc: { bits: 24 } } };
    expect(codeOf(() => validate(schema, raw, "isaac.yaml"))).toBe("CONFIG_RANGE");
    expect(errorOf(() => validate(schema, raw, "isaac.yaml")).message).toBe("isaac.yaml: tile.adc.bits: must be ≤ 16 (got 24)");
  });
  it("a quantity with a unit of the wrong dimension → CONFIG_UNIT", () => {
    expect(codeOf(() => validate(schema, { ...good, clock: "1.2ns" }, "x.yaml"))).toBe("CONFIG_UNIT");
  });
  it("a non-positive quantity where positive is required → CONFIG_RANGE", () => {
    expect(codeOf(() => validate(schema, { ...good, clock: "0Hz" }, "x.yaml"))).toBe("CONFIG_RANGE");
  });
  it("a bad enum member → CONFIG_VALUE", () => {
    expect(codeOf(() => validate(schema, { ...good, tile: { ...good.tile, kind: "pipelined" } }, "x.yaml"))).toBe("CONFIG_VALUE");
  });
  describe("files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-config-"));
    const write = (name: string, text: string) => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      return f;
    };
    it("reads YAML and JSON alike", () => {
      const y = write("a.yaml", "name: x\nclock: 1GHz\ntile:\n  adc: { bits: 8 }\n");
      const j = write("a.json", JSON.stringify({ name: "x", clock: 1e9, tile: { adc: { bits: 8 } } }));
      expect(loadConfig(schema, y)).toEqual(loadConfig(schema, j));
    });
    it("a missing file → CONFIG_READ", () => {
      expect(codeOf(() => loadConfig(schema, path.join(dir, "nope.yaml")))).toBe("CONFIG_READ");
    });
    it("a syntax error → CONFIG_SYNTAX with file:line:col", () => {
      const f = write("bad.yaml", "name: x\nclock: [1GHz\n");
      expect(codeOf(() => loadConfig(schema, f))).toBe("CONFIG_SYNTAX");
      expect(errorOf(() => loadConfig(schema, f)).message).toMatch(/bad\.yaml:\d+:\d+: /);
    });
    it("a duplicate key → CONFIG_SYNTAX", () => {
      const f = write("dup.yaml", "name: x\nname: y\n");
      expect(codeOf(() => loadConfig(schema, f))).toBe("CONFIG_SYNTAX");
    });
    it("errors are one line", () => {
      const f = write("bad2.yaml", "name: x\nclock: 1GHz\ntile: { adc: { bits: 0 } }\n");
      expect(errorOf(() => loadConfig(schema, f)).message).not.toContain("\n");
    });
  });
});
