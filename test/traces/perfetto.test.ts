import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import * as protobuf from "protobufjs";
import fc from "fast-check";
import { TraceFileWriter } from "../../traces/writer";
import { exportTracePerfetto } from "../../traces/perfetto";
import { tmpDir } from "./helpers";

// The test's own reading of Perfetto's format: field numbers from upstream perfetto protos
// (trace_packet.proto, track_event.proto, track_descriptor.proto), written independently of
// traces/perfetto.proto.
const SUBSET = `
syntax = "proto2";
message T { repeated P packet = 1; }
message P {
  optional uint64 timestamp = 8;
  optional uint32 trusted_packet_sequence_id = 10;
  optional E track_event = 11;
  optional uint32 sequence_flags = 13;
  optional D track_descriptor = 60;
}
message D { optional uint64 uuid = 1; optional string name = 2; optional uint64 parent_uuid = 5; optional C counter = 8; optional Proc process = 3; }
message Proc { optional int32 pid = 1; optional string process_name = 6; }
message C { }
message A { optional string name = 10; optional int64 int_value = 4; optional double double_value = 5; }
message E {
  optional int32 type = 9;
  optional uint64 track_uuid = 11;
  optional string name = 23;
  repeated A debug_annotations = 4;
  optional double double_counter_value = 44;
}
`;
const T = protobuf.parse(SUBSET).root.lookupType("T");

interface Pkt {
  timestamp?: number;
  trustedPacketSequenceId?: number;
  sequenceFlags?: number;
  trackEvent?: { type?: number; trackUuid?: number; name?: string; debugAnnotations?: { name: string; intValue?: number }[]; doubleCounterValue?: number };
  trackDescriptor?: { uuid: number; name?: string; parentUuid?: number; counter?: object; process?: object };
}

function decode(file: string): Pkt[] {
  return (T.toObject(T.decode(fs.readFileSync(file)), { longs: Number }) as { packet: Pkt[] }).packet;
}

describe("Perfetto export", () => {
  const dir = tmpDir("perfetto");
  const input = path.join(dir, "in.rtrace");
  const w = new TraceFileWriter(input, { header: { producer: "test-producer" } });
  const xbar = w.component("chip.tile[0].mvmu[0].crossbar");
  const adc = w.component("chip.tile[0].mvmu[0].adc");
  const chip = w.component("chip");
  const read = w.kind("crossbar.read", "slice", { argNames: ["rows"] });
  const conv = w.kind("adc.convert", "slice", { argNames: ["conversions"] });
  const power = w.kind("power", "counter", { unit: "mW" });
  const issue = w.kind("core.issue", "instant");
  // crossbar: back-to-back reads of 100 ns at 0, 100, 200 ns; the ADC overlaps itself (pipelined):
  // [50, 250) and [150, 350) ns, then [400, 450) ns
  w.slice(xbar, read, 0, 100_000, 128);
  w.slice(adc, conv, 50_000, 200_000, 128);
  w.slice(xbar, read, 100_000, 100_000, 128);
  w.slice(adc, conv, 150_000, 200_000, 64);
  w.slice(xbar, read, 200_000, 100_000, 128);
  w.instant(xbar, issue, 300_000);
  w.slice(adc, conv, 400_000, 50_000, 32);
  w.counter(chip, power, 0, 10);
  w.counter(chip, power, 250_000, 12.5);
  w.close();
  const out = path.join(dir, "out.pftrace");
  const res = exportTracePerfetto(input, out);
  const packets = decode(out);

  it("every packet carries the trusted sequence id; the first clears incremental state", () => {
    expect(packets.every((p) => p.trustedPacketSequenceId === 1)).toBe(true);
    expect(packets[0].sequenceFlags).toBe(1);
    expect(packets[0].trackDescriptor?.name).toBe("test-producer");
  });

  it("tracks nest by component path and are declared before they are used", () => {
    const declared = new Map<number, { name?: string; parentUuid?: number }>();
    for (const p of packets) {
      if (p.trackDescriptor) {
        const d = p.trackDescriptor;
        if (d.parentUuid !== undefined) expect(declared.has(d.parentUuid)).toBe(true);
        declared.set(d.uuid, d);
      }
      if (p.trackEvent) expect(declared.has(p.trackEvent.trackUuid!)).toBe(true);
    }
    const fullName = (uuid: number): string => {
      const d = declared.get(uuid)!;
      return d.parentUuid === undefined ? "" : [fullName(d.parentUuid), d.name].filter(Boolean).join(".");
    };
    const names = [...declared.keys()].map(fullName);
    expect(names).toEqual(expect.arrayContaining(["chip", "chip.tile[0]", "chip.tile[0].mvmu[0]", "chip.tile[0].mvmu[0].crossbar", "chip.tile[0].mvmu[0].adc", "chip.power (mW)"]));
    expect(res.tracks).toBe(declared.size);
  });

  it("BEGIN and END match on every track and timestamps never go back on a track", () => {
    const open = new Map<number, number>();
    const last = new Map<number, number>();
    let begins = 0;
    let sliceNs = 0;
    for (const p of packets) {
      const e = p.trackEvent;
      if (!e) continue;
      const u = e.trackUuid!;
      expect(p.timestamp!).toBeGreaterThanOrEqual(last.get(u) ?? 0);
      last.set(u, p.timestamp!);
      if (e.type === 1) {
        expect(open.has(u)).toBe(false); // no nesting in this trace: a second BEGIN would need its own lane
        open.set(u, p.timestamp!);
        begins++;
      } else if (e.type === 2) {
        expect(open.has(u)).toBe(true);
        sliceNs += p.timestamp! - open.get(u)!;
        open.delete(u);
      }
    }
    expect(open.size).toBe(0);
    expect(begins).toBe(6);
    // hand sum: 3 reads × 100 ns + ADC 200 + 200 + 50 ns
    expect(sliceNs).toBe(300 + 450);
  });

  it("overlapping slices of one component go to a second lane", () => {
    const adcBegins = packets.filter((p) => p.trackEvent?.type === 1 && p.trackEvent.name === "adc.convert");
    expect(new Set(adcBegins.map((p) => p.trackEvent!.trackUuid)).size).toBe(2);
    expect(adcBegins.map((p) => p.timestamp)).toEqual([50, 150, 400]);
    expect(adcBegins.map((p) => p.trackEvent!.debugAnnotations)).toEqual([[{ name: "conversions", intValue: 128 }], [{ name: "conversions", intValue: 64 }], [{ name: "conversions", intValue: 32 }]]);
  });

  it("counters become a counter track with the sampled values", () => {
    const c = packets.filter((p) => p.trackEvent?.type === 4);
    expect(c.map((p) => [p.timestamp, p.trackEvent!.doubleCounterValue])).toEqual([
      [0, 10],
      [250, 12.5],
    ]);
    const track = packets.find((p) => p.trackDescriptor?.uuid === c[0].trackEvent!.trackUuid)!;
    expect(track.trackDescriptor!.counter).toBeDefined();
  });

  it("instants stay instants", () => {
    const i = packets.filter((p) => p.trackEvent?.type === 3);
    expect(i.map((p) => [p.timestamp, p.trackEvent!.name])).toEqual([[300, "core.issue"]]);
  });

  it("with a utilisation window, each component gets a busy-fraction counter track (hand arithmetic)", () => {
    const out2 = path.join(dir, "util.pftrace");
    exportTracePerfetto(input, out2, { utilisationWindowTicks: 100_000 });
    const p2 = decode(out2);
    const tracks = new Map(p2.filter((p) => p.trackDescriptor).map((p) => [p.trackDescriptor!.uuid, p.trackDescriptor!]));
    const series = (parentName: string) => {
      const t = [...tracks.values()].find((d) => d.name === "utilisation (busy fraction)" && tracks.get(d.parentUuid!)?.name === parentName)!;
      return p2.filter((p) => p.trackEvent?.trackUuid === t.uuid).map((p) => [p.timestamp, p.trackEvent!.doubleCounterValue]);
    };
    // span 450 ns in 100 ns windows; the crossbar reads cover [0, 300) ns
    expect(series("crossbar")).toEqual([
      [0, 1],
      [100, 1],
      [200, 1],
      [300, 0],
      [400, 0],
    ]);
    // ADC slices [50, 250), [150, 350), [400, 450) ns: 50/100, 150/100, 150/100, 50/100, 50/50
    expect(series("adc")).toEqual([
      [0, 0.5],
      [100, 1.5],
      [200, 1.5],
      [300, 0.5],
      [400, 1],
    ]);
  });
});

