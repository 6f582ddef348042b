// A tile on the event kernel: its control cores (arch/core), their MVM units and the MVM units the
// tile owns itself (arch/mvmu), the shared memory (arch/memory), the named digital units, and a
// port to the network. The tile is the `CoreEnvironment` of each of its cores: a core's custom
// instructions reach the tile through it —
//   mvm      runs the MVM units named by the mask (unit u of core k is MVM unit k·mvmusPerCore + u);
//            the input vector is read from the core's vector registers at inAddr (rows elements),
//            the results (logical columns) are written back at outAddr when the unit completes;
//            done when every named unit is done.
//   vld/vst  synchronised loads/stores of the shared memory (valid bits, consumer counts).
//   send     a synchronised load of the elements from shared memory, then one packet to the
//            destination tile over the network; done when the network has accepted it.
//   recv     waits for the packet from (tile, tag) in the tile's receive buffer (packets that arrive
//            first wait there), then a synchronised store into shared memory; done when stored.
//   barrier  waits until the tile's flag is raised (`signal`); a raised flag stays raised.
// Values travel at `ideal` and `physical` fidelity; at `timing` only timing and energy do.
// Left out: tile instructions (PUMA's tile-level send/receive/compute programs), the digital
// units' use by instructions (they are built for cost and can be driven directly), a bounded
// receive buffer.

import { Component, childPath, defineKind, type SimContext } from "../../sim/component";
import { RramsimError } from "../../sim/errors";
import { Core } from "../core/core";
import type { CoreEnvironment, CoreMvmRequest } from "../core/environment";
import { SharedMemory } from "../memory/shared-memory";
import type { DatapathWorkspace } from "../mvmu/datapath";
import { Mvmu, type MvmuArrayFactory, type MvmuFidelity } from "../mvmu/mvmu";
import { tileParamsSchema, type TileParams } from "../chip/params";
import { DigitalUnit } from "./digital-unit";
import { TICKS_PER_SECOND } from "../../sim/time";

export const tileKind = defineKind({
  kind: "tile",
  description: "a tile: control cores with their MVM units, tile-owned MVM units, shared memory, digital units, network port",
  params: tileParamsSchema,
  stats: {
    packetsSent: { kind: "counter", unit: "packets", desc: "packets sent to other tiles" },
    packetsReceived: { kind: "counter", unit: "packets", desc: "packets received from other tiles" },
  },
  actions: {},
});

/** A message between tiles, as the network delivers it. */
export interface TileMessage {
  src: number;
  tag: number;
  length: number;
  /** element values (null at `timing` fidelity) */
  data: Int32Array | null;
}

/** What a tile needs from the chip: a way to send a message to another tile. */
export interface TilePort {
  /** hands `msg` to the network; `accepted` runs when the network has taken it */
  send(dst: number, bytes: number, msg: TileMessage, accepted: () => void): void;
}

export interface TileOptions {
  index: number;
  clockHz: number;
  fidelity: MvmuFidelity;
  port?: TilePort;
  /** the crossbars' analog arrays at `physical` fidelity (device physics) */
  arrayFactory?: MvmuArrayFactory;
  /** the buffers the MVM units' datapaths share (the chip's) */
  workspace: DatapathWorkspace;
}

export class Tile extends Component<typeof tileParamsSchema> {
  readonly index: number;
  readonly cores: Core[] = [];
  /** all MVM units: core k's units first (k·mvmusPerCore + u), then the tile's own */
  readonly mvmus: Mvmu[] = [];
  readonly sharedMemory: SharedMemory | undefined;
  readonly units: Record<string, DigitalUnit> = {};
  private readonly port: TilePort | undefined;
  private readonly values: boolean;
  private readonly flags = new Set<number>();
  private readonly flagWaiters = new Map<number, Array<() => void>>();
  private readonly inbox = new Map<string, TileMessage[]>();
  private readonly recvWaiters = new Map<string, Array<(m: TileMessage) => void>>();

  constructor(ctx: SimContext, path: string, params: TileParams, opts: TileOptions) {
    super(ctx, path, tileKind, params, { actions: {} });
    this.index = opts.index;
    this.port = opts.port;
    this.values = opts.fidelity !== "timing";
    const periodTicks = Math.round(TICKS_PER_SECOND / opts.clockHz);
    const nMvmus = params.cores * params.mvmusPerCore + params.mvmus;
    for (let m = 0; m < nMvmus; m++) {
      this.mvmus.push(this.adopt(new Mvmu(ctx, childPath(path, "mvmu", m), params.mvmu, { fidelity: opts.fidelity, clockHz: opts.clockHz, arrayFactory: opts.arrayFactory, workspace: opts.workspace })));
    }
    if (params.sharedMemory !== undefined) {
      this.sharedMemory = this.adopt(new SharedMemory(ctx, childPath(path, "sharedMemory"), params.sharedMemory, { periodTicks, values: this.values }));
    }
    for (const [name, u] of Object.entries(params.units)) {
      this.units[name] = this.adopt(new DigitalUnit(ctx, childPath(path, name), u, { hz: opts.clockHz, periodTicks }));
    }
    if (params.cores > 0 && params.core !== undefined) {
      for (let k = 0; k < params.cores; k++) {
        this.cores.push(this.adopt(new Core(ctx, childPath(path, "core", k), params.core, { clockHz: opts.clockHz, env: this.environmentFor(k) })));
      }
    }
  }

