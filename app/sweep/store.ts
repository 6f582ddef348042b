// A sweep's folder: `sweep.json` (the manifest: what is swept, written before any point runs),
// `points.jsonl` (one JSON line per finished point, appended and fsync'ed as each point lands, in
// completion order, keyed by the point's resume key) and the results, one row per point in point
// order, written atomically when the sweep ends: `results.csv` and `results.json`.
// A line cut short by a kill is dropped when the folder is read back, so a point is either
// recorded whole or runs again.
// A point whose runner raised a user-facing error (a RramsimError) is recorded as failed, with its
// one-line message and no metrics: it counts as done on resume (the same inputs fail the same way),
// and when any point failed the results end with two more columns, `status` (ok | failed) and
// `error`, the failed rows' metrics left empty.

import * as fs from "node:fs";
import * as path from "node:path";
import { RramsimError } from "../../sim/errors";
import { writeFileAtomic } from "../../sim/files";
import type { PointMetrics, PointMetric } from "./runner";
import type { SweepShard, SweepValue } from "./spec";

export const SWEEP_FORMAT = "rramsim-sweep/1";
export const MANIFEST_FILE = "sweep.json";
export const POINTS_FILE = "points.jsonl";
export const RESULTS_CSV = "results.csv";
export const RESULTS_JSON = "results.json";

/** One swept field: the path as typed, the full field path it resolved to, its values. */
export interface SweepAxisInfo {
  path: string;
  field: string;
  values: SweepValue[];
}

/** What a sweep is; two folders hold parts of the same sweep when their sweep_id is equal. */
export interface SweepManifest {
  format: typeof SWEEP_FORMAT;
  /** hash of everything below except arch, modules and shard */
  sweep_id: string;
  design: string;
  /** the design file as given */
  arch: string;
  /** hash of the design data after --set */
  base_hash: string;
  runner: string;
  runner_args: unknown;
  seed: number;
  set: string[];
  axes: SweepAxisInfo[];
  /** points in the whole sweep (all shards) */
  points: number;
  shard: SweepShard | null;
  /** modules loaded to register runners (absolute paths) */
  modules: string[];
}

/** A finished point as stored in points.jsonl. */
export interface SweepPointRecord {
  key: string;
  index: number;
  /** the varied values, by path as typed */
  values: Record<string, SweepValue>;
  seed: number;
  /** empty for a failed point */
  metrics: PointMetrics;
  /** set only on a point whose runner raised a user-facing error */
  status?: "failed";
  /** that error's one-line message */
  error?: string;
  /** that error's code (sim/errors.ts) */
  error_code?: string;
}

/** Whether a point record (or a results row) is a failed point. */
export function isFailedPoint(r: { status?: unknown }): boolean {
  return r.status === "failed";
}

/** One row of the results: point, varied values, seed, then metrics. */
export type SweepRow = Record<string, PointMetric>;

/** The contents of results.json. */
export interface SweepResults {
  sweep: Omit<SweepManifest, "sweep_id" | "modules">;
  columns: string[];
  rows: SweepRow[];
}

export function writeManifest(dir: string, m: SweepManifest): void {
  writeFileAtomic(path.join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2) + "\n");
}

export function readManifest(dir: string): SweepManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let m: SweepManifest;
  try {
    m = JSON.parse(fs.readFileSync(file, "utf8")) as SweepManifest;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (not a sweep folder)" : (e as Error).message.split("\n")[0];
    throw new RramsimError("INPUT_FILE", `${file}: cannot read (${why})`);
  }
  if (m === null || typeof m !== "object" || m.format !== SWEEP_FORMAT) throw new RramsimError("INPUT_FILE", `${file}: not a ${SWEEP_FORMAT} manifest`);
  return m;
}

/**
 * Reads the finished points of a folder, by key. A last line cut short (a killed run) is cut off
 * the file so that appends start on a fresh line.
 */
