import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { runSweep } from "../../app/sweep/engine";
import { read, tiny, tmpDir } from "./helpers";

describe("sweep determinism", () => {
  it("--jobs 1 and --jobs 2 (worker threads) give the same results files, bit for bit", async () => {
    const dir = tmpDir("sweep-jobs");
    const req = { arch: tiny, runner: "mvmu", runnerFlags: { samples: "3" }, vary: ["adc.bits=3..6"], seed: 11 };
    const one = await runSweep(req, path.join(dir, "one"), { jobs: 1 });
    const finished: number[] = [];
    const two = await runSweep(req, path.join(dir, "two"), { jobs: 2, onProgress: (p) => p.point && finished.push(p.point.index) });
    expect(two.ran).toBe(4);
    expect(two.workers).toBe(2);
    expect(one.workers).toBe(0);
    expect(finished.sort()).toEqual([0, 1, 2, 3]);
    expect(read(path.join(dir, "two"), "results.json")).toBe(read(path.join(dir, "one"), "results.json"));
    expect(read(path.join(dir, "two"), "results.csv")).toBe(read(path.join(dir, "one"), "results.csv"));
    // tiny: 16 rows, 1-bit DAC, 2-bit cells, unsigned → lossless ADC bits = ⌈log2(1 · 3 · 16)⌉ = 6
    expect(one.results.rows.map((r) => r.exact)).toEqual([false, false, false, true]);
    expect(one.results.rows[3].rmse_lsb).toBe(0);
    expect(one.results.rows.every((r) => (r.rmse_lsb as number) >= 0 && (r.energy_per_mvm_j as number) > 0)).toBe(true);
    // the breakdown adds up to the energy per MVM
    for (const r of one.results.rows) {
      const parts = Object.entries(r).filter(([k]) => k.startsWith("energy_per_mvm_breakdown_j."));
      expect(parts.length).toBeGreaterThan(3);
      expect(parts.reduce((s, [, v]) => s + (v as number), 0)).toBeCloseTo(r.energy_per_mvm_j as number, 20);
    }
  });
});
