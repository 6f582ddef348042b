// Helpers for the hardware trace tests: events from a RecordingTracer or a trace file in one named
// form, the invariants every trace must satisfy, and busy/stall sums per component path.
import { expect } from "vitest";
import type { Component } from "../../sim/component";
import type { Counter, Histogram } from "../../sim/stats";
import type { RecordingTracer } from "../../traces/recording";
import { readTrace } from "../../traces/reader";

export interface NamedSlice {
  component: string;
  kind: string;
  tick: number;
  durTicks: number;
  ints: number[];
  isStall: boolean;
}

export function slicesOfRecording(t: RecordingTracer): NamedSlice[] {
  const stall = new Map(t.kinds.map((k) => [k.name, k.isStall === true]));
  return t.events.filter((e) => e.phase === "slice").map((e) => ({ component: e.component, kind: e.kind, tick: e.tick, durTicks: e.durTicks, ints: e.ints, isStall: stall.get(e.kind) as boolean }));
}

export function slicesOfFile(file: string): NamedSlice[] {
  const { header, events } = readTrace(file);
  return events
    .filter((e) => header.kinds[e.kind].phase === "slice")
    .map((e) => ({ component: header.components[e.component], kind: header.kinds[e.kind].name, tick: e.tick, durTicks: e.durTicks, ints: [...e.ints], isStall: header.kinds[e.kind].isStall === true }));
}

/** Per track (component path): starts never go backwards; every slice has a finite duration ≥ 0. */
export function checkTraceInvariants(slices: NamedSlice[]): void {
  const last = new Map<string, number>();
  let backwards = 0;
  let badDur = 0;
  for (const s of slices) {
    if (!(Number.isFinite(s.durTicks) && s.durTicks >= 0 && Number.isFinite(s.tick) && s.tick >= 0)) badDur++;
    const prev = last.get(s.component);
    if (prev !== undefined && s.tick < prev) backwards++;
    last.set(s.component, s.tick);
  }
  expect(badDur).toBe(0);
  expect(backwards).toBe(0);
}

export interface TrackSums {
  busy: Map<string, number>;
  stall: Map<string, number>;
  /** total duration per kind name */
  byKind: Map<string, number>;
  countByKind: Map<string, number>;
}

export function trackSums(slices: NamedSlice[]): TrackSums {
  const busy = new Map<string, number>();
  const stall = new Map<string, number>();
  const byKind = new Map<string, number>();
  const countByKind = new Map<string, number>();
  for (const s of slices) {
    const m = s.isStall ? stall : busy;
    m.set(s.component, (m.get(s.component) ?? 0) + s.durTicks);
    byKind.set(s.kind, (byKind.get(s.kind) ?? 0) + s.durTicks);
    countByKind.set(s.kind, (countByKind.get(s.kind) ?? 0) + 1);
  }
  return { busy, stall, byKind, countByKind };
}

/** Sum of a map's values over the keys that match a predicate. */
export function sumWhere(m: Map<string, number>, keep: (key: string) => boolean): number {
  let s = 0;
  for (const [k, v] of m) if (keep(k)) s += v;
  return s;
}

/** Busy/stall of one component path, by kind (for the per-kind checks of one component). */
export function kindOn(slices: NamedSlice[], component: string, kind: string): { ticks: number; count: number; arg0: number } {
  let ticks = 0;
  let count = 0;
  let arg0 = 0;
  for (const s of slices) {
    if (s.component !== component || s.kind !== kind) continue;
    ticks += s.durTicks;
    count++;
    arg0 += s.ints[0] ?? 0;
  }
  return { ticks, count, arg0 };
}

function walk(c: Component, f: (c: Component) => void): void {
  f(c);
  for (const k of c.children) walk(k, f);
}

function num(c: Component, stat: string): number {
  return (c.stats[stat] as Counter).value;
}

/**
 * Checks that the trace's busy and stall time per component equals the component's own stats, for
 * every core, MVM unit and part, shared memory, digital unit, link and router under `root`.
 * Returns how many components were checked, by kind.
 */
export function checkTraceAgainstStats(root: Component, slices: NamedSlice[], periodTicks: number): Record<string, number> {
  const { busy, stall } = trackSums(slices);
  const checked: Record<string, number> = {};
  const under = (m: Map<string, number>, prefix: string) => sumWhere(m, (k) => k.startsWith(prefix));
  walk(root, (c) => {
    const kind = c.kind.kind;
    const p = c.path;
    switch (kind) {
      case "core": {
        let instructions = kindOn(slices, p, "core.scalar").arg0;
        for (const name of Object.keys(c.stats)) {
          if (name.startsWith("stall.")) expect([p, name, kindOn(slices, p, `core.${name}`).ticks]).toEqual([p, name, num(c, name) * periodTicks]);
          if (name.startsWith("instr.")) {
            const n = kindOn(slices, p, `core.${name.slice(6)}`).count;
            if (n > 0) expect([p, name, n]).toEqual([p, name, num(c, name)]);
            instructions += n;
          }
        }
        expect([p, "retired", instructions]).toEqual([p, "retired", num(c, "retired")]);
        break;
      }
      case "mvmu":
        expect([p, busy.get(p) ?? 0]).toEqual([p, num(c, "occupancyTicks")]);
        expect([p, stall.get(p) ?? 0]).toEqual([p, num(c, "crossbarStallTicks") + num(c, "readWaitTicks")]);
        expect([p, busy.get(`${p}.mvm`) ?? 0]).toEqual([p, num(c, "latencyTicks")]);
        expect([p, kindOn(slices, `${p}.mvm`, "mvmu.mvm").count]).toEqual([p, num(c, "mvms")]);
        break;
      case "sharedMemory":
        expect([p, under(busy, `${p}.bank[`)]).toEqual([p, num(c, "busyTicks")]);
        expect([p, under(stall, `${p}.sync[`)]).toEqual([p, num(c, "syncWaitTicks")]);
        expect([p, kindOn(slices, p, "mem.read").ticks >= 0, kindOn(slices, p, "mem.read").arg0]).toEqual([p, true, Math.ceil(num(c, "bytesRead"))]);
        expect([p, kindOn(slices, p, "mem.write").arg0]).toEqual([p, Math.ceil(num(c, "bytesWritten"))]);
        break;
      case "link":
        expect([p, busy.get(p) ?? 0]).toEqual([p, num(c, "flits") * periodTicks]);
        break;
      case "router":
        expect([p, under(stall, `${p}.input[`)]).toEqual([p, num(c, "stallFlitCycles") * periodTicks]);
        break;
      case "noc": {
        const h = c.stats.packetLatency as Histogram;
        const packets = sumWhere(trackSums(slices.filter((s) => s.kind === "noc.packet")).countByKind, () => true);
        expect([p, packets]).toEqual([p, num(c, "packetsDelivered")]);
        expect([p, under(busy, `${p}.packets[`)]).toEqual([p, h.sum * periodTicks]);
        break;
      }
      default:
        if ("busyTicks" in c.stats) expect([p, busy.get(p) ?? 0]).toEqual([p, num(c, "busyTicks")]);
        else return;
    }
    checked[kind] = (checked[kind] ?? 0) + 1;
  });
  return checked;
}
