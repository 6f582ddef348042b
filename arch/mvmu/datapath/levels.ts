// Programming a weight block into the crossbars as cell levels, for the value paths that read the
// arrays (array, lossless, combined). Each weight's cell value u (w + 2^(weightBits−1) under the
// bias encoding, w when unsigned, max(±w, 0) for the two parts of a differential pair) is cut into
// slices of cellBits bits, slice s in slice column s of the weight; the analog unit column's cells
// are 1; with `flip`, a column whose level sum exceeds half its maximum (R·L/2) is stored as L −
// level and flagged. Slices are peeled off by shift and mask into one level block for all
// crossbars (the workspace's, shared: the arrays copy what they are given), with precomputed
// column offsets. LevelPath is the part the array, lossless and combined paths share. Left out:
// the write itself (AnalogArray.program: ideal copy, or programming noise drawn from a physical
// array's stream, in crossbar order).

import { RramsimError } from "../../../sim/errors";
import type { AnalogArray } from "../../crossbar/analog-array";
import { mvmuWeightRange, type MvmuGeometryInfo } from "../encoding";
import type { MvmuParams } from "../params";
import type { DatapathColumns } from "./columns";
import type { DatapathPath, DatapathPathKind } from "./path";
import type { DatapathWorkspace } from "./workspace";

/** Slices of 0 ≤ u < 2^31 by shift and mask into all[colOff[col0 + s] + rowOff]. */
function putSlicesBits(all: Uint16Array, colOff: Int32Array, col0: number, rowOff: number, u: number, slices: number, cb: number, mask: number): void {
  let v = u;
  for (let s = 0; s < slices; s++) {
    all[colOff[col0 + s] + rowOff] = v & mask;
    v >>>= cb;
  }
}

/** Programs a rows × cols integer block (row-major; row r = input r, shape checked) into the arrays; sets dc's flip flags. */
export function programArrayLevels(dc: DatapathColumns, arrays: readonly AnalogArray[], ws: DatapathWorkspace, weights: ArrayLike<number>, rows: number, cols: number): void {
  const { p, g } = dc;
  const R = g.rows;
  const pc = g.physColsPerCrossbar;
  const all = ws.levelBlock(p.crossbars * R * pc);
  cellLevels(p, g, weights, rows, cols, all, dc.flipped);
  arrays.forEach((a, x) => a.program(all.subarray(x * R * pc, (x + 1) * R * pc)));
}

/**
 * The cell levels of a rows × cols integer block under the encoding, into `all` (crossbar x, row
 * r, physical column c at x·R·pc + r·pc + c; every cell written); sets `flipped` (one flag per
 * physical column) when the encoding flips.
 */
export function cellLevels(p: MvmuParams, g: MvmuGeometryInfo, weights: ArrayLike<number>, rows: number, cols: number, all: Uint16Array, flipped: Uint8Array): void {
  const { min, max } = mvmuWeightRange(p);
  const cb = p.crossbar.cellBits;
  const L = 2 ** cb - 1;
  const base = 2 ** cb;
  const C = p.crossbar.cols;
  const pc = g.physColsPerCrossbar;
  const R = g.rows;
  const cpw = g.colsPerWeight;
  const slices = g.slices;
  // colOff[globalCol] = x·R·pc + (globalCol mod C)
  all.fill(0);
  const levels = Array.from({ length: p.crossbars }, (_, x) => all.subarray(x * R * pc, (x + 1) * R * pc));
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
  flipped.fill(0);
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
      flipped[x * pc + c] = 1;
      for (let r = 0; r < R; r++) lv[r * pc + c] = L - lv[r * pc + c];
    }
  }
}

/** A value path whose weights are the arrays' cell levels (array, lossless, combined); run is its own. */
export abstract class LevelPath<A extends AnalogArray> implements DatapathPath {
  abstract readonly kind: DatapathPathKind;
  protected readonly dc: DatapathColumns;
  readonly arrays: readonly A[];
  protected readonly ws: DatapathWorkspace;
  /**
   * what the path drives on the rows (empty if it drives none of its own); cleared at each program,
   * because a smaller block leaves rows undriven that a bigger one drove
   */
  protected readonly inBuf: Float64Array;

  constructor(dc: DatapathColumns, arrays: readonly A[], ws: DatapathWorkspace, inBuf: Float64Array) {
    this.dc = dc;
    this.arrays = arrays;
    this.ws = ws;
    this.inBuf = inBuf;
  }

  program(weights: ArrayLike<number>, rows: number, cols: number): void {
    programArrayLevels(this.dc, this.arrays, this.ws, weights, rows, cols);
    this.inBuf.fill(0);
  }

  abstract run(input: ArrayLike<number>, inputSum: number, out: Float64Array): void;
}
