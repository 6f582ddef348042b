// The bit-exact integer reference executor of a quantised network (compiler/quant/quantize.ts
// documents the arithmetic). Independent of the simulator: the simulator's MVM results, ADC
// outputs and vector-unit requantisation can be checked against `runIntegerAll`'s tensors and
// accumulators value for value. All arithmetic is on integers held exactly in float64.

import { requantize, roundHalfEven, scaleToMultiplierShift, type Requant } from "../../sim/fixed-point";
import { RramsimError } from "../../sim/errors";
import { shapeSize } from "../ir/model";
import type { QMatrixLayer, QuantizedModel } from "../quant/quantize";
import { checkModelInput } from "./float";
import { asF64, convAccumulate, convGeometry, denseAccumulate, scratchF64 } from "./kernels";
import { avgPoolSums, channelSums, concat, maxPool } from "./pool-kernels";

export interface IntegerRun {
  /** integer codes of every tensor, by value name (the quantised input included) */
  values: Map<string, Int32Array>;
  /** dense/conv accumulators before requantisation (bias included), by layer name: [n][position] */
  accumulators: Map<string, Float64Array>;
}

/** Quantises a float model input to the quantised model's input codes. */
export function quantizeInput(q: QuantizedModel, input: ArrayLike<number>): Int32Array {
  checkModelInput(q.model, input);
  const p = q.params[q.input];
  const out = new Int32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = Math.min(p.hi, Math.max(p.lo, roundHalfEven(input[i] / p.scale)));
  return out;
}

/** Real values of a tensor's codes: scale · code. */
export function dequantize(q: QuantizedModel, value: string, codes: ArrayLike<number>): Float32Array {
  const p = q.params[value];
  if (!p) throw new RramsimError("SIM_STATE", `value '${value}' is not a tensor of the quantised model '${q.model.name}'`);
  return Float32Array.from(codes, (c) => c * p.scale);
}

/** Runs the quantised network on one float input (quantised first) or on input codes. */
export function runIntegerAll(q: QuantizedModel, input: ArrayLike<number> | { codes: Int32Array }): IntegerRun {
  const x0 = "codes" in input ? input.codes : quantizeInput(q, input);
  if (x0.length !== shapeSize(q.model.input.shape)) checkModelInput(q.model, x0);
  const values = new Map<string, Int32Array>([[q.input, x0]]);
  const accumulators = new Map<string, Float64Array>();
  const shapes = q.model.shapes;
  // every accumulator and output tensor of this run: views on one buffer (accumulators first, 8-byte aligned)
  const layout = layoutOf(q);
  const buf = new ArrayBuffer(layout.accTotal * 8 + layout.outTotal * 4);
  let accAt = 0;
  let outAt = layout.accTotal * 8;
  for (let li = 0; li < q.layers.length; li++) {
    const layer = q.layers[li];
    const x = values.get(layer.inputs[0]) as Int32Array;
    const inShape = shapes[layer.inputs[0]];
    const outShape = shapes[layer.output];
    const out = new Int32Array(buf, outAt, layout.outSizes[li]);
    outAt += layout.outSizes[li] * 4;
    switch (layer.kind) {
      case "dense":
      case "conv2d": {
        const acc = new Float64Array(buf, accAt, layer.n * layer.positions);
        accAt += acc.length * 8;
        accumulateInto(layer, x, inShape, outShape, acc);
        const p = layer.positions | 0;
        const n = layer.n | 0;
        const rs = requantsOf(layer);
        for (let c = 0; c < n; c++) {
          const r = rs[c];
          for (let j = c * p; j < (c + 1) * p; j++) out[j] = requantize(acc[j], r);
        }
        accumulators.set(layer.name, acc);
        break;
      }
      case "maxPool":
        maxPool(x, inShape, outShape, layer.node, out);
        break;
      case "avgPool": {
        const sums = new Float64Array(out.length);
        const div = new Float64Array(out.length);
        avgPoolSums(x, inShape, outShape, layer.node, sums, div);
        const p = q.params[layer.output];
        const byDivisor = new Map<number, ReturnType<typeof avgRequant>>();
        for (let i = 0; i < out.length; i++) {
          let r = byDivisor.get(div[i]);
          if (!r) byDivisor.set(div[i], (r = avgRequant(div[i], p.lo, p.hi)));
          out[i] = requantize(sums[i], r);
        }
        break;
      }
      case "globalAvgPool": {
        const sums = new Float64Array(out.length);
        channelSums(x, inShape, sums);
        for (let i = 0; i < out.length; i++) out[i] = requantize(sums[i], layer.requant);
        break;
      }
      case "clamp":
        for (let i = 0; i < out.length; i++) out[i] = Math.min(layer.hi, Math.max(layer.lo, x[i]));
        break;
      case "lut":
        for (let i = 0; i < out.length; i++) out[i] = layer.table[x[i] - layer.inLo];
        break;
      case "softmax": {
        let m = -Infinity;
        for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]);
        let s = 0;
        for (let i = 0; i < x.length; i++) s += Math.exp(layer.inScale * (x[i] - m));
        for (let i = 0; i < out.length; i++) out[i] = Math.min(layer.outHi, roundHalfEven((layer.outHi * Math.exp(layer.inScale * (x[i] - m))) / s));
        break;
      }
      case "reshape":
        out.set(x);
        break;
      case "add": {
        const b = values.get(layer.inputs[1]) as Int32Array;
        for (let i = 0; i < out.length; i++) {
          const y = requantize(x[i], layer.requantA) + requantize(b[i], layer.requantB);
          out[i] = Math.min(layer.hi, Math.max(layer.lo, y));
        }
        break;
      }
      case "concat": {
        const parts = layer.inputs.map((v, i) => Int32Array.from(values.get(v) as Int32Array, (c) => requantize(c, layer.requants[i])));
        concat(
          parts,
          layer.inputs.map((v) => shapes[v]),
          layer.axis,
          out,
        );
        break;
      }
    }
    values.set(layer.output, out);
  }
  return { values, accumulators };
}

