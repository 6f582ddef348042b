// Combined reads (accumulate-mode ADC on linear physical arrays): the input steps of one conversion
// are read as one combined input, and the steps' per-read noise is drawn as one normal per column.
// The rule: this is equal in distribution to reading every step. Expected values are computed here
// independently: the conductance part from the array's effective levels by a plain loop, the noise
// variance by hand, (σ/ΔG)²·Σ_k w_k²·Σ_r x_k[r]²; and on a noiseless device the datapath's outputs
// with and without combining must be the same integers.
import { describe, expect, it } from "vitest";
import { PhysicalArray } from "../../arch/crossbar/physical-array";
import { loadDevice } from "../../arch/device/device-config";
import { MvmuDatapath } from "../../arch/mvmu/datapath";
import { mvmuGeometryInfo } from "../../arch/mvmu/encoding";
import { mvmuPreset } from "../../arch/mvmu/presets";
import { RandomStream } from "../../sim/random";

const R = 16;
const C = 6;
const CELL_BITS = 4;

function array(device: string, seed: number): PhysicalArray {
  const a = new PhysicalArray({ device: loadDevice(device), rows: R, cols: C, cellBits: CELL_BITS, stream: new RandomStream(seed, "combined-reads") });
  const levels = Float64Array.from({ length: R * C }, (_, i) => (i * 7 + 3) % 16);
  a.program(levels);
  return a;
}

// four binary-weighted steps of 1-bit digits (the last one signed), like a bit-serial DAC
const weights = [1, 2, 4, -8];
const steps = weights.map((_, k) => Float64Array.from({ length: R }, (_, r) => ((r * 5 + k * 3) % 7) % 2));

describe("combined reads equal the per-step reads in distribution", () => {
  it("mean is the conductance part read with Σ_k w_k·x_k and variance is (σ/ΔG)²·Σ_k w_k²·Σ_r x_k[r]², for both ways of reading", () => {
    const device = loadDevice("brram-wu2023");
    const sep = array("brram-wu2023", 11);
    const comb = array("brram-wu2023", 11);
    expect(comb.linearRead).toBe(true);
    const weff = sep.effectiveLevels();
    const X = new Float64Array(R);
    let noiseWeight = 0;
    weights.forEach((w, k) => {
      let s2 = 0;
      for (let r = 0; r < R; r++) {
        X[r] += w * steps[k][r];
        s2 += steps[k][r] ** 2;
      }
      noiseWeight += w * w * s2;
    });
    const mean = Array.from({ length: C }, (_, c) => {
      let m = 0;
      for (let r = 0; r < R; r++) m += weff[r * C + c] * X[r];
      return m;
    });
    const sigmaLevels = sep.model.perReadSigmaUs / sep.levelSpacingUs;
    expect(sigmaLevels).toBeGreaterThan(0);
    const variance = sigmaLevels ** 2 * noiseWeight;
    expect(device.kind).toBe("multilevel");
    const N = 4000;
    const sums = { sep: new Float64Array(C), comb: new Float64Array(C) };
    const sq = { sep: new Float64Array(C), comb: new Float64Array(C) };
    const col = new Float64Array(C);
    for (let t = 0; t < N; t++) {
      const acc = new Float64Array(C);
      weights.forEach((w, k) => {
        sep.readColumns(steps[k], col);
        for (let c = 0; c < C; c++) acc[c] += w * col[c];
      });
      comb.readColumnsCombined(X, noiseWeight, col);
      for (let c = 0; c < C; c++) {
        sums.sep[c] += acc[c];
        sq.sep[c] += acc[c] ** 2;
        sums.comb[c] += col[c];
        sq.comb[c] += col[c] ** 2;
      }
    }
    for (const way of ["sep", "comb"] as const) {
      for (let c = 0; c < C; c++) {
        const m = sums[way][c] / N;
        const v = sq[way][c] / N - m * m;
        // mean within 4 standard errors; sample variance within 15 % (its relative sd is √(2/N) ≈ 2.2 %)
        expect(Math.abs(m - mean[c])).toBeLessThan(4 * Math.sqrt(variance / N));
        expect(v / variance).toBeGreaterThan(0.85);
        expect(v / variance).toBeLessThan(1.15);
      }
    }
  });

  it("on a noiseless device the Wu et al. MVM unit gives the same integers with and without combining", () => {
    const p = mvmuPreset("wu2023");
    expect(p.adc.accumulateSteps).toBe(true);
    const g = mvmuGeometryInfo(p);
    const make = (combineSteps: boolean) =>
      new MvmuDatapath(
        p,
        Array.from(
          { length: p.crossbars },
          (_, x) => new PhysicalArray({ device: loadDevice("ideal"), rows: g.rows, cols: g.physColsPerCrossbar, cellBits: p.crossbar.cellBits, stream: new RandomStream(1, `xbar${x}`), inputFullScale: 2 ** p.dac.bits - 1 }),
        ),
        { combineSteps },
      );
    const a = make(true);
    const b = make(false);
    expect(a.combined).not.toBeNull();
    expect(b.combined).toBeNull();
    const rows = g.rows;
    const cols = Math.min(8, g.logicalCols);
    const w = Int32Array.from({ length: rows * cols }, (_, i) => ((i * 13) % 31) - 15);
    a.program(w, rows, cols);
    b.program(w, rows, cols);
    for (let t = 0; t < 5; t++) {
      const x = Array.from({ length: rows }, (_, r) => (r * 37 + t * 101) % 256);
      const oa = new Float64Array(cols);
      const ob = new Float64Array(cols);
      a.run(x, oa);
      b.run(x, ob);
      expect(Array.from(oa)).toEqual(Array.from(ob));
    }
  });
});
