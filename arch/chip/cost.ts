// Static cost of a whole design, behind `rramsim cost`: the cost tree of the chip built from its
// parts (sim/cost-tree.ts) — tiles (cores with their MVM units from arch/core and arch/mvmu, MVM
// units owned by the tile, the shared memory, the digital units, the tile's share of a router),
// the network's links, the off-chip link and the global memory — and the peak throughput.
// Totals are never typed in: area and peak power are the sums of the parts.
//
// Peak throughput counts one MAC as two ops at the design's operand precision (its MVMU's input
// and weight bits), with every MVM unit running MVMs back to back at the initiation interval of the
// MVMU timing model (arch/mvmu/timing.ts):
//   peak ops/s = 2 × rows × logical weight columns × MVM units / initiation interval
// Power efficiency and area efficiency divide that by the peak power and the area of the whole
// chip (off-chip link included, as ISAAC's Table IV does).
// The report's `notes` name the parts whose figures are a cost model extrapolated outside its fitted
// range (arch/mvmu/cost.ts `mvmuCostNotes`).
// Left out: wiring and floorplan overheads, clock tree, I/O pads, anything a source does not list.

import { costRows, instanceTotals, totalsByName, type CostNode } from "../../sim/cost-tree";
import { resolveCost } from "../../sim/cost";
import { coreCostNode } from "../core/cost";
import { mvmuCostNode, mvmuCostNotes } from "../mvmu/cost";
import { mvmuTiming } from "../mvmu/timing";
import { mvmuGeometryInfo } from "../mvmu/encoding";
import { sharedMemoryCost, type SharedMemoryParams } from "../memory/shared-memory";
import { digitalUnitCost } from "../tile/digital-unit";
import { mvmusPerTile, routerShareOf, toChipDesign, type ChipDesign } from "./params";
import { SECONDS_PER_TICK } from "../../sim/time";
import { OPS_PER_TERA } from "../../sim/units";

function memoryNode(name: string, p: SharedMemoryParams, clockHz: number): CostNode {
  const c = sharedMemoryCost(p, clockHz);
  return { name, count: 1, powerMw: c.peakPowerMw + c.leakageMw, areaUm2: c.areaUm2, note: `${p.size} B ${p.technology}` };
}

/** The tile's router share: the router's cost spec at its peak rate, (4 + c) ports × NoC clock. */
function routerNode(d: ChipDesign): CostNode {
  const g = d.noc;
  const r = resolveCost(d.config.noc.router, (4 + g.topology.concentration) * g.clockHz);
  return { name: "router", count: routerShareOf(d.config), powerMw: r.peakPowerMw + r.leakageMw, areaUm2: r.areaUm2, note: `${4 + g.topology.concentration}-port router` };
}

/** One tile, children per part. */
export function tileCostNode(d: ChipDesign): CostNode {
  const c = d.config;
  const t = c.tile;
  const clockHz = c.clock;
  const mvmu = mvmuCostNode(t.mvmu, clockHz);
  const children: CostNode[] = [];
  if (t.cores > 0 && t.core !== undefined) {
    const core = coreCostNode(t.core, clockHz);
    children.push({ ...core, count: t.cores, children: [...(core.children ?? []), { ...mvmu, count: t.mvmusPerCore }] });
  }
  if (t.mvmus > 0) children.push({ ...mvmu, count: t.mvmus });
  if (t.sharedMemory !== undefined) children.push(memoryNode("sharedMemory", t.sharedMemory, clockHz));
  for (const [name, u] of Object.entries(t.units)) {
    const r = digitalUnitCost(u, clockHz);
    children.push({ name, count: u.count, powerMw: r.peakPowerMw + r.leakageMw, areaUm2: r.areaUm2 });
  }
  const router = routerNode(d);
  if (router.count > 0 && (router.powerMw > 0 || router.areaUm2 > 0)) children.push(router);
  return { name: "tile", count: c.tiles, powerMw: 0, areaUm2: 0, children };
}

/** Directed router-to-router links of the grid. */
function routerLinks(d: ChipDesign): number {
  const topo = d.noc.topology;
  let n = 0;
  for (let r = 0; r < topo.routers; r++) for (let dir = 0; dir < 4; dir++) if (topo.neighbour(r, dir) >= 0) n++;
  return n;
}

/** The whole chip as a cost tree. */
export function chipCostNode(arch: string | ChipDesign | Record<string, unknown>): CostNode {
  const d = toChipDesign(arch);
  const c = d.config;
  const children: CostNode[] = [tileCostNode(d)];
  if (c.noc.linkEnergy > 0) {
    // one flit per cycle on every link at peak: router-to-router links and tile ejection links
    const linkMw = c.noc.linkEnergy * d.noc.clockHz * 1e-9;
    children.push({ name: "noc", count: 1, powerMw: 0, areaUm2: 0, children: [{ name: "link", count: routerLinks(d) + c.tiles, powerMw: linkMw, areaUm2: 0 }] });
  }
  if (c.offchip !== undefined) {
    const o = c.offchip;
    const peakFlitsPerS = (o.links * o.bandwidth * 8) / c.noc.flitBits;
    const dynMw = o.power ?? (o.energy as number) * peakFlitsPerS * 1e-9;
    children.push({ name: "offchip", count: 1, powerMw: dynMw + o.leakage, areaUm2: o.area, note: `${o.links} links × ${o.bandwidth / 1e9} GB/s` });
  }
  if (c.globalMemory !== undefined) children.push(memoryNode("globalMemory", c.globalMemory, c.clock));
  return { name: "chip", count: 1, powerMw: 0, areaUm2: 0, children, note: c.name };
}

