// Statistics that follow the component tree (gem5's convention): every component owns a group of
// named counters, histograms and formulas, each with a unit and a description. Counters are plain
// numbers bumped on the hot path; formulas are evaluated only when a report is made.

export type StatKind = "counter" | "histogram" | "formula";

export interface StatSpec {
  kind: StatKind;
  unit: string;
  desc: string;
  /** histogram bucket upper edges (inclusive), ascending; one overflow bucket is added */
  buckets?: readonly number[];
}

export class Counter {
  value = 0;
  constructor(readonly spec: StatSpec) {}
  add(n = 1): void {
    this.value += n;
  }
}

export class Histogram {
  readonly edges: readonly number[];
  readonly counts: Float64Array;
  samples = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  constructor(readonly spec: StatSpec) {
    this.edges = spec.buckets ?? [];
    this.counts = new Float64Array(this.edges.length + 1);
  }

  sample(x: number, weight = 1): void {
    let i = 0;
    const e = this.edges;
    while (i < e.length && x > e[i]) i++;
    this.counts[i] += weight;
    this.samples += weight;
    this.sum += x * weight;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  get mean(): number {
    return this.samples === 0 ? 0 : this.sum / this.samples;
  }

  /** The smallest bucket edge at or below which a fraction `q` of the samples fall. */
  quantile(q: number): number {
    if (this.samples === 0) return 0;
    let acc = 0;
    for (let i = 0; i < this.counts.length; i++) {
      acc += this.counts[i];
      if (acc >= q * this.samples) return i < this.edges.length ? this.edges[i] : this.max;
    }
    return this.max;
  }
}

export class Formula {
  constructor(
    readonly spec: StatSpec,
    readonly evaluate: () => number,
  ) {}
}

export type Stat = Counter | Histogram | Formula;

/** A flat, JSON-friendly view of a stat. */
export type StatValue = number | { samples: number; mean: number; min: number; max: number; buckets: number[]; edges: number[] };

export function statValue(s: Stat): StatValue {
  if (s instanceof Counter) return s.value;
  if (s instanceof Formula) return s.evaluate();
  return {
    samples: s.samples,
    mean: s.mean,
    min: s.samples ? s.min : 0,
    max: s.samples ? s.max : 0,
    buckets: Array.from(s.counts),
    edges: [...s.edges],
  };
}
