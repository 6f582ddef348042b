// Benchmark of the reference executors: zoo LeNet-5 on MNIST test images through the float and
// the 8-bit integer executor (images per second and multiply-accumulates per second), and the
// reference cost `rramsim run` pays per image (runIntegerAll on the input codes + runFloat).

import { compileModel } from "../run/compile";
import { mnistImage, mnistTestSet } from "../../compiler/data/mnist";
import { summarizeModel } from "../../compiler/ir/summary";
import { quantizeModel } from "../../compiler/quant/quantize";
import { mnistCalibration } from "../../compiler/zoo/export";
import { loadModel } from "../../compiler/zoo/zoo";
import { runFloat } from "../../compiler/reference/float";
import { quantizeInput, runInteger, runIntegerAll } from "../../compiler/reference/integer";

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

export interface ReferencePerImageBench {
  /** runIntegerAll(q, { codes }) + runFloat(q.model, x) per image, ms: the best of `passes` averages over `images` images */
  reference_per_image_ms: number;
  integer_per_image_ms: number;
  float_per_image_ms: number;
}

/**
 * What `rramsim run` spends on its references per LeNet-5 image: the quantised model of a run on
 * Wu et al.'s design (compileModel, as the run gets it), then for each MNIST test image the integer
 * reference on the image's codes and the float reference on the image. Codes are made before timing
 * (the run needs them for the simulation anyway).
 */
export function benchReferencePerImage(images = 1000, passes = 3): ReferencePerImageBench {
  const q = compileModel({ arch: "configs/arch/wu2023.yaml", model: "zoo:lenet5", growTiles: true }).quantized;
  const test = mnistTestSet();
  const xs = Array.from({ length: images }, (_, i) => mnistImage(test, i));
  const codes = xs.map((x) => quantizeInput(q, x));
  let bestInt = Infinity;
  let bestFloat = Infinity;
  for (let pass = 0; pass <= passes; pass++) {
    let t0 = performance.now();
    for (let i = 0; i < images; i++) runIntegerAll(q, { codes: codes[i] });
    const intMs = (performance.now() - t0) / images;
    t0 = performance.now();
    for (let i = 0; i < images; i++) runFloat(q.model, xs[i]);
    const floatMs = (performance.now() - t0) / images;
    // pass 0 warms up
    if (pass > 0) {
      bestInt = Math.min(bestInt, intMs);
      bestFloat = Math.min(bestFloat, floatMs);
    }
  }
  return { reference_per_image_ms: bestInt + bestFloat, integer_per_image_ms: bestInt, float_per_image_ms: bestFloat };
}
