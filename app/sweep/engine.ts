// The sweep engine behind `rramsim sweep`: the cross product of `--vary` overrides on a design,
// every point validated before anything runs, points run by a point runner (app/sweep/runner.ts)
// in worker threads, each finished point appended durably to the sweep folder, and the results
// written in point order at the end.
//
// Determinism: a point's seed is a hash of the run seed and the point's overrides (full field
// paths and values), so it does not depend on the point's index, on the shard or on which thread
// ran it; results are ordered by point index whatever order points finish in.
// Resume: a point's key hashes (runner, design data after --set, overrides, seed, runner args); a
// run skips the points whose key is already in the folder's points.jsonl.
// Failures: a point whose runner throws a RramsimError (a user-facing error: a value the models
// refuse at that point) is recorded as failed with its message and the sweep goes on; it counts as
// done on resume, since the same inputs fail the same way. Any other exception (a bug) or a worker
// thread that dies stops the sweep, the points already recorded staying in the folder.
// One file of about 440 lines: planning, running and merging share the manifest, the point
// keys and the seeds; the worker pool is the part to move out when it grows.

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { RramsimError } from "../../sim/errors";
import { readConfigFile } from "../../sim/config";
import { applyOverrides, resolveFieldPath, setAtPath } from "../../sim/overrides";
import { DEFAULT_SEED, streamSeed } from "../../sim/random";
import { chipConfigSchema, chipDesignFromData, type ChipDesign } from "../../arch/chip/params";
import { enumeratePoints, parseVary, shardPoints, type SweepShard, type SweepValue } from "./spec";
import { checkRunnerFlags, defaultPointRunner, getPointRunner, pointRunnerNames, type PointMetrics, type PointRunner, type PointRunnerFlags } from "./runner";
import {
  PointAppender,
  SWEEP_FORMAT,
  buildResults,
  isFailedPoint,
  readManifest,
  readPointRecords,
  writeManifest,
  writePointRecords,
  writeResults,
  type SweepAxisInfo,
  type SweepManifest,
  type SweepPointRecord,
  type SweepResults,
} from "./store";
import { BUILTIN_RUNNERS } from "./builtin-runners";

/** What to sweep (the flags of `rramsim sweep`, checked by planSweep). */
export interface SweepRequest {
  /** design file (configs/arch/*.yaml) */
  arch: string;
  /** point runner name (default: run when registered, else cost) */
  runner?: string;
  /** the runner's own flags (--samples, --fidelity, …), as strings */
  runnerFlags?: PointRunnerFlags;
  /** `PATH=SPEC` */
  vary: readonly string[];
  /** `PATH=VALUE`, applied to every point */
  set?: readonly string[];
  /** run seed (default 1) */
  seed?: number;
  shard?: SweepShard;
  /** modules that register point runners (loaded here and in every worker) */
  modules?: readonly string[];
}

/** One point to run. */
export interface SweepPlanPoint {
  index: number;
  values: SweepValue[];
  seed: number;
  key: string;
  /** "adc.bits=6, crossbar.rows=64" */
  label: string;
}

/** A checked sweep: every point of this shard validated, nothing run or written yet. */
export interface SweepPlan {
  manifest: SweepManifest;
  runner: PointRunner<unknown>;
  args: unknown;
  /** this shard's points, in point order */
  points: SweepPlanPoint[];
  /** modules a worker thread loads to find the runner; null: the runner can only run in this thread */
  workerModules: string[] | null;
  /** design data with --set applied */
  base: unknown;
}

/** A point's design data: the base with the point's overrides (built when needed, not kept per point). */
export function sweepPointData(plan: Pick<SweepPlan, "base" | "manifest">, values: readonly SweepValue[]): unknown {
  let raw = plan.base;
  plan.manifest.axes.forEach((a, i) => (raw = setAtPath(raw, a.field, values[i])));
  return raw;
}

