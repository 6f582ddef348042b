// The row DACs of an MVMU: `bits` of the input per step, each DAC driving `rowsPerDac` rows in turn;
// a 1-bit DAC is ISAAC's inverter. Energy is per pulse: a row whose digit is 0 in a step is not
// driven. At ideal and physical fidelity the MVM's value work counts the pulses from the input
// (`pulse`, read-activity.ts); at timing fidelity there are no values and every row of the MVM is
// counted as pulsed in every read (`drive`, an upper bound).
// Left out: energy that depends on the driven level of a multi-bit DAC, settling beyond `latency`.

import { defineKind, type SimContext } from "../../sim/component";
import type { MvmuPartCost } from "./cost";
import { dacParamsSchema, type DacParams } from "./params";
import { busyTicksStat, MvmuPartComponent } from "./part";

export const dacKind = defineKind({
  kind: "dac",
  description: "row DACs of an MVMU: input bits per step, rows per DAC (time-multiplexed), energy per conversion",
  params: dacParamsSchema,
  stats: {
    busyTicks: busyTicksStat,
  },
  actions: {
    pulse: { desc: "one row driven with a non-zero digit for one read (counted from the values)" },
    drive: { desc: "one row slot of one read, at timing fidelity (every row counted as pulsed: an upper bound)" },
  },
});

export class Dac extends MvmuPartComponent<typeof dacParamsSchema> {
  private readonly aPulse: number;
  private readonly aDrive: number;

  constructor(ctx: SimContext, path: string, params: DacParams, cost: MvmuPartCost) {
    super(ctx, path, dacKind, params, cost, { pulse: { energyPj: cost.energyPj, byValues: true }, drive: { energyPj: cost.energyPj } });
    this.aPulse = this.energy.action("pulse");
    this.aDrive = this.energy.action("drive");
  }

  /** The DACs are busy for one read (what they drive is counted apart). */
  drive(busyTicks: number): void {
    this.record(this.aDrive, 0, busyTicks);
  }

  /** `n` row pulses, counted from the values. */
  pulses(n: number): void {
    this.energy.counts[this.aPulse] += n;
  }

  /** Timing fidelity: `rows` rows counted as pulsed in each of `reads` reads. */
  driveRows(rows: number, reads: number): void {
    this.energy.counts[this.aDrive] += rows * reads;
  }
}
