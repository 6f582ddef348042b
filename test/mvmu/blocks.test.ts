// Weight blocks packed in one MVM unit (arch/mvmu/blocks.ts, Mvmu.setBlocks / mvm(…, block)):
// what one block's MVM converts (blockConversions, counted here by hand from the column layout:
// logical weight j in physical columns j·slices … of the column space, crossbar by crossbar;
// column c of a crossbar converted in column group c mod columnsPerAdc; one analog unit column per
// touched crossbar), that a block MVM takes the whole unit's time, drives only its rows and
// delivers only its columns, and that a block the unit does not have is a SIM_STATE error.
import { describe, expect, it } from "vitest";
import { blockConversions } from "../../arch/mvmu/blocks";
import { mvmuGeometryInfo } from "../../arch/mvmu/encoding";
import { Mvmu } from "../../arch/mvmu/mvmu";
import { mvmuParams } from "../../arch/mvmu/presets";
import type { MvmuParams } from "../../arch/mvmu/params";
import { mvmuTiming } from "../../arch/mvmu/timing";
import { EnergyLedger } from "../../sim/energy";
import { RramsimError } from "../../sim/errors";
import { Simulator } from "../../sim/simulator";

const zero = { energy: 0 };

/**
 * Two crossbars of 8 rows × 8 columns, 4-bit weights on 2-bit cells (2 slice columns per weight:
 * 8 logical columns), 4 columns per ADC (2 ADCs per crossbar, 4 column groups in accumulate
 * mode), 4-bit unsigned inputs (4 steps of a 1-bit DAC). `bias`: biased weights with an analog
 * unit column (9 physical columns per crossbar, 3 ADCs).
 */
function params(accumulate: boolean, bias = false): MvmuParams {
  return mvmuParams({
    crossbars: 2,
    crossbar: { rows: 8, cols: 8, cellBits: 2, readLatency: "10ns", cost: zero },
    dac: { bits: 1, cost: { energy: "1pJ" } },
    sampleHold: { cost: zero },
    adc: { bits: 12, columnsPerAdc: 4, sampleRate: "1GHz", accumulateSteps: accumulate, model: { kind: "cost", cost: zero } },
    shiftAdd: { cost: zero },
    inputRegister: { cost: zero },
    outputRegister: { cost: zero },
    precision: { inputBits: 4, weightBits: 4 },
    encoding: bias ? { signedInputs: false, signedWeights: "bias", flip: false, unitColumn: "analog" } : { signedInputs: false, signedWeights: "none", flip: false, unitColumn: "digital" },
  });
}

const conv = (p: MvmuParams, colStart: number, colCount: number) => blockConversions(p, mvmuGeometryInfo(p), colStart, colCount).perGroup;

describe("blockConversions", () => {
  it("accumulate mode: the block's physical columns, counted per column group", () => {
    const p = params(true);
    // logical columns 3, 4 → physical 6, 7 (crossbar 0: groups 2, 3) and 8, 9 (crossbar 1, columns 0, 1: groups 0, 1)
    expect(conv(p, 3, 2)).toEqual([1, 1, 1, 1]);
    // logical 0 … 3 → physical 0 … 7 of crossbar 0: two columns in each group
    expect(conv(p, 0, 4)).toEqual([2, 2, 2, 2]);
    // logical 0 → physical 0, 1
    expect(conv(p, 0, 1)).toEqual([1, 1, 0, 0]);
    // the whole unit: in each group, 2 ADCs × 2 crossbars convert one column
    expect(conv(p, 0, 8)).toEqual([4, 4, 4, 4]);
  });

  it("non-accumulate mode: one entry, the block's physical columns (converted in every step)", () => {
    const p = params(false);
    expect(conv(p, 3, 2)).toEqual([4]);
    expect(conv(p, 0, 4)).toEqual([8]);
    expect(conv(p, 0, 8)).toEqual([16]);
  });

  it("an analog unit column is converted once per crossbar the block touches (column 8: group 0)", () => {
    expect(conv(params(true, true), 3, 2)).toEqual([1 + 2, 1, 1, 1]);
    expect(conv(params(true, true), 0, 1)).toEqual([1 + 1, 1, 0, 0]);
    expect(conv(params(false, true), 3, 2)).toEqual([4 + 2]);
    expect(conv(params(false, true), 0, 1)).toEqual([2 + 1]);
  });
});

function timingUnit(p: MvmuParams) {
  const sim = new Simulator();
  const ledger = new EnergyLedger();
  const m = new Mvmu({ sim, ledger }, "mvmu", p, { fidelity: "timing" });
  m.program(null, 8, 8);
  m.setBlocks([
    { rowStart: 0, rowCount: 8, colStart: 0, colCount: 3 },
    { rowStart: 0, rowCount: 5, colStart: 3, colCount: 2 },
  ]);
  return { sim, ledger, m };
}

