// The MVMU's lossless shortcut, for ideal arrays and an ADC that converts every value its range
// can hold exactly (step 1, no clipping: DatapathPlan.lossless). Then ADC(v) = v, so the
// shift-added column D_c = Σ_k sign_k·2^shift_k·S_c,k equals the column's integer dot product
// Σ_r x_r·level_r,c: one read with the whole inputs (IdealArray.dotColumns) replaces the input
// steps (16× less work for 16-bit bit-serial inputs). Flips, slices, the unit column and the
// differential pairs are still combined from the columns (DatapathColumns.combine). The same
// integers as the array path; the tests run both. Left out: any other device or ADC (the array or
// packed path runs). This path's converted values are its own, not the workspace's scratch: each
// crossbar's dot products land in a view of them.

import type { IdealArray } from "../../crossbar/ideal-array";
import type { DatapathColumns } from "./columns";
import { LevelPath } from "./levels";
import type { DatapathWorkspace } from "./workspace";

export class LosslessPath extends LevelPath<IdealArray> {
  readonly kind = "lossless" as const;
  /** one view of the columns' converted values per crossbar */
  private readonly digitalViews: Float64Array[];

  /**
   * inBuf: the whole inputs per row. `dc` must own its converted values (DatapathColumns built with
   * a fresh array, not scratch).
   */
  constructor(dc: DatapathColumns, arrays: readonly IdealArray[], ws: DatapathWorkspace) {
    super(dc, arrays, ws, new Float64Array(dc.g.rows));
    const pc = dc.g.physColsPerCrossbar;
    this.digitalViews = arrays.map((_, x) => dc.digital.subarray(x * pc, (x + 1) * pc));
  }

  run(input: ArrayLike<number>, inputSum: number, out: Float64Array): void {
    const dc = this.dc;
    const inBuf = this.inBuf;
    for (let r = 0; r < dc.rowsUsed; r++) inBuf[r] = input[r];
    for (let x = 0; x < dc.xbarsUsed; x++) this.arrays[x].dotColumns(inBuf, this.digitalViews[x]);
    dc.combine(inputSum, out);
  }
}
