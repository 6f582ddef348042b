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
// Left out: virtual channels (so no dateline on the torus: see topology.ts), adaptive routing,
// separate header flits, router-internal speedup, link-level errors, NI buffer limits.

import { z } from "zod";
import { Component, childPath, defineKind, type SimContext } from "../../sim/component";
import { nonNegativeQuantity } from "../../sim/config";
import { costSpecSchema, resolveCost } from "../../sim/cost";
import { RramsimError } from "../../sim/errors";
import type { SimEvent } from "../../sim/event-queue";
import type { Counter, Histogram } from "../../sim/stats";
import type { Tick } from "../../sim/time";
import { FlitQueue } from "./flit-queue";
import { flitsOf, resolveNocGeometry, type NocGeometry } from "./geometry";
import { nocParamsSchema, offchipParamsSchema, type NocParams, type OffchipParams } from "./params";
import { DIR_NAMES, oppositeDir } from "./topology";

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
  private readonly period: number;
  private readonly trTicks: number;
  private readonly tlTicks: number;
  // per global output port (router · P + port)
  private readonly outKind: Uint8Array;
  private readonly outDest: Int32Array;
  private readonly outLatency: Float64Array;
  private readonly outBusyTicks: Float64Array;
  private readonly outBusyUntil: Float64Array;
  private readonly outCredits: Int32Array;
  private readonly outLock: Int32Array;
  private readonly outRr: Int32Array;
  private readonly creditTicks: Float64Array;
  private readonly creditHead: Int32Array;
  private readonly creditCount: Int32Array;
  // per global input port
  private readonly inQueue: (FlitQueue | null)[];
  private readonly inUpstream: Int32Array;
  private readonly inLockOut: Int32Array;
  /** tick of the input's last grant: an input port sends at most one flit per cycle */
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
  private readonly st: { packetsInjected: Counter; packetsDelivered: Counter; flitsInjected: Counter; flitsDelivered: Counter; packetLatency: Histogram };

  constructor(ctx: SimContext, path: string, params: NocParams, opts: NocOptions) {
    super(ctx, path, nocKind, params, { actions: {} });
    const g = resolveNocGeometry(params, opts.tiles, opts.clockHz, opts.offchip, opts.where ?? path);
    this.geometry = g;
    const topo = g.topology;
    const P = g.portsPerRouter;
    const c = topo.concentration;
    this.P = P;
    this.period = g.periodTicks;
    this.trTicks = g.routerCycles * g.periodTicks;
    this.tlTicks = g.linkCycles * g.periodTicks;
    const nPorts = topo.routers * P;
    this.outKind = new Uint8Array(nPorts);
    this.outDest = new Int32Array(nPorts).fill(-1);
    this.outLatency = new Float64Array(nPorts);
    this.outBusyTicks = new Float64Array(nPorts);
    this.outBusyUntil = new Float64Array(nPorts);
    this.outCredits = new Int32Array(nPorts);
    this.outLock = new Int32Array(nPorts).fill(-1);
    this.outRr = new Int32Array(nPorts);
    this.creditTicks = new Float64Array(nPorts * g.bufferFlits);
    this.creditHead = new Int32Array(nPorts);
    this.creditCount = new Int32Array(nPorts);
    this.inQueue = new Array<FlitQueue | null>(nPorts).fill(null);
    this.inUpstream = new Int32Array(nPorts).fill(-1);
    this.inLockOut = new Int32Array(nPorts).fill(-1);
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
        this.outCredits[go] = g.bufferFlits;
        this.inQueue[gi] = new FlitQueue(g.bufferFlits);
        this.inUpstream[gi] = go;
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
        this.outCredits[p] = UNLIMITED;
        this.inQueue[p] = new FlitQueue(16);
        this.links[p] = router.addLink(new Link(ctx, childPath(rPath, "local", s), linkParams, 1, elapsed));
      }
      if (hasOffchip && r === g.offchipRouter) {
        const p = r * P + 4 + c;
        this.outKind[p] = OUT_OFFCHIP;
        this.outDest[p] = g.offchipEndpoint;
        this.outLatency[p] = (g.offchipLatencyCycles + g.offchipCyclesPerFlit) * g.periodTicks;
        this.outBusyTicks[p] = g.offchipCyclesPerFlit * g.periodTicks;
        this.outCredits[p] = UNLIMITED;
        this.inQueue[p] = new FlitQueue(16);
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
   * every buffered flit waits for a credit that no grant will return (a cyclic wait, possible on
   * the torus only; see topology.ts). The simulator would simply go idle, so callers check this.
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
    const pkt: Packet = { src, dst, bytes: req.bytes, tag: req.tag ?? 0, flits, sentTick: now, onDelivered: req.onDelivered };
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
      const q = this.inQueue[r * P + 4 + g.topology.concentration] as FlitQueue;
      const so = g.offchipCyclesPerFlit * this.period;
      const start = Math.max(edge, this.offchipInFreeAt);
      const first = start + g.offchipLatencyCycles * this.period + this.trTicks;
      const out = this.routeOut(r, dst);
      for (let k = 0; k < flits; k++) q.push(id, k, first + (k + 1) * so, k === 0 ? out : -1);
      this.offchipInFreeAt = start + flits * so;
      const off = this.offchip as OffchipLink;
      off.flitsIn.add(flits);
      off.energy.counts[off.aFlit] += flits;
      this.updateWake(r);
    } else {
      const r = g.topology.routerOfTile(src);
      const q = this.inQueue[r * P + 4 + g.topology.slotOfTile(src)] as FlitQueue;
      const ready = edge + this.trTicks;
      const out = this.routeOut(r, dst);
      for (let k = 0; k < flits; k++) q.push(id, k, ready, k === 0 ? out : -1);
      this.updateWake(r);
    }
  }

  /** Output port (local index) at router r for a packet to endpoint `dst`. */
  private routeOut(r: number, dst: number): number {
    const g = this.geometry;
    const topo = g.topology;
    if (dst === g.offchipEndpoint) {
      const d = topo.nextDir(r, g.offchipRouter);
      return d >= 0 ? d : 4 + topo.concentration;
    }
    const d = topo.nextDir(r, topo.routerOfTile(dst));
    return d >= 0 ? d : 4 + topo.slotOfTile(dst);
  }

  /** Moves credits that have arrived by `t` into the port's count. */
  private drainCredits(go: number, t: number): void {
    const B = this.geometry.bufferFlits;
    const base = go * B;
    while (this.creditCount[go] > 0 && this.creditTicks[base + this.creditHead[go]] <= t) {
      this.creditHead[go] = (this.creditHead[go] + 1) % B;
      this.creditCount[go]--;
      this.outCredits[go]++;
    }
  }

  private returnCredit(go: number, at: number): void {
    const B = this.geometry.bufferFlits;
    const c = this.creditCount[go];
    this.creditTicks[go * B + ((this.creditHead[go] + c) % B)] = at;
    this.creditCount[go] = c + 1;
    this.updateWakeFrom(Math.floor(go / this.P), at);
  }

  /** The earliest edge at which a buffered flit of router r could be granted (∞ if none can). */
  private nextWake(r: number): number {
    const P = this.P;
    const now = this.sim.now;
    let lb = Math.max(now, this.lastAlloc[r] + this.period);
    const rem = lb % this.period;
    if (rem !== 0) lb += this.period - rem;
    let best = Infinity;
    for (let i = 0; i < P; i++) {
      const gi = r * P + i;
      const q = this.inQueue[gi];
      if (q === null || q.size === 0) continue;
      const o = q.headFlit === 0 ? q.headOut : this.inLockOut[gi];
      const go = r * P + o;
      const lock = this.outLock[go];
      if (lock >= 0 && lock !== i) continue; // the lock owner's progress wakes this router
      let t = Math.max(q.headReady, this.outBusyUntil[go], lb);
      if (this.outKind[go] === OUT_ROUTER) {
        this.drainCredits(go, now);
        if (this.outCredits[go] === 0) {
          if (this.creditCount[go] === 0) continue; // woken when a credit is returned
          t = Math.max(t, this.creditTicks[go * this.geometry.bufferFlits + this.creditHead[go]]);
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
    const base = r * P;
    // requests: each input asks for the output of its head flit (at most one flit per input per cycle)
    const req = this.reqScratch;
    req.fill(0);
    let any = 0;
    for (let i = 0; i < P; i++) {
      const q = this.inQueue[base + i];
      if (q === null || q.size === 0 || q.headReady > T || this.inLastGrant[base + i] === T) continue;
      const o = q.headFlit === 0 ? q.headOut : this.inLockOut[base + i];
      req[o] |= 1 << i;
      any = 1;
    }
    for (let o = 0; any !== 0 && o < P; o++) {
      const want = req[o];
      if (want === 0) continue;
      const go = base + o;
      if (this.outBusyUntil[go] > T) continue;
      if (this.outKind[go] === OUT_ROUTER) {
        this.drainCredits(go, T);
        if (this.outCredits[go] === 0) continue;
      }
      const lock = this.outLock[go];
      if (lock >= 0) {
        // wormhole: only the packet holding the port may use it (its body flits are the only requests
        // from that input; head flits of other inputs wait for the tail)
        if ((want & (1 << lock)) !== 0) this.grant(r, lock, o, T);
        continue;
      }
      const start = this.outRr[go];
      for (let k = 0; k < P; k++) {
        const i = (start + k) % P;
        if ((want & (1 << i)) === 0) continue;
        this.outRr[go] = (i + 1) % P;
        this.grant(r, i, o, T);
        break;
      }
    }
    this.lastAlloc[r] = T;
    this.allocating = -1;
    this.updateWake(r);
  }

  private grant(r: number, i: number, o: number, T: number): void {
    const P = this.P;
    const gi = r * P + i;
    const go = r * P + o;
    const q = this.inQueue[gi] as FlitQueue;
    const id = q.headPacket;
    const k = q.headFlit;
    const ready = q.headReady;
    q.pop();
    this.inLastGrant[gi] = T;
    const pkt = this.packets[id] as Packet;
    const router = this.routers[r];
    router.flits.value++;
    router.stall.value += (T - ready) / this.period;
    router.energy.counts[router.aTraversal]++;
    const up = this.inUpstream[gi];
    if (up >= 0) this.returnCredit(up, T + this.tlTicks);
    const last = k === pkt.flits - 1;
    if (last) {
      this.outLock[go] = -1;
      this.inLockOut[gi] = -1;
    } else if (k === 0) {
      this.outLock[go] = i;
      this.inLockOut[gi] = o;
    }
    this.outBusyUntil[go] = T + this.outBusyTicks[go];
    const kind = this.outKind[go];
    const arrive = T + this.outLatency[go];
    if (kind === OUT_ROUTER) {
      this.outCredits[go]--;
      const link = this.links[go] as Link;
      link.flits.value++;
      link.energy.counts[link.aFlit]++;
      const gi2 = this.outDest[go];
      const r2 = Math.floor(gi2 / P);
      const q2 = this.inQueue[gi2] as FlitQueue;
      if (q2.size >= this.geometry.bufferFlits) throw new Error(`${this.path}: credit invariant broken at ${this.links[go]?.path}`);
      q2.push(id, k, arrive + this.trTicks, k === 0 ? this.routeOut(r2, pkt.dst) : -1);
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

  /** Buffered flits per router, for deadlock reports: "router[3]: 12 flits". */
  describeBuffered(): string[] {
    const out: string[] = [];
    for (let r = 0; r < this.routers.length; r++) {
      let n = 0;
      for (let i = 0; i < this.P; i++) n += this.inQueue[r * this.P + i]?.size ?? 0;
      if (n > 0) out.push(`${this.routers[r].path}: ${n} flits`);
    }
    return out;
  }
}
