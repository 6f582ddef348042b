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
// Packed ideal path: when every array is an IdealArray but the ADC is lossy (PUMA: 8-bit ADC, step
// 2), every step's column sums must be converted, but they need not come from per-cell levels. A
// step's ideal column sum is an integer S ≤ rows·L·Dmax < 2^fieldBits; k slice columns of one weight
// part are packed into fields of one double (k·fieldBits ≤ 53), so one addition of packed words adds
// k columns at once with no carry between fields, and a row's packed word is one table lookup of
// k·cellBits bits of the stored weight. The datapath keeps the integer weights (not the 8× larger
// level block; the IdealArrays stay unprogrammed), builds the packed rows of the driven inputs per
// vector, sums them per step, unpacks the fields and converts each S exactly as a read would give it.
// A flipped column's sum is L·Σdigit − S (rows past the programmed ones are driven at 0); the analog
// unit column's is Σdigit. Every value is the same integer, so the outputs are bit-identical.
// Two exact shortcuts within it: a step that drives no row adds ±0 and is skipped, and a 1-bit
// step that drives most rows is summed as all driven rows less those it leaves at 0 (a subset,
// so no field borrows). Left out: weights or inputs wider than 31 bits (the array path runs).
// Hot loop: typed arrays allocated once per program (carved from shared slabs; the per-vector
// scratch is shared, run being synchronous); no allocation per step or per vector.

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

/** A Float64Array of at least n elements, kept in `box` and grown on demand (contents undefined). */
function grow(box: { a: Float64Array }, n: number): Float64Array {
  if (box.a.length < n) box.a = new Float64Array(Math.max(n, 2 * box.a.length));
  return box.a;
}
/** packed ideal path: the packed rows of one vector and the step's word sums, shared (run is synchronous) */
const packedRows = { a: new Float64Array(0) };
const packedSums = { a: new Float64Array(0) };

/** The packed ideal path's layout (see the header); null when the design does not allow it. */
interface PackedLayout {
  fieldBits: number;
  /** 2^fieldBits and its inverse (multiplying by it is exact) */
  base: number;
  invBase: number;
  /** slice columns per word, and words per weight part */
  k: number;
  words: number;
  /** words per logical weight: words × (2 when differential) */
  wordsPerWeight: number;
  /** decoding the stored weights (StoredWeights): bias 2^(weightBits−1) (else 0), and 2^weightBits − 1 */
  storedHalf: number;
  storedMask: number;
  /** fields in word q of a weight (k, or fewer in a part's last word) */
  fields: Int32Array;
  /** bit offset of word q's chunk in its part's stored value (q < words) */
  chunkShift: Int32Array;
  chunkMask: number;
  /** chunk of k·cellBits bits → its k levels in fields */
  spread: Float64Array;
  /** ADC(S) for every step sum S (data columns, not accumulating), or null (convert each) */
  adcTable: Float64Array | null;
  /** a step that drives no row adds nothing: accumulating, or both quantisers convert 0 to 0 */
  zeroFree: boolean;
  /** the digital index x·pc + c of each slice column of the column space, in order */
  colIndex: Int32Array;
}

/**
 * packed path, shared (run is synchronous): per driven row of a vector its unsigned input; the
 * offsets of the rows a step drives at 1, of those it leaves at 0, and of all; the sum of all rows
 */
let packedDriven = new Uint32Array(0);
let packedOnes = new Int32Array(0);
let packedZeros = new Int32Array(0);
let packedAll = new Int32Array(0);
const packedTotal = { a: new Float64Array(0) };

/**
 * Per-datapath blocks carved from shared slabs: a chip holds hundreds of datapaths, and one
 * typed-array allocation each (stored weights, flip flags) cost more than the copying itself.
 */
const SLAB = 1 << 20;
const slabs = { u16: { a: new Uint16Array(0), used: 0 }, i16: { a: new Int16Array(0), used: 0 }, i32: { a: new Int32Array(0), used: 0 }, u8: { a: new Uint8Array(0), used: 0 } };

