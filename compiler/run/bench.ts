// End-to-end wall-time figures for `npm run bench`: compile + simulate, as `rramsim run` does.

import { runModel, type RunModelOptions } from "./run";

export interface RunBenchResult {
  wall_s: number;
  inferences_per_wall_s: number;
  samples: number;
}

export function benchRun(opts: RunModelOptions): RunBenchResult {
  const t0 = performance.now();
  const r = runModel(opts);
  const wall = (performance.now() - t0) / 1000;
  return { wall_s: wall, inferences_per_wall_s: r.samples / wall, samples: r.samples };
}
