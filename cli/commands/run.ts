// `rramsim run`: compile a model for a design and simulate it end to end (compiler/run/run.ts);
// prints a table, or one JSON object with --json; --report writes the JSON to a file (atomically).

import type { Command } from "commander";
import { SingleBar } from "cli-progress";
import { RramsimError } from "../../sim/errors";
import { parseReadTimeSeconds } from "../../compiler/run/read-time";
import "../../compiler/run/point-runner";
import { choiceArg, intArg, printJson, writeFileAtomic } from "../io";
import { formatRunReport, runModel, type RunFidelity, type RunModelOptions, type RunReport } from "../../compiler/run/run";
import { addTraceOptions, traceTargetFromOptions, type TraceCliOptions } from "./trace";
import type { AdcBitsChoice } from "../../compiler/codegen/design";

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** `--adc-bits N|lossless`. */
export function parseAdcBits(v: string | undefined): AdcBitsChoice {
  if (v === undefined) return undefined;
  if (v === "lossless") return "lossless";
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 24) throw new RramsimError("CLI_ARGUMENT", `--adc-bits: expected an integer in 1 … 24 or 'lossless' (got '${v}')`);
  return Number(v);
}

/** `--time 1s` (a time quantity, or plain seconds) → seconds. */
export const parseReadTime = parseReadTimeSeconds;

/** The model flags `compile` and `run` share. */
export function withModelFlags(cmd: Command): Command {
  return cmd
    .requiredOption("--arch <file>", "design file (configs/arch/*.yaml)")
    .requiredOption("--model <model>", "an .onnx file or zoo:NAME (zoo:lenet5, zoo:mlp-mnist, zoo:mlp-l4, zoo:resnet18-cifar)")
    .option("--set <path=value>", "override a design field by dotted path; a unique suffix is enough (repeatable)", collect, [] as string[])
    .option("--adc-bits <n|lossless>", "ADC resolution, or 'lossless': what the mapping needs to lose nothing")
    .option("--replicate", "copy layers onto free MVM units to balance the pipeline")
    .option("--no-grow-tiles", "refuse a model that needs more tiles than the design has (default: grow the tile count)")
    .option("--seed <n>", "seed (device noise, random inputs, random zoo weights)", intArg(0), 1);
}

/** The flags `withModelFlags` adds, as commander hands them over. */
export interface ModelFlags {
  arch: string;
  model: string;
  set: string[];
  adcBits?: string;
  replicate?: boolean;
  growTiles: boolean;
  seed: number;
}

interface RunFlags extends TraceCliOptions, ModelFlags {
  device?: string;
  dataset?: "mnist" | "random";
  samples?: number;
  fidelity: RunFidelity;
  time?: string;
  json?: boolean;
  report?: string;
  bundle?: string;
  timeEveryInference?: boolean;
}

/** The typed options of a `run` command line. */
export function runOptionsFromFlags(f: RunFlags): RunModelOptions {
  if (f.fidelity === "physical" && f.device === undefined) throw new RramsimError("CLI_ARGUMENT", "--fidelity physical needs --device PRESET|FILE");
  return {
    arch: f.arch,
    model: f.model,
    set: f.set,
    adcBits: parseAdcBits(f.adcBits),
    replicate: f.replicate,
    growTiles: f.growTiles,
    seed: f.seed,
    device: f.device,
    dataset: f.dataset,
    samples: f.samples,
    fidelity: f.fidelity,
    timeS: parseReadTime(f.time),
    bundleDir: f.bundle,
    trace: traceTargetFromOptions(f),
    timeEveryInference: f.timeEveryInference,
  };
}

export function registerRun(program: Command): void {
  const cmd = withModelFlags(program.command("run").description("compile a model for a design and simulate it: accuracy, latency, throughput, energy, TOPS/W, area"))
    .option("--device <preset|file>", "device preset (configs/device) or file; physical fidelity")
    .option("--dataset <name>", "mnist (MNIST test images) or random (seeded inputs)", choiceArg(["mnist", "random"] as const))
    .option("--samples <n>", "inferences (default 10; 1 at timing fidelity)", intArg(1, 10000))
    .option("--fidelity <level>", "timing, ideal or physical", choiceArg(["timing", "ideal", "physical"] as const), "ideal")
    .option("--time <t>", "read time after programming (physical), e.g. 1s, 1h", "1s")
    .option("--bundle <dir>", "check that a compiled bundle was built for this configuration (refused otherwise)")
    .option("--time-every-inference", "simulate every inference event by event (default: once two are identical, replay the values of the rest)")
    .option("--json", "print one JSON object")
    .option("--report <file>", "also write the JSON report to a file");
  addTraceOptions(cmd, "the run").action((f: RunFlags) => {
    // a progress bar on a terminal for runs of many inferences
    let bar: SingleBar | null = null;
    const onProgress = (done: number, total: number) => {
      if (bar === null) {
        if (!process.stderr.isTTY || total < 50) return;
        bar = new SingleBar({ stream: process.stderr, format: "run [{bar}] {value}/{total} inferences", hideCursor: true, clearOnComplete: true });
        bar.start(total, 0);
      }
      bar.update(done);
      if (done === total) bar.stop();
    };
    const r: RunReport = runModel({ ...runOptionsFromFlags(f), onProgress });
    if (f.report !== undefined) writeFileAtomic(f.report, JSON.stringify(r, null, 2) + "\n");
    if (f.json) printJson(r);
    else process.stdout.write(formatRunReport(r) + "\n");
  });
}