  /** Raises flag `flag`: barriers waiting on it (now or later) complete. */
  signal(flag: number): void {
    this.flags.add(flag);
    const w = this.flagWaiters.get(flag);
    if (w === undefined) return;
    this.flagWaiters.delete(flag);
    for (const done of w) this.sim.schedule(0, done, 0, `${this.path}.barrier`);
  }

  /** The network delivered `msg` to this tile. */
  deliver(msg: TileMessage): void {
    this.counter("packetsReceived").add(1);
    const key = `${msg.src}:${msg.tag}`;
    const w = this.recvWaiters.get(key);
    if (w !== undefined && w.length > 0) {
      (w.shift() as (m: TileMessage) => void)(msg);
      return;
    }
    const q = this.inbox.get(key);
    if (q === undefined) this.inbox.set(key, [msg]);
    else q.push(msg);
  }

  private memory(op: string): SharedMemory {
    if (this.sharedMemory === undefined) throw new RramsimError("SIM_STATE", `${this.path}: ${op} needs a tile shared memory (tile.sharedMemory)`);
    return this.sharedMemory;
  }

  /** The environment core `k` runs in. */
  environmentFor(k: number): CoreEnvironment {
    const first = k * this.params.mvmusPerCore;
    const units = this.params.mvmusPerCore;
    const g = this.mvmus.length > 0 ? this.mvmus[0].geometry : undefined;
    return {
      mvmFootprint: { input: g?.rows ?? 0, output: g?.logicalCols ?? 0 },
      mvm: (req, vrf, done) => this.mvm(first, units, req, vrf, done),
      load: (addr, out, done) => this.memory("vld").load(addr, out.length, this.values ? out : null, done),
      store: (addr, values, consumers, done) => this.memory("vst").store(addr, this.values ? values : null, values.length, consumers, done),
      send: (req, done) => this.send(req, done),
      recv: (req, done) => this.recv(req, done),
      barrier: (flag, done) => {
        if (this.flags.has(flag)) this.sim.schedule(0, done, 0, `${this.path}.barrier`);
        else {
          const w = this.flagWaiters.get(flag);
          if (w === undefined) this.flagWaiters.set(flag, [done]);
          else w.push(done);
        }
      },
    };
  }

  private mvm(first: number, units: number, req: CoreMvmRequest, vrf: Int32Array, done: () => void): void {
    if (req.mask === 0 || req.mask >>> units !== 0) {
      throw new RramsimError("SIM_STATE", `${this.path}: mvm mask 0x${req.mask.toString(16)} names units this core does not have (it has ${units})`);
    }
    const block = req.block;
    let pending = 0;
    for (let u = 0; u < units; u++) if ((req.mask >>> u) & 1) pending++;
    for (let u = 0; u < units; u++) {
      if (((req.mask >>> u) & 1) === 0) continue;
      const unit = this.mvmus[first + u];
      const g = unit.geometry;
      let input: Int32Array | null = null;
      if (this.values) {
        const inp = new Int32Array(g.rows); // the core checked that [inAddr, inAddr + rows) is in its registers
        const from = req.inAddr;
        this.sim.values.run(() => {
          for (let i = 0; i < inp.length; i++) inp[i] = vrf[from + i];
        });
        input = inp;
      }
      unit.mvm(
        input,
        (out) => {
          if (out !== null) {
            // a block MVM delivers its own columns only; the other outputs are left as they are
            const cols = unit.outputColumns(block);
            const j0 = cols.start;
            const j1 = Math.min(out.length, g.logicalCols, vrf.length - req.outAddr, j0 + cols.count);
            const to = req.outAddr;
            this.sim.values.run(() => {
              for (let j = j0; j < j1; j++) vrf[to + j] = Math.round(out[j]) | 0;
            });
          }
          if (--pending === 0) done();
        },
        block,
      );
    }
  }

  private send(req: { addr: number; tile: number; length: number; tag: number }, done: () => void): void {
    const port = this.port;
    if (port === undefined) throw new RramsimError("SIM_STATE", `${this.path}: send needs a network (the tile is not on a chip)`);
    const mem = this.memory("send");
    const data = this.values ? new Int32Array(req.length) : null;
    mem.load(req.addr, req.length, data, () => {
      const bytes = Math.ceil((req.length * mem.params.elementBits) / 8);
      this.counter("packetsSent").add(1);
      port.send(req.tile, bytes, { src: this.index, tag: req.tag, length: req.length, data }, done);
    });
  }

  private recv(req: { addr: number; tile: number; length: number; tag: number; consumers: number }, done: () => void): void {
    const mem = this.memory("recv");
    const take = (m: TileMessage) => {
      if (m.length !== req.length) {
        throw new RramsimError("SIM_STATE", `${this.path}: recv of ${req.length} elements from tile ${req.tile} tag ${req.tag} got a packet of ${m.length}`);
      }
      mem.store(req.addr, m.data, m.length, Math.max(1, req.consumers), done);
    };
    const key = `${req.tile}:${req.tag}`;
    const q = this.inbox.get(key);
    if (q !== undefined && q.length > 0) {
      take(q.shift() as TileMessage);
      return;
    }
    const w = this.recvWaiters.get(key);
    if (w === undefined) this.recvWaiters.set(key, [take]);
    else w.push(take);
  }
}
