// A tracer that keeps events in memory, named (component path, kind name) rather than numbered:
// for tests of components ("the ADC records one slice per batch") and for small tools. Use
// TraceFileWriter for anything long: this one grows with the run.

import { traceFilterAcceptsKind, traceFilterAcceptsPath, TRACE_FILTER_ALL, type TraceFilter } from "./filter";
import type { TraceKindSpec, TracePhase } from "./schema";
import type { Tracer } from "../sim/tracer";

export interface RecordedTraceEvent {
  phase: TracePhase;
  component: string;
  kind: string;
  tick: number;
  durTicks: number;
  ints: number[];
  /** a counter's value */
  value?: number;
}

export class RecordingTracer implements Tracer {
  readonly active = true;
  readonly events: RecordedTraceEvent[] = [];
  readonly components: string[] = [];
  readonly kinds: TraceKindSpec[] = [];
  private readonly filter: TraceFilter;

  constructor(filter: TraceFilter = TRACE_FILTER_ALL) {
    this.filter = filter;
  }

  component(path: string): number {
    const i = this.components.indexOf(path);
    return i >= 0 ? i : this.components.push(path) - 1;
  }

  kind(name: string, phase: TracePhase = "slice", opts: Omit<TraceKindSpec, "name" | "phase"> = {}): number {
    const i = this.kinds.findIndex((k) => k.name === name);
    if (i >= 0) {
      if (this.kinds[i].phase !== phase) throw new Error(`trace kind '${name}' declared as ${this.kinds[i].phase} and as ${phase}`);
      return i;
    }
    return this.kinds.push({ name, phase, ...opts }) - 1;
  }

  enabled(kind: number, component: number): boolean {
    const k = this.kinds[kind];
    const c = this.components[component];
    if (k === undefined || c === undefined) throw new RangeError(`trace: component ${component}, kind ${kind}: id not interned`);
    return traceFilterAcceptsKind(this.filter, k.name) && traceFilterAcceptsPath(this.filter, c);
  }

  private add(component: number, kind: number, tick: number, durTicks: number, args: (number | undefined)[], value?: number): void {
    if (!this.enabled(kind, component)) return;
    const e: RecordedTraceEvent = { phase: this.kinds[kind].phase, component: this.components[component], kind: this.kinds[kind].name, tick, durTicks, ints: args.filter((a): a is number => a !== undefined) };
    if (value !== undefined) e.value = value;
    this.events.push(e);
  }

  slice(component: number, kind: number, startTick: number, durTicks: number, a0?: number, a1?: number, a2?: number, a3?: number): void {
    this.add(component, kind, startTick, durTicks, [a0, a1, a2, a3]);
  }

  instant(component: number, kind: number, tick: number, a0?: number, a1?: number, a2?: number, a3?: number): void {
    this.add(component, kind, tick, 0, [a0, a1, a2, a3]);
  }

  counter(component: number, kind: number, tick: number, value: number): void {
    this.add(component, kind, tick, 0, [], value);
  }
}
