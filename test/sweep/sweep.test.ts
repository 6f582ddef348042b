import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as fs from "node:fs";
import * as path from "node:path";
import { mergeSweeps, planSweep, runSweep, sweepPointData, sweepPointSeed, type SweepRequest } from "../../app/sweep/engine";
import { archCost } from "../../arch/chip/cost";
import { readConfigFile } from "../../sim/config";
import { setAtPath } from "../../sim/overrides";
import { read, tiny, tmpDir, errorCode } from "./helpers";

describe("sweep validation: every point is checked before anything runs or is written", () => {
  const base = tmpDir("sweep-validate");
  const cases: [string, Partial<SweepRequest>, string][] = [
    ["unknown field", { vary: ["adc.bitz=4..6"] }, "OVERRIDE_PATH"],
    ["ambiguous suffix", { vary: ["bits=4..6"] }, "OVERRIDE_PATH"],
    ["value out of range at the last point only", { vary: ["adc.bits=20..25"] }, "CONFIG_RANGE"],
    ["value of the wrong type", { vary: ["crossbar.rows=16,lots"] }, "CONFIG_TYPE"],
    ["same field varied twice", { vary: ["adc.bits=4..5", "tile.mvmu.adc.bits=6,7"] }, "CLI_ARGUMENT"],
    ["field both varied and set", { vary: ["adc.bits=4..5"], set: ["tile.mvmu.adc.bits=6"] }, "CLI_ARGUMENT"],
    ["no --vary", { vary: [] }, "CLI_ARGUMENT"],
    ["unknown runner", { vary: ["adc.bits=4..5"], runner: "nope" }, "CLI_ARGUMENT"],
    ["a flag the runner does not read", { vary: ["adc.bits=4..5"], runner: "cost", runnerFlags: { samples: "4" } }, "CLI_ARGUMENT"],
    ["a bad runner flag value", { vary: ["adc.bits=4..5"], runner: "mvmu", runnerFlags: { fidelity: "exact" } }, "CLI_ARGUMENT"],
    ["--device without physical fidelity", { vary: ["adc.bits=4..5"], runner: "mvmu", runnerFlags: { device: "ideal" } }, "CLI_ARGUMENT"],
  ];
  for (const [name, req, code] of cases) {
    it(`${name} → ${code}, no folder`, async () => {
      const out = path.join(base, name.replace(/\W+/g, "-"));
      expect(await errorCode(() => runSweep({ arch: tiny, vary: [], ...req }, out, { jobs: 1 }))).toBe(code);
      expect(fs.existsSync(out)).toBe(false);
    });
  }
});

describe("cost runner", () => {
  it("each point's figures equal rramsim cost of the design with that override", async () => {
    const out = path.join(tmpDir("sweep-cost"), "s");
    const o = await runSweep({ arch: tiny, runner: "cost", vary: ["crossbar.rows=16,32", "adc.bits=5,6"] }, out, { jobs: 1 });
    expect(o.ran).toBe(4);
    const raw = readConfigFile(tiny);
    const expected = [
      [16, 5],
      [16, 6],
      [32, 5],
      [32, 6],
    ].map(([rows, bits]) => archCost(setAtPath(setAtPath(raw, "tile.mvmu.crossbar.rows", rows), "tile.mvmu.adc.bits", bits) as Record<string, unknown>));
    o.results.rows.forEach((row, k) => {
      expect(row.area_mm2).toBe(expected[k].area_mm2);
      expect(row.tops_per_w).toBe(expected[k].tops_per_w);
    });
    // tiny's MVM unit: rows × 8 logical columns (16-column crossbars, 2-bit cells, 8-bit weights → 4 cells per weight, 2 crossbars)
    expect(o.results.rows.map((r) => r.peak_ops_per_s as number).map((v) => v / (o.results.rows[0].peak_ops_per_s as number))).toEqual([1, 1, 2, 2]);
    const csv = read(out, "results.csv").trim().split("\n");
    expect(csv[0].startsWith("point,crossbar.rows,adc.bits,seed,area_mm2,power_w,peak_ops_per_s,tops_per_w,tops_per_mm2")).toBe(true);
    expect(csv).toHaveLength(5);
    expect(csv[3].split(",").slice(0, 3)).toEqual(["2", "32", "5"]);
  });

  it("a point's seed depends on the run seed and its overrides, not on its index or the flag order", () => {
    const a = planSweep({ arch: tiny, vary: ["adc.bits=4..6", "crossbar.rows=16,32"], seed: 7 });
    const b = planSweep({ arch: tiny, vary: ["crossbar.rows=32,16", "tile.mvmu.adc.bits=6,5"], seed: 7 });
    const seedOf = (p: typeof a, bits: number, rows: number) =>
      p.points.find((x) => {
        const raw = sweepPointData(p, x.values) as any;
        return raw.tile.mvmu.adc.bits === bits && raw.tile.mvmu.crossbar.rows === rows;
      })!.seed;
    expect(seedOf(a, 5, 32)).toBe(seedOf(b, 5, 32));
    expect(seedOf(a, 6, 16)).toBe(seedOf(b, 6, 16));
    expect(new Set(a.points.map((p) => p.seed)).size).toBe(6);
    expect(sweepPointSeed(7, ["x"], [1])).not.toBe(sweepPointSeed(8, ["x"], [1]));
  });
});

