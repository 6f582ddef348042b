// The built-in model zoo, addressed as `zoo:NAME` wherever a model file is accepted:
//   mlp-mnist       784-256-128-10 MLP, trained by `npm run train` (weights in mlp-mnist.onnx)
//   lenet5          LeNet-5 with ReLU and max-pooling, trained by `npm run train` (lenet5.onnx)
//   lenet-wu2023    the LeNet of Wu et al. 2023 (arXiv 2305.14547): conv 4@5×5 → pool → conv
//                   12@5×5 → pool → fc 10, 3,220 weights; trained by `npm run train`
//                   (lenet-wu2023.onnx)
//   mlp-l4          PUMA's 4-layer MLP 1024-1024-2048-1024-10 (Ankit et al., ASPLOS 2019),
//                   seeded He-normal weights, for timing studies (accuracy meaningless)
//   resnet18-cifar  ResNet-18 (He et al. 2016) in its CIFAR-10 form: 3×3 stem, no max-pool,
//                   4 stages of 2 basic blocks (64/128/256/512 channels, 1×1 projection
//                   shortcuts where the shape changes), global average pool, fc 10; 3×32×32
//                   input; seeded He-normal weights, zero biases (BatchNorm is absent: folded into
//                   random weights it would be just another random weight), for timing studies.
// The trained files' test accuracy is recorded in compiler/zoo/models.json.

import * as path from "node:path";
import { DEFAULT_SEED, RandomStream } from "../../sim/random";
import { RramsimError } from "../../sim/errors";
import { createModel, shapeSize, type Conv2dNode, type DenseNode, type Model, type ModelNode } from "../ir/model";
import { loadOnnxFile, type OnnxImportOptions } from "../onnx/import";
import { packageRoot } from "../onnx/proto";
import { MNIST_NETS, type MnistNetName } from "./mnist-nets";
import type { TrainedParams } from "./trainer";

export const ZOO_MODELS = {
  "mlp-mnist": "784-256-128-10 MLP on MNIST, trained (compiler/zoo/mlp-mnist.onnx)",
  lenet5: "LeNet-5 on MNIST (ReLU, max-pool), trained (compiler/zoo/lenet5.onnx)",
  "lenet-wu2023": "Wu et al. 2023's LeNet on MNIST: conv 4@5×5, conv 12@5×5, fc 10 (3,220 weights), trained (compiler/zoo/lenet-wu2023.onnx)",
  "mlp-l4": "PUMA's MLP 1024-1024-2048-1024-10, seeded random weights (timing studies)",
  "resnet18-cifar": "ResNet-18 for 3×32×32 CIFAR-10 input, seeded random weights (timing studies)",
} as const;

export type ZooModelName = keyof typeof ZOO_MODELS;

export interface LoadModelOptions extends OnnxImportOptions {
  /** seed of the random weights of mlp-l4 and resnet18-cifar (default 1) */
  seed?: number;
}

/** The committed ONNX file of a trained zoo network. */
export function zooOnnxPath(name: MnistNetName): string {
  return path.join(packageRoot(), "compiler", "zoo", `${name}.onnx`);
}

/** Builds a zoo MNIST network's graph from trained parameters (conv/dense layers in order). */
export function buildMnistNet(name: MnistNetName, params: TrainedParams[]): Model {
  const nodes: ModelNode[] = [];
  let cur = "input";
  let shape = [1, 1, 28, 28];
  let p = 0;
  const counts: Record<string, number> = {};
  const next = (prefix: string) => `${prefix}${(counts[prefix] = (counts[prefix] ?? 0) + 1)}`;
  for (const spec of MNIST_NETS[name]) {
    switch (spec.kind) {
      case "conv": {
        const prm = params[p++];
        const n = next("conv");
        nodes.push({
          kind: "conv2d",
          name: n,
          inputs: [cur],
          output: n,
          inChannels: shape[1],
          outChannels: spec.outChannels,
          kernel: [spec.kernel, spec.kernel],
          stride: [1, 1],
          pads: [spec.pad, spec.pad, spec.pad, spec.pad],
          dilation: [1, 1],
          groups: 1,
          weight: prm.weight,
          bias: prm.bias,
        });
        const side = shape[2] + 2 * spec.pad - spec.kernel + 1;
        shape = [1, spec.outChannels, side, side];
        cur = n;
        break;
      }
      case "relu": {
        const n = next("relu");
        nodes.push({ kind: "relu", name: n, inputs: [cur], output: n });
        cur = n;
        break;
      }
      case "maxpool2": {
        const n = next("pool");
        nodes.push({ kind: "maxPool", name: n, inputs: [cur], output: n, kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0], countIncludePad: false });
        shape = [1, shape[1], Math.floor(shape[2] / 2), Math.floor(shape[3] / 2)];
        cur = n;
        break;
      }
      case "dense": {
        if (shape.length !== 2) {
          nodes.push({ kind: "reshape", name: "flatten", inputs: [cur], output: "flatten", shape: [1, shapeSize(shape)] });
          cur = "flatten";
          shape = [1, shapeSize(shape)];
        }
        const prm = params[p++];
        const n = next("fc");
        nodes.push({ kind: "dense", name: n, inputs: [cur], output: n, inFeatures: shape[1], outFeatures: spec.outFeatures, weight: prm.weight, bias: prm.bias });
        shape = [1, spec.outFeatures];
        cur = n;
        break;
      }
    }
  }
  if (p !== params.length) throw new RramsimError("SIM_STATE", `${name}: ${params.length} parameter sets for ${p} layers`);
  return createModel({ name, input: { name: "input", shape: [1, 1, 28, 28] }, output: cur, nodes });
}

