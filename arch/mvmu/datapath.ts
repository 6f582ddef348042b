// The MVMU's value path: program an integer weight block into the crossbars under the weight
// encoding, then stream integer input vectors through DAC steps, column reads (AnalogArray),
// sample-and-hold, ADC conversion and shift-and-add (encoding.ts, adc.ts). Pure with respect to
// time: the timed component (mvmu.ts) decides when; this decides what.
//
// Shift-and-add is linear, so each converted column is shifted and added across the steps first
// (D_c = Σ_k sign_k·2^shift_k·ADC(v_c,k)) and the slices, the flips, the bias and the differential
// pairs are combined once per vector — the same integers a per-step combination gives. In
// accumulate mode the ADC converts the analog Σ_k sign_k·2^shift_k·v_c,k once instead.
// With an ideal device and ADC bits ≥ adcBitsLossless, every value is an exact integer and the
// result equals the exact integer product; the only loss elsewhere is the ADC's (or the device's).
// Lossless shortcut: when every array is an IdealArray and the ADC converts every value its range
// can hold exactly (step 1, no clipping), ADC(v) = v, so D_c = Σ_k sign_k·2^shift_k·S_c,k equals
// the column's integer dot product Σ_r x_r·level_r,c: one read with the whole inputs replaces the
// input steps (16× less work for 16-bit bit-serial inputs). Flips, slices, the unit column and the
// differential pairs are still combined from the columns. The tests run both paths.
// Hot loop: typed arrays allocated once per program; no allocation per step or per vector.

import { RramsimError } from "../../sim/errors";
import type { AnalogArray } from "../crossbar/analog-array";
import { IdealArray } from "../crossbar/ideal-array";
import { PhysicalArray } from "../crossbar/physical-array";
import { adcConvert, adcQuantiser, type AdcQuantiser } from "./adc";
import { adcConversionRange, type AdcColumnRange, mvmuInputDigit, mvmuInputRange, mvmuMaxColumnLevelSum, mvmuGeometryInfo, mvmuWeightRange, type MvmuGeometryInfo } from "./encoding";
import type { MvmuParams } from "./params";

/** Slices of 0 ≤ u < 2^31 by shift and mask into all[colOff[col0 + s] + rowOff]. */
function putSlicesBits(all: Uint16Array, colOff: Int32Array, col0: number, rowOff: number, u: number, slices: number, cb: number, mask: number): void {
  let v = u;
  for (let s = 0; s < slices; s++) {
    all[colOff[col0 + s] + rowOff] = v & mask;
    v >>>= cb;
  }
}

let scratch = new Uint16Array(0);
/**
 * A zeroed block of n levels, reused across program calls (AnalogArray.program copies its input);
 * 16-bit: levels are below 2^cellBits ≤ 2^8 and never negative (the weights are checked first).
 */
function programScratch(n: number): Uint16Array {
  if (scratch.length < n) scratch = new Uint16Array(n);
  const v = scratch.subarray(0, n);
  v.fill(0);
  return v;
}

export class MvmuDatapath {
  readonly p: MvmuParams;
  readonly g: MvmuGeometryInfo;
  readonly arrays: readonly AnalogArray[];
  private rowsUsed = 0;
  private colsUsed = 0;
  /** crossbars holding at least one used column */
  private xbarsUsed = 0;
  private readonly flipped: Uint8Array;
  private readonly inBuf: Float64Array;
  /** the inputs as unsigned inputBits-bit integers (run) */
  private readonly uBuf: Uint32Array;
  private readonly colBuf: Float64Array[];
  /** shift-added converted value per physical column (crossbar-major) */
  private readonly digital: Float64Array;
  /** one view of `digital` per crossbar */
  private readonly digitalViews: Float64Array[];
  /** accumulate mode: the analog running sum per physical column */
  private readonly analogAcc: Float64Array;
  private readonly qData: AdcQuantiser;
  private readonly qUnit: AdcQuantiser;
  private readonly stepWeight: Float64Array;
  /** ideal arrays and a lossless ADC: column dot products replace the input steps */
  readonly shortcut: readonly IdealArray[] | null;
  /**
   * accumulate mode on linear physical arrays: the steps of one conversion are read as one combined
   * input (PhysicalArray.readColumnsCombined; equal in distribution, not in draws)
   */
  readonly combined: readonly PhysicalArray[] | null;
  /** combined reads: the combined input Σ_k w_k·digit_k per row */
  private readonly xBuf: Float64Array;

