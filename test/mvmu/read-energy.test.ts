// Value-dependent read energy (arch/mvmu/read-activity.ts, dac.ts `pulse`/`drive`, crossbar.ts
// `charge` with readEnergy: conductance). At ideal fidelity a DAC pulse is one row driven with a
// non-zero digit in one read, in every crossbar, in every column group in accumulate mode; a
// crossbar draws V²·(d/(2^bits − 1))²·Σ_row G·t_read per pulsed row, with the nominal conductance
// G = gMin + level/(2^cellBits − 1)·(gMax − gMin) of each cell of the row. The counts here are
// worked out by hand for tiny weight blocks (cell levels written out from the encoding of
// arch/mvmu/encoding.ts: unsigned weights, slice s of weight j in column j·slices + s). At timing
// fidelity every row is counted as pulsed (`drive`). Value replay (sim/value-log.ts) books each
// replayed MVM's own pulses: the activity probe (sim/activity.ts) does not copy `byValues` counts.
import { describe, expect, it } from "vitest";
import { runModel } from "../../app/run/session";
import { Mvmu } from "../../arch/mvmu/mvmu";
import { mvmuParams } from "../../arch/mvmu/presets";
import type { MvmuParams } from "../../arch/mvmu/params";
import { ActivityProbe } from "../../sim/activity";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";
import { tinyConvModel } from "../run/helpers";

const zero = { energy: 0 };
const PULSE_PJ = 0.5;
const V = 0.2;
const T_READ_S = 10e-9;
const G_MIN = 10e-6;
const G_MAX = 40e-6;

interface Shape {
  crossbars: number;
  rows: number;
  cols: number;
  cellBits: number;
  weightBits: number;
  dacBits: number;
  columnsPerAdc: number;
  accumulate: boolean;
}

function params(s: Shape): MvmuParams {
  return mvmuParams({
    crossbars: s.crossbars,
    crossbar: { rows: s.rows, cols: s.cols, cellBits: s.cellBits, readLatency: "10ns", readEnergy: "conductance", readVoltage: `${V}V`, conductance: { min: "10uS", max: "40uS" }, cost: zero },
    dac: { bits: s.dacBits, cost: { energy: `${PULSE_PJ}pJ` } },
    sampleHold: { cost: zero },
    adc: { bits: 8, columnsPerAdc: s.columnsPerAdc, sampleRate: "1GHz", accumulateSteps: s.accumulate, model: { kind: "cost", cost: zero } },
    shiftAdd: { cost: zero },
    inputRegister: { cost: zero },
    outputRegister: { cost: zero },
    precision: { inputBits: 4, weightBits: s.weightBits },
    encoding: { signedInputs: false, signedWeights: "none", flip: false, unitColumn: "digital" },
  });
}

/** A unit programmed with `w` (rows × cols, row-major); `run(x)` does one MVM and reports energies. */
function unit(s: Shape, w: number[], fidelity: "ideal" | "timing" = "ideal") {
  const sim = new Simulator();
  const ledger = new EnergyLedger();
  const m = new Mvmu({ sim, ledger }, "mvmu", params(s), { fidelity });
  const cols = w.length / s.rows;
  m.program(fidelity === "timing" ? null : w, s.rows, cols);
  return {
    sim,
    ledger,
    m,
    run(x: number[] | null): Float64Array | null {
      let out: Float64Array | null = null;
      m.mvm(x === null ? null : Int32Array.from(x), (o) => (out = o));
      sim.run();
      return out;
    },
    energy() {
      const r = ledger.report(sim.now * 1e-12);
      const xb = Array.from({ length: s.crossbars }, (_, k) => r.byPath[`mvmu.crossbar[${k}]`]);
      return { dacJ: r.byPath["mvmu.dac"].dynamicJ, dac: r.byPath["mvmu.dac"].actions, crossbarJ: xb.map((e) => e.dynamicJ), charge: xb.map((e) => e.actions.charge) };
    },
  };
}

/** Hand count: pulses and charge energy per crossbar, given each crossbar's per-row Σ G (S). */
function byHand(x: number[], rowG: number[][], dacBits: number, inputBits: number, groups: number) {
  const mask = 2 ** dacBits - 1;
  let pulses = 0;
  const energyJ = rowG.map(() => 0);
  for (let shift = 0; shift < inputBits; shift += dacBits) {
    x.forEach((v, r) => {
      const d = (v >> shift) & mask;
      if (d === 0) return;
      pulses++;
      rowG.forEach((g, k) => (energyJ[k] += ((d / mask) * V) ** 2 * g[r] * T_READ_S));
    });
  }
  return { dacPulses: pulses * rowG.length * groups, chargeJ: energyJ.map((e) => e * groups) };
}

const G = (level: number, cellBits: number) => G_MIN + (level / (2 ** cellBits - 1)) * (G_MAX - G_MIN);

