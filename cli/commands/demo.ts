import * as path from "node:path";
import type { Command } from "commander";
import { runKernelDemo, DEFAULT_DEMO_CONFIG, type DemoReport } from "../../app/experiments/demo";
import { formatSi } from "../../sim/units";
import { intArg, printJson } from "../io";
import { DEFAULT_SEED } from "../../sim/random";
import { addTraceOptions, traceTargetFromOptions, type TraceCliOptions } from "./trace";

function printDemo(r: DemoReport): void {
  const lines = [
    `kernel demonstration: ${r.jobs} jobs through ${r.stages.length} stages (${path.relative(process.cwd(), r.config)})`,
    `  first job latency   ${formatSi(r.firstJobLatencyS, "s")}`,
    `  throughput          ${formatSi(r.throughputJobsPerS, "jobs/s")}`,
    `  makespan            ${formatSi(r.makespanS, "s")}   (${r.events} events)`,
    `  energy              ${formatSi(r.energyJ, "J")}`,
    "",
    `  ${"stage".padEnd(20)} ${"utilisation".padStart(11)} ${"busy".padStart(10)} ${"blocked".padStart(10)} ${"energy".padStart(10)}`,
    ...r.stages.map((s) => `  ${s.name.padEnd(20)} ${(100 * s.utilisation).toFixed(1).padStart(10)}% ${formatSi(s.busyS, "s").padStart(10)} ${formatSi(s.blockedS, "s").padStart(10)} ${formatSi(s.energyJ, "J").padStart(10)}`),
  ];
  if (r.trace !== undefined) lines.push("", `  trace               ${r.trace.events} events, ${r.trace.bytes} bytes → ${r.trace.file}`);
  process.stdout.write(lines.join("\n") + "\n");
}

export function registerDemo(program: Command): void {
  const cmd = program
    .command("demo")
    .description("a small demonstration of the event kernel: a pipeline of stages from a config")
    .option("--config <file>", "stage chain (YAML/JSON)", DEFAULT_DEMO_CONFIG)
    .option("--jobs <n>", "jobs to push through", intArg(1, 10_000_000), 100)
    .option("--seed <n>", "random seed", intArg(), DEFAULT_SEED)
    .option("--json", "print one JSON object");
  addTraceOptions(cmd, "every stage's work, waits and power").action((opts: { config: string; jobs: number; seed: number; json?: boolean } & TraceCliOptions) => {
    const r = runKernelDemo({ config: opts.config, jobs: opts.jobs, seed: opts.seed, trace: traceTargetFromOptions(opts) });
    if (opts.json) printJson(r);
    else printDemo(r);
  });
}
