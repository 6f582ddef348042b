// The contract between the device-physics kernel and the analog MVM unit. An analog array holds
// integer cell levels (what the compiler's crossbar image asks for) and, for one input step,
// returns each column's analog partial sum in units of (cell level × input level): with an ideal
// device and no IR drop, out[c] = Σ_r input[r] · level[r][c] exactly. A physical array returns the
// same quantity as the periphery would sense it — programmed, drifted, noisy, with IR drop — still
// in those units, so the ADC model downstream is the same for every device.

export interface AnalogArray {
  readonly rows: number;
  readonly cols: number;
  /** bits per cell: levels run 0 … 2^cellBits − 1 */
  readonly cellBits: number;
  /**
   * Programs the array. `levels` is row-major, rows × cols, each an integer in [0, 2^cellBits − 1].
   * Physical arrays draw programming noise here from their own seeded stream.
   */
  program(levels: ArrayLike<number>): void;
  /**
   * One read of all columns: `input[r]` is the integer DAC level driven on row r (0 … 2^dacBits − 1),
   * `out[c]` receives the analog column sum in level × input units. Must not allocate.
   */
  readColumns(input: Float64Array, out: Float64Array): void;
}
