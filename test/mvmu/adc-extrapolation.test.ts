// ADC cost models outside their fitted range: the cimloop survey fit below ENOB 4 gives its
// formula's figures and says so (docs/references.md §4.2), the flag reaches `rramsim cost` (text and
// JSON) and a compiled bundle's notes (which the run report prints); a table without the resolution
// is still an error. Expected figures come from the published formula, written out here.
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { adcFigures } from "../../arch/mvmu/adc-models";
import { archCost } from "../../arch/chip/cost";
import { formatArchCost } from "../../app/experiments/cost";
import { compileModel } from "../../app/run/compile";
import { readConfigFile } from "../../sim/config";
import { setAtPath } from "../../sim/overrides";
import { RramsimError } from "../../sim/errors";
import { tinyConvModel } from "../run/helpers";

const WU2023 = path.join(__dirname, "..", "..", "configs", "arch", "wu2023.yaml");

/** docs/references.md §4.2, term by term: total energy per conversion (pJ, leakage included) and area (µm²). */
function cimloopByFormula(n: number, nodeNm: number, rateHz: number): { energyPj: number; areaUm2: number } {
  const foms = Math.min(213.78 - 2.872 * Math.log(rateHz), 128.31 + 3.2205 * Math.ceil(n));
  const sndr = 6.02 * n + 1.76;
  const eFoms = 1 / (2 * 10 ** ((foms - sndr) / 10));
  const energyPj = eFoms * Math.exp(26.05 + 1.88 * Math.log(nodeNm) - 2.829 * Math.log(n) - 1.47);
  const areaUm2 = Math.exp(1.346 + 0.993 * Math.log(nodeNm) + 0.181 * Math.log(rateHz) + 0.299 * Math.log(energyPj));
  return { energyPj, areaUm2 };
}

const x = (bits: number, rate: number) => ({ bits, sampleRateHz: rate, peakRateHz: rate });

describe("cimloop ADC model outside its fitted range (ENOB < 4)", () => {
  for (const [node, rate] of [
    [65, 1e8],
    [32, 1.28e9],
  ]) {
    it(`3 bits, ${node} nm, ${rate / 1e6} MS/s: the formula's energy and area, flagged as extrapolated`, () => {
      const want = cimloopByFormula(3, node, rate);
      const f = adcFigures({ kind: "cimloop", techNodeNm: node }, x(3, rate));
      // the convert action is 80 % of the total, the other 20 % leaks at the model's rate
      expect(f.energyPj / (0.8 * want.energyPj) - 1).toBeCloseTo(0, 9);
      expect((f.energyPj + (f.leakageMw / rate) * 1e9) / want.energyPj - 1).toBeCloseTo(0, 9);
      expect(f.areaUm2 / want.areaUm2 - 1).toBeCloseTo(0, 9);
      expect(f.extrapolated).toMatch(/^cimloop ADC model covers ENOB ≥ 4 \(its source refuses fewer bits\); ENOB 3 extrapolated from its formula$/);
      expect(f.extrapolated?.includes("\n")).toBe(false);
    });
  }

  it("1 and 2 bits and a fractional ENOB are extrapolated too; 4 and 8 bits are in range (no flag)", () => {
    for (const bits of [1, 2]) expect(adcFigures({ kind: "cimloop", techNodeNm: 65 }, x(bits, 1e8)).extrapolated).toContain(`ENOB ${bits} extrapolated`);
    expect(adcFigures({ kind: "cimloop", techNodeNm: 65, enob: 3.5 }, x(8, 1e8)).extrapolated).toContain("ENOB 3.5 extrapolated");
    for (const bits of [4, 8]) {
      const f = adcFigures({ kind: "cimloop", techNodeNm: 65 }, x(bits, 1e8));
      expect(f.extrapolated).toBeUndefined();
      expect("extrapolated" in f).toBe(false);
    }
    // §4.2's tabulated 8-bit, 65 nm, 100 MS/s point: 6.49 pJ
    const f8 = adcFigures({ kind: "cimloop", techNodeNm: 65 }, x(8, 1e8));
    expect(f8.energyPj / 0.8 / 6.49 - 1).toBeLessThan(0.01);
  });

  it("a table without the resolution is still an error (a table has no formula to extrapolate)", () => {
    try {
      adcFigures({ kind: "table", preset: "isaac-sar", leakage: 0 }, x(3, 1.2e9));
      expect.unreachable();
    } catch (e) {
      expect((e as RramsimError).code).toBe("CONFIG_RANGE");
      expect((e as Error).message).toMatch(/^adc\.model: the table has no 3-bit entry/);
    }
  });
});

describe("the extrapolation flag reaches the user", () => {
  const wuAt = (bits: number) => setAtPath(readConfigFile(WU2023), "tile.mvmu.adc.bits", bits) as Record<string, unknown>;

  it("rramsim cost: a note in the JSON report and in the text, none at 8 bits", () => {
    const r3 = archCost(wuAt(3));
    expect(r3.notes).toHaveLength(1);
    expect(r3.notes[0]).toMatch(/^tile\.mvmu\.adc\.model: cimloop ADC model covers ENOB ≥ 4 .*; ENOB 3 extrapolated/);
    expect(formatArchCost(r3)).toContain(`  note: ${r3.notes[0]}\n`);
    const r8 = archCost(wuAt(8));
    expect(r8.notes).toEqual([]);
    expect(formatArchCost(r8)).not.toContain("note:");
  });

  it("compile: the bundle's notes (printed by the run report) carry it at 3 bits, not at 8", () => {
    const at = (adcBits: number) => compileModel({ arch: WU2023, model: tinyConvModel(), adcBits }).notes;
    expect(at(3).filter((n) => n.includes("extrapolated"))).toEqual([archCost(wuAt(3)).notes[0]]);
    expect(at(8).some((n) => n.includes("extrapolated"))).toBe(false);
  });
});
