// A small convolutional model for the tiny design: conv (padding 1) + ReLU, a second conv whose
// output is added to the first's (residual Add with ReLU), max-pool, global average pool, flatten,
// dense. Weights from a seeded stream.

import { createModel, type Model, type ModelNode } from "../../compiler/ir/model";
import { RandomStream } from "../../sim/random";

export function tinyConvModel(seed = 3): Model {
  const rs = new RandomStream(seed, "tiny-conv-model");
  const rand = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rs.uniform() * 2 - 1) * scale);
  const conv = (name: string, input: string, cin: number, cout: number): ModelNode => ({
    kind: "conv2d",
    name,
    inputs: [input],
    output: name,
    inChannels: cin,
    outChannels: cout,
    kernel: [3, 3],
    stride: [1, 1],
    pads: [1, 1, 1, 1],
    dilation: [1, 1],
    groups: 1,
    weight: rand(cout * cin * 9, 0.5),
    bias: rand(cout, 0.1),
  });
  const nodes: ModelNode[] = [
    conv("c1", "input", 2, 4),
    { kind: "relu", name: "r1", inputs: ["c1"], output: "r1" },
    conv("c2", "r1", 4, 4),
    { kind: "add", name: "add", inputs: ["c2", "r1"], output: "add" },
    { kind: "relu", name: "r2", inputs: ["add"], output: "r2" },
    { kind: "maxPool", name: "pool", inputs: ["r2"], output: "pool", kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0], countIncludePad: false },
    { kind: "globalAvgPool", name: "gap", inputs: ["pool"], output: "gap" },
    { kind: "reshape", name: "flat", inputs: ["gap"], output: "flat", shape: [1, 4] },
    { kind: "dense", name: "fc", inputs: ["flat"], output: "fc", inFeatures: 4, outFeatures: 5, weight: rand(5 * 4, 0.3), bias: rand(5, 0.1) },
  ];
  return createModel({ name: "tiny-conv", input: { name: "input", shape: [1, 2, 6, 6] }, output: "fc", nodes });
}
