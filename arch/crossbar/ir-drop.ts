// IR drop across crossbar wires, two models (every report names which one it used):
//
// linear — the linearised model of aihwkit's C++ forward pass (`applyIrDrop`, used by the CMO/HfOx
//   paper's MVM simulations). With n inputs, a proxy conductance p[j][i] ≥ 0 of each cell in units
//   of the reference conductance gRef, drives x[j] in [−1, 1] and R = 1/(r_wire·gRef):
//     a_i = (n/R)·Σ_j p[j][i]·|x_j|,   c_i = 0.5·a_i − 0.2·a_i² + 0.05·a_i³,
//     x̃_j = x_j·(1 − (1 − j/n)²),      y_i ← y_i − c_i·Σ_j s[j][i]·x̃_j
//   where s is the signal matrix whose product is y. A fitted, position-weighted gain error; input
//   0 gets no correction. aihwkit uses p = |w|, exact only for a differential pair whose zero weight
//   draws no current.
//
// nodal — the exact DC solution of the resistive network: every row wire is driven at its start
//   (column 0) through one segment, every column wire ends in a virtual-ground sense node after row
//   R−1 through one segment, adjacent cells are joined by one wire segment, and each cell is a
//   linear conductance between its row node and its column node (2·R·C unknowns). Solved by block
//   (line) Gauss–Seidel: each sweep solves every row line exactly (tridiagonal, Thomas algorithm)
//   with the column voltages fixed, then every column line with the row voltages fixed; the system
//   is symmetric positive definite, so the sweeps converge. Access transistors, drivers' and sense
//   amplifiers' own resistances and nonlinear cells are left out.

import { RramsimError } from "../../sim/errors";

export type IrDropModel = "off" | "linear" | "nodal";
export const IR_DROP_MODELS: readonly IrDropModel[] = ["off", "linear", "nodal"];

/** A one-line label for reports. */
export function irDropLabel(m: IrDropModel): string {
  switch (m) {
    case "off":
      return "off";
    case "linear":
      return "linear (aihwkit's linearised model)";
    case "nodal":
      return "nodal (exact resistive-network solution)";
  }
}

/** The position profile x̃_j / x_j of the linearised model for n inputs. */
export function linearIrProfile(n: number): Float64Array {
  const p = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const f = 1 - j / n;
    p[j] = 1 - f * f;
  }
  return p;
}

/** c(a) of the linearised model. */
export function linearIrGain(a: number): number {
  return a * (0.5 + a * (-0.2 + a * 0.05));
}

/**
 * aihwkit's linearised IR drop applied in place to y (length cols). `proxy` and `signal` are rows ×
 * cols, row-major (row j = input j); `gRatio` = 1/(r_wire·gRef).
 */
export function applyLinearIrDrop(proxy: Float64Array, signal: Float64Array, rows: number, cols: number, x: Float64Array, gRatio: number, y: Float64Array, scratchA: Float64Array, scratchB: Float64Array): void {
  const prof = linearIrProfile(rows);
  scratchA.fill(0, 0, cols);
  scratchB.fill(0, 0, cols);
  for (let j = 0; j < rows; j++) {
    const ax = Math.abs(x[j]);
    const xt = x[j] * prof[j];
    const o = j * cols;
    for (let i = 0; i < cols; i++) {
      scratchA[i] += proxy[o + i] * ax;
      scratchB[i] += signal[o + i] * xt;
    }
  }
  const k = rows / gRatio;
  for (let i = 0; i < cols; i++) y[i] -= linearIrGain(k * scratchA[i]) * scratchB[i];
}

export interface NodalSolveStats {
  sweeps: number;
  /** largest voltage change in the last sweep, relative to the largest drive */
  residual: number;
}

/**
 * Exact nodal IR-drop solver for one array. Conductances in µS (rows × cols, row-major: row r is
 * the wire driven by input r), wire segment resistance in Ω. `solve` writes the column currents
 * (µS × drive units) for drives `x`.
 */
export class NodalIrSolver {
  readonly rows: number;
  readonly cols: number;
  private readonly g: Float64Array;
  private readonly gw: number;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  private readonly cp: Float64Array;
  private readonly dp: Float64Array;
  readonly tolerance: number;
  readonly maxSweeps: number;
  readonly lastStats: NodalSolveStats = { sweeps: 0, residual: 0 };