function carveWeights(kind: "u16" | "i16" | "i32", n: number): StoredWeights {
  if (n > SLAB) return kind === "i32" ? new Int32Array(n) : kind === "i16" ? new Int16Array(n) : new Uint16Array(n);
  const s = slabs[kind];
  if (s.used + n > s.a.length) {
    s.a = kind === "i32" ? new Int32Array(SLAB) : kind === "i16" ? new Int16Array(SLAB) : new Uint16Array(SLAB);
    s.used = 0;
  }
  const v = s.a.subarray(s.used, s.used + n);
  s.used += n;
  return v;
}

/** n zeroed bytes (a datapath's flip flags). */
function carveFlags(n: number): Uint8Array {
  const s = slabs.u8;
  if (n > SLAB) return new Uint8Array(n);
  if (s.used + n > s.a.length) {
    s.a = new Uint8Array(SLAB);
    s.used = 0;
  }
  const v = s.a.subarray(s.used, s.used + n);
  s.used += n;
  return v;
}

/** per-vector scratch shared by the datapaths (see the constructor) */
const sharedDigital = { a: new Float64Array(0) };
const sharedAnalog = { a: new Float64Array(0) };

/** What every datapath of one params object shares, worked out once. */
interface DatapathPlan {
  g: MvmuGeometryInfo;
  qData: AdcQuantiser;
  qUnit: AdcQuantiser;
  /** sign·2^shift per input step */
  stepWeight: Float64Array;
  /** 2^(cellBits·s) per slice */
  sliceScale: Float64Array;
  /** the ADC converts every data (and unit) column value exactly: the lossless shortcut applies to ideal arrays */
  lossless: boolean;
}
const planCache = new WeakMap<MvmuParams, DatapathPlan>();

function datapathPlan(p: MvmuParams): DatapathPlan {
  const cached = planCache.get(p);
  if (cached !== undefined) return cached;
  const g = mvmuGeometryInfo(p);
  const headroom = p.precision.inputBits + p.precision.weightBits + Math.ceil(Math.log2(g.rows * p.crossbars)) + 1;
  if (headroom > 53) {
    throw new RramsimError("CONFIG_RANGE", `mvmu: precision.inputBits + weightBits (${p.precision.inputBits} + ${p.precision.weightBits}) is too wide for exact products in doubles`);
  }
  const acc = p.adc.accumulateSteps;
  const dataRange = adcConversionRange(g.steps, mvmuMaxColumnLevelSum(p), acc);
  const unitRange = adcConversionRange(g.steps, g.rows, acc);
  const qData = adcQuantiser(p.adc, dataRange);
  const qUnit = adcQuantiser(p.adc, unitRange);
  const stepWeight = Float64Array.from(g.steps, (s) => s.sign * 2 ** s.shift);
  const sliceScale = Float64Array.from({ length: g.slices }, (_, s) => 2 ** (p.crossbar.cellBits * s));
  const exact = (q: AdcQuantiser, r: AdcColumnRange) => q.step === 1 && r.hi - r.lo <= q.maxCode;
  const lossless = exact(qData, dataRange) && (g.unitColsPerCrossbar === 0 || exact(qUnit, unitRange));
  const plan = { g, qData, qUnit, stepWeight, sliceScale, lossless };
  planCache.set(p, plan);
  return plan;
}

/** layouts by params object (every MVMU of a chip shares one) */
const layoutCache = new WeakMap<MvmuParams, PackedLayout | null>();

function packedLayout(p: MvmuParams, g: MvmuGeometryInfo, qData: AdcQuantiser, qUnit: AdcQuantiser): PackedLayout | null {
  const cached = layoutCache.get(p);
  if (cached !== undefined) return cached;
  const lay = makePackedLayout(p, g, qData, qUnit);
  layoutCache.set(p, lay);
  return lay;
}

