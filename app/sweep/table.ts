// The results of a sweep as a text table: point, varied values and the metrics (breakdowns left
// out); when points failed, a `status` column and, under the table, one line per failed point with
// its error (the error column itself is left out of the table).

import type { SweepOutcome } from "./engine";
import { isFailedPoint, type SweepRow } from "./store";

const fmt = (v: unknown): string => {
  if (typeof v !== "number") return v === null || v === undefined ? "—" : String(v);
  if (v === 0 || Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(3) : String(+v.toPrecision(4));
};

/** The results as a text table: point, varied values and the metrics (breakdowns left out), then the failed points' errors. */
export function formatSweepTable(o: Pick<SweepOutcome, "results">, maxRows = 200, maxFailures = 20): string {
  const cols = o.results.columns.filter((c) => c !== "seed" && c !== "error" && !c.includes("_breakdown_"));
  const rows: string[][] = [cols, ...o.results.rows.slice(0, maxRows).map((r: SweepRow) => cols.map((c) => fmt(r[c])))];
  const widths = cols.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => "  " + r.map((cell, i) => cell.padStart(widths[i])).join("  "));
  if (o.results.rows.length > maxRows) lines.push(`  … ${o.results.rows.length - maxRows} more rows in results.csv`);
  const axes = o.results.sweep.axes;
  const failed = o.results.rows.filter(isFailedPoint);
  for (const r of failed.slice(0, maxFailures)) {
    lines.push(`  point ${String(r.point)} (${axes.map((a) => `${a.path}=${String(r[a.path])}`).join(", ")}) failed: ${String(r.error)}`);
  }
  if (failed.length > maxFailures) lines.push(`  … ${failed.length - maxFailures} more failed points in results.csv`);
  return lines.join("\n") + "\n";
}
