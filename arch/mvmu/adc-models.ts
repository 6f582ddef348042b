// ADC energy and area models, one chosen per design by `adc.model.kind`. Each turns the ADC's own
// inputs (bits or ENOB, sample rate, technology node) into an energy per conversion, a leakage
// power, an area and, where the model has one, a conversion latency:
//   cost      — a cost spec (sim/cost.ts): published peak power (ISAAC Table I: 16 mW / 8 ADCs) or
//               an energy per conversion (PUMA constants), converted at the MVMU's peak rate.
//   table     — energy and area per resolution; preset "isaac-sar" is the Kull-2013 8-bit SAR
//               scaled with Saberi's method, as tabulated in Accelergy's hwcomponents-library
//               isaac.py (docs/references.md §4.3).
//   walden    — E = FOM_W · 2^ENOB (Walden figure of merit, J per conversion step).
//   schreier  — E = 1 / (2 · 10^((FOM_S − SNDR)/10)), SNDR = 6.02·ENOB + 1.76 dB.
//   cimloop   — the survey fit of hwcomponents-adc (Andrulis et al., arXiv 2404.06553; constants
//               from its model.yaml, docs/references.md §4.2): a Schreier FOM bounded by rate and by ENOB,
//               a technology/ENOB correction, a log-linear area fit; 20 % of the energy is leakage.
//   neurosim  — NeuroSim V1.4 SarADC.cpp without the column-resistance term: power (a·N + b) µW
//               over (N + 1) ns per conversion (docs/references.md §4.4).
//   mnsim     — MNSIM 2.0 ADC.py: latency (bits + 2) / rate, energy = latency × power (docs/references.md §4.5).
// Outside its fitted range a model whose formula still evaluates gives the formula's figure and
// says so in `extrapolated` (one line, for the run report's and `rramsim cost`'s notes): the
// cimloop fit below ENOB 4 (its source, hwcomponents-adc, refuses fewer bits). A model that has
// no figure to give keeps its error: a table without the resolution, NeuroSim without coefficients
// for the node.
// Left out: NeuroSim's column-resistance term and area, MNSIM's fixed menu (give its power/area),
// the CiMLoop model's clamp of ENOB to its table length, temperature dependence.

import { z } from "zod";
import { nonNegativeQuantity, positiveQuantity } from "../../sim/config";
import { costSpecSchema, resolveCost } from "../../sim/cost";
import { RramsimError } from "../../sim/errors";
import { PJ_PER_J } from "../../sim/units";

/** ISAAC-derived SAR table (hwcomponents-library isaac.py, docs/references.md §4.3): 32 nm, ~1.2 GS/s. */
export const ISAAC_SAR_TABLE: ReadonlyArray<{ bits: number; energyPj: number; areaUm2: number }> = [
  { bits: 4, energyPj: 0.79, areaUm2: 361 },
  { bits: 5, energyPj: 0.99, areaUm2: 477 },
  { bits: 6, energyPj: 1.2, areaUm2: 627 },
  { bits: 7, energyPj: 1.42, areaUm2: 845 },
  { bits: 8, energyPj: 1.67, areaUm2: 1200 },
  { bits: 9, energyPj: 1.97, areaUm2: 1828 },
  { bits: 10, energyPj: 2.38, areaUm2: 3002 },
];

/** NeuroSim SarADC.cpp power coefficients (a, b) in µW: P = a·N + b (docs/references.md §4.4). */
const NEUROSIM_COEFFS: Record<"hp" | "lp", Record<number, [number, number]>> = {
  hp: { 65: [2.9503, 22.047], 32: [1.0157, 7.6286], 22: [0.7213, 3.3041], 7: [0.2008, 0.6823] },
  lp: { 65: [3.7506, 25.844], 32: [1.1294, 8.8998], 22: [0.538, 4.3753] },
};

