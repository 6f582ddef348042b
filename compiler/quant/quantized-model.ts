// The quantised model: the quantiser's options and, per layer, the integer data the executors and
// the code generator read (compiler/reference/integer.ts, compiler/codegen). The integer semantics
// they follow are stated at the top of compiler/quant/quantize.ts.
// Left out: how the layers are computed (compiler/quant/layers.ts) and the driver (quantize.ts).

import type { Requant } from "../../sim/fixed-point";
import type { Conv2dNode, DenseNode, Model, PoolNode } from "../ir/model";
import type { QuantParams } from "./params";

export interface QuantizeOptions {
  /** weight bits of every dense/conv layer (default 8) */
  weightBits?: number;
  /** bits of every activation tensor (layer inputs and outputs; default 8) */
  activationBits?: number;
  /** bits of the model input (default activationBits) */
  inputBits?: number;
  /** one weight scale per output channel instead of per layer (default false) */
  perChannel?: boolean;
  /** range estimate per tensor: largest |value| (default) or a percentile of |value| */
  calibration?: "minmax" | "percentile";
  /** percentile for `calibration: "percentile"` (default 99.99) */
  percentile?: number;
  /** per-layer overrides by IR node name */
  layers?: Record<string, { weightBits?: number; outputBits?: number }>;
}

export type ResolvedQuantizeOptions = Required<Omit<QuantizeOptions, "layers">> & { layers: NonNullable<QuantizeOptions["layers"]> };

interface QLayerBase {
  /** the IR node's name (a fused ReLU is named in `fusedRelu`) */
  name: string;
  inputs: string[];
  output: string;
}

/** A dense or conv layer: the part that runs on crossbars. */
export interface QMatrixLayer extends QLayerBase {
  kind: "dense" | "conv2d";
  node: DenseNode | Conv2dNode;
  /** rows (inputs per MVM: in features, or C_in/groups · kh · kw) */
  k: number;
  /** columns (outputs: out features or output channels) */
  n: number;
  /** MVMs per inference (output positions; 1 for dense) */
  positions: number;
  weightBits: number;
  /** weight scale per output column (all equal unless perChannel) */
  weightScales: Float64Array;
  /** integer weights, [n][k] (the ONNX OIHW / Gemm-transB order); see `layerWeightMatrix` for K × N */
  weights: Int32Array;
  /** integer bias per output column, in accumulator units (s_x · s_w[n]) */
  bias: Int32Array;
  /** requantisation per output column */
  requant: Requant[];
  inputParams: QuantParams;
  outputParams: QuantParams;
  /** name of the ReLU fused into the requantisation, if any */
  fusedRelu?: string;
  /** the largest |accumulator| the layer can produce with its codes */
  maxAbsAcc: number;
}

export interface QPoolLayer extends QLayerBase {
  kind: "maxPool" | "avgPool";
  node: PoolNode;
}

export interface QGlobalAvgPoolLayer extends QLayerBase {
  kind: "globalAvgPool";
  requant: Requant;
}

export interface QClampLayer extends QLayerBase {
  kind: "clamp";
  lo: number;
  hi: number;
}

export interface QLutLayer extends QLayerBase {
  kind: "lut";
  fn: "sigmoid" | "tanh";
  /** code of table[0] */
  inLo: number;
  table: Int32Array;
}

export interface QSoftmaxLayer extends QLayerBase {
  kind: "softmax";
  inScale: number;
  outHi: number;
}

export interface QReshapeLayer extends QLayerBase {
  kind: "reshape";
}

export interface QAddLayer extends QLayerBase {
  kind: "add";
  requantA: Requant;
  requantB: Requant;
  lo: number;
  hi: number;
  fusedRelu?: string;
}

export interface QConcatLayer extends QLayerBase {
  kind: "concat";
  requants: Requant[];
  axis: number;
}

export type QuantizedLayer = QMatrixLayer | QPoolLayer | QGlobalAvgPoolLayer | QClampLayer | QLutLayer | QSoftmaxLayer | QReshapeLayer | QAddLayer | QConcatLayer;

export interface QuantizedModel {
  model: Model;
  options: ResolvedQuantizeOptions;
  /** integer format of every tensor the integer network computes (the input included) */
  params: Record<string, QuantParams>;
  layers: QuantizedLayer[];
  input: string;
  output: string;
}
