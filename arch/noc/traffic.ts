// Synthetic traffic on a NoC, for `rramsim noc`: every tile injects packets as a Bernoulli process
// (probability `rate` per NoC cycle, drawn as geometric gaps from the tile's own seeded stream) to
// destinations chosen by a pattern:
//   uniform    any other tile, equally likely
//   transpose  the tile at the mirrored router (x, y) → (y, x), same local slot; needs a square
//              router grid; tiles that map to themselves (the diagonal) or to no tile stay silent
//   hotspot    with probability `hotspotFraction` the hotspot tile (tile 0), otherwise uniform;
//              the hotspot tile itself sends uniformly
// A run has a warm-up, a measurement window of `cycles` and a drain: injection stops at the end of
// the window and the network runs until it is empty, or for at most `drainFactor` × `cycles` more
// cycles. Latency statistics cover packets injected inside the window; a packet still in flight
// when the drain gives up enters them with its age at that point (a lower bound), and the point is
// marked saturated. Accepted throughput counts packets delivered inside the window.
// A network that stops with packets in flight and nothing scheduled (a deadlock, which the routing
// rules exclude: a model bug) is an error, never a hang. Left out: bursty (on/off) injection, per-flow statistics, closed-loop traffic.

import { EnergyLedger } from "../../sim/energy";
import { RramsimError } from "../../sim/errors";
import { DEFAULT_SEED, RandomStream } from "../../sim/random";
import { Simulator } from "../../sim/simulator";
import type { Tick } from "../../sim/time";
import { flitsOf, zeroLoadLatency } from "./geometry";
import { Noc } from "./noc";
import type { NocParams, OffchipParams } from "./params";
import { J_PER_PJ, PJ_PER_J } from "../../sim/units";

export const TRAFFIC_PATTERNS = ["uniform", "transpose", "hotspot"] as const;
export type TrafficPattern = (typeof TRAFFIC_PATTERNS)[number];

export interface NocTrafficOptions {
  pattern: TrafficPattern;
  /** packets per tile per NoC cycle, in (0, 1] */
  rate: number;
  /** measurement window, NoC cycles */
  cycles: number;
  /** warm-up before the window (default: cycles / 10) */
  warmupCycles?: number;
  /** bytes per packet (default 32: PUMA's packet of 16 × 16-bit words) */
  packetBytes?: number;
  seed?: number;
  /** hotspot pattern: share of packets sent to the hotspot tile (default 0.2) */
  hotspotFraction?: number;
  /** drain at most this many times `cycles` after the window (default 4) */
  drainFactor?: number;
}

export interface NocTrafficNetwork {
  noc: NocParams;
  tiles: number;
  clockHz: number;
  offchip?: OffchipParams;
  /** prefix for config errors */
  where?: string;
}

export interface NocTrafficPoint {
  pattern: TrafficPattern;
  rate: number;
  /** tiles that inject under this pattern */
  sources: number;
  packetBytes: number;
  flitsPerPacket: number;
  /** packets injected inside the window, per source per cycle */
  offeredPacketsPerCycle: number;
  /** packets delivered inside the window, per source per cycle */
  acceptedPacketsPerCycle: number;
  acceptedFlitsPerCycle: number;
  /** latency, NoC cycles, of packets injected inside the window */
  measuredPackets: number;
  avgLatencyCycles: number;
  p99LatencyCycles: number;
  maxLatencyCycles: number;
  /** mean zero-load latency of the pattern's source/destination pairs (closed form) */
  zeroLoadLatencyCycles: number;
  /** the drain gave up with measured packets still in flight: latencies are lower bounds */
  saturated: boolean;
  packetsInjected: number;
  packetsDelivered: number;
  /** dynamic energy of the whole run (router traversals, link hops, off-chip flits) */
  dynamicEnergyJ: number;
  /** dynamic energy per delivered packet */
  energyPerPacketPj: number;
  /** router traversals of all flits (flit hops, ejection included) */
  routerTraversals: number;
  /** busiest router-to-router link: flits per cycle over the whole run */
  maxLinkUtilisation: number;
  meanLinkUtilisation: number;
  /** latency histogram of measured packets: bucket upper edges (cycles) and counts */
  latencyHistogram: { edges: number[]; counts: number[] };
  events: number;
}

