// The MVMU's value path: program an integer weight block into the crossbars under the weight
// encoding, then stream integer input vectors through DAC steps, column reads (AnalogArray),
// sample-and-hold, ADC conversion and shift-and-add (encoding.ts, adc.ts). Pure with respect to
// time: the timed component (mvmu.ts) decides when; this decides what.
//
// With an ideal device and ADC bits ≥ adcBitsLossless, every value is an exact integer and the
// result equals the exact integer product; the only loss elsewhere is the ADC's (or the device's).
// MvmuDatapath checks the block's shape and each input vector, and leaves the values to one of four
// paths (datapath/path.ts), picked once when it is built (`choosePath`):
//   lossless  ideal arrays, an ADC exact over its range: one column dot product per vector
//             (datapath/lossless-path.ts);
//   packed    ideal arrays, a lossy ADC: packed integer weights, the same conversions
//             (datapath/packed-path.ts, packed-layout.ts);
//   combined  accumulate mode on linear physical arrays: one combined read per conversion, equal
//             in distribution (datapath/combined-path.ts);
//   array     anything else: the arrays read step by step (datapath/array-path.ts).
// All end in the same combination of the physical columns (datapath/columns.ts). Their shared
// buffers are a DatapathWorkspace (datapath/workspace.ts), passed in by whoever builds the MVM
// units; a datapath built without one makes its own.

import { RramsimError } from "../../sim/errors";
import type { AnalogArray } from "../crossbar/analog-array";
import { IdealArray } from "../crossbar/ideal-array";
import { PhysicalArray } from "../crossbar/physical-array";
import { ArrayPath } from "./datapath/array-path";
import { DatapathColumns } from "./datapath/columns";
import { CombinedPath } from "./datapath/combined-path";
import { LosslessPath } from "./datapath/lossless-path";
import { packedLayout, type PackedLayout } from "./datapath/packed-layout";
import { PackedPath } from "./datapath/packed-path";
import type { DatapathPath } from "./datapath/path";
import { datapathPlan, type DatapathPlan } from "./datapath/plan";
import { DatapathWorkspace } from "./datapath/workspace";
import { mvmuInputRange, type MvmuGeometryInfo } from "./encoding";
import type { MvmuParams } from "./params";

export { DatapathWorkspace } from "./datapath/workspace";
export type { DatapathPath, DatapathPathKind } from "./datapath/path";

export interface MvmuDatapathOptions {
  /** allow the lossless shortcut (default true; the tests turn it off to compare) */
  shortcut?: boolean;
  /** allow combined reads (default true) */
  combineSteps?: boolean;
  /** allow the packed ideal path (default true) */
  packed?: boolean;
  /** the buffers shared with the other MVM units built together; a fresh one when absent */
  workspace?: DatapathWorkspace;
}

type PathChoice = { kind: "lossless"; arrays: IdealArray[] } | { kind: "packed"; layout: PackedLayout } | { kind: "combined"; arrays: PhysicalArray[] } | { kind: "array" };

/**
 * The rule, in order: every array ideal and the ADC exact over its range (plan.lossless) →
 * lossless; every array ideal and a packed layout fits → packed; accumulate mode and every array
 * physical with a linear read → combined; otherwise → array. `opts` can rule out the first three.
 */
function choosePath(p: MvmuParams, plan: DatapathPlan, arrays: readonly AnalogArray[], opts: MvmuDatapathOptions): PathChoice {
  let ideal = true;
  let linear = true;
  for (const a of arrays) {
    if (!(a instanceof IdealArray)) ideal = false;
    if (!(a instanceof PhysicalArray && a.linearRead)) linear = false;
  }
  if (ideal && (opts.shortcut ?? true) && plan.lossless) return { kind: "lossless", arrays: arrays as IdealArray[] };
  if (ideal && (opts.packed ?? true)) {
    const layout = packedLayout(p, plan.g, plan.qData, plan.qUnit);
    if (layout !== null) return { kind: "packed", layout };
  }
  if (linear && (opts.combineSteps ?? true) && p.adc.accumulateSteps) return { kind: "combined", arrays: arrays as PhysicalArray[] };
  return { kind: "array" };
}

