// The NoC assembly: from the topology, the routers (one per grid point), their outgoing links (a
// direction where a neighbour exists, a local port per tile slot that holds a tile), the off-chip
// link at `offchipRouter`, and the static port tables the fabric (fabric.ts) switches on. Components
// are built in path order (router[r], its links, …, then the off-chip link), the order of their
// rows in the energy ledger. Port numbering is router.ts's; a direction port's flits land in the
// opposite port of the neighbour (topology.ts). Router-to-router inputs buffer `bufferFlits` per
// VC behind credits; tile and off-chip ports always accept (UNLIMITED credits).
// Left out: links of different latency or width (every link takes linkCycles, one flit a cycle).

import { childPath, type SimContext } from "../../sim/component";
import { FlitQueue } from "./flit-queue";
import type { NocGeometry } from "./geometry";
import { Link } from "./link";
import { OffchipLink } from "./offchip-link";
import type { NocParams, OffchipParams } from "./params";
import { Router } from "./router";
import { DIR_NAMES, oppositeDir } from "./topology";

// outKind 0: an unconnected port (never requested)
export const OUT_ROUTER = 1;
export const OUT_TILE = 2;
export const OUT_OFFCHIP = 3;
/** credits of ports that always accept */
export const UNLIMITED = 1 << 30;

/**
 * The static wiring built from the topology (wireNoc below), per global output port
 * go = router · P + port and per global channel (port · V + vc): what each output port leads to,
 * its latency and busy time per flit, the initial credits, and the input buffers with their
 * upstream output channels. The fabric keeps these arrays (credits change as flits move).
 */
export interface NocWiring {
  /** virtual channels per input port: 2 on a torus (dateline), else 1 */
  V: number;
  routers: Router[];
  /** links by global output port (undefined where the port is unconnected or off chip) */
  links: (Link | undefined)[];
  offchip: OffchipLink | undefined;
  /** OUT_ROUTER, OUT_TILE, OUT_OFFCHIP or 0 (unconnected) */
  outKind: Uint8Array;
  /** downstream global input port (router ports), tile or off-chip endpoint */
  outDest: Int32Array;
  outLatency: Float64Array;
  outBusyTicks: Float64Array;
  /** per global output channel: credits for the downstream VC buffer */
  outCredits: Int32Array;
  /** per global input channel */
  inQueue: (FlitQueue | null)[];
  /** upstream global output channel, or −1 for injection ports */
  inUpstream: Int32Array;
}

/**
 * Builds the routers, links and off-chip link of a NoC at `path` (not yet adopted: the Noc adopts
 * them) and the port tables between them. `elapsed` is the stats window in NoC cycles, for the
 * links' utilisation.
 */
export function wireNoc(ctx: SimContext, path: string, params: NocParams, g: NocGeometry, V: number, offchipParams: OffchipParams | undefined, elapsed: () => number): NocWiring {
  const topo = g.topology;
  const P = g.portsPerRouter;
  const c = topo.concentration;
  const tlTicks = g.linkCycles * g.periodTicks;
  const nPorts = topo.routers * P;
  const nChannels = nPorts * V;
  const outKind = new Uint8Array(nPorts);
  const outDest = new Int32Array(nPorts).fill(-1);
  const outLatency = new Float64Array(nPorts);
  const outBusyTicks = new Float64Array(nPorts);
  const outCredits = new Int32Array(nChannels);
  const inQueue = new Array<FlitQueue | null>(nChannels).fill(null);
  const inUpstream = new Int32Array(nChannels).fill(-1);
  const routers: Router[] = [];
  const links = new Array<Link | undefined>(nPorts);
  const linkParams = { linkEnergy: params.linkEnergy };
  const hasOffchip = offchipParams !== undefined;

  for (let r = 0; r < topo.routers; r++) {
    const rPath = childPath(path, "router", r);
    const router = new Router(ctx, rPath, params.router, (4 + c) * g.clockHz);
    routers.push(router);
    for (let d = 0; d < 4; d++) {
      const n = topo.neighbour(r, d);
      if (n < 0) continue;
      const go = r * P + d;
      const gi = n * P + oppositeDir(d);
      outKind[go] = OUT_ROUTER;
      outDest[go] = gi;
      outLatency[go] = tlTicks;
      outBusyTicks[go] = g.periodTicks;
      for (let v = 0; v < V; v++) {
        outCredits[go * V + v] = g.bufferFlits;
        inQueue[gi * V + v] = new FlitQueue(g.bufferFlits);
        inUpstream[gi * V + v] = go * V + v;
      }
      links[go] = router.addLink(new Link(ctx, `${rPath}.${DIR_NAMES[d]}`, linkParams, 1, elapsed));
    }
    for (let s = 0; s < c; s++) {
      const tile = r * c + s;
      if (tile >= g.tiles) break;
      const p = r * P + 4 + s;
      outKind[p] = OUT_TILE;
      outDest[p] = tile;
      outLatency[p] = tlTicks;
      outBusyTicks[p] = g.periodTicks;
      outCredits[p * V] = UNLIMITED;
      inQueue[p * V] = new FlitQueue(16);
      links[p] = router.addLink(new Link(ctx, childPath(rPath, "local", s), linkParams, 1, elapsed));
    }
    if (hasOffchip && r === g.offchipRouter) {
      const p = r * P + 4 + c;
      outKind[p] = OUT_OFFCHIP;
      outDest[p] = g.offchipEndpoint;
      outLatency[p] = (g.offchipLatencyCycles + g.offchipCyclesPerFlit) * g.periodTicks;
      outBusyTicks[p] = g.offchipCyclesPerFlit * g.periodTicks;
      outCredits[p * V] = UNLIMITED;
      inQueue[p * V] = new FlitQueue(16);
    }
  }
  const offchip = hasOffchip ? new OffchipLink(ctx, childPath(path, "offchip"), offchipParams, g.flitBits, g.offchipCyclesPerFlit, elapsed) : undefined;
  return { V, routers, links, offchip, outKind, outDest, outLatency, outBusyTicks, outCredits, inQueue, inUpstream };
}
