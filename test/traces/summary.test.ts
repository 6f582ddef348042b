import { describe, expect, it } from "vitest";
import * as path from "node:path";
import fc from "fast-check";
import { TraceFileWriter } from "../../traces/writer";
import { readTrace } from "../../traces/reader";
import { summarizeTrace, traceSummaryCsv } from "../../traces/summary";
import { tmpDir } from "./helpers";

const dir = tmpDir("summary");

describe("trace summaries", () => {
  it("busy time per component equals the sum of its non-stall slice durations read directly (property)", () => {
    let n = 0;
    fc.assert(
      fc.property(fc.array(fc.record({ c: fc.integer({ min: 0, max: 5 }), stall: fc.boolean(), tick: fc.integer({ min: 0, max: 1e9 }), dur: fc.integer({ min: 0, max: 1e6 }) }), { maxLength: 300 }), (slices) => {
        const file = path.join(dir, `p${n++}.rtrace`);
        const w = new TraceFileWriter(file);
        const work = w.kind("mvmu.work", "slice");
        const wait = w.kind("mvmu.wait", "slice", { isStall: true });
        for (const s of slices) w.slice(w.component(`chip.mvmu[${s.c}]`), s.stall ? wait : work, s.tick, s.dur);
        w.close();
        // naive: straight from the decoded events
        const { header, events } = readTrace(file);
        const busy = new Map<string, number>();
        let span = 0;
        for (const e of events) {
          span = Math.max(span, e.tick + e.durTicks);
          const p = header.components[e.component];
          busy.set(p, (busy.get(p) ?? 0) + (header.kinds[e.kind].isStall ? 0 : e.durTicks));
        }
        const s = summarizeTrace(file);
        expect(s.spanTicks).toBe(span);
        expect(Object.fromEntries(s.components.map((r) => [r.component, r.busyTicks]))).toEqual(Object.fromEntries(busy));
        expect(s.kinds.reduce((t, k) => t + k.events, 0)).toBe(slices.length);
      }),
      { numRuns: 30 },
    );
  });

  it("windows, counters and link load match hand arithmetic", () => {
    const file = path.join(dir, "hand.rtrace");
    const w = new TraceFileWriter(file);
    const a = w.component("chip.tile[0].adc");
    const l = w.component("chip.noc");
    const conv = w.kind("adc.convert", "slice");
    const hop = w.kind("noc.hop", "slice", { argNames: ["packet", "from", "to", "bytes"] });
    const stall = w.kind("noc.stall", "slice", { isStall: true });
    const power = w.kind("power", "counter", { unit: "mW" });
    w.slice(a, conv, 0, 100); // window 0: 100 of 100
    w.slice(a, conv, 150, 100); // window 1: 50 of 100; window 2: 50 of 50 (span ends at 250)
    w.slice(l, hop, 0, 20, 1, 0, 1, 64);
    w.slice(l, hop, 20, 20, 2, 0, 1, 32);
    w.slice(l, hop, 40, 30, 3, 1, 2, 16);
    w.slice(l, stall, 70, 30);
    w.counter(a, power, 0, 10); // 10 mW over [0, 120), 40 mW over [120, 250)
    w.counter(a, power, 120, 40);
    w.close();
    const s = summarizeTrace(file, { windowTicks: 100 });
    expect(s.spanTicks).toBe(250);
    expect(s.components).toEqual([
      { component: "chip.noc", slices: 4, busyTicks: 70, stallTicks: 30, utilisation: 70 / 250 },
      { component: "chip.tile[0].adc", slices: 2, busyTicks: 200, stallTicks: 0, utilisation: 200 / 250 },
    ]);
    expect(s.utilisationWindows.filter((r) => r.component === "chip.tile[0].adc").map((r) => r.busyFraction)).toEqual([1, 0.5, 1]);
    expect(s.utilisationWindows.filter((r) => r.component === "chip.noc").map((r) => r.busyFraction)).toEqual([0.7, 0, 0]);
    // window 0: (10·100)/100; window 1: (10·20 + 40·80)/100 = 34; window 2: 40
    expect(s.counterWindows.map((r) => r.mean)).toEqual([10, 34, 40]);
    expect(s.links).toEqual([
      { link: "0->1", hops: 2, bytes: 96, busyTicks: 40, utilisation: 40 / 250 },
      { link: "1->2", hops: 1, bytes: 16, busyTicks: 30, utilisation: 30 / 250 },
    ]);
    expect(s.kinds.find((k) => k.kind === "noc.hop")).toEqual({ kind: "noc.hop", phase: "slice", argNames: ["packet", "from", "to", "bytes"], events: 3, totalDurTicks: 70 });
    const csv = traceSummaryCsv(s);
    expect(Object.keys(csv).sort()).toEqual(["components.csv", "counters.csv", "kinds.csv", "links.csv", "utilisation.csv"]);
    expect(csv["components.csv"].split("\n")[0]).toBe("component,slices,busy_ticks,busy_s,stall_ticks,stall_s,utilisation");
    expect(csv["components.csv"].split("\n")[2]).toBe(`chip.tile[0].adc,2,200,${200e-12},0,0,0.8`);
    expect(csv["kinds.csv"].split("\n")[2]).toBe(`noc.hop,slice,packet from to bytes,3,70,${70e-12}`);
    expect(csv["links.csv"].split("\n")[1]).toBe(`0->1,2,96,40,${40e-12},0.16`);
  });

  it("a hop kind without packet id still keys links by its from/to args", () => {
    const file = path.join(dir, "bytes.rtrace");
    const w = new TraceFileWriter(file);
    const r = w.component("chip.router[3]");
    const hop = w.kind("router.hop", "slice", { argNames: ["from", "to", "bytes"] });
    w.slice(r, hop, 0, 10, 3, 4, 64);
    w.slice(r, hop, 10, 10, 3, 4, 32);
    w.close();
    expect(summarizeTrace(file).links).toEqual([{ link: "3->4", hops: 2, bytes: 96, busyTicks: 20, utilisation: 1 }]);
  });
});
