// The network-on-chip: routers on a mesh, concentrated mesh or torus (topology.ts), dimension-order
// routing, wormhole switching of flits, finite input buffers with credit-based backpressure, one
// flit per link per cycle, round-robin output arbitration, and an optional off-chip link
// (HyperTransport-like: bandwidth, latency, power, area) reachable as one extra endpoint.
// Sources: ISAAC §III/Table I and PUMA include/config.py (c-mesh, c = 4, 32-bit flits; the
// router's and HT's power and area), anchors.md §1.1, §2.2, §2.4. The zero-load latency this
// model reproduces exactly is in geometry.ts.
//
// Timing (all decisions on NoC clock edges):
// - A packet of F flits is queued whole in its tile's injection queue (unbounded; the network
//   interface never drops) at the first edge at or after `send`; its flits are ready for the
//   local router after the router pipeline (routerCycles).
// - Each cycle a router's output port grants at most one flit: the head flit of a packet needs
//   the port free of other packets (wormhole: the port stays locked to that input until the
//   tail passes), a credit for the downstream input buffer, and wins a round-robin among the
//   inputs asking for the port. A granted flit holds the link for one cycle (the off-chip link:
//   ⌈flit time / period⌉ cycles), reaches the next router after linkCycles, and is ready there
//   routerCycles later. The downstream buffer slot is taken from the grant (in-flight flits hold
//   their credit); the credit returns upstream linkCycles after the flit leaves that buffer.
// - Ejection ports (to a tile, to the off-chip link) always accept; a packet is delivered when
//   its tail arrives, and the delivery callback runs at that tick.
// Event cost: a router schedules a wake-up only for the earliest edge at which one of its
// buffered flits could move (ready time, port free, credit back); a router with empty buffers
// or blocked only on credits schedules nothing. Stall accounting is closed form: each flit adds
// (grant − ready) cycles, the time it waited at a router beyond the pipeline.
// Virtual channels: on a torus every router input has two VCs of `bufferFlits` each and the
// dateline rule (routeOut) picks them, which makes the torus deadlock free (topology.ts). Mesh and
// c-mesh have one. VCs of one port share its link (one flit per cycle) and its crossbar input (one
// flit per input port per cycle); each downstream VC is held by one packet from head to tail.
// `deadlocked` stays as a safety net: a run that ends with packets stuck is reported, never hung.
// Trace (docs/traces.md): a `noc.hop` slice per flit per link (on the link's path, or the off-chip
// link's; args packet, flit) — they add up to the links' busy time; a `noc.stall` slice per flit
// that waited at a router beyond the pipeline, on `<router>.input[channel]` (args packet, flit) —
// they add up to stallFlitCycles; a `noc.packet` slice, send to delivery, on
// `<noc>.packets[src->dst]` (args src, dst, flits, hops; packets of one pair overlap when pipelined).
// Left out: VCs beyond the dateline's two, adaptive routing, separate header flits,
// router-internal speedup, link-level errors, NI buffer limits.

import { z } from "zod";
import { Component, childPath, defineKind, type SimContext } from "../../sim/component";
import { nonNegativeQuantity } from "../../sim/config";
import { costSpecSchema, resolveCost } from "../../sim/cost";
import { RramsimError } from "../../sim/errors";
import type { SimEvent } from "../../sim/event-queue";
import type { Counter, Histogram } from "../../sim/stats";
import type { Tick } from "../../sim/time";
import type { Tracer } from "../../sim/tracer";
import { FlitQueue } from "./flit-queue";
import { flitsOf, resolveNocGeometry, type NocGeometry } from "./geometry";
import { nocParamsSchema, offchipParamsSchema, type NocParams, type OffchipParams } from "./params";
import { DIR_EAST, DIR_NAMES, DIR_NORTH, DIR_SOUTH, DIR_WEST, oppositeDir } from "./topology";

/** Packet latency histogram edges, in NoC cycles. */
const LATENCY_EDGES = [4, 8, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 192, 256, 384, 512, 768, 1024, 2048, 4096, 8192, 16384, 65536];

