// The energy ledger (Accelergy's split: the simulator counts actions, tables turn counts into
// energy). Each component registers its actions with an energy cost per action, its leakage power
// and its area, all from its config slice. Model code only ever bumps counts; joules are computed
// here, once, when a report is made:
//   dynamic = Σ action count × energy per action
//   static  = leakage power × simulated time                       (power gating 'none')
//           = leakage power × powered time + wake-ups × wake energy (power gating 'idle')
//   area    = Σ component area
// (sim/power-gating.ts). An action marked `byValues` is counted by the value work of the run (it
// depends on tensor values: DAC pulses, crossbar read charge), so a replayed inference books it by
// replaying that work, not by copying another inference's count (sim/activity.ts skips it).

import type { Mw, Pj, Um2 } from "./units";
import { J_PER_PJ } from "./units";
import { ALWAYS_ON, type PowerGating, type PoweredActivity } from "./power-gating";
import { SECONDS_PER_TICK } from "./time";

export interface ActionCost {
  /** energy per action */
  energyPj: number;
  /** counted by the value work (value-dependent; see the header) */
  byValues?: boolean;
}

export interface LedgerEntryInit {
  path: string;
  kind: string;
  actions: Record<string, ActionCost>;
  leakageMw?: number;
  areaUm2?: number;
}

/** One component's row of the ledger. `counts[i]` belongs to `actionNames[i]`. */
export class LedgerEntry {
  readonly path: string;
  readonly kind: string;
  readonly actionNames: readonly string[];
  readonly costPj: Float64Array;
  readonly counts: Float64Array;
  readonly leakageMw: Mw;
  readonly areaUm2: Um2;
  /** per action: counted by the value work */
  readonly byValues: readonly boolean[];
  /** when the static power is drawn (set by the unit that owns the activity; default always on) */
  gating: PowerGating = ALWAYS_ON;
  /** the powered time and wake-ups under 'idle' gating */
  activity: PoweredActivity | null = null;

  constructor(init: LedgerEntryInit) {
    this.path = init.path;
    this.kind = init.kind;
    const names = Object.keys(init.actions);
    this.actionNames = names;
    // a plain loop: thousands of rows are made per chip
    this.costPj = new Float64Array(names.length);
    for (let i = 0; i < names.length; i++) this.costPj[i] = init.actions[names[i]].energyPj;
    this.byValues = names.map((n) => init.actions[n].byValues === true);
    this.counts = new Float64Array(names.length);
    this.leakageMw = (init.leakageMw ?? 0) as Mw;
    this.areaUm2 = (init.areaUm2 ?? 0) as Um2;
  }

  /** The index of an action, for hot loops: `entry.counts[i] += n`. */
  action(name: string): number {
    const i = this.actionNames.indexOf(name);
    if (i < 0) throw new Error(`${this.path}: no energy action '${name}' (has ${this.actionNames.join(", ")})`);
    return i;
  }

  count(name: string, n = 1): void {
    this.counts[this.action(name)] += n;
  }

  dynamicPj(): Pj {
    let e = 0;
    for (let i = 0; i < this.counts.length; i++) e += this.counts[i] * this.costPj[i];
    return e as Pj;
  }

  /** Leakage energy over `seconds` powered: mW × s = mJ = 1e9 pJ. */
  leakagePj(seconds: number): Pj {
    return (this.leakageMw * seconds * 1e9) as Pj;
  }

  /** Gates the static power by `gating`, with the unit's powered time and wake-ups. */
  gate(gating: PowerGating, activity: PoweredActivity): void {
    this.gating = gating;
    this.activity = gating.policy === "idle" ? activity : null;
  }

  /** Static energy of a run of `seconds` under the entry's gating policy (see the header). */
  staticPj(seconds: number): Pj {
    const a = this.activity;
    if (this.gating.policy === "none" || a === null) return this.leakagePj(seconds);
    return (this.leakagePj(a.poweredTicks() * SECONDS_PER_TICK) + a.wakeups() * this.gating.wakeEnergy) as Pj;
  }
}

export interface EnergyReport {
  totalJ: number;
  dynamicJ: number;
  /** static energy: leakage while powered (and wake-ups) under each unit's gating policy */
  leakageJ: number;
  areaMm2: number;
  /** per component path */
  byPath: Record<string, { kind: string; dynamicJ: number; leakageJ: number; areaMm2: number; gating: PowerGating["policy"]; actions: Record<string, number> }>;
  /** per component kind, summed over instances */
  byKind: Record<string, { dynamicJ: number; leakageJ: number; areaMm2: number }>;
}

export class EnergyLedger {
  private readonly entries: LedgerEntry[] = [];
  private readonly byPath = new Map<string, LedgerEntry>();

  register(init: LedgerEntryInit): LedgerEntry {
    if (this.byPath.has(init.path)) throw new Error(`energy ledger: '${init.path}' registered twice`);
    const e = new LedgerEntry(init);
    this.entries.push(e);
    this.byPath.set(init.path, e);
    return e;
  }

  get(path: string): LedgerEntry | undefined {
    return this.byPath.get(path);
  }

  all(): readonly LedgerEntry[] {
    return this.entries;
  }

  totalAreaUm2(): Um2 {
    let a = 0;
    for (const e of this.entries) a += e.areaUm2;
    return a as Um2;
  }

  /** Dynamic plus static energy so far, `seconds` into the run (cheaper than a report). */
  totalPj(seconds: number): number {
    let e = 0;
    for (const x of this.entries) e += x.dynamicPj() + x.staticPj(seconds);
    return e;
  }

  /** Resets every action count (e.g. between a warm-up and a measured run). */
  resetCounts(): void {
    for (const e of this.entries) {
      const c = e.counts;
      for (let i = 0; i < c.length; i++) c[i] = 0;
    }
  }

  /** Energy over `seconds` of simulated time, broken down by component and by kind. */
  report(seconds: number): EnergyReport {
    const out: EnergyReport = { totalJ: 0, dynamicJ: 0, leakageJ: 0, areaMm2: 0, byPath: {}, byKind: {} };
    for (const e of this.entries) {
      const dyn = e.dynamicPj() * J_PER_PJ;
      const leak = e.staticPj(seconds) * J_PER_PJ;
      const area = e.areaUm2 * 1e-6;
      const actions: Record<string, number> = {};
      for (let i = 0; i < e.actionNames.length; i++) actions[e.actionNames[i]] = e.counts[i];
      out.byPath[e.path] = { kind: e.kind, dynamicJ: dyn, leakageJ: leak, areaMm2: area, gating: e.gating.policy, actions };
      const k = (out.byKind[e.kind] ??= { dynamicJ: 0, leakageJ: 0, areaMm2: 0 });
      k.dynamicJ += dyn;
      k.leakageJ += leak;
      k.areaMm2 += area;
      out.dynamicJ += dyn;
      out.leakageJ += leak;
      out.areaMm2 += area;
    }
    out.totalJ = out.dynamicJ + out.leakageJ;
    return out;
  }
}
