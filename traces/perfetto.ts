// Export of an rramsim trace to Perfetto's native protobuf format (open it at ui.perfetto.dev).
// One track per component, nested by path (chip › tile[0] › mvmu[1]) under a process track; slices
// become SLICE_BEGIN/SLICE_END pairs, instants INSTANT events, counters COUNTER events on a
// counter track per component and kind. Timestamps are ns (ticks / 1000, rounded, times `stretch`).
// Perfetto requires the slices of one track to nest; rramsim slices of one component may overlap
// (a pipelined unit), so overlapping slices go to extra "lane" tracks beside the component's
// (`adc #2`). Every track's timestamps are then non-decreasing, provided each component's events
// arrive in start order (true of event-driven producers; counters are written as they come).
// With a utilisation window it adds a "utilisation" counter track per component (busy fraction per
// window, from its slices, as in traces/summary.ts).
// Streaming: a Perfetto trace is a `Trace { repeated TracePacket packet = 1 }`, so packets are
// appended one by one as field-1 records. Track descriptors (rare) are encoded from
// traces/perfetto.proto by protobufjs; the per-event packets are written field by field with
// protobufjs's Writer, with the same field numbers.
// What it leaves out: interned strings, flows between tracks, and sub-ns resolution (use stretch).

import * as protobuf from "protobufjs";
import { perfettoProtoRoot, type TraceKindSpec } from "./schema";
import { forEachTraceEvent } from "./reader";
import { AtomicOutput, argName, kindCategory } from "./export-common";
import { traceEventFilter, TRACE_FILTER_ALL, type TraceFilter } from "./filter";
import { summarizeTrace, type TraceWindowRow } from "./summary";

export interface TraceExportOptions {
  filter?: TraceFilter;
  /** multiply times by this (e.g. 1000 shows 1 ps as 1 ns); default 1 */
  stretch?: number;
  /** also write a `utilisation` counter per component: its busy fraction per window of this many ticks */
  utilisationWindowTicks?: number;
}

export interface TraceExportResult {
  output: string;
  events: number;
  bytes: number;
  tracks: number;
}

const SEQ = 1;
const INCREMENTAL_STATE_CLEARED = 1;
const NEEDS_INCREMENTAL_STATE = 2;
const BEGIN = 1;
const END = 2;
const INSTANT = 3;
const COUNTER = 4;
const FLUSH_BYTES = 1 << 20;

/** protobuf key of field `f` with wire type `w` */
const key = (f: number, w: number) => (f << 3) | w;
const VARINT = 0;
const I64 = 1;
const LEN = 2;

/** Packets appended to the output as `Trace.packet` records. */
class PacketStream {
  private w = protobuf.Writer.create();
  private readonly TracePacket = perfettoProtoRoot().lookupType("perfetto.protos.TracePacket");
  /** UTF-8 bytes of the few strings repeated on every event (kind names, categories, arg names) */
  private readonly utf8 = new Map<string, Uint8Array>();

  private str(s: string): Uint8Array {
    let b = this.utf8.get(s);
    if (b === undefined) this.utf8.set(s, (b = Buffer.from(s, "utf8")));
    return b;
  }

  constructor(private readonly out: AtomicOutput) {}

  /** A packet given as an object (track descriptors), encoded by protobufjs from the .proto. */
  object(p: Record<string, unknown>): void {
    this.w.uint32(key(1, LEN)).bytes(this.TracePacket.encode(this.TracePacket.fromObject(p)).finish());
    this.maybeFlush();
  }

  /** A TrackEvent packet on sequence SEQ. */
  trackEvent(tsNs: number, type: number, trackUuid: number, name?: string, category?: string, args?: { name: string; int?: number; double?: number }[], counterValue?: number): void {
    const w = this.w;
    w.uint32(key(1, LEN)).fork(); // Trace.packet
    w.uint32(key(8, VARINT)).uint64(tsNs); // TracePacket.timestamp
    w.uint32(key(10, VARINT)).uint32(SEQ); // trusted_packet_sequence_id
    w.uint32(key(13, VARINT)).uint32(NEEDS_INCREMENTAL_STATE); // sequence_flags
    w.uint32(key(11, LEN)).fork(); // track_event
    w.uint32(key(9, VARINT)).int32(type); // TrackEvent.type
    w.uint32(key(11, VARINT)).uint64(trackUuid); // track_uuid
    if (category !== undefined) w.uint32(key(22, LEN)).bytes(this.str(category)); // categories
    if (name !== undefined) w.uint32(key(23, LEN)).bytes(this.str(name)); // name
    if (args !== undefined) {
      for (const a of args) {
        w.uint32(key(4, LEN)).fork(); // debug_annotations
        w.uint32(key(10, LEN)).bytes(this.str(a.name)); // DebugAnnotation.name
        if (a.int !== undefined)
          w.uint32(key(4, VARINT)).int64(a.int); // int_value
        else w.uint32(key(5, I64)).double(a.double ?? 0); // double_value
        w.ldelim();
      }
    }
    if (counterValue !== undefined) w.uint32(key(44, I64)).double(counterValue); // double_counter_value
    w.ldelim();
    w.ldelim();
    this.maybeFlush();
  }

