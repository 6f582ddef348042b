// Power gating of the MVM unit's parts (sim/power-gating.ts, sim/energy.ts staticPj, the busy
// periods of arch/mvmu/mvmu.ts): an ADC with `policy: idle` draws its leakage only from the first
// MVM accepted while idle to the last result, plus one wake energy per busy period; with `none`
// over the whole simulated time; the wake latency delays the first result of a busy period by
// exactly that latency. The busy time is computed here from the phase arithmetic of
// arch/mvmu/timing.ts's header, written out for this small unit. Also: a bad part name or policy
// under powerGating is a one-line CONFIG error naming the field.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileModel } from "../../app/run/compile";
import { Mvmu } from "../../arch/mvmu/mvmu";
import { mvmuParams } from "../../arch/mvmu/presets";
import type { MvmuParams } from "../../arch/mvmu/params";
import { mvmuTiming } from "../../arch/mvmu/timing";
import { EnergyLedger } from "../../sim/energy";
import { RramsimError } from "../../sim/errors";
import { Simulator } from "../../sim/simulator";
import { SECONDS_PER_TICK, type Tick } from "../../sim/time";
import { tinyConvModel } from "../run/helpers";

const zero = { energy: 0 };
const NS = 1000; // ticks (ps) per ns

/**
 * One crossbar of 4 rows × 4 columns (2-bit weights on 2-bit cells: one column per weight), 1-bit
 * DACs, 4-bit unsigned inputs (4 steps), one ADC for the 4 columns at 1 GS/s with a 1 ns
 * conversion. The ADC leaks 1 mW; the 4 DACs (one per row) leak 0.5 mW each and are never gated.
 */
function params(gating: Record<string, unknown>): MvmuParams {
  return mvmuParams({
    crossbars: 1,
    crossbar: { rows: 4, cols: 4, cellBits: 2, readLatency: "10ns", cost: zero },
    dac: { bits: 1, cost: { energy: 0, leakage: "0.5mW" } },
    sampleHold: { cost: zero },
    adc: { bits: 8, columnsPerAdc: 4, sampleRate: "1GHz", conversionLatency: "1ns", model: { kind: "cost", cost: { energy: 0, leakage: "1mW" } } },
    shiftAdd: { cost: zero },
    inputRegister: { cost: zero },
    outputRegister: { cost: zero },
    precision: { inputBits: 4, weightBits: 2 },
    encoding: { signedInputs: false, signedWeights: "none", flip: false, unitColumn: "digital" },
    powerGating: gating,
  });
}

// Phase arithmetic (timing.ts header): tR = 10 ns, tS = 0, tA = (4 − 1) × 1 ns + 1 ns = 4 ns,
// tSA = tIR = tOR = 0, n = 4 steps. Step period P = tS + max(tR, tA) = 10 ns.
// Latency = tR + tS + tA + (n − 1)·P = 10 + 4 + 30 = 44 ns; interval = n·P = 40 ns.
const LATENCY = 44 * NS;
const INTERVAL = 40 * NS;
const END = 1000 * NS; // the run lasts 1 µs
const ADC_MW = 1;
const DAC_MW = 4 * 0.5;
/** mW × ticks → pJ: 1 mW × 1 ps = 1e-3 W × 1e-12 s = 1e-15 J = 1e-3 pJ */
const pj = (mw: number, t: number) => mw * t * 1e-3;

/** Runs MVMs requested at the given ticks on a fresh unit; the run ends at END. */
function run(p: MvmuParams, requests: number[]) {
  const sim = new Simulator();
  const ledger = new EnergyLedger();
  const m = new Mvmu({ sim, ledger }, "mvmu", p, { fidelity: "timing" });
  const done: number[] = [];
  for (const t of requests) sim.scheduleAt(t as Tick, () => m.mvm(null, () => done.push(sim.now)));
  sim.scheduleAt(END as Tick, () => {});
  sim.run();
  expect(sim.now).toBe(END);
  const report = ledger.report(sim.now * SECONDS_PER_TICK);
  const stats = m.collectStats();
  return { done, report, powered: stats["mvmu.poweredTicks"], wakeups: stats["mvmu.wakeups"] };
}