export const nocKind = defineKind({
  kind: "noc",
  description: "network-on-chip: mesh/cmesh/torus, XY routing, wormhole flits, credit backpressure, off-chip endpoint",
  params: nocParamsSchema,
  stats: {
    packetsInjected: { kind: "counter", unit: "packets", desc: "packets handed to the network" },
    packetsDelivered: { kind: "counter", unit: "packets", desc: "packets whose tail reached the destination" },
    flitsInjected: { kind: "counter", unit: "flits", desc: "flits handed to the network" },
    flitsDelivered: { kind: "counter", unit: "flits", desc: "flits that reached their destination" },
    packetLatency: { kind: "histogram", unit: "cycles", desc: "send to tail arrival, NoC cycles", buckets: LATENCY_EDGES },
    stallFlitCycles: { kind: "formula", unit: "flit·cycles", desc: "cycles flits waited in router buffers beyond the pipeline latency, all routers" },
    inFlight: { kind: "formula", unit: "packets", desc: "packets injected but not yet delivered" },
  },
  actions: {},
});

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

export const linkParamsSchema = z.object({ linkEnergy: nonNegativeQuantity("energy").default(0).describe("energy per flit (pJ)") }).strict();

export const linkKind = defineKind({
  kind: "link",
  description: "one direction of a NoC link (router to router, or router to tile): one flit per cycle",
  params: linkParamsSchema,
  stats: {
    flits: { kind: "counter", unit: "flits", desc: "flits carried" },
    utilisation: { kind: "formula", unit: "fraction", desc: "busy cycles / elapsed cycles since the stats were reset" },
  },
  actions: {
    flit: { desc: "one flit over the link (one hop)" },
  },
});

export const offchipLinkKind = defineKind({
  kind: "offchipLink",
  description: "HyperTransport-like off-chip link attached to one router: bandwidth, latency, power, area",
  params: offchipParamsSchema,
  stats: {
    flitsOut: { kind: "counter", unit: "flits", desc: "flits sent off chip" },
    flitsIn: { kind: "counter", unit: "flits", desc: "flits received from off chip" },
    utilisation: { kind: "formula", unit: "fraction", desc: "busy time of the busier direction / elapsed time since the stats were reset" },
  },
  actions: {
    flit: { desc: "one flit over the off-chip link, either direction" },
  },
});

/** What the tile (or a traffic generator) hands to the network. */
export interface NocSendRequest {
  /** source endpoint: a tile index, or `noc.offchipEndpoint` */
  src: number;
  /** destination endpoint: a tile index, or `noc.offchipEndpoint` */
  dst: number;
  bytes: number;
  tag?: number;
  onDelivered?: (d: NocDelivery) => void;
}

export interface NocDelivery {
  src: number;
  dst: number;
  bytes: number;
  tag: number;
  flits: number;
  sentTick: Tick;
  deliveredTick: Tick;
  latencyCycles: number;
}

interface Packet {
  src: number;
  dst: number;
  bytes: number;
  tag: number;
  flits: number;
  sentTick: number;
  onDelivered: ((d: NocDelivery) => void) | undefined;
  /** injection sequence number (trace) */
  seq: number;
  /** links the head flit crossed */
  hops: number;
}

// outKind 0: an unconnected port (never requested)
const OUT_ROUTER = 1;
const OUT_TILE = 2;
const OUT_OFFCHIP = 3;
/** credits of ports that always accept */
const UNLIMITED = 1 << 30;

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

export class Link extends Component<typeof linkParamsSchema> {
  readonly aFlit: number;
  readonly flits: Counter;
  constructor(ctx: SimContext, path: string, params: z.output<typeof linkParamsSchema>, busyCyclesPerFlit: number, elapsedCycles: () => number) {
    super(ctx, path, linkKind, params, { actions: { flit: { energyPj: params.linkEnergy } } });
    this.aFlit = this.energy.action("flit");
    this.flits = this.counter("flits");
    this.formula("utilisation", () => {
      const e = elapsedCycles();
      return e > 0 ? (this.flits.value * busyCyclesPerFlit) / e : 0;
    });
  }
}

export class OffchipLink extends Component<typeof offchipParamsSchema> {
  readonly aFlit: number;
  readonly flitsOut: Counter;
  readonly flitsIn: Counter;
  constructor(ctx: SimContext, path: string, params: OffchipParams, flitBits: number, cyclesPerFlit: number, elapsedCycles: () => number) {
    const peakFlitsPerS = (params.links * params.bandwidth * 8) / flitBits;
    const energyPj = params.energy ?? (params.power as number) / (peakFlitsPerS * 1e-9);
    super(ctx, path, offchipLinkKind, params, { actions: { flit: { energyPj } }, leakageMw: params.leakage, areaUm2: params.area });
    this.aFlit = this.energy.action("flit");
    this.flitsOut = this.counter("flitsOut");
    this.flitsIn = this.counter("flitsIn");
    this.formula("utilisation", () => {
      const e = elapsedCycles();
      return e > 0 ? (Math.max(this.flitsOut.value, this.flitsIn.value) * cyclesPerFlit) / e : 0;
    });
  }
}

