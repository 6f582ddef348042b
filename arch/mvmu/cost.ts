// The MVMU's cost table: for each part, its instances per MVMU, its energy per action, leakage,
// area and peak power. A part's peak action rate is the rate at which the MVMU drives it when it
// runs MVMs back to back (actions per MVM ÷ initiation interval, from timing.ts); that rate turns a
// published peak power into an energy per action and back (sim/cost.ts), so `rramsim cost` (peak
// power × instances) and a simulation (actions × energy) describe the same unit. For ISAAC, whose
// Table I lists peak power, energy per MVM at full rate is therefore Σ power × 1.6 µs.
// `mvmuCostNotes` says where a part's figures come from a model used outside its fitted range (the
// ADC's, arch/mvmu/adc-models.ts), for the notes of `rramsim cost` and of a run.

import { instanceTotals, type CostNode } from "../../sim/cost-tree";
import { resolveCost, type ResolvedCost } from "../../sim/cost";
import { adcFigures } from "./adc-models";
import { mvmuGeometryInfo } from "./encoding";
import { MVMU_PART_NAMES, type MvmuParams } from "./params";
import { mvmuTiming } from "./timing";
import { SECONDS_PER_TICK } from "../../sim/time";

export type MvmuPartName = (typeof MVMU_PART_NAMES)[number];

export const MVMU_PARTS: readonly MvmuPartName[] = MVMU_PART_NAMES;

export interface MvmuPartCost extends ResolvedCost {
  part: MvmuPartName;
  /** instances in one MVMU */
  count: number;
  /** actions of one instance per second at the peak (back-to-back MVMs) */
  peakRateHz: number;
}

function rateOf(actionsPerMvmPerInstance: number, intervalTicks: number): number {
  return actionsPerMvmPerInstance / (intervalTicks * SECONDS_PER_TICK);
}

/** Each part's resolved cost; `clockHz` as in mvmuTiming. */
export function mvmuPartCosts(p: MvmuParams, clockHz?: number): Record<MvmuPartName, MvmuPartCost> {
  const g = mvmuGeometryInfo(p);
  const t = mvmuTiming(p, clockHz);
  const a = t.actions;
  const ii = t.initiationIntervalTicks;
  const xbars = p.crossbars;
  const part = (name: MvmuPartName, count: number, perInstance: number, spec: Parameters<typeof resolveCost>[0]): MvmuPartCost => {
    const peakRateHz = rateOf(perInstance, ii);
    return { part: name, count, peakRateHz, ...resolveCost(spec, peakRateHz) };
  };
  const adcCount = xbars * g.adcsPerCrossbar;
  const adcRate = rateOf(a.adcConversions, ii);
  const adc = adcFigures(p.adc.model, { bits: p.adc.bits, sampleRateHz: p.adc.sampleRate, peakRateHz: adcRate });
  return {
    crossbar: part("crossbar", xbars, a.crossbarReads, p.crossbar.cost),
    dac: part("dac", xbars * g.dacsPerCrossbar, a.dacConversions, p.dac.cost),
    sampleHold: part("sampleHold", xbars * g.physColsPerCrossbar, a.sampleHoldSamples, p.sampleHold.cost),
    adc: { part: "adc", count: adcCount, peakRateHz: adcRate, energyPj: adc.energyPj, peakPowerMw: adc.peakPowerMw - adc.leakageMw, leakageMw: adc.leakageMw, areaUm2: adc.areaUm2 },
    shiftAdd: part("shiftAdd", p.shiftAdd.count, a.shiftAddOps / p.shiftAdd.count, p.shiftAdd.cost),
    inputRegister: part("inputRegister", 1, a.inputRegisterReads, p.inputRegister.cost),
    outputRegister: part("outputRegister", 1, a.outputRegisterWrites, p.outputRegister.cost),
  };
}

/**
 * One MVMU as a node of the static cost tree (sim/cost-tree.ts): no own cost, one child per part
 * with its instance count, peak power per instance (dynamic at the peak rate + leakage) and area.
 */
export function mvmuCostNode(p: MvmuParams, clockHz?: number): CostNode {
  const costs = mvmuPartCosts(p, clockHz);
  return {
    name: "mvmu",
    count: 1,
    powerMw: 0,
    areaUm2: 0,
    note: `${p.crossbars} × ${p.crossbar.rows}×${p.crossbar.cols} crossbars, ${p.adc.bits}-bit ADCs (${p.adc.model.kind} model)`,
    children: MVMU_PARTS.map((name) => {
      const c = costs[name];
      return { name, count: c.count, powerMw: c.peakPowerMw + c.leakageMw, areaUm2: c.areaUm2 };
    }),
  };
}

/** One line per part whose cost model is extrapolated at these parameters (naming the field); empty when none is. */
export function mvmuCostNotes(p: MvmuParams): string[] {
  const adc = adcFigures(p.adc.model, { bits: p.adc.bits, sampleRateHz: p.adc.sampleRate, peakRateHz: p.adc.sampleRate });
  return adc.extrapolated === undefined ? [] : [`tile.mvmu.adc.model: ${adc.extrapolated}`];
}

/** Peak power (mW) and area (µm²) of one MVMU. */
export function mvmuPeak(p: MvmuParams, clockHz?: number): { powerMw: number; areaUm2: number } {
  return instanceTotals(mvmuCostNode(p, clockHz));
}
