// The run-level observer bus: coarse events a run announces to whoever listens (a CLI progress
// line, a notebook, a trace writer's header): run started and finished, phase changes, progress.
// It is built on typescript-event-emitter, which keeps a history of every call; the bus trims that
// history to a fixed bound after each emit so a long run cannot grow it without limit. Model code
// never goes through the bus: hot-path observers are plain function calls.

import { EventEmitter } from "typescript-event-emitter";

export interface RunEvents {
  "run.started": { name: string; seed: number };
  "run.phase": { phase: string; detail?: string };
  "run.progress": { done: number; total: number; unit: string };
  "run.finished": { name: string; simulatedS: number; events: number };
}

export type RunEventName = keyof RunEvents;

export class RunBus {
  private readonly emitter = new EventEmitter();
  /** the most history entries kept */
  readonly historyLimit: number;

  constructor(historyLimit = 256) {
    this.historyLimit = historyLimit;
  }

  /** Subscribes; returns a function that unsubscribes. */
  on<K extends RunEventName>(event: K, listener: (payload: RunEvents[K]) => void): () => void {
    const wrapped = (_name: string, payload: RunEvents[K]) => listener(payload);
    this.emitter.on(event, wrapped);
    return () => this.emitter.off(event, wrapped);
  }

  /**
   * Announces an event. Listeners without hooks run synchronously inside this call; the returned
   * promise settles once the emitter's bookkeeping is done.
   */
  emit<K extends RunEventName>(event: K, payload: RunEvents[K]): Promise<void> {
    const done = this.emitter.emit(event, payload);
    this.trimHistory();
    return done.then(() => this.trimHistory());
  }

  /** The retained history (oldest first), at most `historyLimit` entries. */
  history(): ReadonlyArray<{ event: string; args: unknown[] }> {
    return this.emitter.getAllEventHistory();
  }

  private trimHistory(): void {
    const h = this.emitter.getAllEventHistory();
    if (h.length > this.historyLimit) h.splice(0, h.length - this.historyLimit);
  }
}
