// Point runners: what a sweep does at each point of its parameter space. A runner is a role
// interface with named implementations (cost, mvmu, later run), picked by `--runner`. The sweep
// engine owns everything else (overrides, validation, seeds, parallelism, resume, results files);
// a runner only checks its own flags once and turns one validated design into a flat record of
// metrics whose keys carry their units (energy_j, latency_s, tops_per_w, area_mm2, accuracy, …).
// Keys of the form `<quantity>_breakdown_<unit>.<component>` (energy_breakdown_j.adc) are read by
// `rramsim plot` as a per-component breakdown. `status` and `error` are the engine's columns for
// failed points, not metric keys: a point that cannot be run throws a RramsimError, which the sweep
// records as that point's failure (any other exception stops the sweep).
//
// Contract: runPoint is a pure function of (design, args, seed): same inputs, same record, bit for
// bit, whichever thread runs it. Args are plain JSON data: they are sent to worker threads and are
// part of each point's resume key.

import { RramsimError } from "../../sim/errors";
import type { ChipDesign } from "../../arch/chip/params";

/** One metric of a point. null: not applicable at this point (printed empty in the CSV). */
export type PointMetric = number | string | boolean | null;

/** The flat record a runner returns for one point, keys in a fixed order. */
export type PointMetrics = Record<string, PointMetric>;

/** Runner flags as the command line hands them over (strings and switches, unchecked). */
export type PointRunnerFlags = Readonly<Record<string, string | boolean | undefined>>;

/** A command-line option a runner reads (commander syntax, e.g. `--samples <n>`). */
export interface PointRunnerOption {
  flags: string;
  description: string;
}

export interface PointRunner<A = unknown> {
  /** one line for `rramsim sweep --help` */
  readonly description: string;
  /** options this runner reads; `rramsim sweep` declares the union of all runners' options */
  readonly options?: readonly PointRunnerOption[];
  /**
   * A module that registers this runner when it is loaded (absolute path). Worker threads load it
   * to find the runner; the built-in runners need none. A runner without one runs in-process.
   */
  readonly module?: string;
  /**
   * Worker threads when the caller gives no job count (default: the available cores). A runner
   * whose points take milliseconds says 1: a worker's start-up (loading the sources) costs more.
   */
  readonly defaultJobs?: number;
  /** Checks the flags (throws a CLI_ARGUMENT RramsimError) and returns the runner's args. */
  parseArgs(flags: PointRunnerFlags): A;
  /** Optional check of one point's design before anything runs (throws a RramsimError). */
  checkPoint?(design: ChipDesign, args: A): void;
  /** Runs one point; a RramsimError it throws is recorded as the point's failure and the sweep goes on. */
  runPoint(point: { design: ChipDesign; args: A; seed: number }): PointMetrics | Promise<PointMetrics>;
}

const registry = new Map<string, PointRunner<unknown>>();

/** Makes a runner available to `rramsim sweep --runner NAME` and to `runSweep`. */
export function registerPointRunner<A>(name: string, runner: PointRunner<A>): void {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new RramsimError("CLI_ARGUMENT", `point runner name '${name}' must be a lower-case word`);
  const existing = registry.get(name);
  if (existing !== undefined && existing !== runner) throw new RramsimError("CLI_ARGUMENT", `a point runner named '${name}' is already registered`);
  registry.set(name, runner as PointRunner<unknown>);
}

/** Names of the registered runners, in registration order. */
export function pointRunnerNames(): string[] {
  return [...registry.keys()];
}

/** The runner of a name, or a CLI_ARGUMENT error listing the known ones. */
export function getPointRunner(name: string): PointRunner<unknown> {
  const r = registry.get(name);
  if (r === undefined) throw new RramsimError("CLI_ARGUMENT", `--runner ${name}: no such point runner (known: ${pointRunnerNames().join(", ")})`);
  return r;
}

/** The runner used when none is named: `run` once it is registered, else `cost`. */
export function defaultPointRunner(): string {
  return registry.has("run") ? "run" : "cost";
}

/** Refuses flags the chosen runner does not read (set flags only). */
export function checkRunnerFlags(name: string, runner: PointRunner<unknown>, flags: PointRunnerFlags): void {
  const own = new Set((runner.options ?? []).map((o) => optionKey(o.flags)));
  for (const [k, v] of Object.entries(flags)) {
    if (v !== undefined && !own.has(k)) throw new RramsimError("CLI_ARGUMENT", `--${kebab(k)} is not used by the '${name}' runner`);
  }
}

/** commander's attribute name of an option: `--ir-drop <m>` → irDrop. */
export function optionKey(flags: string): string {
  const long = /--([a-z0-9-]+)/.exec(flags)?.[1] ?? flags;
  return long.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