/** JSON with object keys sorted, for hashing. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(",")}}`;
}

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/** A point's overrides as sorted (full field path, value) pairs. */
function overridePairs(fields: readonly string[], values: readonly SweepValue[]): [string, SweepValue][] {
  return fields.map((f, i) => [f, values[i]] as [string, SweepValue]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The seed of a point: the run seed mixed with its overrides (not its index). */
export function sweepPointSeed(runSeed: number, fields: readonly string[], values: readonly SweepValue[]): number {
  return streamSeed(runSeed, canonicalJson(overridePairs(fields, values))) & 0x7fffffff;
}

/** The resume key of a point. */
export function sweepPointKey(m: Pick<SweepManifest, "runner" | "base_hash" | "runner_args">, fields: readonly string[], values: readonly SweepValue[], seed: number): string {
  return sha256(canonicalJson({ runner: m.runner, base: m.base_hash, overrides: overridePairs(fields, values), seed, args: m.runner_args })).slice(0, 32);
}

function sweepId(m: Omit<SweepManifest, "sweep_id">): string {
  return sha256(canonicalJson({ format: m.format, design: m.design, base: m.base_hash, runner: m.runner, args: m.runner_args, seed: m.seed, set: m.set, axes: m.axes.map((a) => [a.field, a.values]), points: m.points })).slice(
    0,
    32,
  );
}

function loadModules(modules: readonly string[]): string[] {
  return modules.map((m) => {
    const abs = path.resolve(m);
    try {
      require(abs);
    } catch (e) {
      if (e instanceof RramsimError) throw e;
      throw new RramsimError("INPUT_FILE", `${m}: cannot load runner module (${(e as Error).message.split("\n")[0]})`);
    }
    return abs;
  });
}

/** Points of the plan from a manifest: values, seeds and keys (design data left out). */
function manifestPoints(m: SweepManifest): { index: number; values: SweepValue[]; seed: number; key: string }[] {
  const fields = m.axes.map((a) => a.field);
  return enumeratePoints(m.axes.map((a) => ({ path: a.path, values: a.values }))).map((values, index) => {
    const seed = sweepPointSeed(m.seed, fields, values);
    return { index, values, seed, key: sweepPointKey(m, fields, values, seed) };
  });
}

/** Checks a sweep completely (paths, values, every point's design, runner flags); writes nothing. */
export function planSweep(req: SweepRequest): SweepPlan {
  const before = new Set(pointRunnerNames());
  const modules = loadModules(req.modules ?? []);
  const runnerName = req.runner ?? defaultPointRunner();
  const runner = getPointRunner(runnerName);
  const workerModules = BUILTIN_RUNNERS.has(runnerName) || !before.has(runnerName) ? modules : runner.module !== undefined ? [...modules, runner.module] : null;
  const flags = req.runnerFlags ?? {};
  checkRunnerFlags(runnerName, runner, flags);
  const args = runner.parseArgs(flags);
  if (req.vary.length === 0) throw new RramsimError("CLI_ARGUMENT", "sweep: give at least one --vary PATH=SPEC");
  const seed = req.seed ?? DEFAULT_SEED;

  const set = [...(req.set ?? [])];
  const base = applyOverrides(chipConfigSchema, readConfigFile(req.arch), set);
  const setFields = new Set(set.map((s) => resolveFieldPath(chipConfigSchema, s.slice(0, Math.max(0, s.indexOf("="))).trim())));
  const baseDesign = chipDesignFromData(base, set.length > 0 ? `${req.arch} (with --set)` : req.arch);

  const axes: SweepAxisInfo[] = [];
  for (const text of req.vary) {
    const a = parseVary(text);
    let field: string;
    try {
      field = resolveFieldPath(chipConfigSchema, a.path);
    } catch (e) {
      if (e instanceof RramsimError) throw new RramsimError(e.code, e.message.replace(/^--set /, "--vary "));
      throw e;
    }
    const twice = axes.find((x) => x.field === field);
    if (twice !== undefined) throw new RramsimError("CLI_ARGUMENT", `--vary ${a.path}: the field ${field} is already varied (as ${twice.path})`);
    if (setFields.has(field)) throw new RramsimError("CLI_ARGUMENT", `--vary ${a.path}: the field ${field} is also fixed by --set`);
    axes.push({ path: a.path, field, values: a.values });
  }
  const fields = axes.map((a) => a.field);
  const all = enumeratePoints(axes);

  const partial: Omit<SweepManifest, "sweep_id"> = {
    format: SWEEP_FORMAT,
    design: baseDesign.config.name,
    arch: req.arch,
    base_hash: sha256(canonicalJson(base)).slice(0, 32),
    runner: runnerName,
    runner_args: args,
    seed,
    set,
    axes,
    points: all.length,
    shard: req.shard ?? null,
    modules,
  };
  const manifest: SweepManifest = { sweep_id: sweepId(partial), ...partial };

  const points: SweepPlanPoint[] = [];
  for (const index of shardPoints(all.length, req.shard)) {
    const values = all[index];
    const raw = sweepPointData({ base, manifest }, values);
    const label = axes.map((a, i) => `${a.path}=${String(values[i])}`).join(", ");
    const design = chipDesignFromData(raw, `${req.arch} (${label})`);
    runner.checkPoint?.(design, args);
    const pointSeed = sweepPointSeed(seed, fields, values);
    points.push({ index, values, seed: pointSeed, key: sweepPointKey(manifest, fields, values, pointSeed), label });
  }
  return { manifest, runner, args, points, workerModules, base };
}

/** Progress of a running sweep, reported after each point. */
export interface SweepProgress {
  /** points of this shard finished (reused ones included) */
  done: number;
  total: number;
  /** points found in the folder, not run again */
  reused: number;
  /** the point that just finished (absent for the initial report); `error`: it failed with this message */
  point?: { index: number; label: string; error?: string };
}

export interface SweepRunOptions {
  /** worker threads (default: the runner's defaultJobs, else the available cores); 1 runs in this thread */
  jobs?: number;
  onProgress?: (p: SweepProgress) => void;
}

/** What a sweep did. */
export interface SweepOutcome {
  dir: string;
  manifest: SweepManifest;
  /** points run now */
  ran: number;
  /** points found in the folder */
  reused: number;
  /** points of the results recorded as failed (run now or found in the folder) */
  failed: number;
  /** worker threads used (0: the points ran in this thread) */
  workers: number;
  results: SweepResults;
}

/** What running one point gave: its metrics, or the user-facing error its runner raised. */
export type PointResult = { metrics: PointMetrics } | { failure: { code: string; message: string } };

/** An error message on one line (a point's error is one CSV cell and one line of the table). */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, "; ").trim();
}