/** Runs the quantised network; returns the output tensor's codes. */
export function runInteger(q: QuantizedModel, input: ArrayLike<number> | { codes: Int32Array }): Int32Array {
  return runIntegerAll(q, input).values.get(q.output) as Int32Array;
}

/** Average-pool requantisation: multiply the window sum by 1/divisor, same scale as the input. */
export function avgRequant(divisor: number, lo: number, hi: number): Requant {
  return { ...scaleToMultiplierShift(1 / divisor), zeroPoint: 0, lo, hi };
}

const requantCache = new WeakMap<QMatrixLayer, Requant[]>();

/** A layer's requantisations as objects of one shape with plain number fields, so the hot loop's property loads stay monomorphic. */
function requantsOf(layer: QMatrixLayer): Requant[] {
  let rs = requantCache.get(layer);
  if (rs === undefined) {
    rs = layer.requant.map((r) => ({ multiplier: r.multiplier, shift: r.shift, zeroPoint: r.zeroPoint, lo: r.lo, hi: r.hi }));
    requantCache.set(layer, rs);
  }
  return rs;
}

/** Accumulators of a dense/conv layer on input codes: acc[n·P + p] (bias included). */
export function matrixAccumulators(layer: QMatrixLayer, x: ArrayLike<number>, inShape: readonly number[], outShape: readonly number[]): Float64Array {
  const acc = new Float64Array(layer.n * layer.positions);
  accumulateInto(layer, x, inShape, outShape, acc);
  return acc;
}

function accumulateInto(layer: QMatrixLayer, x: ArrayLike<number>, inShape: readonly number[], outShape: readonly number[], acc: Float64Array): void {
  const xf = scratchF64(x);
  if (layer.node.kind === "dense") denseAccumulate(xf, layer.k, layer.n, asF64(layer.weights), asF64(layer.bias), acc, true);
  else convAccumulate(xf, inShape, layer.node, convGeometry(layer.node, inShape, outShape), asF64(layer.weights), asF64(layer.bias), acc, true);
}

interface IntegerLayout {
  /** element count of each layer's output */
  outSizes: number[];
  outTotal: number;
  /** accumulator elements of all dense/conv layers */
  accTotal: number;
}

const layoutCache = new WeakMap<QuantizedModel, IntegerLayout>();

function layoutOf(q: QuantizedModel): IntegerLayout {
  let l = layoutCache.get(q);
  if (l === undefined) {
    const outSizes = q.layers.map((layer) => shapeSize(q.model.shapes[layer.output]));
    const accTotal = q.layers.reduce((a, layer) => a + (layer.kind === "dense" || layer.kind === "conv2d" ? layer.n * layer.positions : 0), 0);
    l = { outSizes, outTotal: outSizes.reduce((a, b) => a + b, 0), accTotal };
    layoutCache.set(q, l);
  }
  return l;
}
