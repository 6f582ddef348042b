// The charts of a sweep's results (app/sweep/plots.ts) rendered headless (traces/plot.ts) into
// DIR/plots/, as SVG, PNG or both: what `rramsim plot DIR` writes.

import * as fs from "node:fs";
import * as path from "node:path";
import { readSweepResults } from "../../app/sweep/store";
import { sweepCharts, type SweepChartOptions } from "../../app/sweep/plots";
import { renderPng, renderSvg } from "../../traces/plot";
import { writeFileAtomic } from "../../sim/files";

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
