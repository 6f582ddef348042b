// The reference kernels without weights, shared by the float and the integer executors: max and
// average pooling over 2-D windows, per-channel sums (global average pooling) and concatenation.
// Sums run in row order from +0 over the cells inside the tensor, so integer inputs give exact sums.
// Left out: the dense/conv kernels (compiler/reference/kernels.ts).

import type { PoolNode } from "../ir/model";

export type NumArray = ArrayLike<number> & { [i: number]: number };

const poolDimsScratch = new Int32Array(11);

/** A pool's sizes as int32 (shape fields may be held as doubles): c, h, w, ho, wo, kh, kw, sh, sw, pt, pl. */
function poolDims(inShape: readonly number[], outShape: readonly number[], node: PoolNode): Int32Array {
  const d = poolDimsScratch;
  d[0] = inShape[1];
  d[1] = inShape[2];
  d[2] = inShape[3];
  d[3] = outShape[2];
  d[4] = outShape[3];
  d[5] = node.kernel[0];
  d[6] = node.kernel[1];
  d[7] = node.stride[0];
  d[8] = node.stride[1];
  d[9] = node.pads[0];
  d[10] = node.pads[1];
  return d;
}

/** Max pooling (padding cells never win; a cell wins when it is > every earlier cell, from −∞). */
export function maxPool(x: ArrayLike<number>, inShape: readonly number[], outShape: readonly number[], node: PoolNode, out: NumArray): void {
  const d = poolDims(inShape, outShape, node);
  const c = d[0],
    h = d[1],
    w = d[2],
    ho = d[3],
    wo = d[4],
    kh = d[5],
    kw = d[6],
    sh = d[7],
    sw = d[8],
    pt = d[9],
    pl = d[10];
  let o = 0;
  if (kh === 2 && kw === 2 && pt === 0 && pl === 0 && (ho - 1) * sh + 2 <= h && (wo - 1) * sw + 2 <= w) {
    // 2 × 2 windows inside the tensor: the same comparisons, unrolled
    for (let ci = 0; ci < c; ci++) {
      for (let oy = 0; oy < ho; oy++) {
        const r0 = (ci * h + oy * sh) * w;
        for (let ox = 0; ox < wo; ox++, o++) {
          const i = r0 + ox * sw;
          let m = -Infinity;
          if (x[i] > m) m = x[i];
          if (x[i + 1] > m) m = x[i + 1];
          if (x[i + w] > m) m = x[i + w];
          if (x[i + w + 1] > m) m = x[i + w + 1];
          out[o] = m;
        }
      }
    }
    return;
  }
  for (let ci = 0; ci < c; ci++) {
    for (let oy = 0; oy < ho; oy++) {
      const y0 = oy * sh - pt;
      const ky0 = y0 < 0 ? -y0 : 0;
      const ky1 = h - y0 < kh ? h - y0 : kh;
      for (let ox = 0; ox < wo; ox++, o++) {
        const x0 = ox * sw - pl;
        const kx0 = x0 < 0 ? -x0 : 0;
        const kx1 = w - x0 < kw ? w - x0 : kw;
        let m = -Infinity;
        for (let ky = ky0; ky < ky1; ky++) {
          const row = (ci * h + y0 + ky) * w + x0;
          for (let kx = kx0; kx < kx1; kx++) {
            const v = x[row + kx];
            if (v > m) m = v;
          }
        }
        out[o] = m;
      }
    }
  }
}

/** Window sums (cells inside the tensor, in row order from +0) and divisors of average pooling (divisor: window area or cells inside, per countIncludePad). */
export function avgPoolSums(x: ArrayLike<number>, inShape: readonly number[], outShape: readonly number[], node: PoolNode, sums: NumArray, divisors: NumArray): void {
  const d = poolDims(inShape, outShape, node);
  const c = d[0],
    h = d[1],
    w = d[2],
    ho = d[3],
    wo = d[4],
    kh = d[5],
    kw = d[6],
    sh = d[7],
    sw = d[8],
    pt = d[9],
    pl = d[10];
  const area = kh * kw;
  let o = 0;
  for (let ci = 0; ci < c; ci++) {
    for (let oy = 0; oy < ho; oy++) {
      const y0 = oy * sh - pt;
      const ky0 = y0 < 0 ? -y0 : 0;
      const ky1 = h - y0 < kh ? h - y0 : kh;
      for (let ox = 0; ox < wo; ox++, o++) {
        const x0 = ox * sw - pl;
        const kx0 = x0 < 0 ? -x0 : 0;
        const kx1 = w - x0 < kw ? w - x0 : kw;
        let s = 0;
        for (let ky = ky0; ky < ky1; ky++) {
          const row = (ci * h + y0 + ky) * w + x0;
          for (let kx = kx0; kx < kx1; kx++) s += x[row + kx];
        }
        sums[o] = s;
        divisors[o] = node.countIncludePad ? area : Math.max(0, ky1 - ky0) * Math.max(0, kx1 - kx0);
      }
    }
  }
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
