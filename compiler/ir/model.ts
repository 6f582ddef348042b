// The compiler's model IR: a single-input, single-output graph of inference layers in topological
// order, with float weights, every value's shape inferred and checked. Tensors are NCHW (or N×F
// for dense layers) with batch N = 1. Names of values are strings; every node writes one value.
// BatchNorm has no node: importers fold it into the preceding convolution or dense layer
// (`foldBatchNorm`). Quantisation (compiler/quant/) and both reference executors
// (compiler/reference/) work on this IR.
// Left out: batch > 1, broadcasting other than a per-channel bias, recurrent layers, ceil-mode and
// dilated pooling, softmax over any axis other than the last of an N×F tensor.

import { RramsimError } from "../../sim/errors";

interface NodeBase {
  name: string;
  inputs: string[];
  output: string;
}

/** y[n] = Σ_k weight[n·K + k] · x[k] + bias[n]; x is 1×K, y is 1×N. */
export interface DenseNode extends NodeBase {
  kind: "dense";
  inFeatures: number;
  outFeatures: number;
  /** [outFeatures][inFeatures] */
  weight: Float32Array;
  bias: Float32Array;
}

/** 2-D convolution (cross-correlation, as in ONNX Conv). */
export interface Conv2dNode extends NodeBase {
  kind: "conv2d";
  inChannels: number;
  outChannels: number;
  /** [kh, kw] */
  kernel: [number, number];
  /** [sh, sw] */
  stride: [number, number];
  /** [top, left, bottom, right] */
  pads: [number, number, number, number];
  /** [dh, dw] */
  dilation: [number, number];
  groups: number;
  /** [outChannels][inChannels / groups][kh][kw] (ONNX OIHW) */
  weight: Float32Array;
  bias: Float32Array;
}

export interface PoolNode extends NodeBase {
  kind: "maxPool" | "avgPool";
  kernel: [number, number];
  stride: [number, number];
  pads: [number, number, number, number];
  /** average pooling: divide by the whole window (true) or only the cells inside the input (false) */
  countIncludePad: boolean;
}

export interface GlobalAvgPoolNode extends NodeBase {
  kind: "globalAvgPool";
}

export interface ElementwiseNode extends NodeBase {
  kind: "relu" | "sigmoid" | "tanh";
}

/** y = min(max(x, min), max) */
export interface ClipNode extends NodeBase {
  kind: "clip";
  min: number;
  max: number;
}

/** softmax over the last axis of a 1×F tensor */
export interface SoftmaxNode extends NodeBase {
  kind: "softmax";
}

/** Flatten or Reshape: the same elements in the same (row-major) order, a new shape. */
export interface ReshapeNode extends NodeBase {
  kind: "reshape";
  shape: number[];
}

/** residual addition of two tensors of the same shape */
export interface AddNode extends NodeBase {
  kind: "add";
}

export interface ConcatNode extends NodeBase {
  kind: "concat";
  axis: number;
}

export type ModelNode = DenseNode | Conv2dNode | PoolNode | GlobalAvgPoolNode | ElementwiseNode | ClipNode | SoftmaxNode | ReshapeNode | AddNode | ConcatNode;

export type ModelNodeKind = ModelNode["kind"];

export interface ModelDefinition {
  name: string;
  input: { name: string; shape: number[] };
  output: string;
  nodes: ModelNode[];
}

export interface Model extends ModelDefinition {
  /** the shape of every value, the input's included */
  shapes: Record<string, number[]>;
}