describe("power gating of an MVMU part", () => {
  it("the phase arithmetic above is the unit's closed form", () => {
    const t = mvmuTiming(params({}));
    expect(t.mvmLatencyTicks).toBe(LATENCY);
    expect(t.initiationIntervalTicks).toBe(INTERVAL);
  });

  it("idle: two MVMs with an idle gap are two busy periods; leakage × busy time + 2 wake energies, nothing for the idle time", () => {
    const r = run(params({ adc: { policy: "idle", wakeEnergy: "2pJ" } }), [100 * NS, 300 * NS]);
    expect(r.done).toEqual([100 * NS + LATENCY, 300 * NS + LATENCY]);
    expect(r.powered).toBe(2 * LATENCY);
    expect(r.wakeups).toBe(2);
    const adc = r.report.byPath["mvmu.adc"];
    expect(adc.gating).toBe("idle");
    // 1 mW × 88 ns = 88 pJ, + 2 × 2 pJ
    expect(adc.leakageJ * 1e12).toBeCloseTo(pj(ADC_MW, 2 * LATENCY) + 2 * 2, 9);
    expect(adc.leakageJ * 1e12).toBeCloseTo(92, 9);
    // the DACs are not gated: 2 mW over the whole microsecond
    expect(r.report.byPath["mvmu.dac"].gating).toBe("none");
    expect(r.report.byPath["mvmu.dac"].leakageJ * 1e12).toBeCloseTo(pj(DAC_MW, END), 9);
    expect(r.report.leakageJ * 1e12).toBeCloseTo(92 + 2000, 9);
  });

  it("idle: back-to-back MVMs (and one requested while the first is in flight) are one busy period and one wake-up", () => {
    const wake = { adc: { policy: "idle", wakeEnergy: "2pJ" } };
    const a = run(params(wake), [100 * NS, 100 * NS]);
    expect(a.done).toEqual([100 * NS + LATENCY, 100 * NS + LATENCY + INTERVAL]);
    expect(a.wakeups).toBe(1);
    expect(a.powered).toBe(LATENCY + INTERVAL);
    expect(a.report.byPath["mvmu.adc"].leakageJ * 1e12).toBeCloseTo(pj(ADC_MW, 84 * NS) + 2, 9);
    // requested at 130 ns: the crossbar is busy with the first MVM's reads until 140 ns, so the
    // second's 4 reads run 140–180 ns and its last conversion ends at 184 ns
    const b = run(params(wake), [100 * NS, 130 * NS]);
    expect(b.done).toEqual([144 * NS, 184 * NS]);
    expect(b.wakeups).toBe(1);
    expect(b.powered).toBe(84 * NS);
  });

  it("idle: an MVM requested when the previous result is delivered (same tick) starts a new busy period", () => {
    const sim = new Simulator();
    const m = new Mvmu({ sim, ledger: new EnergyLedger() }, "mvmu", params({ adc: { policy: "idle", wakeLatency: "5ns" } }), { fidelity: "timing" });
    const done: number[] = [];
    m.mvm(null, () => {
      done.push(sim.now);
      m.mvm(null, () => done.push(sim.now));
    });
    sim.run();
    // each waits for its own wake-up: 5 + 44 ns, then 5 + 44 ns more
    expect(done).toEqual([49 * NS, 98 * NS]);
    expect(m.collectStats()["mvmu.wakeups"]).toBe(2);
    expect(m.collectStats()["mvmu.poweredTicks"]).toBe(98 * NS);
  });

  it("none: leakage × the whole simulated time, whatever the activity; no wake energy, no wake latency", () => {
    const r = run(params({ adc: { policy: "none", wakeLatency: "7ns", wakeEnergy: "2pJ" } }), [100 * NS, 300 * NS]);
    expect(r.done).toEqual([100 * NS + LATENCY, 300 * NS + LATENCY]);
    expect(r.report.byPath["mvmu.adc"].gating).toBe("none");
    expect(r.report.byPath["mvmu.adc"].leakageJ * 1e12).toBeCloseTo(pj(ADC_MW, END), 9);
    expect(r.report.byPath["mvmu.adc"].leakageJ * 1e12).toBeCloseTo(1000, 9);
    // the default (no powerGating at all) is the same
    const d = run(params({}), [100 * NS]);
    expect(d.report.byPath["mvmu.adc"].leakageJ * 1e12).toBeCloseTo(1000, 9);
  });

  it("the wake latency delays the first result of each busy period by exactly that latency, and the powered time includes it", () => {
    const p = params({ adc: { policy: "idle", wakeLatency: "5ns" } });
    const gaps = run(p, [100 * NS, 300 * NS]);
    expect(gaps.done).toEqual([100 * NS + 5 * NS + LATENCY, 300 * NS + 5 * NS + LATENCY]);
    expect(gaps.powered).toBe(2 * (5 * NS + LATENCY));
    expect(gaps.report.byPath["mvmu.adc"].leakageJ * 1e12).toBeCloseTo(pj(ADC_MW, 2 * 49 * NS), 9);
    // back to back: only the first MVM waits for the wake-up
    const b2b = run(p, [100 * NS, 100 * NS]);
    expect(b2b.done).toEqual([105 * NS + LATENCY, 105 * NS + LATENCY + INTERVAL]);
    // several gated parts: the unit waits for the longest wake latency
    const two = run(params({ adc: { policy: "idle", wakeLatency: "5ns" }, dac: { policy: "idle", wakeLatency: "3ns" } }), [100 * NS]);
    expect(two.done).toEqual([105 * NS + LATENCY]);
    // the DACs, now gated, leak only over the busy period too
    expect(two.report.byPath["mvmu.dac"].leakageJ * 1e12).toBeCloseTo(pj(DAC_MW, 49 * NS), 9);
  });
});

