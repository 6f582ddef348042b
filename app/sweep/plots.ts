// Chart specs (vega-lite) for the results of a design sweep (sim/sweep/store.ts), rendered by
// traces/plot.ts behind `rramsim plot`:
// - `pareto`: a chosen metric (accuracy by default) against TOPS/W (or energy per inference), every
//   point drawn, the Pareto front marked and joined;
// - `breakdown-<group>`: each `<quantity>_breakdown_<unit>.<component>` group as stacked bars, one
//   bar per point;
// - `<metric>-vs-<param>`: each numeric metric against each varied parameter, one line per
//   combination of the other parameters.
// Axis titles carry units, read from the metric key's suffix (_j, _s, _w, _mm2, _lsb, tops_per_w …);
// every chart's title names the design, the runner and the swept parameters.
// Failed points (status "failed", app/sweep/store.ts) have no metrics: every chart leaves them out
// and the subtitle counts them.

import type { VegaLiteSpec } from "../../traces/plot";
import { RramsimError } from "../../sim/errors";
import { metricGoal, paretoFront } from "./pareto";
import { isFailedPoint, type SweepResults, type SweepRow } from "./store";

export interface SweepChart {
  /** file name stem under DIR/plots/ */
  name: string;
  spec: VegaLiteSpec;
}

export interface SweepChartOptions {
  /** Pareto chart's y metric (default: accuracy, else top1, else rmse_lsb, else tops_per_mm2) */
  y?: string;
  /** Pareto chart's x metric (default: tops_per_w, else energy per inference / per MVM / energy_j) */
  x?: string;
}

const BREAKDOWN = /^(.+)_breakdown_([a-z0-9]+)\.(.+)$/;

const UNIT_SUFFIXES: ReadonlyArray<[RegExp, string]> = [
  [/^tops_per_w$/, "TOPS/W"],
  [/^tops_per_mm2$/, "TOPS/mm²"],
  [/^gops_per_w$/, "GOPS/W"],
  [/_ops_per_s$|^ops_per_s$/, "ops/s"],
  [/_per_s$/, "1/s"],
  [/_j$/, "J"],
  [/_s$/, "s"],
  [/_w$/, "W"],
  [/_mm2$/, "mm²"],
  [/_um2$/, "µm²"],
  [/_hz$/, "Hz"],
  [/_lsb$/, "LSB"],
];

/** The unit a metric key names, or null. */
export function metricUnit(key: string): string | null {
  const b = BREAKDOWN.exec(key);
  const k = b ? `${b[1]}_${b[2]}` : key;
  for (const [re, unit] of UNIT_SUFFIXES) if (re.test(k)) return unit;
  return null;
}

const METRIC_NAMES: Record<string, string> = { tops_per_w: "power efficiency", tops_per_mm2: "area efficiency", gops_per_w: "power efficiency", peak_ops_per_s: "peak throughput" };

/** "energy_per_mvm_j" → "energy per MVM (J)". */
export function metricTitle(key: string): string {
  const unit = metricUnit(key);
  const name = (METRIC_NAMES[key] ?? (unit === null ? key : key.replace(/_(j|s|w|mm2|um2|hz|lsb)$/, "")))
    .replace(/_/g, " ")
    .replace(/\bmvms?\b/g, (w) => w.toUpperCase().replace("S", "s"))
    .replace(/\badc\b/g, "ADC")
    .replace(/\brmse\b/g, "RMSE");
  return unit === null ? name : `${name} (${unit})`;
}

/** The results of the charts: the points that have metrics, and how many failed. */
type ChartResults = SweepResults & { failed: number };

function chartTitle(r: ChartResults, what: string): { text: string; subtitle: string } {
  const s = r.sweep;
  const over = s.axes.map((a) => `${a.path} ∈ {${a.values.map(String).join(", ")}}`).join(", ");
  const fixed = s.set.length > 0 ? `; --set ${s.set.join(" ")}` : "";
  const shard = s.shard === null ? "" : `; shard ${s.shard.index}/${s.shard.count}`;
  const points = r.failed > 0 ? `${r.rows.length + r.failed} points, ${r.failed} failed and not drawn` : `${r.rows.length} points`;
  return { text: `${s.design}: ${what}`, subtitle: `${s.runner} sweep over ${over} (${points}, seed ${s.seed}${fixed}${shard})` };
}

