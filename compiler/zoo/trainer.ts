// A small, deterministic trainer for the zoo's sequential MNIST networks (convolution, ReLU,
// 2×2 max-pool, dense), used by `npm run train` to produce the committed zoo weights. It is not a
// general training framework: one image at a time through typed-array kernels (convolutions as
// im2col + matrix products), gradients summed over a mini-batch, Adam updates (Kingma & Ba 2015,
// β1 = 0.9, β2 = 0.999, ε = 1e-8), softmax cross-entropy loss, He-normal initialisation, a seeded
// shuffle per epoch. Same seed → same weights bit for bit (no threads, no Math.random).
// Left out: data augmentation, weight decay, batch normalisation, dropout.

import { RandomStream } from "../../sim/random";

export type TrainLayerSpec =
  | { kind: "conv"; outChannels: number; kernel: number; pad: number }
  | { kind: "relu" }
  | { kind: "maxpool2" }
  | { kind: "dense"; outFeatures: number };

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

interface Shape3 {
  c: number;
  h: number;
  w: number;
}

export interface TrainParam {
  value: Float64Array;
  grad: Float64Array;
  m: Float64Array;
  v: Float64Array;
}

function param(n: number): TrainParam {
  return { value: new Float64Array(n), grad: new Float64Array(n), m: new Float64Array(n), v: new Float64Array(n) };
}

export interface TrainLayer {
  inShape: Shape3;
  outShape: Shape3;
  out: Float64Array;
  dIn: Float64Array;
  forward(x: Float64Array): void;
  /** dOut → this.dIn (skipped for the first layer: `needDIn` false) and parameter gradients */
  backward(x: Float64Array, dOut: Float64Array, needDIn: boolean): void;
  params: TrainParam[];
}

function size(s: Shape3): number {
  return s.c * s.h * s.w;
}

class ConvLayer implements TrainLayer {
  readonly outShape: Shape3;
  readonly out: Float64Array;
  readonly dIn: Float64Array;
  readonly params: TrainParam[];
  private readonly k: number;
  private readonly cols: Float64Array;
  private readonly dCols: Float64Array;
  constructor(
    readonly inShape: Shape3,
    private readonly cout: number,
    private readonly kernel: number,
    private readonly pad: number,
    rng: RandomStream,
  ) {
    const ho = inShape.h + 2 * pad - kernel + 1;
    const wo = inShape.w + 2 * pad - kernel + 1;
    this.outShape = { c: cout, h: ho, w: wo };
    this.k = inShape.c * kernel * kernel;
    const p = ho * wo;
    this.cols = new Float64Array(this.k * p);
    this.dCols = new Float64Array(this.k * p);
    this.out = new Float64Array(cout * p);
    this.dIn = new Float64Array(size(inShape));
    const w = param(cout * this.k);
    const std = Math.sqrt(2 / this.k);
    for (let i = 0; i < w.value.length; i++) w.value[i] = rng.normal() * std;
    this.params = [w, param(cout)];
  }
  private im2col(x: Float64Array): void {
    const { c, h, w } = this.inShape;
    const { h: ho, w: wo } = this.outShape;
    const kk = this.kernel;
    const p = ho * wo;
    const cols = this.cols;
    for (let ci = 0; ci < c; ci++) {
      for (let ky = 0; ky < kk; ky++) {
        for (let kx = 0; kx < kk; kx++) {
          const row = ((ci * kk + ky) * kk + kx) * p;
          for (let oy = 0; oy < ho; oy++) {
            const iy = oy + ky - this.pad;
            const base = row + oy * wo;
            if (iy < 0 || iy >= h) {
              cols.fill(0, base, base + wo);
              continue;
            }
            const src = (ci * h + iy) * w;
            for (let ox = 0; ox < wo; ox++) {
              const ix = ox + kx - this.pad;
              cols[base + ox] = ix >= 0 && ix < w ? x[src + ix] : 0;
            }
          }
        }
      }
    }
  }
  forward(x: Float64Array): void {
    this.im2col(x);
    const p = this.outShape.h * this.outShape.w;
    const k = this.k;
    const W = this.params[0].value;
    const B = this.params[1].value;
    const out = this.out;
    const cols = this.cols;
    for (let co = 0; co < this.cout; co++) {
      const o = co * p;
      out.fill(B[co], o, o + p);
      for (let ki = 0; ki < k; ki++) {
        const wv = W[co * k + ki];
        const r = ki * p;
        for (let j = 0; j < p; j++) out[o + j] += wv * cols[r + j];
      }
    }
  }
  backward(_x: Float64Array, dOut: Float64Array, needDIn: boolean): void {
    const p = this.outShape.h * this.outShape.w;
    const k = this.k;
    const W = this.params[0].value;
    const dW = this.params[0].grad;
    const dB = this.params[1].grad;
    const cols = this.cols;
    const dCols = this.dCols;
    if (needDIn) dCols.fill(0);
    for (let co = 0; co < this.cout; co++) {
      const o = co * p;
      let sb = 0;
      for (let j = 0; j < p; j++) sb += dOut[o + j];
      dB[co] += sb;
      for (let ki = 0; ki < k; ki++) {
        const r = ki * p;
        let s = 0;
        if (needDIn) {
          const wv = W[co * k + ki];
          for (let j = 0; j < p; j++) {
            const g = dOut[o + j];
            s += g * cols[r + j];
            dCols[r + j] += wv * g;
          }
        } else {
          for (let j = 0; j < p; j++) s += dOut[o + j] * cols[r + j];
        }
        dW[co * k + ki] += s;
      }
    }
    if (!needDIn) return;
    const { c, h, w } = this.inShape;
    const { h: ho, w: wo } = this.outShape;
    const kk = this.kernel;
    const dIn = this.dIn;
    dIn.fill(0);
    for (let ci = 0; ci < c; ci++) {
      for (let ky = 0; ky < kk; ky++) {
        for (let kx = 0; kx < kk; kx++) {
          const row = ((ci * kk + ky) * kk + kx) * p;
          for (let oy = 0; oy < ho; oy++) {
            const iy = oy + ky - this.pad;
            if (iy < 0 || iy >= h) continue;
            const dst = (ci * h + iy) * w;
            const base = row + oy * wo;
            for (let ox = 0; ox < wo; ox++) {
              const ix = ox + kx - this.pad;
              if (ix >= 0 && ix < w) dIn[dst + ix] += dCols[base + ox];
            }
          }
        }
      }
    }
  }
}

