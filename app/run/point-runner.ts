// The `run` point runner of the sweep engine (app/sweep): each point compiles and simulates the
// model on the point's design (app/run/session.ts) and returns the report's figures as one flat
// record, so `rramsim sweep --runner run --model zoo:lenet5 --vary adc.bits=4..10 ...` charts
// accuracy against ADC bits, energy and latency. Loaded by worker threads through `module`.

import { RramsimError } from "../../sim/errors";
import { registerPointRunner, type PointMetrics, type PointRunner, type PointRunnerFlags } from "../sweep/runner";
import { FIDELITIES, type Fidelity } from "../../sim/fidelity";
import { DATASETS, parseReadTime, parseRunConfig } from "../run-config";
import { runSession } from "./session";

/** The run flags of a sweep, checked once when the sweep starts (the manifest records them as given). */
export interface RunPointArgs {
  model: string;
  samples?: number;
  fidelity: Fidelity;
  device?: string;
  timeS?: number;
  dataset?: (typeof DATASETS)[number];
}

function parseRunArgs(f: PointRunnerFlags): RunPointArgs {
  const str = (k: string) => (typeof f[k] === "string" ? (f[k] as string) : undefined);
  const model = str("model");
  if (model === undefined) throw new RramsimError("CLI_ARGUMENT", "the 'run' runner needs --model (zoo:NAME or an .onnx file)");
  const fidelity = (str("fidelity") ?? "ideal") as Fidelity;
  if (!FIDELITIES.includes(fidelity)) throw new RramsimError("CLI_ARGUMENT", `--fidelity: expected ${FIDELITIES.join(", ").replace(/, (?=[^,]*$)/, " or ")} (got '${fidelity}')`);
  const device = str("device");
  if (fidelity === "physical" && device === undefined) throw new RramsimError("CLI_ARGUMENT", "--fidelity physical needs --device");
  const samplesText = str("samples");
  if (samplesText !== undefined && !(/^\d+$/.test(samplesText) && Number(samplesText) >= 1)) throw new RramsimError("CLI_ARGUMENT", `--samples: expected a positive integer (got '${samplesText}')`);
  const dataset = str("dataset");
  if (dataset !== undefined && !(DATASETS as readonly string[]).includes(dataset)) throw new RramsimError("CLI_ARGUMENT", `--dataset: expected ${DATASETS.join(" or ")} (got '${dataset}')`);
  return { model, samples: samplesText === undefined ? undefined : Number(samplesText), fidelity, device, timeS: parseReadTime(str("time")), dataset: dataset as RunPointArgs["dataset"] };
}

export const runPointRunner: PointRunner<RunPointArgs> = {
  description: "compile and simulate a model on each point's design (as rramsim run): accuracy, latency, throughput, energy, TOPS/W, area",
  module: __filename,
  options: [
    { flags: "--model <model>", description: "run: the model (zoo:NAME or an .onnx file)" },
    { flags: "--dataset <name>", description: "run: mnist or random inputs" },
    { flags: "--samples <n>", description: "samples per point (run: inferences, default 10)" },
    { flags: "--fidelity <f>", description: "ideal | physical (needs --device) | timing (default ideal)" },
    { flags: "--device <preset|file>", description: "physical fidelity: device preset or YAML file" },
    { flags: "--time <t>", description: "physical fidelity: read time after programming (default 1s)" },
  ],
  parseArgs: parseRunArgs,
  runPoint({ design, args, seed }) {
    const r = runSession(
      parseRunConfig({ arch: design.config as unknown as Record<string, unknown>, model: args.model, samples: args.samples, fidelity: args.fidelity, device: args.device, timeS: args.timeS, dataset: args.dataset, seed }),
    );
    const m: PointMetrics = {
      latency_s: r.latency_s,
      throughput_inferences_per_s: r.throughput_inferences_per_s,
      energy_j: r.energy_j,
      tops_per_w: r.tops_per_w,
      area_mm2: r.area_mm2,
      cycles: r.cycles,
      adc_bits: r.mapping.adc_bits,
      adc_bits_lossless: r.mapping.adc_bits_lossless,
      top1: r.accuracy?.top1 ?? null,
      top1_agreement_with_float: r.accuracy?.top1_agreement_with_float ?? null,
      exact_match_with_reference: r.accuracy?.exact_match_with_reference ?? null,
    };
    for (const [k, v] of Object.entries(r.energy_breakdown_j)) m[`energy_breakdown_j.${k}`] = v;
    return m;
  },
};

registerPointRunner("run", runPointRunner);
