// Saving the trained zoo networks and measuring their accuracy: writes compiler/zoo/NAME.onnx
// and the NAME entry of compiler/zoo/models.json (float and 8-bit top-1 on the 10,000 MNIST test
// images, measured on the re-imported file with the two reference executors). Used by
// scripts/train.ts (`npm run train`; `npm run train -- --evaluate` re-measures the committed files).

import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../../sim/files";
import { mnistImage, mnistTestSet, mnistTrainSet, type MnistSet } from "../data/mnist";
import { parameterCount, type Model } from "../ir/model";
import { saveOnnxFile } from "../onnx/export";
import { packageRoot } from "../onnx/proto";
import { quantizeModel, type QuantizeOptions, type QuantizedModel } from "../quant/quantize";
import { argmax, runFloat } from "../reference/float";
import { runInteger } from "../reference/integer";
import type { MnistNetName } from "./mnist-nets";
import type { TrainedParams } from "./trainer";
import { buildMnistNet, loadModel, zooOnnxPath } from "./zoo";

/** Calibration set of the recorded 8-bit figures: the first 256 MNIST training images. */
export const ZOO_CALIBRATION_IMAGES = 256;
export const ZOO_QUANT_OPTIONS: QuantizeOptions = { weightBits: 8, activationBits: 8, perChannel: false, calibration: "minmax" };

export interface ZooAccuracy {
  test_images: number;
  float_top1: number;
  int8_top1: number;
}

export function mnistCalibration(count = ZOO_CALIBRATION_IMAGES): Float32Array[] {
  const train = mnistTrainSet();
  return Array.from({ length: count }, (_, i) => mnistImage(train, i));
}

/** Top-1 accuracy of a classifier over the first `count` images of an MNIST set. */
export function mnistTopOne(set: MnistSet, classify: (image: Float32Array) => number, count = set.count): number {
  let correct = 0;
  for (let i = 0; i < count; i++) if (classify(mnistImage(set, i)) === set.labels[i]) correct++;
  return correct / count;
}

export function floatTopOne(model: Model, set: MnistSet, count = set.count): number {
  return mnistTopOne(set, (x) => argmax(runFloat(model, x)), count);
}

export function integerTopOne(q: QuantizedModel, set: MnistSet, count = set.count): number {
  return mnistTopOne(set, (x) => argmax(runInteger(q, x)), count);
}

/** Float and 8-bit accuracy of a committed zoo network on the MNIST test set. */
export function evaluateZooModel(name: MnistNetName, log: (m: string) => void = () => undefined, count?: number): ZooAccuracy {
  const model = loadModel(`zoo:${name}`);
  const test = mnistTestSet();
  const n = count ?? test.count;
  const float = floatTopOne(model, test, n);
  log(`${name}: float top-1 ${(float * 100).toFixed(2)} % on ${n} test images`);
  const q = quantizeModel(model, mnistCalibration(), ZOO_QUANT_OPTIONS);
  const int8 = integerTopOne(q, test, n);
  log(`${name}: 8-bit top-1 ${(int8 * 100).toFixed(2)} % on ${n} test images`);
  return { test_images: n, float_top1: float, int8_top1: int8 };
}

/**
 * Saves a trained network as the zoo's ONNX file, measures it and records it in models.json:
 * `train_command` is the command line that trained it (when given), `command` the one that
 * re-measures the committed file.
 */
export function exportTrainedZooModel(name: MnistNetName, params: TrainedParams[], recipe: object, log: (m: string) => void = () => undefined, trainCommand?: string): Record<string, unknown> {
  const model = buildMnistNet(name, params);
  const file = zooOnnxPath(name);
  saveOnnxFile(model, file, `rramsim zoo '${name}', trained by scripts/train.ts: ${JSON.stringify(recipe)}`);
  log(`${name}: wrote ${path.relative(packageRoot(), file)} (${fs.statSync(file).size} bytes)`);
  const acc = evaluateZooModel(name, log);
  const record = {
    file: path.basename(file),
    parameters: parameterCount(model),
    training: { ...recipe, optimiser: "Adam" },
    ...(trainCommand === undefined ? {} : { train_command: trainCommand }),
    quantisation: { ...ZOO_QUANT_OPTIONS, calibration_images: `first ${ZOO_CALIBRATION_IMAGES} MNIST training images` },
    ...acc,
    command: `npm run train -- --evaluate --model ${name}`,
  };
  const jsonFile = path.join(path.dirname(file), "models.json");
  const all = fs.existsSync(jsonFile) ? (JSON.parse(fs.readFileSync(jsonFile, "utf8")) as Record<string, unknown>) : {};
  all[name] = record;
  const sorted = Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((k) => [k, all[k]]),
  );
  writeFileAtomic(jsonFile, `${JSON.stringify(sorted, null, 2)}\n`);
  return record;
}
