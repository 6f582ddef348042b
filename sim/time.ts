// Simulated time. One tick is one picosecond; ticks are integers held in a branded number so a
// tick count cannot be mixed up with cycles or seconds by accident. 2^53 ps is about 2.5 hours of
// simulated time, far beyond any inference run.

export type Tick = number & { readonly __unit: "tick" };
export type Cycle = number & { readonly __unit: "cycle" };

export const TICKS_PER_SECOND = 1e12;
/** The length of one tick in seconds (multiply by it; `ticksToSeconds` divides by TICKS_PER_SECOND). */
export const SECONDS_PER_TICK = 1e-12;
export const TICKS_PER_NS = 1000;

export function ticks(n: number): Tick {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`ticks: ${n} is not a non-negative safe integer`);
  }
  return n as Tick;
}

/** Seconds → ticks, rounded to the nearest picosecond. */
export function secondsToTicks(s: number): Tick {
  return ticks(Math.round(s * TICKS_PER_SECOND));
}

export function ticksToSeconds(t: Tick): number {
  return t / TICKS_PER_SECOND;
}

/**
 * A clock domain: a fixed period in ticks. Cycle n starts at tick n·period. Converting a tick
 * that falls inside a cycle rounds down (`cycleAt`) or up to the next edge (`nextEdge`).
 */
export class ClockDomain {
  readonly name: string;
  readonly periodTicks: Tick;

  constructor(name: string, periodTicks: number) {
    if (!Number.isSafeInteger(periodTicks) || periodTicks <= 0) {
      throw new RangeError(`clock ${name}: period must be a positive whole number of ps (got ${periodTicks})`);
    }
    this.name = name;
    this.periodTicks = periodTicks as Tick;
  }

  /** A clock from a frequency in Hz; the period is rounded to the nearest picosecond. */
  static fromHz(name: string, hz: number): ClockDomain {
    return new ClockDomain(name, Math.round(TICKS_PER_SECOND / hz));
  }

  get frequencyHz(): number {
    return TICKS_PER_SECOND / this.periodTicks;
  }

  /** Tick at which cycle `c` begins. */
  cyclesToTicks(c: number): Tick {
    return (c * this.periodTicks) as Tick;
  }

  /** The cycle that contains tick `t` (a tick exactly on an edge belongs to the cycle it starts). */
  cycleAt(t: Tick): Cycle {
    return Math.floor(t / this.periodTicks) as Cycle;
  }

  /** The first clock edge at or after `t`. */
  nextEdge(t: Tick): Tick {
    const r = t % this.periodTicks;
    return (r === 0 ? t : t + this.periodTicks - r) as Tick;
  }
}
