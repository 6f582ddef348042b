// How the reference kernels (compiler/reference/kernels.ts) read a weight matrix: transposed to
// K rows padded past N (so a block of eight outputs reads inside its row), or, for integer layers,
// two outputs packed per value (PAIR_SHIFT); each layout made once per weight array and cached (the
// weights are not changed after their first use), with whether every weight is finite.
// Left out: the kernels themselves and their scratch buffers.

const finiteCache = new WeakMap<Float64Array, boolean>();
const transposeCache = new WeakMap<Float64Array, Float64Array>();

/** Whether every weight is finite, cached per array (weights are not changed after their first use). */
export function allFinite(a: Float64Array): boolean {
  let f = finiteCache.get(a);
  if (f === undefined) {
    f = true;
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) {
        f = false;
        break;
      }
    }
    finiteCache.set(a, f);
  }
  return f;
}

/**
 * Rows of the weight matrices dotTerms (kernels.ts) reads are N + 7 wide, zero past N, so that a
 * block of eight outputs starting at any n < N reads inside its row.
 */
export function paddedWidth(n: number): number {
  return n + 7;
}

/** Visits an N × K matrix in 32 × 32 tiles (a transposing copy then stays in cache); output ranges start at even n. */
function forTiles(n: number, k: number, visit: (o0: number, o1: number, i0: number, i1: number) => void): void {
  const T = 32;
  for (let o0 = 0; o0 < n; o0 += T) for (let i0 = 0; i0 < k; i0 += T) visit(o0, Math.min(n, o0 + T), i0, Math.min(k, i0 + T));
}

/** The N × K weight matrix transposed to K rows of paddedWidth(N) (wt[k·(N + 7) + n]), cached per array. */
export function transposed(weight: Float64Array, k: number, n: number): Float64Array {
  let t = transposeCache.get(weight);
  if (t === undefined) {
    const s = paddedWidth(n);
    const out = new Float64Array(k * s);
    forTiles(n, k, (o0, o1, i0, i1) => {
      for (let o = o0; o < o1; o++) for (let i = i0; i < i1; i++) out[i * s + o] = weight[o * k + i];
    });
    t = out;
    transposeCache.set(weight, t);
  }
  return t;
}

/**
 * Integer layers sum two outputs per multiply: wp[k·⌈N/2⌉ + j] = w[2j][k]·2^26 + w[2j+1][k] (0 past
 * N). With integer inputs whose products sum to less than 2^25 in magnitude per output, every
 * partial sum Σ wp·x = A·2^26 + B is an integer below 2^52, so exact, and A = round(T / 2^26),
 * B = T − A·2^26 recover the two sums exactly (|B| < 2^25).
 */
export const PAIR_SHIFT = 2 ** 26;
export const PAIR_LIMIT = 2 ** 25;
const pairCache = new WeakMap<Float64Array, { wp: Float64Array; maxRowAbs: number }>();

export function pairPacked(weight: Float64Array, k: number, n: number): { wp: Float64Array; maxRowAbs: number } {
  let e = pairCache.get(weight);
  if (e === undefined) {
    const np = paddedWidth((n + 1) >> 1);
    const wp = new Float64Array(k * np);
    let maxRowAbs = 0;
    for (let o = 0; o < n; o++) {
      let a = 0;
      for (let i = 0; i < k; i++) a += Math.abs(weight[o * k + i]);
      maxRowAbs = Math.max(maxRowAbs, a);
    }
    // tiles of an even number of outputs: each element gets its even output's term, then its odd one's
    forTiles(n, k, (o0, o1, i0, i1) => {
      for (let o = o0; o < o1; o++) {
        const f = o % 2 === 0 ? PAIR_SHIFT : 1;
        const j = o >> 1;
        for (let i = i0; i < i1; i++) wp[i * np + j] += weight[o * k + i] * f;
      }
    });
    e = { wp, maxRowAbs };
    pairCache.set(weight, e);
  }
  return e;
}

/** Largest |x[i]| for i < n. */
function maxAbs(x: Float64Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] < 0 ? -x[i] : x[i];
    if (a > m) m = a;
  }
  return m;
}

/** Whether an integer layer's outputs may be summed two per multiply (see PAIR_SHIFT). */
export function canPair(weight: Float64Array, k: number, n: number, x: Float64Array, xLength: number): boolean {
  if (!allFinite(weight)) return false;
  return pairPacked(weight, k, n).maxRowAbs * maxAbs(x, xLength) < PAIR_LIMIT;
}
