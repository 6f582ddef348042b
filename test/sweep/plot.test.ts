import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { runSweep } from "../../app/sweep/engine";
import { plotSweep } from "../../app/sweep/render";
import { metricTitle, sweepCharts } from "../../app/sweep/plots";
import { readSweepResults } from "../../app/sweep/store";
import { tiny, tmpDir, errorCode } from "./helpers";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe("rramsim plot", () => {
  it("writes valid SVG and PNG charts: Pareto, breakdowns, each metric against each parameter", async () => {
    const dir = path.join(tmpDir("sweep-plot"), "s");
    await runSweep({ arch: tiny, runner: "cost", vary: ["adc.bits=5,6", "crossbar.rows=16,32"], set: ["adc.model={kind: table, preset: isaac-sar}"] }, dir, { jobs: 1 });
    const files = (await plotSweep(dir, { format: "both" })).map((f) => path.basename(f));
    for (const f of ["pareto-tops_per_mm2-vs-tops_per_w.svg", "pareto-tops_per_mm2-vs-tops_per_w.png", "breakdown-power.svg", "breakdown-area.png", "area_mm2-vs-adc_bits.svg", "tops_per_w-vs-crossbar_rows.png"]) {
      expect(files).toContain(f);
    }
    // 8 numeric metrics × 2 parameters + the Pareto chart + 2 breakdowns, in two formats
    expect(files).toHaveLength(2 * (8 * 2 + 1 + 2));
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dir, "plots", f));
      if (f.endsWith(".png")) {
        expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
        expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
        expect(bytes.readUInt32BE(16)).toBeGreaterThan(100);
      } else {
        const text = bytes.toString("utf8");
        expect(text).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        expect(text.trimEnd().endsWith("</svg>")).toBe(true);
        expect(text).toContain("tiny: ");
      }
    }
    const area = fs.readFileSync(path.join(dir, "plots", "area_mm2-vs-adc_bits.svg"), "utf8");
    expect(area).toContain("area (mm²)");
    expect(area).toContain("adc.bits");
    const pareto = fs.readFileSync(path.join(dir, "plots", "pareto-tops_per_mm2-vs-tops_per_w.svg"), "utf8");
    expect(pareto).toContain("power efficiency (TOPS/W), higher is better");
    expect(pareto).toContain("Pareto front");
  });

  it("the Pareto chart marks exactly the non-dominated points; unknown metrics are refused", async () => {
    const dir = path.join(tmpDir("sweep-plot-pareto"), "s");
    await runSweep({ arch: tiny, runner: "cost", vary: ["adc.bits=4..7", "crossbar.rows=16,32"], set: ["adc.model={kind: table, preset: isaac-sar}"] }, dir, { jobs: 1 });
    const r = readSweepResults(dir);
    const chart = sweepCharts(r, { y: "area_mm2", x: "tops_per_w" })[0];
    const values = (chart.spec.layer as any[])[1].data.values as { x: number; y: number; status: string }[];
    // lower area and higher TOPS/W are better: on the front when no other point is at least as good in both, better in one
    for (const v of values) {
      const dominated = values.some((w) => w !== v && w.x >= v.x && w.y <= v.y && (w.x > v.x || w.y < v.y));
      expect(v.status).toBe(dominated ? "dominated" : "Pareto front");
    }
    expect(values.some((v) => v.status === "dominated")).toBe(true);
    expect(await errorCode(() => plotSweep(dir, { y: "accuracy" }))).toBe("CLI_ARGUMENT");
    expect(await errorCode(() => plotSweep(path.join(dir, "nope")))).toBe("INPUT_FILE");
  });

  it("a metric that only repeats a varied field gets no chart of its own", async () => {
    const dir = path.join(tmpDir("sweep-plot-echo"), "s");
    await runSweep({ arch: tiny, runner: "mvmu", runnerFlags: { samples: "2" }, vary: ["adc.bits=5,6"] }, dir, { jobs: 1 });
    const r = readSweepResults(dir);
    // the mvmu runner reports adc_bits, equal to the varied adc.bits at every point
    expect(r.rows.map((row) => [row["adc.bits"], row.adc_bits])).toEqual([
      [5, 5],
      [6, 6],
    ]);
    const names = sweepCharts(r).map((c) => c.name);
    expect(names).not.toContain("adc_bits-vs-adc_bits");
    expect(names).toContain("rmse_lsb-vs-adc_bits");
  });

  it("axis titles carry the unit named by the metric key", () => {
    expect(metricTitle("energy_per_mvm_j")).toBe("energy per MVM (J)");
    expect(metricTitle("latency_s")).toBe("latency (s)");
    expect(metricTitle("tops_per_w")).toBe("power efficiency (TOPS/W)");
    expect(metricTitle("area_mm2")).toBe("area (mm²)");
    expect(metricTitle("rmse_lsb")).toBe("RMSE (LSB)");
    expect(metricTitle("accuracy")).toBe("accuracy");
  });
});
