// Export of an rramsim trace to one CSV row per event, for plotting and dataframes: tick and
// duration in ps, component path, kind, phase, up to four integer args (`arg0`..`arg3`, named per
// kind in the summary's kinds.csv) and a counter's value. Streamed to the file; about 50 bytes per
// event.

import { forEachTraceEvent } from "./reader";
import { AtomicOutput } from "./export-common";
import { traceEventFilter, TRACE_FILTER_ALL } from "./filter";
import { csvCell } from "./summary";
import type { TraceExportOptions, TraceExportResult } from "./perfetto";

const FLUSH_CHARS = 1 << 20;

export function exportTraceCsv(input: string, output: string, opts: Pick<TraceExportOptions, "filter"> = {}): TraceExportResult {
  const keep = traceEventFilter(opts.filter ?? TRACE_FILTER_ALL);
  return AtomicOutput.run(output, (out) => {
    let chunk = "tick_ps,dur_ps,component,kind,phase,arg0,arg1,arg2,arg3,value\n";
    let events = 0;
    const seen = new Set<number>();
    const quoted: string[] = [];
    forEachTraceEvent(input, (ev, h) => {
      if (!keep(h, ev.kind, ev.component)) return;
      events++;
      seen.add(ev.component);
      const k = h.kinds[ev.kind];
      const path = (quoted[ev.component] ??= csvCell(h.components[ev.component]));
      const a = ev.ints;
      const value = k.phase === "counter" ? (ev.values[0] ?? a[0] ?? 0) : (ev.values[0] ?? "");
      const args = k.phase === "counter" ? ",,," : `${a[0] ?? ""},${a[1] ?? ""},${a[2] ?? ""},${a[3] ?? ""}`;
      chunk += `${ev.tick},${ev.durTicks},${path},${csvCell(k.name)},${k.phase},${args},${value}\n`;
      if (chunk.length > FLUSH_CHARS) {
        out.write(chunk);
        chunk = "";
      }
    });
    out.write(chunk);
    return { output, events, bytes: out.bytes, tracks: seen.size };
  });
}
