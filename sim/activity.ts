// The activity of a component tree: every counter statistic and every ledger action count. A run
// captures it before and after an inference to get what one inference did (`delta`), checks that
// two inferences did exactly the same (`equal`), and books an inference it did not simulate event
// by event (a replayed one, sim/value-log.ts) by adding a simulated one's delta (`add`).
// Histograms and formulas are not part of it (a replayed inference adds no histogram samples), nor
// are actions counted by the value work (`byValues`, sim/energy.ts): they depend on tensor values,
// and a replayed inference counts its own by replaying that work.

import type { Component } from "./component";
import type { EnergyLedger, LedgerEntry } from "./energy";
import { Counter } from "./stats";

export interface Activity {
  /** counter values, in the probe's counter order */
  counters: Float64Array;
  /** action counts, one array per ledger entry in ledger order */
  counts: Float64Array[];
}

export class ActivityProbe {
  private readonly counters: Counter[] = [];
  private readonly entries: readonly LedgerEntry[];

  constructor(roots: readonly Component[], ledger: EnergyLedger) {
    const walk = (c: Component): void => {
      for (const s of Object.values(c.stats)) if (s instanceof Counter) this.counters.push(s);
      for (const k of c.children) walk(k);
    };
    for (const r of roots) walk(r);
    this.entries = ledger.all();
  }

  capture(): Activity {
    return {
      counters: Float64Array.from(this.counters, (c) => c.value),
      counts: this.entries.map((e) => Float64Array.from(e.counts, (v, i) => (e.byValues[i] ? 0 : v))),
    };
  }

  /** What happened between `before` and `after`. */
  delta(before: Activity, after: Activity): Activity {
    const sub = (a: Float64Array, b: Float64Array): Float64Array => b.map((v, i) => v - a[i]);
    return { counters: sub(before.counters, after.counters), counts: after.counts.map((c, i) => sub(before.counts[i], c)) };
  }

  /** True when two deltas are identical, bit for bit. */
  equal(a: Activity, b: Activity): boolean {
    const same = (x: Float64Array, y: Float64Array): boolean => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
    return same(a.counters, b.counters) && a.counts.length === b.counts.length && a.counts.every((c, i) => same(c, b.counts[i]));
  }

  /** Adds a delta to the live counters and action counts. */
  add(d: Activity): void {
    for (let i = 0; i < this.counters.length; i++) this.counters[i].value += d.counters[i];
    for (let k = 0; k < this.entries.length; k++) {
      const c = this.entries[k].counts;
      const dk = d.counts[k];
      for (let i = 0; i < c.length; i++) c[i] += dk[i];
    }
  }
}
