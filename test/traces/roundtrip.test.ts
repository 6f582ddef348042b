import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import * as protobuf from "protobufjs";
import fc from "fast-check";
import { TraceFileWriter } from "../../traces/writer";
import { readTrace, TraceReader } from "../../traces/reader";
import { tmpDir, type ModelEvent } from "./helpers";

const dir = tmpDir("trace-rt");
const protoFile = path.join(__dirname, "..", "..", "traces", "trace.proto");

function writeModel(file: string, events: ModelEvent[], bufferBytes?: number): void {
  const w = new TraceFileWriter(file, { header: { producer: "test", configHash: "abc", seed: 7, clocks: [{ name: "core", periodPs: 1000 }] }, bufferBytes });
  for (const e of events) {
    const c = w.component(e.component);
    const k = w.kind(e.kind, e.phase);
    const [a0, a1, a2, a3] = e.ints;
    if (e.phase === "slice") w.slice(c, k, e.tick, e.dur, a0, a1, a2, a3);
    else if (e.phase === "instant") w.instant(c, k, e.tick, a0, a1, a2, a3);
    else w.counter(c, k, e.tick, e.value ?? 0);
  }
  w.close();
}

function readModel(file: string): ModelEvent[] {
  const { header, events } = readTrace(file);
  return events.map((e) => {
    const k = header.kinds[e.kind];
    const m: ModelEvent = { phase: k.phase, component: header.components[e.component], kind: k.name, tick: e.tick, dur: e.durTicks, ints: e.ints };
    if (k.phase === "counter") {
      m.value = e.values[0];
      m.ints = [];
    }
    return m;
  });
}

const arbEvent: fc.Arbitrary<ModelEvent> = fc
  .record({
    phase: fc.constantFrom("slice" as const, "instant" as const, "counter" as const),
    c: fc.integer({ min: 0, max: 40 }),
    k: fc.integer({ min: 0, max: 5 }),
    tick: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
    dur: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 40 })),
    ints: fc.array(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), { maxLength: 4 }),
    value: fc.double({ noNaN: true }),
  })
  .map(({ phase, c, k, tick, dur, ints, value }) => ({
    phase,
    component: `chip.tile[${c}].adc`,
    kind: `${phase}.k${k}`,
    tick,
    dur: phase === "slice" ? dur : 0,
    ints: phase === "counter" ? [] : ints,
    ...(phase === "counter" ? { value } : {}),
  }));

describe("trace stream round trip", () => {
  it("write then read gives back the same events, names and header (property)", () => {
    let n = 0;
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 400 }), fc.boolean(), (events, smallBuffer) => {
        const file = path.join(dir, `rt${n++}.rtrace`);
        // a 4 KiB buffer flushes mid-run, so names met later travel in Interned records
        writeModel(file, events, smallBuffer ? 4096 : undefined);
        expect(readModel(file)).toEqual(events);
        fs.rmSync(file);
      }),
      { numRuns: 60 },
    );
  });

  it("the hand-encoded stream decodes with protobufjs and the .proto alone", () => {
    const file = path.join(dir, "pb.rtrace");
    const events: ModelEvent[] = [
      { phase: "slice", component: "chip.tile[0].mvmu[0].crossbar", kind: "crossbar.read", tick: 5_000_000_000, dur: 100_000, ints: [128, -3] },
      { phase: "instant", component: "chip.tile[0].core[0]", kind: "core.issue", tick: 7, dur: 0, ints: [0x1234567] },
      { phase: "counter", component: "chip", kind: "power", tick: 0, dur: 0, ints: [], value: 12.75 },
    ];
    writeModel(file, events);
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 9).toString("ascii")).toBe("RRAMTRACE");
    const root = protobuf.loadSync(protoFile);
    const Header = root.lookupType("rramsim.trace.TraceHeader");
    const Record = root.lookupType("rramsim.trace.TraceRecord");
    const r = protobuf.Reader.create(bytes.subarray(9));
    expect(r.uint32()).toBe(1);
    const h = Header.toObject(Header.decodeDelimited(r), { longs: Number, defaults: true }) as Record<string, any>;
    expect(h.schemaVersion).toBe(1);
    expect(h.configHash).toBe("abc");
    expect(h.clocks).toEqual([{ name: "core", periodPs: 1000 }]);
    expect(h.components).toEqual(["chip.tile[0].mvmu[0].crossbar", "chip.tile[0].core[0]", "chip"]);
    const decoded = [];
    while (r.pos < r.len) decoded.push(Record.toObject(Record.decodeDelimited(r), { longs: Number, defaults: true }) as Record<string, any>);
    expect(decoded.map((d) => d.event)).toEqual([
      { tick: 5_000_000_000, component: 0, kind: 0, dur: 100_000, ints: [128, -3], values: [] },
      { tick: 7, component: 1, kind: 1, dur: 0, ints: [0x1234567], values: [] },
      { tick: 0, component: 2, kind: 2, dur: 0, ints: [], values: [12.75] },
    ]);
  });

  it("the reader iterates with for..of and with forEach alike, and can start over", () => {
    const file = path.join(dir, "iter.rtrace");
    const w = new TraceFileWriter(file, { bufferBytes: 4096 });
    const k = w.kind("adc.convert");
    // 1000 components interned one by one: most arrive in Interned records after the first flush
    for (let i = 0; i < 1000; i++) w.slice(w.component(`chip.tile[${i}].adc`), k, i, 1, i);
    w.close();
    const r = new TraceReader(file);
    const viaIterator = [...r].map((e) => [r.header.components[e.component], e.ints[0]]);
    const viaForEach: [string, number][] = [];
    r.forEach((e) => viaForEach.push([r.header.components[e.component], e.ints[0]]));
    r.close();
    const expected = Array.from({ length: 1000 }, (_, i) => [`chip.tile[${i}].adc`, i]);
    expect(viaIterator).toEqual(expected);
    expect(viaForEach).toEqual(expected);
  });

  it("an event on an id that was never interned is refused", () => {
    const w = new TraceFileWriter(path.join(dir, "bad-id.rtrace"));
    expect(() => w.slice(0, 0, 0, 1)).toThrow(/not interned/);
    w.abort();
    expect(fs.existsSync(path.join(dir, "bad-id.rtrace"))).toBe(false);
  });

  it("a kind cannot change phase", () => {
    const w = new TraceFileWriter(path.join(dir, "phase.rtrace"));
    w.kind("adc.convert", "slice");
    expect(() => w.kind("adc.convert", "counter")).toThrow(/declared as slice/);
    w.abort();
  });
});
