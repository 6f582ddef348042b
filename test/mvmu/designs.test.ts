// Published designs built from their published parameters: ISAAC's IMA (docs/references.md §1.2, §1.4, §1.5,
// §6 items 3–5) and the Wu et al. 2023 tile (docs/references.md §3, §6 item 9).
import { describe, expect, it } from "vitest";
import { mvmuCostNode, mvmuPeak } from "../../arch/mvmu/cost";
import { adcBitsLossless, mvmuGeometryInfo } from "../../arch/mvmu/encoding";
import { simulateMvmuOnce } from "../../arch/mvmu/mvmu";
import { MVMU_PRESETS, mvmuParams, mvmuPreset } from "../../arch/mvmu/presets";
import { mvmuTiming } from "../../arch/mvmu/timing";

const isaac = mvmuPreset("isaac");

describe("ISAAC IMA (docs/references.md §1)", () => {
  it("a 16-bit MVM occupies the IMA for 16 × 100 ns = 1.6 µs", () => {
    const t = mvmuTiming(isaac);
    expect(t.inputSteps).toBe(16);
    expect(t.initiationIntervalTicks).toBe(16 * 100_000);
  });

  it("each ADC converts 128 columns per input step, in 100 ns (0.78 ns each)", () => {
    const t = mvmuTiming(isaac);
    expect(t.actions.adcConversions / t.inputSteps).toBe(128);
    expect(t.conversionsPerMvm).toBe(8 * 128 * 16);
    expect(t.phases.adcTicks).toBe(100_000);
  });

  it("energy per 16-bit MVM at full rate = Table I's 289 mW / 12 IMAs × 1.6 µs ≈ 38.5 nJ, IR and OR included", () => {
    const r = simulateMvmuOnce(isaac);
    // the IMA rows of Table I add up to 24.08 mW (289 mW / 12 = 24.083 after the table's rounding)
    expect(r.energyJ).toBeCloseTo(24.08e-3 * 1.6e-6, 14);
    expect(Math.abs(r.energyJ / ((289e-3 / 12) * 1.6e-6) - 1)).toBeLessThan(1e-3);
    // per part: ADC 16 mW, DAC 4 mW, arrays 2.4 mW, S+A 0.2 mW, IR 1.24 mW, OR 0.23 mW, S+H 10 µW, each × 1.6 µs
    expect(r.breakdownJ.adc).toBeCloseTo(16e-3 * 1.6e-6, 14);
    expect(r.breakdownJ.dac).toBeCloseTo(4e-3 * 1.6e-6, 14);
    expect(r.breakdownJ.crossbar).toBeCloseTo(2.4e-3 * 1.6e-6, 14);
    expect(r.breakdownJ.inputRegister).toBeCloseTo(1.24e-3 * 1.6e-6, 14);
    expect(r.breakdownJ.outputRegister).toBeCloseTo(0.23e-3 * 1.6e-6, 14);
    // the result arrives one ADC phase after the last read: 16 reads + 100 ns of conversions
    expect(r.latencyS).toBeCloseTo(1.7e-6, 15);
  });

  it("12 IMAs roll up to Table I's 289 mW and 0.157 mm², with the instance counts of Table I's spec column", () => {
    const peak = mvmuPeak(isaac);
    // the rows add up to 288.96 mW and 0.15744 mm²; Table I prints 289 and 0.157
    expect(peak.powerMw * 12).toBeCloseTo(289, 0);
    expect((peak.areaUm2 * 12) / 1e6).toBeCloseTo(0.157, 3);
    // the per-instance costs are Table I's rows divided by these counts, so the counts the IMA
    // derives from its geometry must be the paper's: 8 ADCs, 8 × 128 DACs and S+H, 8 arrays, 4 S+A
    const count = Object.fromEntries((mvmuCostNode(isaac).children ?? []).map((c) => [c.name, c.count]));
    expect(count).toEqual({ adc: 8, dac: 8 * 128, sampleHold: 8 * 128, crossbar: 8, shiftAdd: 4, inputRegister: 1, outputRegister: 1 });
  });

  it("flipped weights need an 8-bit ADC; without flipping, 9 bits (docs/references.md §1.4)", () => {
    expect(adcBitsLossless(isaac)).toBe(8);
    const raw = structuredClone(MVMU_PRESETS.isaac) as Record<string, any>;
    raw.encoding.flip = false;
    expect(adcBitsLossless(mvmuParams(raw))).toBe(9);
  });

  it("a 2-bit DAC on 2-bit cells needs 11 bits; halving the rows saves one bit (docs/references.md §6 item 4)", () => {
    const raw = structuredClone(MVMU_PRESETS.isaac) as Record<string, any>;
    raw.encoding.flip = false;
    raw.dac.bits = 2;
    expect(adcBitsLossless(mvmuParams(raw))).toBe(11);
    raw.crossbar.rows = 64;
    expect(adcBitsLossless(mvmuParams(raw))).toBe(10);
  });

  it("128 logical 16-bit weight columns per IMA", () => {
    expect(mvmuGeometryInfo(isaac).logicalCols).toBe(128);
  });

  it("with §V's analog unit column the ADC converts 129 columns: 16 × 129 / 1.28 GS/s = 1.6125 µs", () => {
    const raw = structuredClone(MVMU_PRESETS.isaac) as Record<string, any>;
    raw.encoding.unitColumn = "analog";
    raw.adc.columnsPerAdc = 129;
    const p = mvmuParams(raw);
    const t = mvmuTiming(p);
    expect(t.actions.adcConversions / t.inputSteps).toBe(129);
    // each step's conversion phase rounds to whole picoseconds: 129 / 1.28 GS/s = 100,781.25 ps
    expect(t.initiationIntervalTicks).toBe(16 * Math.round((129 * 1e12) / 1.28e9));
  });
});

describe("Wu et al. 2023 tile (docs/references.md §3)", () => {
  const wu = mvmuPreset("wu2023");

  it("8 column groups × 9 cycles at 100 MHz = 0.72 µs per 64×64 VMM", () => {
    const t = mvmuTiming(wu);
    expect(t.periodTicks).toBe(9 * 10_000);
    expect(t.mvmLatencyTicks).toBe(8 * 9 * 10_000);
    expect(t.initiationIntervalTicks).toBe(8 * 9 * 10_000);
    expect(simulateMvmuOnce(wu).latencyS).toBeCloseTo(0.72e-6, 15);
  });

  it("the accumulating ADC converts each of the 64 columns once per VMM", () => {
    expect(mvmuTiming(wu).conversionsPerMvm).toBe(64);
  });
});