function makePackedLayout(p: MvmuParams, g: MvmuGeometryInfo, qData: AdcQuantiser, qUnit: AdcQuantiser): PackedLayout | null {
  const cb = p.crossbar.cellBits;
  const L = 2 ** cb - 1;
  let dMax = 0;
  for (const st of g.steps) dMax = Math.max(dMax, 2 ** st.bits - 1);
  const maxSum = g.rows * L * dMax;
  let fieldBits = 1;
  while (2 ** fieldBits <= maxSum) fieldBits++;
  const kMax = Math.min(Math.floor(53 / fieldBits), Math.floor(16 / cb), g.slices);
  if (kMax < 1 || p.precision.inputBits > 31 || p.precision.weightBits > 31) return null;
  const words = Math.ceil(g.slices / kMax);
  const k = Math.ceil(g.slices / words);
  const parts = p.encoding.signedWeights === "differential" ? 2 : 1;
  const wordsPerWeight = parts * words;
  const fields = new Int32Array(wordsPerWeight);
  const chunkShift = new Int32Array(words);
  for (let q = 0; q < words; q++) {
    chunkShift[q] = q * k * cb;
    for (let part = 0; part < parts; part++) fields[part * words + q] = Math.min(k, g.slices - q * k);
  }
  const base = 2 ** fieldBits;
  const spread = new Float64Array(2 ** (k * cb));
  for (let c = 0; c < spread.length; c++) {
    let v = 0;
    for (let f = 0; f < k; f++) v += ((c >>> (f * cb)) & L) * 2 ** (f * fieldBits);
    spread[c] = v;
  }
  let adcTable: Float64Array | null = null;
  if (!p.adc.accumulateSteps && maxSum <= 1 << 16) {
    adcTable = new Float64Array(maxSum + 1);
    for (let v = 0; v <= maxSum; v++) adcTable[v] = adcConvert(v, qData);
  }
  const zeroFree = p.adc.accumulateSteps || (adcConvert(0, qData) === 0 && adcConvert(0, qUnit) === 0);
  const storedHalf = p.encoding.signedWeights === "bias" ? 2 ** (p.precision.weightBits - 1) : 0;
  const storedMask = 2 ** p.precision.weightBits - 1;
  const C = p.crossbar.cols;
  const colIndex = new Int32Array(p.crossbars * C);
  for (let gc = 0; gc < colIndex.length; gc++) colIndex[gc] = Math.floor(gc / C) * g.physColsPerCrossbar + (gc % C);
  return { fieldBits, base, invBase: 1 / base, k, words, wordsPerWeight, storedHalf, storedMask, fields, chunkShift, chunkMask: 2 ** (k * cb) - 1, spread, adcTable, zeroFree, colIndex };
}

/**
 * sums[0 … W) += sign × the packed rows at the offsets rows[0 … m) (sign ±1), eight or four at a
 * time. The sums are integers below 2^53, so the grouping does not change them; a subtraction
 * (sign −1) takes away a subset of rows already in the sums, so no field borrows from the next.
 */
function addRows(sums: Float64Array, rowsP: Float64Array, rows: Int32Array, m: number, W: number, sign: number): void {
  let i = 0;
  for (; i + 8 <= m; i += 8) {
    const b0 = rows[i];
    const b1 = rows[i + 1];
    const b2 = rows[i + 2];
    const b3 = rows[i + 3];
    const b4 = rows[i + 4];
    const b5 = rows[i + 5];
    const b6 = rows[i + 6];
    const b7 = rows[i + 7];
    for (let w = 0; w < W; w++) sums[w] += sign * (rowsP[b0 + w] + rowsP[b1 + w] + rowsP[b2 + w] + rowsP[b3 + w] + rowsP[b4 + w] + rowsP[b5 + w] + rowsP[b6 + w] + rowsP[b7 + w]);
  }
  for (; i + 4 <= m; i += 4) {
    const b0 = rows[i];
    const b1 = rows[i + 1];
    const b2 = rows[i + 2];
    const b3 = rows[i + 3];
    for (let w = 0; w < W; w++) sums[w] += sign * (rowsP[b0 + w] + rowsP[b1 + w] + rowsP[b2 + w] + rowsP[b3 + w]);
  }
  for (; i < m; i++) {
    const b = rows[i];
    for (let w = 0; w < W; w++) sums[w] += sign * rowsP[b + w];
  }
}

