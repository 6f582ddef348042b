// Seeded random streams. Every component that needs randomness asks for the stream of its own path
// (`chip.tile[3].mvmu[0].crossbar[2]`) under the run's seed, so the numbers a component draws do
// not depend on how many numbers any other component drew, nor on event order. The generator is
// pure-rand's xoroshiro128+; normals come from Box–Muller on top of its uniform doubles.

import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

/** FNV-1a over the UTF-16 code units of a string, 32-bit. */
/** The seed of a run that names none; every default seed in the tree is this one. */
export const DEFAULT_SEED = 1;

export function hash32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Mixes a run seed and a component path into one 32-bit generator seed. */
export function streamSeed(runSeed: number, path: string): number {
  // murmur3 finaliser over (seed, path hash) so nearby seeds give unrelated streams
  let h = (hash32(path) ^ Math.imul(runSeed >>> 0, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h | 0;
}

export class RandomStream {
  readonly path: string;
  private readonly gen: JumpableRandomGenerator;
  private spare = 0;
  private hasSpare = false;

  constructor(runSeed: number, path: string) {
    this.path = path;
    this.gen = xoroshiro128plus(streamSeed(runSeed, path));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal N(0, 1) (Box–Muller; both outputs used). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * v;
    this.spare = r * Math.sin(a);
    this.hasSpare = true;
    return r * Math.cos(a);
  }

  /**
   * Advances the stream exactly as `n` calls of `normal()` would, without computing them (the
   * uniforms are drawn; the logarithm and the sine and cosine are not, except for a pair whose
   * second half a later `normal()` returns).
   */
  skipNormals(n: number): void {
    let left = n;
    if (left > 0 && this.hasSpare) {
      this.hasSpare = false;
      left--;
    }
    for (; left >= 2; left -= 2) {
      let u = this.uniform();
      while (u === 0) u = this.uniform();
      this.uniform();
    }
    if (left === 1) this.normal();
  }

  /** Fills `out` with independent N(0, 1) draws. */
  fillNormal(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /** A child stream, independent of this one, named by appending `suffix` to the path. */
  child(suffix: string, runSeed: number): RandomStream {
    return new RandomStream(runSeed, this.path + suffix);
  }
}

/** The streams of one run: one per component path, created on first use. */
export class RandomStreams {
  readonly seed: number;
  private readonly streams = new Map<string, RandomStream>();

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer (got ${seed})`);
    this.seed = seed;
  }

  for(path: string): RandomStream {
    let s = this.streams.get(path);
    if (!s) {
      s = new RandomStream(this.seed, path);
      this.streams.set(path, s);
    }
    return s;
  }
}
