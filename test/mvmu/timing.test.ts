// The event-driven MVMU (phase-boundary events on the kernel) against the closed form of
// timing.ts, and the stall and occupancy counters against hand arithmetic.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Mvmu } from "../../arch/mvmu/mvmu";
import { mvmuParams } from "../../arch/mvmu/presets";
import type { MvmuParams } from "../../arch/mvmu/params";
import { mvmuTiming } from "../../arch/mvmu/timing";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";

const zero = { energy: 0 };

interface T {
  rows: number;
  cols: number;
  columnsPerAdc: number;
  inputBits: number;
  dacBits: number;
  signed: boolean;
  readNs: number;
  rowsPerDac: number;
  dacNs: number;
  shNs: number;
  rateMHz: number;
  saNs: number;
  irNs: number;
  orNs: number;
  accumulate: boolean;
}

function params(t: T): MvmuParams {
  return mvmuParams({
    crossbars: 2,
    crossbar: { rows: t.rows, cols: t.cols, cellBits: 2, readLatency: `${t.readNs}ns`, cost: zero },
    dac: { bits: t.dacBits, rowsPerDac: t.rowsPerDac, latency: `${t.dacNs}ns`, cost: zero },
    sampleHold: { latency: `${t.shNs}ns`, cost: zero },
    adc: { bits: 8, columnsPerAdc: t.columnsPerAdc, sampleRate: `${t.rateMHz}MHz`, accumulateSteps: t.accumulate, model: { kind: "cost", cost: zero } },
    shiftAdd: { latency: `${t.saNs}ns`, cost: zero },
    inputRegister: { latency: `${t.irNs}ns`, cost: zero },
    outputRegister: { latency: `${t.orNs}ns`, cost: zero },
    precision: { inputBits: t.inputBits, weightBits: 2 },
    encoding: { signedInputs: t.signed },
  });
}

/** Completion ticks of `k` MVMs requested at tick 0, and the unit. */
function runBackToBack(p: MvmuParams, k: number): { done: number[]; m: Mvmu; events: number } {
  const sim = new Simulator();
  const m = new Mvmu({ sim, ledger: new EnergyLedger() }, "mvmu", p, { fidelity: "timing" });
  const done: number[] = [];
  for (let i = 0; i < k; i++) m.mvm(null, () => done.push(sim.now));
  const r = sim.run();
  return { done, m, events: r.events };
}

const tArb: fc.Arbitrary<T> = fc.record({
  rows: fc.integer({ min: 1, max: 128 }),
  cols: fc.integer({ min: 1, max: 64 }),
  columnsPerAdc: fc.integer({ min: 1, max: 64 }),
  inputBits: fc.integer({ min: 2, max: 16 }),
  dacBits: fc.integer({ min: 1, max: 4 }),
  signed: fc.boolean(),
  readNs: fc.integer({ min: 1, max: 200 }),
  rowsPerDac: fc.integer({ min: 1, max: 4 }),
  dacNs: fc.integer({ min: 0, max: 5 }),
  shNs: fc.integer({ min: 0, max: 5 }),
  rateMHz: fc.integer({ min: 10, max: 2000 }),
  saNs: fc.integer({ min: 0, max: 5 }),
  irNs: fc.integer({ min: 0, max: 5 }),
  orNs: fc.integer({ min: 0, max: 5 }),
  accumulate: fc.boolean(),
});

describe("MVMU timing on the kernel", () => {
  it("one MVM completes at the closed-form latency", () => {
    fc.assert(
      fc.property(tArb, (t) => {
        const p = params(t);
        const { done } = runBackToBack(p, 1);
        expect(done).toEqual([mvmuTiming(p).mvmLatencyTicks]);
      }),
      { numRuns: 300 },
    );
  });

  it("back-to-back MVMs complete one initiation interval apart (whether the crossbar, the ADCs or the shift-and-add is the bottleneck)", () => {
    fc.assert(
      fc.property(tArb, fc.integer({ min: 0, max: 400 }), (t0, saNs) => {
        const t = { ...t0, saNs };
        const p = params(t);
        const tm = mvmuTiming(p);
        const { done } = runBackToBack(p, 3);
        expect(done).toEqual([0, 1, 2].map((i) => tm.mvmLatencyTicks + i * tm.initiationIntervalTicks));
      }),
      { numRuns: 200 },
    );
  });

  it("events happen only at phase boundaries: at most 4 per input step plus 2 per MVM", () => {
    fc.assert(
      fc.property(tArb, (t) => {
        const p = params(t);
        const { events, m } = runBackToBack(p, 2);
        const steps = m.stats.steps;
        expect(events).toBeLessThanOrEqual(4 * (steps as { value: number }).value + 2 * 2);
      }),
      { numRuns: 100 },
    );
  });

  it("a read that finishes while the ADCs still convert the previous step stalls for tA − tR", () => {
    // 128 columns on one ADC at 1 GS/s: 128 ns of conversions against a 100 ns read
    const t: T = { rows: 128, cols: 128, columnsPerAdc: 128, inputBits: 8, dacBits: 1, signed: false, readNs: 100, rowsPerDac: 1, dacNs: 0, shNs: 0, rateMHz: 1000, saNs: 0, irNs: 0, orNs: 0, accumulate: false };
    const { m } = runBackToBack(params(t), 1);
    const s = m.collectStats();
    expect(s["mvmu.crossbarStallTicks"]).toBe(7 * 28_000);
    // occupancy: 8 reads of 100 ns plus the 7 stalls
    expect(s["mvmu.occupancyTicks"]).toBe(8 * 100_000 + 7 * 28_000);
    expect(s["mvmu.adc.conversions"]).toBe(8 * 2 * 128);
  });

  it("an accumulating ADC makes the next column group's first read wait for its conversion", () => {
    const t: T = { rows: 64, cols: 64, columnsPerAdc: 8, inputBits: 8, dacBits: 1, signed: false, readNs: 10, rowsPerDac: 1, dacNs: 0, shNs: 0, rateMHz: 100, saNs: 0, irNs: 0, orNs: 0, accumulate: true };
    const { m, done } = runBackToBack(params(t), 1);
    const s = m.collectStats();
    // 8 groups × (8 reads + 1 conversion) × 10 ns; 7 groups wait 10 ns each
    expect(done).toEqual([720_000]);
    expect(s["mvmu.readWaitTicks"]).toBe(7 * 10_000);
    expect(s["mvmu.adc.conversions"]).toBe(2 * 64);
  });

  it("a clock rounds every phase up to whole cycles", () => {
    const t: T = { rows: 16, cols: 16, columnsPerAdc: 16, inputBits: 4, dacBits: 1, signed: false, readNs: 95, rowsPerDac: 1, dacNs: 0, shNs: 0, rateMHz: 200, saNs: 0, irNs: 0, orNs: 0, accumulate: false };
    // 1 GHz clock: read 95 ns → 95 cycles; ADC 16 / 200 MHz = 80 ns; 4 steps → 4 × 95 ns; at 40 MHz (25 ns): read 100 ns
    expect(mvmuTiming(params(t), 1e9).initiationIntervalTicks).toBe(4 * 95_000);
    expect(mvmuTiming(params(t), 40e6).initiationIntervalTicks).toBe(4 * 100_000);
  });
});
