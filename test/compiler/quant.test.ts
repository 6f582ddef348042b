import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createModel, type Conv2dNode, type Model } from "../../compiler/ir/model";
import { layerDemands, layerWeightMatrix, modelMatrixDemands, quantizeModel, type QMatrixLayer } from "../../compiler/quant/quantize";
import { runFloat } from "../../compiler/reference/float";
import { dequantize, quantizeInput, runIntegerAll, runInteger } from "../../compiler/reference/integer";
import { buildResnet18Cifar } from "../../compiler/zoo/zoo";
import { codeOf, naiveConv, randomArray } from "./helpers";

function denseModel(weight: number[], bias: number[], relu = false): Model {
  return createModel({
    name: "d",
    input: { name: "x", shape: [1, 2] },
    output: relu ? "r" : "fc",
    nodes: [
      { kind: "dense", name: "fc", inputs: ["x"], output: "fc", inFeatures: 2, outFeatures: 2, weight: Float32Array.from(weight), bias: Float32Array.from(bias) },
      ...(relu ? [{ kind: "relu" as const, name: "r", inputs: ["fc"], output: "r" }] : []),
    ],
  });
}

describe("integer semantics, hand-computed", () => {
  it("dense 2×2 at 8 bits: codes, bias, multiplier/shift and requantised outputs", () => {
    // x = [0.5, 1] calibrates s_x = 1/255 (unsigned); x_q = [roundHalfEven(127.5) = 128, 255]
    // W = [[1, -0.5], [0.25, 0.5]]: s_w = 1/127, w_q = [[127, -64], [32, 64]] (ties to even)
    // b = [0.5, -0.25]: b_q = roundHalfEven(b·255·127) = [16192 (16192.5), -8096 (-8096.25)]
    // y = [0.5, 0.375] calibrates s_y = 0.5/127 (signed, no ReLU)
    // acc = [127·128 − 64·255 + 16192, 32·128 + 64·255 − 8096] = [16128, 12320]
    // s_x·s_w/s_y = 2/255 = 16448.25 / 2^21 → multiplier 16448, shift 21
    // y_q = ⌊(acc·16448 + 2^20) / 2^21⌋ = [126, 97]
    const m = denseModel([1, -0.5, 0.25, 0.5], [0.5, -0.25]);
    const q = quantizeModel(m, [[0.5, 1]]);
    const l = q.layers[0] as QMatrixLayer;
    expect(Array.from(quantizeInput(q, [0.5, 1]))).toEqual([128, 255]);
    expect(Array.from(l.weights)).toEqual([127, -64, 32, 64]);
    expect(Array.from(l.bias)).toEqual([16192, -8096]);
    expect(l.requant[0]).toMatchObject({ multiplier: 16448, shift: 21, lo: -128, hi: 127 });
    const run = runIntegerAll(q, [0.5, 1]);
    expect(Array.from(run.accumulators.get("fc") as Float64Array)).toEqual([16128, 12320]);
    expect(Array.from(run.values.get("fc") as Int32Array)).toEqual([126, 97]);
  });

  it("a ReLU after a dense layer is fused: unsigned output, negative accumulators clamp to 0", () => {
    // W = [[1, 0], [-1, 0]], b = 0, x = [1, 0] → y = [1, -1] → ReLU [1, 0]: s_y = 1/255 unsigned
    // x_q = [255, 0], w_q = [[127, 0], [-127, 0]], acc = [32385, -32385]; scale 1/127 → y_q = [255, 0]
    const q = quantizeModel(denseModel([1, 0, -1, 0], [0, 0], true), [[1, 0]]);
    expect(q.layers.map((l) => l.kind)).toEqual(["dense"]);
    expect((q.layers[0] as QMatrixLayer).fusedRelu).toBe("r");
    expect(q.params.r).toMatchObject({ signed: false, lo: 0, hi: 255 });
    expect(Array.from(runInteger(q, [1, 0]))).toEqual([255, 0]);
  });

  it("per-channel weight scales give each output column its own scale", () => {
    // rows [1, 0.5] and [0.01, -0.02]: per channel s_w = [1/127, 0.02/127]
    const q = quantizeModel(denseModel([1, 0.5, 0.01, -0.02], [0, 0]), [[1, 1]], { perChannel: true });
    const l = q.layers[0] as QMatrixLayer;
    expect(Array.from(l.weights)).toEqual([127, 64, 64, -127]); // 63.5 → 64, 0.01·6350 = 63.5 → 64
    expect(l.weightScales[1]).toBe(Math.fround(0.02) / 127);
  });

  it("average pooling sums the window and rounds the mean half up: [1,2,3,4] → 3", () => {
    const m = createModel({
      name: "p",
      input: { name: "x", shape: [1, 1, 2, 2] },
      output: "p",
      nodes: [{ kind: "avgPool", name: "p", inputs: ["x"], output: "p", kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0], countIncludePad: false }],
    });
    // calibration max 255/255 → s = 1/255; inputs k/255 quantise to codes 1, 2, 3, 4
    const q = quantizeModel(m, [[1, 0, 0, 0]]);
    expect(Array.from(runInteger(q, [1 / 255, 2 / 255, 3 / 255, 4 / 255]))).toEqual([3]);
  });

  it("sigmoid, tanh and softmax follow their documented tables", () => {
    const one = (kind: "sigmoid" | "tanh" | "softmax") => createModel({ name: kind, input: { name: "x", shape: [1, 2] }, output: "y", nodes: [{ kind, name: "y", inputs: ["x"], output: "y" }] });
    // sigmoid: x = [0, 1] → codes [0, 255] (s = 1/255); 255·σ(0) = 127.5 → 128 (ties to even), 255·σ(1) = 186.42 → 186
    expect(Array.from(runInteger(quantizeModel(one("sigmoid"), [[0, 1]]), [0, 1]))).toEqual([128, 186]);
    // tanh: x = [−1, 0.5] signed, s = 1/127 → codes [−127, 64]; 127·tanh(−1) = −96.72 → −97; 127·tanh(64/127) = 59.08 → 59
    expect(Array.from(runInteger(quantizeModel(one("tanh"), [[-1, 0.5]]), [-1, 0.5]))).toEqual([-97, 59]);
    // softmax of two equal logits: 255 · 0.5 = 127.5 → 128 each
    expect(Array.from(runInteger(quantizeModel(one("softmax"), [[0, 0]]), [0, 0]))).toEqual([128, 128]);
  });

  it("percentile calibration clips outliers: the 50th percentile of |[1, 2, 3, 4, 100]| is 3", () => {
    const m = createModel({ name: "r", input: { name: "x", shape: [1, 5] }, output: "y", nodes: [{ kind: "relu", name: "y", inputs: ["x"], output: "y" }] });
    expect(quantizeModel(m, [[1, 2, 3, 4, 100]], { calibration: "percentile", percentile: 50 }).params.x.scale).toBe(3 / 255);
    expect(quantizeModel(m, [[1, 2, 3, 4, 100]]).params.x.scale).toBe(100 / 255);
  });

  it("per-layer bit overrides: 4-bit weights lie in ±7, 4-bit outputs in ±8", () => {
    const q = quantizeModel(
      denseModel([1, -0.3, 0.2, 0.9], [0.1, 0]),
      [
        [1, -1],
        [0.5, 0.25],
      ],
      { layers: { fc: { weightBits: 4, outputBits: 4 } } },
    );
    const l = q.layers[0] as QMatrixLayer;
    expect(Array.from(l.weights)).toEqual([7, -2, 1, 6]); // w·7: 7, −2.1, 1.4, 6.3
    expect(l.outputParams).toMatchObject({ bits: 4, lo: -8, hi: 7 });
    expect(codeOf(() => quantizeModel(denseModel([1, 0, 0, 1], [0, 0]), [[1, 1]], { layers: { nope: { weightBits: 4 } } }))).toBe("MODEL_QUANT");
  });

  it("concat requantises inputs of different scales to the output scale (within one code of float)", () => {
    const m = createModel({
      name: "cat",
      input: { name: "x", shape: [1, 2] },
      output: "cat",
      nodes: [
        { kind: "dense", name: "a", inputs: ["x"], output: "a", inFeatures: 2, outFeatures: 2, weight: Float32Array.of(1, 0, 0, 1), bias: new Float32Array(2) },
        { kind: "dense", name: "b", inputs: ["x"], output: "b", inFeatures: 2, outFeatures: 2, weight: Float32Array.of(4, 0, 0, -4), bias: new Float32Array(2) },
        { kind: "concat", name: "cat", inputs: ["a", "b"], output: "cat", axis: 1 },
      ],
    });
    const xs = [
      [0.5, -1],
      [1, 0.25],
      [-0.75, 0.5],
    ];
    const q = quantizeModel(m, xs);
    expect(q.params.a.scale).not.toBe(q.params.b.scale);
    for (const x of xs) {
      const yi = dequantize(q, "cat", runInteger(q, x));
      const yf = runFloat(m, x);
      yf.forEach((v, i) => expect(Math.abs(yi[i] - v)).toBeLessThanOrEqual(1.5 * q.params.cat.scale));
    }
  });

  it("refuses a layer whose accumulators could exceed 2^37 (MODEL_QUANT)", () => {
    const m = createModel({
      name: "big",
      input: { name: "x", shape: [1, 1024] },
      output: "fc",
      nodes: [{ kind: "dense", name: "fc", inputs: ["x"], output: "fc", inFeatures: 1024, outFeatures: 2, weight: randomArray(1, "w", 2048), bias: new Float32Array(2) }],
    });
    // 1024 · 32767 · 65535 ≈ 2.2e12 > 2^37
    expect(codeOf(() => quantizeModel(m, [randomArray(1, "x", 1024)], { weightBits: 16, activationBits: 16 }))).toBe("MODEL_QUANT");
  });
});

