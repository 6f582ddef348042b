// Post-training quantisation of the model IR to integer arithmetic, calibrated on sample inputs.
// The integer semantics (also in docs/compiler.md; compiler/reference/integer.ts executes them):
// - Every tensor t has a real scale s_t and zero point 0: real ≈ s_t · q. Activations are unsigned
//   (range 0 … 2^b − 1) when produced by ReLU, Sigmoid, Softmax, a Clip with min ≥ 0, or by
//   pooling/reshaping/concatenating unsigned tensors; otherwise signed (−2^(b−1) … 2^(b−1) − 1).
//   The model input is unsigned when the calibration data has no negative value.
// - Calibration runs the float network on the samples and takes, per tensor, the largest |value|
//   (`minmax`) or a percentile of |value| (`percentile`); s_t = that / (largest code).
// - Weights are symmetric signed: s_w = max|w| / (2^(b−1) − 1) per layer, or per output channel
//   with `perChannel`; w_q = roundHalfEven(w / s_w) ∈ [−(2^(b−1) − 1), 2^(b−1) − 1].
// - A dense/conv layer computes acc[n] = Σ_k w_q[n][k] · x_q[k] + bias_q[n], with
//   bias_q[n] = roundHalfEven(bias[n] / (s_x · s_w[n])), in exact integers, then
//   y = requantize(acc, {multiplier, shift} = scaleToMultiplierShift(s_x · s_w[n] / s_y), zero
//   point 0, lo, hi}) (sim/fixed-point.ts, the vector unit's requantise). A ReLU that alone reads
//   the layer's output is fused: lo = 0. The quantiser refuses a layer whose |acc| could reach
//   2^37, which keeps |acc · multiplier| < 2^53.
// - Max-pool and reshape keep the codes and scale. Average pools sum the window and requantise by
//   scaleToMultiplierShift(1 / divisor) to the same scale.
// - Residual Add: y = clamp(requantize(a, s_a/s_y) + requantize(b, s_b/s_y), lo, hi), each
//   requantise with bounds ±2^31 (a fused ReLU sets lo = 0). Concat requantises each input to the
//   output's scale.
// - ReLU/Clip alone clamp the codes (Clip's bounds: roundHalfEven(bound / s)). Sigmoid and Tanh are
//   tables over the input codes: y_q = roundHalfEven(f(s_x · q) / s_y) with s_y = 1/(2^b − 1)
//   (sigmoid, unsigned) or 1/(2^(b−1) − 1) (tanh, signed). Softmax, the one non-integer step:
//   y_q = roundHalfEven((2^b − 1) · e_i / Σ e_j) with e_i = exp(s_x · (q_i − max q)) in float64.
// - The model input: x_q = clamp(roundHalfEven(x / s_in), lo, hi).
// Left out: asymmetric (non-zero) zero points, quantisation-aware training, mixed precision search.

import { RramsimError } from "../../sim/errors";
import { REQUANT_MAX_ABS_ACC, roundHalfEven, scaleToMultiplierShift, type Requant } from "../../sim/fixed-point";
import type { LayerDemand } from "../map/mapping";
import type { Conv2dNode, DenseNode, Model, ModelNode, PoolNode } from "../ir/model";
import { runFloatAll } from "../reference/float";
import { convGeometry } from "../reference/kernels";

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

/** How a tensor's integer codes map to reals: real = scale · code, code ∈ [lo, hi]. */
export interface QuantParams {
  scale: number;
  bits: number;
  signed: boolean;
  lo: number;
  hi: number;
}

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

const WIDE = 2 ** 31;

function quantError(msg: string): RramsimError {
  return new RramsimError("MODEL_QUANT", msg);
}

function rangeParams(bits: number, signed: boolean, maxAbs: number): QuantParams {
  if (!(Number.isInteger(bits) && bits >= 2 && bits <= 16)) throw quantError(`activation bits must be an integer in 2 … 16 (got ${bits})`);
  const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const lo = signed ? -(2 ** (bits - 1)) : 0;
  const scale = maxAbs > 0 && Number.isFinite(maxAbs) ? maxAbs / hi : 1;
  return { scale, bits, signed, lo, hi };
}

