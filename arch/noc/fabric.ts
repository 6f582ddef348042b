// The NoC's flit-level switching, for all routers at once: input buffers, credit-based
// backpressure, wormhole locks, round-robin switch allocation and the router wake-ups, held in flat
// typed arrays indexed by global port and channel (the port tables come from wiring.ts).
// One file of a little over 400 lines: the buffers, credits, locks and allocation are one hot loop
// over the same arrays, read together.
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
// Virtual channels: on a torus every router input has two VCs of `bufferFlits` each, picked by the
// dateline rule (router.ts); mesh and c-mesh have one. VCs of one port share its link (one flit per
// cycle) and its crossbar input (one flit per input port per cycle); each downstream VC is held by
// one packet from head to tail.
// Left out: separate header flits, router-internal speedup, NI buffer limits.

import type { SimEvent } from "../../sim/event-queue";
import type { Simulator } from "../../sim/simulator";
import type { Tick } from "../../sim/time";
import type { Tracer } from "../../sim/tracer";
import type { FlitQueue } from "./flit-queue";
import type { NocGeometry } from "./geometry";
import type { Link } from "./link";
import type { OffchipLink } from "./offchip-link";
import { routeOut, type Router } from "./router";
import { OUT_OFFCHIP, OUT_ROUTER, OUT_TILE, type NocWiring } from "./wiring";

/** What the fabric reads of a packet; the NoC's packet record carries more. */
export interface FabricPacket {
  /** source and destination endpoints: tile indices, or the off-chip endpoint */
  src: number;
  dst: number;
  flits: number;
  /** injection sequence number (trace) */
  seq: number;
  /** links the head flit crossed (counted while tracing) */
  hops: number;
}

export class NocFabric<P extends FabricPacket> {
  private readonly P: number;
  private readonly V: number;
  private readonly period: number;
  private readonly trTicks: number;
  private readonly tlTicks: number;
  private readonly routers: readonly Router[];
  private readonly links: readonly (Link | undefined)[];
  private readonly offchip: OffchipLink | undefined;
  // per global output port go = router · P + port
  private readonly outKind: Uint8Array;
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
  private readonly fires: (() => void)[] = [];
  private allocating = -1;
  // packets in the network, by id (ids are reused after delivery)
  private readonly packets: (P | undefined)[] = [];
  private readonly freeIds: number[] = [];
  private offchipInFreeAt = 0;
  private pendingDeliveries = 0;
  /** trace component per global output port: its link (or the off-chip link), −1 if unconnected */
  private readonly trOut: Int32Array;
  /** trace component per global input channel, interned on first use (−1) */
  private readonly trIn: Int32Array;
  private readonly trOffchipIn: number;
  private readonly trHop: number;
  private readonly trStall: number;

  constructor(
    private readonly sim: Simulator,
    /** the NoC's path, for error messages */
    private readonly path: string,
    private readonly geometry: NocGeometry,
    w: NocWiring,
    private readonly tracer: Tracer,
    /** runs when a packet's tail has arrived, after its id is freed */
    private readonly onDelivered: (pkt: P) => void,
  ) {
    const g = geometry;
    const P = g.portsPerRouter;
    const V = w.V;
    this.P = P;
    this.V = V;
    this.period = g.periodTicks;
    this.trTicks = g.routerCycles * g.periodTicks;
    this.tlTicks = g.linkCycles * g.periodTicks;
    const nRouters = g.topology.routers;
    const nPorts = nRouters * P;
    const nChannels = nPorts * V;
    this.routers = w.routers;
    this.links = w.links;
    this.offchip = w.offchip;
    this.outKind = w.outKind;
    this.outDest = w.outDest;
    this.outLatency = w.outLatency;
    this.outBusyTicks = w.outBusyTicks;
    this.outBusyUntil = new Float64Array(nPorts);
    this.outRr = new Int32Array(nPorts);
    this.outCredits = w.outCredits;
    this.outLock = new Int32Array(nChannels).fill(-1);
    this.creditTicks = new Float64Array(nChannels * g.bufferFlits);
    this.creditHead = new Int32Array(nChannels);
    this.creditCount = new Int32Array(nChannels);
    this.inQueue = w.inQueue;
    this.inUpstream = w.inUpstream;
    this.inLockOut = new Int32Array(nChannels).fill(-1);
    this.inLastGrant = new Float64Array(nPorts).fill(-Infinity);
    this.reqScratch = new Int32Array(P);
    this.wakeAt = new Float64Array(nRouters).fill(Infinity);
    this.wakeEv = new Array<SimEvent | null>(nRouters).fill(null);
    this.lastAlloc = new Float64Array(nRouters).fill(-Infinity);
    for (let r = 0; r < nRouters; r++) this.fires.push(() => this.allocate(r));
    const t = tracer;
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
  }

  /** No delivery is scheduled and no router has a wake-up: buffered flits (if any) cannot move. */
  get idle(): boolean {
    if (this.pendingDeliveries > 0) return false;
    for (let r = 0; r < this.wakeAt.length; r++) if (this.wakeAt[r] !== Infinity) return false;
    return true;
  }

  /** Flits buffered at router r, all input channels. */
  bufferedFlits(r: number): number {
    let n = 0;
    for (let ch = 0; ch < this.P * this.V; ch++) n += this.inQueue[r * this.P * this.V + ch]?.size ?? 0;
    return n;
  }

  /** Queues all flits of `pkt` at its source's injection port at the first edge at or after now. */
  inject(pkt: P): void {
    const g = this.geometry;
    const { src, dst, flits } = pkt;
    const now = this.sim.now;
    const edge = now % this.period === 0 ? now : now + this.period - (now % this.period);
    let id: number;
    if (this.freeIds.length > 0) {
      id = this.freeIds.pop() as number;
      this.packets[id] = pkt;
    } else {
      id = this.packets.length;
      this.packets.push(pkt);
    }
    const P = this.P;
    if (src === g.offchipEndpoint) {
      const r = g.offchipRouter;
      const port = 4 + g.topology.concentration;
      const q = this.inQueue[(r * P + port) * this.V] as FlitQueue;
      const so = g.offchipCyclesPerFlit * this.period;
      const start = Math.max(edge, this.offchipInFreeAt);
      const first = start + g.offchipLatencyCycles * this.period + this.trTicks;
      const out = routeOut(g, this.V, r, dst, port, 0);
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
      const out = routeOut(g, this.V, r, dst, port, 0);
      for (let k = 0; k < flits; k++) q.push(id, k, ready, k === 0 ? out : -1);
      this.updateWake(r);
    }
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
    const pkt = this.packets[id] as P;
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
      q2.push(id, k, arrive + this.trTicks, k === 0 ? routeOut(this.geometry, V, r2, pkt.dst, gi2 - r2 * P, vc) : -1);
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
    const pkt = this.packets[id] as P;
    this.packets[id] = undefined;
    this.freeIds.push(id);
    this.pendingDeliveries--;
    this.onDelivered(pkt);
  }

  /** Trace component of local input channel `ch` of router r (interned on first use). */
  private inTrack(r: number, ch: number): number {
    const ic = r * this.P * this.V + ch;
    if (this.trIn[ic] < 0) this.trIn[ic] = this.tracer.component(`${this.routers[r].path}.input[${ch}]`);
    return this.trIn[ic];
  }
}
