// The MVMU's packed ideal path, for ideal arrays and a lossy ADC (PUMA: 8-bit ADC, step 2): every
// step's column sums must be converted, but they need not come from per-cell levels. The datapath
// keeps the integer weights (16-bit when they fit; not the 8× larger level block: the IdealArrays
// stay unprogrammed), builds the packed rows of the driven inputs per vector (packed-layout.ts),
// sums them per step, unpacks the fields and converts each S exactly as a read would give it. A
// flipped column's sum is L·Σdigit − S (rows past the programmed ones are driven at 0); the analog
// unit column's is Σdigit. Every value is the same integer, so the outputs are bit-identical to the
// array path's. Two exact shortcuts within it: a step that drives no row adds ±0 and is skipped,
// and a 1-bit step that drives most rows is summed as all driven rows less those it leaves at 0 (a
// subset, so no field borrows). Left out: weights or inputs wider than 31 bits (the array path
// runs). Hot loop: the stored weights and flip flags are carved from the workspace's slabs once
// per program, the packed rows, sums and row lists are the workspace's scratch (run being
// synchronous); no allocation per step or per vector.

import { RramsimError } from "../../../sim/errors";
import { adcConvert } from "../adc";
import { mvmuWeightRange } from "../encoding";
import type { DatapathColumns } from "./columns";
import { addRows, packRow, unpackConvert, type PackedLayout, type StoredWeights } from "./packed-layout";
import type { DatapathPath } from "./path";
import type { DatapathWorkspace } from "./workspace";

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

export class PackedPath implements DatapathPath {
  readonly kind = "packed" as const;
  private readonly dc: DatapathColumns;
  private readonly lay: PackedLayout;
  private readonly ws: DatapathWorkspace;
  /** the stored weights (w + bias, or w when differential), programmed rows × cols */
  private stored: StoredWeights = new Int32Array(0);

  constructor(dc: DatapathColumns, lay: PackedLayout, ws: DatapathWorkspace) {
    this.dc = dc;
    this.lay = lay;
    this.ws = ws;
  }

  /** Weights checked and kept, flips decided from packed column sums. */
  program(weights: ArrayLike<number>, rows: number, cols: number): void {
    const { p, g } = this.dc;
    const lay = this.lay;
    const { min, max } = mvmuWeightRange(p);
    const scheme = p.encoding.signedWeights;
    const n = rows * cols;
    // 16-bit storage when the stored values fit (a quarter of the cells' 8 levels, half of Int32)
    const narrow = p.precision.weightBits <= 16;
    const want = !narrow ? "i32" : scheme === "differential" ? "i16" : "u16";
    const have = this.stored instanceof Int32Array ? "i32" : this.stored instanceof Int16Array ? "i16" : "u16";
    if (this.stored.length < n || have !== want) this.stored = this.ws.carveWeights(want, n);
    const st = this.stored;
    const bad = weights instanceof Int32Array ? firstOutOfRangeInt32(weights, n, min, max) : firstOutOfRange(weights, n, min, max);
    if (bad >= 0) {
      throw new RramsimError("INPUT_FILE", `mvmu: weight [${Math.floor(bad / cols)}][${bad % cols}] = ${weights[bad]} is outside ${min} … ${max} (precision.weightBits ${p.precision.weightBits}, signedWeights ${scheme})`);
    }
    st.set(weights);
    const flipped = this.dc.flipped;
    flipped.fill(0);
    if (p.encoding.flip) {
      // column level sums (≤ rows·L, held by a field) from the packed rows, summed word by word
      const L = 2 ** p.crossbar.cellBits - 1;
      const W = cols * lay.wordsPerWeight;
      const buf = this.ws.scratch("packedRows", 2 * W);
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
            if (2 * (a - hi * lay.base) > R * L) flipped[lay.colIndex[gc]] = 1;
            a = hi;
          }
        }
      }
    }
  }

  /** The same conversions as reading the arrays step by step. */
  run(input: ArrayLike<number>, inputSum: number, out: Float64Array): void {
    const dc = this.dc;
    const { p, g } = dc;
    const lay = this.lay;
    const ws = this.ws;
    const n = dc.rowsUsed;
    const cols = dc.colsUsed;
    const W = cols * lay.wordsPerWeight;
    const bits = p.precision.inputBits;
    const differential = p.encoding.signedWeights === "differential";
    ws.ensurePackedRowLists(n, g.rows);
    // only rows with a nonzero input are ever driven: pack just those, one row of W words each
    const driven = ws.packedDriven;
    const rowsP = ws.scratch("packedRows", n * W);
    let nd = 0;
    for (let r = 0; r < n; r++) {
      const v = input[r];
      if (v === 0) continue;
      driven[nd] = v < 0 ? v + 2 ** bits : v;
      packRow(this.stored, r * cols, cols, lay, differential, rowsP, nd * W);
      nd++;
    }
    const sums = ws.scratch("packedSums", W);
    const total = ws.scratch("packedTotal", W);
    let totalReady = false;
    const ones = ws.packedOnes;
    const zeros = ws.packedZeros;
    const allRows = ws.packedAll;
    const pc = g.physColsPerCrossbar;
    const C = p.crossbar.cols;
    const acc = p.adc.accumulateSteps;
    const nx = dc.xbarsUsed;
    const digital = dc.digital;
    const analogAcc = dc.analogAcc;
    const table = lay.adcTable;
    const unit = g.unitColsPerCrossbar > 0;
    // the common case: no flips, no unit column (digital index = column index), converted by table
    const plain = table !== null && !p.encoding.flip && pc === C;
    for (let k = 0; k < g.steps.length; k++) {
      const step = g.steps[k];
      const wk = dc.stepWeight[k];
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
      else this.unpackGeneral(sums, wk, D);
      if (unit) {
        // the unit column's cells are all 1: its sum is D
        const u = acc ? wk * D : wk * adcConvert(D, dc.qUnit);
        for (let x = 0; x < nx; x++) {
          if (acc) analogAcc[x * pc + C] += u;
          else digital[x * pc + C] += u;
        }
      }
    }
    dc.finish(inputSum, out);
  }

  /** Unpacking with flips, accumulation or conversion without a table. */
  private unpackGeneral(sums: Float64Array, wk: number, D: number): void {
    const dc = this.dc;
    const lay = this.lay;
    const L = 2 ** dc.p.crossbar.cellBits - 1;
    const acc = dc.p.adc.accumulateSteps;
    const { fields, base, invBase, wordsPerWeight, adcTable } = lay;
    let gc = 0;
    let w = 0;
    for (let j = 0; j < dc.colsUsed; j++) {
      for (let q = 0; q < wordsPerWeight; q++, w++) {
        let a = sums[w];
        for (let f = 0; f < fields[q]; f++, gc++) {
          const hi = Math.floor(a * invBase);
          let v = a - hi * base;
          a = hi;
          const i = lay.colIndex[gc];
          if (dc.flipped[i] !== 0) v = L * D - v;
          if (acc) dc.analogAcc[i] += wk * v;
          else dc.digital[i] += wk * (adcTable !== null ? adcTable[v] : adcConvert(v, dc.qData));
        }
      }
    }
  }
}