describe("powerGating config errors", () => {
  const codeAndMessage = (f: () => unknown): [string, string] => {
    try {
      f();
    } catch (e) {
      if (e instanceof RramsimError) return [e.code, e.message];
      throw e;
    }
    return ["no error", ""];
  };

  it("an unknown part name is a one-line CONFIG error naming the field", () => {
    const [code, msg] = codeAndMessage(() => params({ adcs: { policy: "idle" } }));
    expect(code).toMatch(/^CONFIG_/);
    expect(msg).toContain("powerGating.adcs");
    expect(msg.split("\n")).toHaveLength(1);
  });

  it("in a design file the error names the file and tile.mvmu.powerGating.<part>; an unknown policy names its field", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-gating-"));
    const tiny = fs.readFileSync(path.join(__dirname, "..", "..", "configs", "arch", "tiny.yaml"), "utf8");
    const withGating = (block: string) => {
      const f = path.join(dir, `d${Math.random().toString(36).slice(2)}.yaml`);
      fs.writeFileSync(f, tiny.replace("    precision: { inputBits: 8, weightBits: 8 }\n", `    precision: { inputBits: 8, weightBits: 8 }\n    powerGating:\n${block}`));
      return f;
    };
    const set = ["tile.mvmu.encoding.signedWeights=differential"];
    const badPart = withGating("      adcs: { policy: idle }\n");
    const [c1, m1] = codeAndMessage(() => compileModel({ arch: badPart, model: tinyConvModel(), set }));
    expect(c1).toMatch(/^CONFIG_/);
    expect(m1).toContain(badPart);
    expect(m1).toContain("tile.mvmu.powerGating.adcs");
    expect(m1.split("\n")).toHaveLength(1);
    const badPolicy = withGating("      adc: { policy: sometimes }\n");
    const [c2, m2] = codeAndMessage(() => compileModel({ arch: badPolicy, model: tinyConvModel(), set }));
    expect(c2).toMatch(/^CONFIG_/);
    expect(m2).toContain("tile.mvmu.powerGating.adc.policy");
    expect(m2.split("\n")).toHaveLength(1);
    // the same file with a known part and policy compiles (the edit above is well-formed)
    const good = withGating("      adc: { policy: idle }\n");
    expect(codeAndMessage(() => compileModel({ arch: good, model: tinyConvModel(), set }))[0]).toBe("no error");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
