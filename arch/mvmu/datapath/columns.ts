// One MVMU datapath's physical columns and how they become logical outputs: the shift-added
// converted value per physical column (crossbar-major), the analog running sums in accumulate mode,
// the flip flags, the programmed extent, and the combination every value path ends with.
//
// Shift-and-add is linear, so each converted column is shifted and added across the steps first
// (D_c = Σ_k sign_k·2^shift_k·ADC(v_c,k)) and the slices, the flips, the bias and the differential
// pairs are combined once per vector — the same integers a per-step combination gives. In
// accumulate mode the ADC converts the analog Σ_k sign_k·2^shift_k·v_c,k once instead (`finish`).
// A flipped column stores L − level and is rebuilt as L·Σx − measured, Σx being the unit column's
// value when the design has one, else the inputs' sum. Left out: everything before the columns'
// values (the value paths fill them).

import { adcConvert, type AdcQuantiser } from "../adc";
import type { MvmuGeometryInfo } from "../encoding";
import type { MvmuParams } from "../params";
import type { DatapathPlan } from "./plan";

export class DatapathColumns {
  readonly p: MvmuParams;
  readonly g: MvmuGeometryInfo;
  readonly qData: AdcQuantiser;
  readonly qUnit: AdcQuantiser;
  readonly stepWeight: Float64Array;
  /** 2^(cellBits·s): the weight of slice s */
  readonly sliceScale: Float64Array;
  /** programmed rows and logical columns; crossbars holding at least one used column */
  rowsUsed = 0;
  colsUsed = 0;
  xbarsUsed = 0;
  /** 1 where a physical column stores L − level (set by the value path's program) */
  readonly flipped: Uint8Array;
  /** shift-added converted value per physical column (crossbar-major) */
  readonly digital: Float64Array;
  /** accumulate mode: the analog running sum per physical column (else empty) */
  readonly analogAcc: Float64Array;

  constructor(p: MvmuParams, plan: DatapathPlan, flipped: Uint8Array, digital: Float64Array, analogAcc: Float64Array) {
    this.p = p;
    this.g = plan.g;
    this.qData = plan.qData;
    this.qUnit = plan.qUnit;
    this.stepWeight = plan.stepWeight;
    this.sliceScale = plan.sliceScale;
    this.flipped = flipped;
    this.digital = digital;
    this.analogAcc = analogAcc;
  }

  /** Records a programmed rows × cols block. */
  programmed(rows: number, cols: number): void {
    const C = this.p.crossbar.cols;
    const used = cols * this.g.colsPerWeight;
    this.rowsUsed = rows;
    this.colsUsed = cols;
    // ⌈used / C⌉ by exact integer division (a fractional quotient deoptimises the optimised program)
    const whole = (used - (used % C)) / C;
    this.xbarsUsed = Math.min(this.p.crossbars, used % C === 0 ? whole : whole + 1);
  }

  /** Zeroes the converted values (and, accumulating, the analog sums) before a vector. */
  clear(): void {
    const n = this.p.crossbars * this.g.physColsPerCrossbar;
    this.digital.fill(0, 0, n);
    if (this.p.adc.accumulateSteps) this.analogAcc.fill(0, 0, n);
  }

  /** Accumulate mode: converts each column's accumulated steps once; then combines the columns. */
  finish(inputSum: number, out: Float64Array): void {
    if (this.p.adc.accumulateSteps) {
      const pc = this.g.physColsPerCrossbar;
      const C = this.p.crossbar.cols;
      const digital = this.digital;
      const analogAcc = this.analogAcc;
      for (let x = 0; x < this.xbarsUsed; x++) {
        const o = x * pc;
        for (let c = 0; c < C; c++) digital[o + c] = adcConvert(analogAcc[o + c], this.qData);
        for (let c = C; c < pc; c++) digital[o + c] = adcConvert(analogAcc[o + c], this.qUnit);
      }
    }
    this.combine(inputSum, out);
  }

  /** Slices, flips, differential pairs and the bias → one integer per logical column. */
  combine(inputSum: number, out: Float64Array): void {
    const { p, g } = this;
    const pc = g.physColsPerCrossbar;
    const C = p.crossbar.cols;
    const digital = this.digital;
    const analogUnit = g.unitColsPerCrossbar > 0;
    // no flips and no unit column: a column's value is digital[globalCol] (x·pc + c = globalCol)
    const direct = !p.encoding.flip && pc === C;
    const differential = p.encoding.signedWeights === "differential";
    const bias = p.encoding.signedWeights === "bias" ? 2 ** (p.precision.weightBits - 1) : 0;
    const scales = this.sliceScale;
    const slices = g.slices;
    const cpw = g.colsPerWeight;
    for (let j = 0; j < this.colsUsed; j++) {
      const base = j * cpw;
      let v = 0;
      for (let s = 0; s < slices; s++) {
        const scale = scales[s];
        v += scale * (direct ? digital[base + s] : this.columnValue(base + s, inputSum));
        if (differential) v -= scale * (direct ? digital[base + slices + s] : this.columnValue(base + slices + s, inputSum));
      }
      if (bias !== 0) {
        const x = Math.floor(base / C);
        v -= bias * (analogUnit ? digital[x * pc + C] : inputSum);
      }
      out[j] = v;
    }
  }

  /** The shift-added value of one slice column, a flipped one rebuilt as L·Σx − measured. */
  private columnValue(globalCol: number, inputSum: number): number {
    const { p, g } = this;
    const C = p.crossbar.cols;
    const pc = g.physColsPerCrossbar;
    const x = Math.floor(globalCol / C);
    const i = x * pc + (globalCol % C);
    const d = this.digital[i];
    if (this.flipped[i] === 0) return d;
    const u = g.unitColsPerCrossbar > 0 ? this.digital[x * pc + C] : inputSum;
    return (2 ** p.crossbar.cellBits - 1) * u - d;
  }
}
