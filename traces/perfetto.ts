// Export of an rramsim trace to Perfetto's native protobuf format (open it at ui.perfetto.dev).
// One track per component, nested by path (chip › tile[0] › mvmu[1]) under a process track; slices
// become SLICE_BEGIN/SLICE_END pairs, instants INSTANT events, counters COUNTER events on a
// counter track per component and kind. Timestamps are ns (ticks / 1000, rounded, times `stretch`).
// Perfetto requires the slices of one track to nest; rramsim slices of one component may overlap
// (a pipelined unit), so overlapping slices go to extra "lane" tracks beside the component's
// (`adc #2`). Every track's timestamps are then non-decreasing, provided each component's events
// arrive in start order (true of event-driven producers; counters are written as they come).
// Streaming: packets are encoded in batches of one Trace message each and appended to the file.
// With a utilisation window it adds a "utilisation" counter track per component (busy fraction per
// window, from its slices, as in traces/summary.ts).
// What it leaves out: interned strings, flows between tracks, and sub-ns resolution (use stretch).

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
const BATCH = 2048;

interface Lane {
  uuid: number;
  /** tick at which the lane is free; the slice that ends there has its END pending */
  freeAt: number;
  pendingEnd: boolean;
}

type Packet = Record<string, unknown>;

export function exportTracePerfetto(input: string, output: string, opts: TraceExportOptions = {}): TraceExportResult {
  const keep = traceEventFilter(opts.filter ?? TRACE_FILTER_ALL);
  const scale = (opts.stretch ?? 1) / 1000;
  const Trace = perfettoProtoRoot().lookupType("perfetto.protos.Trace");
  return AtomicOutput.run(output, (out) => {
    let batch: Packet[] = [];
    const emit = (p: Packet) => {
      batch.push(p);
      if (batch.length >= BATCH) flush();
    };
    const flush = () => {
      if (batch.length === 0) return;
      out.write(Trace.encode(Trace.fromObject({ packet: batch })).finish());
      batch = [];
    };
    const ns = (tick: number) => Math.round(tick * scale);

    let nextUuid = 1;
    const rootUuid = nextUuid++;
    const pathTracks = new Map<string, number>();
    const descriptor = (uuid: number, name: string, parent: number, extra: Packet = {}) =>
      emit({ trustedPacketSequenceId: SEQ, trackDescriptor: { uuid, name, parentUuid: parent, ...extra } });
    const pathTrack = (p: string): number => {
      const known = pathTracks.get(p);
      if (known !== undefined) return known;
      const dot = lastDot(p);
      const parent = dot < 0 ? rootUuid : pathTrack(p.slice(0, dot));
      const uuid = nextUuid++;
      pathTracks.set(p, uuid);
      descriptor(uuid, p.slice(dot + 1), parent);
      return uuid;
    };
    const lanes = new Map<number, Lane[]>(); // component id → lanes (lane 0 is the component's track)
    const counterTracks = new Map<string, number>();
    let started = false;
    let events = 0;

    const laneFor = (comp: number, path: string, tick: number): Lane => {
      let ls = lanes.get(comp);
      if (ls === undefined) {
        ls = [{ uuid: pathTrack(path), freeAt: 0, pendingEnd: false }];
        lanes.set(comp, ls);
      }
      for (const l of ls) {
        if (l.freeAt <= tick) {
          if (l.pendingEnd) emit(endPacket(l));
          return l;
        }
      }
      const dot = lastDot(path);
      const l: Lane = { uuid: nextUuid++, freeAt: 0, pendingEnd: false };
      descriptor(l.uuid, `${path.slice(dot + 1)} #${ls.length + 1}`, dot < 0 ? rootUuid : pathTrack(path.slice(0, dot)));
      ls.push(l);
      return l;
    };
    const endPacket = (l: Lane): Packet => {
      l.pendingEnd = false;
      return { timestamp: ns(l.freeAt), trustedPacketSequenceId: SEQ, sequenceFlags: NEEDS_INCREMENTAL_STATE, trackEvent: { type: END, trackUuid: l.uuid } };
    };
    const annotations = (k: TraceKindSpec, ints: number[], values: number[]) => [
      ...ints.map((v, i) => ({ name: argName(k, i), intValue: v })),
      ...values.map((v, i) => ({ name: argName(k, ints.length + i), doubleValue: v })),
    ];

    const start = (name: string) => {
      started = true;
      emit({
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
        const key = `${ev.component}/${ev.kind}`;
        let uuid = counterTracks.get(key);
        if (uuid === undefined) {
          uuid = nextUuid++;
          counterTracks.set(key, uuid);
          descriptor(uuid, k.unit ? `${k.name} (${k.unit})` : k.name, pathTrack(path), { counter: {} });
        }
        emit({
          timestamp: ns(ev.tick),
          trustedPacketSequenceId: SEQ,
          sequenceFlags: NEEDS_INCREMENTAL_STATE,
          trackEvent: { type: COUNTER, trackUuid: uuid, doubleCounterValue: ev.values[0] ?? ev.ints[0] ?? 0 },
        });
        return;
      }
      const lane = laneFor(ev.component, path, ev.tick);
      const slice = k.phase === "slice";
      emit({
        timestamp: ns(ev.tick),
        trustedPacketSequenceId: SEQ,
        sequenceFlags: NEEDS_INCREMENTAL_STATE,
        trackEvent: {
          type: slice ? BEGIN : INSTANT,
          trackUuid: lane.uuid,
          name: k.name,
          categories: [kindCategory(k)],
          debugAnnotations: annotations(k, ev.ints, ev.values),
        },
      });
      lane.freeAt = ev.tick + (slice ? ev.dur : 0);
      lane.pendingEnd = slice;
    });
    if (!started) start(header.producer || "rramsim");
    for (const ls of lanes.values()) for (const l of ls) if (l.pendingEnd) emit(endPacket(l));
    for (const [path, rows] of utilisationByComponent(input, opts)) {
      const uuid = nextUuid++;
      counterTracks.set(`${path}/utilisation`, uuid);
      descriptor(uuid, "utilisation (busy fraction)", pathTrack(path), { counter: {} });
      for (const r of rows) {
        emit({
          timestamp: ns(r.startTick),
          trustedPacketSequenceId: SEQ,
          sequenceFlags: NEEDS_INCREMENTAL_STATE,
          trackEvent: { type: COUNTER, trackUuid: uuid, doubleCounterValue: r.busyFraction },
        });
      }
    }
    flush();
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

function lastDot(p: string): number {
  return p.lastIndexOf(".");
}
