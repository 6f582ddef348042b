// The resolved shape and timing of a NoC (from its config slice, the tile count and the clock),
// and the closed-form zero-load latency the simulated network must reproduce on an idle network.
//
// Zero-load latency in NoC cycles, with H the router-to-router hops of the XY route, F the
// flits of the packet (⌈8·bytes / flitBits⌉, at least 1; no separate header flit), tr the router
// pipeline cycles and tl the link cycles:
//   tile → tile          (H + 1)·(tr + tl) + (F − 1)
//   tile → off-chip      (H + 1)·tr + H·tl + Lo + F·So
//   off-chip → tile      Lo + F·So + (H + 1)·(tr + tl)
// where So = ⌈flitBits / (8·links·bandwidth) / clock period⌉ cycles per flit on the off-chip link and
// Lo = ⌈latency / clock period⌉. Every router on the path is traversed once (tr), every link
// once (tl, the last one into the tile); the tail follows the head one cycle per flit (So for
// the off-chip link). A send made between clock edges starts at the next edge. The formulas hold
// when input buffers cover the credit round trip (bufferFlits ≥ 2·tl + tr); smaller buffers throttle
// a packet's flit stream even on an idle network.

import { RramsimError } from "../../sim/errors";
import { makeTopology, type Topology } from "./topology";
import type { NocParams, OffchipParams } from "./params";
import { TICKS_PER_SECOND } from "../../sim/time";

export interface NocGeometry {
  topology: Topology;
  tiles: number;
  /** endpoint id of the off-chip link (= tiles), or −1 when there is none */
  offchipEndpoint: number;
  offchipRouter: number;
  periodTicks: number;
  clockHz: number;
  flitBits: number;
  routerCycles: number;
  linkCycles: number;
  bufferFlits: number;
  /** ports per router: 4 directions, `concentration` local ports, 1 off-chip port */
  portsPerRouter: number;
  /** off-chip link: cycles per flit and latency in cycles (0 when there is no link) */
  offchipCyclesPerFlit: number;
  offchipLatencyCycles: number;
}

/**
 * Resolves the grid and timing. `where` prefixes error messages with the file and slice path,
 * e.g. "isaac.yaml: chip.noc".
 */
export function resolveNocGeometry(p: NocParams, tiles: number, chipClockHz: number, offchip: OffchipParams | undefined, where = "noc"): NocGeometry {
  if (!Number.isInteger(tiles) || tiles < 1) throw new RramsimError("CONFIG_RANGE", `${where}: tile count must be a positive integer (got ${tiles})`);
  const c = p.concentration;
  const routersNeeded = Math.ceil(tiles / c);
  const width = p.width ?? Math.ceil(Math.sqrt(routersNeeded));
  const height = p.height ?? Math.ceil(routersNeeded / width);
  if (width * height * c < tiles) {
    throw new RramsimError(
      "CONFIG_RANGE",
      `${where}.width: ${width} × ${height} routers × ${c} tiles per router hold ${width * height * c} tiles, fewer than the ${tiles} tiles of the chip (enlarge width/height or concentration)`,
    );
  }
  const topology = makeTopology(p.topology, width, height, c);
  if (p.offchipRouter >= topology.routers) {
    throw new RramsimError("CONFIG_RANGE", `${where}.offchipRouter: must be < ${topology.routers} routers (got ${p.offchipRouter})`);
  }
  const clockHz = p.clock ?? chipClockHz;
  const periodTicks = Math.round(TICKS_PER_SECOND / clockHz);
  let offchipCyclesPerFlit = 0;
  let offchipLatencyCycles = 0;
  if (offchip !== undefined) {
    const flitTicks = (p.flitBits / 8 / (offchip.links * offchip.bandwidth)) * TICKS_PER_SECOND;
    offchipCyclesPerFlit = Math.max(1, Math.ceil(flitTicks / periodTicks - 1e-9));
    offchipLatencyCycles = Math.ceil(offchip.latency / periodTicks - 1e-9);
  }
  return {
    topology,
    tiles,
    offchipEndpoint: offchip === undefined ? -1 : tiles,
    offchipRouter: p.offchipRouter,
    periodTicks,
    clockHz,
    flitBits: p.flitBits,
    routerCycles: p.routerCycles,
    linkCycles: p.linkCycles,
    bufferFlits: p.bufferFlits,
    portsPerRouter: 4 + c + 1,
    offchipCyclesPerFlit,
    offchipLatencyCycles,
  };
}

export function flitsOf(g: NocGeometry, bytes: number): number {
  return Math.max(1, Math.ceil((bytes * 8) / g.flitBits));
}

/** The router an endpoint (tile or the off-chip link) attaches to. */
export function routerOfEndpoint(g: NocGeometry, endpoint: number): number {
  return endpoint === g.offchipEndpoint ? g.offchipRouter : g.topology.routerOfTile(endpoint);
}

/** Zero-load packet latency in NoC cycles (the formulas in this file's header). */
export function zeroLoadLatency(g: NocGeometry, src: number, dst: number, bytes: number): number {
  const f = flitsOf(g, bytes);
  const h = g.topology.hops(routerOfEndpoint(g, src), routerOfEndpoint(g, dst));
  const tr = g.routerCycles;
  const tl = g.linkCycles;
  const off = g.offchipEndpoint;
  if (src === off && dst === off) throw new RramsimError("SIM_STATE", "noc: a packet from the off-chip link to itself does not cross the network");
  if (dst === off) return (h + 1) * tr + h * tl + g.offchipLatencyCycles + f * g.offchipCyclesPerFlit;
  if (src === off) return g.offchipLatencyCycles + f * g.offchipCyclesPerFlit + (h + 1) * (tr + tl);
  return (h + 1) * (tr + tl) + (f - 1);
}
