// Calibration: runs the float network (compiler/reference/float.ts) on the sample inputs and keeps,
// per tensor, the largest |value| and the smallest value, plus every |value| when a percentile is
// asked for. A tensor's range is then its largest |value| (`minmax`) or that percentile of |value|.
// Left out: histogram/entropy (KL) calibration, per-channel activation ranges.

import type { Model } from "../ir/model";
import { runFloatAll } from "../reference/float";

class RangeStats {
  maxAbs = 0;
  min = Infinity;
  private readonly samples: Float32Array[] = [];
  constructor(private readonly keep: boolean) {}
  add(v: Float32Array): void {
    for (let i = 0; i < v.length; i++) {
      const a = Math.abs(v[i]);
      if (a > this.maxAbs) this.maxAbs = a;
      if (v[i] < this.min) this.min = v[i];
    }
    if (this.keep) this.samples.push(Float32Array.from(v, Math.abs));
  }
  range(percentile: number): number {
    if (!this.keep) return this.maxAbs;
    const all = new Float32Array(this.samples.reduce((a, s) => a + s.length, 0));
    let at = 0;
    for (const s of this.samples) {
      all.set(s, at);
      at += s.length;
    }
    all.sort();
    return all.length ? all[Math.min(all.length - 1, Math.floor((percentile / 100) * (all.length - 1)))] : 0;
  }
}

export interface CalibratedRanges {
  /** the range of tensor `v` (largest |value|, or the percentile of |value|) */
  range(v: string): number;
  /** the smallest value tensor `v` took */
  min(v: string): number;
}

/** Ranges of every tensor of `model` over the `calibration` inputs. */
export function calibrateRanges(model: Model, calibration: readonly ArrayLike<number>[], method: "minmax" | "percentile", percentile: number): CalibratedRanges {
  const stats = new Map<string, RangeStats>();
  const keep = method === "percentile";
  for (const x of calibration) {
    for (const [v, t] of runFloatAll(model, x)) {
      let s = stats.get(v);
      if (!s) stats.set(v, (s = new RangeStats(keep)));
      s.add(t);
    }
  }
  return {
    range: (v) => (stats.get(v) as RangeStats).range(percentile),
    min: (v) => (stats.get(v) as RangeStats).min,
  };
}
