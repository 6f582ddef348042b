import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { mnistTestSet, type MnistSet } from "../../compiler/data/mnist";
import { modelToOnnx } from "../../compiler/onnx/export";
import { onnxModelType } from "../../compiler/onnx/proto";
import { quantizeModel } from "../../compiler/quant/quantize";
import { argmax, runFloat } from "../../compiler/reference/float";
import { runInteger, runIntegerAll } from "../../compiler/reference/integer";
import type { Conv2dNode } from "../../compiler/ir/model";
import { mnistCalibration, ZOO_QUANT_OPTIONS } from "../../compiler/zoo/export";
import { buildMlpL4, buildMnistNet, loadModel, zooOnnxPath } from "../../compiler/zoo/zoo";
import { SequentialNet, type TrainedParams } from "../../compiler/zoo/trainer";
import { MNIST_NETS } from "../../compiler/zoo/mnist-nets";
import { codeOf, naiveConv } from "./helpers";

/** Every 10th test image: 1,000 images spread over both halves of the test set. */
function subsetTopOne(set: MnistSet, classify: (x: Float32Array) => number): number {
  let correct = 0;
  let n = 0;
  for (let i = 0; i < set.count; i += 10, n++) if (classify(set.images.subarray(i * 784, (i + 1) * 784)) === set.labels[i]) correct++;
  return correct / n;
}

const models = JSON.parse(fs.readFileSync(path.join(path.dirname(zooOnnxPath("lenet5")), "models.json"), "utf8")) as Record<string, { parameters: number; float_top1: number; int8_top1: number; test_images: number }>;

