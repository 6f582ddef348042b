// The MVMU's combined read, for accumulate mode (adc.accumulateSteps) on linear physical arrays (no
// I-V nonlinearity, no IR drop: PhysicalArray.linearRead; Wu et al.): the input steps of one
// conversion are read as one combined input X_r = Σ_k sign_k·2^shift_k·digit_k,r
// (PhysicalArray.readColumnsCombined), the steps' per-read noise drawn as one normal per column
// with the summed variance Σ_k w_k²·Σ_r digit_k,r². Equal in distribution to reading every step
// (the array path), not in draws: fewer draws from each crossbar's stream. Only the programmed
// slice columns (and the unit columns after them) are sensed and converted — DatapathColumns'
// combination reads no others; the skipped columns' noise draws are skipped in the stream, so
// later reads draw what they would. Left out: nonlinear arrays and per-step conversion (the array
// path runs).

import type { PhysicalArray } from "../../crossbar/physical-array";
import { adcConvert } from "../adc";
import { mvmuInputDigit } from "../encoding";
import type { DatapathColumns } from "./columns";
import { LevelPath } from "./levels";
import type { DatapathWorkspace } from "./workspace";

export class CombinedPath extends LevelPath<PhysicalArray> {
  readonly kind = "combined" as const;
  /** the inputs as unsigned inputBits-bit integers */
  private readonly uBuf: Uint32Array;
  /** one read's column values per crossbar */
  private readonly colBuf: Float64Array[];
  /** the combined input Σ_k w_k·digit_k per row (refilled every run) */
  private readonly xBuf: Float64Array;

  constructor(dc: DatapathColumns, arrays: readonly PhysicalArray[], ws: DatapathWorkspace) {
    super(dc, arrays, ws, new Float64Array(0));
    this.uBuf = new Uint32Array(dc.g.rows);
    this.colBuf = arrays.map(() => new Float64Array(dc.g.physColsPerCrossbar));
    this.xBuf = new Float64Array(dc.g.rows);
  }

  run(input: ArrayLike<number>, inputSum: number, out: Float64Array): void {
    const dc = this.dc;
    const { p, g } = dc;
    const pc = g.physColsPerCrossbar;
    const C = p.crossbar.cols;
    const bits = p.precision.inputBits;
    const X = this.xBuf;
    X.fill(0);
    let noiseWeight = 0;
    const n = dc.rowsUsed;
    const small = bits <= 31;
    const uIn = this.uBuf;
    if (small) for (let r = 0; r < n; r++) uIn[r] = input[r] < 0 ? input[r] + 2 ** bits : input[r];
    for (let k = 0; k < g.steps.length; k++) {
      const step = g.steps[k];
      const wk = dc.stepWeight[k];
      let sumX2 = 0;
      if (small) {
        const sh = step.shift;
        const mask = 2 ** step.bits - 1;
        for (let r = 0; r < n; r++) {
          const v = (uIn[r] >>> sh) & mask;
          sumX2 += v * v;
          X[r] += wk * v;
        }
      } else {
        for (let r = 0; r < n; r++) {
          const v = mvmuInputDigit(input[r], step, bits);
          sumX2 += v * v;
          X[r] += wk * v;
        }
      }
      noiseWeight += wk * wk * sumX2;
    }
    const digital = dc.digital;
    const arrays = this.arrays;
    // only the programmed slice columns (and the unit columns after them) are sensed and converted:
    // `combine` reads no others
    const physUsed = dc.colsUsed * g.colsPerWeight;
    for (let x = 0; x < dc.xbarsUsed; x++) {
      const col = this.colBuf[x];
      const data = Math.min(C, physUsed - x * C);
      arrays[x].readColumnsCombined(X, noiseWeight, col, pc > C ? pc : data);
      const o = x * pc;
      for (let c = 0; c < data; c++) digital[o + c] = adcConvert(col[c], dc.qData);
      for (let c = C; c < pc; c++) digital[o + c] = adcConvert(col[c], dc.qUnit);
    }
    dc.combine(inputSum, out);
  }
}
