// Export of an rramsim trace to Chrome trace-event JSON (chrome://tracing, ui.perfetto.dev): `X`
// complete events for slices (ts and dur in µs), `i` for instants, `C` for counters, `M` metadata
// naming the process and one thread per component. The JSON is streamed to the file, but it is
// ~100 bytes per event and viewers load it whole: use it for small runs, Perfetto for long ones.

import { forEachTraceEvent } from "./reader";
import { AtomicOutput, argName, kindCategory } from "./export-common";
import { traceEventFilter, TRACE_FILTER_ALL } from "./filter";
import { utilisationByComponent, type TraceExportOptions, type TraceExportResult } from "./perfetto";

const FLUSH_CHARS = 1 << 20;

export function exportTraceChrome(input: string, output: string, opts: TraceExportOptions = {}): TraceExportResult {
  const keep = traceEventFilter(opts.filter ?? TRACE_FILTER_ALL);
  const us = (opts.stretch ?? 1) / 1e6;
  return AtomicOutput.run(output, (out) => {
    let chunk = '{"displayTimeUnit":"ns","traceEvents":[\n';
    let first = true;
    const push = (o: unknown) => {
      chunk += (first ? "" : ",\n") + JSON.stringify(o);
      first = false;
      if (chunk.length > FLUSH_CHARS) {
        out.write(chunk);
        chunk = "";
      }
    };
    const named = new Set<number>();
    let events = 0;
    let producer = "";
    const header = forEachTraceEvent(input, (ev, h) => {
      if (producer === "") {
        producer = h.producer || "rramsim";
        push({ ph: "M", pid: 1, tid: 0, name: "process_name", args: { name: producer } });
      }
      if (!keep(h, ev.kind, ev.component)) return;
      events++;
      const k = h.kinds[ev.kind];
      const path = h.components[ev.component];
      const tid = ev.component + 1;
      if (!named.has(tid)) {
        named.add(tid);
        push({ ph: "M", pid: 1, tid, name: "thread_name", args: { name: path } });
        push({ ph: "M", pid: 1, tid, name: "thread_sort_index", args: { sort_index: tid } });
      }
      if (k.phase === "counter") {
        push({ ph: "C", pid: 1, tid, ts: ev.tick * us, name: `${path} ${k.name}`, args: { [k.unit || "value"]: ev.values[0] ?? ev.ints[0] ?? 0 } });
        return;
      }
      const args: Record<string, number> = {};
      ev.ints.forEach((v, i) => (args[argName(k, i)] = v));
      ev.values.forEach((v, i) => (args[argName(k, ev.ints.length + i)] = v));
      if (k.phase === "slice") push({ ph: "X", pid: 1, tid, ts: ev.tick * us, dur: ev.durTicks * us, name: k.name, cat: kindCategory(k), args });
      else push({ ph: "i", s: "t", pid: 1, tid, ts: ev.tick * us, name: k.name, cat: kindCategory(k), args });
    });
    if (producer === "") push({ ph: "M", pid: 1, tid: 0, name: "process_name", args: { name: header.producer || "rramsim" } });
    for (const [path, rows] of utilisationByComponent(input, opts)) {
      const tid = header.components.indexOf(path) + 1;
      for (const r of rows) push({ ph: "C", pid: 1, tid, ts: r.startTick * us, name: `${path} utilisation`, args: { fraction: r.busyFraction } });
    }
    out.write(chunk + "\n]}\n");
    return { output, events, bytes: out.bytes, tracks: named.size };
  });
}