function pointRecord(plan: SweepPlan, p: SweepPlanPoint, result: PointResult): SweepPointRecord {
  const values: Record<string, SweepValue> = {};
  plan.manifest.axes.forEach((a, i) => (values[a.path] = p.values[i]));
  const base = { key: p.key, index: p.index, values, seed: p.seed };
  if ("metrics" in result) return { ...base, metrics: result.metrics };
  return { ...base, metrics: {}, status: "failed", error: oneLine(result.failure.message), error_code: result.failure.code };
}

/** Where this file's worker entry is, and how a fresh thread can load TypeScript sources. */
function workerBootstrap(): { code: string; data: { tsNode: string | null; tsconfig: string; entry: string } } {
  const ts = __filename.endsWith(".ts");
  const entry = path.join(__dirname, `worker${ts ? ".ts" : ".js"}`);
  const code = [
    "const { workerData } = require('node:worker_threads');",
    "if (workerData.tsNode) require(workerData.tsNode).register({ transpileOnly: true, project: workerData.tsconfig });",
    "require(workerData.entry);",
  ].join("\n");
  return { code, data: { tsNode: ts ? require.resolve("ts-node") : null, tsconfig: path.join(__dirname, "..", "..", "tsconfig.json"), entry } };
}

/** Messages between the engine and its workers. */
export type SweepWorkerRequest = { kind: "point"; index: number; runner: string; args: unknown; raw: unknown; source: string; seed: number };
export type SweepWorkerReply = { kind: "done"; index: number; metrics: PointMetrics } | { kind: "error"; index: number; code: string | null; message: string };