/** hwcomponents-adc model.yaml constants (docs/references.md §4.2). */
const CIMLOOP = {
  fomsIntercept: 213.78,
  fomsPerLnRate: -2.872,
  fomsCapIntercept: 128.31,
  fomsCapPerEnob: 3.2205,
  techIntercept: 26.05,
  techPerLnNode: 1.88,
  perLnEnob: -2.829,
  residual: -1.47,
  areaIntercept: 1.346,
  areaPerLnNode: 0.993,
  areaPerLnRate: 0.181,
  areaPerLnEnergy: 0.299,
  leakageFraction: 0.2,
  /** the lowest ENOB the source accepts (hwcomponents-adc asserts bits ≥ 4) */
  minEnob: 4,
};

const enob = z.number().positive().optional().describe("effective bits (default: the ADC's bits)");

export const adcModelSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("cost"), cost: costSpecSchema.describe("per ADC: peak power or energy per conversion, leakage, area") }).strict(),
  z
    .object({
      kind: z.literal("table"),
      preset: z.enum(["isaac-sar"]).optional().describe("a built-in table"),
      entries: z
        .array(z.object({ bits: z.number().int().min(1), energy: nonNegativeQuantity("energy"), area: nonNegativeQuantity("area") }).strict())
        .min(1)
        .optional()
        .describe("energy per conversion and area per resolution"),
      leakage: nonNegativeQuantity("power").default(0),
    })
    .strict()
    .refine((m) => (m.preset === undefined) !== (m.entries === undefined), {
      message: "give exactly one of 'preset' or 'entries'",
      params: { rramsimCode: "CONFIG_VALUE" },
    }),
  z
    .object({
      kind: z.literal("walden"),
      fom: positiveQuantity("energy").describe('Walden FOM: energy per conversion step (pJ, or e.g. "5fJ")'),
      enob,
      leakage: nonNegativeQuantity("power").default(0),
      area: nonNegativeQuantity("area").default(0),
    })
    .strict(),
  z
    .object({
      kind: z.literal("schreier"),
      fomDb: z.number().positive().describe("Schreier FOM in dB"),
      enob,
      leakage: nonNegativeQuantity("power").default(0),
      area: nonNegativeQuantity("area").default(0),
    })
    .strict(),
  z
    .object({
      kind: z.literal("cimloop"),
      techNodeNm: z.number().positive().describe("technology node in nm"),
      enob,
    })
    .strict(),
  z
    .object({
      kind: z.literal("neurosim"),
      techNodeNm: z.union([z.literal(65), z.literal(32), z.literal(22), z.literal(7)]),
      device: z.enum(["hp", "lp"]).default("hp"),
      area: nonNegativeQuantity("area").default(0),
    })
    .strict(),
  z
    .object({
      kind: z.literal("mnsim"),
      power: positiveQuantity("power").describe('ADC power from MNSIM\'s menu (e.g. "2mW" for its ISAAC entry)'),
      area: nonNegativeQuantity("area").default(0),
    })
    .strict(),
]);

export type AdcModel = z.output<typeof adcModelSchema>;

export interface AdcModelInputs {
  bits: number;
  /** conversions per second of one ADC (its nameplate rate) */
  sampleRateHz: number;
  /** conversions per second one ADC performs when the MVMU runs back to back (for power ↔ energy) */
  peakRateHz: number;
}

export interface AdcFigures {
  /** energy of one `convert` action */
  energyPj: number;
  leakageMw: number;
  areaUm2: number;
  /** peak power of one ADC: dynamic at the peak rate plus leakage */
  peakPowerMw: number;
  /** conversion latency the model implies, if it has one */
  latencyS?: number;
  /** set when the inputs lie outside the model's fitted range and the figures are its formula extrapolated: why, in one line */
  extrapolated?: string;
}

function sndrDb(n: number): number {
  return 6.02 * n + 1.76;
}

/** Energy per conversion (J) from a Schreier FOM (dB) and ENOB (hwcomponents-adc's relation). */
export function schreierEnergyJ(fomDb: number, n: number): number {
  return 1 / (2 * 10 ** ((fomDb - sndrDb(n)) / 10));
}

/**
 * The CiMLoop/Accelergy survey fit: total energy per conversion (pJ) and area (µm²). Below ENOB 4
 * (where its source stops) the same formula is evaluated and `extrapolated` says so.
 */
