import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { TraceFileWriter } from "../../traces/writer";
import { exportTraceChrome } from "../../traces/chrome";
import { exportTraceCsv } from "../../traces/csv";
import { tmpDir } from "./helpers";

describe("Chrome trace-event JSON export", () => {
  const dir = tmpDir("chrome");
  const input = path.join(dir, "in.rtrace");
  const w = new TraceFileWriter(input, { header: { producer: "p" } });
  const a = w.component("chip.tile[0].adc");
  const r = w.component("chip.router[1]");
  const conv = w.kind("adc.convert", "slice", { argNames: ["conversions"] });
  const stall = w.kind("noc.stall", "slice", { isStall: true });
  const power = w.kind("power", "counter", { unit: "mW" });
  const issue = w.kind("core.issue", "instant", { argNames: ["pc"] });
  // durations in ps: 781 × 3 on the ADC, 2 000 000 stalled on the router
  w.slice(a, conv, 0, 781, 128);
  w.slice(a, conv, 781, 781, 128);
  w.slice(a, conv, 1562, 781, 64);
  w.slice(r, stall, 500, 2_000_000);
  w.counter(a, power, 0, 3.5);
  w.instant(r, issue, 42, 16);
  w.close();
  const out = path.join(dir, "out.json");
  exportTraceChrome(input, out);
  const doc = JSON.parse(fs.readFileSync(out, "utf8")) as { traceEvents: Record<string, any>[] };

  it("is one JSON document whose X durations (µs) add up to the traced durations", () => {
    const xs = doc.traceEvents.filter((e) => e.ph === "X");
    expect(xs).toHaveLength(4);
    const adcUs = xs.filter((e) => e.name === "adc.convert").reduce((s, e) => s + e.dur, 0);
    expect(adcUs).toBeCloseTo((3 * 781) / 1e6, 12);
    expect(xs.find((e) => e.name === "noc.stall")!.dur).toBeCloseTo(2, 12);
    expect(xs.map((e) => e.ts)).toEqual([0, 781e-6, 1562e-6, 500e-6]);
    expect(xs[2].args).toEqual({ conversions: 64 });
  });

  it("names the process and one thread per component", () => {
    const m = doc.traceEvents.filter((e) => e.ph === "M");
    expect(m.find((e) => e.name === "process_name")!.args.name).toBe("p");
    const threads = m.filter((e) => e.name === "thread_name").map((e) => e.args.name);
    expect(threads.sort()).toEqual(["chip.router[1]", "chip.tile[0].adc"]);
    const tidOf = Object.fromEntries(m.filter((e) => e.name === "thread_name").map((e) => [e.args.name, e.tid]));
    expect(doc.traceEvents.filter((e) => e.ph === "X" && e.name === "adc.convert").every((e) => e.tid === tidOf["chip.tile[0].adc"])).toBe(true);
  });

  it("counters are C events and instants i events", () => {
    expect(doc.traceEvents.filter((e) => e.ph === "C")).toEqual([{ ph: "C", pid: 1, tid: 1, ts: 0, name: "chip.tile[0].adc power", args: { mW: 3.5 } }]);
    expect(doc.traceEvents.filter((e) => e.ph === "i").map((e) => [e.ts, e.args])).toEqual([[42e-6, { pc: 16 }]]);
  });
});

describe("CSV event export", () => {
  const dir = tmpDir("csv");
  it("writes one row per event with args and counter values in fixed columns", () => {
    const input = path.join(dir, "in.rtrace");
    const w = new TraceFileWriter(input);
    const a = w.component("chip.tile[0].adc");
    const odd = w.component('odd,"name"');
    w.slice(a, w.kind("adc.convert", "slice", { argNames: ["conversions", "bits"] }), 5, 781, 128, -8);
    w.counter(odd, w.kind("power", "counter", { unit: "mW" }), 9, 2.5);
    w.instant(a, w.kind("core.issue", "instant"), 11);
    w.close();
    const out = path.join(dir, "out.csv");
    expect(exportTraceCsv(input, out).events).toBe(3);
    expect(fs.readFileSync(out, "utf8")).toBe(
      [
        "tick_ps,dur_ps,component,kind,phase,arg0,arg1,arg2,arg3,value",
        "5,781,chip.tile[0].adc,adc.convert,slice,128,-8,,,",
        '9,0,"odd,""name""",power,counter,,,,,2.5',
        "11,0,chip.tile[0].adc,core.issue,instant,,,,,",
        "",
      ].join("\n"),
    );
  });
});