export interface PeakThroughput {
  /** ops per second, one MAC = 2 ops */
  opsPerS: number;
  mvmus: number;
  /** logical MACs of one MVM: rows × logical weight columns */
  macsPerMvm: number;
  mvmLatencyS: number;
  mvmIntervalS: number;
  inputBits: number;
  weightBits: number;
}

/** Peak throughput of a design from its MVMU timing (see the file header). */
export function peakThroughput(arch: string | ChipDesign | Record<string, unknown>): PeakThroughput {
  const d = toChipDesign(arch);
  const c = d.config;
  const m = c.tile.mvmu;
  const timing = mvmuTiming(m, c.clock);
  const macsPerMvm = m.crossbar.rows * mvmuGeometryInfo(m).logicalCols;
  const mvmus = c.tiles * mvmusPerTile(c.tile);
  const intervalS = timing.initiationIntervalTicks * SECONDS_PER_TICK;
  return {
    opsPerS: (2 * macsPerMvm * mvmus) / intervalS,
    mvmus,
    macsPerMvm,
    mvmLatencyS: timing.mvmLatencyTicks * SECONDS_PER_TICK,
    mvmIntervalS: intervalS,
    inputBits: m.precision.inputBits,
    weightBits: m.precision.weightBits,
  };
}

/** The report of `rramsim cost` (its --json keys). */
export interface ArchCostReport {
  name: string;
  source: string;
  file: string;
  clock_hz: number;
  tiles: number;
  mvmus: number;
  area_mm2: number;
  power_w: number;
  peak_ops_per_s: number;
  tops_per_w: number;
  tops_per_mm2: number;
  /** per component path (chip.tile.mvmu.adc …), all instances, children included */
  area_breakdown_mm2: Record<string, number>;
  power_breakdown_w: Record<string, number>;
  /** own costs summed over every node of a name (all ADCs, all routers …) */
  by_kind: Record<string, { power_w: number; area_mm2: number }>;
  tile: { power_w: number; area_mm2: number };
  mvm: { macs: number; latency_s: number; interval_s: number; input_bits: number; weight_bits: number };
  /** the source's own figures, with the relative difference of the computed ones (for comparison only) */
  published?: Record<string, { published: number; computed: number; diff: number }>;
  /** one line per part whose cost model is used outside its fitted range (extrapolated); empty when none is */
  notes: string[];
  tree: CostNode;
}

function comparePublished(d: ChipDesign, computed: { power_w: number; area_mm2: number; gops_per_w: number; gops_per_mm2: number }): ArchCostReport["published"] {
  const p = d.config.published;
  if (p === undefined) return undefined;
  const out: NonNullable<ArchCostReport["published"]> = {};
  const add = (key: keyof typeof computed, v: number | undefined) => {
    if (v !== undefined) out[key] = { published: v, computed: computed[key], diff: computed[key] / v - 1 };
  };
  add("power_w", p.power === undefined ? undefined : p.power * 1e-3);
  add("area_mm2", p.area === undefined ? undefined : p.area * 1e-6);
  add("gops_per_w", p.gopsPerW);
  add("gops_per_mm2", p.gopsPerMm2);
  return out;
}

/** Static area, peak power and peak efficiency of a design file (or config data). */
export function archCost(arch: string | ChipDesign | Record<string, unknown>): ArchCostReport {
  const d = toChipDesign(arch);
  const tree = chipCostNode(d);
  const total = instanceTotals(tree);
  const peak = peakThroughput(d);
  const area_breakdown_mm2: Record<string, number> = {};
  const power_breakdown_w: Record<string, number> = {};
  for (const r of costRows(tree)) {
    area_breakdown_mm2[r.path] = r.areaUm2 * 1e-6;
    power_breakdown_w[r.path] = r.powerMw * 1e-3;
  }
  const by_kind: ArchCostReport["by_kind"] = {};
  for (const [k, v] of Object.entries(totalsByName(tree))) {
    if (v.powerMw > 0 || v.areaUm2 > 0) by_kind[k] = { power_w: v.powerMw * 1e-3, area_mm2: v.areaUm2 * 1e-6 };
  }
  const tile = instanceTotals(tree.children?.find((n) => n.name === "tile") as CostNode);
  const power_w = total.powerMw * 1e-3;
  const area_mm2 = total.areaUm2 * 1e-6;
  const tops_per_w = power_w > 0 ? peak.opsPerS / power_w / OPS_PER_TERA : 0;
  const tops_per_mm2 = area_mm2 > 0 ? peak.opsPerS / area_mm2 / OPS_PER_TERA : 0;
  const published = comparePublished(d, { power_w, area_mm2, gops_per_w: tops_per_w * 1e3, gops_per_mm2: tops_per_mm2 * 1e3 });
  return {
    name: d.config.name,
    source: d.config.source,
    file: d.source,
    clock_hz: d.config.clock,
    tiles: d.config.tiles,
    mvmus: peak.mvmus,
    area_mm2,
    power_w,
    peak_ops_per_s: peak.opsPerS,
    tops_per_w,
    tops_per_mm2,
    area_breakdown_mm2,
    power_breakdown_w,
    by_kind,
    tile: { power_w: tile.powerMw * 1e-3, area_mm2: tile.areaUm2 * 1e-6 },
    mvm: { macs: peak.macsPerMvm, latency_s: peak.mvmLatencyS, interval_s: peak.mvmIntervalS, input_bits: peak.inputBits, weight_bits: peak.weightBits },
    ...(published === undefined ? {} : { published }),
    notes: mvmuCostNotes(d.config.tile.mvmu),
    tree,
  };
}