export function cimloopAdc(n: number, techNodeNm: number, rateHz: number): { energyPj: number; areaUm2: number; extrapolated?: string } {
  const c = CIMLOOP;
  const foms = Math.min(c.fomsIntercept + c.fomsPerLnRate * Math.log(rateHz), c.fomsCapIntercept + c.fomsCapPerEnob * Math.ceil(n));
  const energyPj = schreierEnergyJ(foms, n) * Math.exp(c.techIntercept + c.techPerLnNode * Math.log(techNodeNm) + c.perLnEnob * Math.log(n) + c.residual);
  const areaUm2 = Math.exp(c.areaIntercept + c.areaPerLnNode * Math.log(techNodeNm) + c.areaPerLnRate * Math.log(rateHz) + c.areaPerLnEnergy * Math.log(energyPj));
  if (n >= c.minEnob) return { energyPj, areaUm2 };
  return { energyPj, areaUm2, extrapolated: `cimloop ADC model covers ENOB ≥ ${c.minEnob} (its source refuses fewer bits); ENOB ${n} extrapolated from its formula` };
}

/** Energy, leakage, area (and latency if the model has one) of one ADC under its model. */
export function adcFigures(model: AdcModel, x: AdcModelInputs): AdcFigures {
  const withPeak = (energyPj: number, leakageMw: number, areaUm2: number, latencyS?: number, extrapolated?: string): AdcFigures => ({
    energyPj,
    leakageMw,
    areaUm2,
    peakPowerMw: energyPj * x.peakRateHz * 1e-9 + leakageMw,
    ...(latencyS === undefined ? {} : { latencyS }),
    ...(extrapolated === undefined ? {} : { extrapolated }),
  });
  switch (model.kind) {
    case "cost": {
      const r = resolveCost(model.cost, x.peakRateHz);
      return withPeak(r.energyPj, r.leakageMw, r.areaUm2);
    }
    case "table": {
      const rows = model.entries?.map((e) => ({ bits: e.bits, energyPj: e.energy, areaUm2: e.area })) ?? ISAAC_SAR_TABLE;
      const row = rows.find((r) => r.bits === x.bits);
      if (row === undefined) {
        throw new RramsimError("CONFIG_RANGE", `adc.model: the table has no ${x.bits}-bit entry (has ${rows.map((r) => r.bits).join(", ")}; add an entry or choose a model with a formula)`);
      }
      return withPeak(row.energyPj, model.leakage, row.areaUm2);
    }
    case "walden":
      return withPeak(model.fom * 2 ** (model.enob ?? x.bits), model.leakage, model.area);
    case "schreier":
      return withPeak(schreierEnergyJ(model.fomDb, model.enob ?? x.bits) * PJ_PER_J, model.leakage, model.area);
    case "cimloop": {
      const { energyPj, areaUm2, extrapolated } = cimloopAdc(model.enob ?? x.bits, model.techNodeNm, x.sampleRateHz);
      // the model's total energy splits into 80 % per conversion and 20 % leakage at its rate
      const leakageMw = CIMLOOP.leakageFraction * energyPj * x.sampleRateHz * 1e-9;
      return withPeak((1 - CIMLOOP.leakageFraction) * energyPj, leakageMw, areaUm2, undefined, extrapolated);
    }
    case "neurosim": {
      const coeffs = NEUROSIM_COEFFS[model.device][model.techNodeNm];
      if (coeffs === undefined) throw new RramsimError("CONFIG_VALUE", `adc.model: neurosim has no ${model.device} ${model.techNodeNm} nm coefficients`);
      const latencyS = (x.bits + 1) * 1e-9;
      const powerUw = coeffs[0] * x.bits + coeffs[1];
      return withPeak(powerUw * latencyS * 1e6, 0, model.area, latencyS);
    }
    case "mnsim": {
      const latencyS = (x.bits + 2) / x.sampleRateHz;
      return withPeak(model.power * latencyS * 1e9, 0, model.area, latencyS);
    }
  }
}
