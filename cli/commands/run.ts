// `rramsim run`: compile a model for a design and simulate it end to end (app/run/session.ts);
// prints a table, or one JSON object with --json; --report writes the JSON to a file (atomically).
// The flags become one run configuration (app/run-config.ts), validated once, naming the flag.

import type { Command } from "commander";
import { SingleBar } from "cli-progress";
import "../../app/run/point-runner";
import { choiceArg, intArg, printJson } from "../io";
import { writeFileAtomic } from "../../sim/files";
import { FIDELITIES, type Fidelity } from "../../sim/fidelity";
import { DATASETS, MAX_SAMPLES, parseRunConfig, type CompileConfigInput, type RunConfig } from "../../app/run-config";
import { runSession } from "../../app/run/session";
import { formatRunReport, type RunReport } from "../../app/run/report";
import { RunBus } from "../../app/run-bus";
import { addTraceOptions, traceTargetFromOptions, type TraceCliOptions } from "./trace";

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** The model flags `compile` and `run` share. */
export function withModelFlags(cmd: Command): Command {
  return cmd
    .requiredOption("--arch <file>", "design file (configs/arch/*.yaml)")
    .requiredOption("--model <model>", "an .onnx file or zoo:NAME (zoo:lenet5, zoo:lenet-wu2023, zoo:mlp-mnist, zoo:mlp-l4, zoo:resnet18-cifar)")
    .option("--set <path=value>", "override a design field by dotted path; a unique suffix is enough (repeatable)", collect, [] as string[])
    .option("--adc-bits <n|lossless>", "ADC resolution, or 'lossless': what the mapping needs to lose nothing")
    .option("--adc-range <calibrated|full>", "a lossy ADC's range: calibrated per MVM unit on the calibration set (default), or the full worst case")
    .option("--replicate", "copy layers onto free MVM units to balance the pipeline")
    .option("--grow", "when the model's weight blocks do not fit the design even packed, add tiles until each has its own MVM unit (default: refuse)")
    .option("--seed <n>", "seed (device noise, random inputs, random zoo weights)", intArg(0));
}

/** The flags `withModelFlags` adds, as commander hands them over. */
export interface ModelFlags {
  arch: string;
  model: string;
  set: string[];
  adcBits?: string;
  adcRange?: string;
  replicate?: boolean;
  grow?: boolean;
  seed?: number;
}

/** The compile part of a configuration, from the model flags. */
export function compileInputFromFlags(f: ModelFlags): CompileConfigInput {
  return { arch: f.arch, model: f.model, set: f.set, adcBits: f.adcBits, adcRange: f.adcRange as CompileConfigInput["adcRange"], replicate: f.replicate, growTiles: f.grow === true, seed: f.seed };
}

interface RunFlags extends TraceCliOptions, ModelFlags {
  device?: string;
  dataset?: (typeof DATASETS)[number];
  samples?: number;
  fidelity?: Fidelity;
  time?: string;
  json?: boolean;
  report?: string;
  bundle?: string;
  timeEveryInference?: boolean;
  cost?: string;
}

/** The run configuration of a `run` command line (validated; errors name the flag). */
export function runConfigFromFlags(f: RunFlags): RunConfig {
  return parseRunConfig(
    {
      ...compileInputFromFlags(f),
      device: f.device,
      dataset: f.dataset,
      samples: f.samples,
      fidelity: f.fidelity,
      timeS: f.time,
      bundleDir: f.bundle,
      trace: traceTargetFromOptions(f),
      timeEveryInference: f.timeEveryInference,
      cost: f.cost as RunConfig["cost"] | undefined,
      reportFile: f.report,
    },
    "cli",
  );
}

/** A progress bar on a terminal for runs of many inferences. */
function progressBar(bus: RunBus): () => void {
  let bar: SingleBar | null = null;
  bus.on("run.progress", ({ done, total }) => {
    if (bar === null) {
      if (!process.stderr.isTTY || total < 50) return;
      bar = new SingleBar({ stream: process.stderr, format: "run [{bar}] {value}/{total} inferences", hideCursor: true, clearOnComplete: true });
      bar.start(total, 0);
    }
    bar.update(done);
    if (done === total) bar.stop();
  });
  return () => bar?.stop();
}

export function registerRun(program: Command): void {
  const cmd = withModelFlags(program.command("run").description("compile a model for a design and simulate it: accuracy, latency, throughput, energy, TOPS/W, area"))
    .option("--device <preset|file>", "device preset (configs/device) or file; physical fidelity")
    .option("--cost <components|measured>", "energy from the circuits' actions (default), or the design's measured energy per tile operation, labelled as measured")
    .option("--dataset <name>", "mnist (MNIST test images) or random (seeded inputs)", choiceArg(DATASETS))
    .option("--samples <n>", "inferences (default 10; 1 at timing fidelity)", intArg(1, MAX_SAMPLES))
    .option("--fidelity <level>", FIDELITIES.join(", ").replace(/, (?=[^,]*$)/, " or ") + " (default ideal)", choiceArg(FIDELITIES))
    .option("--time <t>", "read time after programming (physical), e.g. 1s, 1h (default 1s)")
    .option("--bundle <dir>", "check that a compiled bundle was built for this configuration (refused otherwise)")
    .option("--time-every-inference", "simulate every inference event by event (default: once two are identical, replay the values of the rest)")
    .option("--json", "print one JSON object")
    .option("--report <file>", "also write the JSON report to a file");
  addTraceOptions(cmd, "the run").action((f: RunFlags) => {
    const config = runConfigFromFlags(f);
    const bus = new RunBus();
    const stop = progressBar(bus);
    let r: RunReport;
    try {
      r = runSession(config, { bus });
    } finally {
      stop();
    }
    if (config.reportFile !== undefined) writeFileAtomic(config.reportFile, JSON.stringify(r, null, 2) + "\n");
    if (f.json) printJson(r);
    else process.stdout.write(formatRunReport(r) + "\n");
  });
}
