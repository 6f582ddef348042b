// The per-layer quantisers, one per IR node kind, following the integer semantics stated at the top
// of compiler/quant/quantize.ts: dense/conv weights, bias and requantisation (a sole following ReLU
// fused), pools and reshapes that keep their input's format, clamps for ReLU/Clip, lookup tables
// for Sigmoid/Tanh, Softmax's output format, and the requantisations of residual Add and Concat.
// Each records its output's format in `ctx.params` and returns the layer.
// Left out: the calibration (compiler/quant/calibrate.ts) and the walk over the nodes (quantize.ts).

import { REQUANT_MAX_ABS_ACC, roundHalfEven, type Requant } from "../../sim/fixed-point";
import type { AddNode, ClipNode, ConcatNode, Conv2dNode, DenseNode, ElementwiseNode, GlobalAvgPoolNode, Model, ModelNode, SoftmaxNode } from "../ir/model";
import { convGeometry } from "../reference/kernels";
import { quantError, rangeParams, requantOf, type QuantParams } from "./params";
import type { QuantizedLayer, ResolvedQuantizeOptions } from "./quantized-model";

/** Bound of 32-bit values: biases, and the requantisations inside a residual Add. */
const WIDE = 2 ** 31;

export interface LayerQuantContext {
  model: Model;
  options: ResolvedQuantizeOptions;
  /** the format of every tensor quantised so far (a node's inputs are there before it) */
  params: Record<string, QuantParams>;
  /** the calibrated range of tensor `v` */
  range(v: string): number;
  /** the ReLU that alone reads `v` (not the model output), if any, now fused: the driver skips it */
  fuseSoleRelu(v: string): ModelNode | undefined;
}

/** What the driver works out for every node before quantising it. */
export interface LayerStart {
  base: { name: string; inputs: string[]; output: string };
  /** the format of the node's first input */
  inP: QuantParams;
  /** the output's bits (the node's override or the activation bits) */
  outBits: number;
}

function matrixLayer(ctx: LayerQuantContext, node: DenseNode | Conv2dNode, { base, inP, outBits }: LayerStart): QuantizedLayer {
  const { model, options: o, params } = ctx;
  const relu = ctx.fuseSoleRelu(node.output);
  const output = relu ? relu.output : node.output;
  const outP = rangeParams(outBits, !relu, ctx.range(output));
  const wBits = o.layers[node.name]?.weightBits ?? o.weightBits;
  if (!(Number.isInteger(wBits) && wBits >= 2 && wBits <= 16)) throw quantError(`${node.name}: weight bits must be an integer in 2 … 16 (got ${wBits})`);
  const wMax = 2 ** (wBits - 1) - 1;
  let k: number;
  let n: number;
  let positions: number;
  if (node.kind === "dense") {
    k = node.inFeatures;
    n = node.outFeatures;
    positions = 1;
  } else {
    const g = convGeometry(node, model.shapes[node.inputs[0]], model.shapes[node.output]);
    k = g.k;
    n = g.n;
    positions = g.positions;
  }
  const weightScales = new Float64Array(n);
  let layerMax = 0;
  for (let i = 0; i < node.weight.length; i++) layerMax = Math.max(layerMax, Math.abs(node.weight[i]));
  for (let c = 0; c < n; c++) {
    let m = layerMax;
    if (o.perChannel) {
      m = 0;
      for (let i = 0; i < k; i++) m = Math.max(m, Math.abs(node.weight[c * k + i]));
    }
    weightScales[c] = m > 0 ? m / wMax : 1;
  }
  const weights = new Int32Array(n * k);
  const bias = new Int32Array(n);
  const requant: Requant[] = [];
  let maxBias = 0;
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < k; i++) weights[c * k + i] = roundHalfEven(node.weight[c * k + i] / weightScales[c]);
    const accScale = inP.scale * weightScales[c];
    const b = roundHalfEven(node.bias[c] / accScale);
    if (Math.abs(b) >= WIDE) throw quantError(`${node.name}: bias of column ${c} needs more than 32 bits (${b}); the weights or input scale are too small`);
    bias[c] = b;
    maxBias = Math.max(maxBias, Math.abs(b));
    requant.push(requantOf(accScale / outP.scale, relu ? 0 : outP.lo, outP.hi, node.name));
  }
  const maxAbsAcc = k * wMax * Math.max(Math.abs(inP.lo), Math.abs(inP.hi)) + maxBias;
  if (maxAbsAcc >= REQUANT_MAX_ABS_ACC) throw quantError(`${node.name}: accumulators could reach ${maxAbsAcc} ≥ 2^37; use fewer weight or activation bits`);
  params[output] = outP;
  return { kind: node.kind, ...base, output, node, k, n, positions, weightBits: wBits, weightScales, weights, bias, requant, inputParams: inP, outputParams: outP, maxAbsAcc, ...(relu ? { fusedRelu: relu.name } : {}) };
}

