// The network-on-chip: routers on a mesh, concentrated mesh or torus (topology.ts), dimension-order
// routing, wormhole switching of flits, finite input buffers with credit-based backpressure, one
// flit per link per cycle, round-robin output arbitration, and an optional off-chip link
// (HyperTransport-like: bandwidth, latency, power, area) reachable as one extra endpoint.
// Sources: ISAAC §III/Table I and PUMA include/config.py (c-mesh, c = 4, 32-bit flits; the
// router's and HT's power and area), docs/references.md §1.1, §2.2, §2.4. The zero-load latency this
// model reproduces exactly is in geometry.ts.
// The parts: the router component and route computation (router.ts), the link (link.ts), the
// off-chip link (offchip-link.ts), the assembly of routers, links and port tables from the
// topology (wiring.ts), and the flit-level switching of all routers with its timing rules
// (fabric.ts). This module declares the NoC component, adopts the parts, checks and counts what is
// sent and reports deliveries; it is the module others import.
// `deadlocked` is a safety net: a run that ends with packets stuck is reported, never hung.
// Trace (docs/traces.md): a `noc.hop` slice per flit per link (on the link's path, or the off-chip
// link's; args packet, flit) — they add up to the links' busy time; a `noc.stall` slice per flit
// that waited at a router beyond the pipeline, on `<router>.input[channel]` (args packet, flit) —
// they add up to stallFlitCycles; a `noc.packet` slice, send to delivery, on
// `<noc>.packets[src->dst]` (args src, dst, flits, hops; packets of one pair overlap when pipelined).
// Left out: VCs beyond the dateline's two, adaptive routing, separate header flits,
// router-internal speedup, link-level errors, NI buffer limits.

import { Component, defineKind, type SimContext } from "../../sim/component";
import { RramsimError } from "../../sim/errors";
import type { Counter, Histogram } from "../../sim/stats";
import type { Tick } from "../../sim/time";
import type { Tracer } from "../../sim/tracer";
import { NocFabric, type FabricPacket } from "./fabric";
import { flitsOf, resolveNocGeometry, type NocGeometry } from "./geometry";
import type { Link } from "./link";
import type { OffchipLink } from "./offchip-link";
import { nocParamsSchema, type NocParams, type OffchipParams } from "./params";
import type { Router } from "./router";
import { wireNoc } from "./wiring";

export { Router, routerKind } from "./router";
export { Link, linkKind, linkParamsSchema } from "./link";
export { OffchipLink, offchipLinkKind } from "./offchip-link";

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

/** The NoC's record of a packet in flight. */
interface Packet extends FabricPacket {
  bytes: number;
  tag: number;
  sentTick: number;
  onDelivered: ((d: NocDelivery) => void) | undefined;
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

  private readonly period: number;
  private readonly fabric: NocFabric<Packet>;
  private statsSinceTick = 0;
  private readonly tracer: Tracer;
  private readonly trFlows = new Map<number, number>();
  private readonly trPacket: number;
  private seq = 0;
  private readonly st: { packetsInjected: Counter; packetsDelivered: Counter; flitsInjected: Counter; flitsDelivered: Counter; packetLatency: Histogram };

  constructor(ctx: SimContext, path: string, params: NocParams, opts: NocOptions) {
    super(ctx, path, nocKind, params, { actions: {} });
    const g = resolveNocGeometry(params, opts.tiles, opts.clockHz, opts.offchip, opts.where ?? path);
    this.geometry = g;
    const topo = g.topology;
    const P = g.portsPerRouter;
    const V = topo.kind === "torus" ? 2 : 1;
    if (P * V > 31) throw new RramsimError("CONFIG_RANGE", `${opts.where ?? path}: ${P} ports × ${V} virtual channels exceed the router model's 31 input channels`);
    this.period = g.periodTicks;
    const elapsed = () => (this.sim.now - this.statsSinceTick) / this.period;
    const wiring = wireNoc(ctx, path, params, g, V, opts.offchip, elapsed);
    for (const r of wiring.routers) this.routers.push(this.adopt(r));
    this.links = wiring.links;
    this.offchip = wiring.offchip === undefined ? undefined : this.adopt(wiring.offchip);
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
    this.fabric = new NocFabric<Packet>(this.sim, path, g, wiring, t, (pkt) => this.delivered(pkt));
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
    return this.inFlight !== 0 && this.fabric.idle;
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
    const pkt: Packet = { src, dst, bytes: req.bytes, tag: req.tag ?? 0, flits, sentTick: this.sim.now, onDelivered: req.onDelivered, seq: this.seq++, hops: 0 };
    this.st.packetsInjected.add(1);
    this.st.flitsInjected.add(flits);
    this.fabric.inject(pkt);
  }

  /** The tail of `pkt` has arrived (the fabric has freed its id): stats, trace, the sender's callback. */
  private delivered(pkt: Packet): void {
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
      const n = this.fabric.bufferedFlits(r);
      if (n > 0) out.push(`${this.routers[r].path}: ${n} flits`);
    }
    return out;
  }
}
