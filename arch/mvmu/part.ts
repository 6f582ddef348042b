// The common shape of an MVMU part (DAC, crossbar, sample-and-hold, ADC, shift-and-add, registers):
// a component whose ledger row holds the energy of its actions, and the leakage and area of all the
// instances it stands for (one component per part group keeps the ledger small: `mvmu.adc` is all
// ADCs of the MVMU), plus counters of actions and busy time. The MVMU sequences the phases; a part
// only records what it did (see mvmu.ts).

import type { z } from "zod";
import { Component, type ComponentKind, type SimContext } from "../../sim/component";
import type { ActionCost } from "../../sim/energy";
import type { Counter } from "../../sim/stats";
import type { MvmuPartCost } from "./cost";

export abstract class MvmuPartComponent<S extends z.ZodType = z.ZodType> extends Component<S> {
  /** instances this component stands for */
  readonly count: number;
  protected readonly busy: Counter;

  constructor(ctx: SimContext, path: string, kind: ComponentKind<S>, params: z.output<S>, cost: MvmuPartCost, actions: Record<string, ActionCost>) {
    super(ctx, path, kind, params, { actions, leakageMw: cost.leakageMw * cost.count, areaUm2: cost.areaUm2 * cost.count });
    this.count = cost.count;
    this.busy = this.counter("busyTicks");
  }

  /** Adds `n` actions at ledger index `action` and the busy time of one phase. */
  protected record(action: number, n: number, busyTicks: number): void {
    this.energy.counts[action] += n;
    this.busy.add(busyTicks);
  }
}

export const busyTicksStat = { kind: "counter", unit: "ps", desc: "time the part was busy (one phase of one instance group)" } as const;
