// The kernel demonstration behind `rramsim demo`: a chain of pipeline stages read from a config
// (by default ISAAC's IMA pipeline of Fig. 4b), fed back to back with jobs, simulated on the
// event kernel. It reports first-job latency, steady-state throughput, per-stage utilisation and
// the energy ledger — each checkable by hand from the stage times.

import { z } from "zod";
import { loadConfig } from "../../sim/config";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";
import { Stage, stageParamsSchema } from "../../sim/builtins";
import { childPath } from "../../sim/component";
import { ticksToSeconds, type Tick } from "../../sim/time";
import { RunBus } from "../run-bus";
import { TraceFileWriter } from "../../traces/writer";
import { traceConfigHash } from "../../traces/schema";
import type { TraceFilter } from "../../traces/filter";
import { DEFAULT_SEED } from "../../sim/random";
import { packagePath } from "../../sim/package-root";

export const demoConfigSchema = z
  .object({
    stages: z.array(stageParamsSchema.extend({ name: z.string().min(1) })).min(1),
  })
  .strict();

export const DEFAULT_DEMO_CONFIG = packagePath("configs", "demo", "ima-pipeline.yaml");

export interface DemoReport {
  config: string;
  jobs: number;
  seed: number;
  firstJobLatencyS: number;
  makespanS: number;
  throughputJobsPerS: number;
  events: number;
  energyJ: number;
  stages: { name: string; utilisation: number; busyS: number; blockedS: number; energyJ: number }[];
  /** present only when a trace was written */
  trace?: { file: string; events: number; bytes: number };
}

export interface DemoTraceOptions {
  file: string;
  filter?: TraceFilter;
}

export function runKernelDemo(opts: { config?: string; jobs?: number; seed?: number; bus?: RunBus; trace?: DemoTraceOptions } = {}): DemoReport {
  const file = opts.config ?? DEFAULT_DEMO_CONFIG;
  const jobs = opts.jobs ?? 100;
  const seed = opts.seed ?? DEFAULT_SEED;
  const cfg = loadConfig(demoConfigSchema, file);
  const sim = new Simulator({ seed });
  const ledger = new EnergyLedger();
  const ctx = { sim, ledger };
  const stages = cfg.stages.map(({ name, ...params }) => new Stage(ctx, childPath("demo", name), params));
  for (let i = 0; i + 1 < stages.length; i++) stages[i].connect(stages[i + 1]);
  const tracer =
    opts.trace === undefined
      ? undefined
      : new TraceFileWriter(opts.trace.file, {
          header: { producer: "rramsim demo", configHash: traceConfigHash(cfg), seed },
          filter: opts.trace.filter,
        });
  if (tracer !== undefined) for (const s of stages) s.traceTo(tracer);

  let firstDone: Tick | null = null;
  let done = 0;
  stages[stages.length - 1].connect(() => {
    if (firstDone === null) firstDone = sim.now;
    done++;
  });

  // Feed jobs back to back: whenever the first stage frees a slot, the next job enters.
  let issued = 0;
  const feed = () => {
    while (issued < jobs && stages[0].hasRoom()) stages[0].offer({ id: issued++, startTick: sim.now });
  };
  stages[0].listenForRoom({ onRoom: feed });
  void opts.bus?.emit("run.started", { name: "demo", seed });
  sim.schedule(0, feed);
  try {
    sim.run();
    if (done !== jobs) throw new Error(`demo: ${done} of ${jobs} jobs finished`);
    tracer?.close();
  } catch (e) {
    tracer?.abort();
    throw e;
  }
  const seconds = ticksToSeconds(sim.now);
  void opts.bus?.emit("run.finished", { name: "demo", simulatedS: seconds, events: sim.eventCount });
  const energy = ledger.report(seconds);
  const first = ticksToSeconds(firstDone ?? sim.now);
  const report: DemoReport = {
    config: file,
    jobs,
    seed,
    firstJobLatencyS: first,
    makespanS: seconds,
    // steady state: jobs after the first over the time they took
    throughputJobsPerS: jobs > 1 ? (jobs - 1) / (seconds - first) : 1 / first,
    events: sim.eventCount,
    energyJ: energy.totalJ,
    stages: stages.map((s) => {
      const st = s.collectStats();
      return {
        name: s.path,
        utilisation: st[`${s.path}.utilisation`] as number,
        busyS: ticksToSeconds(st[`${s.path}.busyTicks`] as Tick),
        blockedS: ticksToSeconds(st[`${s.path}.blockedTicks`] as Tick),
        energyJ: energy.byPath[s.path].dynamicJ + energy.byPath[s.path].leakageJ,
      };
    }),
  };
  if (tracer !== undefined) report.trace = { file: tracer.file, events: tracer.eventCount, bytes: tracer.bytesWritten };
  return report;
}
