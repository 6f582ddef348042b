// Layer kernels shared by the float and the integer reference executors. Convolutions run as
// im2col + dot products: for each group, each output position p gets a patch of K = C_in/groups ·
// kh · kw inputs in row order k = (c·kh + ky)·kw + kx (c counted within the group), the order of
// the ONNX OIHW weight and of the K × N weight matrices the mapper puts on crossbars
// (compiler/map/mapping.ts). Accumulation is in float64, so integer inputs and weights give exact
// integer sums while they stay below 2^53 (the quantiser checks the bound).

import type { Conv2dNode, PoolNode } from "../ir/model";

export type NumArray = ArrayLike<number> & { [i: number]: number };

const f64Cache = new WeakMap<object, Float64Array>();

/**
 * The values of a weight or bias array as float64, cached per array: the kernels take float64
 * only, so their element accesses stay monomorphic (several times faster in V8).
 */
export function asF64(a: Float32Array | Int32Array | Float64Array): Float64Array {
  if (a instanceof Float64Array) return a;
  let c = f64Cache.get(a);
  if (!c) f64Cache.set(a, (c = Float64Array.from(a)));
  return c;
}

export interface ConvGeometry {
  /** rows of the weight matrix: C_in/groups · kh · kw */
  k: number;
  /** columns of the weight matrix: C_out (all groups) */
  n: number;
  /** output positions ho · wo: MVMs per inference */
  positions: number;
  ho: number;
  wo: number;
  /** input and output channels per group */
  groupIn: number;
  groupOut: number;
}

export function convGeometry(node: Conv2dNode, inShape: readonly number[], outShape: readonly number[]): ConvGeometry {
  const groupIn = node.inChannels / node.groups;
  return {
    k: groupIn * node.kernel[0] * node.kernel[1],
    n: node.outChannels,
    positions: outShape[2] * outShape[3],
    ho: outShape[2],
    wo: outShape[3],
    groupIn,
    groupOut: node.outChannels / node.groups,
  };
}

/**
 * The im2col patches of one group: cols[p·K + k] = input value under weight row k at output
 * position p (0 where the window covers padding).
 */
export function im2col(x: Float64Array, inShape: readonly number[], node: Conv2dNode, g: ConvGeometry, group: number, cols: Float64Array): void {
  const h = inShape[2];
  const w = inShape[3];
  const [kh, kw] = node.kernel;
  const [sh, sw] = node.stride;
  const [dh, dw] = node.dilation;
  const pt = node.pads[0];
  const pl = node.pads[1];
  const c0 = group * g.groupIn;
  const k = g.k;
  for (let oy = 0; oy < g.ho; oy++) {
    for (let ox = 0; ox < g.wo; ox++) {
      const base = (oy * g.wo + ox) * k;
      let r = 0;
      for (let c = 0; c < g.groupIn; c++) {
        const plane = (c0 + c) * h;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - pt;
          const inRow = iy >= 0 && iy < h;
          for (let kx = 0; kx < kw; kx++, r++) {
            const ix = ox * sw + kx * dw - pl;
            cols[base + r] = inRow && ix >= 0 && ix < w ? x[(plane + iy) * w + ix] : 0;
          }
        }
      }
    }
  }
}

/**
 * Convolution accumulators: out[n·P + p] = bias[n] + Σ_k weight[n·K + k] · patch_p[k], where
 * weight is the OIHW weight read as N rows of K.
 */
export function convAccumulate(x: Float64Array, inShape: readonly number[], node: Conv2dNode, g: ConvGeometry, weight: Float64Array, bias: Float64Array, out: Float64Array): void {
  const cols = new Float64Array(g.positions * g.k);
  const k = g.k;
  const p = g.positions;
  for (let group = 0; group < node.groups; group++) {
    im2col(x, inShape, node, g, group, cols);
    const end = (group + 1) * g.groupOut;
    let n = group * g.groupOut;
    // four output channels at a time share each patch load
    for (; n + 4 <= end; n += 4) {
      const w0 = n * k;
      const w1 = w0 + k;
      const w2 = w1 + k;
      const w3 = w2 + k;
      for (let j = 0; j < p; j++) {
        const cr = j * k;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0; i < k; i++) {
          const v = cols[cr + i];
          s0 += weight[w0 + i] * v;
          s1 += weight[w1 + i] * v;
          s2 += weight[w2 + i] * v;
          s3 += weight[w3 + i] * v;
        }
        out[n * p + j] = s0 + bias[n];
        out[(n + 1) * p + j] = s1 + bias[n + 1];
        out[(n + 2) * p + j] = s2 + bias[n + 2];
        out[(n + 3) * p + j] = s3 + bias[n + 3];
      }
    }
    for (; n < end; n++) {
      const wr = n * k;
      for (let j = 0; j < p; j++) {
        const cr = j * k;
        let s = 0;
        for (let i = 0; i < k; i++) s += weight[wr + i] * cols[cr + i];
        out[n * p + j] = s + bias[n];
      }
    }
  }
}

