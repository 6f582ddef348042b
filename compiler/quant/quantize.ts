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
// This file is the driver: options, calibration (compiler/quant/calibrate.ts), then each node in
// order through its kind's quantiser (compiler/quant/layers.ts); the formats are in params.ts and
// the result's types in quantized-model.ts. It also gives the matrix demands for the mapper.
// Left out: asymmetric (non-zero) zero points, quantisation-aware training, mixed precision search.

import type { LayerDemand } from "../map/mapping";
import type { Model, ModelNode } from "../ir/model";
import { convGeometry } from "../reference/kernels";
import { calibrateRanges } from "./calibrate";
import { quantizeLayer, type LayerQuantContext } from "./layers";
import { quantError, rangeParams, type QuantParams } from "./params";
import type { QMatrixLayer, QuantizedLayer, QuantizedModel, QuantizeOptions, ResolvedQuantizeOptions } from "./quantized-model";

export type { QuantParams } from "./params";
export type {
  QAddLayer,
  QClampLayer,
  QConcatLayer,
  QGlobalAvgPoolLayer,
  QLutLayer,
  QMatrixLayer,
  QPoolLayer,
  QReshapeLayer,
  QSoftmaxLayer,
  QuantizedLayer,
  QuantizedModel,
  QuantizeOptions,
  ResolvedQuantizeOptions,
} from "./quantized-model";

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

  const ranges = calibrateRanges(model, calibration, o.calibration, o.percentile);
  const consumers = new Map<string, ModelNode[]>();
  for (const n of model.nodes) for (const v of n.inputs) consumers.set(v, [...(consumers.get(v) ?? []), n]);
  const fused = new Set<string>();
  const params: Record<string, QuantParams> = {};
  params[model.input.name] = rangeParams(o.inputBits, ranges.min(model.input.name) < 0, ranges.range(model.input.name));
  const ctx: LayerQuantContext = {
    model,
    options: o,
    params,
    range: ranges.range,
    fuseSoleRelu: (v) => {
      const c = consumers.get(v) ?? [];
      const relu = v !== model.output && c.length === 1 && c[0].kind === "relu" ? c[0] : undefined;
      if (relu) fused.add(relu.name);
      return relu;
    },
  };

  const layers: QuantizedLayer[] = [];
  for (const node of model.nodes) {
    if (fused.has(node.name)) continue;
    const outBits = o.layers[node.name]?.outputBits ?? o.activationBits;
    layers.push(quantizeLayer(ctx, node, { base: { name: node.name, inputs: node.inputs, output: node.output }, inP: params[node.inputs[0]], outBits }));
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
