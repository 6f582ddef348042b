// The row DACs of an MVMU: `bits` of the input per step, each DAC driving `rowsPerDac` rows in turn.
// Every read drives every row (data-independent energy); a 1-bit DAC is ISAAC's inverter.
// Left out: energy that depends on the driven level, settling beyond `latency`.

import { defineKind, type SimContext } from "../../sim/component";
import type { Counter } from "../../sim/stats";
import type { MvmuPartCost } from "./cost";
import { dacParamsSchema, type DacParams } from "./params";
import { busyTicksStat, MvmuPartComponent } from "./part";

export const dacKind = defineKind({
  kind: "dac",
  description: "row DACs of an MVMU: input bits per step, rows per DAC (time-multiplexed), energy per conversion",
  params: dacParamsSchema,
  stats: {
    conversions: { kind: "counter", unit: "conversions", desc: "row drives, all DACs" },
    busyTicks: busyTicksStat,
  },
  actions: { convert: { desc: "drive one row for one input step" } },
});

export class Dac extends MvmuPartComponent<typeof dacParamsSchema> {
  private readonly aConvert: number;
  private readonly conversions: Counter;

  constructor(ctx: SimContext, path: string, params: DacParams, cost: MvmuPartCost) {
    super(ctx, path, dacKind, params, cost, { convert: { energyPj: cost.energyPj } });
    this.aConvert = this.energy.action("convert");
    this.conversions = this.counter("conversions");
  }

  /** All DACs drive their rows once. */
  drive(busyTicks: number): void {
    const n = this.count * this.params.rowsPerDac;
    this.conversions.add(n);
    this.record(this.aConvert, n, busyTicks);
  }
}
