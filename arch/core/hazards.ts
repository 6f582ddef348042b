// The core's scoreboard for custom operations (arch/core/core.ts): each op issued and still running
// in the background is an outstanding record of what it touches (its footprint: vector-register
// element ranges read and written, the MVM units in its mask). A new custom op conflicts with an
// outstanding one when it reads or writes elements the outstanding op writes, writes elements it
// reads, or shares an MVM unit; it then waits, and the wait is charged to the outstanding op's
// stall cause. The first conflicting op in issue order is the one waited for. Bounding intervals of
// the ranges reject disjoint ops before the exact range test (same first conflict, fewer tests).
// What each op's footprint is lives with the op handlers (custom-ops.ts).
// Left out: register renaming (a write-after-read or write-after-write conflict waits like a true
// dependence).

import type { StallCause } from "./kind";

/** A half-open range [lo, hi) of vector-register elements. */
export type VrfRange = [number, number];

export interface Footprint {
  /** the stall cause of ops that wait for this one */
  cause: StallCause;
  reads: VrfRange[];
  writes: VrfRange[];
  /** MVM units (bit u: unit u) */
  mask: number;
  /** whether it runs on the VFU (one op at a time) */
  vfu: boolean;
  /** bounding interval [wLo, wHi) of the writes, and [aLo, aHi) of reads and writes together */
  wLo: number;
  wHi: number;
  aLo: number;
  aHi: number;
}

/** An issued custom op that has not completed yet (or has completed after the current cycle). */
export interface Pending {
  cause: StallCause;
  reads: VrfRange[];
  writes: VrfRange[];
  mask: number;
  /** completion cycle once known */
  doneCycle: number | undefined;
  waiters: Array<() => void>;
  wLo: number;
  wHi: number;
  aLo: number;
  aHi: number;
}

/** [lo, lo + len) in a vector register file of n elements, or the error message. */
export function vrfRange(lo: number, len: number, what: string, n: number): VrfRange | string {
  return lo + len > n ? `${what} [${lo}, ${lo + len}) is outside the vector register file (${n} elements)` : [lo, lo + len];
}

/** Appends a non-empty range; passes an error message through. */
export function addRange(into: VrfRange[], r: VrfRange | string): string | undefined {
  if (typeof r === "string") return r;
  if (r[1] > r[0]) into.push(r);
  return undefined;
}

/** The low end of the bounding interval of ranges (+∞ when there are none). */
function boundLo(ranges: VrfRange[]): number {
  let lo = Infinity;
  for (let i = 0; i < ranges.length; i++) if (ranges[i][0] < lo) lo = ranges[i][0];
  return lo;
}

/** The high end of the bounding interval of ranges (−∞ when there are none). */
function boundHi(ranges: VrfRange[]): number {
  let hi = -Infinity;
  for (let i = 0; i < ranges.length; i++) if (ranges[i][1] > hi) hi = ranges[i][1];
  return hi;
}

/** Whether any range of `as` overlaps any range of `bs`. */
function anyOverlap(as: VrfRange[], bs: VrfRange[]): boolean {
  for (let i = 0; i < as.length; i++) {
    const a = as[i];
    for (let j = 0; j < bs.length; j++) if (a[0] < bs[j][1] && bs[j][0] < a[1]) return true;
  }
  return false;
}

/** A footprint with its bounding intervals. */
export function footprintOf(cause: StallCause, reads: VrfRange[], writes: VrfRange[], mask: number, vfu: boolean): Footprint {
  const wLo = boundLo(writes);
  const wHi = boundHi(writes);
  return { cause, reads, writes, mask, vfu, wLo, wHi, aLo: Math.min(boundLo(reads), wLo), aHi: Math.max(boundHi(reads), wHi) };
}

/** The outstanding record of an op with footprint `fp`, just issued. */
export function pendingOf(fp: Footprint): Pending {
  return { cause: fp.cause, reads: fp.reads, writes: fp.writes, mask: fp.mask, doneCycle: undefined, waiters: [], wLo: fp.wLo, wHi: fp.wHi, aLo: fp.aLo, aHi: fp.aHi };
}

/** The first outstanding op an op with footprint `fp` conflicts with, in issue order. */
export function firstConflict(pending: readonly Pending[], fp: Footprint): Pending | undefined {
  const { wLo, wHi, aLo, aHi } = fp;
  for (let k = 0; k < pending.length; k++) {
    const p = pending[k];
    const maybe = (p.mask & fp.mask) !== 0 || (aLo < p.wHi && p.wLo < aHi) || (wLo < p.aHi && p.aLo < wHi);
    if (!maybe) continue;
    const conflict = (p.mask & fp.mask) !== 0 || anyOverlap(fp.reads, p.writes) || anyOverlap(fp.writes, p.writes) || anyOverlap(fp.writes, p.reads);
    if (conflict) return p;
  }
  return undefined;
}

/** Drops, in place, the ops known to be done by cycle t. */
export function prune(pending: Pending[], t: number): void {
  let k = 0;
  for (let j = 0; j < pending.length; j++) {
    const p = pending[j];
    if (p.doneCycle === undefined || p.doneCycle > t) pending[k++] = p;
  }
  pending.length = k;
}
