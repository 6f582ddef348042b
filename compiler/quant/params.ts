// The integer format of a tensor (real = scale · code, code ∈ [lo, hi], zero point 0): choosing one
// from a calibrated range, and the requantisation from one scale to another (sim/fixed-point.ts).
// Also the quantiser's error. Left out: asymmetric formats (a non-zero zero point).

import { RramsimError } from "../../sim/errors";
import { scaleToMultiplierShift, type Requant } from "../../sim/fixed-point";

/** How a tensor's integer codes map to reals: real = scale · code, code ∈ [lo, hi]. */
export interface QuantParams {
  scale: number;
  bits: number;
  signed: boolean;
  lo: number;
  hi: number;
}

export function quantError(msg: string): RramsimError {
  return new RramsimError("MODEL_QUANT", msg);
}

/** The `bits`-bit format whose largest code stands for `maxAbs` (scale 1 when the range is empty). */
export function rangeParams(bits: number, signed: boolean, maxAbs: number): QuantParams {
  if (!(Number.isInteger(bits) && bits >= 2 && bits <= 16)) throw quantError(`activation bits must be an integer in 2 … 16 (got ${bits})`);
  const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const lo = signed ? -(2 ** (bits - 1)) : 0;
  const scale = maxAbs > 0 && Number.isFinite(maxAbs) ? maxAbs / hi : 1;
  return { scale, bits, signed, lo, hi };
}

/** Requantisation by `scale` into [lo, hi]; `what` names the layer when the scale cannot be represented. */
export function requantOf(scale: number, lo: number, hi: number, what: string): Requant {
  try {
    return { ...scaleToMultiplierShift(scale), zeroPoint: 0, lo, hi };
  } catch (e) {
    throw quantError(`${what}: ${(e as Error).message}`);
  }
}
