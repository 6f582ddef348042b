// Summaries of a trace for tables and plots: busy time and utilisation per component (sum of the
// durations of its non-stall slices, over the trace's span from tick 0 to the last event's end),
// event counts per kind, NoC link load from hop slices, busy fraction per component per time
// window, and counters (power, ...) averaged per window as piecewise-constant signals. Two
// streaming passes over the file (the second once the span, hence the window, is known), so
// memory grows with components × windows, not with events.
// What it leaves out: overlapping slices of one component are summed, not merged, so a component
// running several operations at once can show a utilisation above 1 (put phases on the
// sub-component that performs them).

import { forEachTraceEvent } from "./reader";
import { traceEventFilter, TRACE_FILTER_ALL, type TraceFilter } from "./filter";
import type { TracePhase } from "./schema";
import { TICKS_PER_SECOND } from "../sim/time";

export interface TraceSummaryOptions {
  filter?: TraceFilter;
  /** window length for the over-time tables (default: the span / `windows`) */
  windowTicks?: number;
  /** number of windows when windowTicks is not given (default 100) */
  windows?: number;
}

export interface TraceComponentRow {
  component: string;
  slices: number;
  busyTicks: number;
  stallTicks: number;
  utilisation: number;
}

export interface TraceKindRow {
  kind: string;
  phase: TracePhase;
  /** names of the args (arg0, arg1, ...) or of the counter's value */
  argNames: string[];
  events: number;
  totalDurTicks: number;
}

export interface TraceLinkRow {
  link: string;
  hops: number;
  bytes: number;
  busyTicks: number;
  utilisation: number;
}

export interface TraceWindowRow {
  startTick: number;
  component: string;
  busyFraction: number;
}

export interface TraceCounterRow {
  startTick: number;
  component: string;
  kind: string;
  unit: string;
  mean: number;
}

export interface TraceSummary {
  file: string;
  producer: string;
  configHash: string;
  schemaVersion: number;
  events: number;
  /** end of the last event, filtered out or not (ticks from 0) */
  spanTicks: number;
  components: TraceComponentRow[];
  kinds: TraceKindRow[];
  links: TraceLinkRow[];
  windowTicks: number;
  utilisationWindows: TraceWindowRow[];
  counterWindows: TraceCounterRow[];
}

function isHopKind(name: string): boolean {
  return name === "noc.hop" || name.endsWith(".hop");
}