/** Unpacks every column sum S of one step and adds wk·ADC(S) (by table) to digital[column]. */
function unpackConvert(sums: Float64Array, cols: number, lay: PackedLayout, wk: number, table: Float64Array, digital: Float64Array): void {
  const { fields, base, invBase, wordsPerWeight } = lay;
  let gc = 0;
  let w = 0;
  for (let j = 0; j < cols; j++) {
    for (let q = 0; q < wordsPerWeight; q++, w++) {
      let a = sums[w];
      const nf = fields[q];
      for (let f = 0; f < nf; f++, gc++) {
        const hi = Math.floor(a * invBase);
        digital[gc] += wk * table[a - hi * base];
        a = hi;
      }
    }
  }
}

/** The first index of w[0 … n) outside min … max, or −1 (the compiler's Int32Array images: whole numbers already). */
function firstOutOfRangeInt32(w: Int32Array, n: number, min: number, max: number): number {
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (v < min || v > max) return i;
  }
  return -1;
}

/** The first index of w[0 … n) that is not a whole number in min … max, or −1. */
function firstOutOfRange(w: ArrayLike<number>, n: number, min: number, max: number): number {
  for (let i = 0; i < n; i++) {
    const v = w[i];
    if (!Number.isInteger(v) || v < min || v > max) return i;
  }
  return -1;
}

/**
 * The packed path's copy of the weights, stored as given (one bulk typed-array copy; 16-bit when
 * weightBits ≤ 16, two's complement for negative weights): the cell value u of a weight is
 * (stored + lay.storedHalf) & lay.storedMask (bias: w + 2^(b−1); none: w), or, differential, the
 * signed w itself.
 */
type StoredWeights = Int32Array | Int16Array | Uint16Array;

