// The run configuration: everything one `rramsim run` (or `compile`, or a sweep point of the `run`
// runner) takes, as one zod schema. It is parsed and validated once, at the edge — the command
// line (cli/commands/run.ts), the API (`runModel`, `compileModel`) or a sweep point
// (app/run/point-runner.ts) — and passed down typed; nothing below re-reads flags or fills in
// defaults. The defaults of a run live here and nowhere else (the fidelity list is
// sim/fidelity.ts, the default seed sim/random.ts: both floors below need them too).
//
// Errors name the field as the caller spelled it: `--adc-bits: ...` from the command line,
// `adcBits: ...` from the API, `sweep point 3: adcBits: ...` from a sweep.

import { z } from "zod";
import type { Model } from "../compiler/ir/model";
import type { QuantizeOptions } from "../compiler/quant/quantize";
import type { AdcBitsChoice } from "../compiler/codegen/design";
import { issueCode, issueMessage } from "../sim/config";
import { RramsimError } from "../sim/errors";
import { FIDELITIES } from "../sim/fidelity";
import { DEFAULT_SEED } from "../sim/random";
import { TICKS_PER_SECOND } from "../sim/time";
import { parseQuantity } from "../sim/units";
import type { TraceFilter } from "../traces/filter";

export const DATASETS = ["mnist", "random"] as const;

/** Inferences when none are asked for: one at `timing` (no values to average), else ten. */
export const DEFAULT_SAMPLES = { timing: 1, values: 10 } as const;
export const MAX_SAMPLES = 10_000;

/** `--adc-bits N|lossless` → the ADC choice (N in 1 … 24). */
export function parseAdcBits(v: string | number | undefined): AdcBitsChoice {
  if (v === undefined) return undefined;
  if (v === "lossless") return "lossless";
  const text = String(v);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 24) throw new RramsimError("CLI_ARGUMENT", `--adc-bits: expected an integer in 1 … 24 or 'lossless' (got '${text}')`);
  return Number(text);
}

/** A read time after programming as the command line gives it: a time quantity ("1s", "1h") or plain seconds. */
export function parseReadTime(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return v;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  try {
    return parseQuantity(v, "time") / TICKS_PER_SECOND;
  } catch {
    throw new RramsimError("CLI_ARGUMENT", `--time: '${v}' is not a time (e.g. 1s, 1h, 3600)`);
  }
}

/** A field whose text form is parsed by one of the functions above; their message is the issue's. */
function parsed<T>(parse: (v: string | number | undefined) => T) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    try {
      return parse(v);
    } catch (e) {
      ctx.addIssue({ code: "custom", message: (e as Error).message.replace(/^--[a-z-]+: /, ""), params: { rramsimCode: "CLI_ARGUMENT" } });
      return z.NEVER;
    }
  });
}

const isModel = (v: unknown): v is Model => typeof v === "object" && v !== null && Array.isArray((v as { nodes?: unknown }).nodes);

/** The fields of the design and the model: what `compile` needs. */
const compileFields = {
  /** a design file (configs/arch/*.yaml), or design config data */
  arch: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  /** `zoo:NAME`, an .onnx file, or a model */
  model: z.union([z.string().min(1), z.custom<Model>(isModel, { message: "expected zoo:NAME, an .onnx file or a model" })]),
  /** `PATH=VALUE` overrides of design fields */
  set: z.array(z.string()).default([]),
  /** ADC resolution, or `lossless`: what the mapping needs to lose nothing */
  adcBits: parsed(parseAdcBits).optional(),
  /** copy layers onto free MVM units to balance the pipeline */
  replicate: z.boolean().default(false),
  /**
   * calibrated: a lossy ADC's range is set per MVM unit to the largest column value its blocks
   * reach on the calibration set (compiler/codegen/adc-calibration.ts); full: the worst case the
   * encoding allows
   */
  adcRange: z.enum(["calibrated", "full"]).default("calibrated"),
  /**
   * when the weight blocks do not fit the design's MVM units even packed: add tiles until each
   * block has its own unit (the design changes, and the report says so); false: refuse
   */
  growTiles: z.boolean().default(false),
  /** quantisation overrides (default: 8-bit activations, weights as wide as the MVM unit holds, at most 8) */
  quant: z.custom<QuantizeOptions>((v) => typeof v === "object" && v !== null).optional(),
  /** seed of device noise, random inputs, random zoo weights and calibration inputs */
  seed: z.number().int().min(0).default(DEFAULT_SEED),
};

