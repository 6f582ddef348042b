// Integer arithmetic shared by the quantised-network reference (compiler/), the vector unit's
// requantise instruction (isa/, arch/) and the ADC models: one definition, so the simulator and the
// reference executor agree bit for bit.
//
// Requantisation maps a wide accumulator to a narrow activation with an integer multiplier and a
// right shift (the scale ≈ multiplier / 2^shift), rounding half up, adding a zero point and
// clipping:
//   y = clamp(⌊(acc · multiplier + 2^(shift−1)) / 2^shift⌋ + zeroPoint, lo, hi)
// Every intermediate is an exact integer in a double as long as |acc · multiplier| < 2^53; the
// limits below keep it so (|acc| < 2^37 with a 15-bit multiplier).

export const REQUANT_MULTIPLIER_BITS = 15;
export const REQUANT_MAX_ABS_ACC = 2 ** 37;

export interface Requant {
  /** integer in [0, 2^15) */
  multiplier: number;
  /** right shift, 0 … 62 */
  shift: number;
  zeroPoint: number;
  lo: number;
  hi: number;
}

/** 2^k for k = 0 … 63, so the hot path does no exponentiation. */
const POW2 = Float64Array.from({ length: 64 }, (_, k) => 2 ** k);

/** Requantises one accumulator value (see the file header for the rule). */
export function requantize(acc: number, q: Requant): number {
  const p = acc * q.multiplier;
  const s = q.shift;
  const r = s === 0 ? p : Math.floor((p + POW2[s - 1]) / POW2[s]);
  const y = r + q.zeroPoint;
  return y < q.lo ? q.lo : y > q.hi ? q.hi : y;
}

/**
 * The integer multiplier and shift that best represent a positive real `scale`:
 * scale ≈ multiplier / 2^shift with multiplier < 2^15 as large as possible.
 */
export function scaleToMultiplierShift(scale: number): { multiplier: number; shift: number } {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`requantisation scale must be > 0 (got ${scale})`);
  let shift = 0;
  let m = scale;
  const top = 2 ** REQUANT_MULTIPLIER_BITS;
  while (m * 2 < top && shift < 62) {
    m *= 2;
    shift++;
  }
  while (m >= top && shift > 0) {
    m /= 2;
    shift--;
  }
  let multiplier = Math.round(m);
  if (multiplier >= top) {
    multiplier = Math.round(multiplier / 2);
    shift = Math.max(0, shift - 1);
  }
  if (multiplier >= top) throw new RangeError(`requantisation scale ${scale} is too large for a ${REQUANT_MULTIPLIER_BITS}-bit multiplier`);
  return { multiplier, shift };
}

/** Rounds to the nearest integer, ties to even (IEEE 754 default; what the ADCs and DACs use). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds ties up; move ties that landed on an odd number back down
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
