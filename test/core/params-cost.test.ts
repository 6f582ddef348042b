import { describe, expect, it } from "vitest";
import { coreParamsSchema, defaultCoreParams } from "../../arch/core/params";
import { coreCostNode } from "../../arch/core/cost";
import { instanceTotals } from "../../sim/cost-tree";
import { validate } from "../../sim/config";
import { RramsimError } from "../../sim/errors";

describe("core params and cost contract", () => {
  it("defaults are PUMA's core: 1-cycle fetch/decode, width-1 VFU, transcendental ×3, 4 KB imem, 1 KB RF", () => {
    const p = defaultCoreParams();
    expect(p.fetchCycles).toBe(1);
    expect(p.decodeCycles).toBe(1);
    expect(p.vector.lanes).toBe(1);
    expect(p.vector.transcendentalFactor).toBe(3);
    expect(p.instructionMemory).toBe(4096);
    expect(p.registerFile).toBe(1024);
  });
  it("PUMA's core rows (docs/references.md §2.4) roll up to 4.202 mW and 0.01292 mm² without the MVMUs", () => {
    // hand sum: 0.25 + 1.52 + 0.477 + 1.90 + 0.055 = 4.202 mW; 0.0033 + 0.0031 + 0.00192 + 0.004 + 0.0006 = 0.01292 mm²
    const t = instanceTotals(coreCostNode(defaultCoreParams(), 1e9));
    expect(t.powerMw).toBeCloseTo(4.202, 9);
    expect(t.areaUm2).toBeCloseTo(12920, 6);
  });
  it("the PUMA rows are expressible as explicit config text with units", () => {
    const p = validate(
      coreParamsSchema,
      {
        instructionMemory: "4KB",
        cost: {
          control: { power: "0.25mW", area: "0.0033mm2" },
          instructionMemory: { power: "1.52mW", area: "0.0031mm2" },
          registerFile: { power: "0.477mW", area: "0.00192mm2" },
          vectorUnit: { power: "1.90mW", area: "0.004mm2" },
          scalarUnit: { power: "0.055mW", area: "0.0006mm2" },
        },
      },
      "puma-core.yaml",
    );
    const node = coreCostNode(p, 1e9);
    expect(node.children!.map((c) => c.name)).toEqual(["control", "imem", "rf", "vfu", "sfu"]);
    expect(node.children![3].powerMw).toBeCloseTo(1.9, 12);
    expect(node.children![3].areaUm2).toBeCloseTo(4000, 6);
  });
  it("an energy-per-action spec becomes peak power at the part's peak rate", () => {
    // VFU of 4 lanes at 1 GHz, 2 pJ per element: 2 pJ × 4e9 /s = 8 mW
    const p = validate(coreParamsSchema, { vector: { lanes: 4 }, cost: { vectorUnit: { energy: 2 } } }, "x.yaml");
    expect(coreCostNode(p, 1e9).children!.find((c) => c.name === "vfu")!.powerMw).toBeCloseTo(8, 12);
  });
  it("unknown keys are refused with a config error naming the field", () => {
    expect(() => validate(coreParamsSchema, { latency: { bogus: 1 } }, "x.yaml")).toThrow(RramsimError);
    try {
      validate(coreParamsSchema, { latency: { bogus: 1 } }, "x.yaml");
    } catch (e) {
      expect((e as RramsimError).code).toBe("CONFIG_UNKNOWN_KEY");
      expect((e as Error).message).toContain("latency.bogus");
    }
  });
});
