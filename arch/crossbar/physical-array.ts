// A crossbar array with real device physics behind the AnalogArray contract. Level L of a cell with
// cellBits bits targets G = gMin + L·ΔG, ΔG = (gMax − gMin)/(2^cellBits − 1); `program` draws the
// device's program-and-verify noise, the per-cell variation and faults, then the state at the read
// time (a fresh draw at that age). `readColumns` senses the column currents and converts them back
// to level × input units with the *nominal* ΔG and gMin (the gMin·Σx offset is subtracted in
// digital, as a reference column would), so the downstream ADC model is device-independent.
//
// Read path, per input step: optional I-V nonlinearity on the drives, the column sums (or the exact
// nodal solution of the wires), the linearised IR drop if asked, optional global drift compensation
// (gain Σ programmed levels / Σ levels now, aihwkit's global compensation read on all cells), and
// per-read noise added output-referred: a cell's read noise is N(0, σ²) independent per cell and
// per read, so a column's sum of it is exactly N(0, σ²·Σ x_r²), one normal per column.
// Left out: the access transistor, sense-amplifier offsets, noise that depends on the cell's state
// at read time (no model here has it).

import type { RandomStream } from "../../sim/random";
import { RramsimError } from "../../sim/errors";
import type { AnalogArray } from "./analog-array";
import type { DeviceModel } from "../device/device-model";
import { createDeviceModel } from "../device/device-factory";
import type { DeviceConfig } from "../device/device-config";
import { CellVariation, ivTransfer } from "../device/cell-variation";
import { linearIrGain, linearIrProfile, NodalIrSolver, type IrDropModel } from "./ir-drop";

export interface PhysicalArrayOptions {
  /** a validated device config (loadDevice) */
  device: DeviceConfig;
  rows: number;
  cols: number;
  cellBits: number;
  /** the crossbar's own seeded stream (sim/random.ts) */
  stream: RandomStream;
  /** read time after programming, default 1 s */
  timeS?: number;
  irDrop?: IrDropModel;
  driftCompensation?: boolean;
  /** the largest input level driven on a row (full-scale drive), for IR drop and I-V nonlinearity; default 1 (binary inputs) */
  inputFullScale?: number;
}

export class PhysicalArray implements AnalogArray {
  readonly rows: number;
  readonly cols: number;
  readonly cellBits: number;
  readonly device: DeviceConfig;
  readonly model: DeviceModel;
  readonly irDrop: IrDropModel;
  readonly driftCompensation: boolean;
  readonly levelSpacingUs: number;
  readonly inputFullScale: number;
  private timeSValue: number;
  private readonly stream: RandomStream;
  /** levels as programmed (rows × cols) */
  private readonly levels: Float64Array;
  private readonly targetUs: Float64Array;
  private readonly programmedUs: Float64Array;
  /** conductances at the read time, µS */
  readonly gUs: Float64Array;
  /** effective levels at the read time: L + (G − G_target)/ΔG */
  private readonly weff: Float64Array;
  private variation: CellVariation | null = null;
  private compensation = 1;
  private programmed = false;
  private readonly iv: ((v: number) => number) | null;
  private readonly drive: Float64Array;
  private readonly current: Float64Array;
  private readonly acc: Float64Array;
  private readonly profile: Float64Array;
  /** scratch: the rows a read drives (x[r] ≠ 0), ascending */
  private readonly driven: Int32Array;
  private solver: NodalIrSolver | null = null;

  constructor(o: PhysicalArrayOptions) {
    if (!(Number.isInteger(o.rows) && o.rows > 0 && Number.isInteger(o.cols) && o.cols > 0)) throw new RangeError(`array size must be positive integers (got ${o.rows}×${o.cols})`);
    if (!(Number.isInteger(o.cellBits) && o.cellBits >= 1 && o.cellBits <= 16)) throw new RangeError(`cellBits must be an integer in [1, 16] (got ${o.cellBits})`);
    this.rows = o.rows;
    this.cols = o.cols;
    this.cellBits = o.cellBits;
    this.device = o.device;
    this.model = createDeviceModel(o.device);
    this.irDrop = o.irDrop ?? "off";
    this.driftCompensation = o.driftCompensation ?? false;
    this.timeSValue = o.timeS ?? 1;
    this.stream = o.stream;
    this.inputFullScale = o.inputFullScale ?? 1;
    this.levelSpacingUs = (o.device.gMax - o.device.gMin) / (2 ** o.cellBits - 1);
    const n = o.rows * o.cols;
    this.levels = new Float64Array(n);
    this.targetUs = new Float64Array(n);
    this.programmedUs = new Float64Array(n);
    this.gUs = new Float64Array(n);
    this.weff = new Float64Array(n);
    this.iv = o.device.ivNonlinearity ? ivTransfer(o.device) : null;
    this.drive = new Float64Array(o.rows);
    this.current = new Float64Array(o.cols);
    this.acc = new Float64Array(o.cols);
    this.profile = linearIrProfile(o.rows);
    this.driven = new Int32Array(o.rows);
    if (this.irDrop === "nodal" && !(o.device.wire.segmentResistance > 0)) {
      throw new RramsimError("CONFIG_RANGE", "nodal IR drop needs device wire.segmentResistance > 0");
    }
  }