  constructor(p: MvmuParams, arrays: readonly AnalogArray[], opts: { shortcut?: boolean; combineSteps?: boolean } = {}) {
    const g = mvmuGeometryInfo(p);
    if (arrays.length !== p.crossbars) throw new RramsimError("SIM_STATE", `mvmu datapath: ${arrays.length} arrays for ${p.crossbars} crossbars`);
    for (const a of arrays) {
      if (a.rows !== g.rows || a.cols !== g.physColsPerCrossbar || a.cellBits !== p.crossbar.cellBits) {
        throw new RramsimError("SIM_STATE", `mvmu datapath: array ${a.rows}×${a.cols}/${a.cellBits}b does not match ${g.rows}×${g.physColsPerCrossbar}/${p.crossbar.cellBits}b`);
      }
    }
    const headroom = p.precision.inputBits + p.precision.weightBits + Math.ceil(Math.log2(g.rows * p.crossbars)) + 1;
    if (headroom > 53) {
      throw new RramsimError("CONFIG_RANGE", `mvmu: precision.inputBits + weightBits (${p.precision.inputBits} + ${p.precision.weightBits}) is too wide for exact products in doubles`);
    }
    this.p = p;
    this.g = g;
    this.arrays = arrays;
    const pc = g.physColsPerCrossbar;
    this.flipped = new Uint8Array(p.crossbars * pc);
    this.inBuf = new Float64Array(g.rows);
    this.uBuf = new Uint32Array(g.rows);
    this.colBuf = arrays.map(() => new Float64Array(pc));
    this.digital = new Float64Array(p.crossbars * pc);
    this.digitalViews = arrays.map((_, x) => this.digital.subarray(x * pc, (x + 1) * pc));
    this.analogAcc = new Float64Array(p.crossbars * pc);
    const acc = p.adc.accumulateSteps;
    const dataRange = adcConversionRange(g.steps, mvmuMaxColumnLevelSum(p), acc);
    const unitRange = adcConversionRange(g.steps, g.rows, acc);
    this.qData = adcQuantiser(p.adc, dataRange);
    this.qUnit = adcQuantiser(p.adc, unitRange);
    this.stepWeight = Float64Array.from(g.steps, (s) => s.sign * 2 ** s.shift);
    const lossless = (q: AdcQuantiser, r: AdcColumnRange) => q.step === 1 && r.hi - r.lo <= q.maxCode;
    const ideal = arrays.every((a) => a instanceof IdealArray);
    const unitExact = g.unitColsPerCrossbar === 0 || lossless(this.qUnit, unitRange);
    this.shortcut = (opts.shortcut ?? true) && ideal && lossless(this.qData, dataRange) && unitExact ? (arrays as IdealArray[]) : null;
    const linear = arrays.every((a) => a instanceof PhysicalArray && a.linearRead);
    this.combined = (opts.combineSteps ?? true) && acc && linear ? (arrays as PhysicalArray[]) : null;
    this.xBuf = new Float64Array(g.rows);
  }

  get programmedRows(): number {
    return this.rowsUsed;
  }

  get programmedCols(): number {
    return this.colsUsed;
  }