function globalAvgPoolLayer(ctx: LayerQuantContext, node: GlobalAvgPoolNode, { base, inP }: LayerStart): QuantizedLayer {
  const [, , h, w] = ctx.model.shapes[node.inputs[0]];
  ctx.params[node.output] = inP;
  return { kind: "globalAvgPool", ...base, requant: requantOf(1 / (h * w), inP.lo, inP.hi, node.name) };
}

/** ReLU (not fused) and Clip: a clamp of the codes. */
function clampLayer(ctx: LayerQuantContext, node: ElementwiseNode | ClipNode, { base, inP }: LayerStart): QuantizedLayer {
  let lo = Math.max(0, inP.lo);
  let hi = inP.hi;
  if (node.kind === "clip") {
    const code = (bound: number) => Math.max(inP.lo, Math.min(inP.hi, roundHalfEven(bound / inP.scale)));
    lo = node.min === -Infinity ? inP.lo : code(node.min);
    hi = node.max === Infinity ? inP.hi : Math.max(lo, code(node.max));
  }
  ctx.params[node.output] = { ...inP, signed: lo < 0, lo, hi };
  return { kind: "clamp", ...base, lo, hi };
}

/** Sigmoid and Tanh: a table over the input codes. */
function lutLayer(ctx: LayerQuantContext, node: ElementwiseNode, fn: "sigmoid" | "tanh", { base, inP, outBits }: LayerStart): QuantizedLayer {
  const outP = fn === "sigmoid" ? rangeParams(outBits, false, 1) : { ...rangeParams(outBits, true, 1), lo: -(2 ** (outBits - 1) - 1) };
  const f = fn === "sigmoid" ? (x: number) => 1 / (1 + Math.exp(-x)) : Math.tanh;
  const table = new Int32Array(inP.hi - inP.lo + 1);
  for (let q = inP.lo; q <= inP.hi; q++) table[q - inP.lo] = Math.min(outP.hi, Math.max(outP.lo, roundHalfEven(f(inP.scale * q) / outP.scale)));
  ctx.params[node.output] = outP;
  return { kind: "lut", ...base, fn, inLo: inP.lo, table };
}

function softmaxLayer(ctx: LayerQuantContext, node: SoftmaxNode, { base, inP, outBits }: LayerStart): QuantizedLayer {
  const outP = rangeParams(outBits, false, 1);
  ctx.params[node.output] = outP;
  return { kind: "softmax", ...base, inScale: inP.scale, outHi: outP.hi };
}

function addLayer(ctx: LayerQuantContext, node: AddNode, { base, outBits }: LayerStart): QuantizedLayer {
  const relu = ctx.fuseSoleRelu(node.output);
  const output = relu ? relu.output : node.output;
  const outP = rangeParams(outBits, !relu, ctx.range(output));
  const [a, b] = node.inputs.map((v) => ctx.params[v]);
  ctx.params[output] = outP;
  return {
    kind: "add",
    ...base,
    output,
    requantA: requantOf(a.scale / outP.scale, -WIDE, WIDE, node.name),
    requantB: requantOf(b.scale / outP.scale, -WIDE, WIDE, node.name),
    lo: relu ? 0 : outP.lo,
    hi: outP.hi,
    ...(relu ? { fusedRelu: relu.name } : {}),
  };
}

function concatLayer(ctx: LayerQuantContext, node: ConcatNode, { base, outBits }: LayerStart): QuantizedLayer {
  const ins = node.inputs.map((v) => ctx.params[v]);
  const outP = rangeParams(
    outBits,
    ins.some((p) => p.signed),
    ctx.range(node.output),
  );
  ctx.params[node.output] = outP;
  return { kind: "concat", ...base, axis: node.axis, requants: ins.map((p) => requantOf(p.scale / outP.scale, outP.lo, outP.hi, node.name)) };
}

/** Quantises one node (a ReLU fused into the layer before it never gets here). */
export function quantizeLayer(ctx: LayerQuantContext, node: ModelNode, start: LayerStart): QuantizedLayer {
  switch (node.kind) {
    case "dense":
    case "conv2d":
      return matrixLayer(ctx, node, start);
    case "maxPool":
    case "avgPool":
      ctx.params[node.output] = start.inP;
      return { kind: node.kind, ...start.base, node };
    case "globalAvgPool":
      return globalAvgPoolLayer(ctx, node, start);
    case "reshape":
      ctx.params[node.output] = start.inP;
      return { kind: "reshape", ...start.base };
    case "relu":
    case "clip":
      return clampLayer(ctx, node, start);
    case "sigmoid":
    case "tanh":
      return lutLayer(ctx, node, node.kind, start);
    case "softmax":
      return softmaxLayer(ctx, node, start);
    case "add":
      return addLayer(ctx, node, start);
    case "concat":
      return concatLayer(ctx, node, start);
  }
}