  private maybeFlush(): void {
    if (this.w.len >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    if (this.w.len === 0) return;
    this.out.write(this.w.finish());
    this.w = protobuf.Writer.create();
  }
}

interface Lane {
  uuid: number;
  /** tick at which the lane is free; the slice that ends there has its END pending */
  freeAt: number;
  pendingEnd: boolean;
}

export function exportTracePerfetto(input: string, output: string, opts: TraceExportOptions = {}): TraceExportResult {
  const keep = traceEventFilter(opts.filter ?? TRACE_FILTER_ALL);
  const scale = (opts.stretch ?? 1) / 1000;
  return AtomicOutput.run(output, (out) => {
    const ps = new PacketStream(out);
    const ns = (tick: number) => Math.round(tick * scale);

    let nextUuid = 1;
    const rootUuid = nextUuid++;
    const pathTracks = new Map<string, number>();
    const descriptor = (uuid: number, name: string, parent: number, extra: Record<string, unknown> = {}) => ps.object({ trustedPacketSequenceId: SEQ, trackDescriptor: { uuid, name, parentUuid: parent, ...extra } });
    const pathTrack = (p: string): number => {
      const known = pathTracks.get(p);
      if (known !== undefined) return known;
      const dot = p.lastIndexOf(".");
      const parent = dot < 0 ? rootUuid : pathTrack(p.slice(0, dot));
      const uuid = nextUuid++;
      pathTracks.set(p, uuid);
      descriptor(uuid, p.slice(dot + 1), parent);
      return uuid;
    };
    const counterTrack = (key: string, name: string, parentPath: string): number => {
      let uuid = counterTracks.get(key);
      if (uuid === undefined) {
        uuid = nextUuid++;
        counterTracks.set(key, uuid);
        descriptor(uuid, name, pathTrack(parentPath), { counter: {} });
      }
      return uuid;
    };
    const lanes = new Map<number, Lane[]>(); // component id → lanes (lane 0 is the component's track)
    const counterTracks = new Map<string, number>();
    let started = false;
    let events = 0;

    const end = (l: Lane) => {
      l.pendingEnd = false;
      ps.trackEvent(ns(l.freeAt), END, l.uuid);
    };
    const laneFor = (comp: number, path: string, tick: number): Lane => {
      let ls = lanes.get(comp);
      if (ls === undefined) {
        ls = [{ uuid: pathTrack(path), freeAt: 0, pendingEnd: false }];
        lanes.set(comp, ls);
      }
      for (const l of ls) {
        if (l.freeAt <= tick) {
          if (l.pendingEnd) end(l);
          return l;
        }
      }
      const dot = path.lastIndexOf(".");
      const l: Lane = { uuid: nextUuid++, freeAt: 0, pendingEnd: false };
      descriptor(l.uuid, `${path.slice(dot + 1)} #${ls.length + 1}`, dot < 0 ? rootUuid : pathTrack(path.slice(0, dot)));
      ls.push(l);
      return l;
    };
    const annotations = (k: TraceKindSpec, ints: number[], values: number[]) =>
      ints.length + values.length === 0 ? undefined : [...ints.map((v, i) => ({ name: argName(k, i), int: v })), ...values.map((v, i) => ({ name: argName(k, ints.length + i), double: v }))];
    const start = (name: string) => {
      started = true;
      ps.object({
        trustedPacketSequenceId: SEQ,
        sequenceFlags: INCREMENTAL_STATE_CLEARED,
        trackDescriptor: { uuid: rootUuid, name, process: { pid: 1, processName: name } },
      });
    };

    const header = forEachTraceEvent(input, (ev, h) => {
      if (!started) start(h.producer || "rramsim");
      if (!keep(h, ev.kind, ev.component)) return;
      events++;
      const k = h.kinds[ev.kind];
      const path = h.components[ev.component];
      if (k.phase === "counter") {
        const uuid = counterTrack(`${ev.component}/${ev.kind}`, k.unit ? `${k.name} (${k.unit})` : k.name, path);
        ps.trackEvent(ns(ev.tick), COUNTER, uuid, undefined, undefined, undefined, ev.values[0] ?? ev.ints[0] ?? 0);
        return;
      }
      const lane = laneFor(ev.component, path, ev.tick);
      const slice = k.phase === "slice";
      ps.trackEvent(ns(ev.tick), slice ? BEGIN : INSTANT, lane.uuid, k.name, kindCategory(k), annotations(k, ev.ints, ev.values));
      lane.freeAt = ev.tick + (slice ? ev.durTicks : 0);
      lane.pendingEnd = slice;
    });
    if (!started) start(header.producer || "rramsim");
    for (const ls of lanes.values()) for (const l of ls) if (l.pendingEnd) end(l);
    for (const [path, rows] of utilisationByComponent(input, opts)) {
      const uuid = counterTrack(`${path}/utilisation`, "utilisation (busy fraction)", path);
      for (const r of rows) ps.trackEvent(ns(r.startTick), COUNTER, uuid, undefined, undefined, undefined, r.busyFraction);
    }
    ps.flush();
    let laneCount = 0;
    for (const ls of lanes.values()) laneCount += ls.length - 1;
    return { output, events, bytes: out.bytes, tracks: 1 + pathTracks.size + counterTracks.size + laneCount };
  });
}

/** The windowed busy fraction of each component, when asked for (an extra two passes over the input). */
export function utilisationByComponent(input: string, opts: TraceExportOptions): Map<string, TraceWindowRow[]> {
  const by = new Map<string, TraceWindowRow[]>();
  if (opts.utilisationWindowTicks === undefined) return by;
  const s = summarizeTrace(input, { filter: opts.filter, windowTicks: opts.utilisationWindowTicks });
  for (const r of s.utilisationWindows) {
    const rows = by.get(r.component);
    if (rows === undefined) by.set(r.component, [r]);
    else rows.push(r);
  }
  return by;
}