describe("value-dependent DAC and crossbar read energy (ideal fidelity)", () => {
  // 2 × 2 unsigned 2-bit weights on 2-bit cells, one crossbar: the cell levels are the weights.
  // Row 0 = [0, 3]: G = 10 + 40 = 50 µS; row 1 = [1, 1]: 20 + 20 = 40 µS.
  const A: Shape = { crossbars: 1, rows: 2, cols: 2, cellBits: 2, weightBits: 2, dacBits: 1, columnsPerAdc: 2, accumulate: false };
  const WA = [0, 3, 1, 1];
  const rowGA = [[G(0, 2) + G(3, 2), G(1, 2) + G(1, 2)]];

  it("1-bit DAC: pulses = 1 bits of the inputs; charge = Σ over pulsed rows of V²·Σ G·t", () => {
    expect(rowGA[0][0]).toBeCloseTo(50e-6, 15);
    expect(rowGA[0][1]).toBeCloseTo(40e-6, 15);
    const u = unit(A, WA);
    // x = [5, 2]: 0101 and 0010 → row 0 pulsed in steps 0 and 2, row 1 in step 1
    const out = u.run([5, 2]);
    expect(Array.from(out as Float64Array)).toEqual([0 * 5 + 1 * 2, 3 * 5 + 1 * 2]);
    const e = u.energy();
    const h = byHand([5, 2], rowGA, 1, 4, 1);
    expect(h.dacPulses).toBe(3);
    expect(e.dac.pulse).toBe(3);
    expect(e.dac.drive).toBe(0);
    expect(e.dacJ).toBeCloseTo(3 * PULSE_PJ * 1e-12, 20);
    // 0.04 V² × (2 × 50 + 40) µS × 10 ns = 5.6e-14 J
    expect(h.chargeJ[0]).toBeCloseTo(5.6e-14, 24);
    expect(e.crossbarJ[0]).toBeCloseTo(h.chargeJ[0], 24);
    // the charge is counted in µS of pulsed cells
    expect(e.charge[0]).toBeCloseTo(140, 9);
  });

  it("an all-zero input costs no DAC and no crossbar charge energy", () => {
    const u = unit(A, WA);
    expect(Array.from(u.run([0, 0]) as Float64Array)).toEqual([0, 0]);
    const e = u.energy();
    expect(e.dac.pulse).toBe(0);
    expect(e.dacJ).toBe(0);
    expect(e.crossbarJ[0]).toBe(0);
    // the same unit does pay for a non-zero input
    u.run([1, 0]);
    expect(u.energy().dac.pulse).toBe(1);
    expect(u.energy().crossbarJ[0]).toBeCloseTo(V * V * 50e-6 * T_READ_S, 24);
  });

  it("2-bit DAC: a pulse counts once whatever its level; its charge scales with (d / 3)²", () => {
    const u = unit({ ...A, dacBits: 2 }, WA);
    // x = [6, 13]: digits (low, high) are (2, 1) and (1, 3): 4 pulses
    u.run([6, 13]);
    const e = u.energy();
    const h = byHand([6, 13], rowGA, 2, 4, 1);
    expect(h.dacPulses).toBe(4);
    expect(e.dac.pulse).toBe(4);
    // row 0: ((2/3)² + (1/3)²) × 50 µS; row 1: ((1/3)² + 1) × 40 µS
    const want = V * V * T_READ_S * ((5 / 9) * 50e-6 + (10 / 9) * 40e-6);
    expect(h.chargeJ[0]).toBeCloseTo(want, 24);
    expect(e.crossbarJ[0]).toBeCloseTo(want, 24);
  });

  it("accumulate mode with two crossbars: pulses × crossbars × column groups; each crossbar's charge from its own cells", () => {
    // 2 rows × 2 unsigned 2-bit weights on 1-bit cells: 2 slice columns per weight, 2 columns per
    // crossbar, so weight column 0 is crossbar 0 (slices lsb, msb) and weight column 1 crossbar 1.
    // One ADC per crossbar for its 2 columns, accumulating: 2 column groups, each reading all 4 steps.
    const B: Shape = { crossbars: 2, rows: 2, cols: 2, cellBits: 1, weightBits: 2, dacBits: 1, columnsPerAdc: 2, accumulate: true };
    const W = [2, 1, 3, 0];
    // crossbar 0: row 0 holds 2 → levels [0, 1], row 1 holds 3 → [1, 1];
    // crossbar 1: row 0 holds 1 → [1, 0], row 1 holds 0 → [0, 0]
    const rowG = [
      [G(0, 1) + G(1, 1), G(1, 1) + G(1, 1)],
      [G(1, 1) + G(0, 1), G(0, 1) + G(0, 1)],
    ];
    const u = unit(B, W);
    expect(Array.from(u.run([5, 2]) as Float64Array)).toEqual([2 * 5 + 3 * 2, 1 * 5 + 0 * 2]);
    const e = u.energy();
    const h = byHand([5, 2], rowG, 1, 4, 2);
    expect(h.dacPulses).toBe(3 * 2 * 2);
    expect(e.dac.pulse).toBe(12);
    expect(e.dacJ).toBeCloseTo(12 * PULSE_PJ * 1e-12, 20);
    // crossbar 0: (2 × 50 + 80) µS × 2 groups; crossbar 1: (2 × 50 + 20) µS × 2 groups
    expect(e.charge[0]).toBeCloseTo(360, 9);
    expect(e.charge[1]).toBeCloseTo(240, 9);
    expect(e.crossbarJ[0]).toBeCloseTo(h.chargeJ[0], 24);
    expect(e.crossbarJ[1]).toBeCloseTo(h.chargeJ[1], 24);
  });

  it("readEnergy: conductance without readVoltage and conductance is CONFIG_MISSING", () => {
    const raw = { crossbars: 1, crossbar: { rows: 2, cols: 2, cellBits: 2, readLatency: "10ns", readEnergy: "conductance", cost: zero } };
    const base = params(A);
    expect(() => mvmuParams({ ...base, ...raw })).toThrow(expect.objectContaining({ code: "CONFIG_MISSING" }));
  });

  it("timing fidelity counts every row as pulsed in every read (drive), and no charge", () => {
    const a = unit(A, WA, "timing");
    a.run(null);
    // 2 rows × 1 crossbar × 4 steps
    expect(a.energy().dac.drive).toBe(8);
    expect(a.energy().dac.pulse).toBe(0);
    expect(a.energy().dacJ).toBeCloseTo(8 * PULSE_PJ * 1e-12, 20);
    expect(a.energy().crossbarJ[0]).toBe(0);
    const b = unit({ crossbars: 2, rows: 2, cols: 2, cellBits: 1, weightBits: 2, dacBits: 1, columnsPerAdc: 2, accumulate: true }, [2, 1, 3, 0], "timing");
    b.run(null);
    // 2 rows × 2 crossbars × 4 steps × 2 column groups
    expect(b.energy().dac.drive).toBe(32);
  });
});

