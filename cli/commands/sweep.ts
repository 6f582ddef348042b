// `rramsim sweep --arch FILE --vary PATH=SPEC ... --out DIR`: design-space sweeps over config
// overrides (sim/sweep/engine.ts), and `rramsim sweep merge DIR... --out DIR` to join shards.
// Progress goes to stderr: a bar on a terminal, one line per point otherwise; a table of the
// results goes to stdout at the end, with the failed points' errors under it. Exit 0 when at least
// one point has results; exit 2 (a one-line error) when every point of the sweep failed.

import type { Command } from "commander";
// registers the `run` point runner (the default runner of a sweep), as the cost and mvmu runners are by the engine
import "../../app/run/point-runner";
import { SingleBar } from "cli-progress";
import { mergeSweeps, runSweep, type SweepOutcome, type SweepProgress } from "../../app/sweep/engine";
import { optionKey, pointRunnerNames, getPointRunner, type PointRunnerFlags } from "../../app/sweep/runner";
import { parseShard } from "../../app/sweep/spec";
import { intArg, printJson } from "../io";
import { DEFAULT_SEED } from "../../sim/random";
import { RramsimError } from "../../sim/errors";
import { formatSweepTable } from "../../app/sweep/table";

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/** Progress reporter: a cli-progress bar on a terminal, plain lines otherwise. */
export function sweepProgressReporter(stream: NodeJS.WriteStream = process.stderr): { onProgress: (p: SweepProgress) => void; stop: () => void } {
  let bar: SingleBar | null = null;
  return {
    onProgress(p) {
      if (p.point === undefined) {
        const msg = `sweep: ${p.total} points${p.reused > 0 ? `, ${p.reused} already in the folder, ${p.total - p.reused} to run` : ""}`;
        stream.write(msg + "\n");
        if (stream.isTTY && p.total > p.reused) {
          bar = new SingleBar({ stream, format: "sweep [{bar}] {value}/{total} points | {label}", hideCursor: true, clearOnComplete: false });
          bar.start(p.total, p.done, { label: "" });
        }
        return;
      }
      const failed = p.point.error === undefined ? "" : ` failed: ${p.point.error}`;
      if (bar !== null) bar.update(p.done, { label: p.point.label + (failed === "" ? "" : " failed") });
      else stream.write(`sweep: ${p.done}/${p.total} points (point ${p.point.index}: ${p.point.label})${failed}\n`);
    },
    stop() {
      bar?.stop();
    },
  };
}

interface SweepCliOptions {
  arch?: string;
  runner?: string;
  vary?: string[];
  set?: string[];
  seed: number;
  out?: string;
  jobs?: number;
  shard?: string;
  load?: string[];
  json?: boolean;
  [runnerFlag: string]: unknown;
}

export function registerSweep(program: Command): void {
  const sweep = program
    .command("sweep")
    .description("design-space sweep: the cross product of --vary overrides on a design, each point run by a point runner, into DIR (resumable)")
    .option("--arch <file>", "design file (configs/arch/*.yaml; required)")
    .option("--runner <name>", `point runner: ${pointRunnerNames().join(", ")} (default: run when available, else cost)`)
    .option("--vary <path=spec>", "a field and its values: 4..10, 4..10:2 or a,b,c (repeatable; the cross product is swept)", collect)
    .option("--set <path=value>", "fix a field for every point, as run --set (repeatable)", collect)
    .option("--seed <s>", "run seed; each point's seed derives from it and the point's overrides", intArg(0, 2 ** 31 - 1), DEFAULT_SEED)
    .option("--out <dir>", "sweep folder: sweep.json, points.jsonl, results.csv, results.json (required)")
    .option("--jobs <n>", "worker threads (default: available cores; 1 for the cost runner, whose points take milliseconds)", intArg(1, 1024))
    .option("--shard <i/n>", "run only points k with k mod n = i (merge the folders with sweep merge)")
    .option("--load <module>", "load a module that registers point runners (repeatable)", collect)
    .option("--json", "print the results as JSON instead of a table");
  const seen = new Set<string>();
  for (const name of pointRunnerNames()) {
    for (const o of getPointRunner(name).options ?? []) {
      if (seen.has(optionKey(o.flags))) continue;
      seen.add(optionKey(o.flags));
      sweep.option(o.flags, o.description);
    }
  }
  sweep.action(async (opts: SweepCliOptions) => {
    for (const k of ["arch", "out"] as const) if (opts[k] === undefined) throw new RramsimError("CLI_ARGUMENT", `sweep: --${k} is required`);
    const runnerFlags: Record<string, string | boolean | undefined> = {};
    for (const k of seen) runnerFlags[k] = opts[k] as string | boolean | undefined;
    const progress = sweepProgressReporter();
    let o: SweepOutcome;
    try {
      o = await runSweep(
        {
          arch: opts.arch as string,
          runner: opts.runner,
          runnerFlags: runnerFlags as PointRunnerFlags,
          vary: opts.vary ?? [],
          set: opts.set,
          seed: opts.seed,
          shard: opts.shard === undefined ? undefined : parseShard(opts.shard),
          modules: opts.load,
        },
        opts.out as string,
        { jobs: opts.jobs, onProgress: progress.onProgress },
      );
    } finally {
      progress.stop();
    }
    if (opts.json) printJson(o.results);
    else {
      const shard = o.manifest.shard === null ? "" : `, shard ${o.manifest.shard.index}/${o.manifest.shard.count}`;
      process.stdout.write(`${o.manifest.design}: ${o.manifest.runner} sweep, ${o.results.rows.length} points${shard} (${o.ran} run, ${o.reused} from the folder, ${o.failed} failed) → ${opts.out}/results.csv\n`);
      process.stdout.write(formatSweepTable(o));
    }
    const rows = o.results.rows;
    if (rows.length > 0 && o.failed === rows.length) {
      const first = rows[0];
      const label = o.manifest.axes.map((a) => `${a.path}=${String(first[a.path])}`).join(", ");
      throw new RramsimError("SWEEP_FAILED", `sweep: all ${rows.length} points failed (point ${String(first.point)}, ${label}: ${String(first.error)})`);
    }
  });
  sweep
    .command("merge")
    .description("join the folders of one sweep's shards (refuses different sweeps and missing points)")
    .argument("<dirs...>", "shard folders")
    .option("--out <dir>", "merged sweep folder (required)")
    .action((dirs: string[], _opts: unknown, cmd: Command) => {
      // --out may land on either command (commander reads parent options after a subcommand too)
      const out = cmd.optsWithGlobals<{ out?: string }>().out;
      if (out === undefined) throw new RramsimError("CLI_ARGUMENT", "sweep merge: --out is required");
      const o = mergeSweeps(dirs, out);
      process.stdout.write(`${o.manifest.design}: merged ${dirs.length} folders, ${o.results.rows.length} points (${o.failed} failed) → ${out}/results.csv\n`);
    });
}
