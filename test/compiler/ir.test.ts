import { describe, expect, it } from "vitest";
import { createModel, foldBatchNorm, windowOutSize, type Conv2dNode, type ModelNode } from "../../compiler/ir/model";
import { runFloat } from "../../compiler/reference/float";
import { codeOf, naiveConv, randomArray } from "./helpers";

function conv(over: Partial<Conv2dNode> = {}): Conv2dNode {
  const base: Conv2dNode = {
    kind: "conv2d",
    name: "c",
    inputs: ["x"],
    output: "c",
    inChannels: 3,
    outChannels: 8,
    kernel: [3, 3],
    stride: [2, 2],
    pads: [1, 1, 1, 1],
    dilation: [1, 1],
    groups: 1,
    weight: new Float32Array(8 * 3 * 9),
    bias: new Float32Array(8),
  };
  return { ...base, ...over };
}

const model = (nodes: ModelNode[], shape = [1, 3, 32, 32], output = nodes[nodes.length - 1].output) => createModel({ name: "t", input: { name: "x", shape }, output, nodes });

describe("model IR shape inference", () => {
  it("convolution output size is ⌊(H + pads − d·(k − 1) − 1)/s⌋ + 1", () => {
    // 32 + 2 − 2 − 1 = 31; ⌊31/2⌋ + 1 = 16
    expect(model([conv()]).shapes.c).toEqual([1, 8, 16, 16]);
    // dilation 2: 32 + 2 − 4 − 1 = 29; ⌊29/2⌋ + 1 = 15
    expect(model([conv({ dilation: [2, 2] })]).shapes.c).toEqual([1, 8, 15, 15]);
    // asymmetric pads [0, 0, 1, 1] stride 1: 32 + 1 − 2 − 1 = 30; + 1 = 31
    expect(windowOutSize(32, 3, 1, 0, 1)).toBe(31);
  });

  it("pool, global pool, reshape, concat and add shapes", () => {
    const m = model([
      conv(),
      { kind: "maxPool", name: "p", inputs: ["c"], output: "p", kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], countIncludePad: false },
      { kind: "concat", name: "cat", inputs: ["p", "p"], output: "cat", axis: 1 },
      { kind: "add", name: "a", inputs: ["cat", "cat"], output: "a" },
      { kind: "globalAvgPool", name: "g", inputs: ["a"], output: "g" },
      { kind: "reshape", name: "f", inputs: ["g"], output: "f", shape: [1, 16] },
    ]);
    expect(m.shapes.p).toEqual([1, 8, 8, 8]);
    expect(m.shapes.cat).toEqual([1, 16, 8, 8]);
    expect(m.shapes.g).toEqual([1, 16, 1, 1]);
    expect(m.shapes.f).toEqual([1, 16]);
  });

  it("inconsistent shapes are MODEL_SHAPE errors", () => {
    expect(codeOf(() => model([conv({ inChannels: 4, weight: new Float32Array(8 * 4 * 9) })]))).toBe("MODEL_SHAPE");
    expect(codeOf(() => model([conv({ weight: new Float32Array(5) })]))).toBe("MODEL_SHAPE");
    expect(codeOf(() => model([conv({ groups: 2 })]))).toBe("MODEL_SHAPE");
    expect(codeOf(() => model([conv({ kernel: [40, 40], weight: new Float32Array(8 * 3 * 1600) })]))).toBe("MODEL_SHAPE");
    expect(codeOf(() => model([{ kind: "dense", name: "d", inputs: ["x"], output: "d", inFeatures: 5, outFeatures: 2, weight: new Float32Array(10), bias: new Float32Array(2) }], [1, 4]))).toBe("MODEL_SHAPE");
    expect(codeOf(() => model([{ kind: "reshape", name: "r", inputs: ["x"], output: "r", shape: [1, 7] }], [1, 2, 3]))).toBe("MODEL_SHAPE");
    expect(codeOf(() => model([{ kind: "relu", name: "r", inputs: ["y"], output: "r" }]))).toBe("MODEL_SHAPE");
    expect(codeOf(() => model([conv()], [2, 3, 32, 32]))).toBe("MODEL_SHAPE");
  });
});

describe("BatchNorm folding", () => {
  it("the folded convolution matches conv followed by batch normalisation computed directly", () => {
    const c = conv({ stride: [1, 1], groups: 1, weight: randomArray(1, "w", 8 * 27), bias: randomArray(1, "b", 8) });
    const bn = { scale: randomArray(2, "g", 8), bias: randomArray(2, "be", 8), mean: randomArray(2, "m", 8), variance: Float32Array.from(randomArray(2, "v", 8), (v) => v * v + 0.1), epsilon: 1e-3 };
    const folded = model([foldBatchNorm(c, bn)], [1, 3, 6, 6]);
    const x = randomArray(3, "x", 3 * 36);
    const { out, ho, wo } = naiveConv(x, [3, 6, 6], c.weight, c.bias, 8, [3, 3], [1, 1], [1, 1, 1, 1], [1, 1], 1);
    const y = runFloat(folded, x);
    const hw = ho * wo;
    out.forEach((v, i) => {
      const ch = Math.floor(i / hw);
      const ref = (bn.scale[ch] * (v - bn.mean[ch])) / Math.sqrt(bn.variance[ch] + bn.epsilon) + bn.bias[ch];
      expect(y[i]).toBeCloseTo(ref, 4);
    });
  });
});