describe("block MVMs on the unit", () => {
  it("timing fidelity: the whole unit's latency; the block's conversions and samples; its rows driven", () => {
    for (const accumulate of [false, true]) {
      const p = params(accumulate);
      const { sim, ledger, m } = timingUnit(p);
      const done: number[] = [];
      m.mvm(null, () => done.push(sim.now), 1);
      sim.run();
      const t = mvmuTiming(p);
      expect(done).toEqual([t.mvmLatencyTicks]);
      const s = m.collectStats();
      // block 1 is 4 physical columns (see blockConversions above): each converted in each of
      // the 4 steps, or once in accumulate mode
      expect(s["mvmu.adc.conversions"]).toBe(accumulate ? 4 : 4 * 4);
      // every read samples the columns of its group: 4 steps × 4 columns, or 4 groups × 4 steps × 1
      expect(s["mvmu.sampleHold.samples"]).toBe(16);
      // 5 rows × 2 crossbars × 4 steps (× 4 column groups in accumulate mode)
      expect(ledger.report(1).byPath["mvmu.dac"].actions.drive).toBe(5 * 2 * 4 * (accumulate ? 4 : 1));
      // two block MVMs queued together: one initiation interval apart, as whole-unit MVMs
      const two = timingUnit(p);
      const ends: number[] = [];
      two.m.mvm(null, () => ends.push(two.sim.now), 0);
      two.m.mvm(null, () => ends.push(two.sim.now), 1);
      two.sim.run();
      expect(ends).toEqual([t.mvmLatencyTicks, t.mvmLatencyTicks + t.initiationIntervalTicks]);
    }
  });

  it("ideal fidelity: only the block's rows are driven and only its columns delivered", () => {
    const sim = new Simulator();
    const ledger = new EnergyLedger();
    const m = new Mvmu({ sim, ledger }, "mvmu", params(false), { fidelity: "ideal" });
    // 4 rows × 4 logical columns, every cell non-zero; block 0 = rows 0–1 × columns 0–1,
    // block 1 = rows 0–2 × columns 2–3
    const W = [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
      [13, 14, 15, 1],
    ];
    m.program(W.flat(), 4, 4);
    m.setBlocks([
      { rowStart: 0, rowCount: 2, colStart: 0, colCount: 2 },
      { rowStart: 0, rowCount: 3, colStart: 2, colCount: 2 },
    ]);
    expect(m.outputColumns(1)).toEqual({ start: 2, count: 2 });
    const x = [1, 2, 3, 4];
    const outs: Float64Array[] = [];
    m.mvm(Int32Array.from(x), (o) => outs.push(o as Float64Array), 0);
    sim.run();
    // block 0: rows 0, 1 only: columns 0, 1 are 1·1 + 2·5 = 11 and 1·2 + 2·6 = 14
    expect(Array.from(outs[0].subarray(0, 2))).toEqual([11, 14]);
    // pulses: the 1 bits of x0 = 1 and x1 = 2, in both crossbars (rows 2, 3 are off)
    expect(ledger.report(1).byPath["mvmu.dac"].actions.pulse).toBe((1 + 1) * 2);
    m.mvm(Int32Array.from(x), (o) => outs.push(o as Float64Array), 1);
    sim.run();
    // block 1: rows 0–2: column 2 = 3 + 14 + 33 = 50, column 3 = 4 + 16 + 36 = 56
    expect(Array.from(outs[1].subarray(2, 4))).toEqual([50, 56]);
    expect(ledger.report(1).byPath["mvmu.dac"].actions.pulse).toBe((1 + 1) * 2 + (1 + 1 + 2) * 2);
  });

  it("a block the unit does not have is a SIM_STATE error; so are overlapping or out-of-range blocks", () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof RramsimError ? `${e.code}: ${e.message}` : `not an RramsimError: ${(e as Error).message}`;
      }
      return "no error";
    };
    const { m } = timingUnit(params(false));
    expect(codeOf(() => m.mvm(null, () => {}, 2))).toMatch(/^SIM_STATE: mvmu: mvmb names block 2, but the unit has 2 block/);
    m.program(null, 8, 8); // programming again clears the block table
    expect(codeOf(() => m.mvm(null, () => {}, 0))).toMatch(/^SIM_STATE: .*has 0 block/);
    expect(
      codeOf(() =>
        m.setBlocks([
          { rowStart: 0, rowCount: 8, colStart: 0, colCount: 3 },
          { rowStart: 0, rowCount: 8, colStart: 2, colCount: 2 },
        ]),
      ),
    ).toMatch(/^SIM_STATE: .*share logical column 2/);
    expect(codeOf(() => m.setBlocks([{ rowStart: 0, rowCount: 9, colStart: 0, colCount: 3 }]))).toMatch(/^SIM_STATE: .*outside 8 rows × 8 columns/);
    expect(codeOf(() => m.setBlocks([{ rowStart: 0, rowCount: 8, colStart: 6, colCount: 3 }]))).toMatch(/^SIM_STATE: .*outside/);
  });
});
