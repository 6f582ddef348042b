import { describe, expect, it } from "vitest";
import { mnistImage, mnistTestSet, mnistTrainSet } from "../../compiler/data/mnist";

// Per-digit counts of the MNIST test and training sets, as published with the dataset
// (LeCun, Cortes & Burges, yann.lecun.com/exdb/mnist; the same figures are tabulated in
// TensorFlow Datasets' and torchvision's MNIST documentation).
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];

function counts(labels: Uint8Array): number[] {
  const c = new Array<number>(10).fill(0);
  for (const l of labels) c[l]++;
  return c;
}

describe("MNIST loader", () => {
  it("reads 10,000 test images with the published per-digit label counts", () => {
    const t = mnistTestSet();
    expect(t.count).toBe(10000);
    expect(t.images.length).toBe(10000 * 784);
    expect(counts(t.labels)).toEqual(TEST_COUNTS);
  });

  it("reads 60,000 training images with the published per-digit label counts", () => {
    const t = mnistTrainSet();
    expect(t.count).toBe(60000);
    expect(counts(t.labels)).toEqual(TRAIN_COUNTS);
  });

  it("pixels are in [0, 1] with exact multiples of 1/255, background 0", () => {
    const img = mnistImage(mnistTestSet(), 0);
    expect(img.length).toBe(784);
    expect(img[0]).toBe(0);
    expect(Math.max(...img)).toBeLessThanOrEqual(1);
    for (const v of img) expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(1e-4);
  });
});
