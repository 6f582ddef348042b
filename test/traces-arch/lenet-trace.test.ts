// One LeNet-5 inference on PUMA at ideal fidelity with a trace file: the file decodes with
// monotonic timestamps per track and finite durations, and the busy time it records agrees with
// the run report (its throughput is 1 / the busiest MVM unit's occupancy or core's issue time) and
// with the MVM units' own per-step and per-part accounting.
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runModel } from "../../app/run/session";
import { summarizeTrace } from "../../traces/summary";
import { checkTraceInvariants, slicesOfFile, trackSums } from "./helpers";

const root = path.join(__dirname, "..", "..");

describe("a trace of one LeNet-5 inference (rramsim run --trace)", () => {
  it("decodes with monotonic timestamps per track, every slice ends, and busy time agrees with the report", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-lenet-trace-"));
    try {
      const file = path.join(dir, "lenet.rtrace");
      const r = runModel({ arch: path.join(root, "configs", "arch", "puma.yaml"), model: "zoo:lenet5", samples: 1, adcBits: "lossless", fidelity: "ideal", trace: { file } });
      expect(r.trace?.events).toBeGreaterThan(10_000);
      const slices = slicesOfFile(file);
      expect(slices.length).toBe(r.trace?.events);
      checkTraceInvariants(slices);
      const { busy, countByKind } = trackSums(slices);

      // the report's throughput: 1 / max(busiest MVM unit's occupancy, busiest core's retired × period)
      const periodTicks = 1e12 / r.clock_hz;
      const mvmuBusy = [...busy].filter(([p]) => /\.mvmu\[\d+\]$/.test(p)).map(([, v]) => v);
      const retired = new Map<string, number>();
      for (const s of slices) {
        if (!/\.core\[\d+\]$/.test(s.component) || s.isStall) continue;
        retired.set(s.component, (retired.get(s.component) ?? 0) + (s.kind === "core.scalar" ? s.ints[0] : 1));
      }
      const busiestMvmu = mvmuBusy.reduce((a, b) => Math.max(a, b), 0);
      const busiestCore = [...retired.values()].reduce((a, n) => Math.max(a, n * periodTicks), 0);
      // on PUMA the MVM units are the bottleneck, so the report's throughput is 1 / the busiest unit's occupancy
      expect(busiestMvmu).toBeGreaterThan(busiestCore);
      expect(busiestMvmu * 1e-12).toBeCloseTo(1 / r.throughput_inferences_per_s, 15);

      // one mvmu.mvm slice per mvm instruction; one step per crossbar read; a track for every unit used
      expect(countByKind.get("mvmu.mvm")).toBe(countByKind.get("core.mvm"));
      expect(mvmuBusy.length).toBe(r.mapping.mvmus_used);
      const steps = slices.filter((s) => s.kind === "mvmu.step");
      expect(steps.length).toBe(slices.filter((s) => s.kind === "crossbar.read" && s.component.endsWith(".crossbar[0]")).length);

      // the inference's span covers every slice, and the summary tool reads the same busy time
      const run = slices.filter((s) => s.kind === "run.inference");
      expect(run.length).toBe(1);
      const end = slices.reduce((a, s) => Math.max(a, s.tick + s.durTicks), 0);
      expect(run[0].tick + run[0].durTicks).toBe(end);
      expect(run[0].durTicks * 1e-12).toBeCloseTo(r.latency_s, 12);
      const summary = summarizeTrace(file);
      const mvmu0 = [...busy.keys()].find((p) => /\.mvmu\[\d+\]$/.test(p)) as string;
      expect(summary.components.find((c) => c.component === mvmu0)?.busyTicks).toBe(busy.get(mvmu0));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
