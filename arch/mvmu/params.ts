// Parameters of an analog MVM unit (MVMU): several crossbars that share one input vector, each with
// its row DACs, one sample-and-hold per column, ADCs shared by groups of columns, a shift-and-add
// and input/output registers (ISAAC's IMA, PUMA's MVMU, the Wu et al. 2023 tile). One strict zod
// schema is the single source of truth for types, defaults and errors; model code never defaults.
//
// Costs: every part takes a cost spec (sim/cost.ts) per instance — either the published peak power
// (ISAAC Table I rows divided by their instance counts) or an energy per action (PUMA constants).
// The ADC instead picks an energy/area model (adc-models.ts), one of which is such a cost spec.
// Peak power and energy per action are converted at the rate the MVMU drives each part when it
// runs MVMs back to back (cost.ts), so both describe the same unit.

import { z } from "zod";
import { nonNegativeQuantity, positiveQuantity } from "../../sim/config";
import { costSpecSchema } from "../../sim/cost";
import { powerGatingSchema } from "../../sim/power-gating";
import { adcModelSchema } from "./adc-models";

const bitsField = (min: number, max: number, desc: string) => z.number().int().min(min).max(max).describe(desc);

export const dacParamsSchema = z
  .object({
    bits: bitsField(1, 8, "DAC resolution: input bits applied per step (1 = bit-serial)").default(1),
    rowsPerDac: z.number().int().min(1).default(1).describe("rows one DAC drives in turn (time-multiplexed sharing)"),
    latency: nonNegativeQuantity("time").default(0).describe("time of one conversion; a shared DAC converts its rows one after another"),
    cost: costSpecSchema.describe("per DAC: peak power or energy per conversion, leakage, area"),
  })
  .strict();

export const crossbarParamsSchema = z
  .object({
    rows: z.number().int().min(1).max(4096).describe("word lines (inputs)"),
    cols: z.number().int().min(1).max(4096).describe("bit lines holding weight slices (a unit column, when used, is extra)"),
    cellBits: bitsField(1, 8, "bits per cell: levels 0 … 2^cellBits − 1"),
    readLatency: positiveQuantity("time").describe('one read of all columns (DAC settle + integration), e.g. "100ns"'),
    readEnergy: z
      .enum(["perRead", "perActiveCell", "conductance"])
      .default("perRead")
      .describe("perRead: every read costs the spec's energy; perActiveCell: scaled by the rows × columns the mapping uses; conductance: V²·G·t of every pulsed row, from the values (the spec's energy is added per read)"),
    readVoltage: positiveQuantity("voltage").optional().describe("read pulse amplitude at full DAC level (readEnergy: conductance)"),
    conductance: z
      .object({
        min: nonNegativeQuantity("conductance").describe("a cell at level 0 (unused cells too)"),
        max: positiveQuantity("conductance").describe("a cell at the top level"),
      })
      .strict()
      .optional()
      .describe("nominal cell conductance range, for the read energy (readEnergy: conductance)"),
    cost: costSpecSchema.describe("per crossbar: peak power or energy of a full read, leakage, area"),
  })
  .strict()
  .refine((c) => c.readEnergy !== "conductance" || (c.readVoltage !== undefined && c.conductance !== undefined), {
    message: "readEnergy 'conductance' needs readVoltage and conductance { min, max }",
    params: { rramsimCode: "CONFIG_MISSING" },
  });

export const adcRangeSchema = z.discriminatedUnion("kind", [
  z
    .object({ kind: z.literal("fullScale") })
    .strict()
    .describe("the worst-case column value maps to full scale"),
  z
    .object({
      kind: z.literal("clip"),
      fraction: z.number().positive().max(1).describe("clip at this fraction of the worst-case column value (calibrated range)"),
    })
    .strict(),
]);