function pointLabel(r: SweepResults, row: SweepRow, skip = -1): string {
  return r.sweep.axes
    .filter((_, i) => i !== skip)
    .map((a) => `${a.path}=${String(row[a.path])}`)
    .join(", ");
}

function numericMetrics(r: SweepResults): string[] {
  const params = new Set(["point", "seed", ...r.sweep.axes.map((a) => a.path)]);
  return r.columns.filter((c) => !params.has(c) && !BREAKDOWN.test(c) && r.rows.some((row) => typeof row[c] === "number" && Number.isFinite(row[c] as number)));
}

function firstPresent(candidates: readonly string[], have: readonly string[]): string | undefined {
  return candidates.find((c) => have.includes(c));
}

function fileStem(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, "_");
}

const SIZE = { width: 480, height: 300 };

/** Axis labels with SI prefixes (50n, 2.5M) when the values are very small or very large. */
function axisFormat(values: readonly number[]): { axis?: { format: string } } {
  const m = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  return m > 0 && (m < 1e-2 || m >= 1e4) ? { axis: { format: "~s" } } : {};
}

function paretoChart(r: ChartResults, opts: SweepChartOptions, metrics: string[]): SweepChart | null {
  const x = opts.x ?? firstPresent(["tops_per_w", "energy_per_inference_j", "energy_per_mvm_j", "energy_j"], metrics);
  const y = opts.y ?? firstPresent(["accuracy", "top1", "rmse_lsb", "tops_per_mm2"], metrics);
  if (x === undefined || y === undefined || x === y) return null;
  const xs = r.rows.map((row) => (typeof row[x] === "number" ? (row[x] as number) : NaN));
  const ys = r.rows.map((row) => (typeof row[y] === "number" ? (row[y] as number) : NaN));
  const front = new Set(paretoFront(xs, ys, metricGoal(x), metricGoal(y)));
  const values = r.rows.map((row, i) => ({ x: xs[i], y: ys[i], label: pointLabel(r, row), status: front.has(i) ? "Pareto front" : "dominated" })).filter((v) => Number.isFinite(v.x) && Number.isFinite(v.y));
  const frontValues = values.filter((v) => v.status === "Pareto front").sort((a, b) => a.x - b.x);
  const better = (k: string) => (metricGoal(k) === "max" ? "higher is better" : "lower is better");
  const xAxis = { field: "x", type: "quantitative", title: `${metricTitle(x)}, ${better(x)}`, scale: { zero: false }, ...axisFormat(xs) };
  const yAxis = { field: "y", type: "quantitative", title: `${metricTitle(y)}, ${better(y)}`, scale: { zero: false }, ...axisFormat(ys) };
  return {
    name: `pareto-${fileStem(y)}-vs-${fileStem(x)}`,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: chartTitle(r, `${metricTitle(y)} against ${metricTitle(x)}, Pareto front marked`),
      ...SIZE,
      layer: [
        { data: { values: frontValues }, mark: { type: "line", color: "#d62728", strokeDash: [4, 3] }, encoding: { x: xAxis, y: yAxis } },
        {
          data: { values },
          mark: { type: "point", filled: true, size: 60 },
          encoding: {
            x: xAxis,
            y: yAxis,
            color: { field: "status", type: "nominal", title: null, scale: { domain: ["Pareto front", "dominated"], range: ["#d62728", "#7f7f7f"] } },
            shape: { field: "status", type: "nominal", title: null },
          },
        },
      ],
    },
  };
}