export function summarizeTrace(file: string, opts: TraceSummaryOptions = {}): TraceSummary {
  const keep = traceEventFilter(opts.filter ?? TRACE_FILTER_ALL);
  const comp = new Map<number, { slices: number; busy: number; stall: number }>();
  const kinds = new Map<number, { events: number; dur: number }>();
  const links = new Map<string, { hops: number; bytes: number; busy: number }>();
  let events = 0;
  let span = 0;
  const header = forEachTraceEvent(file, (ev, h) => {
    const end = ev.tick + ev.durTicks;
    if (end > span) span = end; // the span counts every event, so a filter does not change utilisation
    if (!keep(h, ev.kind, ev.component)) return;
    events++;
    const k = h.kinds[ev.kind];
    let kr = kinds.get(ev.kind);
    if (kr === undefined) kinds.set(ev.kind, (kr = { events: 0, dur: 0 }));
    kr.events++;
    kr.dur += ev.durTicks;
    if (k.phase !== "slice") return;
    let cr = comp.get(ev.component);
    if (cr === undefined) comp.set(ev.component, (cr = { slices: 0, busy: 0, stall: 0 }));
    cr.slices++;
    if (k.isStall) cr.stall += ev.durTicks;
    else cr.busy += ev.durTicks;
    if (isHopKind(k.name)) {
      const names = k.argNames ?? [];
      const from = names.indexOf("from");
      const to = names.indexOf("to");
      const bytesAt = names.indexOf("bytes");
      const key = from >= 0 && to >= 0 && ev.ints.length > Math.max(from, to) ? `${ev.ints[from]}->${ev.ints[to]}` : h.components[ev.component];
      let lr = links.get(key);
      if (lr === undefined) links.set(key, (lr = { hops: 0, bytes: 0, busy: 0 }));
      lr.hops++;
      lr.busy += ev.durTicks;
      if (bytesAt >= 0 && bytesAt < ev.ints.length) lr.bytes += ev.ints[bytesAt];
    }
  });

  const util = (busy: number) => (span === 0 ? 0 : busy / span);
  const nWin = Math.max(1, opts.windows ?? 100);
  const W = Math.max(1, opts.windowTicks ?? Math.ceil(span / nWin));
  const winCount = Math.max(1, Math.ceil(span / W));
  const winLen = (w: number) => Math.min(W, span - w * W);

  // Second pass: busy time and counter integrals per window.
  const busyWin = new Map<number, Float64Array>();
  const counters = new Map<string, { comp: number; kind: number; last: number; value: number; integral: Float64Array; covered: Float64Array }>();
  const spread = (s: number, e: number, fn: (w: number, overlap: number) => void) => {
    for (let w = Math.floor(s / W); w * W < e && w < winCount; w++) {
      const overlap = Math.min(e, (w + 1) * W) - Math.max(s, w * W);
      if (overlap > 0) fn(w, overlap);
    }
  };
  forEachTraceEvent(file, (ev, h) => {
    if (!keep(h, ev.kind, ev.component)) return;
    const k = h.kinds[ev.kind];
    if (k.phase === "slice" && !k.isStall && ev.durTicks > 0) {
      let a = busyWin.get(ev.component);
      if (a === undefined) busyWin.set(ev.component, (a = new Float64Array(winCount)));
      const arr = a;
      spread(ev.tick, ev.tick + ev.durTicks, (w, o) => (arr[w] += o));
    } else if (k.phase === "counter") {
      const key = `${ev.component}/${ev.kind}`;
      const value = ev.values[0] ?? ev.ints[0] ?? 0;
      const c = counters.get(key);
      if (c === undefined) {
        counters.set(key, { comp: ev.component, kind: ev.kind, last: ev.tick, value, integral: new Float64Array(winCount), covered: new Float64Array(winCount) });
        return;
      }
      if (ev.tick > c.last) spread(c.last, ev.tick, (w, o) => ((c.integral[w] += o * c.value), (c.covered[w] += o)));
      c.last = Math.max(c.last, ev.tick);
      c.value = value;
    }
  });
  for (const c of counters.values()) spread(c.last, span, (w, o) => ((c.integral[w] += o * c.value), (c.covered[w] += o)));

  const byKey = <T>(rows: T[], k: (r: T) => string) => rows.sort((a, b) => compare(k(a), k(b)));
  const utilisationWindows: TraceWindowRow[] = [];
  for (const [c, a] of byKey([...busyWin], ([id]) => header.components[id])) {
    for (let w = 0; w < winCount; w++) utilisationWindows.push({ startTick: w * W, component: header.components[c], busyFraction: a[w] / winLen(w) });
  }
  const counterWindows: TraceCounterRow[] = [];
  for (const c of byKey([...counters.values()], (x) => `${header.components[x.comp]}/${header.kinds[x.kind].name}`)) {
    const k = header.kinds[c.kind];
    for (let w = 0; w < winCount; w++) {
      if (c.covered[w] > 0) {
        counterWindows.push({ startTick: w * W, component: header.components[c.comp], kind: k.name, unit: k.unit ?? "", mean: c.integral[w] / c.covered[w] });
      }
    }
  }
  return {
    file,
    producer: header.producer,
    configHash: header.configHash,
    schemaVersion: header.schemaVersion,
    events,
    spanTicks: span,
    components: byKey(
      [...comp].map(([c, r]) => ({ component: header.components[c], slices: r.slices, busyTicks: r.busy, stallTicks: r.stall, utilisation: util(r.busy) })),
      (r) => r.component,
    ),
    kinds: byKey(
      [...kinds].map(([k, r]) => ({ kind: header.kinds[k].name, phase: header.kinds[k].phase, argNames: header.kinds[k].argNames ?? [], events: r.events, totalDurTicks: r.dur })),
      (r) => r.kind,
    ),
    links: byKey(
      [...links].map(([link, r]) => ({ link, hops: r.hops, bytes: r.bytes, busyTicks: r.busy, utilisation: util(r.busy) })),
      (r) => r.link,
    ),
    windowTicks: W,
    utilisationWindows,
    counterWindows,
  };
}

/** Code-unit order, independent of locale, so outputs are the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One CSV cell: numbers as JavaScript prints them, text quoted when it holds a comma, quote or newline. */
export function csvCell(v: string | number): string {
  if (typeof v === "number") return String(v);
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csv(head: string[], rows: (string | number)[][]): string {
  return [head, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}

/** The summary as CSV files (name → text): components, kinds, links, utilisation and counters over time. */
export function traceSummaryCsv(s: TraceSummary): Record<string, string> {
  const sec = (t: number) => t / TICKS_PER_SECOND;
  return {
    "components.csv": csv(
      ["component", "slices", "busy_ticks", "busy_s", "stall_ticks", "stall_s", "utilisation"],
      s.components.map((r) => [r.component, r.slices, r.busyTicks, sec(r.busyTicks), r.stallTicks, sec(r.stallTicks), r.utilisation]),
    ),
    "kinds.csv": csv(
      ["kind", "phase", "arg_names", "events", "total_dur_ticks", "total_dur_s"],
      s.kinds.map((r) => [r.kind, r.phase, r.argNames.join(" "), r.events, r.totalDurTicks, sec(r.totalDurTicks)]),
    ),
    "links.csv": csv(
      ["link", "hops", "bytes", "busy_ticks", "busy_s", "utilisation"],
      s.links.map((r) => [r.link, r.hops, r.bytes, r.busyTicks, sec(r.busyTicks), r.utilisation]),
    ),
    "utilisation.csv": csv(
      ["window_start_ticks", "window_start_s", "component", "busy_fraction"],
      s.utilisationWindows.map((r) => [r.startTick, sec(r.startTick), r.component, r.busyFraction]),
    ),
    "counters.csv": csv(
      ["window_start_ticks", "window_start_s", "component", "kind", "unit", "mean"],
      s.counterWindows.map((r) => [r.startTick, sec(r.startTick), r.component, r.kind, r.unit, r.mean]),
    ),
  };
}
