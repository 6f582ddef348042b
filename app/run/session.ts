// A run: compile a model for a design, build and load the chip (app/run/setup.ts), run the
// inferences (app/run/inferences.ts) and work out the report (app/run/figures.ts, whose figures
// app/run/report.ts explains). `runModel` is the typed entry point the CLI, the API and the sweep's
// `run` runner share: it validates its input once (app/run-config.ts) and passes it down typed.
// Progress and phases are announced on a RunBus when one is given (the CLI's progress bar).

import { parseRunConfig, type ConfigSource, type RunConfig, type RunConfigInput } from "../run-config";
import type { RunBus } from "../run-bus";
import { buildRunChip, compileForRun, openRunTrace } from "./setup";
import { runInferences } from "./inferences";
import { runFigures } from "./figures";
import type { RunReport } from "./report";

/** Observers of a run; none of them changes what it computes. */
export interface RunHooks {
  /** called once the model is compiled, with the wall seconds compilation took (the rest of wall_s simulates) */
  onCompiled?: (compileWallS: number) => void;
  /** announces `run.phase` (compiled, simulating) and `run.progress` per inference */
  bus?: RunBus;
}

/** Runs a validated configuration end to end. */
export function runSession(config: RunConfig, hooks: RunHooks = {}): RunReport {
  const wall0 = performance.now();
  const bundle = compileForRun(config);
  hooks.onCompiled?.((performance.now() - wall0) / 1000);
  void hooks.bus?.emit("run.phase", { phase: "compiled", detail: bundle.configHash });
  const tracer = openRunTrace(config, bundle);
  try {
    const setup = buildRunChip(config, bundle, tracer);
    void hooks.bus?.emit("run.phase", { phase: "simulating", detail: `${config.samples} inferences` });
    const tally = runInferences(setup, hooks.bus);
    const report = runFigures(setup, tally);
    tracer?.close();
    if (tracer !== undefined) report.trace = { file: tracer.file, events: tracer.eventCount, bytes: tracer.bytesWritten };
    report.wall_s = (performance.now() - wall0) / 1000;
    return report;
  } catch (e) {
    tracer?.abort();
    throw e;
  }
}

/** Validates `input` (naming fields as `source` spells them) and runs it; see the file header. */
export function runModel(input: RunConfigInput, hooks: RunHooks = {}, source: ConfigSource = "api"): RunReport {
  return runSession(parseRunConfig(input, source), hooks);
}
