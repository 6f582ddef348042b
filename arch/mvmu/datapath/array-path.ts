// The MVMU's general value path: the weights programmed into the crossbars as cell levels
// (levels.ts), and every input vector streamed through the DAC steps — each step's digits driven
// on the rows, one column read per crossbar (AnalogArray.readColumns: ideal or physical, with the
// device's noise, drift, nonlinearity and IR drop), sample-and-hold, ADC conversion and
// shift-and-add (DatapathColumns). In accumulate mode each column's steps are summed in the analog
// domain and converted once. Any device, any ADC; the other paths are shortcuts of this one for
// particular arrays and ADCs. Left out: timing (mvmu.ts schedules the phases) and per-step
// quantities other than the columns' values.

import type { AnalogArray } from "../../crossbar/analog-array";
import { adcConvert } from "../adc";
import { mvmuInputDigit } from "../encoding";
import type { DatapathColumns } from "./columns";
import { LevelPath } from "./levels";
import type { DatapathWorkspace } from "./workspace";

export class ArrayPath extends LevelPath<AnalogArray> {
  readonly kind = "array" as const;
  /** the inputs as unsigned inputBits-bit integers */
  private readonly uBuf: Uint32Array;
  /** one read's column values per crossbar */
  private readonly colBuf: Float64Array[];

  /** inBuf: one step's digits per row */
  constructor(dc: DatapathColumns, arrays: readonly AnalogArray[], ws: DatapathWorkspace) {
    super(dc, arrays, ws, new Float64Array(dc.g.rows));
    this.uBuf = new Uint32Array(dc.g.rows);
    this.colBuf = arrays.map(() => new Float64Array(dc.g.physColsPerCrossbar));
  }

  run(input: ArrayLike<number>, inputSum: number, out: Float64Array): void {
    const dc = this.dc;
    const { p, g } = dc;
    const n = dc.rowsUsed;
    const pc = g.physColsPerCrossbar;
    const C = p.crossbar.cols;
    const acc = p.adc.accumulateSteps;
    const nx = dc.xbarsUsed;
    const digital = dc.digital;
    const analogAcc = dc.analogAcc;
    const inBuf = this.inBuf;
    const bits = p.precision.inputBits;
    // inputs as unsigned inputBits-bit numbers once; with inputBits ≤ 31 a step's digit is a shift and
    // a mask (equal to mvmuInputDigit's ⌊u / 2^shift⌋ mod 2^bits for 0 ≤ u < 2^31)
    const uIn = this.uBuf;
    const small = bits <= 31;
    if (small) for (let r = 0; r < n; r++) uIn[r] = input[r] < 0 ? input[r] + 2 ** bits : input[r];
    for (let k = 0; k < g.steps.length; k++) {
      const step = g.steps[k];
      const wk = dc.stepWeight[k];
      if (small) {
        const sh = step.shift;
        const mask = 2 ** step.bits - 1;
        for (let r = 0; r < n; r++) inBuf[r] = (uIn[r] >>> sh) & mask;
      } else {
        for (let r = 0; r < n; r++) inBuf[r] = mvmuInputDigit(input[r], step, bits);
      }
      for (let x = 0; x < nx; x++) {
        const col = this.colBuf[x];
        this.arrays[x].readColumns(inBuf, col);
        const o = x * pc;
        if (acc) {
          for (let c = 0; c < pc; c++) analogAcc[o + c] += wk * col[c];
        } else {
          for (let c = 0; c < C; c++) digital[o + c] += wk * adcConvert(col[c], dc.qData);
          for (let c = C; c < pc; c++) digital[o + c] += wk * adcConvert(col[c], dc.qUnit);
        }
      }
    }
    dc.finish(inputSum, out);
  }
}
