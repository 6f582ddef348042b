// The discrete-event simulator: a clock (`now`, in ticks), the event queue, and the run loop.
// Components schedule callbacks at absolute ticks or after a delay; the loop pops them in order and
// calls them directly (no emitter on the hot path). Nothing advances time but events, so an idle
// design costs nothing to simulate.

import { EventQueue, Priority, type SimEvent } from "./event-queue";
import { RramsimError } from "./errors";
import type { Tick } from "./time";
import { DEFAULT_SEED, RandomStreams } from "./random";
import { ValueLog } from "./value-log";

export type StopReason = "idle" | "until" | "predicate" | "maxEvents" | "stopped";

export interface RunOptions {
  /** stop before running any event later than this tick; `now` is then set to it */
  until?: Tick;
  /** stop as soon as this returns true (checked after each event) */
  predicate?: () => boolean;
  /** a safety limit on events processed in this call */
  maxEvents?: number;
}

export interface RunResult {
  reason: StopReason;
  now: Tick;
  events: number;
}

export class Simulator {
  private readonly queue = new EventQueue();
  private nowTicks = 0 as Tick;
  private eventsRun = 0;
  private stopRequested = false;
  readonly random: RandomStreams;
  /** where models perform their value work (sim/value-log.ts), so a run can record and replay it */
  readonly values = new ValueLog();

  constructor(opts: { seed?: number } = {}) {
    this.random = new RandomStreams(opts.seed ?? DEFAULT_SEED);
  }

  get now(): Tick {
    return this.nowTicks;
  }

  /** Events processed since construction. */
  get eventCount(): number {
    return this.eventsRun;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Schedules `fire` at absolute tick `at` (not in the past). */
  scheduleAt(at: Tick, fire: () => void, priority: number = Priority.Default, name = ""): SimEvent {
    if (at < this.nowTicks || !Number.isSafeInteger(at)) {
      throw new RramsimError("SIM_STATE", `cannot schedule '${name}' at tick ${at}: now is ${this.nowTicks}`);
    }
    return this.queue.push(at, fire, priority, name);
  }

  /** Schedules `fire` after `delay` ticks (0 = later in this tick, after what is already queued). */
  schedule(delay: number, fire: () => void, priority: number = Priority.Default, name = ""): SimEvent {
    return this.scheduleAt((this.nowTicks + delay) as Tick, fire, priority, name);
  }

  cancel(ev: SimEvent): boolean {
    return this.queue.cancel(ev);
  }

  /** Moves a pending event to a new tick; returns the replacement event. */
  reschedule(ev: SimEvent, at: Tick, priority: number = ev.priority): SimEvent {
    this.queue.cancel(ev);
    return this.scheduleAt(at, ev.fire, priority, ev.name);
  }

  private readonly fire = (ev: SimEvent): void => {
    this.nowTicks = ev.tick;
    ev.fire();
  };

  /** Asks the running loop to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Runs events in order until the queue is empty or a stop condition holds. */
  run(opts: RunOptions = {}): RunResult {
    const { until, predicate } = opts;
    const maxEvents = opts.maxEvents ?? Infinity;
    const q = this.queue;
    let n = 0;
    this.stopRequested = false;
    let reason: StopReason;
    const limit = until ?? Infinity;
    for (;;) {
      if (n >= maxEvents) {
        reason = "maxEvents";
        break;
      }
      const fired = q.fireNext(limit, this.fire);
      if (fired === undefined) {
        reason = q.size === 0 ? "idle" : "until";
        break;
      }
      n++;
      if (this.stopRequested) {
        reason = "stopped";
        break;
      }
      if (predicate !== undefined && predicate()) {
        reason = "predicate";
        break;
      }
    }
    // Running "until T" simulates the interval up to T even when the queue empties earlier.
    if (until !== undefined && (reason === "until" || reason === "idle") && until > this.nowTicks) {
      this.nowTicks = until;
    }
    this.eventsRun += n;
    return { reason, now: this.nowTicks, events: n };
  }
}
