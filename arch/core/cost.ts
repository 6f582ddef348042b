// Static cost of one control core for `rramsim cost`: a node with one child per part (control
// pipeline, instruction memory, register file, VFU, SFU). Each part's cost spec is resolved at its
// peak action rate (sim/cost.ts), so a part given as energy per action gets the peak power it would
// draw at full activity, and one given as peak power keeps it. Peak rates at the core clock f:
//   control, instruction memory, SFU: 1 action per cycle (one instruction issued per cycle)
//   VFU: `lanes` element ops per cycle;  register file: 3 × lanes accesses per cycle (2 reads, 1 write)

import type { CostNode } from "../../sim/cost-tree";
import { resolveCost, type ResolvedCost } from "../../sim/cost";
import type { CoreParams } from "./params";

export type CorePart = "control" | "instructionMemory" | "registerFile" | "vectorUnit" | "scalarUnit";

/** Peak actions per cycle of each part. */
export function corePartPeakPerCycle(p: CoreParams): Record<CorePart, number> {
  return {
    control: 1,
    instructionMemory: 1,
    registerFile: 3 * p.vector.lanes,
    vectorUnit: p.vector.lanes,
    scalarUnit: 1,
  };
}

/** Each part's cost spec resolved at its peak rate for a core clocked at `clockHz`. */
export function resolveCoreCosts(p: CoreParams, clockHz: number): Record<CorePart, ResolvedCost> {
  const peak = corePartPeakPerCycle(p);
  const out = {} as Record<CorePart, ResolvedCost>;
  for (const part of Object.keys(peak) as CorePart[]) out[part] = resolveCost(p.cost[part], peak[part] * clockHz);
  return out;
}

const NODE_NAMES: Record<CorePart, string> = {
  control: "control",
  instructionMemory: "imem",
  registerFile: "rf",
  vectorUnit: "vfu",
  scalarUnit: "sfu",
};

/** One core: no cost of its own, children per part with peak power (dynamic + leakage) and area. */
export function coreCostNode(p: CoreParams, clockHz: number): CostNode {
  const r = resolveCoreCosts(p, clockHz);
  return {
    name: "core",
    count: 1,
    powerMw: 0,
    areaUm2: 0,
    children: (Object.keys(r) as CorePart[]).map((part) => ({
      name: NODE_NAMES[part],
      count: 1,
      powerMw: r[part].peakPowerMw + r[part].leakageMw,
      areaUm2: r[part].areaUm2,
    })),
  };
}
