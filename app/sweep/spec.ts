// The parameter space of a design sweep: `--vary PATH=SPEC` flags parsed into value lists, and
// their cross product enumerated in a fixed order. SPEC is an inclusive integer range (`4..10`), a
// range with a step (`4..10:2`) or a comma list of YAML scalars (`64,128,256`, `differential,bias`,
// `100ns,200ns`). Points are numbered like nested loops over the flags in the order given, the last
// flag varying fastest, so point k is the same point however the sweep is later sharded or run.

import * as YAML from "yaml";
import { RramsimError } from "../../sim/errors";

/** A value a point assigns to a config field (as YAML would read it). */
export type SweepValue = number | string | boolean;

/** One `--vary` flag: the path as typed and its values in order. */
export interface SweepAxis {
  path: string;
  values: SweepValue[];
}

/** Largest cross product accepted (a guard against a typo such as `1..100000`). */
export const MAX_SWEEP_POINTS = 100_000;

function varyError(text: string, why: string): RramsimError {
  return new RramsimError("CLI_ARGUMENT", `--vary ${text}: ${why}`);
}

function scalar(raw: string): SweepValue {
  let v: unknown;
  try {
    v = YAML.parse(raw);
  } catch {
    v = raw;
  }
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  return raw;
}

/** Parses a SPEC (`4..10`, `4..10:2`, `a,b,c`) into its values; `label` names the flag in errors. */
export function parseSweepSpec(spec: string, label = spec): SweepValue[] {
  const s = spec.trim();
  const range = /^([-+]?\d+)\s*\.\.\s*([-+]?\d+)(?:\s*:\s*(\S+))?$/.exec(s);
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (range[3] !== undefined && !/^\+?\d+$/.test(range[3])) throw varyError(label, `step '${range[3]}' is not a positive integer`);
    const step = range[3] === undefined ? 1 : Number(range[3]);
    if (step < 1) throw varyError(label, "the step must be ≥ 1");
    if (hi < lo) throw varyError(label, `empty range (${lo} > ${hi}); write it low..high`);
    if ((hi - lo) / step + 1 > MAX_SWEEP_POINTS) throw varyError(label, `more than ${MAX_SWEEP_POINTS} values`);
    const out: number[] = [];
    for (let v = lo; v <= hi; v += step) out.push(v);
    return out;
  }
  if (s.includes("..")) throw varyError(label, `'${s}' is not a range such as 4..10 or 4..10:2`);
  const items = s.split(",").map((x) => x.trim());
  if (items.some((x) => x === "")) throw varyError(label, "empty item in the list");
  const values = items.map(scalar);
  const seen = new Set<string>();
  for (const v of values) {
    const k = JSON.stringify(v);
    if (seen.has(k)) throw varyError(label, `value ${k} is listed twice`);
    seen.add(k);
  }
  return values;
}

/** Parses one `PATH=SPEC` flag. */
export function parseVary(text: string): SweepAxis {
  const eq = text.indexOf("=");
  if (eq <= 0 || text.slice(eq + 1).trim() === "") throw new RramsimError("CLI_ARGUMENT", `--vary '${text}': expected PATH=SPEC (SPEC: 4..10, 4..10:2 or a,b,c)`);
  const path = text.slice(0, eq).trim();
  return { path, values: parseSweepSpec(text.slice(eq + 1), text) };
}

/** Number of points in the cross product. */
export function sweepSize(axes: readonly SweepAxis[]): number {
  return axes.reduce((n, a) => n * a.values.length, 1);
}

/** The value indices of point k (the last axis varies fastest). */
export function pointCoordinates(axes: readonly SweepAxis[], k: number): number[] {
  const idx = new Array<number>(axes.length);
  let rest = k;
  for (let a = axes.length - 1; a >= 0; a--) {
    const n = axes[a].values.length;
    idx[a] = rest % n;
    rest = Math.floor(rest / n);
  }
  return idx;
}

/** Every point of the cross product, in point order: one value per axis. */
export function enumeratePoints(axes: readonly SweepAxis[]): SweepValue[][] {
  const n = sweepSize(axes);
  if (n > MAX_SWEEP_POINTS) throw new RramsimError("CLI_ARGUMENT", `--vary: ${n} points is more than ${MAX_SWEEP_POINTS}; split the sweep`);
  const out: SweepValue[][] = [];
  for (let k = 0; k < n; k++) out.push(pointCoordinates(axes, k).map((i, a) => axes[a].values[i]));
  return out;
}

/** A shard: point k belongs to shard `k mod count`. */
export interface SweepShard {
  index: number;
  count: number;
}

/** Parses `--shard i/n` (0 ≤ i < n). */
export function parseShard(text: string): SweepShard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new RramsimError("CLI_ARGUMENT", `--shard '${text}': expected i/n, e.g. 0/4`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new RramsimError("CLI_ARGUMENT", `--shard '${text}': need 0 ≤ i < n`);
  return { index, count };
}

/** Point indices of a shard, in order. */
export function shardPoints(total: number, shard: SweepShard | undefined): number[] {
  const out: number[] = [];
  for (let k = 0; k < total; k++) if (shard === undefined || k % shard.count === shard.index) out.push(k);
  return out;
}