  get timeS(): number {
    return this.timeSValue;
  }

  program(levels: ArrayLike<number>): void {
    const n = this.rows * this.cols;
    if (levels.length !== n) throw new RangeError(`program: expected ${n} levels, got ${levels.length}`);
    const top = 2 ** this.cellBits - 1;
    const { gMin } = this.device;
    for (let i = 0; i < n; i++) {
      const L = levels[i];
      if (!(Number.isInteger(L) && L >= 0 && L <= top)) throw new RangeError(`program: level ${L} at cell ${i} is not an integer in [0, ${top}]`);
      this.levels[i] = L;
      this.targetUs[i] = gMin + L * this.levelSpacingUs;
    }
    this.model.program(this.targetUs, this.programmedUs, this.stream);
    this.variation = new CellVariation(this.device, n, this.stream);
    this.programmed = true;
    this.age(this.timeSValue);
  }

  /** Redraws the array's state at `timeS` after programming (a fresh draw from that age's distribution). */
  age(timeS: number): void {
    if (!this.programmed) throw new RramsimError("SIM_STATE", "physical array: age() before program()");
    if (!(timeS >= 0 && Number.isFinite(timeS))) throw new RangeError(`read time must be ≥ 0 s (got ${timeS})`);
    this.timeSValue = timeS;
    const n = this.rows * this.cols;
    this.model.atAge(this.targetUs, this.programmedUs, timeS, this.gUs, this.stream);
    this.variation?.apply(this.gUs);
    const dG = this.levelSpacingUs;
    let sumNow = 0;
    for (let i = 0; i < n; i++) {
      const d = this.gUs[i] - this.targetUs[i];
      this.weff[i] = d === 0 ? this.levels[i] : this.levels[i] + d / dG;
      sumNow += this.weff[i];
    }
    this.compensation = 1;
    if (this.driftCompensation) {
      // baseline: the programmed state (with the same per-cell variation), read right after programming
      const base = Float64Array.from(this.programmedUs);
      this.variation?.apply(base);
      let sumBase = 0;
      for (let i = 0; i < n; i++) sumBase += (base[i] - this.device.gMin) / dG;
      if (sumNow !== 0) this.compensation = sumBase / sumNow;
    }
    this.solver = this.irDrop === "nodal" ? new NodalIrSolver(this.gUs, this.rows, this.cols, this.device.wire.segmentResistance) : null;
  }

  /** Effective levels (rows × cols) at the read time, before read noise and IR drop. */
  effectiveLevels(): Float64Array {
    return Float64Array.from(this.weff);
  }

  readColumns(input: Float64Array, out: Float64Array): void {
    if (!this.programmed) throw new RramsimError("SIM_STATE", "physical array: readColumns() before program()");
    const R = this.rows;
    const C = this.cols;
    let x: Float64Array = input;
    if (this.iv) {
      const fs = this.inputFullScale;
      for (let r = 0; r < R; r++) this.drive[r] = fs * this.iv(input[r] / fs);
      x = this.drive;
    }
    let sumX = 0;
    let sumX2 = 0;
    for (let r = 0; r < R; r++) {
      sumX += x[r];
      sumX2 += x[r] * x[r];
    }
    const dG = this.levelSpacingUs;
    if (this.solver) {
      this.solver.solve(x, this.current);
      const off = this.device.gMin * sumX;
      for (let c = 0; c < C; c++) out[c] = (this.current[c] - off) / dG;
    } else {
      this.conductanceRead(x, out);
      if (this.irDrop === "linear") this.linearIr(x, out);
    }
    if (this.compensation !== 1) for (let c = 0; c < C; c++) out[c] *= this.compensation;
    const sigma = this.model.perReadSigmaUs;
    if (sigma > 0 && sumX2 > 0) {
      const s = (sigma / dG) * Math.sqrt(sumX2);
      for (let c = 0; c < C; c++) out[c] += s * this.stream.normal();
    }
  }

  /** True when a read is linear in its input: no I-V nonlinearity and no IR drop (the per-read noise is additive). */
  get linearRead(): boolean {
    return this.iv === null && this.irDrop === "off";
  }

