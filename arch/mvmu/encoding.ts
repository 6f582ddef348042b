// The MVMU's number encodings, as pure functions of its params.
//
// Inputs stream over DAC steps of dacBits, least significant first. Unsigned inputs use
// ⌈inputBits / dacBits⌉ steps. Signed inputs are two's complement: the inputBits − 1 magnitude bits
// stream as above and the sign bit gets a last 1-bit step whose partial sum the shift-and-add
// subtracts (ISAAC §V). With a 1-bit DAC that is exactly ISAAC's scheme; with wider DACs the sign
// costs one extra step, because one step's analog sum cannot subtract part of its own digit.
//
// Weights are sliced over ⌈weightBits / cellBits⌉ cells in adjacent columns, least significant
// slice first. Signed weights are stored either differentially (sign and magnitude: weights in
// ±(2^(weightBits−1) − 1), the positive part in one set of ⌈(weightBits − 1)/cellBits⌉ slice
// columns, the negative part in the next; both converted and subtracted digitally) or with a
// bias (w + 2^(weightBits−1) stored unsigned; the shift-and-add subtracts 2^(weightBits−1)·Σx, with
// Σx from the unit column). With `flip` (ISAAC §V, Eqs. 1–2), a column whose level sum exceeds
// half its maximum is stored complemented, L − level with L = 2^cellBits − 1, so its analog sum
// never exceeds half the worst case and the ADC needs one bit less; its value is rebuilt as
// L·Σx − measured, again with Σx from the unit column.
//
// The slice columns of all crossbars form one column space: logical weight j occupies columns
// j·colsPerWeight … (j+1)·colsPerWeight − 1, crossbar by crossbar, so a weight may straddle two
// crossbars. When 'bias' or 'flip' needs Σx and `unitColumn` is "analog", every crossbar has one
// extra column of cells at level 1 (ISAAC's 129th column).

import { RramsimError } from "../../sim/errors";
import type { MvmuParams } from "./params";

export interface MvmuInputStep {
  /** bit position of this step's digit */
  shift: number;
  /** bits of the digit (the DAC drives 0 … 2^bits − 1) */
  bits: number;
  /** +1, or −1 for the sign step of a signed input */
  sign: 1 | -1;
}

export interface MvmuGeometryInfo {
  /** crossbar rows (inputs of one MVM) */
  rows: number;
  /** logical weight columns of the MVMU, after slicing and the signed scheme */
  logicalCols: number;
  /** cells per weight (bit slices) */
  slices: number;
  /** physical columns per logical weight: slices, doubled when differential */
  colsPerWeight: number;
  /** slice columns per crossbar */
  dataColsPerCrossbar: number;
  /** 1 when each crossbar carries an analog unit column, else 0 */
  unitColsPerCrossbar: number;
  /** all columns of one crossbar that are sampled and converted */
  physColsPerCrossbar: number;
  adcsPerCrossbar: number;
  /** columns the busiest ADC converts per step (per MVM in accumulate mode) */
  columnsPerAdcMax: number;
  dacsPerCrossbar: number;
  /** Σx is needed (bias or flip) */
  needsInputSum: boolean;
  steps: MvmuInputStep[];
}

export function mvmuInputSteps(inputBits: number, dacBits: number, signed: boolean): MvmuInputStep[] {
  const steps: MvmuInputStep[] = [];
  const magnitudeBits = signed ? inputBits - 1 : inputBits;
  for (let shift = 0; shift < magnitudeBits; shift += dacBits) {
    steps.push({ shift, bits: Math.min(dacBits, magnitudeBits - shift), sign: 1 });
  }
  if (signed) steps.push({ shift: inputBits - 1, bits: 1, sign: -1 });
  return steps;
}

export function mvmuGeometryInfo(p: MvmuParams): MvmuGeometryInfo {
  const { crossbar, encoding, precision } = p;
  const differential = encoding.signedWeights === "differential";
  if (differential && precision.weightBits < 2) throw new RramsimError("CONFIG_RANGE", "mvmu: precision.weightBits: differential weights need at least 2 bits");
  const slices = Math.ceil((differential ? precision.weightBits - 1 : precision.weightBits) / crossbar.cellBits);
  const colsPerWeight = slices * (differential ? 2 : 1);
  const logicalCols = Math.floor((p.crossbars * crossbar.cols) / colsPerWeight);
  if (logicalCols < 1) {
    throw new RramsimError("CONFIG_RANGE", `mvmu: a weight needs ${colsPerWeight} columns but the MVMU has only ${p.crossbars} × ${crossbar.cols} (raise crossbar.cols or crossbars, or lower precision.weightBits)`);
  }
  if (encoding.signedInputs && precision.inputBits < 2) {
    throw new RramsimError("CONFIG_RANGE", "mvmu: precision.inputBits: signed inputs need at least 2 bits");
  }
  const needsInputSum = encoding.signedWeights === "bias" || encoding.flip;
  const unitColsPerCrossbar = needsInputSum && encoding.unitColumn === "analog" ? 1 : 0;
  const physColsPerCrossbar = crossbar.cols + unitColsPerCrossbar;
  const adcsPerCrossbar = Math.ceil(physColsPerCrossbar / p.adc.columnsPerAdc);
  return {
    rows: crossbar.rows,
    logicalCols,
    slices,
    colsPerWeight,
    dataColsPerCrossbar: crossbar.cols,
    unitColsPerCrossbar,
    physColsPerCrossbar,
    adcsPerCrossbar,
    columnsPerAdcMax: Math.min(p.adc.columnsPerAdc, physColsPerCrossbar),
    dacsPerCrossbar: Math.ceil(crossbar.rows / p.dac.rowsPerDac),
    needsInputSum,
    steps: mvmuInputSteps(precision.inputBits, p.dac.bits, encoding.signedInputs),
  };
}

