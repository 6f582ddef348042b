// The MVMU's input register (ISAAC's IR, PUMA's XbarIn) and output register (OR, XbarOut). The input
// register is read once per input step (the step's digits for all rows); the output register is
// written once per step (non-accumulating ADC) or per column group (accumulating ADC).
// Left out: register capacity and the tile-side transfers that fill and drain them.

import { defineKind, type SimContext } from "../../sim/component";
import type { Counter } from "../../sim/stats";
import type { MvmuPartCost } from "./cost";
import { registerParamsSchema, type MvmuParams } from "./params";
import { busyTicksStat, MvmuPartComponent } from "./part";

export const inputRegisterKind = defineKind({
  kind: "inputRegister",
  description: "MVMU input register: holds the input vector, read once per input step",
  params: registerParamsSchema,
  stats: { accesses: { kind: "counter", unit: "accesses", desc: "step reads" }, busyTicks: busyTicksStat },
  actions: { read: { desc: "read one input step's digits" } },
});

export const outputRegisterKind = defineKind({
  kind: "outputRegister",
  description: "MVMU output register: accumulates the shift-and-add results",
  params: registerParamsSchema,
  stats: { accesses: { kind: "counter", unit: "accesses", desc: "accumulating writes" }, busyTicks: busyTicksStat },
  actions: { write: { desc: "accumulate one step's (or column group's) results" } },
});

export class MvmuRegister extends MvmuPartComponent<typeof registerParamsSchema> {
  private readonly aAccess: number;
  private readonly accesses: Counter;

  constructor(ctx: SimContext, path: string, which: "input" | "output", params: MvmuParams["inputRegister"], cost: MvmuPartCost) {
    const kind = which === "input" ? inputRegisterKind : outputRegisterKind;
    const action = which === "input" ? "read" : "write";
    super(ctx, path, kind, params, cost, { [action]: { energyPj: cost.energyPj } });
    this.aAccess = this.energy.action(action);
    this.accesses = this.counter("accesses");
  }

  /** One access taking `busyTicks` from `startTick` (default: now). */
  access(busyTicks: number, startTick?: number): void {
    this.accesses.add(1);
    this.record(this.aAccess, 1, busyTicks, startTick);
  }
}
