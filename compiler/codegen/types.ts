// What code generation produces (compiler/codegen/codegen.ts): the programs, the crossbar images,
// the constants, and the host's input and output plan. Apart from the generator so that its
// emitters (compiler/codegen/emit/) can name these types without importing the driver.

/** A tensor as stored: HWC with a zero frame of `pad` pixels. */
export interface StoreGeometry {
  c: number;
  h: number;
  w: number;
  pad: number;
}

/** A run of a stored tensor on one tile: elements [start, start + length) of the padded HWC array. */
export interface StoreRun {
  tile: number;
  addr: number;
  start: number;
  length: number;
  /** loads the elements are valid for */
  consumers: number;
}

export interface CrossbarImage {
  tile: number;
  /** MVM unit index within the tile */
  mvmu: number;
  layer: string;
  rowBlock: number;
  colBlock: number;
  replica: number;
  /** rows × cols, row-major (rows = the crossbar's rows; unused rows are 0) */
  rows: number;
  cols: number;
  weights: Int32Array;
  /** crossbar row r holds the weights of reference row refRows[r] (−1: unused); for calibration, not stored in a bundle */
  refRows?: Int32Array;
  /** the largest analog data-column value on the calibration set (adc-calibration.ts), when calibrated */
  adcPeak?: number;
  /** packed units: the block's first logical column in the unit and its entry in the unit's block table (run by `mvmb`); absent: the unit holds this block alone */
  packed?: { colOffset: number; slot: number; rowCount: number };
}

export interface CoreProgram {
  tile: number;
  core: number;
  asm: string;
  instructions: number;
}

export interface CodegenResult {
  programs: CoreProgram[];
  images: CrossbarImage[];
  /** written once before the first inference, never consumed (zero frames, biases) */
  constants: Array<{ tile: number; addr: number; values: Int32Array }>;
  input: { tensor: string; geometry: StoreGeometry; runs: StoreRun[] };
  output: { tensor: string; geometry: StoreGeometry; runs: StoreRun[]; excluded: string[] };
  /** shared-memory elements used per tile */
  memoryUsed: number[];
}