export interface NocOptions {
  tiles: number;
  /** the chip clock; the NoC runs on it unless its slice sets `clock` */
  clockHz: number;
  offchip?: OffchipParams;
  /** prefix for config errors, e.g. "isaac.yaml: chip.noc" */
  where?: string;
}

export class Noc extends Component<typeof nocParamsSchema> {
  readonly geometry: NocGeometry;
  readonly routers: Router[] = [];
  /** links by global output port (undefined where the port is unconnected) */
  readonly links: (Link | undefined)[];
  readonly offchip: OffchipLink | undefined;

  private readonly P: number;
  /** virtual channels per input port: 2 on a torus (dateline), else 1 */
  private readonly V: number;
  private readonly period: number;
  private readonly trTicks: number;
  private readonly tlTicks: number;
  // per global output port go = router · P + port
  private readonly outKind: Uint8Array;
  /** downstream global input port */
  private readonly outDest: Int32Array;
  private readonly outLatency: Float64Array;
  private readonly outBusyTicks: Float64Array;
  private readonly outBusyUntil: Float64Array;
  /** round-robin pointer over the router's input channels */
  private readonly outRr: Int32Array;
  // per global output channel oc = go · V + vc (the downstream VC buffer)
  private readonly outCredits: Int32Array;
  /** local input channel (port · V + vc) whose packet holds the downstream VC, or −1 */
  private readonly outLock: Int32Array;
  private readonly creditTicks: Float64Array;
  private readonly creditHead: Int32Array;
  private readonly creditCount: Int32Array;
  // per global input channel ic = gi · V + vc
  private readonly inQueue: (FlitQueue | null)[];
  /** upstream global output channel, or −1 for injection ports */
  private readonly inUpstream: Int32Array;
  /** local output channel (port · V + vc) the channel's current packet holds, or −1 */
  private readonly inLockOut: Int32Array;
  /** per global input port: tick of its last grant (one flit per input port per cycle) */
  private readonly inLastGrant: Float64Array;
  /** per-output request masks of the router being allocated (scratch) */
  private readonly reqScratch: Int32Array;
  // per router
  private readonly wakeAt: Float64Array;
  private readonly wakeEv: (SimEvent | null)[];
  private readonly lastAlloc: Float64Array;
  private readonly fires: (() => void)[];
  private allocating = -1;
  // packets
  private readonly packets: (Packet | undefined)[] = [];
  private readonly freeIds: number[] = [];
  private offchipInFreeAt = 0;
  private pendingDeliveries = 0;
  private statsSinceTick = 0;
  private readonly tracer: Tracer;
  /** trace component per global output port: its link (or the off-chip link), −1 if unconnected */
  private readonly trOut: Int32Array;
  /** trace component per global input channel, interned on first use (−1) */
  private readonly trIn: Int32Array;
  private readonly trFlows = new Map<number, number>();
  private readonly trOffchipIn: number;
  private readonly trHop: number;
  private readonly trStall: number;
  private readonly trPacket: number;
  private seq = 0;
  private readonly st: { packetsInjected: Counter; packetsDelivered: Counter; flitsInjected: Counter; flitsDelivered: Counter; packetLatency: Histogram };

