// The fast reference kernels (compiler/reference/kernels.ts: zero inputs left out, transposed
// weights, scratch buffers reused across calls, integer layers summed two outputs per multiply)
// against plain loops written here that sum every term, padding included, in weight-row order from
// +0 and add the bias last: the float64 results must be identical bit for bit (Object.is, so +0
// and −0 differ), whatever the geometry, sparsity and order of calls.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Conv2dNode, PoolNode } from "../../compiler/ir/model";
import { avgPoolSums, convAccumulate, convGeometry, denseAccumulate, maxPool } from "../../compiler/reference/kernels";
import { RandomStream } from "../../sim/random";

/** Values with many exact zeros (both signs) among small reals. */
function sparse(stream: RandomStream, n: number, zeroFraction: number): Float64Array {
  return Float64Array.from({ length: n }, () => {
    const u = stream.uniform();
    if (u < zeroFraction / 2) return 0;
    if (u < zeroFraction) return -0;
    return (stream.uniform() * 2 - 1) * 3;
  });
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect({ i, got: a[i] }).toEqual({ i, got: b[i] });
}

/** Every term of every patch, padding as 0, k = (c·kh + ky)·kw + kx ascending, then + bias. */
function plainConv(x: Float64Array, [c, h, w]: number[], node: Conv2dNode, weight: Float64Array, bias: Float64Array, ho: number, wo: number): Float64Array {
  const [kh, kw] = node.kernel;
  const cpg = c / node.groups;
  const opg = node.outChannels / node.groups;
  const k = cpg * kh * kw;
  const out = new Float64Array(node.outChannels * ho * wo);
  for (let o = 0; o < node.outChannels; o++) {
    const g = Math.floor(o / opg);
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        let s = 0;
        for (let ci = 0; ci < cpg; ci++) {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * node.stride[0] - node.pads[0] + ky * node.dilation[0];
              const ix = ox * node.stride[1] - node.pads[1] + kx * node.dilation[1];
              const v = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : x[((g * cpg + ci) * h + iy) * w + ix];
              s += weight[o * k + (ci * kh + ky) * kw + kx] * v;
            }
          }
        }
        out[(o * ho + oy) * wo + ox] = s + bias[o];
      }
    }
  }
  return out;
}

const convCase = fc.record({
  cin: fc.integer({ min: 1, max: 4 }),
  groups: fc.constantFrom(1, 2),
  cout: fc.integer({ min: 1, max: 19 }),
  kh: fc.integer({ min: 1, max: 5 }),
  kw: fc.integer({ min: 1, max: 5 }),
  sh: fc.integer({ min: 1, max: 3 }),
  sw: fc.integer({ min: 1, max: 3 }),
  pt: fc.integer({ min: 0, max: 4 }),
  pl: fc.integer({ min: 0, max: 4 }),
  dh: fc.integer({ min: 1, max: 2 }),
  dw: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 1, max: 12 }),
  w: fc.integer({ min: 1, max: 12 }),
  zeros: fc.constantFrom(0, 0.5, 0.9, 1),
  badWeight: fc.constantFrom("none", "none", "none", "inf", "nan"),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});
type ConvCase = typeof convCase extends fc.Arbitrary<infer T> ? T : never;

/** The conv node of a case, its channel counts and output size (null when the window does not fit). */
function convOf(t: ConvCase): { cin: number; cout: number; node: Conv2dNode; ho: number; wo: number } | null {
  const cin = t.cin * t.groups;
  const cout = t.cout * t.groups;
  const node: Conv2dNode = {
    kind: "conv2d",
    name: "c",
    inputs: ["x"],
    output: "c",
    inChannels: cin,
    outChannels: cout,
    kernel: [t.kh, t.kw],
    stride: [t.sh, t.sw],
    pads: [t.pt, t.pl, t.pt, t.pl],
    dilation: [t.dh, t.dw],
    groups: t.groups,
    weight: new Float32Array(0),
    bias: new Float32Array(0),
  };
  const ho = Math.floor((t.h + 2 * t.pt - t.dh * (t.kh - 1) - 1) / t.sh) + 1;
  const wo = Math.floor((t.w + 2 * t.pl - t.dw * (t.kw - 1) - 1) / t.sw) + 1;
  return ho < 1 || wo < 1 ? null : { cin, cout, node, ho, wo };
}

