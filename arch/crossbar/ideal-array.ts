// The ideal device behind the AnalogArray contract: cells hold their integer levels exactly, reads
// are noiseless and free of IR drop, so a column's output is the exact integer Σ_r input[r]·level.
// Fast path for the MVMU's `ideal` fidelity: levels in a row-major typed array (16-bit integers up to
// 16-bit cells: a quarter of the memory of doubles, the same exact values), rows whose input is
// zero skipped (half the rows of a bit-serial step on average), no allocation per read. Every
// partial sum is an integer below 2^53, so the doubles are exact. The level block is allocated at
// the first program (an array never programmed reads zeros): a chip builds thousands of arrays,
// and the MVMU's packed ideal path (mvmu/datapath/packed-path.ts) keeps the weights itself and
// never programs them.

import { RramsimError } from "../../sim/errors";
import type { AnalogArray } from "./analog-array";

const NO_ROWS = new Int32Array(0);

export class IdealArray implements AnalogArray {
  readonly rows: number;
  readonly cols: number;
  readonly cellBits: number;
  /** null until the first program */
  private levels: Uint16Array | Float64Array | null = null;
  /** readColumns: offsets of the rows driven at 1 (allocated with the levels) */
  private onesRows: Int32Array = NO_ROWS;

  constructor(rows: number, cols: number, cellBits: number) {
    this.rows = rows;
    this.cols = cols;
    this.cellBits = cellBits;
  }

  program(levels: ArrayLike<number>): void {
    const n = this.rows * this.cols;
    if (levels.length !== n) {
      throw new RramsimError("SIM_STATE", `ideal array: ${levels.length} levels for a ${this.rows}×${this.cols} array`);
    }
    const max = 2 ** this.cellBits - 1;
    if (levels instanceof Uint16Array && this.cellBits <= 16) {
      // 16-bit integers are whole and non-negative: only the top needs checking, then one block copy
      for (let i = 0; i < n; i++) {
        if (levels[i] > max) throw new RramsimError("SIM_STATE", `ideal array: level ${levels[i]} at cell ${i} is outside 0 … ${max}`);
      }
      this.store().set(levels);
      return;
    }
    for (let i = 0; i < n; i++) {
      const v = levels[i];
      if (!Number.isInteger(v) || v < 0 || v > max) {
        throw new RramsimError("SIM_STATE", `ideal array: level ${v} at cell ${i} is outside 0 … ${max}`);
      }
    }
    const store = this.store();
    for (let i = 0; i < n; i++) store[i] = levels[i];
  }

  /** The level block, allocated on first use. */
  private store(): Uint16Array | Float64Array {
    if (this.levels === null) {
      const n = this.rows * this.cols;
      this.levels = this.cellBits <= 16 ? new Uint16Array(n) : new Float64Array(n);
      this.onesRows = new Int32Array(this.rows);
    }
    return this.levels;
  }

  /**
   * out[c] = Σ_r x[r]·level[r][c] for any integers x (not only DAC levels): the exact column dot
   * products the MVMU's lossless shortcut uses (mvmu/datapath/lossless-path.ts).
   */
  dotColumns(x: Float64Array, out: Float64Array): void {
    this.readColumns(x, out);
  }

  readColumns(input: Float64Array, out: Float64Array): void {
    const C = this.cols;
    const L = this.levels;
    out.fill(0, 0, C);
    if (L === null) return;
    // rows driven at 1 (every driven row of a 1-bit DAC) are summed four at a time; the sums are
    // integers below 2^53, so the order of the additions does not change them
    const ones = this.onesRows;
    let n1 = 0;
    for (let r = 0; r < this.rows; r++) {
      const a = input[r];
      if (a === 0) continue;
      const base = r * C;
      if (a === 1) ones[n1++] = base;
      else for (let c = 0; c < C; c++) out[c] += a * L[base + c];
    }
    let i = 0;
    for (; i + 4 <= n1; i += 4) {
      const b0 = ones[i];
      const b1 = ones[i + 1];
      const b2 = ones[i + 2];
      const b3 = ones[i + 3];
      for (let c = 0; c < C; c++) out[c] += L[b0 + c] + L[b1 + c] + L[b2 + c] + L[b3 + c];
    }
    for (; i < n1; i++) {
      const b = ones[i];
      for (let c = 0; c < C; c++) out[c] += L[b + c];
    }
  }
}