/** Runs one point in this thread (also the worker's job). */
export async function runSweepPoint(runner: PointRunner<unknown>, args: unknown, raw: unknown, source: string, seed: number): Promise<PointMetrics> {
  const design: ChipDesign = chipDesignFromData(raw, source);
  return await runner.runPoint({ design, args, seed });
}

async function runInWorkers(plan: SweepPlan, todo: SweepPlanPoint[], jobs: number, onDone: (p: SweepPlanPoint, r: PointResult) => void): Promise<void> {
  const boot = workerBootstrap();
  const workers: Worker[] = [];
  const queue = [...todo];
  const byIndex = new Map(todo.map((p) => [p.index, p]));
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      let failed = false;
      const fail = (e: Error) => {
        if (!failed) {
          failed = true;
          reject(e);
        }
      };
      const next = (w: Worker) => {
        const p = queue.shift();
        if (p === undefined) return;
        const msg: SweepWorkerRequest = { kind: "point", index: p.index, runner: plan.manifest.runner, args: plan.args, raw: sweepPointData(plan, p.values), source: `${plan.manifest.arch} (${p.label})`, seed: p.seed };
        w.postMessage(msg);
      };
      for (let i = 0; i < jobs; i++) {
        const w = new Worker(boot.code, { eval: true, workerData: { ...boot.data, modules: plan.workerModules } });
        workers.push(w);
        w.on("message", (m: SweepWorkerReply) => {
          if (failed) return;
          const p = byIndex.get(m.index) as SweepPlanPoint;
          // an internal error (no RramsimError code) stops the sweep; a user-facing one is the point's result
          if (m.kind === "error" && m.code === null) {
            fail(new Error(`sweep point ${p.index} (${p.label}): ${m.message}`));
            return;
          }
          try {
            onDone(p, m.kind === "done" ? { metrics: m.metrics } : { failure: { code: m.code as string, message: m.message } });
          } catch (e) {
            fail(e as Error);
            return;
          }
          if (++finished === todo.length) resolve();
          else next(w);
        });
        w.on("error", (e) => fail(e));
        w.on("exit", (code) => {
          if (code !== 0) fail(new Error(`sweep worker exited with code ${code}`));
        });
        next(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Default worker count: the cores this process may use. */
export function defaultSweepJobs(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** Runs a planned sweep into `dir`, skipping points already there; writes the results files. */
export async function executeSweep(plan: SweepPlan, dir: string, opts: SweepRunOptions = {}): Promise<SweepOutcome> {
  fs.mkdirSync(dir, { recursive: true });
  const found = readPointRecords(dir, true);
  const have = new Map<string, SweepPointRecord>();
  const todo: SweepPlanPoint[] = [];
  for (const p of plan.points) {
    const r = found.get(p.key);
    if (r !== undefined) have.set(p.key, { ...r, index: p.index });
    else todo.push(p);
  }
  const reused = have.size;
  writeManifest(dir, plan.manifest);
  const total = plan.points.length;
  opts.onProgress?.({ done: reused, total, reused });
  const appender = new PointAppender(dir);
  let workers: number;
  try {
    const onDone = (p: SweepPlanPoint, result: PointResult) => {
      const rec = pointRecord(plan, p, result);
      appender.append(rec);
      have.set(p.key, rec);
      opts.onProgress?.({ done: have.size, total, reused, point: { index: p.index, label: p.label, ...(rec.error === undefined ? {} : { error: rec.error }) } });
    };
    const jobs = Math.max(1, Math.min(opts.jobs ?? plan.runner.defaultJobs ?? defaultSweepJobs(), todo.length));
    // a runner that worker threads cannot find (registered by a script, no module) runs here
    workers = jobs > 1 && plan.workerModules !== null ? jobs : 0;
    if (workers > 0) await runInWorkers(plan, todo, workers, onDone);
    else {
      for (const p of todo) {
        let result: PointResult;
        try {
          result = { metrics: await runSweepPoint(plan.runner, plan.args, sweepPointData(plan, p.values), `${plan.manifest.arch} (${p.label})`, p.seed) };
        } catch (e) {
          if (!(e instanceof RramsimError)) throw e;
          result = { failure: { code: e.code, message: e.message } };
        }
        onDone(p, result);
      }
    }
  } finally {
    appender.close();
  }
  const records = plan.points.map((p) => have.get(p.key) as SweepPointRecord);
  const results = buildResults(plan.manifest, records);
  writeResults(dir, results);
  return { dir, manifest: plan.manifest, ran: todo.length, reused, failed: records.filter(isFailedPoint).length, workers, results };
}

/** `rramsim sweep`: plans (checking everything first), then runs into `out`. */
export async function runSweep(req: SweepRequest, out: string, opts: SweepRunOptions = {}): Promise<SweepOutcome> {
  return executeSweep(planSweep(req), out, opts);
}

function describeDifference(a: SweepManifest, b: SweepManifest): string {
  const fields: [string, (m: SweepManifest) => unknown][] = [
    ["design", (m) => m.design],
    ["design data (file contents or --set)", (m) => [m.base_hash, m.set]],
    ["runner", (m) => m.runner],
    ["runner flags", (m) => m.runner_args],
    ["seed", (m) => m.seed],
    ["--vary", (m) => m.axes.map((x) => [x.field, x.values])],
  ];
  for (const [name, f] of fields) if (canonicalJson(f(a)) !== canonicalJson(f(b))) return `${name} differ${name.endsWith("s") ? "" : "s"}`;
  return "sweep ids differ";
}

/** `rramsim sweep merge`: joins the folders of one sweep's shards into `out`; refuses mixed sweeps and missing points. */
export function mergeSweeps(dirs: readonly string[], out: string): SweepOutcome {
  if (dirs.length === 0) throw new RramsimError("CLI_ARGUMENT", "sweep merge: give the shard folders to merge");
  const manifests = dirs.map(readManifest);
  const first = manifests[0];
  manifests.forEach((m, i) => {
    if (m.sweep_id !== first.sweep_id) throw new RramsimError("SWEEP_MISMATCH", `sweep merge: ${dirs[i]} and ${dirs[0]} hold different sweeps (${describeDifference(m, first)})`);
  });
  const found = new Map<string, SweepPointRecord>();
  dirs.forEach((d) => {
    for (const [k, r] of readPointRecords(d)) found.set(k, r);
  });
  const points = manifestPoints(first);
  const missing = points.filter((p) => !found.has(p.key));
  if (missing.length > 0) {
    const m = missing[0];
    const label = first.axes.map((a, i) => `${a.path}=${String(m.values[i])}`).join(", ");
    const counts = first.shard === null ? "" : `; shards of ${first.shard.count}: ${[...new Set(missing.map((p) => p.index % (first.shard as SweepShard).count))].join(", ")} incomplete`;
    throw new RramsimError("SWEEP_INCOMPLETE", `sweep merge: ${missing.length} of ${points.length} points are missing (first: point ${m.index}, ${label}${counts})`);
  }
  const records = points.map((p) => ({ ...(found.get(p.key) as SweepPointRecord), index: p.index }));
  const manifest: SweepManifest = { ...first, shard: null };
  fs.mkdirSync(out, { recursive: true });
  writeManifest(out, manifest);
  writePointRecords(out, records);
  const results = buildResults(manifest, records);
  writeResults(out, results);
  return { dir: out, manifest, ran: 0, reused: records.length, failed: records.filter(isFailedPoint).length, workers: 0, results };
}
