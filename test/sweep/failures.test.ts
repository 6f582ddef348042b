// A sweep point whose runner raises a user-facing error is recorded as failed with its message and
// the sweep goes on; resume treats the failure as done; the table, the plots and the exit code say
// so. An internal error still stops the sweep. Expected values come from how each test is built:
// the planted runner fails at 5 ADC bits (fixtures/failing-runner.ts); ISAAC's SAR table has 4 … 10
// bits (docs/references.md §4.3), so 3 bits has no entry.
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { mergeSweeps, runSweep } from "../../app/sweep/engine";
import { sweepCharts } from "../../app/sweep/plots";
import { formatSweepTable } from "../../app/sweep/table";
import { readSweepResults } from "../../app/sweep/store";
import { calls, FAILING_MESSAGE } from "./fixtures/failing-runner";
import { cli, read, tiny, tmpDir } from "./helpers";

const TABLE_ADC = "adc.model={kind: table, preset: isaac-sar}";

function lines(dir: string, file: string): string[] {
  return read(dir, file)
    .split("\n")
    .filter((l) => l !== "");
}

describe("a failing sweep point", () => {
  it("is recorded with its error, the other points run, and the results mark it failed (in this thread and in workers)", async () => {
    const base = tmpDir("sweep-fail");
    const vary = ["adc.bits=3..7"];
    const here = await runSweep({ arch: tiny, runner: "failing-at-5", vary }, path.join(base, "jobs1"), { jobs: 1 });
    const workers = await runSweep({ arch: tiny, runner: "failing-at-5", vary }, path.join(base, "jobs2"), { jobs: 2 });
    expect(workers.workers).toBe(2);
    for (const o of [here, workers]) {
      expect([o.ran, o.reused, o.failed]).toEqual([5, 0, 1]);
      const r = o.results;
      expect(r.columns.slice(-4)).toEqual(["bits", "draw", "status", "error"]);
      expect(r.rows.map((row) => row.status)).toEqual(["ok", "ok", "failed", "ok", "ok"]);
      expect(r.rows.map((row) => row.bits)).toEqual([3, 4, null, 6, 7]);
      expect(r.rows.map((row) => row.error)).toEqual([null, null, FAILING_MESSAGE, null, null]);
      expect(r.rows.filter((row) => row.status === "ok").every((row) => typeof row.draw === "number")).toBe(true);
      expect(r.rows[2].draw).toBeNull();
      // the CSV: empty metric cells on the failed row, not zeros
      const csv = lines(o.dir, "results.csv");
      expect(csv[0]).toBe("point,adc.bits,seed,bits,draw,status,error");
      expect(csv[3]).toBe(`2,5,${String(r.rows[2].seed)},,,failed,${FAILING_MESSAGE}`);
      // points.jsonl: the failure, with its code
      const failed = lines(o.dir, "points.jsonl")
        .map((l) => JSON.parse(l))
        .filter((p) => p.status === "failed");
      expect(failed).toEqual([{ key: expect.any(String), index: 2, values: { "adc.bits": 5 }, seed: r.rows[2].seed, metrics: {}, status: "failed", error: FAILING_MESSAGE, error_code: "CONFIG_VALUE" }]);
    }
    expect(read(here.dir, "results.json")).toBe(read(workers.dir, "results.json"));
    expect(read(here.dir, "results.csv")).toBe(read(workers.dir, "results.csv"));
  });

  it("counts as done on resume: a killed sweep resumed after the failure gives the same files and does not run the failed point again", async () => {
    const base = tmpDir("sweep-fail-resume");
    const vary = ["adc.bits=3..7"];
    const whole = await runSweep({ arch: tiny, runner: "failing-at-5", vary }, path.join(base, "whole"), { jobs: 1 });
    // a sweep killed after its first three points (3, 4 bits and the failure at 5): only those lines landed
    const killed = path.join(base, "killed");
    fs.mkdirSync(killed);
    fs.writeFileSync(path.join(killed, "points.jsonl"), lines(whole.dir, "points.jsonl").slice(0, 3).join("\n") + "\n");
    const before = calls.count;
    const resumed = await runSweep({ arch: tiny, runner: "failing-at-5", vary }, killed, { jobs: 1 });
    expect([resumed.ran, resumed.reused, resumed.failed]).toEqual([2, 3, 1]);
    expect(calls.count - before).toBe(2);
    expect(read(killed, "results.json")).toBe(read(whole.dir, "results.json"));
    expect(read(killed, "results.csv")).toBe(read(whole.dir, "results.csv"));
    // once more: nothing runs, same files
    const again = await runSweep({ arch: tiny, runner: "failing-at-5", vary }, killed, { jobs: 1 });
    expect([again.ran, again.reused, again.failed]).toEqual([0, 5, 1]);
    expect(calls.count - before).toBe(2);
    expect(read(killed, "results.json")).toBe(read(whole.dir, "results.json"));
  });

  it("with a real model: the SAR table has no 3-bit entry, so that point fails with CONFIG_RANGE and 4 … 6 bits get their costs", async () => {
    const base = tmpDir("sweep-fail-table");
    const vary = ["adc.bits=3..6"];
    const o = await runSweep({ arch: tiny, runner: "cost", vary, set: [TABLE_ADC] }, path.join(base, "s"), { jobs: 1 });
    expect(o.failed).toBe(1);
    expect(o.results.rows.map((r) => r.status)).toEqual(["failed", "ok", "ok", "ok"]);
    expect(o.results.rows[0].error).toMatch(/^adc\.model: the table has no 3-bit entry \(has 4, 5, 6, 7, 8, 9, 10;/);
    expect(o.results.rows[0].area_mm2).toBeNull();
    expect(o.results.rows.slice(1).every((r) => typeof r.area_mm2 === "number" && (r.area_mm2 as number) > 0)).toBe(true);
    // shards of it merge into the same results, failure included
    for (const i of [0, 1]) await runSweep({ arch: tiny, runner: "cost", vary, set: [TABLE_ADC], shard: { index: i, count: 2 } }, path.join(base, `part${i}`), { jobs: 1 });
    const merged = mergeSweeps([path.join(base, "part1"), path.join(base, "part0")], path.join(base, "merged"));
    expect(merged.failed).toBe(1);
    expect(read(path.join(base, "merged"), "results.json")).toBe(read(o.dir, "results.json"));

    // the table: a status column and the error under it
    const table = formatSweepTable(o);
    expect(table).toContain("status");
    expect(table.split("\n").filter((l) => l.includes("failed"))).toHaveLength(2);
    expect(table).toContain(`  point 0 (adc.bits=3) failed: ${String(o.results.rows[0].error)}\n`);
    // the charts leave the failed point out (no zero, no empty bar) and say so
    const charts = sweepCharts(readSweepResults(o.dir));
    const areaChart = charts.find((c) => c.name === "area_mm2-vs-adc_bits")!;
    expect((areaChart.spec.data as { values: { x: number }[] }).values.map((v) => v.x)).toEqual([4, 5, 6]);
    const breakdown = charts.find((c) => c.name === "breakdown-area")!;
    expect(new Set((breakdown.spec.data as { values: { point: string }[] }).values.map((v) => v.point))).toEqual(new Set(["adc.bits=4", "adc.bits=5", "adc.bits=6"]));
    expect((areaChart.spec.title as { subtitle: string }).subtitle).toContain("4 points, 1 failed and not drawn");
  });

  it("an internal error (not a RramsimError) still stops the sweep; the points before it stay in the folder", async () => {
    const out = path.join(tmpDir("sweep-crash"), "s");
    await expect(runSweep({ arch: tiny, runner: "failing-at-5", vary: ["adc.bits=11..14"] }, out, { jobs: 1 })).rejects.toThrow("planted bug");
    expect(lines(out, "points.jsonl").map((l) => JSON.parse(l).index)).toEqual([0, 1]);
    expect(fs.existsSync(path.join(out, "results.csv"))).toBe(false);
    // in worker threads too
    const out2 = path.join(tmpDir("sweep-crash-workers"), "s");
    await expect(runSweep({ arch: tiny, runner: "failing-at-5", vary: ["adc.bits=11..14"] }, out2, { jobs: 2 })).rejects.toThrow("planted bug");
    expect(fs.existsSync(path.join(out2, "results.csv"))).toBe(false);
  });
});

describe("CLI: the summary counts failed points; exit 0 while a point has results, 2 when all failed", () => {
  it("one of two points fails: exit 0, the summary and the table say so", () => {
    const out = path.join(tmpDir("sweep-fail-cli"), "s");
    const r = cli(["sweep", "--arch", tiny, "--runner", "cost", "--set", TABLE_ADC, "--vary", "adc.bits=3,4", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`tiny: cost sweep, 2 points (2 run, 0 from the folder, 1 failed) → ${out}/results.csv`);
    expect(r.stdout).toMatch(/\n {2}point 0 \(adc\.bits=3\) failed: adc\.model: the table has no 3-bit entry/);
    expect(r.stderr).toContain("sweep: 1/2 points (point 0: adc.bits=3) failed: adc.model: the table has no 3-bit entry");
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it("every point fails: the files are written, one line on stderr, exit 2", () => {
    const out = path.join(tmpDir("sweep-fail-cli-all"), "s");
    const r = cli(["sweep", "--arch", tiny, "--runner", "cost", "--set", TABLE_ADC, "--vary", "adc.bits=2,3", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stdout.split("\n")[0]).toContain("(2 run, 0 from the folder, 2 failed)");
    const errLines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("rramsim:"));
    expect(errLines).toEqual([expect.stringMatching(/^rramsim: sweep: all 2 points failed \(point 0, adc\.bits=2: adc\.model: the table has no 2-bit entry/)]);
    expect(readSweepResults(out).rows.map((row) => row.status)).toEqual(["failed", "failed"]);
  });
});
