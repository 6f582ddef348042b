// Benchmark of the NoC model for `npm run bench`: uniform traffic on ISAAC's network (c-mesh 7 × 6,
// c = 4, 168 tiles, 8-flit packets) just below saturation, timed on the wall clock.

import { runNocTraffic } from "./traffic";
import { nocParamsSchema } from "./params";

export interface NocBenchResult {
  /** router traversals (flit hops) simulated per wall-clock second */
  noc_flit_hops_per_s: number;
  noc_packets_per_s: number;
  noc_events_per_s: number;
  wall_s: number;
}

export function benchNoc(cycles = 20_000): NocBenchResult {
  const noc = nocParamsSchema.parse({ topology: "cmesh", concentration: 4, width: 7, height: 6, flitBits: 32 });
  const t0 = performance.now();
  const p = runNocTraffic({ noc, tiles: 168, clockHz: 1e9 }, { pattern: "uniform", rate: 0.008, cycles, seed: 1 });
  const wall = (performance.now() - t0) / 1e3;
  return {
    noc_flit_hops_per_s: p.routerTraversals / wall,
    noc_packets_per_s: p.packetsDelivered / wall,
    noc_events_per_s: p.events / wall,
    wall_s: wall,
  };
}
