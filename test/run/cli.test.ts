import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, expect } from "vitest";
import { chipDesignFromData } from "../../arch/chip/params";
import { readConfigFile } from "../../sim/config";
import { applyOverrides } from "../../sim/overrides";
import { chipConfigSchema } from "../../arch/chip/params";
import { runPointRunner } from "../../app/run/point-runner";
import { getPointRunner } from "../../app/sweep/runner";
import { cli, repoRoot } from "../spawn";

describe("rramsim run / compile on the command line", () => {
  it("run --json prints one object with the documented keys", () => {
    const r = cli(["run", "--arch", "configs/arch/puma.yaml", "--model", "zoo:lenet5", "--fidelity", "timing", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ["latency_s", "throughput_inferences_per_s", "energy_j", "tops_per_w", "area_mm2", "cycles", "energy_breakdown_j", "layers"]) expect(j).toHaveProperty(k);
    expect(j.accuracy).toBeUndefined();
  }, 60_000);

  it("--time-every-inference simulates every inference event by event; by default all but two are replayed", () => {
    const base = ["run", "--arch", "configs/arch/puma.yaml", "--model", "zoo:lenet5", "--samples", "3", "--json"];
    const every = cli([...base, "--time-every-inference"]);
    expect(every.code, every.stderr).toBe(0);
    expect(JSON.parse(every.stdout).simulation).toEqual({ inferences_timed: 3, inferences_replayed: 0 });
    const replayed = cli(base);
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(JSON.parse(replayed.stdout).simulation).toEqual({ inferences_timed: 2, inferences_replayed: 1 });
  }, 60_000);

  it("a value outside a flag's choices is a usage error without a stack", () => {
    const r = cli(["run", "--arch", "configs/arch/tiny.yaml", "--model", "zoo:lenet5", "--fidelity", "fast"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it("bad flags and model files exit 2 with one line and no stack", () => {
    for (const args of [
      ["run", "--arch", "configs/arch/tiny.yaml", "--model", "zoo:lenet5", "--adc-bits", "lots"],
      ["run", "--arch", "configs/arch/tiny.yaml", "--model", "zoo:lenet5", "--fidelity", "physical"],
      ["run", "--arch", "configs/arch/tiny.yaml", "--model", path.join(repoRoot, "package.json")],
      ["run", "--arch", "configs/arch/tiny.yaml", "--model", "zoo:lenet5", "--set", "bits=3"],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  }, 60_000);

  it("a failing compile leaves no output directory", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-compile-"));
    try {
      const out = path.join(dir, "bundle");
      const r = cli(["compile", "--arch", "configs/arch/tiny.yaml", "--model", "zoo:lenet5", "-o", out]);
      expect(r.code).toBe(2);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the run point runner", () => {
  it("is registered for sweeps and returns the run's figures for a point's design", async () => {
    expect(getPointRunner("run")).toBe(runPointRunner);
    const raw = applyOverrides(chipConfigSchema, readConfigFile(path.join(repoRoot, "configs/arch/puma.yaml")), ["adc.bits=9"]);
    const design = chipDesignFromData(raw, "puma");
    const args = runPointRunner.parseArgs({ model: "zoo:lenet5", fidelity: "timing" });
    const m = await runPointRunner.runPoint({ design, args, seed: 1 });
    expect(m.latency_s).toBeGreaterThan(0);
    expect(m.top1).toBeNull();
    expect(m.adc_bits).toBe(9);
    expect(() => runPointRunner.parseArgs({ fidelity: "ideal" })).toThrow(/--model/);
  }, 120_000);
});