/** Destination of a packet from `src`, or −1 when the source is silent under the pattern. */
export type DestinationPicker = (src: number, rng: RandomStream) => number;

function patternPicker(net: NocTrafficNetwork, noc: Noc, opts: NocTrafficOptions): DestinationPicker {
  const tiles = net.tiles;
  const uniform = (src: number, rng: RandomStream) => {
    const d = rng.int(tiles - 1);
    return d >= src ? d + 1 : d;
  };
  switch (opts.pattern) {
    case "uniform":
      return uniform;
    case "hotspot": {
      const f = opts.hotspotFraction ?? 0.2;
      return (src, rng) => (src !== 0 && rng.uniform() < f ? 0 : uniform(src, rng));
    }
    case "transpose": {
      const topo = noc.geometry.topology;
      if (topo.width !== topo.height) {
        throw new RramsimError("CLI_ARGUMENT", `noc: the transpose pattern needs a square router grid (this one is ${topo.width} × ${topo.height})`);
      }
      const w = topo.width;
      const c = topo.concentration;
      const dest = new Int32Array(tiles);
      for (let t = 0; t < tiles; t++) {
        const r = topo.routerOfTile(t);
        const x = r % w;
        const y = (r - x) / w;
        const d = (x * w + y) * c + topo.slotOfTile(t);
        dest[t] = d === t || d >= tiles ? -1 : d;
      }
      return (src) => dest[src];
    }
  }
}

const HIST_EDGES = [8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 1024, 2048, 4096, 8192, 16384];

function quantileSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Runs one injection rate of a synthetic pattern on a fresh network. */
export function runNocTraffic(net: NocTrafficNetwork, opts: NocTrafficOptions): NocTrafficPoint {
  const { rate, cycles } = opts;
  if (!(rate > 0 && rate <= 1)) throw new RramsimError("CLI_ARGUMENT", `noc: injection rate must be in (0, 1] packets per tile per cycle (got ${rate})`);
  if (!(Number.isInteger(cycles) && cycles >= 1)) throw new RramsimError("CLI_ARGUMENT", `noc: cycles must be a positive integer (got ${cycles})`);
  if (net.tiles < 2) throw new RramsimError("CLI_ARGUMENT", `noc: synthetic traffic needs at least 2 tiles (got ${net.tiles})`);
  const seed = opts.seed ?? DEFAULT_SEED;
  const packetBytes = opts.packetBytes ?? 32;
  const warmup = opts.warmupCycles ?? Math.floor(cycles / 10);
  const drainFactor = opts.drainFactor ?? 4;
  const sim = new Simulator({ seed });
  const ledger = new EnergyLedger();
  const ctx = { sim, ledger };
  const noc = new Noc(ctx, "noc", net.noc, { tiles: net.tiles, clockHz: net.clockHz, offchip: net.offchip, where: net.where });
  const g = noc.geometry;
  const period = g.periodTicks;
  const pick = patternPicker(net, noc, opts);
  const windowStart = warmup * period;
  const windowEnd = (warmup + cycles) * period;

  const latencies: number[] = [];
  const measuredSent = new Map<number, number>();
  let nextTag = 0;
  let offered = 0;
  let accepted = 0;
  let sources = 0;
  let zeroLoadSum = 0;
  let zeroLoadPairs = 0;

  const onDelivered = (d: { tag: number; deliveredTick: Tick; latencyCycles: number }) => {
    if (d.deliveredTick >= windowStart && d.deliveredTick < windowEnd) accepted++;
    if (measuredSent.delete(d.tag)) latencies.push(d.latencyCycles);
  };

  // geometric gap (≥ 1 cycle) of a Bernoulli(rate) process
  const logq = Math.log1p(-Math.min(rate, 1 - 1e-12));
  const gap = (rng: RandomStream) => (rate >= 1 ? 1 : 1 + Math.floor(Math.log(1 - rng.uniform()) / logq));

  for (let t = 0; t < net.tiles; t++) {
    const rng = new RandomStream(seed, `noc.traffic.tile[${t}]`);
    if (opts.pattern === "transpose" && pick(t, rng) < 0) continue;
    sources++;
    const inject = () => {
      const now = sim.now;
      const dst = pick(t, rng);
      const tag = nextTag++;
      if (now >= windowStart) {
        offered++;
        measuredSent.set(tag, now);
        zeroLoadSum += zeroLoadLatency(g, t, dst, packetBytes);
        zeroLoadPairs++;
      }
      noc.send({ src: t, dst, bytes: packetBytes, tag, onDelivered });
      const next = now + gap(rng) * period;
      if (next < windowEnd) sim.scheduleAt(next as Tick, inject, 0, "noc.traffic");
    };
    const first = (gap(rng) - 1) * period;
    if (first < windowEnd) sim.scheduleAt(first as Tick, inject, 0, "noc.traffic");
  }

  sim.run({ until: windowEnd as Tick });
  const drainEnd = windowEnd + drainFactor * cycles * period;
  sim.run({ until: drainEnd as Tick, predicate: () => noc.inFlight === 0 });
  if (noc.inFlight > 0 && noc.deadlocked) {
    throw new RramsimError("NOC_DEADLOCK", `noc: deadlock (checked at cycle ${sim.now / period}): ${noc.inFlight} packets in flight and none can move (${g.topology.kind}; ${noc.describeBuffered().slice(0, 3).join("; ")})`);
  }
  const saturated = measuredSent.size > 0;
  for (const sent of measuredSent.values()) latencies.push((sim.now - sent) / period);

  const sorted = Float64Array.from(latencies).sort();
  const counts = new Array<number>(HIST_EDGES.length + 1).fill(0);
  let sum = 0;
  for (const l of sorted) {
    sum += l;
    let i = 0;
    while (i < HIST_EDGES.length && l > HIST_EDGES[i]) i++;
    counts[i]++;
  }
  let maxU = 0;
  let sumU = 0;
  let nLinks = 0;
  const elapsed = sim.now / period;
  for (let r = 0; r < g.topology.routers; r++) {
    for (let d = 0; d < 4; d++) {
      const link = noc.links[r * g.portsPerRouter + d];
      if (link === undefined) continue;
      const u = elapsed > 0 ? link.flits.value / elapsed : 0;
      maxU = Math.max(maxU, u);
      sumU += u;
      nLinks++;
    }
  }
  const flits = flitsOf(g, packetBytes);
  const dynamicEnergyJ = ledger.all().reduce((a, e) => a + e.dynamicPj(), 0) * J_PER_PJ;
  return {
    pattern: opts.pattern,
    rate,
    sources,
    packetBytes,
    flitsPerPacket: flits,
    offeredPacketsPerCycle: offered / (sources * cycles),
    acceptedPacketsPerCycle: accepted / (sources * cycles),
    acceptedFlitsPerCycle: (accepted * flits) / (sources * cycles),
    measuredPackets: sorted.length,
    avgLatencyCycles: sorted.length > 0 ? sum / sorted.length : 0,
    p99LatencyCycles: quantileSorted(sorted, 0.99),
    maxLatencyCycles: sorted.length > 0 ? sorted[sorted.length - 1] : 0,
    zeroLoadLatencyCycles: zeroLoadPairs > 0 ? zeroLoadSum / zeroLoadPairs : 0,
    saturated,
    packetsInjected: noc.packetsInjected,
    packetsDelivered: noc.packetsDelivered,
    dynamicEnergyJ,
    energyPerPacketPj: noc.packetsDelivered > 0 ? (dynamicEnergyJ * PJ_PER_J) / noc.packetsDelivered : 0,
    routerTraversals: noc.routers.reduce((a, r) => a + r.flits.value, 0),
    maxLinkUtilisation: maxU,
    meanLinkUtilisation: nLinks > 0 ? sumU / nLinks : 0,
    latencyHistogram: { edges: HIST_EDGES, counts },
    events: sim.eventCount,
  };
}