function breakdownCharts(r: ChartResults): SweepChart[] {
  const groups = new Map<string, { unit: string; cols: [string, string][] }>();
  for (const c of r.columns) {
    const m = BREAKDOWN.exec(c);
    if (m === null) continue;
    const g = `${m[1]}_breakdown_${m[2]}`;
    if (!groups.has(g)) groups.set(g, { unit: m[2], cols: [] });
    groups.get(g)!.cols.push([c, m[3]]);
  }
  const out: SweepChart[] = [];
  for (const [g, { cols }] of groups) {
    const quantity = g.replace(/_breakdown_[a-z0-9]+$/, "");
    const yTitle = metricTitle(`${quantity}_${g.split("_").pop()}`);
    const order = r.rows.map((row) => pointLabel(r, row));
    const values = r.rows.flatMap((row, i) => cols.filter(([c]) => typeof row[c] === "number").map(([c, component]) => ({ point: order[i], component, value: row[c] as number })));
    const totals = r.rows.map((row) => cols.reduce((t, [c]) => t + (typeof row[c] === "number" ? (row[c] as number) : 0), 0));
    out.push({
      name: `breakdown-${fileStem(quantity)}`,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: chartTitle(r, `${yTitle.replace(/ \(.*\)$/, "")} by component`),
        ...SIZE,
        data: { values },
        mark: "bar",
        encoding: {
          x: { field: "point", type: "ordinal", title: "point (" + r.sweep.axes.map((a) => a.path).join(", ") + ")", sort: order },
          y: { field: "value", type: "quantitative", aggregate: "sum", stack: "zero", title: yTitle, ...axisFormat(totals) },
          color: { field: "component", type: "nominal", title: "component", scale: { scheme: "tableau20" } },
        },
      },
    });
  }
  return out;
}

/** Whether metric `m` equals the value of the varied field `path` at every point. */
function echoesAxis(r: SweepResults, m: string, path: string): boolean {
  return r.rows.length > 0 && r.rows.every((row) => row[m] === row[path]);
}

function lineCharts(r: ChartResults, metrics: string[]): SweepChart[] {
  const out: SweepChart[] = [];
  r.sweep.axes.forEach((axis, a) => {
    const numeric = axis.values.every((v) => typeof v === "number");
    for (const m of metrics) {
      // a metric that only echoes a varied field (adc_bits for adc.bits) is no chart
      if (echoesAxis(r, m, axis.path)) continue;
      const values = r.rows
        .filter((row) => typeof row[m] === "number" && Number.isFinite(row[m] as number))
        .map((row) => ({ x: numeric ? row[axis.path] : String(row[axis.path]), y: row[m] as number, series: pointLabel(r, row, a) || "all" }));
      const encoding: Record<string, unknown> = {
        x: numeric ? { field: "x", type: "quantitative", title: axis.path, scale: { zero: false }, axis: { tickMinStep: 1 } } : { field: "x", type: "ordinal", title: axis.path, sort: axis.values.map(String) },
        y: { field: "y", type: "quantitative", title: metricTitle(m), scale: { zero: false }, ...axisFormat(values.map((v) => v.y)) },
      };
      if (r.sweep.axes.length > 1)
        encoding.color = {
          field: "series",
          type: "nominal",
          title: r.sweep.axes
            .filter((_, i) => i !== a)
            .map((x) => x.path)
            .join(", "),
        };
      out.push({
        name: `${fileStem(m)}-vs-${fileStem(axis.path)}`,
        spec: {
          $schema: "https://vega.github.io/schema/vega-lite/v6.json",
          title: chartTitle(r, `${metricTitle(m)} against ${axis.path}`),
          ...SIZE,
          data: { values },
          mark: { type: "line", point: true },
          encoding,
        },
      });
    }
  });
  return out;
}

/** Every chart of a sweep's results (failed points left out). */
export function sweepCharts(results: SweepResults, opts: SweepChartOptions = {}): SweepChart[] {
  const rows = results.rows.filter((row) => !isFailedPoint(row));
  const r: ChartResults = { ...results, rows, failed: results.rows.length - rows.length };
  const metrics = numericMetrics(r);
  for (const k of [opts.x, opts.y]) {
    if (k !== undefined && !metrics.includes(k)) throw new RramsimError("CLI_ARGUMENT", `plot: no numeric metric '${k}' in the results (have: ${metrics.join(", ")})`);
  }
  const pareto = paretoChart(r, opts, metrics);
  return [...(pareto === null ? [] : [pareto]), ...breakdownCharts(r), ...lineCharts(r, metrics)];
}
