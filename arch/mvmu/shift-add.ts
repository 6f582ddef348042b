// The MVMU's shift-and-add units: each conversion result is shifted by its slice and step weight and
// added (or, for the sign step, subtracted) into the output register; flipped columns and the bias
// are corrected with the input sum (encoding.ts). One add per conversion, shared by `count` units.
// Left out: the adder's bit width and any data-dependent energy.

import { defineKind, type SimContext } from "../../sim/component";
import type { Counter } from "../../sim/stats";
import type { MvmuPartCost } from "./cost";
import { shiftAddParamsSchema, type MvmuParams } from "./params";
import { busyTicksStat, MvmuPartComponent } from "./part";

export const shiftAddKind = defineKind({
  kind: "shiftAdd",
  description: "shift-and-add: combines slices, input steps and partial sums into the output register",
  params: shiftAddParamsSchema,
  stats: {
    adds: { kind: "counter", unit: "adds", desc: "shift-and-add operations" },
    busyTicks: busyTicksStat,
  },
  actions: { add: { desc: "shift and add one conversion result" } },
});

export class ShiftAdd extends MvmuPartComponent<typeof shiftAddParamsSchema> {
  private readonly aAdd: number;
  private readonly adds: Counter;

  constructor(ctx: SimContext, path: string, params: MvmuParams["shiftAdd"], cost: MvmuPartCost) {
    super(ctx, path, shiftAddKind, params, cost, { add: { energyPj: cost.energyPj } });
    this.aAdd = this.energy.action("add");
    this.adds = this.counter("adds");
  }

  /** `n` adds taking `busyTicks` from `startTick` (default: now). */
  add(n: number, busyTicks: number, startTick?: number): void {
    this.adds.add(n);
    this.record(this.aAdd, n, busyTicks, startTick);
  }
}
