// The trainer's layers (compiler/zoo/trainer.ts): convolution (stride 1, square kernel, zero
// padding; im2col + matrix products), ReLU, 2×2 max-pool (stride 2) and dense, each with forward,
// backward (input gradient and parameter gradients summed into `grad`) and He-normal initial
// weights drawn from the stream it is given. One image at a time, in float64.
// Left out: strides, dilation, groups, other activations, batch normalisation, dropout.

import type { RandomStream } from "../../sim/random";

export type TrainLayerSpec = { kind: "conv"; outChannels: number; kernel: number; pad: number } | { kind: "relu" } | { kind: "maxpool2" } | { kind: "dense"; outFeatures: number };

export interface Shape3 {
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

export function size(s: Shape3): number {
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

/** The layer `spec` describes, on an input of `inShape`; `rng` draws its initial weights. */
export function trainLayer(spec: TrainLayerSpec, inShape: Shape3, rng: RandomStream): TrainLayer {
  switch (spec.kind) {
    case "conv":
      return new ConvLayer(inShape, spec.outChannels, spec.kernel, spec.pad, rng);
    case "relu":
      return new ReluLayer(inShape);
    case "maxpool2":
      return new MaxPool2Layer(inShape);
    case "dense":
      return new DenseLayer(inShape, spec.outFeatures, rng);
  }
}
