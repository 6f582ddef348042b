// `rramsim` command line: flags in, render.ts out (app/).

import * as path from "node:path";
import type { Command } from "commander";
import { choiceArg } from "../io";
import { SweepPlotFormat, plotSweep } from "../../app/sweep/render";

export function registerPlot(program: Command): void {
  program
    .command("plot")
    .description("charts of a sweep's results into DIR/plots/: a metric against TOPS/W with the Pareto front, breakdowns per component, each metric against each varied parameter")
    .argument("<dir>", "sweep folder (rramsim sweep --out)")
    .option("--format <f>", "svg | png | both", choiceArg(["svg", "png", "both"] as const), "svg")
    .option("--y <metric>", "the Pareto chart's y metric (default: accuracy, else rmse_lsb, else tops_per_mm2)")
    .option("--x <metric>", "the Pareto chart's x metric (default: tops_per_w, else energy per inference)")
    .action(async (dir: string, opts: { format: SweepPlotFormat; y?: string; x?: string }) => {
      const files = await plotSweep(dir, opts);
      process.stdout.write(`plot: ${files.length} files in ${path.join(dir, "plots")}\n${files.map((f) => `  ${path.basename(f)}`).join("\n")}\n`);
    });
}
