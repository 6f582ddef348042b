// `rramsim trace`: convert a trace to Perfetto or Chrome JSON for viewing, and summarise it as
// tables (text, JSON, CSV). Each calls a typed function from traces/ that the package root exports.

import * as fs from "node:fs";
import * as path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { parseTraceFilter, type TraceFilter } from "../../traces/filter";
import { exportTracePerfetto } from "../../traces/perfetto";
import { exportTraceChrome } from "../../traces/chrome";
import { exportTraceCsv } from "../../traces/csv";
import { summarizeTrace, traceSummaryCsv, type TraceSummary } from "../../traces/summary";
import { formatSi, parseQuantity } from "../../sim/units";
import { choiceArg, numberArg, printJson } from "../io";
import { writeFileAtomic } from "../../sim/files";
import { TICKS_PER_SECOND } from "../../sim/time";

const collect = (v: string, prev: string[]) => [...prev, v];

/** The options `addTraceOptions` adds, as commander parses them. */
export interface TraceCliOptions {
  trace?: string;
  traceFilter: string[];
}

/** Adds `--trace FILE` and `--trace-filter SPEC` (repeatable) to a command that can record a trace. */
export function addTraceOptions(cmd: Command, what = "the run"): Command {
  return cmd.option("--trace <file>", `write a trace of ${what} (see \`rramsim trace\`)`).option("--trace-filter <spec>", "record only kind=GLOB[,GLOB] or path=GLOB[,GLOB] (repeatable)", collect, [] as string[]);
}

/** The `{ file, filter }` a run needs from those options, or undefined when not tracing. */
export function traceTargetFromOptions(opts: TraceCliOptions): { file: string; filter: TraceFilter } | undefined {
  const filter = parseTraceFilter(opts.traceFilter);
  return opts.trace === undefined ? undefined : { file: opts.trace, filter };
}

function timeArg(v: string): number {
  try {
    const t = parseQuantity(v, "time");
    if (t <= 0) throw new Error();
    return t;
  } catch {
    throw new InvalidArgumentError(`'${v}' is not a positive time (e.g. 1us, 500ns, or ticks).`);
  }
}

function printSummary(s: TraceSummary): void {
  const sec = (t: number) => formatSi(t / TICKS_PER_SECOND, "s");
  const lines = [
    `trace ${s.file}: ${s.events} events over ${sec(s.spanTicks)} (${s.producer || "unknown producer"}, schema ${s.schemaVersion})`,
    "",
    `  ${"component".padEnd(32)} ${"slices".padStart(9)} ${"busy".padStart(10)} ${"stalled".padStart(10)} ${"utilisation".padStart(11)}`,
    ...s.components.map((r) => `  ${r.component.padEnd(32)} ${String(r.slices).padStart(9)} ${sec(r.busyTicks).padStart(10)} ${sec(r.stallTicks).padStart(10)} ${(100 * r.utilisation).toFixed(1).padStart(10)}%`),
    "",
    `  ${"kind".padEnd(32)} ${"phase".padEnd(8)} ${"events".padStart(9)} ${"total time".padStart(10)}`,
    ...s.kinds.map((r) => `  ${r.kind.padEnd(32)} ${r.phase.padEnd(8)} ${String(r.events).padStart(9)} ${sec(r.totalDurTicks).padStart(10)}`),
  ];
  if (s.links.length > 0) {
    lines.push("", `  ${"link".padEnd(32)} ${"hops".padStart(9)} ${"bytes".padStart(10)} ${"utilisation".padStart(11)}`);
    for (const r of s.links) lines.push(`  ${r.link.padEnd(32)} ${String(r.hops).padStart(9)} ${String(r.bytes).padStart(10)} ${(100 * r.utilisation).toFixed(1).padStart(10)}%`);
  }
  process.stdout.write(lines.join("\n") + "\n");
}

export function registerTrace(program: Command): void {
  const trace = program.command("trace").description("convert and summarise traces written with --trace");
  trace
    .command("convert <in>")
    .description("convert a trace to Perfetto protobuf (ui.perfetto.dev), Chrome trace-event JSON, or CSV (one row per event)")
    .requiredOption("--to <format>", "perfetto, chrome or csv", choiceArg(["perfetto", "chrome", "csv"] as const))
    .requiredOption("-o, --output <file>", "output file (written atomically)")
    .option("--stretch <x>", "multiply times by x (1000 shows 1 ps as 1 ns)", numberArg(1e-6, 1e9), 1)
    .option("--utilisation-window <time>", "add a utilisation counter per component: busy fraction per window (e.g. 1us)", timeArg)
    .option("--trace-filter <spec>", "keep only kind=GLOB[,GLOB] or path=GLOB[,GLOB] (repeatable)", collect, [] as string[])
    .action((input: string, opts: { to: "perfetto" | "chrome" | "csv"; output: string; stretch: number; utilisationWindow?: number; traceFilter: string[] }) => {
      const filter = parseTraceFilter(opts.traceFilter);
      const exporter = { perfetto: exportTracePerfetto, chrome: exportTraceChrome, csv: exportTraceCsv }[opts.to];
      const r = exporter(input, opts.output, { filter, stretch: opts.stretch, utilisationWindowTicks: opts.utilisationWindow });
      process.stdout.write(`${r.events} events, ${r.tracks} ${opts.to === "csv" ? "components" : "tracks"}, ${r.bytes} bytes → ${r.output}\n`);
    });
  trace
    .command("summarize <in>")
    .alias("summarise")
    .description("busy time and utilisation per component, events per kind, NoC link load, and over-time tables")
    .option("--json", "print the summary as one JSON object")
    .option("--csv <dir>", "write components.csv, kinds.csv, links.csv, utilisation.csv and counters.csv into <dir>")
    .option("--window <time>", "window of the over-time tables (default: span / 100)", timeArg)
    .option("--trace-filter <spec>", "keep only kind=GLOB[,GLOB] or path=GLOB[,GLOB] (repeatable)", collect, [] as string[])
    .action((input: string, opts: { json?: boolean; csv?: string; window?: number; traceFilter: string[] }) => {
      const filter = parseTraceFilter(opts.traceFilter);
      const s = summarizeTrace(input, { filter, windowTicks: opts.window });
      if (opts.csv !== undefined) {
        fs.mkdirSync(opts.csv, { recursive: true });
        for (const [name, text] of Object.entries(traceSummaryCsv(s))) writeFileAtomic(path.join(opts.csv, name), text);
      }
      if (opts.json) printJson(s);
      else printSummary(s);
    });
}
