// The tracer that components call on their hot path. Plain method calls, no emitter: a component
// interns its path and its event kinds once (at construction), then records slices, instants and
// counters by number. `NULL_TRACER` records nothing and is what every component holds when tracing
// is off; its methods are empty, so a component pays one call to an empty method per event. A
// component that must compute arguments can ask `enabled(kind, component)` first.
//
// Kinds start with the glossary word of the component that does the work; the kinds the hardware
// records (core.scalar, core.stall.<cause>, mvmu.step, crossbar.read, adc.convert, mem.read,
// noc.hop, ...) and their args are listed in docs/traces.md, "What the hardware emits".

export type TracePhase = "slice" | "instant" | "counter";

/** An event kind as declared when interned (the EventKind message of traces/trace.proto). */
export interface TraceKindSpec {
  name: string;
  phase: TracePhase;
  /** names of the integer args (slices, instants) or of the values (counters) */
  argNames?: string[];
  /** unit of a counter's value */
  unit?: string;
  /** slices of this kind are waiting, not work (not counted as busy time) */
  isStall?: boolean;
}

export interface Tracer {
  /** false for the null tracer: nothing will be recorded */
  readonly active: boolean;
  /** The id of a component path (the same id for the same path). */
  component(path: string): number;
  /** The id of an event kind (the same id for the same name; its phase must not change). */
  kind(name: string, phase?: TracePhase, opts?: Omit<TraceKindSpec, "name" | "phase">): number;
  /** Whether events of this kind on this component are recorded (filters applied). */
  enabled(kind: number, component: number): boolean;
  /** An operation from `startTick` lasting `durTicks`, with up to four integer args (|arg| ≤ 2^52). */
  slice(component: number, kind: number, startTick: number, durTicks: number, a0?: number, a1?: number, a2?: number, a3?: number): void;
  /** A point event with up to four integer args. */
  instant(component: number, kind: number, tick: number, a0?: number, a1?: number, a2?: number, a3?: number): void;
  /** A sampled value that holds from `tick` until the next sample of this kind on this component. */
  counter(component: number, kind: number, tick: number, value: number): void;
}

class NullTracer implements Tracer {
  readonly active = false;
  component(): number {
    return 0;
  }
  kind(): number {
    return 0;
  }
  enabled(): boolean {
    return false;
  }
  slice(): void {}
  instant(): void {}
  counter(): void {}
}

/** The tracer that records nothing. */
export const NULL_TRACER: Tracer = new NullTracer();