export function readPointRecords(dir: string, repair = false): Map<string, SweepPointRecord> {
  const file = path.join(dir, POINTS_FILE);
  const out = new Map<string, SweepPointRecord>();
  if (!fs.existsSync(file)) return out;
  const text = fs.readFileSync(file, "utf8");
  let good = 0;
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) break;
    const line = text.slice(pos, nl);
    pos = nl + 1;
    if (line.trim() === "") {
      good = pos;
      continue;
    }
    let r: SweepPointRecord;
    try {
      r = JSON.parse(line) as SweepPointRecord;
    } catch {
      throw new RramsimError("INPUT_FILE", `${file}:${text.slice(0, pos).split("\n").length - 1}: not a JSON point record`);
    }
    if (typeof r?.key !== "string" || typeof r.index !== "number" || typeof r.metrics !== "object") {
      throw new RramsimError("INPUT_FILE", `${file}:${text.slice(0, pos).split("\n").length - 1}: not a point record`);
    }
    out.set(r.key, r);
    good = pos;
  }
  if (repair && good < Buffer.byteLength(text)) fs.truncateSync(file, Buffer.byteLength(text.slice(0, good)));
  return out;
}

/** Appends point records durably: each line is written and fsync'ed before the next point counts as done. */
export class PointAppender {
  private readonly fd: number;
  constructor(dir: string) {
    this.fd = fs.openSync(path.join(dir, POINTS_FILE), "a");
  }
  append(r: SweepPointRecord): void {
    fs.writeSync(this.fd, JSON.stringify(r) + "\n");
    fs.fsyncSync(this.fd);
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Rewrites points.jsonl with exactly these records (used by merge). */
export function writePointRecords(dir: string, records: readonly SweepPointRecord[]): void {
  writeFileAtomic(path.join(dir, POINTS_FILE), records.map((r) => JSON.stringify(r) + "\n").join(""));
}

/** The results of the given points (in point order). */
export function buildResults(m: SweepManifest, records: readonly SweepPointRecord[]): SweepResults {
  const labels = m.axes.map((a) => a.path);
  const metricKeys: string[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    for (const k of Object.keys(r.metrics)) {
      if (!seen.has(k)) {
        seen.add(k);
        metricKeys.push(k);
      }
    }
  }
  // the status columns only when a point failed: a sweep without failures keeps its columns
  const anyFailed = records.some(isFailedPoint);
  const columns = ["point", ...labels, "seed", ...metricKeys, ...(anyFailed ? ["status", "error"] : [])];
  const rows = records.map((r) => {
    const row: SweepRow = { point: r.index };
    for (const l of labels) row[l] = r.values[l];
    row.seed = r.seed;
    for (const k of metricKeys) row[k] = r.metrics[k] ?? null;
    if (anyFailed) {
      row.status = isFailedPoint(r) ? "failed" : "ok";
      row.error = r.error ?? null;
    }
    return row;
  });
  const { sweep_id: _id, modules: _modules, ...sweep } = m;
  return { sweep, columns, rows };
}

function csvCell(v: PointMetric | undefined): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV text of the results: a header of column names, then one line per point. */
export function resultsCsv(r: SweepResults): string {
  const lines = [r.columns.map(csvCell).join(",")];
  for (const row of r.rows) lines.push(r.columns.map((c) => csvCell(row[c])).join(","));
  return lines.join("\n") + "\n";
}

/** Writes results.csv and results.json atomically. */
export function writeResults(dir: string, r: SweepResults): void {
  writeFileAtomic(path.join(dir, RESULTS_CSV), resultsCsv(r));
  writeFileAtomic(path.join(dir, RESULTS_JSON), JSON.stringify(r, null, 2) + "\n");
}

/** Reads a folder's results.json. */
export function readSweepResults(dir: string): SweepResults {
  const file = path.join(dir, RESULTS_JSON);
  let r: SweepResults;
  try {
    r = JSON.parse(fs.readFileSync(file, "utf8")) as SweepResults;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file (run rramsim sweep first)" : (e as Error).message.split("\n")[0];
    throw new RramsimError("INPUT_FILE", `${file}: cannot read (${why})`);
  }
  if (r?.sweep?.format !== SWEEP_FORMAT || !Array.isArray(r.columns) || !Array.isArray(r.rows)) throw new RramsimError("INPUT_FILE", `${file}: not ${SWEEP_FORMAT} results`);
  return r;
}