describe("fast reference kernels equal plain ordered loops bit for bit", () => {
  it("convolution: any geometry, sparsity and call order, non-finite weights included", () => {
    // a large call first leaves stale data in every scratch buffer for the small ones after it
    const big = { cin: 8, groups: 1, cout: 16, kh: 5, kw: 5, sh: 1, sw: 1, pt: 2, pl: 2, dh: 1, dw: 1, h: 40, w: 40, zeros: 0.2, badWeight: "none", seed: 7 };
    fc.assert(
      fc.property(convCase, (t) => {
        const c = convOf(t);
        if (c === null) return;
        const { cin, cout, node, ho, wo } = c;
        const r = new RandomStream(t.seed, "conv");
        const x = sparse(r, cin * t.h * t.w, t.zeros);
        const weight = sparse(r, cout * t.cin * t.kh * t.kw, 0.1);
        if (t.badWeight !== "none") weight[Math.floor(r.uniform() * weight.length)] = t.badWeight === "inf" ? -Infinity : NaN;
        const bias = sparse(r, cout, 0.5);
        const inShape = [1, cin, t.h, t.w];
        const outShape = [1, cout, ho, wo];
        const out = new Float64Array(cout * ho * wo);
        convAccumulate(x, inShape, node, convGeometry(node, inShape, outShape), weight, bias, out);
        sameBits(out, plainConv(x, [cin, t.h, t.w], node, weight, bias, ho, wo));
      }),
      { numRuns: 300, seed: 20261123, examples: [[big]] },
    );
  });

  it("integer layers (two outputs per multiply while the sums stay below 2^25, else one): exact sums, any geometry", () => {
    fc.assert(
      fc.property(convCase, fc.constantFrom(127, 255, 40_000), fc.boolean(), (t, xMax, signed) => {
        const c = convOf(t);
        if (c === null) return;
        const { cin, cout, node, ho, wo } = c;
        const r = new RandomStream(t.seed, "int");
        const int = (lo: number, hi: number) => lo + Math.floor(r.uniform() * (hi - lo + 1));
        const x = Float64Array.from({ length: cin * t.h * t.w }, () => (r.uniform() < t.zeros ? 0 : int(signed ? -xMax : 0, xMax)));
        const weight = Float64Array.from({ length: cout * t.cin * t.kh * t.kw }, () => int(-127, 127));
        const bias = Float64Array.from({ length: cout }, () => int(-100_000, 100_000));
        const inShape = [1, cin, t.h, t.w];
        const out = new Float64Array(cout * ho * wo);
        convAccumulate(x, inShape, node, convGeometry(node, inShape, [1, cout, ho, wo]), weight, bias, out, true);
        sameBits(out, plainConv(x, [cin, t.h, t.w], node, weight, bias, ho, wo));
        // the same matrix as a dense layer (K = all inputs, N = cout)
        const k = x.length;
        const wd = Float64Array.from({ length: k * cout }, () => int(-127, 127));
        const outD = new Float64Array(cout);
        denseAccumulate(x, k, cout, wd, bias, outD, true);
        const want = new Float64Array(cout);
        for (let o = 0; o < cout; o++) {
          let s = 0;
          for (let i = 0; i < k; i++) s += wd[o * k + i] * x[i];
          want[o] = s + bias[o];
        }
        sameBits(outD, want);
        // the second use of the same weights takes the rearranged (paired) path
        denseAccumulate(x, k, cout, wd, bias, outD, true);
        sameBits(outD, want);
      }),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it("dense: sums in ascending k from +0, zero inputs and non-finite weights included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom(0, 0.5, 1), fc.boolean(), fc.integer({ min: 0, max: 1_000_000 }), (k, n, zeros, bad, seed) => {
        const r = new RandomStream(seed, "dense");
        const x = sparse(r, k, zeros);
        const weight = sparse(r, k * n, 0.1);
        if (bad) weight[Math.floor(r.uniform() * weight.length)] = Infinity;
        const bias = sparse(r, n, 0.5);
        const out = new Float64Array(n);
        denseAccumulate(x, k, n, weight, bias, out);
        const want = new Float64Array(n);
        for (let o = 0; o < n; o++) {
          let s = 0;
          for (let i = 0; i < k; i++) s += weight[o * k + i] * x[i];
          want[o] = s + bias[o];
        }
        sameBits(out, want);
        // the second use of the same weights takes the rearranged (transposed) path
        denseAccumulate(x, k, n, weight, bias, out);
        sameBits(out, want);
      }),
      { numRuns: 200, seed: 20261123 },
    );
  });

  it("pooling: max from −∞ over the cells inside, window sums in row order, divisors per countIncludePad", () => {
    fc.assert(
      fc.property(
        fc.record({
          c: fc.integer({ min: 1, max: 3 }),
          k: fc.integer({ min: 1, max: 4 }),
          s: fc.integer({ min: 1, max: 3 }),
          p: fc.integer({ min: 0, max: 2 }),
          h: fc.integer({ min: 1, max: 9 }),
          inc: fc.boolean(),
          seed: fc.integer({ min: 0, max: 1_000_000 }),
        }),
        ({ c, k, s, p, h, inc, seed }) => {
          if (p >= k) return;
          const ho = Math.floor((h + 2 * p - k) / s) + 1;
          if (ho < 1) return;
          const node: PoolNode = { kind: "avgPool", name: "p", inputs: ["x"], output: "p", kernel: [k, k], stride: [s, s], pads: [p, p, p, p], countIncludePad: inc };
          const x = sparse(new RandomStream(seed, "pool"), c * h * h, 0.3);
          const inShape = [1, c, h, h];
          const outShape = [1, c, ho, ho];
          const mx = new Float64Array(c * ho * ho);
          const sums = new Float64Array(c * ho * ho);
          const div = new Float64Array(c * ho * ho);
          maxPool(x, inShape, outShape, node, mx);
          avgPoolSums(x, inShape, outShape, node, sums, div);
          const wantMax: number[] = [];
          const wantSum: number[] = [];
          const wantDiv: number[] = [];
          for (let ci = 0; ci < c; ci++)
            for (let oy = 0; oy < ho; oy++)
              for (let ox = 0; ox < ho; ox++) {
                let m = -Infinity;
                let sum = 0;
                let count = 0;
                for (let ky = 0; ky < k; ky++)
                  for (let kx = 0; kx < k; kx++) {
                    const iy = oy * s + ky - p;
                    const ix = ox * s + kx - p;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= h) continue;
                    const v = x[(ci * h + iy) * h + ix];
                    if (v > m) m = v;
                    sum += v;
                    count++;
                  }
                wantMax.push(m);
                wantSum.push(sum);
                wantDiv.push(inc ? k * k : count);
              }
          sameBits(mx, wantMax);
          sameBits(sums, wantSum);
          sameBits(div, wantDiv);
        },
      ),
      { numRuns: 200, seed: 20261123 },
    );
  });
});
