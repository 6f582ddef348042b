// `rramsim model info|eval`: what a model (ONNX file or zoo:NAME) contains, and its MNIST top-1
// accuracy through the float and the integer reference executors.

import type { Command } from "commander";
import { RramsimError } from "../../sim/errors";
import { choiceArg, intArg, printJson } from "../io";
import { mnistTestSet } from "../../compiler/data/mnist";
import { summarizeModel, type ModelSummary } from "../../compiler/ir/summary";
import { quantizeModel, type QuantizeOptions } from "../../compiler/quant/quantize";
import { floatTopOne, integerTopOne, mnistCalibration } from "../../compiler/zoo/export";
import { loadModel } from "../../compiler/zoo/zoo";

function parseShape(v: string): number[] {
  const dims = v.split(/[,x×]/).map((d) => Number(d.trim()));
  if (dims.length < 2 || dims.some((d) => !(Number.isInteger(d) && d >= 1))) throw new RramsimError("CLI_ARGUMENT", `--input-shape: '${v}' is not a list of positive integers like 1,1,28,28`);
  return dims;
}

/** The summary `rramsim model info` prints. */
export function modelInfo(ref: string, opts: { inputShape?: number[]; seed?: number } = {}): ModelSummary {
  return summarizeModel(loadModel(ref, opts));
}

export interface MnistEvalOptions extends QuantizeOptions {
  /** test images, from the first (default 10,000) */
  images?: number;
  /** calibration images, the first of the training set (default 256) */
  calibrationImages?: number;
}

export interface MnistEvalReport {
  model: string;
  test_images: number;
  calibration_images: number;
  weight_bits: number;
  activation_bits: number;
  per_channel: boolean;
  float_top1: number;
  integer_top1: number;
}

/** MNIST top-1 of a model (input 1×1×28×28, 10 outputs): float and quantised (integer executor). */
export function evaluateMnist(ref: string, opts: MnistEvalOptions = {}): MnistEvalReport {
  const model = loadModel(ref);
  const outShape = model.shapes[model.output];
  if (model.input.shape.join(",") !== "1,1,28,28" || outShape[outShape.length - 1] !== 10) {
    throw new RramsimError("CLI_ARGUMENT", `${ref}: not an MNIST classifier (input [${model.input.shape.join(",")}], output [${outShape.join(",")}])`);
  }
  const test = mnistTestSet();
  const images = Math.min(opts.images ?? test.count, test.count);
  const calibrationImages = opts.calibrationImages ?? 256;
  const q = quantizeModel(model, mnistCalibration(calibrationImages), opts);
  return {
    model: ref,
    test_images: images,
    calibration_images: calibrationImages,
    weight_bits: q.options.weightBits,
    activation_bits: q.options.activationBits,
    per_channel: q.options.perChannel,
    float_top1: floatTopOne(model, test, images),
    integer_top1: integerTopOne(q, test, images),
  };
}

function printSummary(s: ModelSummary): void {
  const lines = [`${s.name}: input ${s.input.name} [${s.input.shape.join(",")}] → output ${s.output.name} [${s.output.shape.join(",")}]`, `parameters ${s.parameters}, MACs per inference ${s.macs}`, ""];
  const rows = s.layers.map((l) => [l.name, l.kind, `[${l.output_shape.join(",")}]`, l.k !== undefined ? `${l.k}×${l.n}` : "", l.positions !== undefined ? String(l.positions) : "", l.macs ? String(l.macs) : ""]);
  const head = ["layer", "kind", "output", "K×N", "MVMs", "MACs"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) lines.push(r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd());
  process.stdout.write(lines.join("\n") + "\n");
}

export function registerModel(program: Command): void {
  const model = program.command("model").description("inspect models (ONNX files or zoo:NAME) and measure their MNIST accuracy");
  model
    .command("info")
    .description("layers, shapes, weight-matrix sizes (K×N), parameters and MACs of a model")
    .argument("<model>", "an .onnx file or zoo:NAME (zoo:mlp-mnist, zoo:lenet5, zoo:mlp-l4, zoo:resnet18-cifar)")
    .option("--input-shape <dims>", "override the input shape, e.g. 1,1,28,28 (for dynamic dimensions)", parseShape)
    .option("--seed <n>", "seed of the random zoo models' weights", intArg(0), 1)
    .option("--json", "print one JSON object")
    .action((ref: string, opts: { inputShape?: number[]; seed: number; json?: boolean }) => {
      const s = modelInfo(ref, opts);
      if (opts.json) printJson(s);
      else printSummary(s);
    });
  model
    .command("eval")
    .description("MNIST top-1 of a model in float and quantised (bit-exact integer reference)")
    .argument("<model>", "an MNIST classifier: .onnx file or zoo:mlp-mnist / zoo:lenet5")
    .option("--images <n>", "test images, from the first", intArg(1, 10000), 10000)
    .option("--weight-bits <n>", "weight bits", intArg(2, 16), 8)
    .option("--activation-bits <n>", "activation bits", intArg(2, 16), 8)
    .option("--calibration-images <n>", "calibrate on the first N training images", intArg(1, 60000), 256)
    .option("--per-channel", "one weight scale per output channel")
    .option("--calibration <method>", "minmax or percentile", choiceArg(["minmax", "percentile"] as const), "minmax")
    .option("--json", "print one JSON object")
    .action((ref: string, opts: { images: number; calibrationImages: number; weightBits: number; activationBits: number; perChannel?: boolean; calibration: "minmax" | "percentile"; json?: boolean }) => {
      const r = evaluateMnist(ref, { images: opts.images, calibrationImages: opts.calibrationImages, weightBits: opts.weightBits, activationBits: opts.activationBits, perChannel: opts.perChannel ?? false, calibration: opts.calibration });
      if (opts.json) printJson(r);
      else {
        const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
        process.stdout.write(
          `${r.model} on ${r.test_images} MNIST test images (calibrated on ${r.calibration_images} training images):\n` +
            `  float top-1    ${pct(r.float_top1)}\n  ${r.weight_bits}/${r.activation_bits}-bit top-1  ${pct(r.integer_top1)}${r.per_channel ? " (per-channel weights)" : ""}\n`,
        );
      }
    });
}
