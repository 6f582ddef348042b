// Layer kernels shared by the float and the integer reference executors. A convolution output is
// the dot product of its weight row with the im2col patch of its position: for each group, output
// position p gets a patch of K = C_in/groups · kh · kw inputs in row order k = (c·kh + ky)·kw + kx
// (c counted within the group), the order of the ONNX OIHW weight and of the K × N weight matrices
// the mapper puts on crossbars (compiler/map/mapping.ts). Accumulation is in float64, so integer
// inputs and weights give exact integer sums while they stay below 2^53 (the quantiser checks the
// bound). Every output's terms are summed in ascending k from +0 with the bias added last, and the
// terms whose input is zero are left out (exact; see convAccumulate), so the float results do not
// depend on how the loops are arranged for speed: the patch's nonzero terms are gathered once per
// position and the dot products of up to eight outputs share each term's loads. Integer layers
// (the integer executor) may also sum two outputs per multiply, exactly (see PAIR_SHIFT in
// weight-layouts.ts). This file holds the conv/dense kernels, their geometry and scratch; the
// cached weight layouts they read are in weight-layouts.ts, the kernels without weights (pooling,
// concatenation) in pool-kernels.ts, re-exported here.
// Left out: batching several images per call, threads, SIMD.

import type { Conv2dNode } from "../ir/model";
import { PAIR_SHIFT, allFinite, canPair, pairPacked, paddedWidth, transposed } from "./weight-layouts";

export { avgPoolSums, channelSums, concat, maxPool, type NumArray } from "./pool-kernels";

const f64Cache = new WeakMap<object, Float64Array>();

/**
 * The values of a weight or bias array as float64, cached per array: the kernels take float64
 * only, so their element accesses stay monomorphic (several times faster in V8).
 */
export function asF64(a: Float32Array | Int32Array | Float64Array): Float64Array {
  if (a instanceof Float64Array) return a;
  let c = f64Cache.get(a);
  if (!c) f64Cache.set(a, (c = new Float64Array(a)));
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

let pairOut = new Float64Array(64);
let zeroBias = new Float64Array(64);

/** out[n·stride + at] = bias[n] + the two sums packed in pairOut[j] for n in [2·j0, min(2·j1, nEnd)). */
function unpackPairs(j0: number, j1: number, nEnd: number, bias: Float64Array, out: Float64Array, stride: number, at: number): void {
  for (let j = j0; j < j1; j++) {
    const t = pairOut[j];
    // + 0: a −0 from rounding a small negative sum would survive a −0 bias; the plain sum never is −0
    const a = Math.round(t / PAIR_SHIFT) + 0;
    const n = 2 * j;
    out[n * stride + at] = a + bias[n];
    if (n + 1 < nEnd) out[(n + 1) * stride + at] = t - a * PAIR_SHIFT + bias[n + 1];
  }
}

function pairScratch(np: number): void {
  if (pairOut.length < np) {
    pairOut = new Float64Array(np);
    zeroBias = new Float64Array(np);
  }
}

// Scratch of the kernels, grown on demand and reused (the kernels are synchronous and never nest).
// The terms of one dot product: termAt[i] = k·N (the term's row in the transposed weights), termVal[i] = input value.
let termAt = new Int32Array(1024);
let termVal = new Float64Array(1024);
let termCount = new Int32Array(64);
// The input's nonzero cells row by row: rowFirst[row·(W+1) + ix] = index in nzX (column) and nzV
// (value) of the first nonzero at or after column ix.
let rowFirst = new Int32Array(4096);
let nzX = new Int32Array(4096);
let nzV = new Float64Array(4096);
let inputF64 = new Float64Array(4096);

function termScratch(n: number): void {
  if (termAt.length < n) {
    termAt = new Int32Array(n);
    termVal = new Float64Array(n);
  }
}

/**
 * `x` as float64 in a scratch buffer reused across calls: valid until the next call. The kernels
 * read float64 only, so their element accesses stay monomorphic.
 */
export function scratchF64(x: ArrayLike<number>): Float64Array {
  if (inputF64.length < x.length) inputF64 = new Float64Array(x.length);
  const out = inputF64;
  for (let i = 0; i < x.length; i++) out[i] = x[i];
  return out;
}

/**
 * out[n·stride + at] = (Σ_{i in [from, to)} wt[termAt[i] + n] · termVal[i]) + bias[n] for n in [n0, n1): each
 * output's terms summed in list order from +0, in registers, eight outputs at a time sharing each
 * term's loads (the weight rows are padded so that the last block reads inside them).
 */
function dotTerms(from: number, to: number, wt: Float64Array, bias: Float64Array, n0: number, n1: number, out: Float64Array, stride: number, at: number): void {
  const idx = termAt;
  const val = termVal;
  for (let n = n0; n < n1; n += 8) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let i = from; i < to; i++) {
      const b = idx[i] + n;
      const v = val[i];
      s0 += wt[b] * v;
      s1 += wt[b + 1] * v;
      s2 += wt[b + 2] * v;
      s3 += wt[b + 3] * v;
      s4 += wt[b + 4] * v;
      s5 += wt[b + 5] * v;
      s6 += wt[b + 6] * v;
      s7 += wt[b + 7] * v;
    }
    // the last block may pass n1: its extra sums are dropped
    const o = n * stride + at;
    out[o] = s0 + bias[n];
    if (n + 1 < n1) out[o + stride] = s1 + bias[n + 1];
    if (n + 2 < n1) out[o + 2 * stride] = s2 + bias[n + 2];
    if (n + 3 < n1) out[o + 3 * stride] = s3 + bias[n + 3];
    if (n + 4 < n1) out[o + 4 * stride] = s4 + bias[n + 4];
    if (n + 5 < n1) out[o + 5 * stride] = s5 + bias[n + 5];
    if (n + 6 < n1) out[o + 6 * stride] = s6 + bias[n + 6];
    if (n + 7 < n1) out[o + 7 * stride] = s7 + bias[n + 7];
  }
}

