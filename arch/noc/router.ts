// A NoC router: the component (traversal energy, leakage and area from its cost slice, flits
// switched, stall flit·cycles) and its route computation. Routing is dimension order (X, then Y:
// topology.ts); on a torus the dateline rule picks one of two virtual channels per input port,
// which makes the torus deadlock free. The router's buffers, credits and switch allocation are
// simulated for all routers at once by the fabric (fabric.ts), which updates these counters.
// Port numbering: 0–3 the directions (topology.ts), 4 … 4 + c − 1 the local (tile) ports, 4 + c
// the off-chip port; a local output channel is port · V + vc with V VCs per port.
// Left out: adaptive routing, VCs beyond the dateline's two, router-internal speedup.

import type { z } from "zod";
import { Component, defineKind, type SimContext } from "../../sim/component";
import { costSpecSchema, resolveCost } from "../../sim/cost";
import type { Counter } from "../../sim/stats";
import type { NocGeometry } from "./geometry";
import type { Link } from "./link";
import { DIR_EAST, DIR_NORTH, DIR_SOUTH, DIR_WEST } from "./topology";

export const routerKind = defineKind({
  kind: "router",
  description: "NoC router: input buffers, XY route computation, round-robin switch allocation per output port",
  params: costSpecSchema,
  stats: {
    flits: { kind: "counter", unit: "flits", desc: "flits switched (router traversals)" },
    stallFlitCycles: { kind: "counter", unit: "flit·cycles", desc: "cycles flits waited here beyond the pipeline latency (contention, busy port, no credit)" },
  },
  actions: {
    traversal: { desc: "one flit through the router (buffer write/read, crossbar)" },
  },
});

export class Router extends Component<typeof costSpecSchema> {
  readonly aTraversal: number;
  readonly flits: Counter;
  readonly stall: Counter;
  constructor(ctx: SimContext, path: string, params: z.output<typeof costSpecSchema>, peakFlitsPerS: number) {
    const cost = resolveCost(params, peakFlitsPerS);
    super(ctx, path, routerKind, params, { actions: { traversal: { energyPj: cost.energyPj } }, leakageMw: cost.leakageMw, areaUm2: cost.areaUm2 });
    this.aTraversal = this.energy.action("traversal");
    this.flits = this.counter("flits");
    this.stall = this.counter("stallFlitCycles");
  }

  /** Makes an outgoing link part of this router's stat subtree. */
  addLink(link: Link): Link {
    return this.adopt(link);
  }
}

/**
 * Route computation at router r for a head flit that arrived on local input port `inPort` in VC
 * `inVc`, in a network with V VCs per port: the local output channel (port · V + vc). On a torus
 * the dateline rule picks the VC: a packet travels on VC 0 until it crosses the wrap-around link
 * of a dimension, then on VC 1 for the rest of that dimension; turning into the next dimension
 * starts again on VC 0.
 */
export function routeOut(g: NocGeometry, V: number, r: number, dst: number, inPort: number, inVc: number): number {
  const topo = g.topology;
  if (dst === g.offchipEndpoint) {
    const d = topo.nextDir(r, g.offchipRouter);
    return d >= 0 ? d * V + datelineVc(g, V, r, d, inPort, inVc) : (4 + topo.concentration) * V;
  }
  const d = topo.nextDir(r, topo.routerOfTile(dst));
  return d >= 0 ? d * V + datelineVc(g, V, r, d, inPort, inVc) : (4 + topo.slotOfTile(dst)) * V;
}

function datelineVc(g: NocGeometry, V: number, r: number, dir: number, inPort: number, inVc: number): number {
  if (V === 1) return 0;
  const topo = g.topology;
  const x = r % topo.width;
  const y = (r - x) / topo.width;
  const wraps = (dir === DIR_EAST && x === topo.width - 1) || (dir === DIR_WEST && x === 0) || (dir === DIR_NORTH && y === topo.height - 1) || (dir === DIR_SOUTH && y === 0);
  if (wraps) return 1;
  // still in the dimension it arrived in (east/west = 0/1, north/south = 2/3): keep the VC
  return inPort < 4 && inPort >> 1 === dir >> 1 ? inVc : 0;
}
