// The event queue: a binary heap (heap-js) of events ordered by (tick, priority, insertion
// sequence). Lower priority numbers run first at the same tick; events equal in both run
// first-in first-out, so a run is a pure function of its inputs. Cancelling marks an event dead and
// leaves it in the heap; dead events are dropped when they reach the top (lazy deletion).
// Rescheduling is a cancel plus a new event.

import { Heap } from "heap-js";
import type { Tick } from "./time";

/** Named priorities, in the order they run within one tick (gem5's convention of named levels). */
export const Priority = {
  /** clock-edge bookkeeping before anything else */
  Clock: -100,
  /** the default for model events */
  Default: 0,
  /** statistics, tracing and progress after the models of the tick */
  Stats: 100,
  /** a simulation-exit check after everything else */
  Exit: 1000,
} as const;

export interface SimEvent {
  readonly tick: Tick;
  readonly priority: number;
  /**
   * The tie-breaker within a tick: (priority + 1024)·2^42 + insertion sequence, one exact integer
   * below 2^53, so the heap compares two numbers instead of three.
   */
  readonly order: number;
  readonly fire: () => void;
  /** a label for traces and error messages */
  readonly name: string;
  /** true until the event runs or is cancelled */
  pending: boolean;
}

const PRIORITY_BIAS = 1024;
const SEQ_SPAN = 2 ** 42;

function compare(a: SimEvent, b: SimEvent): number {
  return a.tick - b.tick || a.order - b.order;
}

export class EventQueue {
  private readonly heap = new Heap<SimEvent>(compare);
  private nextSeq = 0;
  private live = 0;
  private rootFiring = false;

  /** Number of pending, not cancelled events. */
  get size(): number {
    return this.live;
  }

  push(tick: Tick, fire: () => void, priority: number = Priority.Default, name = ""): SimEvent {
    if (!Number.isInteger(priority) || priority < -PRIORITY_BIAS || priority >= PRIORITY_BIAS) {
      throw new RangeError(`event priority must be an integer in [-1024, 1023] (got ${priority})`);
    }
    const order = (priority + PRIORITY_BIAS) * SEQ_SPAN + this.nextSeq++;
    const ev: SimEvent = { tick, priority, order, fire, name, pending: true };
    if (this.rootFiring) {
      this.rootFiring = false;
      this.heap.replace(ev);
    } else {
      this.heap.add(ev);
    }
    this.live++;
    return ev;
  }

  cancel(ev: SimEvent): boolean {
    if (!ev.pending) return false;
    ev.pending = false;
    this.live--;
    return true;
  }

  /** If the root is an event that already ran and was not replaced, removes it. */
  private settleRoot(): void {
    if (this.rootFiring) {
      this.rootFiring = false;
      this.heap.pop();
    }
  }

  /** The earliest live event, without removing it. */
  peek(): SimEvent | undefined {
    this.settleRoot();
    let top = this.heap.peek();
    while (top !== undefined && !top.pending) {
      this.heap.pop();
      top = this.heap.peek();
    }
    return top;
  }

  /**
   * Takes the earliest live event not after `limit` and runs it. While it runs, the event stays at
   * the heap's root: the first event its handler schedules takes the root's place with one sift-down
   * (the "hold" pattern of a discrete-event model), instead of a pop followed by a push.
   * Returns the event run, or undefined when none is due.
   */
  fireNext(limit: number, onFire: (ev: SimEvent) => void): SimEvent | undefined {
    const top = this.peek();
    if (top === undefined || top.tick > limit) return undefined;
    this.live--;
    top.pending = false; // cancelling it from now on is a no-op
    this.rootFiring = true;
    onFire(top);
    this.settleRoot();
    return top;
  }

  /** Removes and returns the earliest live event. */
  pop(): SimEvent | undefined {
    this.settleRoot();
    let ev = this.heap.pop();
    while (ev !== undefined && !ev.pending) ev = this.heap.pop();
    if (ev !== undefined) {
      ev.pending = false;
      this.live--;
    }
    return ev;
  }

  clear(): void {
    this.rootFiring = false;
    this.heap.clear();
    this.live = 0;
  }
}
