// The Pareto front of sweep points over two metrics, each to be maximised or minimised. A point is
// on the front when no other point is at least as good in both metrics and strictly better in one;
// points with equal metrics are all kept. O(n log n): sort by the first metric, best first, and
// keep each point that beats the best second metric seen so far (or repeats the last kept point).
// Also the direction a metric name implies (energy, latency, area, power, error: lower is better).

export type MetricGoal = "max" | "min";

/** Whether a metric is better high or low, from its name. */
export function metricGoal(name: string): MetricGoal {
  if (/(^|_)(accuracy|top1|top5)/.test(name)) return "max";
  if (/(^|_)(tops|ops|gops|throughput|inferences)_per_/.test(name) || /^peak_ops/.test(name)) return "max";
  return "min";
}

/** Indices of the points on the front; points with a non-finite metric are left out. */
export function paretoFront(xs: readonly number[], ys: readonly number[], goalX: MetricGoal, goalY: MetricGoal): number[] {
  const sx = goalX === "max" ? 1 : -1;
  const sy = goalY === "max" ? 1 : -1;
  const idx: number[] = [];
  for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) idx.push(i);
  // both metrics as "higher is better"
  const x = (i: number) => sx * xs[i];
  const y = (i: number) => sy * ys[i];
  idx.sort((a, b) => x(b) - x(a) || y(b) - y(a) || a - b);
  const front: number[] = [];
  let bestY = -Infinity;
  let last = -1;
  for (const i of idx) {
    if (y(i) > bestY) {
      front.push(i);
      bestY = y(i);
      last = i;
    } else if (last >= 0 && y(i) === y(last) && x(i) === x(last)) front.push(i);
  }
  return front.sort((a, b) => a - b);
}