/** The fields only a simulated run has. */
const simulateFields = {
  fidelity: z.enum(FIDELITIES).default("ideal"),
  /** device preset or file (physical fidelity) */
  device: z.string().min(1).optional(),
  /** MNIST test images, or seeded random inputs (default: mnist for 784-input models) */
  dataset: z.enum(DATASETS).optional(),
  /** inferences to run (default DEFAULT_SAMPLES) */
  samples: z.number().int().min(1).max(MAX_SAMPLES).optional(),
  /** read time after programming, seconds (physical); "1s", "1h" or a number of seconds */
  timeS: parsed(parseReadTime).default(1),
  /** a compiled bundle directory: refused unless it was built for this configuration */
  bundleDir: z.string().min(1).optional(),
  /** keep each inference's input and output codes in the report */
  keepOutputs: z.boolean().default(false),
  /** record a trace: the hardware's own slices and one `run.inference` slice per inference */
  trace: z
    .object({ file: z.string().min(1), filter: z.custom<TraceFilter>().optional() })
    .strict()
    .optional(),
  /**
   * components: energy from the circuits' actions and static power; measured: the design's
   * measured energy per tile operation × tile operations (`measured` in the design), labelled as
   * measured, with the component-built figure beside it
   */
  cost: z.enum(["components", "measured"]).default("components"),
  /** simulate every inference event by event (default: value replay after two identical ones) */
  timeEveryInference: z.boolean().default(false),
  /** also write the JSON report to this file (atomically) */
  reportFile: z.string().min(1).optional(),
};

/** What `compile` takes: a run's configuration, of which it reads the design and model fields. */
export const compileConfigSchema = z.object({ ...compileFields, ...simulateFields }).strict();

export const runConfigSchema = z
  .object({ ...compileFields, ...simulateFields })
  .strict()
  .superRefine((c, ctx) => {
    if (c.fidelity === "physical" && c.device === undefined) ctx.addIssue({ code: "custom", path: [], message: "--fidelity physical needs --device PRESET|FILE", params: { rramsimCode: "CLI_ARGUMENT", whole: true } });
  })
  .transform((c) => ({ ...c, device: c.device ?? "ideal", samples: c.samples ?? (c.fidelity === "timing" ? DEFAULT_SAMPLES.timing : DEFAULT_SAMPLES.values) }));

export type RunConfig = z.output<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;
export type CompileConfig = Pick<z.output<typeof compileConfigSchema>, keyof typeof compileFields>;
export type CompileConfigInput = z.input<typeof compileConfigSchema>;

/** Where a configuration comes from: the command line names flags, the API and sweeps name fields. */
export type ConfigSource = "cli" | "api" | { sweepPoint: number };

const flagOf = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
/** fields whose flag is not the field's name */
const FLAGS: Record<string, string> = { timeS: "--time", bundleDir: "--bundle", reportFile: "--report", set: "--set", trace: "--trace" };

/** Parses and validates a configuration once; the error names the field as `source` spells it. */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, source: ConfigSource = "api"): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data as z.output<S>;
  const issue = r.error.issues[0];
  const whole = (issue as { params?: { whole?: boolean } }).params?.whole === true;
  let path = issue.path.map(String);
  if (issue.code === "unrecognized_keys" && issue.keys.length === 1) path = [...path, issue.keys[0]];
  const field =
    path.length === 0
      ? ""
      : source === "cli"
        ? (FLAGS[path[0]] ?? flagOf(path[0])) +
          path
            .slice(1)
            .map((p) => `.${p}`)
            .join("")
        : path.join(".");
  const prefix = typeof source === "object" ? `sweep point ${source.sweepPoint}: ` : "";
  const message = whole || field === "" ? issue.message : `${field}: ${issueMessage(issue, input)}`;
  throw new RramsimError(source === "cli" ? "CLI_ARGUMENT" : issueCode(issue, input), prefix + message);
}

export const parseRunConfig = (input: unknown, source: ConfigSource = "api"): RunConfig => parseConfig(runConfigSchema, input, source);
export const parseCompileConfig = (input: unknown, source: ConfigSource = "api"): CompileConfig => parseConfig(compileConfigSchema, input, source);

/** The compile slice of a run configuration. */
export function compileSlice(c: CompileConfig | RunConfig): CompileConfig {
  return { arch: c.arch, model: c.model, set: c.set, adcBits: c.adcBits, adcRange: c.adcRange, replicate: c.replicate, growTiles: c.growTiles, quant: c.quant, seed: c.seed };
}