  constructor(ctx: SimContext, path: string, params: NocParams, opts: NocOptions) {
    super(ctx, path, nocKind, params, { actions: {} });
    const g = resolveNocGeometry(params, opts.tiles, opts.clockHz, opts.offchip, opts.where ?? path);
    this.geometry = g;
    const topo = g.topology;
    const P = g.portsPerRouter;
    const c = topo.concentration;
    const V = topo.kind === "torus" ? 2 : 1;
    this.P = P;
    this.V = V;
    if (P * V > 31) throw new RramsimError("CONFIG_RANGE", `${opts.where ?? path}: ${P} ports × ${V} virtual channels exceed the router model's 31 input channels`);
    this.period = g.periodTicks;
    this.trTicks = g.routerCycles * g.periodTicks;
    this.tlTicks = g.linkCycles * g.periodTicks;
    const nPorts = topo.routers * P;
    const nChannels = nPorts * V;
    this.outKind = new Uint8Array(nPorts);
    this.outDest = new Int32Array(nPorts).fill(-1);
    this.outLatency = new Float64Array(nPorts);
    this.outBusyTicks = new Float64Array(nPorts);
    this.outBusyUntil = new Float64Array(nPorts);
    this.outRr = new Int32Array(nPorts);
    this.outCredits = new Int32Array(nChannels);
    this.outLock = new Int32Array(nChannels).fill(-1);
    this.creditTicks = new Float64Array(nChannels * g.bufferFlits);
    this.creditHead = new Int32Array(nChannels);
    this.creditCount = new Int32Array(nChannels);
    this.inQueue = new Array<FlitQueue | null>(nChannels).fill(null);
    this.inUpstream = new Int32Array(nChannels).fill(-1);
    this.inLockOut = new Int32Array(nChannels).fill(-1);
    this.inLastGrant = new Float64Array(nPorts).fill(-Infinity);
    this.reqScratch = new Int32Array(P);
    this.wakeAt = new Float64Array(topo.routers).fill(Infinity);
    this.wakeEv = new Array<SimEvent | null>(topo.routers).fill(null);
    this.lastAlloc = new Float64Array(topo.routers).fill(-Infinity);
    this.fires = [];
    this.links = new Array<Link | undefined>(nPorts);
    const elapsed = () => (this.sim.now - this.statsSinceTick) / this.period;
    const linkParams = { linkEnergy: params.linkEnergy };
    const hasOffchip = opts.offchip !== undefined;

    for (let r = 0; r < topo.routers; r++) {
      const rPath = childPath(path, "router", r);
      this.routers.push(this.adopt(new Router(ctx, rPath, params.router, (4 + c) * g.clockHz)));
      this.fires.push(() => this.allocate(r));
      const router = this.routers[r];
      for (let d = 0; d < 4; d++) {
        const n = topo.neighbour(r, d);
        if (n < 0) continue;
        const go = r * P + d;
        const gi = n * P + oppositeDir(d);
        this.outKind[go] = OUT_ROUTER;
        this.outDest[go] = gi;
        this.outLatency[go] = this.tlTicks;
        this.outBusyTicks[go] = g.periodTicks;
        for (let v = 0; v < V; v++) {
          this.outCredits[go * V + v] = g.bufferFlits;
          this.inQueue[gi * V + v] = new FlitQueue(g.bufferFlits);
          this.inUpstream[gi * V + v] = go * V + v;
        }
        this.links[go] = router.addLink(new Link(ctx, `${rPath}.${DIR_NAMES[d]}`, linkParams, 1, elapsed));
      }
      for (let s = 0; s < c; s++) {
        const tile = r * c + s;
        if (tile >= g.tiles) break;
        const p = r * P + 4 + s;
        this.outKind[p] = OUT_TILE;
        this.outDest[p] = tile;
        this.outLatency[p] = this.tlTicks;
        this.outBusyTicks[p] = g.periodTicks;
        this.outCredits[p * V] = UNLIMITED;
        this.inQueue[p * V] = new FlitQueue(16);
        this.links[p] = router.addLink(new Link(ctx, childPath(rPath, "local", s), linkParams, 1, elapsed));
      }
      if (hasOffchip && r === g.offchipRouter) {
        const p = r * P + 4 + c;
        this.outKind[p] = OUT_OFFCHIP;
        this.outDest[p] = g.offchipEndpoint;
        this.outLatency[p] = (g.offchipLatencyCycles + g.offchipCyclesPerFlit) * g.periodTicks;
        this.outBusyTicks[p] = g.offchipCyclesPerFlit * g.periodTicks;
        this.outCredits[p * V] = UNLIMITED;
        this.inQueue[p * V] = new FlitQueue(16);
      }
    }
    this.offchip = hasOffchip
      ? this.adopt(new OffchipLink(ctx, childPath(path, "offchip"), opts.offchip as OffchipParams, g.flitBits, g.offchipCyclesPerFlit, elapsed))
      : undefined;
    this.st = {
      packetsInjected: this.counter("packetsInjected"),
      packetsDelivered: this.counter("packetsDelivered"),
      flitsInjected: this.counter("flitsInjected"),
      flitsDelivered: this.counter("flitsDelivered"),
      packetLatency: this.histogram("packetLatency"),
    };
    this.formula("stallFlitCycles", () => this.routers.reduce((a, r) => a + r.stall.value, 0));
    this.formula("inFlight", () => this.inFlight);
    const t = this.contextTracer;
    this.tracer = t;
    this.trOut = new Int32Array(nPorts).fill(-1);
    for (let go = 0; go < nPorts; go++) {
      const l = this.links[go];
      if (l !== undefined) this.trOut[go] = t.component(l.path);
      else if (this.outKind[go] === OUT_OFFCHIP) this.trOut[go] = t.component((this.offchip as OffchipLink).path);
    }
    this.trIn = new Int32Array(nChannels).fill(-1);
    this.trOffchipIn = this.offchip === undefined ? -1 : t.component(`${this.offchip.path}.in`);
    this.trHop = t.kind("noc.hop", "slice", { argNames: ["packet", "flit"] });
    this.trStall = t.kind("noc.stall", "slice", { argNames: ["packet", "flit"], isStall: true });
    this.trPacket = t.kind("noc.packet", "slice", { argNames: ["src", "dst", "flits", "hops"] });
  }

