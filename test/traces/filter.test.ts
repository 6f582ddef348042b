import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { parseTraceFilter, traceFilterAcceptsKind, traceFilterAcceptsPath } from "../../traces/filter";
import { TraceFileWriter } from "../../traces/writer";
import { RecordingTracer } from "../../traces/recording";
import { readTrace } from "../../traces/reader";
import { summarizeTrace } from "../../traces/summary";
import { RramsimError } from "../../sim/errors";
import { tmpDir } from "./helpers";

function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof RramsimError ? e.code : "not a RramsimError";
  }
  return undefined;
}

describe("trace filters", () => {
  const dir = tmpDir("filter");
  it("kind globs: * spans dots, a bare name takes its dotted children, alternatives by comma", () => {
    const f = parseTraceFilter(["kind=adc.*,mvmu.*"]);
    expect(["adc.convert", "mvmu.read.phase"].map((k) => traceFilterAcceptsKind(f, k))).toEqual([true, true]);
    // `adc.*` needs the dot: the bare kind `adc` is not below `adc.`
    expect(traceFilterAcceptsKind(f, "adc")).toBe(false);
    expect(["crossbar.read", "adcx.convert", "core.issue"].map((k) => traceFilterAcceptsKind(f, k))).toEqual([false, false, false]);
    const bare = parseTraceFilter(["kind=noc"]);
    expect(traceFilterAcceptsKind(bare, "noc.hop")).toBe(true);
    expect(traceFilterAcceptsKind(bare, "nocx")).toBe(false);
  });

  it("path globs treat brackets literally; kind and path filters must both accept", () => {
    const f = parseTraceFilter(["path=chip.tile[0].*", "kind=adc.*"]);
    expect(traceFilterAcceptsPath(f, "chip.tile[0].mvmu[1].adc")).toBe(true);
    expect(traceFilterAcceptsPath(f, "chip.tile[1].mvmu[1].adc")).toBe(false);
    expect(traceFilterAcceptsPath(f, "chip.tile0.adc")).toBe(false);
    const q = parseTraceFilter(["path=chip.tile[?]"]);
    expect(traceFilterAcceptsPath(q, "chip.tile[7].core[0]")).toBe(true);
    expect(traceFilterAcceptsPath(q, "chip.tile[12]")).toBe(false);
  });

  it("no filter accepts everything", () => {
    const f = parseTraceFilter([]);
    expect(traceFilterAcceptsKind(f, "anything.at.all") && traceFilterAcceptsPath(f, "x")).toBe(true);
  });

  it("a malformed filter is a CLI_ARGUMENT error", () => {
    for (const bad of ["adc.*", "kind=", "kind=adc,,mvmu", "colour=red", "path=a b"]) {
      expect(errorCode(() => parseTraceFilter([bad]))).toBe("CLI_ARGUMENT");
    }
  });

  it("the writer records only what the filter accepts, and says so through enabled()", () => {
    const file = path.join(dir, "f.rtrace");
    const w = new TraceFileWriter(file, { filter: parseTraceFilter(["kind=adc.*", "path=chip.tile[0]"]) });
    const a0 = w.component("chip.tile[0].adc");
    const a1 = w.component("chip.tile[1].adc");
    const conv = w.kind("adc.convert");
    const read = w.kind("crossbar.read");
    expect([w.enabled(conv, a0), w.enabled(conv, a1), w.enabled(read, a0)]).toEqual([true, false, false]);
    w.slice(a0, conv, 0, 10);
    w.slice(a1, conv, 0, 20);
    w.slice(a0, read, 0, 40);
    w.close();
    const { events } = readTrace(file);
    expect(events.map((e) => e.durTicks)).toEqual([10]);
    expect(w.eventCount).toBe(1);
  });

  it("summarize applies a filter to what it reads", () => {
    const file = path.join(dir, "f2.rtrace");
    const w = new TraceFileWriter(file);
    const k = w.kind("adc.convert");
    w.slice(w.component("chip.tile[0].adc"), k, 0, 10);
    w.slice(w.component("chip.tile[1].adc"), k, 0, 30);
    w.close();
    const s = summarizeTrace(file, { filter: parseTraceFilter(["path=chip.tile[1]"]) });
    expect(s.components.map((r) => [r.component, r.busyTicks])).toEqual([["chip.tile[1].adc", 30]]);
    expect(s.events).toBe(1);
  });
});

describe("recording tracer (in memory, for component tests)", () => {
  it("records named events, applies the same filters, and refuses ids it never gave out", () => {
    const t = new RecordingTracer(parseTraceFilter(["kind=adc"]));
    const a = t.component("chip.tile[0].adc");
    const conv = t.kind("adc.convert", "slice", { argNames: ["conversions"] });
    const read = t.kind("crossbar.read");
    t.slice(a, conv, 100, 781, 128);
    t.slice(a, read, 0, 100);
    expect(t.events).toEqual([{ phase: "slice", component: "chip.tile[0].adc", kind: "adc.convert", tick: 100, durTicks: 781, ints: [128] }]);
    expect(t.component("chip.tile[0].adc")).toBe(a);
    expect(() => t.slice(5, conv, 0, 1)).toThrow(/not interned/);
  });
});
