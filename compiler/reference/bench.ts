// Benchmark of the reference executors: zoo LeNet-5 on MNIST test images through the float and
// the 8-bit integer executor (images per second and multiply-accumulates per second).

import { mnistImage, mnistTestSet } from "../data/mnist";
import { summarizeModel } from "../ir/summary";
import { quantizeModel } from "../quant/quantize";
import { mnistCalibration } from "../zoo/export";
import { loadModel } from "../zoo/zoo";
import { runFloat } from "./float";
import { runInteger } from "./integer";

export interface ReferenceBench {
  float_images_per_s: number;
  integer_images_per_s: number;
  integer_macs_per_s: number;
}

export function benchReferenceExecutors(images = 500): ReferenceBench {
  const model = loadModel("zoo:lenet5");
  const q = quantizeModel(model, mnistCalibration(64));
  const test = mnistTestSet();
  const macs = summarizeModel(model).macs;
  const time = (f: (x: Float32Array) => unknown) => {
    for (let i = 0; i < 20; i++) f(mnistImage(test, i));
    const t0 = performance.now();
    for (let i = 0; i < images; i++) f(mnistImage(test, i));
    return (performance.now() - t0) / 1000;
  };
  const floatS = time((x) => runFloat(model, x));
  const intS = time((x) => runInteger(q, x));
  return { float_images_per_s: images / floatS, integer_images_per_s: images / intS, integer_macs_per_s: (images * macs) / intS };
}
