// The role every MVMU value path plays (array, lossless, packed, combined), and the names of the
// four. The datapath (../datapath.ts) picks one when it is built and calls only it afterwards.

/**
 * One way of computing an MVMU datapath's values. `program(weights, rows, cols)` receives a
 * row-major block whose shape the datapath has already checked (1 ≤ rows ≤ crossbar rows, 1 ≤ cols
 * ≤ logical columns, rows·cols weights); it checks each weight against the encoding's range (an
 * INPUT_FILE error naming the weight), keeps what its runs need (the arrays' levels, or the weights
 * themselves) and sets the flip flags of its DatapathColumns; the datapath records the extent after
 * it returns. `run(input, inputSum, out)` receives an input vector already checked (integers in
 * range, one per programmed row) with its sum, and the columns' converted values (and analog sums)
 * already zeroed; it fills the physical columns and ends with DatapathColumns.finish or combine,
 * writing one integer per programmed logical column to out[0 … cols). Every path gives the
 * integers reading the arrays step by step gives, draw for draw, except `combined`, which is equal
 * in distribution (fewer, different draws from each array's stream). Both calls are synchronous
 * (workspace scratch is valid only within one call), and `run` allocates nothing.
 */
export interface DatapathPath {
  readonly kind: DatapathPathKind;
  program(weights: ArrayLike<number>, rows: number, cols: number): void;
  run(input: ArrayLike<number>, inputSum: number, out: Float64Array): void;
}

/**
 * array: reads the AnalogArrays step by step (any device); lossless: ideal arrays and an exact ADC,
 * one column dot product per vector; packed: ideal arrays and a lossy ADC, packed integer weights;
 * combined: accumulate mode on linear physical arrays, one combined read per conversion.
 */
export type DatapathPathKind = "array" | "lossless" | "packed" | "combined";
