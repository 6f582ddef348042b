// MVM-unit traces over random unit shapes and phase times (fast-check): back-to-back MVMs pipeline,
// ADC waits and accumulating reads stall, and the trace still tiles each part's track in start
// order and adds up to the unit's and the parts' counters.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Mvmu } from "../../arch/mvmu/mvmu";
import { mvmuParams } from "../../arch/mvmu/presets";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";
import type { Tick } from "../../sim/time";
import { RecordingTracer } from "../../traces/recording";
import type { Tracer } from "../../sim/tracer";
import { checkTraceAgainstStats, checkTraceInvariants, slicesOfRecording } from "./helpers";

const zero = { energy: 0 };

const shapeArb = fc.record({
  cols: fc.integer({ min: 1, max: 32 }),
  columnsPerAdc: fc.integer({ min: 1, max: 32 }),
  inputBits: fc.integer({ min: 2, max: 8 }),
  readNs: fc.integer({ min: 1, max: 100 }),
  shNs: fc.integer({ min: 0, max: 5 }),
  rateMHz: fc.integer({ min: 20, max: 2000 }),
  saNs: fc.integer({ min: 0, max: 40 }),
  irNs: fc.integer({ min: 0, max: 40 }),
  orNs: fc.integer({ min: 0, max: 40 }),
  accumulate: fc.boolean(),
  mvms: fc.integer({ min: 1, max: 4 }),
  gapNs: fc.integer({ min: 0, max: 300 }),
});

type Shape = typeof shapeArb extends fc.Arbitrary<infer T> ? T : never;

function run(t: Shape, tracer: Tracer | undefined) {
  const p = mvmuParams({
    crossbars: 2,
    crossbar: { rows: 16, cols: t.cols, cellBits: 2, readLatency: `${t.readNs}ns`, cost: zero },
    dac: { bits: 1, latency: "1ns", cost: zero },
    sampleHold: { latency: `${t.shNs}ns`, cost: zero },
    adc: { bits: 8, columnsPerAdc: t.columnsPerAdc, sampleRate: `${t.rateMHz}MHz`, accumulateSteps: t.accumulate, model: { kind: "cost", cost: zero } },
    shiftAdd: { latency: `${t.saNs}ns`, cost: zero },
    inputRegister: { latency: `${t.irNs}ns`, cost: zero },
    outputRegister: { latency: `${t.orNs}ns`, cost: zero },
    precision: { inputBits: t.inputBits, weightBits: 2 },
  });
  const sim = new Simulator();
  const m = new Mvmu({ sim, ledger: new EnergyLedger(), tracer }, "mvmu", p, { fidelity: "timing" });
  const done: number[] = [];
  // half the MVMs at tick 0 (queued, pipelined), the rest after a gap
  for (let i = 0; i < t.mvms; i++) sim.scheduleAt(((i % 2) * t.gapNs * 1000) as Tick, () => m.mvm(null, () => done.push(sim.now)));
  sim.run();
  return { m, done, stats: m.collectStats() };
}

describe("MVM-unit traces", () => {
  it("per track in start order, finite durations, sums equal to the unit's and parts' counters, and no effect on timing", () => {
    fc.assert(
      fc.property(shapeArb, (t) => {
        const rec = new RecordingTracer();
        const on = run(t, rec);
        const off = run(t, undefined);
        expect(on.done).toEqual(off.done);
        expect(on.stats).toEqual(off.stats);
        const slices = slicesOfRecording(rec);
        checkTraceInvariants(slices);
        const checked = checkTraceAgainstStats(on.m, slices, 1);
        expect(checked.mvmu).toBe(1);
        expect(checked.adc).toBe(1);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it("queued MVMs pipeline: the second MVM's slice starts before the first one's ends", () => {
    const rec = new RecordingTracer();
    run({ cols: 8, columnsPerAdc: 8, inputBits: 4, readNs: 10, shNs: 1, rateMHz: 1000, saNs: 1, irNs: 1, orNs: 1, accumulate: false, mvms: 4, gapNs: 0 }, rec);
    const mvms = slicesOfRecording(rec).filter((s) => s.kind === "mvmu.mvm");
    expect(mvms.length).toBe(4);
    expect(mvms[1].tick).toBeLessThan(mvms[0].tick + mvms[0].durTicks);
    expect(new Set(mvms.map((s) => s.component))).toEqual(new Set(["mvmu.mvm"]));
  });
});
