import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { runSweep } from "../../app/sweep/engine";
import "./fixtures/slow-runner";
import { cli, cliAsync, read, tiny, tmpDir } from "./helpers";

const fixture = path.join(__dirname, "fixtures", "slow-runner.ts");
const vary = ["adc.bits=3..10"];

function completeLines(file: string): number {
  if (!fs.existsSync(file)) return 0;
  return fs.readFileSync(file, "utf8").split("\n").length - 1;
}

describe("sweep resume", () => {
  it("a sweep killed halfway runs only its missing points when run again, and ends with the results of an uninterrupted run", async () => {
    const dir = tmpDir("sweep-resume");
    const out = path.join(dir, "killed");
    const points = path.join(out, "points.jsonl");
    const child = cliAsync(["sweep", "--arch", tiny, "--runner", "slow-cost", "--load", fixture, "--vary", vary[0], "--jobs", "1", "--out", out]);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 50_000;
    while (completeLines(points) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 30));
    child.kill("SIGKILL");
    await exited;
    const landed = completeLines(points);
    expect(landed).toBeGreaterThanOrEqual(3);
    expect(landed).toBeLessThan(8);
    expect(fs.existsSync(path.join(out, "results.csv"))).toBe(false);
    // a kill in the middle of a write leaves a partial last line
    fs.appendFileSync(points, '{"key":"0123');

    const again = await runSweep({ arch: tiny, runner: "slow-cost", vary }, out, { jobs: 1 });
    expect(again.reused).toBe(landed);
    expect(again.ran).toBe(8 - landed);
    const lines = read(out, "points.jsonl").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => JSON.parse(l).index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    const whole = path.join(dir, "whole");
    await runSweep({ arch: tiny, runner: "slow-cost", vary }, whole, { jobs: 1 });
    expect(read(out, "results.json")).toBe(read(whole, "results.json"));
    expect(read(out, "results.csv")).toBe(read(whole, "results.csv"));

    // a third run finds every point and runs none
    const third = await runSweep({ arch: tiny, runner: "slow-cost", vary }, out, { jobs: 1 });
    expect([third.ran, third.reused]).toEqual([0, 8]);
  });

  it("CLI: a bad --vary path is a one-line error, exit 2, and nothing is written", () => {
    const out = path.join(tmpDir("sweep-cli"), "s");
    const r = cli(["sweep", "--arch", tiny, "--runner", "cost", "--vary", "adc.bits=4..6", "--vary", "crossbar.rowz=16,32", "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("crossbar.rowz");
    expect(fs.existsSync(out)).toBe(false);
  });
});