  /** The endpoint id of the off-chip link (−1 when the chip has none). */
  get offchipEndpoint(): number {
    return this.geometry.offchipEndpoint;
  }

  get packetsInjected(): number {
    return this.st.packetsInjected.value;
  }

  get packetsDelivered(): number {
    return this.st.packetsDelivered.value;
  }

  /** Packets injected and not yet delivered. */
  get inFlight(): number {
    return this.st.packetsInjected.value - this.st.packetsDelivered.value;
  }

  /**
   * True when packets are in flight but the network has nothing scheduled that could move them:
   * every buffered flit waits for a credit that no grant will return (a cyclic wait, which XY
   * routing and the torus dateline exclude). The simulator would simply go idle, so callers check this.
   */
  get deadlocked(): boolean {
    if (this.inFlight === 0 || this.pendingDeliveries > 0) return false;
    for (let r = 0; r < this.wakeAt.length; r++) if (this.wakeAt[r] !== Infinity) return false;
    return true;
  }

  /** Restarts the utilisation window of the link stats (counters are left alone). */
  markStatsStart(): void {
    this.statsSinceTick = this.sim.now;
  }

  /** Hands a packet to the network at the current tick. */
  send(req: NocSendRequest): void {
    const g = this.geometry;
    const nEnd = g.offchipEndpoint >= 0 ? g.tiles + 1 : g.tiles;
    const { src, dst } = req;
    if (!Number.isInteger(src) || src < 0 || src >= nEnd) throw new RramsimError("SIM_STATE", `${this.path}: send from endpoint ${src}, which does not exist (0..${nEnd - 1})`);
    if (!Number.isInteger(dst) || dst < 0 || dst >= nEnd) throw new RramsimError("SIM_STATE", `${this.path}: send to endpoint ${dst}, which does not exist (0..${nEnd - 1})`);
    if (src === g.offchipEndpoint && dst === g.offchipEndpoint) throw new RramsimError("SIM_STATE", `${this.path}: a packet from the off-chip link to itself does not cross the network`);
    if (!(req.bytes >= 0)) throw new RramsimError("SIM_STATE", `${this.path}: send of ${req.bytes} bytes`);
    const flits = flitsOf(g, req.bytes);
    const now = this.sim.now;
    const edge = now % this.period === 0 ? now : now + this.period - (now % this.period);
    const pkt: Packet = { src, dst, bytes: req.bytes, tag: req.tag ?? 0, flits, sentTick: now, onDelivered: req.onDelivered, seq: this.seq++, hops: 0 };
    let id: number;
    if (this.freeIds.length > 0) {
      id = this.freeIds.pop() as number;
      this.packets[id] = pkt;
    } else {
      id = this.packets.length;
      this.packets.push(pkt);
    }
    this.st.packetsInjected.add(1);
    this.st.flitsInjected.add(flits);
    const P = this.P;
    if (src === g.offchipEndpoint) {
      const r = g.offchipRouter;
      const port = 4 + g.topology.concentration;
      const q = this.inQueue[(r * P + port) * this.V] as FlitQueue;
      const so = g.offchipCyclesPerFlit * this.period;
      const start = Math.max(edge, this.offchipInFreeAt);
      const first = start + g.offchipLatencyCycles * this.period + this.trTicks;
      const out = this.routeOut(r, dst, port, 0);
      for (let k = 0; k < flits; k++) q.push(id, k, first + (k + 1) * so, k === 0 ? out : -1);
      this.offchipInFreeAt = start + flits * so;
      this.tracer.slice(this.trOffchipIn, this.trHop, start, flits * so, pkt.seq, flits);
      const off = this.offchip as OffchipLink;
      off.flitsIn.add(flits);
      off.energy.counts[off.aFlit] += flits;
      this.updateWake(r);
    } else {
      const r = g.topology.routerOfTile(src);
      const port = 4 + g.topology.slotOfTile(src);
      const q = this.inQueue[(r * P + port) * this.V] as FlitQueue;
      const ready = edge + this.trTicks;
      const out = this.routeOut(r, dst, port, 0);
      for (let k = 0; k < flits; k++) q.push(id, k, ready, k === 0 ? out : -1);
      this.updateWake(r);
    }
  }

