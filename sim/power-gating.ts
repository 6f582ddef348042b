// Power gating: when a unit's static power (leakage) is drawn. A design declares a policy per
// component (the MVM unit's parts: `tile.mvmu.powerGating.<part>`), and the energy ledger charges
// static energy by it (sim/energy.ts):
//   none  the unit is powered for the whole run: leakage × simulated time;
//   idle  the unit is powered only while it works and is woken for each busy period:
//         leakage × powered time + wake-ups × wakeEnergy. Waking takes wakeLatency before the
//         unit's first action of a busy period (the unit that owns the activity adds it).
// Accelergy/CiMLoop charge leakage the same two ways (always-on, or at the utilisation a run
// achieves). Left out: retention states, a minimum idle time before gating (break-even), gating
// the digital side of the chip (its units declare `none`).

import { z } from "zod";
import { nonNegativeQuantity } from "./config";
import type { Tick } from "./time";

export const GATING_POLICIES = ["none", "idle"] as const;
export type GatingPolicyName = (typeof GATING_POLICIES)[number];

export const powerGatingSchema = z
  .object({
    policy: z.enum(GATING_POLICIES).default("none").describe("none: powered for the whole run; idle: powered only while the unit works"),
    wakeLatency: nonNegativeQuantity("time").default(0).describe("time from a wake-up to the unit's first action (idle only)"),
    wakeEnergy: nonNegativeQuantity("energy").default(0).describe("energy of one wake-up, all instances together (idle only)"),
  })
  .strict();

export type PowerGating = z.output<typeof powerGatingSchema>;

export const ALWAYS_ON: PowerGating = Object.freeze({ policy: "none", wakeLatency: 0, wakeEnergy: 0 });

/** The powered time and wake-ups of a gated unit, read when a report is made. */
export interface PoweredActivity {
  /** simulated time the unit was powered (awake) */
  poweredTicks(): number;
  wakeups(): number;
}

/**
 * Tracks the busy periods of a unit that runs jobs: `begin` when a job is accepted, `end` when it
 * is done. A busy period runs from the first job accepted while idle to the last job done; each
 * is one wake-up. The powered time and wake-ups live in two counters so that a run's activity
 * probe (sim/activity.ts) sees and replays them.
 */
export class BusyPeriods implements PoweredActivity {
  private inFlight = 0;
  private since = 0;

  constructor(
    private readonly powered: { value: number; add(n: number): void },
    private readonly wakes: { value: number; add(n: number): void },
  ) {}

  /** a job accepted at `now`; true when it wakes the unit */
  begin(now: Tick | number): boolean {
    if (this.inFlight++ > 0) return false;
    this.since = now;
    this.wakes.add(1);
    return true;
  }

  /** a job done at `now` */
  end(now: Tick | number): void {
    if (--this.inFlight === 0) this.powered.add(now - this.since);
  }

  poweredTicks(): number {
    return this.powered.value;
  }

  wakeups(): number {
    return this.wakes.value;
  }
}
