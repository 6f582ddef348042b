// The packed ideal path's layout and kernels (packed-path.ts). With ideal arrays a step's column
// sum is an integer S ≤ rows·L·Dmax < 2^fieldBits (L = 2^cellBits − 1, Dmax the widest step's
// largest digit); k slice columns of one weight part are packed into fields of one double
// (k·fieldBits ≤ 53, k·cellBits ≤ 16), so one addition of packed words adds k columns at once with
// no carry between fields, and a row's packed word is one table lookup (`spread`) of k·cellBits
// bits of the stored weight. The layout is a pure function of the (frozen) params; it also holds
// the ADC's conversion of every step sum when there are at most 2^16 of them, and the digital index
// of each slice column. Left out: weights or inputs wider than 31 bits, or a field too wide for a
// double (no layout: the array path runs).

import { adcConvert, type AdcQuantiser } from "../adc";
import type { MvmuGeometryInfo } from "../encoding";
import type { MvmuParams } from "../params";

/** The packed ideal path's layout (see the header); null when the design does not allow it. */
export interface PackedLayout {
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
 * Layouts by params object (every MVMU of a chip shares one). A module-level cache is safe: it
 * memoises a pure function of frozen params, holds no buffer anyone writes, and a WeakMap lets a
 * layout go when its params do.
 */
const layoutCache = new WeakMap<MvmuParams, PackedLayout | null>();

export function packedLayout(p: MvmuParams, g: MvmuGeometryInfo, qData: AdcQuantiser, qUnit: AdcQuantiser): PackedLayout | null {
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
export function addRows(sums: Float64Array, rowsP: Float64Array, rows: Int32Array, m: number, W: number, sign: number): void {
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
export function unpackConvert(sums: Float64Array, cols: number, lay: PackedLayout, wk: number, table: Float64Array, digital: Float64Array): void {
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

/**
 * The packed path's copy of the weights, stored as given (one bulk typed-array copy; 16-bit when
 * weightBits ≤ 16, two's complement for negative weights): the cell value u of a weight is
 * (stored + lay.storedHalf) & lay.storedMask (bias: w + 2^(b−1); none: w), or, differential, the
 * signed w itself.
 */
export type StoredWeights = Int32Array | Int16Array | Uint16Array;

/** Packs the stored weights st[so … so + cols) into dst[o …]: wordsPerWeight words per weight. */
export function packRow(st: StoredWeights, so: number, cols: number, lay: PackedLayout, differential: boolean, dst: Float64Array, o: number): void {
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