  /** Programs a rows × cols integer block (row-major; row r = input r) under the encoding. */
  program(weights: ArrayLike<number>, rows: number, cols: number): void {
    const { p, g } = this;
    if (rows < 1 || rows > g.rows || cols < 1 || cols > g.logicalCols || weights.length !== rows * cols) {
      throw new RramsimError("INPUT_FILE", `mvmu: a ${rows}×${cols} weight block does not fit ${g.rows} rows × ${g.logicalCols} logical columns`);
    }
    const { min, max } = mvmuWeightRange(p);
    const cb = p.crossbar.cellBits;
    const L = 2 ** cb - 1;
    const base = 2 ** cb;
    const C = p.crossbar.cols;
    const pc = g.physColsPerCrossbar;
    const R = g.rows;
    const cpw = g.colsPerWeight;
    const slices = g.slices;
    // one block for all crossbars, shared by every datapath (the arrays copy what they are given);
    // cell (x, r, c) at x·R·pc + r·pc + c; colOff[globalCol] = x·R·pc + (globalCol mod C)
    const all = programScratch(p.crossbars * R * pc);
    const levels = this.arrays.map((_, x) => all.subarray(x * R * pc, (x + 1) * R * pc));
    const colOff = new Int32Array(cols * cpw);
    for (let gc = 0; gc < colOff.length; gc++) colOff[gc] = Math.floor(gc / C) * R * pc + (gc % C);
    // slice s of u ≥ 0 is ⌊u / 2^(cb·s)⌋ mod 2^cb: peeled off digit by digit (exact integer arithmetic)
    const putSlices = (rowOff: number, col0: number, u: number): void => {
      if (u < 0) throw new RramsimError("SIM_STATE", `mvmu: negative cell value ${u} (a weight outside the encoding's range)`);
      if (u <= 0x7fffffff && cb <= 30) {
        putSlicesBits(all, colOff, col0, rowOff, u, slices, cb, L);
        return;
      }
      let v = u;
      for (let s = 0; s < slices; s++) {
        const d = v % base;
        all[colOff[col0 + s] + rowOff] = d;
        v = (v - d) / base;
      }
    };
    const scheme = p.encoding.signedWeights;
    const bias = 2 ** (p.precision.weightBits - 1);
    const differential = scheme === "differential";
    const biasAdd = scheme === "bias" ? bias : 0;
    for (let r = 0; r < rows; r++) {
      const rowOff = r * pc;
      for (let j = 0; j < cols; j++) {
        const w = weights[r * cols + j];
        if (!Number.isInteger(w) || w < min || w > max) {
          throw new RramsimError("INPUT_FILE", `mvmu: weight [${r}][${j}] = ${w} is outside ${min} … ${max} (precision.weightBits ${p.precision.weightBits}, signedWeights ${scheme})`);
        }
        const col0 = j * cpw;
        if (differential) {
          putSlices(rowOff, col0, Math.max(w, 0));
          putSlices(rowOff, col0 + slices, Math.max(-w, 0));
        } else {
          putSlices(rowOff, col0, w + biasAdd);
        }
      }
    }
    this.flipped.fill(0);
    const sums = new Float64Array(C);
    for (let x = 0; x < p.crossbars; x++) {
      const lv = levels[x];
      if (g.unitColsPerCrossbar > 0) for (let r = 0; r < R; r++) lv[r * pc + C] = 1;
      if (!p.encoding.flip) continue;
      // integer column sums (exact in any order), accumulated row by row
      sums.fill(0);
      for (let r = 0; r < R; r++) {
        const o = r * pc;
        for (let c = 0; c < C; c++) sums[c] += lv[o + c];
      }
      for (let c = 0; c < C; c++) {
        if (2 * sums[c] <= R * L) continue;
        this.flipped[x * pc + c] = 1;
        for (let r = 0; r < R; r++) lv[r * pc + c] = L - lv[r * pc + c];
      }
    }
    this.arrays.forEach((a, x) => a.program(levels[x]));
    this.inBuf.fill(0);
    this.rowsUsed = rows;
    this.colsUsed = cols;
    this.xbarsUsed = Math.min(p.crossbars, Math.ceil((cols * g.colsPerWeight) / C));
  }

  /** One input vector (integers in the input range, length = programmed rows) → out[0 … cols). */
  run(input: ArrayLike<number>, out: Float64Array): void {
    const { p, g } = this;
    if (this.colsUsed === 0) throw new RramsimError("SIM_STATE", "mvmu: run before program");
    if (input.length !== this.rowsUsed) throw new RramsimError("INPUT_FILE", `mvmu: input vector of ${input.length} for ${this.rowsUsed} programmed rows`);
    const { min, max } = mvmuInputRange(p);
    let inputSum = 0;
    for (let r = 0; r < this.rowsUsed; r++) {
      const v = input[r];
      if (!Number.isInteger(v) || v < min || v > max) {
        throw new RramsimError("INPUT_FILE", `mvmu: input [${r}] = ${v} is outside ${min} … ${max} (precision.inputBits ${p.precision.inputBits}, signedInputs ${p.encoding.signedInputs})`);
      }
      inputSum += v;
    }
    const pc = g.physColsPerCrossbar;
    const C = p.crossbar.cols;
    const acc = p.adc.accumulateSteps;
    const nx = this.xbarsUsed;
    const digital = this.digital;
    const analogAcc = this.analogAcc;
    digital.fill(0);
    if (acc) analogAcc.fill(0);
    const inBuf = this.inBuf;
    if (this.shortcut !== null) {
      for (let r = 0; r < this.rowsUsed; r++) inBuf[r] = input[r];
      for (let x = 0; x < nx; x++) this.shortcut[x].dotColumns(inBuf, this.digitalViews[x]);
      this.combine(inputSum, out);
      return;
    }
    const bits = p.precision.inputBits;
    if (this.combined !== null) {
      this.runCombined(input, inputSum, out);
      return;
    }
    // inputs as unsigned inputBits-bit numbers once; with inputBits ≤ 31 a step's digit is a shift and
    // a mask (equal to mvmuInputDigit's ⌊u / 2^shift⌋ mod 2^bits for 0 ≤ u < 2^31)
    const uIn = this.uBuf;
    const small = bits <= 31;
    if (small) for (let r = 0; r < this.rowsUsed; r++) uIn[r] = input[r] < 0 ? input[r] + 2 ** bits : input[r];
    for (let k = 0; k < g.steps.length; k++) {
      const step = g.steps[k];
      const wk = this.stepWeight[k];
      if (small) {
        const sh = step.shift;
        const mask = 2 ** step.bits - 1;
        for (let r = 0; r < this.rowsUsed; r++) inBuf[r] = (uIn[r] >>> sh) & mask;
      } else {
        for (let r = 0; r < this.rowsUsed; r++) inBuf[r] = mvmuInputDigit(input[r], step, bits);
      }
      for (let x = 0; x < nx; x++) {
        const col = this.colBuf[x];
        this.arrays[x].readColumns(inBuf, col);
        const o = x * pc;
        if (acc) {
          for (let c = 0; c < pc; c++) analogAcc[o + c] += wk * col[c];
        } else {
          for (let c = 0; c < C; c++) digital[o + c] += wk * adcConvert(col[c], this.qData);
          for (let c = C; c < pc; c++) digital[o + c] += wk * adcConvert(col[c], this.qUnit);
        }
      }
    }
    if (acc) {
      for (let x = 0; x < nx; x++) {
        const o = x * pc;
        for (let c = 0; c < C; c++) digital[o + c] = adcConvert(analogAcc[o + c], this.qData);
        for (let c = C; c < pc; c++) digital[o + c] = adcConvert(analogAcc[o + c], this.qUnit);
      }
    }
    this.combine(inputSum, out);
  }