describe("value replay books each replayed MVM's own value-dependent counts", () => {
  it("an MVM recorded with one input and replayed with another books the second input's pulses; other actions are copied", () => {
    const A: Shape = { crossbars: 1, rows: 2, cols: 2, cellBits: 2, weightBits: 2, dacBits: 1, columnsPerAdc: 2, accumulate: false };
    const sim = new Simulator();
    const ledger = new EnergyLedger();
    const m = new Mvmu({ sim, ledger }, "mvmu", params(A), { fidelity: "ideal" });
    m.program([0, 3, 1, 1], 2, 2);
    const probe = new ActivityProbe([m], ledger);
    const x = Int32Array.from([5, 2]);
    let out: Float64Array | null = null;
    const before = probe.capture();
    sim.values.record();
    m.mvm(x, (o) => (out = o));
    sim.run();
    sim.values.stop();
    const d = probe.delta(before, probe.capture());
    // the replayed input: 15 = 1111 and 0 → 4 pulses, row 0 only
    x.set([15, 0]);
    sim.values.replay();
    probe.add(d);
    expect(Array.from(out as unknown as Float64Array)).toEqual([0, 45]);
    const r = ledger.report(sim.now * 1e-12);
    expect(r.byPath["mvmu.dac"].actions.pulse).toBe(3 + 4);
    expect(r.byPath["mvmu.crossbar[0]"].actions.charge).toBeCloseTo(140 + 4 * 50, 9);
    // value-independent actions come from the delta: 2 MVMs × 4 steps × 2 columns
    expect(r.byPath["mvmu.adc"].actions.convert).toBe(2 * 4 * 2);
    expect(m.collectStats()["mvmu.mvms"]).toBe(2);
  });

  it("a run of several different inputs books the same DAC and crossbar energy replayed as simulated one by one", () => {
    const set = ["tile.mvmu.encoding.signedWeights=differential", "crossbar.readEnergy=conductance", "crossbar.readVoltage=0.1V", "crossbar.conductance.min=10uS", "crossbar.conductance.max=40uS"];
    const opts = { arch: "configs/arch/tiny.yaml", model: tinyConvModel(), set, adcBits: "lossless" as const };
    const replayed = runModel({ ...opts, samples: 4 });
    const timed = runModel({ ...opts, samples: 4, timeEveryInference: true });
    expect(replayed.simulation.inferences_replayed).toBe(2);
    expect(timed.simulation.inferences_replayed).toBe(0);
    expect(replayed.energy_breakdown_j.dac).toBeCloseTo(timed.energy_breakdown_j.dac, 20);
    expect(replayed.energy_breakdown_j.crossbar).toBeCloseTo(timed.energy_breakdown_j.crossbar, 20);
    // the inputs differ in their pulses: copying inference 2's count to inferences 3 and 4
    // (E2 + 2·(E2 − E1), E_k the total after k inferences) would give another total
    const e1 = runModel({ ...opts, samples: 1 }).energy_breakdown_j.dac;
    const e2 = runModel({ ...opts, samples: 2 }).energy_breakdown_j.dac;
    expect(Math.abs(replayed.energy_breakdown_j.dac - (e2 + 2 * (e2 - e1)))).toBeGreaterThan(1e-3 * replayed.energy_breakdown_j.dac);
  });
});
