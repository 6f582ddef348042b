// The column ADCs of an MVMU: `bits` of resolution, one ADC per `columnsPerAdc` columns converting
// them in turn at `sampleRate`, energy and area from the chosen model (adc-models.ts).
//
// Conversion rule. A column value x (level × input units; exact integers for an ideal device) is
// converted against the range the encoding says it can take, [lo, hi] (encoding.ts). The code
// step is a power of two, 2^max(0, A − bits), so the digital side rebuilds lo + code·step with
// shifts; A is the bits needed by the whole worst case (`fullScale`) or by the given fraction of
// it (`clip`, a calibrated range: finer steps, and values above the top code saturate). At
// bits ≥ A with `fullScale` the conversion is exact. code = round((x − lo) / step) with the configured rounding (half to even by default),
// clamped to 0 … 2^bits − 1.
// Left out: ADC noise, offset and INL/DNL, metastability.

import { defineKind, type SimContext } from "../../sim/component";
import { roundHalfEven } from "../../sim/fixed-point";
import type { Counter } from "../../sim/stats";
import type { MvmuPartCost } from "./cost";
import { adcBitsForRange, type AdcColumnRange } from "./encoding";
import { adcParamsSchema, type AdcParams } from "./params";
import { busyTicksStat, MvmuPartComponent } from "./part";

export const adcKind = defineKind({
  kind: "adc",
  description: "column ADCs: bits, sample rate, columns per ADC (serialised through the sample-and-holds), energy/area model",
  params: adcParamsSchema,
  stats: {
    conversions: { kind: "counter", unit: "conversions", desc: "conversions, all ADCs" },
    busyTicks: busyTicksStat,
  },
  actions: { convert: { desc: "one conversion" } },
});

export interface AdcQuantiser {
  lo: number;
  step: number;
  maxCode: number;
  rounding: AdcParams["rounding"];
}

/** The quantiser of one column kind under an ADC's bits, range policy and rounding. */
export function adcQuantiser(adc: Pick<AdcParams, "bits" | "range" | "rounding">, range: AdcColumnRange): AdcQuantiser {
  const width = adc.range.kind === "clip" ? adc.range.fraction * (range.hi - range.lo) : range.hi - range.lo;
  const need = adcBitsForRange({ lo: 0, hi: Math.ceil(width) });
  return { lo: range.lo, step: 2 ** Math.max(0, need - adc.bits), maxCode: 2 ** adc.bits - 1, rounding: adc.rounding };
}

/** Converts x and returns the value the digital side rebuilds from the code (lo + code·step). */
export function adcConvert(x: number, q: AdcQuantiser): number {
  const u = (x - q.lo) / q.step;
  let code = q.rounding === "halfEven" ? roundHalfEven(u) : q.rounding === "halfUp" ? Math.floor(u + 0.5) : Math.floor(u);
  if (code < 0) code = 0;
  else if (code > q.maxCode) code = q.maxCode;
  return q.lo + code * q.step;
}

export class Adc extends MvmuPartComponent<typeof adcParamsSchema> {
  private readonly aConvert: number;
  private readonly conversions: Counter;

  constructor(ctx: SimContext, path: string, params: AdcParams, cost: MvmuPartCost) {
    super(ctx, path, adcKind, params, cost, { convert: { energyPj: cost.energyPj } });
    this.aConvert = this.energy.action("convert");
    this.conversions = this.counter("conversions");
  }

  /** `n` conversions spread over the ADCs, taking `busyTicks` from `startTick` (default: now). */
  convert(n: number, busyTicks: number, startTick?: number): void {
    this.conversions.add(n);
    this.record(this.aConvert, n, busyTicks, startTick);
  }
}