  /**
   * Route computation at router r for a head flit that arrived on local input port `inPort` in VC
   * `inVc`: the local output channel (port · V + vc). On a torus the dateline rule picks the VC: a
   * packet travels on VC 0 until it crosses the wrap-around link of a dimension, then on VC 1 for
   * the rest of that dimension; turning into the next dimension starts again on VC 0.
   */
  private routeOut(r: number, dst: number, inPort: number, inVc: number): number {
    const g = this.geometry;
    const topo = g.topology;
    const V = this.V;
    if (dst === g.offchipEndpoint) {
      const d = topo.nextDir(r, g.offchipRouter);
      return d >= 0 ? d * V + this.datelineVc(r, d, inPort, inVc) : (4 + topo.concentration) * V;
    }
    const d = topo.nextDir(r, topo.routerOfTile(dst));
    return d >= 0 ? d * V + this.datelineVc(r, d, inPort, inVc) : (4 + topo.slotOfTile(dst)) * V;
  }

  private datelineVc(r: number, dir: number, inPort: number, inVc: number): number {
    if (this.V === 1) return 0;
    const topo = this.geometry.topology;
    const x = r % topo.width;
    const y = (r - x) / topo.width;
    const wraps =
      (dir === DIR_EAST && x === topo.width - 1) ||
      (dir === DIR_WEST && x === 0) ||
      (dir === DIR_NORTH && y === topo.height - 1) ||
      (dir === DIR_SOUTH && y === 0);
    if (wraps) return 1;
    // still in the dimension it arrived in (east/west = 0/1, north/south = 2/3): keep the VC
    return inPort < 4 && inPort >> 1 === dir >> 1 ? inVc : 0;
  }

  /** Moves credits that have arrived by `t` into the output channel's count. */
  private drainCredits(oc: number, t: number): void {
    const B = this.geometry.bufferFlits;
    const base = oc * B;
    while (this.creditCount[oc] > 0 && this.creditTicks[base + this.creditHead[oc]] <= t) {
      this.creditHead[oc] = (this.creditHead[oc] + 1) % B;
      this.creditCount[oc]--;
      this.outCredits[oc]++;
    }
  }

  private returnCredit(oc: number, at: number): void {
    const B = this.geometry.bufferFlits;
    const c = this.creditCount[oc];
    this.creditTicks[oc * B + ((this.creditHead[oc] + c) % B)] = at;
    this.creditCount[oc] = c + 1;
    this.updateWakeFrom(Math.floor(oc / (this.P * this.V)), at);
  }

