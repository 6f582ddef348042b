// Cost specs for digital units whose papers publish either a power or an energy per action.
// A config gives exactly one of `power` (the unit's peak dynamic power, what ISAAC's Table I
// lists) or `energy` (per action, what PUMA's simulator constants list). The unit's peak action
// rate — a property of its timing parameters, not a free constant — converts one into the other:
//   energy per action = peak power / peak action rate,   peak power = energy × peak action rate.
// So the simulator's ledger always counts actions × energy, and `rramsim cost` always rolls up
// peak power, whichever figure the source published.

import { z } from "zod";
import { nonNegativeQuantity } from "./config";

export const costSpecSchema = z
  .object({
    power: nonNegativeQuantity("power").optional().describe('peak dynamic power (mW, or e.g. "0.26mW")'),
    energy: nonNegativeQuantity("energy").optional().describe('energy per action (pJ, or e.g. "0.021pJ")'),
    leakage: nonNegativeQuantity("power").default(0).describe("static power"),
    area: nonNegativeQuantity("area").default(0).describe('area (µm², or e.g. "0.0006mm2")'),
  })
  .strict()
  .refine((c) => (c.power === undefined) !== (c.energy === undefined), {
    message: "give exactly one of 'power' (peak) or 'energy' (per action)",
    params: { rramsimCode: "CONFIG_VALUE" },
  });

export type CostSpec = z.output<typeof costSpecSchema>;

export interface ResolvedCost {
  energyPj: number;
  peakPowerMw: number;
  leakageMw: number;
  areaUm2: number;
}

/** Resolves a cost spec at a peak action rate (actions per second). */
export function resolveCost(spec: CostSpec, peakActionsPerS: number): ResolvedCost {
  if (!(peakActionsPerS > 0)) throw new RangeError(`peak action rate must be > 0 (got ${peakActionsPerS})`);
  // mW = pJ × actions/s × 1e-9
  const energyPj = spec.energy ?? (spec.power as number) / (peakActionsPerS * 1e-9);
  const peakPowerMw = spec.power ?? energyPj * peakActionsPerS * 1e-9;
  return { energyPj, peakPowerMw, leakageMw: spec.leakage, areaUm2: spec.area };
}