/**
 * Indexes the nonzero cells of a C×H×W tensor row by row (see rowFirst) so that a window's terms
 * are copied without testing every cell.
 */
function indexNonzeros(x: Float64Array, c: number, h: number, w: number): void {
  const rows = c * h;
  if (rowFirst.length < rows * (w + 1)) rowFirst = new Int32Array(rows * (w + 1));
  if (nzX.length < rows * w) {
    nzX = new Int32Array(rows * w);
    nzV = new Float64Array(rows * w);
  }
  const first = rowFirst;
  const xs = nzX;
  const vs = nzV;
  let j = 0;
  for (let r = 0; r < rows; r++) {
    const f = r * (w + 1);
    const o = r * w;
    for (let ix = 0; ix < w; ix++) {
      first[f + ix] = j;
      const v = x[o + ix];
      if (v !== 0) {
        xs[j] = ix;
        vs[j] = v;
        j++;
      }
    }
    first[f + w] = j;
  }
}

/**
 * Convolution accumulators: out[n·P + p] = bias[n] + Σ_k weight[n·K + k] · patch_p[k], where
 * weight is the OIHW weight read as N rows of K. Each sum runs over k in ascending order from +0,
 * the order of a plain dot product with the im2col patch. Terms whose input is 0 (zero values and
 * padding) are left out when every weight is finite: such a term is ±0, a partial sum that starts
 * at +0 is never −0 under round to nearest (x + y = −0 only when both are −0), and s + (±0) = s for
 * any other s, so the float64 results are identical to the full sum's bit for bit.
 */
