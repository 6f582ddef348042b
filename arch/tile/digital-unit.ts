// A generic digital unit of a tile or core: the activation (sigmoid/tanh) unit, the max-pool unit,
// the tile shift-and-add, buffers (ISAAC's IR/OR, PUMA's receive buffer), the eDRAM bus and
// controllers. Each has a count, a throughput (elements per cycle), a pipeline latency, and a cost
// spec — the published peak power or energy per element, leakage and area (see sim/cost.ts). A
// request of n elements occupies the unit for ⌈n / elementsPerCycle⌉ cycles after any request ahead
// of it (closed form: one completion event per request, none while idle).
// Trace: one `digitalUnit.op` slice per request on the unit's path (its occupancy, after any wait;
// args elements, wait ticks), adding up to busyTicks.
// Left out: data-dependent energy, clock gating below the unit level.

import { z } from "zod";
import { Component, defineKind, type SimContext } from "../../sim/component";
import { costSpecSchema, resolveCost, type ResolvedCost } from "../../sim/cost";
import type { Counter } from "../../sim/stats";
import type { Tracer } from "../../sim/tracer";

export const digitalUnitParamsSchema = z
  .object({
    count: z.number().min(0).default(1).describe("instances (a fraction for a unit shared by several tiles, e.g. 0.25)"),
    elementsPerCycle: z.number().positive().default(1).describe("elements each instance processes per cycle at peak"),
    latencyCycles: z.number().int().min(0).default(1).describe("pipeline latency of one request"),
    cost: costSpecSchema.describe("peak power or energy per element, leakage and area — per instance"),
  })
  .strict();

export type DigitalUnitParams = z.output<typeof digitalUnitParamsSchema>;

export const digitalUnitKind = defineKind({
  kind: "digitalUnit",
  description: "a tile/core digital unit (activation, max-pool, shift-and-add, buffer, bus): throughput, latency and a cost spec",
  params: digitalUnitParamsSchema,
  stats: {
    elements: { kind: "counter", unit: "elements", desc: "elements processed" },
    busyTicks: { kind: "counter", unit: "ps", desc: "time the unit was busy" },
    waitTicks: { kind: "counter", unit: "ps", desc: "time requests waited for the unit" },
  },
  actions: {
    op: { desc: "process one element" },
  },
});

/** Peak rate and resolved cost of one instance at a clock. */
export function digitalUnitCost(p: DigitalUnitParams, clockHz: number): ResolvedCost {
  return resolveCost(p.cost, p.elementsPerCycle * clockHz);
}

export class DigitalUnit extends Component<typeof digitalUnitParamsSchema> {
  private freeAt = 0;
  private readonly periodTicks: number;
  private readonly aOp: number;
  private readonly elements: Counter;
  private readonly busyTicks: Counter;
  private readonly waitTicks: Counter;
  readonly resolved: ResolvedCost;
  private readonly tracer: Tracer;
  private readonly trId: number;
  private readonly trOp: number;

  constructor(ctx: SimContext, path: string, params: DigitalUnitParams, clock: { hz: number; periodTicks: number }) {
    const c = digitalUnitCost(params, clock.hz);
    super(ctx, path, digitalUnitKind, params, {
      actions: { op: { energyPj: c.energyPj } },
      leakageMw: c.leakageMw * params.count,
      areaUm2: c.areaUm2 * params.count,
    });
    this.resolved = c;
    this.periodTicks = clock.periodTicks;
    this.aOp = this.energy.action("op");
    this.elements = this.counter("elements");
    this.busyTicks = this.counter("busyTicks");
    this.waitTicks = this.counter("waitTicks");
    this.tracer = this.contextTracer;
    this.trId = this.tracer.component(path);
    this.trOp = this.tracer.kind("digitalUnit.op", "slice", { argNames: ["elements", "waitTicks"] });
  }

  /** Ticks a request of n elements occupies the unit (all instances working in parallel). */
  occupancyTicks(n: number): number {
    const lanes = this.params.elementsPerCycle * Math.max(1, Math.floor(this.params.count));
    return Math.ceil(n / lanes) * this.periodTicks;
  }

  /** Processes n elements; `done` runs when the last leaves the pipeline. */
  process(n: number, done: () => void): void {
    const now = this.sim.now;
    const start = Math.max(now, this.freeAt);
    const occ = this.occupancyTicks(n);
    this.freeAt = start + occ;
    this.waitTicks.add(start - now);
    this.busyTicks.add(occ);
    this.elements.add(n);
    this.energy.counts[this.aOp] += n;
    this.tracer.slice(this.trId, this.trOp, start, occ, n, start - now);
    this.sim.scheduleAt((start + occ + this.params.latencyCycles * this.periodTicks) as never, done, 0, `${this.path}.done`);
  }
}