export const adcParamsSchema = z
  .object({
    bits: bitsField(1, 24, "ADC resolution"),
    columnsPerAdc: z.number().int().min(1).describe("columns one ADC serves in turn through the sample-and-holds"),
    sampleRate: positiveQuantity("frequency").describe('conversions per second of one ADC, e.g. "1.28GHz"'),
    conversionLatency: positiveQuantity("time").optional().describe("latency of one conversion (default: the model's, else 1 / sampleRate)"),
    accumulateSteps: z.boolean().default(false).describe("charge-domain accumulation: the ADC integrates all input steps of a column, binary-weighted, and converts once (Wu et al. 2023)"),
    range: adcRangeSchema.default({ kind: "fullScale" }).describe("range policy"),
    rounding: z.enum(["halfEven", "halfUp", "floor"]).default("halfEven").describe("rounding of a value to a code"),
    model: adcModelSchema.describe("energy and area model"),
  })
  .strict();

export const sampleHoldParamsSchema = z
  .object({
    latency: nonNegativeQuantity("time").default(0).describe("time to sample all columns"),
    cost: costSpecSchema.describe("per column circuit: peak power or energy per sample, leakage, area"),
  })
  .strict();

export const shiftAddParamsSchema = z
  .object({
    count: z.number().int().min(1).default(1).describe("shift-and-add units in the MVMU (they share the conversions)"),
    latency: nonNegativeQuantity("time").default(0).describe("time from the last conversion of a step to its sum in the output register"),
    cost: costSpecSchema.describe("per unit: peak power or energy per add (one add per conversion), leakage, area"),
  })
  .strict();

export const registerParamsSchema = z
  .object({
    latency: nonNegativeQuantity("time").default(0).describe("access time"),
    cost: costSpecSchema.describe("peak power or energy per access (one access per input step), leakage, area"),
  })
  .strict();

export const precisionSchema = z
  .object({
    inputBits: bitsField(1, 32, "bits of each input element").default(16),
    weightBits: bitsField(1, 32, "bits of each weight").default(16),
  })
  .strict();

export const encodingSchema = z
  .object({
    signedInputs: z.boolean().default(false).describe("inputs in two's complement: the sign bit gets its own last step, which subtracts"),
    signedWeights: z
      .enum(["none", "differential", "bias"])
      .default("none")
      .describe("none: unsigned weights; differential: positive and negative parts in two column sets; bias: w + 2^(weightBits−1) stored, corrected with the unit column (ISAAC)"),
    flip: z.boolean().default(false).describe("ISAAC's flipped weights: a column whose sum exceeds half the maximum is stored complemented (saves one ADC bit)"),
    unitColumn: z.enum(["analog", "digital"]).default("analog").describe("where the input sum needed by 'bias' and 'flip' comes from: an extra crossbar column per crossbar (ISAAC) or a digital adder"),
  })
  .strict();

/** The MVMU's parts, in cost-table order. */
export const MVMU_PART_NAMES = ["crossbar", "dac", "sampleHold", "adc", "shiftAdd", "inputRegister", "outputRegister"] as const;

/** Per part, when its static power is drawn (sim/power-gating.ts); a part not named is always on. */
export const mvmuPowerGatingSchema = z
  .object(Object.fromEntries(MVMU_PART_NAMES.map((n) => [n, powerGatingSchema.optional()])) as Record<(typeof MVMU_PART_NAMES)[number], z.ZodOptional<typeof powerGatingSchema>>)
  .strict()
  .describe("per part: power gating policy (none: always on; idle: powered only while the MVM unit works)");

export const mvmuParamsSchema = z
  .object({
    crossbars: z.number().int().min(1).describe("crossbars per MVMU; they share the input vector"),
    crossbar: crossbarParamsSchema,
    dac: dacParamsSchema,
    sampleHold: sampleHoldParamsSchema,
    adc: adcParamsSchema,
    shiftAdd: shiftAddParamsSchema,
    inputRegister: registerParamsSchema,
    outputRegister: registerParamsSchema,
    precision: precisionSchema.default({ inputBits: 16, weightBits: 16 }),
    encoding: encodingSchema.default({ signedInputs: false, signedWeights: "none", flip: false, unitColumn: "analog" }),
    powerGating: mvmuPowerGatingSchema.default({}),
  })
  .strict();

export type MvmuParams = z.output<typeof mvmuParamsSchema>;
export type MvmuParamsInput = z.input<typeof mvmuParamsSchema>;
export type AdcParams = MvmuParams["adc"];
export type DacParams = MvmuParams["dac"];
export type CrossbarParams = MvmuParams["crossbar"];
export type MvmuEncoding = MvmuParams["encoding"];
