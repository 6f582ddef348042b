import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { metricGoal, paretoFront, type MetricGoal } from "../../app/sweep/pareto";

/** The definition, O(n²): i is on the front when no j is at least as good in both and better in one. */
function naiveFront(xs: number[], ys: number[], gx: MetricGoal, gy: MetricGoal): number[] {
  const better = (a: number, b: number, g: MetricGoal) => (g === "max" ? a > b : a < b);
  const atLeast = (a: number, b: number, g: MetricGoal) => a === b || better(a, b, g);
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
    let dominated = false;
    for (let j = 0; j < xs.length && !dominated; j++) {
      if (j === i || !Number.isFinite(xs[j]) || !Number.isFinite(ys[j])) continue;
      dominated = atLeast(xs[j], xs[i], gx) && atLeast(ys[j], ys[i], gy) && (better(xs[j], xs[i], gx) || better(ys[j], ys[i], gy));
    }
    if (!dominated) out.push(i);
  }
  return out;
}

describe("Pareto front", () => {
  it("hand example: accuracy up, energy down", () => {
    // (energy, accuracy): B beats A in both; C trades energy for accuracy; D equals C; E is worse than C
    const energy = [5, 4, 2, 2, 3];
    const acc = [0.8, 0.9, 0.7, 0.7, 0.6];
    expect(paretoFront(energy, acc, "min", "max")).toEqual([1, 2, 3]);
  });

  it("matches the O(n²) definition on random points with many ties", () => {
    const goal = fc.constantFrom<MetricGoal>("max", "min");
    const value = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(Number.NaN));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value), { maxLength: 40 }), goal, goal, (pts, gx, gy) => {
        const xs = pts.map((p) => p[0]);
        const ys = pts.map((p) => p[1]);
        expect(paretoFront(xs, ys, gx, gy)).toEqual(naiveFront(xs, ys, gx, gy));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.double({ noNaN: true, min: -1e6, max: 1e6 })), { maxLength: 60 }), goal, goal, (pts, gx, gy) => {
        const xs = pts.map((p) => p[0]);
        const ys = pts.map((p) => p[1]);
        expect(paretoFront(xs, ys, gx, gy)).toEqual(naiveFront(xs, ys, gx, gy));
      }),
      { numRuns: 200 },
    );
  });

  it("metric names say which way is better", () => {
    expect(metricGoal("accuracy")).toBe("max");
    expect(metricGoal("tops_per_w")).toBe("max");
    expect(metricGoal("tops_per_mm2")).toBe("max");
    expect(metricGoal("peak_ops_per_s")).toBe("max");
    expect(metricGoal("energy_j")).toBe("min");
    expect(metricGoal("latency_s")).toBe("min");
    expect(metricGoal("area_mm2")).toBe("min");
    expect(metricGoal("rmse_lsb")).toBe("min");
  });
});