export function convAccumulate(x: Float64Array, inShape: readonly number[], node: Conv2dNode, g: ConvGeometry, weight: Float64Array, bias: Float64Array, out: Float64Array, integer = false): void {
  const keepZeros = !allFinite(weight);
  // integer locals (`| 0`): shape and geometry fields may be held as doubles, which would put
  // float-to-index conversions in the inner loops
  const h = inShape[2] | 0;
  const w = inShape[3] | 0;
  const kh = node.kernel[0] | 0;
  const kw = node.kernel[1] | 0;
  const sh = node.stride[0] | 0;
  const sw = node.stride[1] | 0;
  const dh = node.dilation[0] | 0;
  const dw = node.dilation[1] | 0;
  const pt = node.pads[0] | 0;
  const pl = node.pads[1] | 0;
  const k = g.k | 0;
  const n = g.n | 0;
  const p = g.positions | 0;
  const ho = g.ho | 0;
  const wo = g.wo | 0;
  const groupIn = g.groupIn | 0;
  const groupOut = g.groupOut | 0;
  // integers (`integer`: inputs, weights and bias): two outputs per multiply when the sums fit
  const paired = integer && (node.groups === 1 || groupOut % 2 === 0) && canPair(weight, k, n, x, (inShape[1] | 0) * h * w);
  // the terms' row stride in the weight matrix used: N, or ⌈N/2⌉ paired
  const np = (n + 1) >> 1;
  const ns = paddedWidth(paired ? np : n);
  const wt = paired ? pairPacked(weight, k, n).wp : transposed(weight, k, n);
  if (paired) pairScratch(np);
  // the terms of one output row's positions: position ox's list starts at ox·K, its length in termCount[ox]
  termScratch(wo * k);
  if (termCount.length < wo) termCount = new Int32Array(wo);
  const idx = termAt;
  const val = termVal;
  const count = termCount;
  // dilation-1 rows without zeros to keep: copy each window row's nonzero cells from the row index
  const byRow = !keepZeros && dw === 1;
  if (byRow) indexNonzeros(x, inShape[1] | 0, h, w);
  const first = rowFirst;
  const xs = nzX;
  const vs = nzV;
  for (let group = 0; group < node.groups; group++) {
    const c0 = group * groupIn;
    const n0 = group * groupOut;
    const n1 = n0 + groupOut;
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) count[ox] = ox * k;
      // patch rows in k order (c, ky); each row's cells in kx order
      for (let c = 0; c < groupIn; c++) {
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - pt;
          const r0 = (c * kh + ky) * kw;
          if (iy < 0 || iy >= h) {
            if (keepZeros) {
              for (let ox = 0; ox < wo; ox++) {
                let m = count[ox];
                for (let kx = 0; kx < kw; kx++, m++) {
                  idx[m] = (r0 + kx) * ns;
                  val[m] = 0;
                }
                count[ox] = m;
              }
            }
            continue;
          }
          const row = (c0 + c) * h + iy;
          if (byRow) {
            // each nonzero cell of the row joins the lists of the positions whose window covers it,
            // at k = r0 + (ix − x0): cells in ascending ix keep each list in ascending k
            const f = row * (w + 1);
            const end = first[f + w];
            for (let j = first[f]; j < end; j++) {
              const ix = xs[j];
              const v = vs[j];
              // positions with x0 = ox·sw − pl in (ix − kw, ix]
              const a = ix + pl - kw + 1;
              const oxLo = a <= 0 ? 0 : sw === 1 ? a : Math.ceil(a / sw);
              const b = sw === 1 ? ix + pl : Math.floor((ix + pl) / sw);
              const oxHi = b < wo ? b : wo - 1;
              const k0 = r0 + ix + pl;
              for (let ox = oxLo; ox <= oxHi; ox++) {
                const m = count[ox];
                idx[m] = (k0 - ox * sw) * ns;
                val[m] = v;
                count[ox] = m + 1;
              }
            }
          } else {
            for (let ox = 0; ox < wo; ox++) {
              const x0 = ox * sw - pl;
              let m = count[ox];
              for (let kx = 0; kx < kw; kx++) {
                const ix = x0 + kx * dw;
                const v = ix >= 0 && ix < w ? x[row * w + ix] : 0;
                if (v !== 0 || keepZeros) {
                  idx[m] = (r0 + kx) * ns;
                  val[m] = v;
                  m++;
                }
              }
              count[ox] = m;
            }
          }
        }
      }
      for (let ox = 0; ox < wo; ox++) {
        if (count[ox] === ox * k) {
          // no terms: every sum is +0
          for (let o = n0; o < n1; o++) out[o * p + oy * wo + ox] = 0 + bias[o];
        } else if (paired) {
          const j0 = n0 >> 1;
          const j1 = (n1 + 1) >> 1;
          dotTerms(ox * k, count[ox], wt, zeroBias, j0, j1, pairOut, 1, 0);
          unpackPairs(j0, j1, n1, bias, out, p, oy * wo + ox);
        } else dotTerms(ox * k, count[ox], wt, bias, n0, n1, out, p, oy * wo + ox);
      }
    }
  }
}

/** Weight matrices denseAccumulate has seen. */
const denseUsed = new WeakSet<Float64Array>();

/** out[n] = bias[n] + Σ_k weight[n·K + k] · x[k], in ascending k from +0 (zero inputs left out as in convAccumulate). */
export function denseAccumulate(x: Float64Array, kIn: number, nOut: number, weight: Float64Array, bias: Float64Array, out: Float64Array, integer = false): void {
  const k = kIn | 0;
  const n = nOut | 0;
  const keepZeros = !allFinite(weight);
  // the first use of a weight matrix reads it as it is: rearranging it (below) costs more than one product
  if (!denseUsed.has(weight)) {
    denseUsed.add(weight);
    for (let o = 0; o < n; o++) {
      const row = o * k;
      let s = 0;
      for (let i = 0; i < k; i++) {
        const v = x[i];
        if (v !== 0 || keepZeros) s += weight[row + i] * v;
      }
      out[o] = s + bias[o];
    }
    return;
  }
  const paired = integer && canPair(weight, k, n, x, k);
  const np = (n + 1) >> 1;
  const ns = paddedWidth(paired ? np : n);
  const wt = paired ? pairPacked(weight, k, n).wp : transposed(weight, k, n);
  termScratch(k);
  const idx = termAt;
  const val = termVal;
  let m = 0;
  for (let i = 0; i < k; i++) {
    const v = x[i];
    if (v !== 0 || keepZeros) {
      idx[m] = i * ns;
      val[m] = v;
      m++;
    }
  }
  if (paired) {
    pairScratch(np);
    dotTerms(0, m, wt, zeroBias, 0, np, pairOut, 1, 0);
    unpackPairs(0, np, n, bias, out, 1, 0);
  } else dotTerms(0, m, wt, bias, 0, n, out, 1, 0);
}