  /**
   * Σ_k w_k·readColumns(x_k) in one read, for a linear array (`linearRead`): `x` = Σ_k w_k·x_k and
   * `noiseWeight` = Σ_k w_k²·Σ_r x_k[r]². The conductance part is read once with x; the reads'
   * per-read noise, a weighted sum of independent normals N(0, s_k²) with s_k = (σ/ΔG)·√(Σ_r x_k[r]²),
   * is N(0, Σ_k w_k²·s_k²): one normal per column. Equal in distribution to the separate reads
   * (different draws from the stream, and the conductance part rounded in a different order).
   */
  readColumnsCombined(x: Float64Array, noiseWeight: number, out: Float64Array, liveCols: number = this.cols): void {
    if (!this.programmed) throw new RramsimError("SIM_STATE", "physical array: readColumnsCombined() before program()");
    if (!this.linearRead) throw new RramsimError("SIM_STATE", "physical array: readColumnsCombined() needs a linear read (no I-V nonlinearity, no IR drop)");
    // columns from liveCols on are not sensed (left 0); their noise draws are skipped, not omitted,
    // so the stream — and every later read — is the same as reading all columns
    const C = this.cols;
    const n = Math.max(0, Math.min(C, liveCols));
    this.conductanceRead(x, out, n);
    if (this.compensation !== 1) for (let c = 0; c < n; c++) out[c] *= this.compensation;
    const sigma = this.model.perReadSigmaUs;
    if (sigma > 0 && noiseWeight > 0) {
      const s = (sigma / this.levelSpacingUs) * Math.sqrt(noiseWeight);
      for (let c = 0; c < n; c++) out[c] += s * this.stream.normal();
      this.stream.skipNormals(C - n);
    }
  }

  /**
   * out[c] = Σ_r weff[r][c]·x[r]: the sensed column currents of a linear read, in µS × drive units.
   * Columns from `n` on are left 0 (not sensed).
   * Each column sums from +0 over the rows with x[r] ≠ 0 in ascending r, one rounding per product
   * and per addition; eight or four rows are added per pass over the columns (the same additions in the
   * same order, with the partial sum kept in a register between them).
   */
  private conductanceRead(x: Float64Array, out: Float64Array, n: number = this.cols): void {
    const R = this.rows;
    const C = this.cols;
    const w = this.weff;
    const rows = this.driven;
    let m = 0;
    for (let r = 0; r < R; r++) if (x[r] !== 0) rows[m++] = r;
    out.fill(0, 0, C);
    let i = 0;
    for (; i + 8 <= m; i += 8) {
      const o0 = rows[i] * C;
      const o1 = rows[i + 1] * C;
      const o2 = rows[i + 2] * C;
      const o3 = rows[i + 3] * C;
      const o4 = rows[i + 4] * C;
      const o5 = rows[i + 5] * C;
      const o6 = rows[i + 6] * C;
      const o7 = rows[i + 7] * C;
      const x0 = x[rows[i]];
      const x1 = x[rows[i + 1]];
      const x2 = x[rows[i + 2]];
      const x3 = x[rows[i + 3]];
      const x4 = x[rows[i + 4]];
      const x5 = x[rows[i + 5]];
      const x6 = x[rows[i + 6]];
      const x7 = x[rows[i + 7]];
      for (let c = 0; c < n; c++) {
        out[c] = out[c] + w[o0 + c] * x0 + w[o1 + c] * x1 + w[o2 + c] * x2 + w[o3 + c] * x3 + w[o4 + c] * x4 + w[o5 + c] * x5 + w[o6 + c] * x6 + w[o7 + c] * x7;
      }
    }
    for (; i + 4 <= m; i += 4) {
      const o0 = rows[i] * C;
      const o1 = rows[i + 1] * C;
      const o2 = rows[i + 2] * C;
      const o3 = rows[i + 3] * C;
      const x0 = x[rows[i]];
      const x1 = x[rows[i + 1]];
      const x2 = x[rows[i + 2]];
      const x3 = x[rows[i + 3]];
      for (let c = 0; c < n; c++) out[c] = out[c] + w[o0 + c] * x0 + w[o1 + c] * x1 + w[o2 + c] * x2 + w[o3 + c] * x3;
    }
    for (; i < m; i++) {
      const o = rows[i] * C;
      const xr = x[rows[i]];
      for (let c = 0; c < n; c++) out[c] += w[o + c] * xr;
    }
  }

  /** aihwkit's linearised IR drop on the physical conductances (proxy G, drives x / full scale). */
  private linearIr(x: Float64Array, out: Float64Array): void {
    const R = this.rows;
    const C = this.cols;
    const g = this.gUs;
    const a = this.acc;
    const b = this.current;
    a.fill(0, 0, C);
    b.fill(0, 0, C);
    const fs = this.inputFullScale;
    for (let r = 0; r < R; r++) {
      const xr = x[r];
      if (xr === 0) continue;
      const ax = Math.abs(xr) / fs;
      const xt = xr * this.profile[r];
      const o = r * C;
      for (let c = 0; c < C; c++) {
        a[c] += g[o + c] * ax;
        b[c] += g[o + c] * xt;
      }
    }
    // a = n · r_wire · Σ G[S]·|x| (the proxy's gRef cancels); the correction is c(a)·Σ G·x̃ in µS, to levels
    const k = R * this.device.wire.segmentResistance * 1e-6;
    for (let c = 0; c < C; c++) out[c] -= (linearIrGain(k * a[c]) * b[c]) / this.levelSpacingUs;
  }
}

/** A physical crossbar array behind the AnalogArray contract (see PhysicalArray). */
export function createPhysicalArray(opts: PhysicalArrayOptions): AnalogArray {
  return new PhysicalArray(opts);
}
