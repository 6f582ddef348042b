// The operators that become crossbar layers: Conv → conv2d (2-D, any group count, dilation,
// explicit or auto pads) and Gemm / MatMul → dense, the weight stored [N][K] (Gemm's transB order)
// with alpha applied and beta·C as the bias. Weights and biases must be constants.
// Left out: 1-D and 3-D convolutions, ConvTranspose, a computed weight, MatMul on more than 2-D,
// transA with a batch other than 1.

import { attrFloat, attrInt, attrInts, windowAttrs } from "./attributes";
import type { ImportContext, OnnxOpDef, OpNode } from "./context";

function readConv(ctx: ImportContext, n: OpNode): void {
  const x = ctx.shapeOf(n, n.ins[0]);
  const w = ctx.constInput(n, 1, "weight");
  const b = ctx.optionalConstInput(n, 2, "bias");
  if (w.dims.length !== 4) throw ctx.unsupported(n, `only 2-D convolutions are supported (weight dims [${w.dims.join(",")}])`);
  const kernel: [number, number] = [w.dims[2], w.dims[3]];
  const ks = attrInts(n, "kernel_shape");
  if (ks && (ks[0] !== kernel[0] || ks[1] !== kernel[1])) throw ctx.invalid(n, `kernel_shape [${ks.join(",")}] disagrees with weight dims [${w.dims.join(",")}]`);
  const d = attrInts(n, "dilations") ?? [1, 1];
  const dilation: [number, number] = [d[0], d[1]];
  const groups = attrInt(n, "group", 1);
  ctx.push(n, {
    kind: "conv2d",
    name: n.name,
    output: n.out,
    inputs: [ctx.name(n.ins[0])],
    inChannels: x[1],
    outChannels: w.dims[0],
    kernel,
    ...windowAttrs(ctx, n, x, kernel, dilation),
    dilation,
    groups,
    weight: Float32Array.from(w.data),
    bias: b ? Float32Array.from(b.data) : new Float32Array(w.dims[0]),
  });
}

/** Gemm (`gemm`: with its attributes and bias C) or MatMul (a plain x·B). */
function readDense(ctx: ImportContext, n: OpNode, gemm: boolean): void {
  const x = ctx.shapeOf(n, n.ins[0]);
  const B = ctx.constInput(n, 1, "B");
  const transA = gemm ? attrInt(n, "transA", 0) : 0;
  const transB = gemm ? attrInt(n, "transB", 0) : 0;
  const alpha = gemm ? attrFloat(n, "alpha", 1) : 1;
  const beta = gemm ? attrFloat(n, "beta", 1) : 1;
  if (x.length !== 2 || B.dims.length !== 2) throw ctx.unsupported(n, `needs a 2-D input and a 2-D weight (got [${x.join(",")}] and [${B.dims.join(",")}])`);
  const k = transA ? x[0] : x[1];
  if (transA && x[1] !== 1) throw ctx.unsupported(n, "transA with a batch other than 1 is not supported");
  const [bk, bn] = transB ? [B.dims[1], B.dims[0]] : B.dims;
  if (bk !== k) throw ctx.invalid(n, `input has ${k} features, weight dims [${B.dims.join(",")}]${transB ? " (transB)" : ""}`);
  const weight = new Float32Array(bn * k);
  for (let o = 0; o < bn; o++) for (let i = 0; i < k; i++) weight[o * k + i] = alpha * (transB ? B.data[o * k + i] : B.data[i * bn + o]);
  const bias = new Float32Array(bn);
  const C = gemm ? ctx.optionalConstInput(n, 2, "C") : undefined;
  if (C) {
    const cn = C.data.length;
    if (!(cn === 1 || cn === bn)) throw ctx.unsupported(n, `bias C with dims [${C.dims.join(",")}] does not broadcast to [1,${bn}]`);
    for (let o = 0; o < bn; o++) bias[o] = beta * C.data[cn === 1 ? 0 : o];
  }
  let input = ctx.name(n.ins[0]);
  if (transA) {
    const flat = `${n.out}::transA`;
    ctx.push(n, { kind: "reshape", name: `${n.name}/transA`, inputs: [input], output: flat, shape: [1, k] });
    input = flat;
  }
  ctx.push(n, { kind: "dense", name: n.name, output: n.out, inputs: [input], inFeatures: k, outFeatures: bn, weight, bias });
}

export const MATRIX_OPS = {
  Conv: { doc: "2-D; kernel_shape, strides, pads, dilations, group, auto_pad; weight and bias constant", read: readConv },
  Gemm: { doc: "transA (batch 1), transB, alpha, beta; B and C constant, C of size 1 or N", read: (ctx, n) => readDense(ctx, n, true) },
  MatMul: { doc: "[1, K] × constant [K, N]; a following constant Add becomes the bias", read: (ctx, n) => readDense(ctx, n, false) },
} satisfies Record<string, OnnxOpDef>;