function shapeError(node: { name: string; kind: string }, msg: string): RramsimError {
  return new RramsimError("MODEL_SHAPE", `node '${node.name}' (${node.kind}): ${msg}`);
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Output size of a sliding window along one axis (ONNX Conv/Pool formula, floor mode). */
export function windowOutSize(inSize: number, kernel: number, stride: number, padBegin: number, padEnd: number, dilation = 1): number {
  return Math.floor((inSize + padBegin + padEnd - dilation * (kernel - 1) - 1) / stride) + 1;
}

function fmt(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** The output shape of one node given its input shapes (throws RramsimError MODEL_SHAPE). */
export function inferNodeShape(node: ModelNode, ins: number[][]): number[] {
  const x = ins[0];
  const need4d = () => {
    if (x.length !== 4) throw shapeError(node, `expects an NCHW input, got ${fmt(x)}`);
  };
  switch (node.kind) {
    case "dense": {
      if (x.length !== 2 || x[1] !== node.inFeatures) throw shapeError(node, `expects input [1,${node.inFeatures}], got ${fmt(x)}`);
      if (node.weight.length !== node.inFeatures * node.outFeatures) throw shapeError(node, `weight has ${node.weight.length} values, expected ${node.outFeatures}×${node.inFeatures}`);
      if (node.bias.length !== node.outFeatures) throw shapeError(node, `bias has ${node.bias.length} values, expected ${node.outFeatures}`);
      return [1, node.outFeatures];
    }
    case "conv2d": {
      need4d();
      const [kh, kw] = node.kernel;
      if (x[1] !== node.inChannels) throw shapeError(node, `expects ${node.inChannels} input channels, got ${fmt(x)}`);
      if (node.groups < 1 || node.inChannels % node.groups !== 0 || node.outChannels % node.groups !== 0) {
        throw shapeError(node, `groups ${node.groups} must divide ${node.inChannels} input and ${node.outChannels} output channels`);
      }
      if (node.weight.length !== node.outChannels * (node.inChannels / node.groups) * kh * kw)
        throw shapeError(node, `weight has ${node.weight.length} values, expected ${node.outChannels}×${node.inChannels / node.groups}×${kh}×${kw}`);
      if (node.bias.length !== node.outChannels) throw shapeError(node, `bias has ${node.bias.length} values, expected ${node.outChannels}`);
      const ho = windowOutSize(x[2], kh, node.stride[0], node.pads[0], node.pads[2], node.dilation[0]);
      const wo = windowOutSize(x[3], kw, node.stride[1], node.pads[1], node.pads[3], node.dilation[1]);
      if (!(ho >= 1 && wo >= 1)) throw shapeError(node, `kernel ${kh}×${kw} does not fit input ${fmt(x)}`);
      return [1, node.outChannels, ho, wo];
    }
    case "maxPool":
    case "avgPool": {
      need4d();
      const ho = windowOutSize(x[2], node.kernel[0], node.stride[0], node.pads[0], node.pads[2]);
      const wo = windowOutSize(x[3], node.kernel[1], node.stride[1], node.pads[1], node.pads[3]);
      if (!(ho >= 1 && wo >= 1)) throw shapeError(node, `window ${node.kernel.join("×")} does not fit input ${fmt(x)}`);
      if (node.pads[0] >= node.kernel[0] || node.pads[1] >= node.kernel[1] || node.pads[2] >= node.kernel[0] || node.pads[3] >= node.kernel[1]) {
        throw shapeError(node, `padding ${fmt(node.pads)} must be smaller than the window ${node.kernel.join("×")}`);
      }
      return [1, x[1], ho, wo];
    }
    case "globalAvgPool":
      need4d();
      return [1, x[1], 1, 1];
    case "relu":
    case "sigmoid":
    case "tanh":
    case "clip":
      return [...x];
    case "softmax":
      if (x.length !== 2) throw shapeError(node, `supports a [1,F] input only, got ${fmt(x)}`);
      return [...x];
    case "reshape":
      if (shapeSize(node.shape) !== shapeSize(x) || node.shape.some((d) => !(Number.isInteger(d) && d >= 1))) {
        throw shapeError(node, `cannot reshape ${fmt(x)} to ${fmt(node.shape)}`);
      }
      if (node.shape[0] !== 1) throw shapeError(node, `the batch dimension must stay 1 (target ${fmt(node.shape)})`);
      return [...node.shape];
    case "add": {
      const y = ins[1];
      if (ins.length !== 2 || fmt(x) !== fmt(y)) throw shapeError(node, `needs two inputs of the same shape, got ${ins.map(fmt).join(" and ")}`);
      return [...x];
    }
    case "concat": {
      const axis = node.axis;
      if (!(axis >= 1 && axis < x.length)) throw shapeError(node, `axis ${axis} is not a non-batch axis of ${fmt(x)}`);
      const out = [...x];
      out[axis] = 0;
      for (const s of ins) {
        if (s.length !== x.length || s.some((d, i) => i !== axis && d !== x[i])) throw shapeError(node, `inputs ${ins.map(fmt).join(", ")} differ outside axis ${axis}`);
        out[axis] += s[axis];
      }
      return out;
    }
  }
}

const ARITY: Record<ModelNodeKind, number | "many"> = {
  dense: 1,
  conv2d: 1,
  maxPool: 1,
  avgPool: 1,
  globalAvgPool: 1,
  relu: 1,
  sigmoid: 1,
  tanh: 1,
  clip: 1,
  softmax: 1,
  reshape: 1,
  add: 2,
  concat: "many",
};

/** Checks a model definition and infers every value's shape. Throws RramsimError MODEL_SHAPE. */
export function createModel(def: ModelDefinition): Model {
  const shapes: Record<string, number[]> = {};
  const inShape = def.input.shape;
  if (inShape.length < 2 || inShape[0] !== 1 || inShape.some((d) => !(Number.isInteger(d) && d >= 1))) {
    throw new RramsimError("MODEL_SHAPE", `input '${def.input.name}': shape ${fmt(inShape)} must be fixed, with batch 1`);
  }
  shapes[def.input.name] = [...inShape];
  for (const node of def.nodes) {
    const arity = ARITY[node.kind];
    if (arity === "many" ? node.inputs.length < 1 : node.inputs.length !== arity) {
      throw shapeError(node, `takes ${arity === "many" ? "at least one input" : `${arity} input(s)`}, got ${node.inputs.length}`);
    }
    const ins = node.inputs.map((v) => {
      const s = shapes[v];
      if (!s) throw shapeError(node, `input '${v}' is not produced by an earlier node`);
      return s;
    });
    if (node.output in shapes) throw shapeError(node, `value '${node.output}' is written twice`);
    shapes[node.output] = inferNodeShape(node, ins);
  }
  if (!(def.output in shapes)) throw new RramsimError("MODEL_SHAPE", `output '${def.output}' is not produced by any node`);
  return { ...def, shapes };
}

/** Inference-time batch normalisation: y = γ·(x − mean)/√(var + ε) + β, per channel. */
export interface BatchNormParams {
  scale: ArrayLike<number>;
  bias: ArrayLike<number>;
  mean: ArrayLike<number>;
  variance: ArrayLike<number>;
  epsilon: number;
}

/**
 * Folds a batch normalisation that follows a convolution or dense layer into its weights and
 * bias: w'[n] = w[n]·γ[n]/√(var[n] + ε), b'[n] = (b[n] − mean[n])·γ[n]/√(var[n] + ε) + β[n].
 */
export function foldBatchNorm<T extends DenseNode | Conv2dNode>(node: T, bn: BatchNormParams, output = node.output): T {
  const n = node.kind === "dense" ? node.outFeatures : node.outChannels;
  for (const [key, arr] of Object.entries({ scale: bn.scale, bias: bn.bias, mean: bn.mean, variance: bn.variance })) {
    if (arr.length !== n) throw shapeError(node, `batch-norm ${key} has ${arr.length} values, expected ${n}`);
  }
  const per = node.weight.length / n;
  const weight = new Float32Array(node.weight.length);
  const bias = new Float32Array(n);
  for (let o = 0; o < n; o++) {
    const f = bn.scale[o] / Math.sqrt(bn.variance[o] + bn.epsilon);
    for (let i = 0; i < per; i++) weight[o * per + i] = node.weight[o * per + i] * f;
    bias[o] = (node.bias[o] - bn.mean[o]) * f + bn.bias[o];
  }
  return { ...node, weight, bias, output };
}

/** Number of weights (and biases) of a model's dense and conv layers. */
export function parameterCount(model: ModelDefinition): number {
  let n = 0;
  for (const node of model.nodes) if (node.kind === "dense" || node.kind === "conv2d") n += node.weight.length + node.bias.length;
  return n;
}
