// The float reference executor: runs the model IR in float32 storage with float64 accumulation,
// independent of the simulator. Values are the original network's (BatchNorm folded, which is
// exact up to float rounding). Used to calibrate quantisation and to measure the float accuracy.

import { RramsimError } from "../../sim/errors";
import type { Model } from "../ir/model";
import { asF64, convAccumulate, convGeometry, denseAccumulate, scratchF64 } from "./kernels";
import { avgPoolSums, channelSums, concat, maxPool } from "./pool-kernels";
import { shapeSize } from "../ir/model";

export function checkModelInput(model: Model, input: ArrayLike<number>): void {
  const n = shapeSize(model.input.shape);
  if (input.length !== n) {
    throw new RramsimError("MODEL_INPUT", `model '${model.name}': input '${model.input.name}' needs ${n} values (shape [${model.input.shape.join(",")}]), got ${input.length}`);
  }
}

const layoutCache = new WeakMap<Model, { sizes: number[]; total: number }>();

/** Element counts of the input and of every node's output, in node order, cached per model. */
function layoutOf(model: Model): { sizes: number[]; total: number } {
  let l = layoutCache.get(model);
  if (l === undefined) {
    const sizes = [shapeSize(model.input.shape), ...model.nodes.map((n) => shapeSize(model.shapes[n.output]))];
    l = { sizes, total: sizes.reduce((a, b) => a + b, 0) };
    layoutCache.set(model, l);
  }
  return l;
}

let accScratch = new Float64Array(4096);
const floatBuffers = new WeakMap<Model, ArrayBuffer>();

/** Runs the model on one input (batch 1, row-major in the input's shape); returns every value. */
export function runFloatAll(model: Model, input: ArrayLike<number>): Map<string, Float32Array> {
  checkModelInput(model, input);
  return runInto(model, input, new ArrayBuffer(layoutOf(model).total * 4));
}

/** Runs the model on one input; returns the output tensor. */
export function runFloat(model: Model, input: ArrayLike<number>): Float32Array {
  checkModelInput(model, input);
  // the tensors live in one buffer per model, reused from call to call; the output is copied out
  let buf = floatBuffers.get(model);
  if (buf === undefined) floatBuffers.set(model, (buf = new ArrayBuffer(layoutOf(model).total * 4)));
  return Float32Array.from(runInto(model, input, buf).get(model.output) as Float32Array);
}

/** Runs the model with its tensors (the input's copy and every node's output, float32) as views on `buf`. */
function runInto(model: Model, input: ArrayLike<number>, buf: ArrayBuffer): Map<string, Float32Array> {
  const { sizes } = layoutOf(model);
  const values = new Map<string, Float32Array>();
  const x0 = new Float32Array(buf, 0, sizes[0]);
  x0.set(input);
  values.set(model.input.name, x0);
  let at = sizes[0];
  for (let ni = 0; ni < model.nodes.length; ni++) {
    const node = model.nodes[ni];
    const ins = node.inputs.map((v) => values.get(v) as Float32Array);
    const inShape = model.shapes[node.inputs[0]];
    const outShape = model.shapes[node.output];
    const x = ins[0];
    const len = sizes[ni + 1] | 0;
    const out = new Float32Array(buf, at * 4, len);
    at += len;
    switch (node.kind) {
      case "dense":
      case "conv2d": {
        if (accScratch.length < out.length) accScratch = new Float64Array(out.length);
        const acc = accScratch;
        const xf = scratchF64(x);
        if (node.kind === "dense") denseAccumulate(xf, node.inFeatures, node.outFeatures, asF64(node.weight), asF64(node.bias), acc);
        else convAccumulate(xf, inShape, node, convGeometry(node, inShape, outShape), asF64(node.weight), asF64(node.bias), acc);
        for (let i = 0; i < len; i++) out[i] = acc[i];
        break;
      }
      case "maxPool":
        maxPool(x, inShape, outShape, node, out);
        break;
      case "avgPool": {
        const div = new Float64Array(out.length);
        const sums = new Float64Array(out.length);
        avgPoolSums(x, inShape, outShape, node, sums, div);
        for (let i = 0; i < len; i++) out[i] = sums[i] / div[i];
        break;
      }
      case "globalAvgPool": {
        const sums = new Float64Array(out.length);
        channelSums(x, inShape, sums);
        const hw = inShape[2] * inShape[3];
        for (let i = 0; i < len; i++) out[i] = sums[i] / hw;
        break;
      }
      case "relu":
        for (let i = 0; i < len; i++) out[i] = x[i] > 0 ? x[i] : 0;
        break;
      case "sigmoid":
        for (let i = 0; i < len; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
        break;
      case "tanh":
        for (let i = 0; i < len; i++) out[i] = Math.tanh(x[i]);
        break;
      case "clip":
        for (let i = 0; i < len; i++) out[i] = Math.min(Math.max(x[i], node.min), node.max);
        break;
      case "softmax": {
        let m = -Infinity;
        for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]);
        let s = 0;
        for (let i = 0; i < x.length; i++) s += Math.exp(x[i] - m);
        for (let i = 0; i < len; i++) out[i] = Math.exp(x[i] - m) / s;
        break;
      }
      case "reshape":
        out.set(x);
        break;
      case "add":
        for (let i = 0; i < len; i++) out[i] = x[i] + ins[1][i];
        break;
      case "concat":
        concat(
          ins,
          node.inputs.map((v) => model.shapes[v]),
          node.axis,
          out,
        );
        break;
    }
    values.set(node.output, out);
  }
  return values;
}

/** Index of the largest value (the first one on ties). */
export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}