describe("model zoo", () => {
  it("zoo:lenet5 is LeNet-5: conv 6@5×5 pad 2, pool, conv 16@5×5, pool, fc 120, 84, 10", () => {
    const m = loadModel("zoo:lenet5");
    expect(m.input.shape).toEqual([1, 1, 28, 28]);
    const shapes = m.nodes.filter((n) => n.kind === "conv2d" || n.kind === "dense" || n.kind === "maxPool").map((n) => m.shapes[n.output]);
    expect(shapes).toEqual([
      [1, 6, 28, 28],
      [1, 6, 14, 14],
      [1, 16, 10, 10],
      [1, 16, 5, 5],
      [1, 120],
      [1, 84],
      [1, 10],
    ]);
  });

  it("zoo:lenet-wu2023 is Wu et al. 2023's LeNet: conv 4@5×5, pool, conv 12@5×5, pool, fc 10; 3,220 weights (6,440 devices as pairs)", () => {
    const m = loadModel("zoo:lenet-wu2023");
    expect(m.input.shape).toEqual([1, 1, 28, 28]);
    const layers = m.nodes.flatMap((n) => (n.kind === "conv2d" ? [n] : []));
    const fc = m.nodes.flatMap((n) => (n.kind === "dense" ? [n] : []));
    expect(layers.map((n) => [n.outChannels, n.inChannels, ...n.kernel])).toEqual([
      [4, 1, 5, 5],
      [12, 4, 5, 5],
    ]);
    expect(layers.map((n) => n.pads)).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(fc.map((n) => [n.outFeatures, n.inFeatures])).toEqual([[10, 192]]);
    // 28 − 5 + 1 = 24 → pool 12 → 12 − 5 + 1 = 8 → pool 4; 12·4·4 = 192
    const shapes = m.nodes.filter((n) => n.kind === "conv2d" || n.kind === "dense" || n.kind === "maxPool").map((n) => m.shapes[n.output]);
    expect(shapes).toEqual([
      [1, 4, 24, 24],
      [1, 4, 12, 12],
      [1, 12, 8, 8],
      [1, 12, 4, 4],
      [1, 10],
    ]);
    const weights = [...layers, ...fc].reduce((a, n) => a + n.weight.length, 0);
    const biases = [...layers, ...fc].reduce((a, n) => a + n.bias.length, 0);
    expect(weights).toBe(4 * 25 + 12 * 4 * 25 + 192 * 10);
    expect(weights).toBe(3220);
    expect(2 * weights).toBe(6440);
    expect(biases).toBe(4 + 12 + 10);
    expect(models["lenet-wu2023"].parameters).toBe(3246);
  });

  it("zoo:lenet5 reaches ≥ 98.5 % float top-1 on 1,000 test images and 8-bit stays within 0.5 %", () => {
    const m = loadModel("zoo:lenet5");
    const test = mnistTestSet();
    const float = subsetTopOne(test, (x) => argmax(runFloat(m, x)));
    const q = quantizeModel(m, mnistCalibration(), ZOO_QUANT_OPTIONS);
    const int8 = subsetTopOne(test, (x) => argmax(runInteger(q, x)));
    expect(float).toBeGreaterThanOrEqual(0.985);
    expect(Math.abs(float - int8)).toBeLessThanOrEqual(0.005);
  }, 60_000);

  it("the recorded full-test-set figures meet the targets (LeNet-5 and lenet-wu2023 ≥ 98.5 %, 8-bit within 0.5 %)", () => {
    expect(models.lenet5.test_images).toBe(10000);
    expect(models.lenet5.float_top1).toBeGreaterThanOrEqual(0.985);
    expect(Math.abs(models.lenet5.float_top1 - models.lenet5.int8_top1)).toBeLessThanOrEqual(0.005);
    const wu = models["lenet-wu2023"];
    expect(wu.test_images).toBe(10000);
    expect(wu.float_top1).toBeGreaterThanOrEqual(0.985);
    expect(Math.abs(wu.float_top1 - wu.int8_top1)).toBeLessThanOrEqual(0.005);
  });

  it("the committed zoo files re-export to the same bytes (import → IR → ONNX is lossless)", () => {
    for (const name of ["lenet5", "mlp-mnist", "lenet-wu2023"] as const) {
      if (!(name in models)) continue;
      const file = fs.readFileSync(zooOnnxPath(name));
      const m = loadModel(`zoo:${name}`);
      expect(Buffer.from(modelToOnnx(m, docString(file))).equals(file)).toBe(true);
    }
  });

  it("the committed files compute what the trainer's own forward pass computes with the same weights", () => {
    const test = mnistTestSet();
    for (const name of ["lenet5", "mlp-mnist", "lenet-wu2023"] as const) {
      const m = loadModel(`zoo:${name}`);
      const params = m.nodes.flatMap((n): TrainedParams[] =>
        n.kind === "conv2d"
          ? [{ kind: "conv", weightShape: [n.outChannels, n.inChannels, ...n.kernel], weight: n.weight, bias: n.bias }]
          : n.kind === "dense"
            ? [{ kind: "dense", weightShape: [n.outFeatures, n.inFeatures], weight: n.weight, bias: n.bias }]
            : [],
      );
      // the trainer's kernels are a separate implementation (axpy-form convolutions, own pooling)
      const net = new SequentialNet({ c: 1, h: 28, w: 28 }, MNIST_NETS[name], 0);
      net.loadParams(params);
      // and the builder used by `npm run train` gives back the same graph
      expect(buildMnistNet(name, params).nodes).toEqual(m.nodes);
      for (let i = 0; i < 20; i++) {
        const x = test.images.subarray(i * 784, (i + 1) * 784);
        const ref = net.forward(Float64Array.from(x));
        const y = runFloat(m, x);
        ref.forEach((v, j) => expect(y[j]).toBeCloseTo(v, 4));
      }
    }
  });

  it("the 8-bit LeNet-5 integer run equals a naive re-implementation (direct loops, BigInt requantisation) bit for bit", () => {
    const m = loadModel("zoo:lenet5");
    const q = quantizeModel(m, mnistCalibration(32));
    const test = mnistTestSet();
    // y = clamp(⌊(acc·multiplier + 2^(shift−1)) / 2^shift⌋, lo, hi), in BigInt (>> floors)
    const rq = (acc: number, r: { multiplier: number; shift: number; lo: number; hi: number }) => {
      const v = r.shift === 0 ? BigInt(acc) * BigInt(r.multiplier) : (BigInt(acc) * BigInt(r.multiplier) + (1n << BigInt(r.shift - 1))) >> BigInt(r.shift);
      return Math.min(r.hi, Math.max(r.lo, Number(v)));
    };
    for (let img = 0; img < 3; img++) {
      const x = test.images.subarray(img * 784, (img + 1) * 784);
      const run = runIntegerAll(q, x);
      let cur = Array.from(run.values.get("input") as Int32Array);
      let shape = [1, 28, 28];
      for (const l of q.layers) {
        if (l.kind === "conv2d") {
          const n = l.node as Conv2dNode;
          const { out, ho, wo } = naiveConv(cur, shape, l.weights, l.bias, n.outChannels, n.kernel, n.stride, n.pads, n.dilation, n.groups);
          cur = out.map((a, i) => rq(a, l.requant[Math.floor(i / (ho * wo))]));
          shape = [n.outChannels, ho, wo];
        } else if (l.kind === "maxPool") {
          const [c, h, w] = shape;
          const next: number[] = [];
          for (let ch = 0; ch < c; ch++)
            for (let y = 0; y < h / 2; y++)
              for (let xx = 0; xx < w / 2; xx++) {
                const at = (dy: number, dx: number) => cur[(ch * h + 2 * y + dy) * w + 2 * xx + dx];
                next.push(Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1)));
              }
          cur = next;
          shape = [c, h / 2, w / 2];
        } else if (l.kind === "dense") {
          cur = Array.from({ length: l.n }, (_, o) => {
            let acc = l.bias[o];
            for (let i = 0; i < l.k; i++) acc += l.weights[o * l.k + i] * cur[i];
            return rq(acc, l.requant[o]);
          });
        }
        expect(cur).toEqual(Array.from(run.values.get(l.output) as Int32Array));
      }
    }
  });

  it("mlp-l4 is PUMA's 1024-1024-2048-1024-10 and the same seed gives the same weights", () => {
    const a = buildMlpL4(3);
    expect(a.nodes.filter((n) => n.kind === "dense").map((n) => a.shapes[n.output][1])).toEqual([1024, 2048, 1024, 10]);
    const weights = (m: typeof a) => Buffer.concat(m.nodes.flatMap((n) => (n.kind === "dense" ? [Buffer.from(n.weight.buffer)] : [])));
    const w3 = weights(a);
    expect(w3.equals(weights(buildMlpL4(3)))).toBe(true);
    expect(w3.equals(weights(buildMlpL4(4)))).toBe(false);
  });

  it("an unknown zoo name is a CLI_ARGUMENT error; a missing file is INPUT_FILE", () => {
    expect(codeOf(() => loadModel("zoo:alexnet"))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => loadModel("no-such-file.onnx"))).toBe("INPUT_FILE");
  });
});

/** The doc_string the zoo file was written with (field 6 of ModelProto), to rebuild identical bytes. */
function docString(file: Buffer): string {
  const t = onnxModelType();
  return (t.toObject(t.decode(file)) as { doc_string?: string }).doc_string ?? "";
}