function makePath(choice: PathChoice, dc: DatapathColumns, arrays: readonly AnalogArray[], ws: DatapathWorkspace): DatapathPath {
  switch (choice.kind) {
    case "lossless":
      return new LosslessPath(dc, choice.arrays, ws);
    case "packed":
      return new PackedPath(dc, choice.layout, ws);
    case "combined":
      return new CombinedPath(dc, choice.arrays, ws);
    case "array":
      return new ArrayPath(dc, arrays, ws);
  }
}

export class MvmuDatapath {
  readonly p: MvmuParams;
  readonly g: MvmuGeometryInfo;
  readonly arrays: readonly AnalogArray[];
  /** the value path, chosen at construction */
  readonly path: DatapathPath;
  /** ideal arrays and a lossless ADC: column dot products replace the input steps */
  readonly shortcut: readonly IdealArray[] | null;
  /**
   * accumulate mode on linear physical arrays: the steps of one conversion are read as one combined
   * input (PhysicalArray.readColumnsCombined; equal in distribution, not in draws)
   */
  readonly combined: readonly PhysicalArray[] | null;
  private readonly columns: DatapathColumns;

  constructor(p: MvmuParams, arrays: readonly AnalogArray[], opts: MvmuDatapathOptions = {}) {
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
    const ws = opts.workspace ?? new DatapathWorkspace();
    const choice = choosePath(p, plan, arrays, opts);
    // the converted values and analog sums are the workspace's per-vector scratch (run is
    // synchronous and refills them first), except the lossless path's (its dot products land in
    // views of its own)
    const n = p.crossbars * g.physColsPerCrossbar;
    const flipped = ws.carveFlags(n);
    const digital = choice.kind === "lossless" ? new Float64Array(n) : ws.scratch("digital", n);
    const analogAcc = p.adc.accumulateSteps ? ws.scratch("analog", n) : new Float64Array(0);
    const dc = new DatapathColumns(p, plan, flipped, digital, analogAcc);
    this.columns = dc;
    this.path = makePath(choice, dc, arrays, ws);
    this.shortcut = choice.kind === "lossless" ? choice.arrays : null;
    this.combined = choice.kind === "combined" ? choice.arrays : null;
  }

  /** true when the packed ideal path computes the values (ideal arrays, lossy ADC) */
  get usesPackedPath(): boolean {
    return this.path.kind === "packed";
  }

  get programmedRows(): number {
    return this.columns.rowsUsed;
  }

  get programmedCols(): number {
    return this.columns.colsUsed;
  }

  /** Programs a rows × cols integer block (row-major; row r = input r) under the encoding. */
  program(weights: ArrayLike<number>, rows: number, cols: number): void {
    const g = this.g;
    if (rows < 1 || rows > g.rows || cols < 1 || cols > g.logicalCols || weights.length !== rows * cols) {
      throw new RramsimError("INPUT_FILE", `mvmu: a ${rows}×${cols} weight block does not fit ${g.rows} rows × ${g.logicalCols} logical columns`);
    }
    this.path.program(weights, rows, cols);
    this.columns.programmed(rows, cols);
  }

  /** One input vector (integers in the input range, length = programmed rows) → out[0 … cols). */
  run(input: ArrayLike<number>, out: Float64Array): void {
    const p = this.p;
    const dc = this.columns;
    if (dc.colsUsed === 0) throw new RramsimError("SIM_STATE", "mvmu: run before program");
    if (input.length !== dc.rowsUsed) throw new RramsimError("INPUT_FILE", `mvmu: input vector of ${input.length} for ${dc.rowsUsed} programmed rows`);
    const { min, max } = mvmuInputRange(p);
    let inputSum = 0;
    for (let r = 0; r < dc.rowsUsed; r++) {
      const v = input[r];
      if (!Number.isInteger(v) || v < min || v > max) {
        throw new RramsimError("INPUT_FILE", `mvmu: input [${r}] = ${v} is outside ${min} … ${max} (precision.inputBits ${p.precision.inputBits}, signedInputs ${p.encoding.signedInputs})`);
      }
      inputSum += v;
    }
    dc.clear();
    this.path.run(input, inputSum, out);
  }
}