/** out[n] = bias[n] + Σ_k weight[n·K + k] · x[k] */
export function denseAccumulate(x: Float64Array, k: number, n: number, weight: Float64Array, bias: Float64Array, out: Float64Array): void {
  for (let o = 0; o < n; o++) {
    const r = o * k;
    let s = 0;
    for (let i = 0; i < k; i++) s += weight[r + i] * x[i];
    out[o] = s + bias[o];
  }
}

/**
 * Visits every pooling window: `visit(outIndex, inIndices, count, windowArea)` with the input
 * indices inside the tensor (padding cells are skipped).
 */
function forEachWindow(inShape: readonly number[], outShape: readonly number[], node: PoolNode, visit: (o: number, idx: Int32Array, count: number) => void): void {
  const [, c, h, w] = inShape;
  const [, , ho, wo] = outShape;
  const [kh, kw] = node.kernel;
  const idx = new Int32Array(kh * kw);
  let o = 0;
  for (let ci = 0; ci < c; ci++) {
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++, o++) {
        let count = 0;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * node.stride[0] + ky - node.pads[0];
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * node.stride[1] + kx - node.pads[1];
            if (ix >= 0 && ix < w) idx[count++] = (ci * h + iy) * w + ix;
          }
        }
        visit(o, idx, count);
      }
    }
  }
}

/** Max pooling (padding cells never win). */
export function maxPool(x: ArrayLike<number>, inShape: readonly number[], outShape: readonly number[], node: PoolNode, out: NumArray): void {
  forEachWindow(inShape, outShape, node, (o, idx, count) => {
    let m = -Infinity;
    for (let i = 0; i < count; i++) if (x[idx[i]] > m) m = x[idx[i]];
    out[o] = m;
  });
}

/** Window sums and divisors of average pooling (divisor: window area or cells inside, per countIncludePad). */
export function avgPoolSums(x: ArrayLike<number>, inShape: readonly number[], outShape: readonly number[], node: PoolNode, sums: NumArray, divisors: NumArray): void {
  const area = node.kernel[0] * node.kernel[1];
  forEachWindow(inShape, outShape, node, (o, idx, count) => {
    let s = 0;
    for (let i = 0; i < count; i++) s += x[idx[i]];
    sums[o] = s;
    divisors[o] = node.countIncludePad ? area : count;
  });
}

/** Per-channel sums of a 1×C×H×W tensor. */
export function channelSums(x: ArrayLike<number>, inShape: readonly number[], sums: NumArray): void {
  const [, c, h, w] = inShape;
  const hw = h * w;
  for (let ci = 0; ci < c; ci++) {
    let s = 0;
    for (let i = 0; i < hw; i++) s += x[ci * hw + i];
    sums[ci] = s;
  }
}

/** Concatenation of 1×… tensors along `axis`: copies blocks of (size of the axes from `axis` on). */
export function concat(parts: ArrayLike<number>[], shapes: readonly (readonly number[])[], axis: number, out: NumArray): void {
  const outer = shapes[0].slice(0, axis).reduce((a, b) => a * b, 1);
  const blocks = shapes.map((s) => s.slice(axis).reduce((a, b) => a * b, 1));
  const total = blocks.reduce((a, b) => a + b, 0);
  for (let o = 0; o < outer; o++) {
    let at = o * total;
    parts.forEach((p, i) => {
      const b = blocks[i];
      for (let j = 0; j < b; j++) out[at + j] = p[o * b + j];
      at += b;
    });
  }
}
