// The sample-and-hold bank of an MVMU: one hold per converted column, sampled once per input step,
// holding the value until the column's ADC has converted it. Left out: droop, kT/C noise.

import { defineKind, type SimContext } from "../../sim/component";
import type { Counter } from "../../sim/stats";
import type { MvmuPartCost } from "./cost";
import { sampleHoldParamsSchema, type MvmuParams } from "./params";
import { busyTicksStat, MvmuPartComponent } from "./part";

export const sampleHoldKind = defineKind({
  kind: "sampleHold",
  description: "sample-and-hold per column: captures a step's column values for the shared ADCs",
  params: sampleHoldParamsSchema,
  stats: {
    samples: { kind: "counter", unit: "samples", desc: "column samples" },
    busyTicks: busyTicksStat,
  },
  actions: { sample: { desc: "sample one column" } },
});

export class SampleHold extends MvmuPartComponent<typeof sampleHoldParamsSchema> {
  private readonly aSample: number;
  private readonly samples: Counter;

  constructor(ctx: SimContext, path: string, params: MvmuParams["sampleHold"], cost: MvmuPartCost) {
    super(ctx, path, sampleHoldKind, params, cost, { sample: { energyPj: cost.energyPj } });
    this.aSample = this.energy.action("sample");
    this.samples = this.counter("samples");
  }

  /** `columns` holds sample at once. */
  sample(columns: number, busyTicks: number): void {
    this.samples.add(columns);
    this.record(this.aSample, columns, busyTicks);
  }
}
