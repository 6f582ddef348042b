// Components: the hardware models' common base. A component kind says what it is before what it
// does (SST's self-documenting components): its params schema, its stats and its energy actions
// are declared in one `ComponentKind` object, registered so `rramsim describe` can print them.
// An instance has a hierarchical path (`chip.tile[3].core[1]`), receives only its own validated
// params slice, owns its stats, and has one row in the run's energy ledger.

import type { z } from "zod";
import type { Simulator } from "./simulator";
import type { EnergyLedger, LedgerEntry, ActionCost } from "./energy";
import { Counter, Formula, Histogram, type Stat, type StatSpec, statValue, type StatValue } from "./stats";
import type { RandomStream } from "./random";
import { NULL_TRACER, type Tracer } from "./tracer";

export interface ActionSpec {
  desc: string;
}

export interface ComponentKind<S extends z.ZodType = z.ZodType> {
  /** the glossary word: "adc", "crossbar", "router", ... */
  kind: string;
  description: string;
  params: S;
  stats: Record<string, StatSpec>;
  actions: Record<string, ActionSpec>;
}

const registry = new Map<string, ComponentKind>();

/** Declares and registers a component kind; returns it unchanged for use as a class's static. */
export function defineKind<S extends z.ZodType>(spec: ComponentKind<S>): ComponentKind<S> {
  const prev = registry.get(spec.kind);
  if (prev !== undefined && prev !== (spec as unknown as ComponentKind)) {
    throw new Error(`component kind '${spec.kind}' is defined twice`);
  }
  registry.set(spec.kind, spec as unknown as ComponentKind);
  return spec;
}

export function registeredKinds(): ComponentKind[] {
  return [...registry.values()].sort((a, b) => a.kind.localeCompare(b.kind));
}

export function kindByName(name: string): ComponentKind | undefined {
  return registry.get(name);
}

/** What a component needs from the run it belongs to. */
export interface SimContext {
  sim: Simulator;
  ledger: EnergyLedger;
  /** where the components record trace events (docs/traces.md); absent: NULL_TRACER, nothing recorded */
  tracer?: Tracer;
}

/** Energy and area of one component instance, from its config slice. */
export interface CostTable {
  actions: Record<string, ActionCost>;
  leakageMw?: number;
  areaUm2?: number;
}

/** What a kind's instances build and check at construction, worked out once per kind. */
interface KindPlan {
  /** the counters and histograms of `kind.stats` (formulas are bound by the component) */
  stats: [string, StatSpec][];
  actionNames: string[];
}
const kindPlans = new WeakMap<ComponentKind, KindPlan>();

function planOf(kind: ComponentKind): KindPlan {
  let plan = kindPlans.get(kind);
  if (plan === undefined) {
    plan = { stats: Object.entries(kind.stats).filter(([, spec]) => spec.kind !== "formula"), actionNames: Object.keys(kind.actions) };
    kindPlans.set(kind, plan);
  }
  return plan;
}

export abstract class Component<S extends z.ZodType = z.ZodType> {
  // assigned in the constructor, not declared with initialisers: thousands are built per chip
  declare readonly path: string;
  declare readonly kind: ComponentKind<S>;
  declare readonly ctx: SimContext;
  declare readonly params: z.output<S>;
  declare readonly stats: Record<string, Stat>;
  declare readonly energy: LedgerEntry;
  declare readonly children: Component[];

  constructor(ctx: SimContext, path: string, kind: ComponentKind<S>, params: z.output<S>, cost: CostTable) {
    this.path = path;
    this.kind = kind;
    this.ctx = ctx;
    this.params = params;
    const stats: Record<string, Stat> = {};
    this.stats = stats;
    const plan = planOf(kind as unknown as ComponentKind);
    for (const [name, spec] of plan.stats) stats[name] = spec.kind === "counter" ? new Counter(spec) : new Histogram(spec);
    for (const a of Object.keys(cost.actions)) {
      if (!(a in kind.actions)) throw new Error(`${path}: cost table names undeclared action '${a}'`);
    }
    for (const a of plan.actionNames) {
      if (!(a in cost.actions)) throw new Error(`${path}: no energy cost for action '${a}'`);
    }
    this.energy = ctx.ledger.register({ path, kind: kind.kind, actions: cost.actions, leakageMw: cost.leakageMw, areaUm2: cost.areaUm2 });
    this.children = [];
  }

  get sim(): Simulator {
    return this.ctx.sim;
  }

  /** The run's tracer (NULL_TRACER when the context has none): components intern their ids at construction. */
  get contextTracer(): Tracer {
    return this.ctx.tracer ?? NULL_TRACER;
  }

  /** This component's seeded random stream. */
  get random(): RandomStream {
    return this.ctx.sim.random.for(this.path);
  }

  protected counter(name: string): Counter {
    const s = this.stats[name];
    if (!(s instanceof Counter)) throw new Error(`${this.path}: '${name}' is not a declared counter`);
    return s;
  }

  protected histogram(name: string): Histogram {
    const s = this.stats[name];
    if (!(s instanceof Histogram)) throw new Error(`${this.path}: '${name}' is not a declared histogram`);
    return s;
  }

  /** Binds a declared formula stat to its function. */
  protected formula(name: string, f: () => number): void {
    const spec = this.kind.stats[name];
    if (spec?.kind !== "formula") throw new Error(`${this.path}: '${name}' is not a declared formula`);
    this.stats[name] = new Formula(spec, f);
  }

  protected adopt<C extends Component>(child: C): C {
    this.children.push(child);
    return child;
  }

  /** All stats of this subtree, keyed `path.stat`. */
  collectStats(out: Record<string, StatValue> = {}): Record<string, StatValue> {
    for (const [name, s] of Object.entries(this.stats)) out[`${this.path}.${name}`] = statValue(s);
    for (const c of this.children) c.collectStats(out);
    return out;
  }
}

/** `tile[3]`-style child path. */
export function childPath(parent: string, name: string, index?: number): string {
  const leaf = index === undefined ? name : `${name}[${index}]`;
  return parent === "" ? leaf : `${parent}.${leaf}`;
}
