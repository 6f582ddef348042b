// End-to-end figures for `npm run bench`, as `rramsim run` does them. Each run happens in a fresh
// child process so that its peak memory is its own; Node start-up (with the TypeScript loader),
// compilation and simulation are timed separately.

import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { RramsimError } from "../../sim/errors";
import { runModel } from "../run/session";
import type { RunConfigInput } from "../run-config";

export interface RunBenchResult {
  /** wall time of the whole runModel call (compile + simulate) */
  wall_s: number;
  /** simulation only: wall_s minus compilation */
  simulate_s: number;
  compile_s: number;
  /** process start to the first line of the bench child (Node + TypeScript loader) */
  startup_s: number;
  inferences_per_wall_s: number;
  samples: number;
  /** the child process's peak resident set */
  peak_rss_mb: number;
  /** the run's top-1 accuracy, when it computes values on labelled inputs */
  top1?: number;
  /** benchRunIsolated: the child process's whole wall time, spawn to exit */
  process_wall_s?: number;
}

/** Runs in this process (peak memory is this process's so far). */
export function benchRun(opts: RunConfigInput): RunBenchResult {
  const startup = performance.now() / 1000;
  let compile = 0;
  const t0 = performance.now();
  const r = runModel(opts, { onCompiled: (s) => (compile = s) });
  const wall = (performance.now() - t0) / 1000;
  return {
    wall_s: wall,
    simulate_s: wall - compile,
    compile_s: compile,
    startup_s: startup,
    inferences_per_wall_s: r.samples / wall,
    samples: r.samples,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    ...(r.accuracy?.top1 != null ? { top1: r.accuracy.top1 } : {}),
  };
}

/** Runs in a fresh child process (`node bin/run-ts.js app/bench/run.ts OPTIONS-JSON`). */
export function benchRunIsolated(opts: RunConfigInput): RunBenchResult {
  const root = path.join(__dirname, "..", "..");
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [path.join(root, "bin", "run-ts.js"), __filename, JSON.stringify(opts)], { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 });
  const processWall = (performance.now() - t0) / 1000;
  if (res.status !== 0) throw new RramsimError("SIM_STATE", `bench child failed (${res.status}): ${res.stderr.split("\n").slice(-5).join(" ")}`);
  return { ...(JSON.parse(res.stdout.trim().split("\n").at(-1) as string) as RunBenchResult), process_wall_s: processWall };
}

if (process.argv[1] === __filename && process.argv.length === 3) {
  process.stdout.write(JSON.stringify(benchRun(JSON.parse(process.argv[2]) as RunConfigInput)) + "\n");
}
