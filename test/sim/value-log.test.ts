import { describe, it, expect } from "vitest";
import { ValueLog } from "../../sim/value-log";
import { ActivityProbe } from "../../sim/activity";
import { Component, defineKind, type SimContext } from "../../sim/component";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";
import { z } from "zod";

describe("value log", () => {
  it("runs every op at once and keeps only the ops run while recording", () => {
    const log = new ValueLog();
    const seen: string[] = [];
    log.run(() => seen.push("before"));
    log.record();
    log.run(() => seen.push("a"));
    log.run(() => seen.push("b"));
    log.stop();
    log.run(() => seen.push("after"));
    expect(seen).toEqual(["before", "a", "b", "after"]);
    expect(log.size).toBe(2);
    log.replay();
    expect(seen).toEqual(["before", "a", "b", "after", "a", "b"]);
  });

  it("replays on the buffers' current contents, in the recorded order", () => {
    const log = new ValueLog();
    const src = Int32Array.of(1, 2, 3);
    const mid = new Int32Array(3);
    const dst = new Int32Array(3);
    log.record();
    log.run(() => mid.set(src));
    log.run(() => {
      for (let i = 0; i < 3; i++) dst[i] = mid[i] * 10;
    });
    log.stop();
    src.set([7, 8, 9]);
    log.replay();
    expect(Array.from(dst)).toEqual([70, 80, 90]);
  });

  it("record() forgets an earlier recording", () => {
    const log = new ValueLog();
    let n = 0;
    log.record();
    log.run(() => n++);
    log.record();
    log.stop();
    log.replay();
    expect(n).toBe(1);
  });
});

const probeKind = defineKind({
  kind: "probeTest",
  description: "a component with one counter and one action, for the activity probe",
  params: z.object({}).strict(),
  stats: { events: { kind: "counter", unit: "events", desc: "events" } },
  actions: { op: { desc: "one op" } },
});

class Probed extends Component<typeof probeKind.params> {
  constructor(ctx: SimContext, path: string) {
    super(ctx, path, probeKind, {}, { actions: { op: { energyPj: 2 } } });
  }
  own(c: Component): void {
    this.adopt(c);
  }
  act(n: number): void {
    this.counter("events").add(n);
    this.energy.count("op", 3 * n);
  }
}

describe("activity probe", () => {
  const make = () => {
    const ctx = { sim: new Simulator(), ledger: new EnergyLedger() };
    const parent = new Probed(ctx, "a");
    const child = new Probed(ctx, "a.b");
    parent.own(child);
    return { ctx, parent, child, probe: new ActivityProbe([parent], ctx.ledger) };
  };

  it("a delta is what happened between two captures, and adding it books the same again", () => {
    const { ctx, parent, child, probe } = make();
    parent.act(1);
    const t0 = probe.capture();
    parent.act(2);
    child.act(5);
    const d = probe.delta(t0, probe.capture());
    expect(Array.from(d.counters)).toEqual([2, 5]);
    probe.add(d);
    expect((parent.stats.events as { value: number }).value).toBe(1 + 2 + 2);
    expect((child.stats.events as { value: number }).value).toBe(5 + 5);
    // energy: 3 ops per event at 2 pJ each
    expect(ctx.ledger.get("a.b")?.counts[0]).toBe(30);
  });

  it("equal() tells identical deltas from different ones", () => {
    const { parent, probe } = make();
    const t0 = probe.capture();
    parent.act(2);
    const t1 = probe.capture();
    parent.act(2);
    const t2 = probe.capture();
    parent.act(3);
    const t3 = probe.capture();
    expect(probe.equal(probe.delta(t0, t1), probe.delta(t1, t2))).toBe(true);
    expect(probe.equal(probe.delta(t1, t2), probe.delta(t2, t3))).toBe(false);
  });
});
