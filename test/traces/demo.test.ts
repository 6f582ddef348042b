import { describe, expect, it } from "vitest";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { runKernelDemo } from "../../app/experiments/demo";
import { summarizeTrace } from "../../traces/summary";
import { readTrace } from "../../traces/reader";
import { parseTraceFilter } from "../../traces/filter";
import { tmpDir } from "./helpers";

const dir = tmpDir("demo-trace");
const digest = (f: string) => crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");

describe("kernel demo traces", () => {
  const file = path.join(dir, "demo.rtrace");
  const report = runKernelDemo({ jobs: 40, trace: { file } });

  it("the busy time in the trace equals the demo report's busy time, stage by stage", () => {
    const s = summarizeTrace(file);
    const traced = Object.fromEntries(s.components.map((r) => [r.component, r.busyTicks / 1e12]));
    for (const st of report.stages) expect(traced[st.name]).toBeCloseTo(st.busyS, 15);
    const stalled = Object.fromEntries(s.components.map((r) => [r.component, r.stallTicks / 1e12]));
    for (const st of report.stages) expect(stalled[st.name] ?? 0).toBeCloseTo(st.blockedS, 15);
    // the trace ends when the last job leaves the last stage: the report's makespan
    expect(s.spanTicks / 1e12).toBeCloseTo(report.makespanS, 15);
    expect(report.trace?.events).toBe(s.events);
  });

  it("each stage serves every job once, for its service time (ISAAC Fig. 4b stage times)", () => {
    const { header, events } = readTrace(file);
    const serve = header.kinds.findIndex((k) => k.name === "stage.serve");
    const crossbar = header.components.indexOf("demo.crossbar");
    const x = events.filter((e) => e.kind === serve && e.component === crossbar);
    expect(x.map((e) => e.ints[0])).toEqual([...Array(40).keys()]);
    expect(x.every((e) => e.durTicks === 1_600_000)).toBe(true); // 16 × 100 ns
    // the crossbar is the bottleneck: each job after the first starts the moment the previous one ends
    for (let i = 1; i < x.length; i++) expect(x[i].tick).toBe(x[i - 1].tick + x[i - 1].durTicks);
  });

  it("the same run twice writes the same trace, byte for byte", () => {
    const again = path.join(dir, "again.rtrace");
    runKernelDemo({ jobs: 40, trace: { file: again } });
    expect(digest(again)).toBe(digest(file));
  });

  it("without --trace the report is unchanged (no trace key, same figures)", () => {
    const plain = runKernelDemo({ jobs: 40 });
    expect("trace" in plain).toBe(false);
    const { trace: _t, ...withoutTrace } = report;
    void _t;
    expect(plain).toEqual(withoutTrace);
  });

  it("a filtered demo trace holds only the chosen stages", () => {
    const f = path.join(dir, "filtered.rtrace");
    runKernelDemo({ jobs: 10, trace: { file: f, filter: parseTraceFilter(["path=demo.adc,demo.crossbar", "kind=stage.serve"]) } });
    const s = summarizeTrace(f);
    expect(s.components.map((r) => r.component)).toEqual(["demo.adc", "demo.crossbar"]);
    expect(s.events).toBe(20);
  });

  it("integrating each stage's traced power over time gives the energy ledger's figure (leakage and dynamic)", () => {
    const cfg = path.join(dir, "leaky.yaml");
    fs.writeFileSync(
      cfg,
      ["stages:", "  - { name: a, serviceTime: 30ns, energyPerJob: 12pJ, leakage: 2mW }", "  - { name: b, serviceTime: 70ns, energyPerJob: 5pJ, leakage: 0.5mW }", "  - { name: c, serviceTime: 10ns }"].join("\n"),
    );
    const f = path.join(dir, "leaky.rtrace");
    const r = runKernelDemo({ config: cfg, jobs: 25, trace: { file: f } });
    const s = summarizeTrace(f, { windowTicks: 7_000 });
    for (const st of r.stages) {
      // mean mW over each window × the window's length in ps: mW·ps = 1e-15 J
      let j = 0;
      for (const w of s.counterWindows.filter((w) => w.component === st.name)) j += w.mean * Math.min(s.windowTicks, s.spanTicks - w.startTick) * 1e-15;
      expect(Math.abs(j - st.energyJ)).toBeLessThanOrEqual(1e-9 * st.energyJ);
    }
    // by hand for stage a: 25 jobs × 12 pJ + 2 mW × makespan
    expect(r.stages[0].energyJ).toBeCloseTo(25 * 12e-12 + 2e-3 * r.makespanS, 20);
  });
});
