// `rramsim noc --arch FILE --pattern uniform|transpose|hotspot --rate R[,R...] --cycles N`:
// synthetic traffic on a design's network, one fresh seeded run per injection rate
// (arch/noc/traffic.ts), printing average and p99 packet latency and accepted throughput.

import { toChipDesign, type ChipDesign } from "../../arch/chip/params";
import { runNocTraffic, type NocTrafficPoint, type TrafficPattern } from "../../arch/noc/traffic";
import { DEFAULT_SEED } from "../../sim/random";

export interface ArchNocOptions {
  arch: string | ChipDesign | Record<string, unknown>;
  pattern: TrafficPattern;
  /** packets per tile per NoC cycle */
  rates: number[];
  cycles: number;
  seed?: number;
  packetBytes?: number;
  warmupCycles?: number;
  hotspotFraction?: number;
}

export interface ArchNocReport {
  name: string;
  file: string;
  topology: string;
  routers: { width: number; height: number; concentration: number };
  tiles: number;
  noc_clock_hz: number;
  flit_bits: number;
  seed: number;
  points: NocTrafficPoint[];
}

/** Synthetic traffic on a design's NoC at each injection rate. */
export function archNocTraffic(o: ArchNocOptions): ArchNocReport {
  const d = toChipDesign(o.arch);
  const c = d.config;
  const seed = o.seed ?? DEFAULT_SEED;
  const net = { noc: c.noc, tiles: c.tiles, clockHz: c.clock, offchip: c.offchip, where: `${d.source}: noc` };
  const points = o.rates.map((rate) => runNocTraffic(net, { pattern: o.pattern, rate, cycles: o.cycles, seed, packetBytes: o.packetBytes, warmupCycles: o.warmupCycles, hotspotFraction: o.hotspotFraction }));
  const topo = d.noc.topology;
  return {
    name: c.name,
    file: d.source,
    topology: topo.kind,
    routers: { width: topo.width, height: topo.height, concentration: topo.concentration },
    tiles: c.tiles,
    noc_clock_hz: d.noc.clockHz,
    flit_bits: d.noc.flitBits,
    seed,
    points,
  };
}

export function formatArchNoc(r: ArchNocReport): string {
  const p0 = r.points[0];
  const lines = [
    `${r.name}: ${r.topology} ${r.routers.width}×${r.routers.height}${r.routers.concentration > 1 ? ` (c = ${r.routers.concentration})` : ""}, ${r.tiles} tiles, ${r.flit_bits}-bit flits at ${(r.noc_clock_hz / 1e9).toFixed(3)} GHz`,
    `  ${p0?.pattern ?? ""} traffic, ${p0?.packetBytes ?? 0}-byte packets (${p0?.flitsPerPacket ?? 0} flits), ${p0?.sources ?? 0} sources, seed ${r.seed}; zero-load latency ${p0?.zeroLoadLatencyCycles.toFixed(1) ?? "—"} cycles`,
    "",
    `  ${"rate".padStart(8)} ${"offered".padStart(9)} ${"accepted".padStart(9)} ${"flits/cyc".padStart(9)} ${"avg lat".padStart(9)} ${"p99 lat".padStart(9)} ${"max link".padStart(9)} ${"energy".padStart(9)}`,
    `  ${"pkt/cyc".padStart(8)} ${"pkt/cyc".padStart(9)} ${"pkt/cyc".padStart(9)} ${"per tile".padStart(9)} ${"cycles".padStart(9)} ${"cycles".padStart(9)} ${"util".padStart(9)} ${"pJ/pkt".padStart(9)}`,
  ];
  for (const p of r.points) {
    const ge = p.saturated ? "≥" : "";
    lines.push(
      `  ${String(p.rate).padStart(8)} ${p.offeredPacketsPerCycle.toFixed(4).padStart(9)} ${p.acceptedPacketsPerCycle.toFixed(4).padStart(9)} ${p.acceptedFlitsPerCycle.toFixed(3).padStart(9)} ${(ge + p.avgLatencyCycles.toFixed(1)).padStart(9)} ${(ge + p.p99LatencyCycles.toFixed(0)).padStart(9)} ${p.maxLinkUtilisation.toFixed(3).padStart(9)} ${p.energyPerPacketPj.toFixed(1).padStart(9)}`,
    );
  }
  if (r.points.some((p) => p.saturated)) lines.push("", "  ≥: saturated; packets were still queued when the drain stopped, so latencies are lower bounds");
  return lines.join("\n") + "\n";
}
