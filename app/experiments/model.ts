// `rramsim model info|eval`: what a model (ONNX file or zoo:NAME) contains, and its MNIST top-1
// accuracy through the float and the integer reference executors.

import { RramsimError } from "../../sim/errors";
import { mnistTestSet } from "../../compiler/data/mnist";
import { summarizeModel, type ModelSummary } from "../../compiler/ir/summary";
import { quantizeModel, type QuantizeOptions } from "../../compiler/quant/quantize";
import { floatTopOne, integerTopOne, mnistCalibration } from "../../compiler/zoo/export";
import { loadModel } from "../../compiler/zoo/zoo";

export function parseShape(v: string): number[] {
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

export function printSummary(s: ModelSummary): void {
  const lines = [`${s.name}: input ${s.input.name} [${s.input.shape.join(",")}] → output ${s.output.name} [${s.output.shape.join(",")}]`, `parameters ${s.parameters}, MACs per inference ${s.macs}`, ""];
  const rows = s.layers.map((l) => [l.name, l.kind, `[${l.output_shape.join(",")}]`, l.k !== undefined ? `${l.k}×${l.n}` : "", l.positions !== undefined ? String(l.positions) : "", l.macs ? String(l.macs) : ""]);
  const head = ["layer", "kind", "output", "K×N", "MVMs", "MACs"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows])
    lines.push(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    );
  process.stdout.write(lines.join("\n") + "\n");
}
