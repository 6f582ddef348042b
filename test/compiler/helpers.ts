// Test helpers: building ONNX files by hand, naive reference kernels written independently of
// compiler/reference/kernels.ts, and error-code capture.
export { codeOf, errorOf } from "../errors";
import { onnxModelType, type OnnxModel } from "../../compiler/onnx/proto";
import { RandomStream } from "../../sim/random";

export function encodeOnnx(m: OnnxModel): Uint8Array {
  const t = onnxModelType();
  return t.encode(t.fromObject(m)).finish();
}

export function floatInit(name: string, dims: number[], data: number[]) {
  return { name, dims, data_type: 1, float_data: data };
}

export function vi(name: string, dims: (number | string)[]) {
  return { name, type: { tensor_type: { elem_type: 1, shape: { dim: dims.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) } } } };
}

export function randomArray(seed: number, path: string, n: number, scale = 1): Float32Array {
  const r = new RandomStream(seed, path);
  return Float32Array.from({ length: n }, () => (r.uniform() * 2 - 1) * scale);
}

/** Direct (non-im2col) convolution, NCHW, batch 1: the textbook six nested loops. */
export function naiveConv(
  x: ArrayLike<number>,
  [c, h, w]: number[],
  weight: ArrayLike<number>,
  bias: ArrayLike<number>,
  cout: number,
  [kh, kw]: number[],
  [sh, sw]: number[],
  [pt, pl, pb, pr]: number[],
  [dh, dw]: number[],
  groups: number,
): { out: number[]; ho: number; wo: number } {
  const ho = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const wo = Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const cpg = c / groups;
  const opg = cout / groups;
  const out: number[] = [];
  for (let o = 0; o < cout; o++) {
    const g = Math.floor(o / opg);
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        let s = bias[o];
        for (let ci = 0; ci < cpg; ci++) {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const iy = oy * sh - pt + ky * dh;
              const ix = ox * sw - pl + kx * dw;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              s += weight[((o * cpg + ci) * kh + ky) * kw + kx] * x[((g * cpg + ci) * h + iy) * w + ix];
            }
          }
        }
        out.push(s);
      }
    }
  }
  return { out, ho, wo };
}