  /** The earliest edge at which a buffered flit of router r could be granted (∞ if none can). */
  private nextWake(r: number): number {
    const P = this.P;
    const V = this.V;
    const now = this.sim.now;
    let lb = Math.max(now, this.lastAlloc[r] + this.period);
    const rem = lb % this.period;
    if (rem !== 0) lb += this.period - rem;
    let best = Infinity;
    const base = r * P * V;
    for (let ch = 0; ch < P * V; ch++) {
      const ic = base + ch;
      const q = this.inQueue[ic];
      if (q === null || q.size === 0) continue;
      const och = q.headFlit === 0 ? q.headOut : this.inLockOut[ic];
      const oc = base + och;
      const lock = this.outLock[oc];
      if (lock >= 0 && lock !== ch) continue; // the lock owner's progress wakes this router
      const go = r * P + ((och / V) | 0);
      let t = Math.max(q.headReady, this.outBusyUntil[go], lb);
      if (this.outKind[go] === OUT_ROUTER) {
        this.drainCredits(oc, now);
        if (this.outCredits[oc] === 0) {
          if (this.creditCount[oc] === 0) continue; // woken when a credit is returned
          t = Math.max(t, this.creditTicks[oc * this.geometry.bufferFlits + this.creditHead[oc]]);
        }
      }
      if (t < best) best = t;
    }
    return best;
  }

  private updateWake(r: number): void {
    if (r === this.allocating) return;
    const t = this.nextWake(r);
    if (t < this.wakeAt[r]) {
      const ev = this.wakeEv[r];
      if (ev !== null && ev.pending) this.sim.cancel(ev);
      this.wakeAt[r] = t;
      this.wakeEv[r] = this.sim.scheduleAt(t as Tick, this.fires[r], 0, "noc.router");
    }
  }

  /**
   * Something at router r (a flit, a credit) becomes usable at tick t: a wake-up already due by t
   * will see it when it recomputes the next wake-up, so only a later (or no) wake-up needs work.
   */
  private updateWakeFrom(r: number, t: number): void {
    if (this.wakeAt[r] <= t) return;
    this.updateWake(r);
  }

  /** Switch allocation of router r at the current edge. */
  private allocate(r: number): void {
    const T = this.sim.now;
    this.wakeAt[r] = Infinity;
    this.wakeEv[r] = null;
    this.allocating = r;
    const P = this.P;
    const V = this.V;
    const base = r * P * V;
    // requests: each input channel asks for the output port of its head flit
    const req = this.reqScratch;
    req.fill(0);
    let any = 0;
    for (let ch = 0; ch < P * V; ch++) {
      const q = this.inQueue[base + ch];
      if (q === null || q.size === 0 || q.headReady > T) continue;
      const och = q.headFlit === 0 ? q.headOut : this.inLockOut[base + ch];
      req[(och / V) | 0] |= 1 << ch;
      any = 1;
    }
    for (let o = 0; any !== 0 && o < P; o++) {
      const want = req[o];
      if (want === 0) continue;
      const go = r * P + o;
      if (this.outBusyUntil[go] > T) continue;
      const toRouter = this.outKind[go] === OUT_ROUTER;
      // round robin over the input channels; one flit per output port and per input port per cycle
      const start = this.outRr[go];
      for (let k = 0; k < P * V; k++) {
        const ch = (start + k) % (P * V);
        if ((want & (1 << ch)) === 0) continue;
        if (this.inLastGrant[r * P + ((ch / V) | 0)] === T) continue;
        const q = this.inQueue[base + ch] as FlitQueue;
        const och = q.headFlit === 0 ? q.headOut : this.inLockOut[base + ch];
        const oc = base + och;
        // wormhole per VC: a downstream VC is held by one packet until its tail passes
        const lock = this.outLock[oc];
        if (lock >= 0 && lock !== ch) continue;
        if (toRouter) {
          this.drainCredits(oc, T);
          if (this.outCredits[oc] === 0) continue;
        }
        this.outRr[go] = (ch + 1) % (P * V);
        this.grant(r, ch, och, T);
        break;
      }
    }
    this.lastAlloc[r] = T;
    this.allocating = -1;
    this.updateWake(r);
  }

