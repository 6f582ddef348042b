// Element semantics of the vector ALU (the custom-1 instructions). Elements are held as 32-bit
// integers; add, sub, mul and shift-and-add wrap at 32 bits. Sigmoid and tanh are tables over
// Q8.8 fixed point (8 fractional bits): the input is saturated to 16 bits and the output is
// round-half-even(256 · f(x / 256)), so σ ∈ [0, 256] and tanh ∈ [−256, 256]. Requantise applies
// `requantize` from sim/fixed-point.ts, the function the compiler's integer reference uses.

import { requantize, type Requant } from "../sim/fixed-point";
import { roundHalfEven } from "../sim/fixed-point";

export type VectorOp = "add" | "sub" | "mul" | "max" | "min" | "sna" | "req" | "relu" | "sig" | "tanh" | "cp" | "set";

/** The vector op of a custom-1 mnemonic (vadd → add). */
export function vectorOpOf(mnemonic: string): VectorOp | undefined {
  const op = mnemonic.startsWith("v") ? mnemonic.slice(1) : "";
  return (["add", "sub", "mul", "max", "min", "sna", "req", "relu", "sig", "tanh", "cp", "set"] as const).find((o) => o === op);
}

/** Ops that read a vector at x[rs1] (all but set, whose x[rs1] is a value). */
export function vectorOpReadsA(op: VectorOp): boolean {
  return op !== "set";
}

/** Ops with a second vector operand at x[rs2]. */
export function vectorOpReadsB(op: VectorOp): boolean {
  return op === "add" || op === "sub" || op === "mul" || op === "max" || op === "min";
}

export const Q_FRAC_BITS = 8;
const REQ_RANGES: ReadonlyArray<[number, number]> = [
  [-128, 127],
  [0, 255],
  [-32768, 32767],
  [0, 65535],
];

/** Unpacks vreq's x[rs2]: multiplier [14:0], shift [20:15], zero point [28:21] signed, range [30:29]. */
export function unpackRequant(packed: number): Requant {
  const multiplier = packed & 0x7fff;
  const shift = (packed >>> 15) & 0x3f;
  const zeroPoint = (((packed >>> 21) & 0xff) << 24) >> 24;
  const [lo, hi] = REQ_RANGES[(packed >>> 29) & 3];
  return { multiplier, shift, zeroPoint, lo, hi };
}

/** Packs requantisation parameters for vreq (the inverse of unpackRequant). */
export function packRequant(q: { multiplier: number; shift: number; zeroPoint: number; range: "int8" | "uint8" | "int16" | "uint16" }): number {
  const r = ["int8", "uint8", "int16", "uint16"].indexOf(q.range);
  if (q.multiplier < 0 || q.multiplier > 0x7fff || q.shift < 0 || q.shift > 63 || q.zeroPoint < -128 || q.zeroPoint > 127) {
    throw new RangeError(`vreq parameters out of range: ${JSON.stringify(q)}`);
  }
  return (q.multiplier | (q.shift << 15) | ((q.zeroPoint & 0xff) << 21) | (r << 29)) >>> 0;
}

let sigTable: Int16Array | undefined;
let tanhTable: Int16Array | undefined;

function table(f: (x: number) => number): Int16Array {
  const t = new Int16Array(65536);
  const scale = 2 ** Q_FRAC_BITS;
  for (let x = -32768; x <= 32767; x++) t[x + 32768] = roundHalfEven(scale * f(x / scale));
  return t;
}

const sat16 = (v: number) => (v < -32768 ? -32768 : v > 32767 ? 32767 : v);

export function sigmoidQ(v: number): number {
  sigTable ??= table((x) => 1 / (1 + Math.exp(-x)));
  return sigTable[sat16(v) + 32768];
}

export function tanhQ(v: number): number {
  tanhTable ??= table(Math.tanh);
  return tanhTable[sat16(v) + 32768];
}

/**
 * Applies a vector op in place on `v` (the register file): for i < n, element dst+i from a+i
 * (and b+i), ascending i. `scalar` is x[rs2] for sna (shift) and req (packed parameters), and
 * the value x[rs1] for set.
 * Addresses must be in range (the caller checks).
 */
export function applyVectorOp(op: VectorOp, v: Int32Array, dst: number, a: number, b: number, scalar: number, n: number): void {
  switch (op) {
    case "add":
      for (let i = 0; i < n; i++) v[dst + i] = (v[a + i] + v[b + i]) | 0;
      return;
    case "sub":
      for (let i = 0; i < n; i++) v[dst + i] = (v[a + i] - v[b + i]) | 0;
      return;
    case "mul":
      for (let i = 0; i < n; i++) v[dst + i] = Math.imul(v[a + i], v[b + i]);
      return;
    case "max":
      for (let i = 0; i < n; i++) v[dst + i] = Math.max(v[a + i], v[b + i]);
      return;
    case "min":
      for (let i = 0; i < n; i++) v[dst + i] = Math.min(v[a + i], v[b + i]);
      return;
    case "sna": {
      const s = scalar & 31;
      for (let i = 0; i < n; i++) v[dst + i] = (v[dst + i] + (v[a + i] << s)) | 0;
      return;
    }
    case "req": {
      const q = unpackRequant(scalar);
      for (let i = 0; i < n; i++) v[dst + i] = requantize(v[a + i], q);
      return;
    }
    case "relu":
      for (let i = 0; i < n; i++) v[dst + i] = v[a + i] > 0 ? v[a + i] : 0;
      return;
    case "sig":
      for (let i = 0; i < n; i++) v[dst + i] = sigmoidQ(v[a + i]);
      return;
    case "tanh":
      for (let i = 0; i < n; i++) v[dst + i] = tanhQ(v[a + i]);
      return;
    case "cp":
      for (let i = 0; i < n; i++) v[dst + i] = v[a + i];
      return;
    case "set":
      v.fill(scalar | 0, dst, dst + n);
      return;
  }
}
