import { describe, expect, it } from "vitest";
import { applyLinearIrDrop, NodalIrSolver } from "../../arch/crossbar/ir-drop";
import { RandomStream } from "../../sim/random";

/** Independent reference: dense nodal matrix of the same network, solved by Gaussian elimination. */
function denseColumnCurrents(g: number[], R: number, C: number, rOhm: number, x: number[]): number[] {
  const gw = 1e6 / rOhm;
  const N = 2 * R * C;
  const U = (r: number, c: number) => r * C + c;
  const V = (r: number, c: number) => R * C + r * C + c;
  const A = Array.from({ length: N }, () => new Array(N + 1).fill(0));
  const link = (i: number, j: number, y: number) => {
    A[i][i] += y;
    A[j][j] += y;
    A[i][j] -= y;
    A[j][i] -= y;
  };
  for (let r = 0; r < R; r++) {
    A[U(r, 0)][U(r, 0)] += gw; // driver segment
    A[U(r, 0)][N] += gw * x[r];
    for (let c = 0; c + 1 < C; c++) link(U(r, c), U(r, c + 1), gw);
  }
  for (let c = 0; c < C; c++) {
    for (let r = 0; r + 1 < R; r++) link(V(r, c), V(r + 1, c), gw);
    A[V(R - 1, c)][V(R - 1, c)] += gw; // segment to the virtual-ground sense node
  }
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) link(U(r, c), V(r, c), g[r * C + c]);
  for (let k = 0; k < N; k++) {
    let p = k;
    for (let i = k + 1; i < N; i++) if (Math.abs(A[i][k]) > Math.abs(A[p][k])) p = i;
    [A[k], A[p]] = [A[p], A[k]];
    for (let i = k + 1; i < N; i++) {
      const f = A[i][k] / A[k][k];
      for (let j = k; j <= N; j++) A[i][j] -= f * A[k][j];
    }
  }
  const sol = new Array(N).fill(0);
  for (let i = N - 1; i >= 0; i--) {
    let s = A[i][N];
    for (let j = i + 1; j < N; j++) s -= A[i][j] * sol[j];
    sol[i] = s / A[i][i];
  }
  return Array.from({ length: C }, (_, c) => gw * sol[V(R - 1, c)]);
}

describe("nodal IR-drop solver", () => {
  it("a single cell is the series circuit driver segment + cell + sense segment", () => {
    const s = new NodalIrSolver(Float64Array.from([1000]), 1, 1, 100);
    const out = new Float64Array(1);
    s.solve([0.5], out);
    // I = V / (2·100 Ω + 1 kΩ) = 0.5/1200 A = 416.67 µA
    expect(out[0]).toBeCloseTo((0.5 / 1200) * 1e6, 6);
  });

  for (const [R, C, rOhm] of [
    [3, 4, 50],
    [5, 2, 200],
    [6, 6, 0.35],
  ] as const) {
    it(`agrees with a dense direct solve on a ${R}×${C} array at ${rOhm} Ω per segment`, () => {
      const rs = new RandomStream(R * 10 + C, "ir");
      const g = Array.from({ length: R * C }, () => 10 + 990 * rs.uniform());
      const x = Array.from({ length: R }, () => 2 * rs.uniform() - 1);
      const ref = denseColumnCurrents(g, R, C, rOhm, x);
      const out = new Float64Array(C);
      new NodalIrSolver(Float64Array.from(g), R, C, rOhm).solve(x, out);
      for (let c = 0; c < C; c++) expect(out[c]).toBeCloseTo(ref[c], 6);
      // and IR drop really changed the result at the larger resistances
      if (rOhm > 1) {
        const ideal = Array.from({ length: C }, (_, c) => x.reduce((s, xr, r) => s + g[r * C + c] * xr, 0));
        expect(Math.max(...ideal.map((v, c) => Math.abs(v - out[c])))).toBeGreaterThan(1);
      }
    });
  }

  it("solves a 256×256 array at 0.35 Ω per segment quickly", () => {
    const n = 256;
    const rs = new RandomStream(1, "big");
    const g = new Float64Array(n * n).map(() => 9 + 79 * rs.uniform());
    const x = new Float64Array(n).map(() => 2 * rs.uniform() - 1);
    const t0 = performance.now();
    const st = new NodalIrSolver(g, n, n, 0.35).solve(x, new Float64Array(n));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(st.residual).toBeLessThan(1e-9);
  });
});

describe("linearised IR drop (aihwkit)", () => {
  it("matches hand arithmetic on a 2-input column", () => {
    // n = 2, |w| = w = 1, x = 1: a = (2/R)·2; R = 4 → a = 1, c = 0.5 − 0.2 + 0.05 = 0.35;
    // x̃ = [0, 1 − (1/2)²] = [0, 0.75] → y = 2 − 0.35·0.75
    const y = Float64Array.from([2]);
    applyLinearIrDrop(Float64Array.from([1, 1]), Float64Array.from([1, 1]), 2, 1, Float64Array.from([1, 1]), 4, y, new Float64Array(1), new Float64Array(1));
    expect(y[0]).toBeCloseTo(2 - 0.35 * 0.75, 12);
  });
});