class RangeStats {
  maxAbs = 0;
  min = Infinity;
  private readonly samples: Float32Array[] = [];
  constructor(private readonly keep: boolean) {}
  add(v: Float32Array): void {
    for (let i = 0; i < v.length; i++) {
      const a = Math.abs(v[i]);
      if (a > this.maxAbs) this.maxAbs = a;
      if (v[i] < this.min) this.min = v[i];
    }
    if (this.keep) this.samples.push(Float32Array.from(v, Math.abs));
  }
  range(percentile: number): number {
    if (!this.keep) return this.maxAbs;
    const all = new Float32Array(this.samples.reduce((a, s) => a + s.length, 0));
    let at = 0;
    for (const s of this.samples) {
      all.set(s, at);
      at += s.length;
    }
    all.sort();
    return all.length ? all[Math.min(all.length - 1, Math.floor((percentile / 100) * (all.length - 1)))] : 0;
  }
}

function requantOf(scale: number, lo: number, hi: number, what: string): Requant {
  try {
    return { ...scaleToMultiplierShift(scale), zeroPoint: 0, lo, hi };
  } catch (e) {
    throw quantError(`${what}: ${(e as Error).message}`);
  }
}

/** Quantises a model, calibrated on `calibration` inputs (each one input tensor, row-major). */
export function quantizeModel(model: Model, calibration: readonly ArrayLike<number>[], opts: QuantizeOptions = {}): QuantizedModel {
  if (calibration.length === 0) throw quantError(`model '${model.name}': calibration needs at least one input`);
  const o: ResolvedQuantizeOptions = {
    weightBits: opts.weightBits ?? 8,
    activationBits: opts.activationBits ?? 8,
    inputBits: opts.inputBits ?? opts.activationBits ?? 8,
    perChannel: opts.perChannel ?? false,
    calibration: opts.calibration ?? "minmax",
    percentile: opts.percentile ?? 99.99,
    layers: opts.layers ?? {},
  };
  for (const name of Object.keys(o.layers)) {
    if (!model.nodes.some((n) => n.name === name)) throw quantError(`layers.${name}: no node of that name in model '${model.name}'`);
  }
  if (!(o.percentile > 0 && o.percentile <= 100)) throw quantError(`percentile must be in (0, 100] (got ${o.percentile})`);

  const stats = new Map<string, RangeStats>();
  const keep = o.calibration === "percentile";
  for (const x of calibration) {
    for (const [v, t] of runFloatAll(model, x)) {
      let s = stats.get(v);
      if (!s) stats.set(v, (s = new RangeStats(keep)));
      s.add(t);
    }
  }
  const range = (v: string) => (stats.get(v) as RangeStats).range(o.percentile);

  const consumers = new Map<string, ModelNode[]>();
  for (const n of model.nodes) for (const v of n.inputs) consumers.set(v, [...(consumers.get(v) ?? []), n]);
  const soleRelu = (v: string): ModelNode | undefined => {
    const c = consumers.get(v) ?? [];
    return v !== model.output && c.length === 1 && c[0].kind === "relu" ? c[0] : undefined;
  };

  const params: Record<string, QuantParams> = {};
  const inStats = stats.get(model.input.name) as RangeStats;
  params[model.input.name] = rangeParams(o.inputBits, inStats.min < 0, range(model.input.name));
  const layers: QuantizedLayer[] = [];
  const fused = new Set<string>();

  for (const node of model.nodes) {
    if (fused.has(node.name)) continue;
    const outBits = o.layers[node.name]?.outputBits ?? o.activationBits;
    const inP = params[node.inputs[0]];
    const base = { name: node.name, inputs: node.inputs, output: node.output };
    switch (node.kind) {
      case "dense":
      case "conv2d": {
        const relu = soleRelu(node.output);
        if (relu) fused.add(relu.name);
        const output = relu ? relu.output : node.output;
        const outP = rangeParams(outBits, !relu, range(output));
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
        layers.push({ kind: node.kind, ...base, output, node, k, n, positions, weightBits: wBits, weightScales, weights, bias, requant, inputParams: inP, outputParams: outP, maxAbsAcc, ...(relu ? { fusedRelu: relu.name } : {}) });
        break;
      }
      case "maxPool":
      case "avgPool":
        params[node.output] = inP;
        layers.push({ kind: node.kind, ...base, node });
        break;
      case "globalAvgPool": {
        const [, , h, w] = model.shapes[node.inputs[0]];
        params[node.output] = inP;
        layers.push({ kind: "globalAvgPool", ...base, requant: requantOf(1 / (h * w), inP.lo, inP.hi, node.name) });
        break;
      }
      case "reshape":
        params[node.output] = inP;
        layers.push({ kind: "reshape", ...base });
        break;
      case "relu":
      case "clip": {
        let lo = Math.max(0, inP.lo);
        let hi = inP.hi;
        if (node.kind === "clip") {
          const code = (bound: number) => Math.max(inP.lo, Math.min(inP.hi, roundHalfEven(bound / inP.scale)));
          lo = node.min === -Infinity ? inP.lo : code(node.min);
          hi = node.max === Infinity ? inP.hi : Math.max(lo, code(node.max));
        }
        params[node.output] = { ...inP, signed: lo < 0, lo, hi };
        layers.push({ kind: "clamp", ...base, lo, hi });
        break;
      }
      case "sigmoid":
      case "tanh": {
        const outP = node.kind === "sigmoid" ? rangeParams(outBits, false, 1) : { ...rangeParams(outBits, true, 1), lo: -(2 ** (outBits - 1) - 1) };
        const f = node.kind === "sigmoid" ? (x: number) => 1 / (1 + Math.exp(-x)) : Math.tanh;
        const table = new Int32Array(inP.hi - inP.lo + 1);
        for (let q = inP.lo; q <= inP.hi; q++) table[q - inP.lo] = Math.min(outP.hi, Math.max(outP.lo, roundHalfEven(f(inP.scale * q) / outP.scale)));
        params[node.output] = outP;
        layers.push({ kind: "lut", ...base, fn: node.kind, inLo: inP.lo, table });
        break;
      }
      case "softmax": {
        const outP = rangeParams(outBits, false, 1);
        params[node.output] = outP;
        layers.push({ kind: "softmax", ...base, inScale: inP.scale, outHi: outP.hi });
        break;
      }
      case "add": {
        const relu = soleRelu(node.output);
        if (relu) fused.add(relu.name);
        const output = relu ? relu.output : node.output;
        const outP = rangeParams(outBits, !relu, range(output));
        const [a, b] = node.inputs.map((v) => params[v]);
        params[output] = outP;
        layers.push({
          kind: "add", ...base, output,
          requantA: requantOf(a.scale / outP.scale, -WIDE, WIDE, node.name),
          requantB: requantOf(b.scale / outP.scale, -WIDE, WIDE, node.name),
          lo: relu ? 0 : outP.lo, hi: outP.hi,
          ...(relu ? { fusedRelu: relu.name } : {}),
        });
        break;
      }
      case "concat": {
        const ins = node.inputs.map((v) => params[v]);
        const outP = rangeParams(outBits, ins.some((p) => p.signed), range(node.output));
        params[node.output] = outP;
        layers.push({ kind: "concat", ...base, axis: node.axis, requants: ins.map((p) => requantOf(p.scale / outP.scale, outP.lo, outP.hi, node.name)) });
        break;
      }
    }
  }
  return { model, options: o, params, layers, input: model.input.name, output: model.output };
}

