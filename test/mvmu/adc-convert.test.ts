// The ADC conversion rule (adc.ts) on hand-computed values, and crossbar read energy by active cells.
import { describe, expect, it } from "vitest";
import { adcConvert, adcQuantiser } from "../../arch/mvmu/adc";
import { simulateMvmuOnce } from "../../arch/mvmu/mvmu";
import { MVMU_PRESETS, mvmuParams } from "../../arch/mvmu/presets";

const range = { lo: 0, hi: 384 }; // ISAAC without flipping: 128 rows × 3

describe("ADC conversion", () => {
  it("full scale at 8 bits: 384 needs 9 bits, so the step is 2 and ties round to even", () => {
    const q = adcQuantiser({ bits: 8, range: { kind: "fullScale" }, rounding: "halfEven" }, range);
    expect(q.step).toBe(2);
    expect(adcConvert(5, q)).toBe(4); // 2.5 → 2
    expect(adcConvert(7, q)).toBe(8); // 3.5 → 4
    expect(adcConvert(384, q)).toBe(384);
    expect(adcConvert(-3, q)).toBe(0); // below the range: code 0
  });

  it("half-up and floor rounding", () => {
    const up = adcQuantiser({ bits: 8, range: { kind: "fullScale" }, rounding: "halfUp" }, range);
    const fl = adcQuantiser({ bits: 8, range: { kind: "fullScale" }, rounding: "floor" }, range);
    expect(adcConvert(5, up)).toBe(6);
    expect(adcConvert(5, fl)).toBe(4);
    expect(adcConvert(5.9, fl)).toBe(4);
  });

  it("at the bits the range needs, every integer converts exactly", () => {
    const q = adcQuantiser({ bits: 9, range: { kind: "fullScale" }, rounding: "halfEven" }, range);
    for (let v = 0; v <= 384; v++) expect(adcConvert(v, q)).toBe(v);
  });

  it("a clip range at a quarter of full scale: 6 bits give step 2 instead of 8, and large values saturate", () => {
    const full = adcQuantiser({ bits: 6, range: { kind: "fullScale" }, rounding: "halfEven" }, range);
    const clip = adcQuantiser({ bits: 6, range: { kind: "clip", fraction: 0.25 }, rounding: "halfEven" }, range);
    expect(full.step).toBe(8);
    expect(clip.step).toBe(2); // 96 needs 7 bits
    expect(adcConvert(11, clip)).toBe(12); // 5.5 → 6
    expect(adcConvert(200, clip)).toBe(126); // top code 63
  });

  it("a signed range (accumulating ADC) offsets codes from its low end", () => {
    const q = adcQuantiser({ bits: 4, range: { kind: "fullScale" }, rounding: "halfEven" }, { lo: -8, hi: 7 });
    expect(q.step).toBe(1);
    expect(adcConvert(-8, q)).toBe(-8);
    expect(adcConvert(7, q)).toBe(7);
  });
});

describe("crossbar read energy by active cells", () => {
  it("a 64-row block in 64 of one crossbar's 128 columns costs a quarter of that crossbar's read energy", () => {
    const raw = structuredClone(MVMU_PRESETS.isaac) as Record<string, any>;
    raw.crossbar.readEnergy = "perActiveCell";
    const p = mvmuParams(raw);
    const full = simulateMvmuOnce(p).breakdownJ.crossbar;
    // 8 logical 16-bit columns = 64 slice columns, all in crossbar 0; the other 7 crossbars are idle
    const part = simulateMvmuOnce(p, { rows: 64, cols: 8 }).breakdownJ.crossbar;
    expect(full).toBeCloseTo(2.4e-3 * 1.6e-6, 14);
    expect(part).toBeCloseTo((0.3e-3 * 1.6e-6 * (64 * 64)) / (128 * 128), 16);
  });
});
