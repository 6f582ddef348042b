// `rramsim` command line: flags in, model.ts out (app/).

import type { Command } from "commander";
import { choiceArg, intArg, printJson } from "../io";
import { DEFAULT_SEED } from "../../sim/random";
import { evaluateMnist, modelInfo, parseShape, printSummary } from "../../app/experiments/model";

export function registerModel(program: Command): void {
  const model = program.command("model").description("inspect models (ONNX files or zoo:NAME) and measure their MNIST accuracy");
  model
    .command("info")
    .description("layers, shapes, weight-matrix sizes (K×N), parameters and MACs of a model")
    .argument("<model>", "an .onnx file or zoo:NAME (zoo:mlp-mnist, zoo:lenet5, zoo:lenet-wu2023, zoo:mlp-l4, zoo:resnet18-cifar)")
    .option("--input-shape <dims>", "override the input shape, e.g. 1,1,28,28 (for dynamic dimensions)", parseShape)
    .option("--seed <n>", "seed of the random zoo models' weights", intArg(0), DEFAULT_SEED)
    .option("--json", "print one JSON object")
    .action((ref: string, opts: { inputShape?: number[]; seed: number; json?: boolean }) => {
      const s = modelInfo(ref, opts);
      if (opts.json) printJson(s);
      else printSummary(s);
    });
  model
    .command("eval")
    .description("MNIST top-1 of a model in float and quantised (bit-exact integer reference)")
    .argument("<model>", "an MNIST classifier: .onnx file or zoo:mlp-mnist / zoo:lenet5 / zoo:lenet-wu2023")
    .option("--images <n>", "test images, from the first", intArg(1, 10000), 10000)
    .option("--weight-bits <n>", "weight bits", intArg(2, 16), 8)
    .option("--activation-bits <n>", "activation bits", intArg(2, 16), 8)
    .option("--calibration-images <n>", "calibrate on the first N training images", intArg(1, 60000), 256)
    .option("--per-channel", "one weight scale per output channel")
    .option("--calibration <method>", "minmax or percentile", choiceArg(["minmax", "percentile"] as const), "minmax")
    .option("--json", "print one JSON object")
    .action((ref: string, opts: { images: number; calibrationImages: number; weightBits: number; activationBits: number; perChannel?: boolean; calibration: "minmax" | "percentile"; json?: boolean }) => {
      const r = evaluateMnist(ref, {
        images: opts.images,
        calibrationImages: opts.calibrationImages,
        weightBits: opts.weightBits,
        activationBits: opts.activationBits,
        perChannel: opts.perChannel ?? false,
        calibration: opts.calibration,
      });
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
