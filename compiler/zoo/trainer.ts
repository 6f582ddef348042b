// A small, deterministic trainer for the zoo's sequential MNIST networks (convolution, ReLU,
// 2×2 max-pool, dense), used by `npm run train` to produce the committed zoo weights. It is not a
// general training framework: one image at a time through typed-array layers (train-layers.ts;
// convolutions as im2col + matrix products), gradients summed over a mini-batch, Adam updates (Kingma & Ba 2015,
// β1 = 0.9, β2 = 0.999, ε = 1e-8), softmax cross-entropy loss, He-normal initialisation, a seeded
// shuffle per epoch. Same seed → same weights bit for bit (no threads, no Math.random).
// Left out: data augmentation, weight decay, batch normalisation, dropout.

import { RandomStream } from "../../sim/random";
import { size, trainLayer, type Shape3, type TrainLayer, type TrainLayerSpec } from "./train-layers";

export type { TrainLayer, TrainLayerSpec, TrainParam } from "./train-layers";

/** Trained parameters of one conv or dense layer: weight [out][in·kh·kw] (ONNX order) and bias. */
export interface TrainedParams {
  kind: "conv" | "dense";
  /** conv: [outChannels, inChannels, kernel, kernel]; dense: [outFeatures, inFeatures] */
  weightShape: number[];
  weight: Float32Array;
  bias: Float32Array;
}

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** multiply the learning rate by this after each epoch */
  lrDecay: number;
  seed: number;
  onProgress?: (msg: string) => void;
  /** called after each epoch with the current parameters; returns a figure to print (e.g. test accuracy) */
  onEpoch?: (epoch: number, net: SequentialNet) => string;
}

/** A sequential network of the trainer's layers, on a C×H×W input. */
export class SequentialNet {
  readonly layers: TrainLayer[] = [];
  private readonly specs: TrainLayerSpec[];
  readonly classes: number;
  constructor(inShape: Shape3, specs: TrainLayerSpec[], seed: number) {
    this.specs = specs;
    let shape = inShape;
    specs.forEach((s, i) => {
      const layer = trainLayer(s, shape, new RandomStream(seed, `train.layer[${i}]`));
      this.layers.push(layer);
      shape = layer.outShape;
    });
    this.classes = size(shape);
  }

  /** Logits of one input (a view of the last layer's buffer; copy it to keep it). */
  forward(x: Float64Array): Float64Array {
    let cur = x;
    for (const l of this.layers) {
      l.forward(cur);
      cur = l.out;
    }
    return cur;
  }

  /** Forward + backward of one labelled input; adds to the gradients; returns the loss. */
  private step(x: Float64Array, label: number, dLogits: Float64Array): number {
    const logits = this.forward(x);
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);
    for (let i = 0; i < logits.length; i++) dLogits[i] = Math.exp(logits[i] - max) / sum - (i === label ? 1 : 0);
    const loss = -(logits[label] - max - Math.log(sum));
    let d: Float64Array = dLogits;
    for (let li = this.layers.length - 1; li >= 0; li--) {
      const l = this.layers[li];
      const input = li === 0 ? x : this.layers[li - 1].out;
      l.backward(input, d, li > 0);
      d = l.dIn;
    }
    return loss;
  }

  /** Loss of one labelled input with the gradients of every parameter in `layers[i].params[j].grad`. */
  lossAndGradients(x: Float64Array, label: number): number {
    for (const l of this.layers) for (const p of l.params) p.grad.fill(0);
    return this.step(x, label, new Float64Array(this.classes));
  }

  /** Trains on `count` images of `pixels` (each C·H·W floats) with their labels. */
  train(pixels: Float32Array, labels: Uint8Array, count: number, opts: TrainOptions): void {
    const inSize = size(this.layers[0].inShape);
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    const rng = new RandomStream(opts.seed, "train.shuffle");
    const dLogits = new Float64Array(this.classes);
    const xBuf = new Float64Array(inSize);
    const params = this.layers.flatMap((l) => l.params);
    const b1 = 0.9;
    const b2 = 0.999;
    let t = 0;
    let lr = opts.learningRate;
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      for (let i = count - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      let lossSum = 0;
      let seen = 0;
      for (let start = 0; start < count; start += opts.batchSize) {
        const end = Math.min(count, start + opts.batchSize);
        for (const p of params) p.grad.fill(0);
        for (let s = start; s < end; s++) {
          const idx = order[s];
          xBuf.set(pixels.subarray(idx * inSize, (idx + 1) * inSize));
          lossSum += this.step(xBuf, labels[idx], dLogits);
        }
        seen += end - start;
        t++;
        const scale = 1 / (end - start);
        const c1 = 1 - b1 ** t;
        const c2 = 1 - b2 ** t;
        for (const p of params) {
          const { value, grad, m, v } = p;
          for (let i = 0; i < value.length; i++) {
            const g = grad[i] * scale;
            m[i] = b1 * m[i] + (1 - b1) * g;
            v[i] = b2 * v[i] + (1 - b2) * g * g;
            value[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + 1e-8);
          }
        }
        if (opts.onProgress && (t % 100 === 0 || end === count)) {
          opts.onProgress(`epoch ${epoch + 1}/${opts.epochs} ${end}/${count} loss ${(lossSum / seen).toFixed(4)}`);
        }
      }
      if (opts.onEpoch) opts.onProgress?.(`epoch ${epoch + 1} done: ${opts.onEpoch(epoch + 1, this)}`);
      lr *= opts.lrDecay;
    }
  }

  /** Top-1 accuracy on `count` images. */
  accuracy(pixels: Float32Array, labels: Uint8Array, count: number): number {
    const inSize = size(this.layers[0].inShape);
    const xBuf = new Float64Array(inSize);
    let correct = 0;
    for (let i = 0; i < count; i++) {
      xBuf.set(pixels.subarray(i * inSize, (i + 1) * inSize));
      const y = this.forward(xBuf);
      let best = 0;
      for (let j = 1; j < y.length; j++) if (y[j] > y[best]) best = j;
      if (best === labels[i]) correct++;
    }
    return correct / count;
  }

  /** Sets the conv and dense layers' parameters (the order and shapes of `trainedParams`). */
  loadParams(params: TrainedParams[]): void {
    const layers = this.layers.filter((l) => l.params.length > 0);
    if (layers.length !== params.length) throw new RangeError(`${params.length} parameter sets for ${layers.length} layers`);
    layers.forEach((l, i) => {
      if (l.params[0].value.length !== params[i].weight.length || l.params[1].value.length !== params[i].bias.length) {
        throw new RangeError(`layer ${i}: parameter sizes ${params[i].weight.length}/${params[i].bias.length} do not match`);
      }
      l.params[0].value.set(params[i].weight);
      l.params[1].value.set(params[i].bias);
    });
  }

  /** The conv and dense layers' parameters, in order, with ONNX weight shapes. */
  trainedParams(): TrainedParams[] {
    const out: TrainedParams[] = [];
    this.layers.forEach((l, i) => {
      const s = this.specs[i];
      if (s.kind === "conv") {
        out.push({ kind: "conv", weightShape: [s.outChannels, l.inShape.c, s.kernel, s.kernel], weight: Float32Array.from(l.params[0].value), bias: Float32Array.from(l.params[1].value) });
      } else if (s.kind === "dense") {
        out.push({ kind: "dense", weightShape: [s.outFeatures, size(l.inShape)], weight: Float32Array.from(l.params[0].value), bias: Float32Array.from(l.params[1].value) });
      }
    });
    return out;
  }
}