describe("Perfetto export of arbitrary overlapping slices", () => {
  const dir = tmpDir("perfetto-prop");
  it("per track: BEGIN/END alternate, timestamps never go back, and the slice time equals the traced durations (property)", () => {
    let n = 0;
    fc.assert(
      fc.property(
        // per component, slices in start order (as an event-driven model records them), free to overlap
        fc.array(fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3000 }), dur: fc.integer({ min: 0, max: 5000 }) }), { maxLength: 40 }), { minLength: 1, maxLength: 4 }),
        (perComponent) => {
          const input = path.join(dir, `p${n}.rtrace`);
          const out = path.join(dir, `p${n++}.pftrace`);
          const w = new TraceFileWriter(input);
          const k = w.kind("mvmu.op");
          let expectedNs = 0;
          // interleave components round-robin so the stream mixes tracks
          const cursors = perComponent.map(() => ({ i: 0, t: 0 }));
          for (let left = true; left;) {
            left = false;
            perComponent.forEach((slices, c) => {
              const cur = cursors[c];
              if (cur.i >= slices.length) return;
              left = true;
              const s = slices[cur.i++];
              cur.t += s.gap * 1000;
              w.slice(w.component(`chip.mvmu[${c}]`), k, cur.t, s.dur * 1000);
              expectedNs += s.dur;
            });
          }
          w.close();
          exportTracePerfetto(input, out);
          const open = new Map<number, number>();
          const last = new Map<number, number>();
          let sliceNs = 0;
          for (const p of decode(out)) {
            const e = p.trackEvent;
            if (!e) continue;
            const u = e.trackUuid!;
            if (p.timestamp! < (last.get(u) ?? 0)) return false;
            last.set(u, p.timestamp!);
            if (e.type === 1) {
              if (open.has(u)) return false;
              open.set(u, p.timestamp!);
            } else if (e.type === 2) {
              if (!open.has(u)) return false;
              sliceNs += p.timestamp! - open.get(u)!;
              open.delete(u);
            }
          }
          return open.size === 0 && sliceNs === expectedNs;
        },
      ),
      { numRuns: 40 },
    );
  });
});