const AXES: [string, string[]][] = [
  ["adc.bits", ["4", "5", "6", "7"]],
  ["crossbar.cols", ["8", "16", "32"]],
  ["clock", ["1GHz", "500MHz"]],
];

describe("shards and merge", () => {
  it("shards cover every point exactly once, and merging them gives the results of one run", async () => {
    const base = tmpDir("sweep-shards");
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(AXES, { minLength: 1 }).chain((axes) => fc.tuple(fc.constant(axes.map((a) => a[0])), fc.tuple(...axes.map((a) => fc.subarray(a[1], { minLength: 1 }))))),
        fc.integer({ min: 1, max: 4 }),
        async ([paths, values], n) => {
          const dir = path.join(base, `r${run++}`);
          const vary = paths.map((p, i) => `${p}=${values[i].join(",")}`);
          const whole = await runSweep({ arch: tiny, vary }, path.join(dir, "whole"), { jobs: 1 });
          const shards: string[] = [];
          const covered: number[] = [];
          for (let i = 0; i < n; i++) {
            const d = path.join(dir, `shard${i}`);
            const o = await runSweep({ arch: tiny, vary, shard: { index: i, count: n } }, d, { jobs: 1 });
            covered.push(...o.results.rows.map((r) => r.point as number));
            shards.push(d);
          }
          expect(covered.sort((a, b) => a - b)).toEqual(whole.results.rows.map((_, k) => k));
          mergeSweeps(shards.reverse(), path.join(dir, "merged"));
          expect(read(path.join(dir, "merged"), "results.json")).toBe(read(path.join(dir, "whole"), "results.json"));
          expect(read(path.join(dir, "merged"), "results.csv")).toBe(read(path.join(dir, "whole"), "results.csv"));
        },
      ),
      { numRuns: 8 },
    );
  });

  it("merge refuses shards of different sweeps and incomplete sets", async () => {
    const dir = tmpDir("sweep-merge-refuse");
    const vary = ["adc.bits=4..7"];
    await runSweep({ arch: tiny, vary, shard: { index: 0, count: 2 } }, path.join(dir, "a0"), { jobs: 1 });
    await runSweep({ arch: tiny, vary, shard: { index: 1, count: 2 }, seed: 2 }, path.join(dir, "b1"), { jobs: 1 });
    await runSweep({ arch: tiny, vary, shard: { index: 1, count: 2 }, set: ["clock=2GHz"] }, path.join(dir, "c1"), { jobs: 1 });
    const merge = (dirs: string[]) =>
      errorCode(async () =>
        mergeSweeps(
          dirs.map((d) => path.join(dir, d)),
          path.join(dir, "out"),
        ),
      );
    expect(await merge(["a0", "b1"])).toBe("SWEEP_MISMATCH");
    expect(await merge(["a0", "c1"])).toBe("SWEEP_MISMATCH");
    expect(await merge(["a0"])).toBe("SWEEP_INCOMPLETE");
    expect(await merge(["a0", "nowhere"])).toBe("INPUT_FILE");
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });
});
