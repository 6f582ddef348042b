// The kernel's built-in component kind: a pipeline stage. It serves jobs one at a time with a fixed
// service time, holds waiting jobs in a bounded input queue, and passes finished jobs downstream
// when the next stage has room (otherwise it blocks, and the block is counted as a stall). It is
// the building block of the kernel demonstration and of any quick queueing study; the hardware
// models in arch/ are specialised components of the same shape.

import { z } from "zod";
import { Component, defineKind, type SimContext } from "./component";
import { nonNegativeQuantity, positiveQuantity } from "./config";
import type { Counter } from "./stats";
import type { Tick } from "./time";
import { NULL_TRACER, type Tracer } from "./tracer";

export const stageParamsSchema = z
  .object({
    serviceTime: positiveQuantity("time").describe('time to serve one job (ticks, or e.g. "100ns")'),
    queueCapacity: z.number().int().min(1).default(4).describe("jobs that may wait at the input"),
    energyPerJob: nonNegativeQuantity("energy").default(0).describe('energy of serving one job (pJ, or e.g. "30pJ")'),
    leakage: nonNegativeQuantity("power").default(0).describe('static power (mW, or e.g. "2mW")'),
    area: nonNegativeQuantity("area").default(0).describe('area (µm², or e.g. "0.0096mm2")'),
  })
  .strict();

export type StageParams = z.output<typeof stageParamsSchema>;

export const stageKind = defineKind({
  kind: "stage",
  description: "a pipeline stage: bounded input queue, one job at a time, fixed service time, blocks when downstream is full",
  params: stageParamsSchema,
  stats: {
    jobs: { kind: "counter", unit: "jobs", desc: "jobs served" },
    busyTicks: { kind: "counter", unit: "ps", desc: "time spent serving" },
    blockedTicks: { kind: "counter", unit: "ps", desc: "time a finished job waited for room downstream" },
    utilisation: { kind: "formula", unit: "fraction", desc: "busy time / elapsed simulated time" },
  },
  actions: {
    serve: { desc: "serve one job" },
  },
});

/** Anything that wants to hear when a stage's input queue frees a slot. */
export interface RoomListener {
  onRoom(): void;
}

export interface Job {
  id: number;
  startTick: Tick;
}

export class Stage extends Component<typeof stageParamsSchema> implements RoomListener {
  private readonly queue: Job[] = [];
  private busy = false;
  /** a finished job that could not move on yet */
  private blocked: Job | null = null;
  private blockedSince = 0;
  private downstream: Stage | null = null;
  private upstream: RoomListener | null = null;
  private sink: ((job: Job) => void) | null = null;
  private readonly serveAction: number;
  private readonly jobs: Counter;
  private readonly busyTicks: Counter;
  private readonly blockedTicks: Counter;
  private tracer: Tracer = NULL_TRACER;
  private traceId = 0;
  private serveKind = 0;
  private blockedKind = 0;
  private powerKind = 0;

  constructor(ctx: SimContext, path: string, params: StageParams) {
    super(ctx, path, stageKind, params, {
      actions: { serve: { energyPj: params.energyPerJob } },
      leakageMw: params.leakage,
      areaUm2: params.area,
    });
    this.serveAction = this.energy.action("serve");
    this.jobs = this.counter("jobs");
    this.busyTicks = this.counter("busyTicks");
    this.blockedTicks = this.counter("blockedTicks");
    this.formula("utilisation", () => (this.sim.now === 0 ? 0 : this.busyTicks.value / this.sim.now));
  }

  /**
   * Records this stage's work (`stage.serve` slices), waits (`stage.blocked`) and power (`power`
   * counter, mW: leakage, plus the job's energy spread evenly over its service time while serving).
   */
  traceTo(tracer: Tracer): void {
    this.tracer = tracer;
    this.traceId = tracer.component(this.path);
    this.serveKind = tracer.kind("stage.serve", "slice", { argNames: ["job"] });
    this.blockedKind = tracer.kind("stage.blocked", "slice", { argNames: ["job"], isStall: true });
    this.powerKind = tracer.kind("power", "counter", { unit: "mW" });
    tracer.counter(this.traceId, this.powerKind, this.sim.now, this.params.leakage);
  }

  /** Connects this stage's output to `next` (or to a sink callback for the last stage). */
  connect(next: Stage | ((job: Job) => void)): void {
    if (typeof next === "function") this.sink = next;
    else {
      this.downstream = next;
      next.upstream = this;
    }
  }

  /** Sets who is told when the input queue frees a slot (the previous stage, or a feeder). */
  listenForRoom(l: RoomListener): void {
    this.upstream = l;
  }

  hasRoom(): boolean {
    return this.queue.length < this.params.queueCapacity;
  }

  /** Offers a job; returns false (and takes nothing) when the input queue is full. */
  offer(job: Job): boolean {
    if (!this.hasRoom()) return false;
    this.queue.push(job);
    if (!this.busy && this.blocked === null) this.startNext();
    return true;
  }

  private startNext(): void {
    const job = this.queue.shift();
    if (job === undefined) return;
    this.busy = true;
    // pJ per ps is W: ×1000 for mW
    this.tracer.counter(this.traceId, this.powerKind, this.sim.now, this.params.leakage + (1000 * this.params.energyPerJob) / this.params.serviceTime);
    this.upstream?.onRoom();
    this.sim.schedule(this.params.serviceTime, () => this.finish(job), 0, `${this.path}.finish`);
  }

  private finish(job: Job): void {
    this.busy = false;
    this.jobs.add();
    this.busyTicks.add(this.params.serviceTime);
    this.energy.counts[this.serveAction]++;
    this.tracer.slice(this.traceId, this.serveKind, this.sim.now - this.params.serviceTime, this.params.serviceTime, job.id);
    this.tracer.counter(this.traceId, this.powerKind, this.sim.now, this.params.leakage);
    this.blocked = job;
    this.blockedSince = this.sim.now;
    this.tryPass();
  }

  private tryPass(): void {
    const job = this.blocked;
    if (job === null) return;
    if (this.downstream !== null && !this.downstream.hasRoom()) return; // wait for onRoom()
    // Clear the output register before handing the job on: the hand-off may call back onRoom().
    this.blocked = null;
    this.blockedTicks.add(this.sim.now - this.blockedSince);
    if (this.sim.now > this.blockedSince) this.tracer.slice(this.traceId, this.blockedKind, this.blockedSince, this.sim.now - this.blockedSince, job.id);
    if (this.downstream !== null) this.downstream.offer(job);
    else this.sink?.(job);
    this.startNext();
  }

  /** Called by the downstream stage when a queue slot frees. */
  onRoom(): void {
    if (this.blocked !== null) this.tryPass();
  }
}