describe("integer executor against independent naive kernels", () => {
  it("conv accumulators equal a direct integer convolution, and the K × N matrix follows k = (c·kh + ky)·kw + kx", () => {
    fc.assert(
      fc.property(
        fc.record({
          cin: fc.integer({ min: 1, max: 3 }),
          groupsPow: fc.integer({ min: 0, max: 1 }),
          cout: fc.integer({ min: 1, max: 3 }),
          k: fc.integer({ min: 1, max: 3 }),
          s: fc.integer({ min: 1, max: 2 }),
          p: fc.integer({ min: 0, max: 2 }),
          d: fc.integer({ min: 1, max: 2 }),
          h: fc.integer({ min: 5, max: 8 }),
          seed: fc.integer({ min: 0, max: 1000 }),
        }),
        ({ cin, groupsPow, cout, k, s, p, d, h, seed }) => {
          const groups = groupsPow === 1 ? 2 : 1;
          const cinG = cin * groups;
          const coutG = cout * groups;
          const conv: Conv2dNode = {
            kind: "conv2d",
            name: "c",
            inputs: ["x"],
            output: "c",
            inChannels: cinG,
            outChannels: coutG,
            kernel: [k, k],
            stride: [s, s],
            pads: [p, p, p, p],
            dilation: [d, d],
            groups,
            weight: randomArray(seed, "w", coutG * cin * k * k),
            bias: randomArray(seed, "b", coutG, 0.1),
          };
          const m = createModel({ name: "c", input: { name: "x", shape: [1, cinG, h, h] }, output: "c", nodes: [conv] });
          const x = randomArray(seed, "x", cinG * h * h);
          // float path against the direct convolution
          const ref = naiveConv(x, [cinG, h, h], conv.weight, conv.bias, coutG, [k, k], [s, s], [p, p, p, p], [d, d], groups);
          const y = runFloat(m, x);
          ref.out.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 4));
          // integer path: accumulators against the direct convolution on the codes
          const q = quantizeModel(m, [x]);
          const l = q.layers[0] as QMatrixLayer;
          const codes = quantizeInput(q, x);
          const acc = runIntegerAll(q, { codes }).accumulators.get("c") as Float64Array;
          const refInt = naiveConv(codes, [cinG, h, h], l.weights, l.bias, coutG, [k, k], [s, s], [p, p, p, p], [d, d], groups);
          expect(Array.from(acc)).toEqual(refInt.out);
          // the K × N matrix: row (c·k + ky)·k + kx, column n holds weight[n][c][ky][kx]
          const mat = layerWeightMatrix(l);
          expect(l.k).toBe(cin * k * k);
          for (let n = 0; n < coutG; n++)
            for (let c = 0; c < cin; c++)
              for (let ky = 0; ky < k; ky++)
                for (let kx = 0; kx < k; kx++) {
                  expect(mat[((c * k + ky) * k + kx) * coutG + n]).toBe(l.weights[((n * cin + c) * k + ky) * k + kx]);
                }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("ResNet-18 (CIFAR) has the 21 weight layers of He et al. 2016: 17 3×3 convs, 3 1×1 shortcuts, fc", () => {
    const q = modelMatrixDemands(buildResnet18Cifar(5));
    expect(q.length).toBe(21);
    expect(q.filter((d) => d.k % 9 === 0 && d.name.includes("conv")).length).toBe(17);
    expect(q.find((d) => d.name === "fc")).toEqual({ name: "fc", k: 512, n: 10, positions: 1 });
    expect(q.find((d) => d.name === "layer4.1.conv2")).toEqual({ name: "layer4.1.conv2", k: 512 * 9, n: 512, positions: 16 });
  });

  it("layerDemands of a quantised model list the same matrices as modelMatrixDemands of the float model", () => {
    const m = denseModel([1, 2, 3, 4], [0, 0]);
    expect(layerDemands(quantizeModel(m, [[1, 1]]))).toEqual(modelMatrixDemands(m));
  });

  it("8-bit residual block (conv, ReLU, conv, Add, ReLU, avg-pool, dense): within 2 output codes of the float network", () => {
    const conv = (name: string, input: string, seed: number): Conv2dNode => ({
      kind: "conv2d",
      name,
      inputs: [input],
      output: name,
      inChannels: 4,
      outChannels: 4,
      kernel: [3, 3],
      stride: [1, 1],
      pads: [1, 1, 1, 1],
      dilation: [1, 1],
      groups: 1,
      weight: randomArray(seed, name, 4 * 4 * 9, 0.3),
      bias: randomArray(seed, `${name}.b`, 4, 0.1),
    });
    const m = createModel({
      name: "res",
      input: { name: "x", shape: [1, 4, 6, 6] },
      output: "fc",
      nodes: [
        conv("c1", "x", 1),
        { kind: "relu", name: "r1", inputs: ["c1"], output: "r1" },
        conv("c2", "r1", 2),
        { kind: "add", name: "add", inputs: ["c2", "x"], output: "add" },
        { kind: "relu", name: "r2", inputs: ["add"], output: "r2" },
        { kind: "globalAvgPool", name: "gap", inputs: ["r2"], output: "gap" },
        { kind: "reshape", name: "flat", inputs: ["gap"], output: "flat", shape: [1, 4] },
        { kind: "dense", name: "fc", inputs: ["flat"], output: "fc", inFeatures: 4, outFeatures: 3, weight: randomArray(3, "fc", 12), bias: randomArray(3, "fcb", 3, 0.1) },
      ],
    });
    const xs = [0, 1, 2, 3].map((i) => randomArray(9, `img${i}`, 144));
    const q = quantizeModel(m, xs);
    expect(q.layers.map((l) => l.kind)).toEqual(["conv2d", "conv2d", "add", "globalAvgPool", "reshape", "dense"]);
    const s = q.params[q.output].scale;
    for (const x of xs) {
      const yi = dequantize(q, q.output, runInteger(q, x));
      const yf = runFloat(m, x);
      for (let i = 0; i < yf.length; i++) expect(Math.abs(yi[i] - yf[i])).toBeLessThanOrEqual(2 * s);
    }
  });
});
