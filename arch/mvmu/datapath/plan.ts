// What every MVMU datapath of one params object shares, worked out once: the geometry, the data and
// unit columns' ADC quantisers, each input step's weight sign·2^shift, each slice's 2^(cellBits·s),
// and whether the ADC converts every value its range can hold exactly (step 1, no clipping) — the
// condition for the lossless shortcut. Pure: the plan is a function of the (frozen) params alone.
// Left out: anything that depends on the arrays or the programmed weights (the datapath's own).

import { RramsimError } from "../../../sim/errors";
import { adcQuantiser, type AdcQuantiser } from "../adc";
import { adcConversionRange, type AdcColumnRange, mvmuMaxColumnLevelSum, mvmuGeometryInfo, type MvmuGeometryInfo } from "../encoding";
import type { MvmuParams } from "../params";

export interface DatapathPlan {
  g: MvmuGeometryInfo;
  qData: AdcQuantiser;
  qUnit: AdcQuantiser;
  /** sign·2^shift per input step */
  stepWeight: Float64Array;
  /** 2^(cellBits·s) per slice */
  sliceScale: Float64Array;
  /** the ADC converts every data (and unit) column value exactly: the lossless shortcut applies to ideal arrays */
  lossless: boolean;
}

/**
 * Plans by params object (a chip's MVMUs share one; 328 PUMA datapaths built in 11 → 4 ms). A
 * module-level cache is safe: it memoises a pure function of frozen params, holds no buffer anyone
 * writes, and a WeakMap lets a plan go when its params do.
 */
const planCache = new WeakMap<MvmuParams, DatapathPlan>();

export function datapathPlan(p: MvmuParams): DatapathPlan {
  const cached = planCache.get(p);
  if (cached !== undefined) return cached;
  const g = mvmuGeometryInfo(p);
  const headroom = p.precision.inputBits + p.precision.weightBits + Math.ceil(Math.log2(g.rows * p.crossbars)) + 1;
  if (headroom > 53) {
    throw new RramsimError("CONFIG_RANGE", `mvmu: precision.inputBits + weightBits (${p.precision.inputBits} + ${p.precision.weightBits}) is too wide for exact products in doubles`);
  }
  const acc = p.adc.accumulateSteps;
  const dataRange = adcConversionRange(g.steps, mvmuMaxColumnLevelSum(p), acc);
  const unitRange = adcConversionRange(g.steps, g.rows, acc);
  const qData = adcQuantiser(p.adc, dataRange);
  const qUnit = adcQuantiser(p.adc, unitRange);
  const stepWeight = Float64Array.from(g.steps, (s) => s.sign * 2 ** s.shift);
  const sliceScale = Float64Array.from({ length: g.slices }, (_, s) => 2 ** (p.crossbar.cellBits * s));
  const exact = (q: AdcQuantiser, r: AdcColumnRange) => q.step === 1 && r.hi - r.lo <= q.maxCode;
  const lossless = exact(qData, dataRange) && (g.unitColsPerCrossbar === 0 || exact(qUnit, unitRange));
  const plan = { g, qData, qUnit, stepWeight, sliceScale, lossless };
  planCache.set(p, plan);
  return plan;
}