/** The layer's integer weight matrix, K × N row-major: matrix[k·N + n] (what a crossbar holds). */
export function layerWeightMatrix(layer: QMatrixLayer): Int32Array {
  const { k, n, weights } = layer;
  const m = new Int32Array(k * n);
  for (let c = 0; c < n; c++) for (let i = 0; i < k; i++) m[i * n + c] = weights[c * k + i];
  return m;
}

/**
 * The dense/conv layers of a float model as matrix demands for the mapper, without quantising
 * (enough for timing-only studies).
 */
export function modelMatrixDemands(model: Model): LayerDemand[] {
  const out: LayerDemand[] = [];
  for (const node of model.nodes) {
    if (node.kind === "dense") out.push({ name: node.name, k: node.inFeatures, n: node.outFeatures, positions: 1 });
    else if (node.kind === "conv2d") {
      const g = convGeometry(node, model.shapes[node.inputs[0]], model.shapes[node.output]);
      out.push({ name: node.name, k: g.k, n: g.n, positions: g.positions });
    }
  }
  return out;
}

/** The dense/conv layers of a quantised model as matrix demands for the mapper (compiler/map/mapping.ts). */
export function layerDemands(q: QuantizedModel): LayerDemand[] {
  return q.layers.filter((l): l is QMatrixLayer => l.kind === "dense" || l.kind === "conv2d").map((l) => ({ name: l.name, k: l.k, n: l.n, positions: l.positions }));
}
