// Test helpers: random MVMU configs and an independent exact product (BigInt, naive loop).
import fc from "fast-check";
import { mvmuParams } from "../../arch/mvmu/presets";
import type { MvmuParams } from "../../arch/mvmu/params";

const zeroCost = { energy: 0 };

export interface ShapeSpec {
  rows: number;
  cols: number;
  crossbars: number;
  cellBits: number;
  dacBits: number;
  weightBits: number;
  inputBits: number;
  signedInputs: boolean;
  signedWeights: "none" | "differential" | "bias";
  flip: boolean;
  unitColumn: "analog" | "digital";
  accumulateSteps: boolean;
  columnsPerAdc: number;
}

export const shapeArb: fc.Arbitrary<ShapeSpec> = fc.record({
  rows: fc.integer({ min: 1, max: 256 }),
  cols: fc.integer({ min: 1, max: 48 }),
  crossbars: fc.integer({ min: 1, max: 4 }),
  cellBits: fc.integer({ min: 1, max: 4 }),
  dacBits: fc.integer({ min: 1, max: 4 }),
  weightBits: fc.integer({ min: 2, max: 16 }),
  inputBits: fc.integer({ min: 2, max: 16 }),
  signedInputs: fc.boolean(),
  signedWeights: fc.constantFrom("none", "differential", "bias"),
  flip: fc.boolean(),
  unitColumn: fc.constantFrom("analog", "digital"),
  accumulateSteps: fc.boolean(),
  columnsPerAdc: fc.integer({ min: 1, max: 16 }),
});

/** Cells per weight, computed here independently of the encoding module. */
export function columnsPerWeight(s: ShapeSpec): number {
  const magnitude = s.signedWeights === "differential" ? s.weightBits - 1 : s.weightBits;
  return Math.ceil(magnitude / s.cellBits) * (s.signedWeights === "differential" ? 2 : 1);
}

/**
 * The lossless ADC resolution by hand: the largest value one conversion can see, per column kind.
 * Per step the largest digit is 2^min(dacBits, magnitude bits) − 1; a slice column's level sum is
 * at most rows·L, or ⌊rows·L/2⌋ when flipped; the unit column's is rows. Accumulating over all
 * steps the digits rebuild the input, so the widest range is (2^inputBits − 1)·levelSum.
 */
export function losslessBitsByHand(s: ShapeSpec): number {
  const L = 2 ** s.cellBits - 1;
  const magBits = s.signedInputs ? s.inputBits - 1 : s.inputBits;
  const digitMax = s.accumulateSteps ? 2 ** s.inputBits - 1 : 2 ** Math.min(s.dacBits, magBits) - 1;
  const bitsFor = (max: number) => Math.max(1, Math.ceil(Math.log2(max + 1)));
  let bits = bitsFor(digitMax * (s.flip ? Math.floor((s.rows * L) / 2) : s.rows * L));
  const unit = (s.signedWeights === "bias" || s.flip) && s.unitColumn === "analog";
  if (unit) bits = Math.max(bits, bitsFor(digitMax * s.rows));
  return bits;
}

export function paramsFor(s: ShapeSpec, adcBits: number): MvmuParams {
  return mvmuParams({
    crossbars: s.crossbars,
    crossbar: { rows: s.rows, cols: s.cols, cellBits: s.cellBits, readLatency: "10ns", cost: zeroCost },
    dac: { bits: s.dacBits, cost: zeroCost },
    sampleHold: { cost: zeroCost },
    adc: { bits: adcBits, columnsPerAdc: s.columnsPerAdc, sampleRate: "1GHz", accumulateSteps: s.accumulateSteps, model: { kind: "cost", cost: zeroCost } },
    shiftAdd: { cost: zeroCost },
    inputRegister: { cost: zeroCost },
    outputRegister: { cost: zeroCost },
    precision: { inputBits: s.inputBits, weightBits: s.weightBits },
    encoding: { signedInputs: s.signedInputs, signedWeights: s.signedWeights, flip: s.flip, unitColumn: s.unitColumn },
  });
}

export function weightBounds(s: ShapeSpec): [number, number] {
  const h = 2 ** (s.weightBits - 1);
  if (s.signedWeights === "none") return [0, 2 ** s.weightBits - 1];
  if (s.signedWeights === "differential") return [-(h - 1), h - 1];
  return [-h, h - 1];
}

export function inputBounds(s: ShapeSpec): [number, number] {
  return s.signedInputs ? [-(2 ** (s.inputBits - 1)), 2 ** (s.inputBits - 1) - 1] : [0, 2 ** s.inputBits - 1];
}

/** y[j] = Σ_r x[r]·W[r][j], exactly, in BigInt. */
export function exactProduct(w: ArrayLike<number>, rows: number, cols: number, x: ArrayLike<number>): bigint[] {
  const y: bigint[] = [];
  for (let j = 0; j < cols; j++) {
    let acc = 0n;
    for (let r = 0; r < rows; r++) acc += BigInt(x[r]) * BigInt(w[r * cols + j]);
    y.push(acc);
  }
  return y;
}
