// The common shape of an MVMU part (DAC, crossbar, sample-and-hold, ADC, shift-and-add, registers):
// a component whose ledger row holds the energy of its actions, and the leakage and area of all the
// instances it stands for (one component per part group keeps the ledger small: `mvmu.adc` is all
// ADCs of the MVMU), plus counters of actions and busy time. The MVMU sequences the phases; a part
// only records what it did (see mvmu.ts). Each recorded phase is also a trace slice on the part's
// path, kind `<part>.<action>` (`adc.convert`, `crossbar.read`, …) with the action count as its
// argument, so a part's slices add up to its busyTicks.

import type { z } from "zod";
import { Component, type ComponentKind, type SimContext } from "../../sim/component";
import type { ActionCost } from "../../sim/energy";
import type { Counter } from "../../sim/stats";
import type { Tracer } from "../../sim/tracer";
import type { MvmuPartCost } from "./cost";

export abstract class MvmuPartComponent<S extends z.ZodType = z.ZodType> extends Component<S> {
  /** instances this component stands for */
  readonly count: number;
  protected readonly busy: Counter;
  private readonly tracer: Tracer;
  private readonly traceId: number;
  private readonly traceKind: number;

  constructor(ctx: SimContext, path: string, kind: ComponentKind<S>, params: z.output<S>, cost: MvmuPartCost, actions: Record<string, ActionCost>) {
    super(ctx, path, kind, params, { actions, leakageMw: cost.leakageMw * cost.count, areaUm2: cost.areaUm2 * cost.count });
    this.count = cost.count;
    this.busy = this.counter("busyTicks");
    const action = Object.keys(actions)[0];
    this.tracer = this.contextTracer;
    this.traceId = this.tracer.component(path);
    this.traceKind = this.tracer.kind(`${kind.kind}.${action}`, "slice", { argNames: [action === "convert" ? "conversions" : `${action}s`] });
  }

  /** Adds `n` actions at ledger index `action` and the busy time of one phase, which started at `startTick` (default: now). */
  protected record(action: number, n: number, busyTicks: number, startTick: number = this.sim.now): void {
    this.energy.counts[action] += n;
    this.busy.add(busyTicks);
    this.tracer.slice(this.traceId, this.traceKind, startTick, busyTicks, n);
  }
}

export const busyTicksStat = { kind: "counter", unit: "ps", desc: "time the part was busy (one phase of one instance group)" } as const;