/** Packs the stored weights st[so … so + cols) into dst[o …]: wordsPerWeight words per weight. */
function packRow(st: StoredWeights, so: number, cols: number, lay: PackedLayout, differential: boolean, dst: Float64Array, o: number): void {
  const { spread, chunkShift, chunkMask, words } = lay;
  let d = o;
  const half = lay.storedHalf;
  const bmask = lay.storedMask;
  if (!differential && words === 2) {
    const s1 = chunkShift[1];
    for (let j = 0; j < cols; j++) {
      const v = (st[so + j] + half) & bmask;
      dst[d] = spread[v & chunkMask];
      dst[d + 1] = spread[(v >>> s1) & chunkMask];
      d += 2;
    }
    return;
  }
  if (!differential) {
    for (let j = 0; j < cols; j++) {
      const v = (st[so + j] + half) & bmask;
      for (let q = 0; q < words; q++) dst[d++] = spread[(v >>> chunkShift[q]) & chunkMask];
    }
    return;
  }
  for (let j = 0; j < cols; j++) {
    const v = st[so + j];
    const pos = v > 0 ? v : 0;
    const neg = v < 0 ? -v : 0;
    for (let q = 0; q < words; q++) dst[d++] = spread[(pos >>> chunkShift[q]) & chunkMask];
    for (let q = 0; q < words; q++) dst[d++] = spread[(neg >>> chunkShift[q]) & chunkMask];
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
  /** 2^(cellBits·s): the weight of slice s */
  private readonly sliceScale: Float64Array;
  /** ideal arrays and a lossless ADC: column dot products replace the input steps */
  readonly shortcut: readonly IdealArray[] | null;
  /**
   * accumulate mode on linear physical arrays: the steps of one conversion are read as one combined
   * input (PhysicalArray.readColumnsCombined; equal in distribution, not in draws)
   */
  readonly combined: readonly PhysicalArray[] | null;
  /** combined reads: the combined input Σ_k w_k·digit_k per row */
  private readonly xBuf: Float64Array;
  /** ideal arrays and a lossy ADC: the packed ideal path (see the header), else null */
  private readonly packed: PackedLayout | null;
  /** packed path: the stored weights (w + bias, or w when differential), programmed rows × cols */
  private stored: StoredWeights = new Int32Array(0);

  constructor(p: MvmuParams, arrays: readonly AnalogArray[], opts: { shortcut?: boolean; combineSteps?: boolean; packed?: boolean } = {}) {
    const plan = datapathPlan(p);
    const g = plan.g;
    if (arrays.length !== p.crossbars) throw new RramsimError("SIM_STATE", `mvmu datapath: ${arrays.length} arrays for ${p.crossbars} crossbars`);
    for (const a of arrays) {
      if (a.rows !== g.rows || a.cols !== g.physColsPerCrossbar || a.cellBits !== p.crossbar.cellBits) {
        throw new RramsimError("SIM_STATE", `mvmu datapath: array ${a.rows}×${a.cols}/${a.cellBits}b does not match ${g.rows}×${g.physColsPerCrossbar}/${p.crossbar.cellBits}b`);
      }
    }
    this.p = p;
    this.g = g;
    this.arrays = arrays;
    const pc = g.physColsPerCrossbar;
    const acc = p.adc.accumulateSteps;
    this.qData = plan.qData;
    this.qUnit = plan.qUnit;
    this.stepWeight = plan.stepWeight;
    this.sliceScale = plan.sliceScale;
    let ideal = true;
    let linear = true;
    for (const a of arrays) {
      if (!(a instanceof IdealArray)) ideal = false;
      if (!(a instanceof PhysicalArray && a.linearRead)) linear = false;
    }
    this.shortcut = (opts.shortcut ?? true) && ideal && plan.lossless ? (arrays as IdealArray[]) : null;
    this.combined = (opts.combineSteps ?? true) && acc && linear ? (arrays as PhysicalArray[]) : null;
    this.packed = (opts.packed ?? true) && ideal && this.shortcut === null ? packedLayout(p, g, this.qData, this.qUnit) : null;
    // buffers only for the path this datapath takes (a chip builds hundreds of datapaths); the
    // per-vector scratch (converted values, analog sums) is shared by all datapaths but the
    // shortcut's (run is synchronous and refills it first)
    const none = new Float64Array(0);
    const readsArrays = this.shortcut === null && this.packed === null;
    const n = p.crossbars * pc;
    this.flipped = carveFlags(n);
    this.inBuf = this.packed === null ? new Float64Array(g.rows) : none;
    this.uBuf = readsArrays ? new Uint32Array(g.rows) : new Uint32Array(0);
    this.colBuf = readsArrays ? arrays.map(() => new Float64Array(pc)) : [];
    this.digital = this.shortcut !== null ? new Float64Array(n) : grow(sharedDigital, n);
    this.digitalViews = this.shortcut !== null ? arrays.map((_, x) => this.digital.subarray(x * pc, (x + 1) * pc)) : [];
    this.analogAcc = acc ? grow(sharedAnalog, n) : none;
    this.xBuf = this.combined !== null ? new Float64Array(g.rows) : none;
  }

  /** true when the packed ideal path computes the values (ideal arrays, lossy ADC) */
  get usesPackedPath(): boolean {
    return this.packed !== null;
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
    if (this.packed !== null) {
      this.programPacked(weights, rows, cols, this.packed);
      return;
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

  /** The packed path's program: weights checked and kept, flips decided from packed column sums. */
  private programPacked(weights: ArrayLike<number>, rows: number, cols: number, lay: PackedLayout): void {
    const { p, g } = this;
    const { min, max } = mvmuWeightRange(p);
    const scheme = p.encoding.signedWeights;
    const n = rows * cols;
    // 16-bit storage when the stored values fit (a quarter of the cells' 8 levels, half of Int32)
    const narrow = p.precision.weightBits <= 16;
    const want = !narrow ? "i32" : scheme === "differential" ? "i16" : "u16";
    const have = this.stored instanceof Int32Array ? "i32" : this.stored instanceof Int16Array ? "i16" : "u16";
    if (this.stored.length < n || have !== want) this.stored = carveWeights(want, n);
    const st = this.stored;
    const bad = weights instanceof Int32Array ? firstOutOfRangeInt32(weights, n, min, max) : firstOutOfRange(weights, n, min, max);
    if (bad >= 0) {
      throw new RramsimError("INPUT_FILE", `mvmu: weight [${Math.floor(bad / cols)}][${bad % cols}] = ${weights[bad]} is outside ${min} … ${max} (precision.weightBits ${p.precision.weightBits}, signedWeights ${scheme})`);
    }
    st.set(weights);
    const C = p.crossbar.cols;
    const used = cols * g.colsPerWeight;
    this.flipped.fill(0);
    if (p.encoding.flip) {
      // column level sums (≤ rows·L, held by a field) from the packed rows, summed word by word
      const L = 2 ** p.crossbar.cellBits - 1;
      const W = cols * lay.wordsPerWeight;
      const buf = grow(packedRows, 2 * W);
      buf.fill(0, 0, W);
      for (let r = 0; r < rows; r++) {
        packRow(st, r * cols, cols, lay, scheme === "differential", buf, W);
        for (let w = 0; w < W; w++) buf[w] += buf[W + w];
      }
      const R = g.rows;
      let gc = 0;
      let w = 0;
      for (let j = 0; j < cols; j++) {
        for (let q = 0; q < lay.wordsPerWeight; q++, w++) {
          let a = buf[w];
          for (let f = 0; f < lay.fields[q]; f++, gc++) {
            const hi = Math.floor(a * lay.invBase);
            if (2 * (a - hi * lay.base) > R * L) this.flipped[lay.colIndex[gc]] = 1;
            a = hi;
          }
        }
      }
    }
    this.rowsUsed = rows;
    this.colsUsed = cols;
    // ⌈used / C⌉ by exact integer division (a fractional quotient deoptimises the optimised program)
    const whole = (used - (used % C)) / C;
    this.xbarsUsed = Math.min(p.crossbars, used % C === 0 ? whole : whole + 1);
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
    digital.fill(0, 0, p.crossbars * pc);
    if (acc) analogAcc.fill(0, 0, p.crossbars * pc);
    const inBuf = this.inBuf;
    if (this.shortcut !== null) {
      for (let r = 0; r < this.rowsUsed; r++) inBuf[r] = input[r];
      for (let x = 0; x < nx; x++) this.shortcut[x].dotColumns(inBuf, this.digitalViews[x]);
      this.combine(inputSum, out);
      return;
    }
    if (this.packed !== null) {
      this.runPacked(input, inputSum, out, this.packed);
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
    this.finish(inputSum, out);
  }

  /** The packed ideal path's run (see the header); the same conversions as reading the arrays step by step. */
  private runPacked(input: ArrayLike<number>, inputSum: number, out: Float64Array, lay: PackedLayout): void {
    const { p, g } = this;
    const n = this.rowsUsed;
    const cols = this.colsUsed;
    const W = cols * lay.wordsPerWeight;
    const bits = p.precision.inputBits;
    const differential = p.encoding.signedWeights === "differential";
    if (packedDriven.length < n) {
      packedDriven = new Uint32Array(g.rows);
      packedOnes = new Int32Array(g.rows);
      packedZeros = new Int32Array(g.rows);
      packedAll = new Int32Array(g.rows);
    }
    // only rows with a nonzero input are ever driven: pack just those, one row of W words each
    const driven = packedDriven;
    const rowsP = grow(packedRows, n * W);
    let nd = 0;
    for (let r = 0; r < n; r++) {
      const v = input[r];
      if (v === 0) continue;
      driven[nd] = v < 0 ? v + 2 ** bits : v;
      packRow(this.stored, r * cols, cols, lay, differential, rowsP, nd * W);
      nd++;
    }
    const sums = grow(packedSums, W);
    const total = grow(packedTotal, W);
    let totalReady = false;
    const ones = packedOnes;
    const zeros = packedZeros;
    const allRows = packedAll;
    const pc = g.physColsPerCrossbar;
    const C = p.crossbar.cols;
    const acc = p.adc.accumulateSteps;
    const nx = this.xbarsUsed;
    const digital = this.digital;
    const analogAcc = this.analogAcc;
    const table = lay.adcTable;
    const unit = g.unitColsPerCrossbar > 0;
    // the common case: no flips, no unit column (digital index = column index), converted by table
    const plain = table !== null && !p.encoding.flip && pc === C;
    for (let k = 0; k < g.steps.length; k++) {
      const step = g.steps[k];
      const wk = this.stepWeight[k];
      const sh = step.shift;
      const mask = 2 ** step.bits - 1;
      let D = 0;
      if (mask === 1) {
        // a 1-bit step: the rows driven at 1, or, when they are the majority, all driven rows
        // less those at 0 (the total is summed once per vector)
        let n1 = 0;
        let n0 = 0;
        for (let t = 0; t < nd; t++) {
          if (((driven[t] >>> sh) & 1) !== 0) ones[n1++] = t * W;
          else zeros[n0++] = t * W;
        }
        D = n1;
        // no row driven: every column reads 0, and converting 0 gives 0 (lay.zeroFree), so the
        // step adds ±0 to sums that are never −0: nothing changes
        if (D === 0 && lay.zeroFree) continue;
        if (n0 < n1) {
          if (!totalReady) {
            for (let t = 0; t < nd; t++) allRows[t] = t * W;
            total.fill(0, 0, W);
            addRows(total, rowsP, allRows, nd, W, 1);
            totalReady = true;
          }
          for (let w = 0; w < W; w++) sums[w] = total[w];
          addRows(sums, rowsP, zeros, n0, W, -1);
        } else {
          sums.fill(0, 0, W);
          addRows(sums, rowsP, ones, n1, W, 1);
        }
      } else {
        // wider digits: rows driven at 1 together, the others one by one
        let n1 = 0;
        sums.fill(0, 0, W);
        for (let t = 0; t < nd; t++) {
          const d = (driven[t] >>> sh) & mask;
          if (d === 0) continue;
          D += d;
          if (d === 1) {
            ones[n1++] = t * W;
            continue;
          }
          const o = t * W;
          for (let w = 0; w < W; w++) sums[w] += d * rowsP[o + w];
        }
        if (D === 0 && lay.zeroFree) continue;
        addRows(sums, rowsP, ones, n1, W, 1);
      }
      // unpack each column's sum S (a flipped column reads L·D − S) and convert it
      if (plain) unpackConvert(sums, cols, lay, wk, table, digital);
      else this.unpackGeneral(sums, lay, wk, D);
      if (unit) {
        // the unit column's cells are all 1: its sum is D
        const u = acc ? wk * D : wk * adcConvert(D, this.qUnit);
        for (let x = 0; x < nx; x++) {
          if (acc) analogAcc[x * pc + C] += u;
          else digital[x * pc + C] += u;
        }
      }
    }
    this.finish(inputSum, out);
  }

  /** The packed path's unpacking with flips, accumulation or conversion without a table. */
  private unpackGeneral(sums: Float64Array, lay: PackedLayout, wk: number, D: number): void {
    const L = 2 ** this.p.crossbar.cellBits - 1;
    const acc = this.p.adc.accumulateSteps;
    const { fields, base, invBase, wordsPerWeight, adcTable } = lay;
    let gc = 0;
    let w = 0;
    for (let j = 0; j < this.colsUsed; j++) {
      for (let q = 0; q < wordsPerWeight; q++, w++) {
        let a = sums[w];
        for (let f = 0; f < fields[q]; f++, gc++) {
          const hi = Math.floor(a * invBase);
          let v = a - hi * base;
          a = hi;
          const i = lay.colIndex[gc];
          if (this.flipped[i] !== 0) v = L * D - v;
          if (acc) this.analogAcc[i] += wk * v;
          else this.digital[i] += wk * (adcTable !== null ? adcTable[v] : adcConvert(v, this.qData));
        }
      }
    }
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
    // only the programmed slice columns (and the unit columns after them) are sensed and converted:
    // `combine` reads no others
    const physUsed = this.colsUsed * g.colsPerWeight;
    for (let x = 0; x < this.xbarsUsed; x++) {
      const col = this.colBuf[x];
      const data = Math.min(C, physUsed - x * C);
      arrays[x].readColumnsCombined(X, noiseWeight, col, pc > C ? pc : data);
      const o = x * pc;
      for (let c = 0; c < data; c++) digital[o + c] = adcConvert(col[c], this.qData);
      for (let c = C; c < pc; c++) digital[o + c] = adcConvert(col[c], this.qUnit);
    }
    this.combine(inputSum, out);
  }

  /** Accumulate mode: converts each column's accumulated steps once; then combines the columns. */
  private finish(inputSum: number, out: Float64Array): void {
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
  private combine(inputSum: number, out: Float64Array): void {
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