  constructor(gUs: Float64Array, rows: number, cols: number, segmentOhm: number, opts: { tolerance?: number; maxSweeps?: number } = {}) {
    if (!(segmentOhm > 0)) throw new RangeError("nodal IR drop needs a wire segment resistance > 0");
    this.rows = rows;
    this.cols = cols;
    this.g = gUs;
    this.gw = 1e6 / segmentOhm; // Ω → µS
    this.u = new Float64Array(rows * cols);
    this.v = new Float64Array(rows * cols);
    const n = Math.max(rows, cols);
    this.cp = new Float64Array(n);
    this.dp = new Float64Array(n);
    this.tolerance = opts.tolerance ?? 1e-10;
    this.maxSweeps = opts.maxSweeps ?? 500;
  }

  solve(x: ArrayLike<number>, outCurrent: Float64Array): NodalSolveStats {
    const { rows: R, cols: C, g, gw, u, v, cp, dp } = this;
    let xmax = 0;
    for (let r = 0; r < R; r++) xmax = Math.max(xmax, Math.abs(x[r]));
    if (xmax === 0) {
      outCurrent.fill(0, 0, C);
      this.lastStats.sweeps = 0;
      this.lastStats.residual = 0;
      return this.lastStats;
    }
    for (let r = 0; r < R; r++) u.fill(x[r], r * C, (r + 1) * C);
    v.fill(0);
    let sweeps = 0;
    let change = Infinity;
    while (sweeps < this.maxSweeps && change > this.tolerance * xmax) {
      change = 0;
      // row lines: unknowns u[r][0..C-1]; node c has wire neighbours c−1 (or the driver) and c+1
      for (let r = 0; r < R; r++) {
        const o = r * C;
        for (let c = 0; c < C; c++) {
          const gc = g[o + c];
          const diag = (c < C - 1 ? 2 * gw : gw) + gc;
          const rhs = gc * v[o + c] + (c === 0 ? gw * x[r] : 0);
          const lower = c === 0 ? 0 : -gw;
          const denom = diag - lower * (c === 0 ? 0 : cp[c - 1]);
          cp[c] = -gw / denom;
          dp[c] = (rhs - lower * (c === 0 ? 0 : dp[c - 1])) / denom;
        }
        let next = dp[C - 1];
        change = Math.max(change, Math.abs(next - u[o + C - 1]));
        u[o + C - 1] = next;
        for (let c = C - 2; c >= 0; c--) {
          next = dp[c] - cp[c] * next;
          const d = Math.abs(next - u[o + c]);
          if (d > change) change = d;
          u[o + c] = next;
        }
      }
      // column lines: unknowns v[0..R-1][c]; node r has neighbours r−1 (none at r = 0) and r+1 (the sense node after R−1)
      for (let c = 0; c < C; c++) {
        for (let r = 0; r < R; r++) {
          const i = r * C + c;
          const gc = g[i];
          const diag = (r > 0 ? 2 * gw : gw) + gc;
          const rhs = gc * u[i];
          const lower = r === 0 ? 0 : -gw;
          const denom = diag - lower * (r === 0 ? 0 : cp[r - 1]);
          cp[r] = -gw / denom;
          dp[r] = (rhs - lower * (r === 0 ? 0 : dp[r - 1])) / denom;
        }
        let next = dp[R - 1];
        let i = (R - 1) * C + c;
        change = Math.max(change, Math.abs(next - v[i]));
        v[i] = next;
        for (let r = R - 2; r >= 0; r--) {
          next = dp[r] - cp[r] * next;
          i = r * C + c;
          const d = Math.abs(next - v[i]);
          if (d > change) change = d;
          v[i] = next;
        }
      }
      sweeps++;
    }
    if (change > this.tolerance * xmax * 1e3) {
      throw new RramsimError("SIM_STATE", `nodal IR-drop solver did not converge in ${sweeps} sweeps (residual ${change / xmax})`);
    }
    const last = (R - 1) * C;
    for (let c = 0; c < C; c++) outCurrent[c] = gw * v[last + c];
    // updated in place: the read path must not allocate
    this.lastStats.sweeps = sweeps;
    this.lastStats.residual = change / xmax;
    return this.lastStats;
  }
}