  /** Moves the head flit of local input channel `ch` of router r to local output channel `och`. */
  private grant(r: number, ch: number, och: number, T: number): void {
    const P = this.P;
    const V = this.V;
    const ic = r * P * V + ch;
    const oc = r * P * V + och;
    const go = r * P + ((och / V) | 0);
    const q = this.inQueue[ic] as FlitQueue;
    const id = q.headPacket;
    const k = q.headFlit;
    const ready = q.headReady;
    q.pop();
    this.inLastGrant[r * P + ((ch / V) | 0)] = T;
    const pkt = this.packets[id] as Packet;
    const router = this.routers[r];
    router.flits.value++;
    router.stall.value += (T - ready) / this.period;
    router.energy.counts[router.aTraversal]++;
    if (this.tracer.active) {
      if (T > ready) this.tracer.slice(this.inTrack(r, ch), this.trStall, ready, T - ready, pkt.seq, k);
      this.tracer.slice(this.trOut[go], this.trHop, T, this.outBusyTicks[go], pkt.seq, k);
      if (k === 0) pkt.hops++;
    }
    const up = this.inUpstream[ic];
    if (up >= 0) this.returnCredit(up, T + this.tlTicks);
    const last = k === pkt.flits - 1;
    if (last) {
      this.outLock[oc] = -1;
      this.inLockOut[ic] = -1;
    } else if (k === 0) {
      this.outLock[oc] = ch;
      this.inLockOut[ic] = och;
    }
    this.outBusyUntil[go] = T + this.outBusyTicks[go];
    const kind = this.outKind[go];
    const arrive = T + this.outLatency[go];
    if (kind === OUT_ROUTER) {
      this.outCredits[oc]--;
      const link = this.links[go] as Link;
      link.flits.value++;
      link.energy.counts[link.aFlit]++;
      const gi2 = this.outDest[go];
      const vc = och % V;
      const r2 = Math.floor(gi2 / P);
      const q2 = this.inQueue[gi2 * V + vc] as FlitQueue;
      if (q2.size >= this.geometry.bufferFlits) throw new Error(`${this.path}: credit invariant broken at ${link.path}`);
      q2.push(id, k, arrive + this.trTicks, k === 0 ? this.routeOut(r2, pkt.dst, gi2 - r2 * P, vc) : -1);
      this.updateWakeFrom(r2, arrive + this.trTicks);
      return;
    }
    if (kind === OUT_TILE) {
      const link = this.links[go] as Link;
      link.flits.value++;
      link.energy.counts[link.aFlit]++;
    } else {
      const off = this.offchip as OffchipLink;
      off.flitsOut.add(1);
      off.energy.counts[off.aFlit]++;
    }
    if (last) {
      this.pendingDeliveries++;
      this.sim.scheduleAt(arrive as Tick, () => this.deliver(id), 0, "noc.deliver");
    }
  }

  private deliver(id: number): void {
    const pkt = this.packets[id] as Packet;
    this.packets[id] = undefined;
    this.freeIds.push(id);
    this.pendingDeliveries--;
    const now = this.sim.now;
    const latencyCycles = (now - pkt.sentTick) / this.period;
    this.st.packetsDelivered.add(1);
    this.st.flitsDelivered.add(pkt.flits);
    this.st.packetLatency.sample(latencyCycles);
    if (this.tracer.active) this.tracer.slice(this.flowTrack(pkt.src, pkt.dst), this.trPacket, pkt.sentTick, now - pkt.sentTick, pkt.src, pkt.dst, pkt.flits, pkt.hops);
    if (pkt.onDelivered !== undefined) {
      pkt.onDelivered({
        src: pkt.src,
        dst: pkt.dst,
        bytes: pkt.bytes,
        tag: pkt.tag,
        flits: pkt.flits,
        sentTick: pkt.sentTick as Tick,
        deliveredTick: now,
        latencyCycles,
      });
    }
  }

  /** Trace component of local input channel `ch` of router r (interned on first use). */
  private inTrack(r: number, ch: number): number {
    const ic = r * this.P * this.V + ch;
    if (this.trIn[ic] < 0) this.trIn[ic] = this.tracer.component(`${this.routers[r].path}.input[${ch}]`);
    return this.trIn[ic];
  }

  /** Trace component of the packets from endpoint src to dst (interned on first use). */
  private flowTrack(src: number, dst: number): number {
    const key = src * 65536 + dst;
    let id = this.trFlows.get(key);
    if (id === undefined) {
      id = this.tracer.component(`${this.path}.packets[${src}->${dst}]`);
      this.trFlows.set(key, id);
    }
    return id;
  }

  /** Buffered flits per router, for deadlock reports: "router[3]: 12 flits". */
  describeBuffered(): string[] {
    const out: string[] = [];
    for (let r = 0; r < this.routers.length; r++) {
      let n = 0;
      for (let ch = 0; ch < this.P * this.V; ch++) n += this.inQueue[r * this.P * this.V + ch]?.size ?? 0;
      if (n > 0) out.push(`${this.routers[r].path}: ${n} flits`);
    }
    return out;
  }
}