function heNormal(rng: RandomStream, n: number, fanIn: number): Float32Array {
  const w = new Float32Array(n);
  const std = Math.sqrt(2 / fanIn);
  for (let i = 0; i < n; i++) w[i] = rng.normal() * std;
  return w;
}

function dense(seed: number, model: string, name: string, input: string, k: number, n: number): DenseNode {
  const rng = new RandomStream(seed, `zoo.${model}.${name}`);
  return { kind: "dense", name, inputs: [input], output: name, inFeatures: k, outFeatures: n, weight: heNormal(rng, k * n, k), bias: new Float32Array(n) };
}

function conv(seed: number, model: string, name: string, input: string, cin: number, cout: number, kernel: number, stride: number): Conv2dNode {
  const rng = new RandomStream(seed, `zoo.${model}.${name}`);
  const pad = (kernel - 1) / 2;
  const k = cin * kernel * kernel;
  return {
    kind: "conv2d",
    name,
    inputs: [input],
    output: name,
    inChannels: cin,
    outChannels: cout,
    kernel: [kernel, kernel],
    stride: [stride, stride],
    pads: [pad, pad, pad, pad],
    dilation: [1, 1],
    groups: 1,
    weight: heNormal(rng, cout * k, k),
    bias: new Float32Array(cout),
  };
}

/** PUMA's MLP-L4 (1024-1024-2048-1024-10, ReLU) with seeded random weights. */
export function buildMlpL4(seed = 1): Model {
  const sizes = [1024, 1024, 2048, 1024, 10];
  const nodes: ModelNode[] = [];
  let cur = "input";
  for (let i = 0; i + 1 < sizes.length; i++) {
    const fc = dense(seed, "mlp-l4", `fc${i + 1}`, cur, sizes[i], sizes[i + 1]);
    nodes.push(fc);
    cur = fc.output;
    if (i + 2 < sizes.length) {
      nodes.push({ kind: "relu", name: `relu${i + 1}`, inputs: [cur], output: `relu${i + 1}` });
      cur = `relu${i + 1}`;
    }
  }
  return createModel({ name: "mlp-l4", input: { name: "input", shape: [1, 1024] }, output: cur, nodes });
}

/** ResNet-18 for CIFAR-10 (3×32×32 → 10) with seeded random weights. */
export function buildResnet18Cifar(seed = 1): Model {
  const M = "resnet18-cifar";
  const nodes: ModelNode[] = [];
  const relu = (name: string, input: string) => {
    nodes.push({ kind: "relu", name, inputs: [input], output: name });
    return name;
  };
  nodes.push(conv(seed, M, "conv1", "input", 3, 64, 3, 1));
  let cur = relu("conv1.relu", "conv1");
  let channels = 64;
  const widths = [64, 128, 256, 512];
  widths.forEach((width, s) => {
    for (let b = 0; b < 2; b++) {
      const stride = s > 0 && b === 0 ? 2 : 1;
      const p = `layer${s + 1}.${b}`;
      nodes.push(conv(seed, M, `${p}.conv1`, cur, channels, width, 3, stride));
      const r1 = relu(`${p}.relu1`, `${p}.conv1`);
      nodes.push(conv(seed, M, `${p}.conv2`, r1, width, width, 3, 1));
      let shortcut = cur;
      if (stride !== 1 || channels !== width) {
        nodes.push(conv(seed, M, `${p}.downsample`, cur, channels, width, 1, stride));
        shortcut = `${p}.downsample`;
      }
      nodes.push({ kind: "add", name: `${p}.add`, inputs: [`${p}.conv2`, shortcut], output: `${p}.add` });
      cur = relu(`${p}.relu2`, `${p}.add`);
      channels = width;
    }
  });
  nodes.push({ kind: "globalAvgPool", name: "avgpool", inputs: [cur], output: "avgpool" });
  nodes.push({ kind: "reshape", name: "flatten", inputs: ["avgpool"], output: "flatten", shape: [1, 512] });
  nodes.push(dense(seed, M, "fc", "flatten", 512, 10));
  return createModel({ name: M, input: { name: "input", shape: [1, 3, 32, 32] }, output: "fc", nodes });
}

/** Loads `zoo:NAME` or an ONNX file. */
export function loadModel(ref: string, opts: LoadModelOptions = {}): Model {
  if (!ref.startsWith("zoo:")) return loadOnnxFile(ref, opts);
  const name = ref.slice(4);
  switch (name) {
    case "mlp-mnist":
    case "lenet5":
    case "lenet-wu2023":
      return loadOnnxFile(zooOnnxPath(name), { name, ...opts });
    case "mlp-l4":
      return buildMlpL4(opts.seed ?? DEFAULT_SEED);
    case "resnet18-cifar":
      return buildResnet18Cifar(opts.seed ?? DEFAULT_SEED);
    default:
      throw new RramsimError(
        "CLI_ARGUMENT",
        `${ref}: unknown zoo model (known: ${Object.keys(ZOO_MODELS)
          .map((n) => `zoo:${n}`)
          .join(", ")})`,
      );
  }
}
