import { describe, expect, it } from "vitest";
import { runKernelDemo } from "../../app/experiments/demo";
import { RunBus } from "../../app/run-bus";
import { RandomStream, RandomStreams } from "../../sim/random";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";
import { Stage } from "../../sim/builtins";

describe("kernel demonstration (ISAAC Fig. 4b pipeline)", () => {
  const r = runKernelDemo({ jobs: 50 });
  it("first job latency is the sum of the stage times: 22 × 100 ns (docs/references.md §1.5)", () => {
    expect(r.firstJobLatencyS).toBeCloseTo(2.2e-6, 15);
  });
  it("steady-state throughput is set by the slowest stage: one job per 1.6 µs", () => {
    expect(r.throughputJobsPerS).toBeCloseTo(1 / 1.6e-6, 3);
  });
  it("energy is jobs × per-job energies (3840 pJ + 1600 pJ)", () => {
    expect(r.energyJ).toBeCloseTo(50 * (3840 + 1600) * 1e-12, 18);
  });
  it("cost grows with work, not with simulated time: a few events per job per stage", () => {
    // each job costs one finish event per stage, plus the one event that starts the feeder
    expect(r.events).toBe(50 * 6 + 1);
  });
});

describe("stage back-pressure", () => {
  it("a slow stage blocks its producer, and no job is lost or duplicated", () => {
    const sim = new Simulator();
    const ctx = { sim, ledger: new EnergyLedger() };
    const fast = new Stage(ctx, "p.fast", { serviceTime: 10, queueCapacity: 1, energyPerJob: 0, leakage: 0, area: 0 });
    const slow = new Stage(ctx, "p.slow", { serviceTime: 100, queueCapacity: 1, energyPerJob: 0, leakage: 0, area: 0 });
    fast.connect(slow);
    const seen: number[] = [];
    slow.connect((j) => seen.push(j.id));
    let issued = 0;
    const feed = () => {
      while (issued < 20 && fast.hasRoom()) fast.offer({ id: issued++, startTick: sim.now });
    };
    fast.listenForRoom({ onRoom: feed });
    feed();
    sim.run();
    expect(seen).toEqual([...Array(20).keys()]);
    // the slow stage is the bottleneck: 20 jobs × 100 ticks after the first 10-tick service
    expect(sim.now).toBe(10 + 20 * 100);
    const st = fast.collectStats();
    expect(st["p.fast.blockedTicks"] as number).toBeGreaterThan(0);
  });
});

describe("run bus", () => {
  it("delivers typed payloads and keeps its history bounded", async () => {
    const bus = new RunBus(8);
    const got: number[] = [];
    bus.on("run.progress", (p) => got.push(p.done));
    for (let i = 0; i < 100; i++) await bus.emit("run.progress", { done: i, total: 100, unit: "samples" });
    expect(got).toHaveLength(100);
    expect(got[99]).toBe(99);
    expect(bus.history().length).toBeLessThanOrEqual(8);
  });
});

describe("seeded random streams", () => {
  it("the same seed and path give the same numbers; other paths or seeds differ", () => {
    const a = new RandomStream(7, "chip.tile[0]");
    const b = new RandomStream(7, "chip.tile[0]");
    const c = new RandomStream(7, "chip.tile[1]");
    const d = new RandomStream(8, "chip.tile[0]");
    const xs = [a.uniform(), a.uniform(), a.normal()];
    expect([b.uniform(), b.uniform(), b.normal()]).toEqual(xs);
    expect(c.uniform()).not.toBe(xs[0]);
    expect(d.uniform()).not.toBe(xs[0]);
  });
  it("a component's stream does not depend on what other components drew", () => {
    const s1 = new RandomStreams(3);
    const s2 = new RandomStreams(3);
    for (let i = 0; i < 1000; i++) s1.for("noisy").uniform();
    expect(s1.for("quiet").uniform()).toBe(s2.for("quiet").uniform());
  });
  it("normal draws have mean ≈ 0 and variance ≈ 1", () => {
    const s = new RandomStream(1, "n");
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const x = s.normal();
      sum += x;
      sq += x * x;
    }
    // 5σ bounds for the sample mean (σ = 1/√n) and variance (σ ≈ √(2/n))
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sq / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});