/** The value range an ADC must resolve for one kind of column, in level × input units. */
export interface AdcColumnRange {
  lo: number;
  hi: number;
}

/** Largest level sum of a slice column over the crossbar's rows (halved by flipping). */
export function mvmuMaxColumnLevelSum(p: MvmuParams): number {
  const L = 2 ** p.crossbar.cellBits - 1;
  return p.encoding.flip ? Math.floor((p.crossbar.rows * L) / 2) : p.crossbar.rows * L;
}

/**
 * Worst-case range of what one ADC conversion sees for a column whose level sum is at most
 * `levelSum`: one step's sum (0 … (2^bits − 1)·levelSum, the widest step), or in accumulate mode
 * the binary-weighted signed sum over all steps.
 */
export function adcConversionRange(steps: readonly MvmuInputStep[], levelSum: number, accumulate: boolean): AdcColumnRange {
  if (!accumulate) {
    let hi = 0;
    for (const s of steps) hi = Math.max(hi, (2 ** s.bits - 1) * levelSum);
    return { lo: 0, hi };
  }
  let lo = 0;
  let hi = 0;
  for (const s of steps) {
    const m = 2 ** s.shift * (2 ** s.bits - 1) * levelSum;
    if (s.sign > 0) hi += m;
    else lo -= m;
  }
  return { lo, hi };
}

/** Bits needed to resolve every integer of a range exactly. */
export function adcBitsForRange(r: AdcColumnRange): number {
  return Math.max(1, Math.ceil(Math.log2(r.hi - r.lo + 1)));
}

/**
 * The ADC resolution at which an ideal device gives the exact integer product: enough for the
 * slice columns (halved by flipping) and for the analog unit column. Without flipping, accumulation
 * or a unit column this is ⌈log2((2^dacBits − 1)·(2^cellBits − 1)·rows + 1)⌉: the "+ 1" matters
 * only when that product is a power of two (1-bit DAC, 1-bit cells, power-of-two rows), where the
 * common formula without it is one bit short of representing the full-scale sum.
 */
export function adcBitsLossless(p: MvmuParams): number {
  const g = mvmuGeometryInfo(p);
  const acc = p.adc.accumulateSteps;
  let bits = adcBitsForRange(adcConversionRange(g.steps, mvmuMaxColumnLevelSum(p), acc));
  if (g.unitColsPerCrossbar > 0) bits = Math.max(bits, adcBitsForRange(adcConversionRange(g.steps, p.crossbar.rows, acc)));
  return bits;
}

/** The common closed form ⌈log2((2^dacBits − 1)·(2^cellBits − 1)·rows)⌉ (RRAM QNN survey §III). */
export function adcBitsSurveyFormula(rows: number, dacBits: number, cellBits: number): number {
  return Math.ceil(Math.log2((2 ** dacBits - 1) * (2 ** cellBits - 1) * rows));
}

/** Range of the integer weights the encoding can store. */
export function mvmuWeightRange(p: MvmuParams): { min: number; max: number } {
  const b = p.precision.weightBits;
  switch (p.encoding.signedWeights) {
    case "none":
      return { min: 0, max: 2 ** b - 1 };
    case "differential":
      return { min: -(2 ** (b - 1) - 1), max: 2 ** (b - 1) - 1 };
    case "bias":
      return { min: -(2 ** (b - 1)), max: 2 ** (b - 1) - 1 };
  }
}

/** Range of the integer inputs the encoding can stream. */
export function mvmuInputRange(p: MvmuParams): { min: number; max: number } {
  const b = p.precision.inputBits;
  return p.encoding.signedInputs ? { min: -(2 ** (b - 1)), max: 2 ** (b - 1) - 1 } : { min: 0, max: 2 ** b - 1 };
}

/** The digit of input x (an integer in mvmuInputRange) driven at one step. */
export function mvmuInputDigit(x: number, step: MvmuInputStep, inputBits: number): number {
  // two's complement as an unsigned inputBits-bit number; exact in doubles up to 2^53
  const u = x < 0 ? x + 2 ** inputBits : x;
  return Math.floor(u / 2 ** step.shift) % 2 ** step.bits;
}