  /** Accumulate mode on linear physical arrays: one combined read per crossbar, one conversion per column. */
  private runCombined(input: ArrayLike<number>, inputSum: number, out: Float64Array): void {
    const { p, g } = this;
    const pc = g.physColsPerCrossbar;
    const C = p.crossbar.cols;
    const bits = p.precision.inputBits;
    const X = this.xBuf;
    X.fill(0);
    let noiseWeight = 0;
    const n = this.rowsUsed;
    const small = bits <= 31;
    const uIn = this.uBuf;
    if (small) for (let r = 0; r < n; r++) uIn[r] = input[r] < 0 ? input[r] + 2 ** bits : input[r];
    for (let k = 0; k < g.steps.length; k++) {
      const step = g.steps[k];
      const wk = this.stepWeight[k];
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
    const digital = this.digital;
    const arrays = this.combined as readonly PhysicalArray[];
    for (let x = 0; x < this.xbarsUsed; x++) {
      const col = this.colBuf[x];
      arrays[x].readColumnsCombined(X, noiseWeight, col);
      const o = x * pc;
      for (let c = 0; c < C; c++) digital[o + c] = adcConvert(col[c], this.qData);
      for (let c = C; c < pc; c++) digital[o + c] = adcConvert(col[c], this.qUnit);
    }
    this.combine(inputSum, out);
  }

  /** Slices, flips, differential pairs and the bias → one integer per logical column. */
  private combine(inputSum: number, out: Float64Array): void {
    const { p, g } = this;
    const pc = g.physColsPerCrossbar;
    const C = p.crossbar.cols;
    const cb = p.crossbar.cellBits;
    const L = 2 ** cb - 1;
    const analogUnit = g.unitColsPerCrossbar > 0;
    const valueOf = (globalCol: number): number => {
      const x = Math.floor(globalCol / C);
      const i = x * pc + (globalCol % C);
      const d = this.digital[i];
      if (this.flipped[i] === 0) return d;
      const u = analogUnit ? this.digital[x * pc + C] : inputSum;
      return L * u - d;
    };
    const differential = p.encoding.signedWeights === "differential";
    const bias = p.encoding.signedWeights === "bias" ? 2 ** (p.precision.weightBits - 1) : 0;
    for (let j = 0; j < this.colsUsed; j++) {
      const base = j * g.colsPerWeight;
      let v = 0;
      for (let s = 0; s < g.slices; s++) {
        const scale = 2 ** (cb * s);
        v += scale * valueOf(base + s);
        if (differential) v -= scale * valueOf(base + g.slices + s);
      }
      if (bias !== 0) {
        const x = Math.floor(base / C);
        v -= bias * (analogUnit ? this.digital[x * pc + C] : inputSum);
      }
      out[j] = v;
    }
  }
}