class ReluLayer implements TrainLayer {
  readonly outShape: Shape3;
  readonly out: Float64Array;
  readonly dIn: Float64Array;
  readonly params: TrainParam[] = [];
  constructor(readonly inShape: Shape3) {
    this.outShape = inShape;
    this.out = new Float64Array(size(inShape));
    this.dIn = new Float64Array(size(inShape));
  }
  forward(x: Float64Array): void {
    for (let i = 0; i < x.length; i++) this.out[i] = x[i] > 0 ? x[i] : 0;
  }
  backward(x: Float64Array, dOut: Float64Array): void {
    for (let i = 0; i < x.length; i++) this.dIn[i] = x[i] > 0 ? dOut[i] : 0;
  }
}

class MaxPool2Layer implements TrainLayer {
  readonly outShape: Shape3;
  readonly out: Float64Array;
  readonly dIn: Float64Array;
  readonly params: TrainParam[] = [];
  private readonly argmax: Int32Array;
  constructor(readonly inShape: Shape3) {
    this.outShape = { c: inShape.c, h: Math.floor(inShape.h / 2), w: Math.floor(inShape.w / 2) };
    this.out = new Float64Array(size(this.outShape));
    this.argmax = new Int32Array(size(this.outShape));
    this.dIn = new Float64Array(size(inShape));
  }
  forward(x: Float64Array): void {
    const { c, h, w } = this.inShape;
    const { h: ho, w: wo } = this.outShape;
    let o = 0;
    for (let ci = 0; ci < c; ci++) {
      for (let oy = 0; oy < ho; oy++) {
        for (let ox = 0; ox < wo; ox++, o++) {
          const a = (ci * h + 2 * oy) * w + 2 * ox;
          let best = a;
          if (x[a + 1] > x[best]) best = a + 1;
          if (x[a + w] > x[best]) best = a + w;
          if (x[a + w + 1] > x[best]) best = a + w + 1;
          this.argmax[o] = best;
          this.out[o] = x[best];
        }
      }
    }
  }
  backward(_x: Float64Array, dOut: Float64Array): void {
    this.dIn.fill(0);
    for (let o = 0; o < dOut.length; o++) this.dIn[this.argmax[o]] += dOut[o];
  }
}

class DenseLayer implements TrainLayer {
  readonly outShape: Shape3;
  readonly out: Float64Array;
  readonly dIn: Float64Array;
  readonly params: TrainParam[];
  private readonly nIn: number;
  constructor(
    readonly inShape: Shape3,
    private readonly nOut: number,
    rng: RandomStream,
  ) {
    this.nIn = size(inShape);
    this.outShape = { c: nOut, h: 1, w: 1 };
    this.out = new Float64Array(nOut);
    this.dIn = new Float64Array(this.nIn);
    const w = param(nOut * this.nIn);
    const std = Math.sqrt(2 / this.nIn);
    for (let i = 0; i < w.value.length; i++) w.value[i] = rng.normal() * std;
    this.params = [w, param(nOut)];
  }
  forward(x: Float64Array): void {
    const W = this.params[0].value;
    const B = this.params[1].value;
    const n = this.nIn;
    for (let o = 0; o < this.nOut; o++) {
      let s = B[o];
      const r = o * n;
      for (let i = 0; i < n; i++) s += W[r + i] * x[i];
      this.out[o] = s;
    }
  }
  backward(x: Float64Array, dOut: Float64Array, needDIn: boolean): void {
    const W = this.params[0].value;
    const dW = this.params[0].grad;
    const dB = this.params[1].grad;
    const n = this.nIn;
    if (needDIn) this.dIn.fill(0);
    for (let o = 0; o < this.nOut; o++) {
      const g = dOut[o];
      if (g === 0) continue;
      dB[o] += g;
      const r = o * n;
      for (let i = 0; i < n; i++) dW[r + i] += g * x[i];
      if (needDIn) for (let i = 0; i < n; i++) this.dIn[i] += g * W[r + i];
    }
  }
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
      const rng = new RandomStream(seed, `train.layer[${i}]`);
      let layer: TrainLayer;
      switch (s.kind) {
        case "conv":
          layer = new ConvLayer(shape, s.outChannels, s.kernel, s.pad, rng);
          break;
        case "relu":
          layer = new ReluLayer(shape);
          break;
        case "maxpool2":
          layer = new MaxPool2Layer(shape);
          break;
        case "dense":
          layer = new DenseLayer(shape, s.outFeatures, rng);
          break;
      }
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
