// `rramsim plot DIR [--format svg|png|both] [--y METRIC] [--x METRIC]`: the charts of a sweep's
// results (traces/sweep-plots.ts) rendered headless (traces/plot.ts) into DIR/plots/.

import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { readSweepResults } from "../../sim/sweep/store";
import { sweepCharts, type SweepChartOptions } from "../../traces/sweep-plots";
import { renderPng, renderSvg } from "../../traces/plot";
import { choiceArg, writeFileAtomic } from "../io";

export type SweepPlotFormat = "svg" | "png" | "both";

export interface SweepPlotOptions extends SweepChartOptions {
  format?: SweepPlotFormat;
}

/** Renders every chart of the sweep in `dir` into `dir/plots/`; returns the files written. */
export async function plotSweep(dir: string, opts: SweepPlotOptions = {}): Promise<string[]> {
  const results = readSweepResults(dir);
  const charts = sweepCharts(results, opts);
  const format = opts.format ?? "svg";
  const outDir = path.join(dir, "plots");
  fs.mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  for (const c of charts) {
    const svg = await renderSvg(c.spec);
    if (format !== "png") {
      const f = path.join(outDir, `${c.name}.svg`);
      writeFileAtomic(f, svg);
      files.push(f);
    }
    if (format !== "svg") {
      const f = path.join(outDir, `${c.name}.png`);
      writeFileAtomic(f, renderPng(svg));
      files.push(f);
    }
  }
  return files;
}

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
