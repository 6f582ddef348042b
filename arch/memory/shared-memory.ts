// Tile shared memory (ISAAC's eDRAM buffer, PUMA's tile data memory): a banked array of words with
// PUMA's producer/consumer synchronisation. Every element has a valid bit and a consumer count
// (docs/references.md §2.2, puma-simulator src/tile_modules.py): a synchronised load waits until its
// elements are valid, then decrements their counts — an element becomes invalid when its count
// reaches zero; a synchronised store waits until its elements are invalid, then writes them and
// sets valid with the given consumer count. Plain reads and writes skip the protocol (inputs
// placed before a run, debugging).
//
// Timing is closed form per request: a request of n elements becomes ⌈n·elementBits / widthBits⌉
// word accesses, interleaved over the banks; each access holds its bank for `accessCycles`, and a
// bank serves one access at a time, so the completion tick is known when the request starts and
// one event is scheduled for it. Waiting on sync bits costs no events while nothing changes.
// Trace (docs/traces.md): a `mem.read` / `mem.write` slice per request on the memory's path (start
// to last access done; args bytes, bank-wait ticks; requests overlap), a `mem.bank` slice per
// request and bank on `<path>.bank[b]` (the request's accesses to a bank are back to back; these add
// up to busyTicks), and `mem.syncWait` stall slices on `<path>.sync[i]`, one lane per concurrently
// waiting request (they add up to syncWaitTicks).
// Left out: refresh of eDRAM, row-buffer effects, port conflicts other than bank occupancy.

import { z } from "zod";
import { Component, defineKind, type SimContext } from "../../sim/component";
import { nonNegativeQuantity, positiveQuantity } from "../../sim/config";
import { RramsimError } from "../../sim/errors";
import type { Counter } from "../../sim/stats";
import type { Tick } from "../../sim/time";
import type { Tracer } from "../../sim/tracer";
import { TICKS_PER_SECOND } from "../../sim/time";

export const sharedMemoryParamsSchema = z
  .object({
    technology: z.enum(["edram", "sram"]).default("edram").describe("cell technology (labels the report)"),
    size: positiveQuantity("data").default(65536).describe('capacity in bytes, e.g. "64KB"'),
    widthBits: z.number().int().min(8).default(256).describe("bits per access (bus width)"),
    banks: z.number().int().min(1).default(2).describe("independently accessible banks"),
    accessCycles: z.number().int().min(1).default(2).describe("cycles one access holds its bank"),
    elementBits: z.number().int().min(1).max(32).default(16).describe("bits of one element (the unit of the valid bit)"),
    readEnergy: nonNegativeQuantity("energy").optional().describe("energy per read access (default 0, or power / peak access rate)"),
    writeEnergy: nonNegativeQuantity("energy").optional().describe("energy per write access (default 0, or power / peak access rate)"),
    power: nonNegativeQuantity("power").optional().describe("peak dynamic power instead of energies (ISAAC Table I); converted at the peak access rate banks / accessCycles per cycle"),
    leakage: nonNegativeQuantity("power").default(0).describe("static power"),
    area: nonNegativeQuantity("area").default(0).describe("area"),
  })
  .strict()
  .refine((p) => p.power === undefined || (p.readEnergy === undefined && p.writeEnergy === undefined), {
    message: "give either 'power' (peak) or 'readEnergy'/'writeEnergy' (per access), not both",
    params: { rramsimCode: "CONFIG_VALUE" },
    path: ["power"],
  });

export type SharedMemoryParams = z.output<typeof sharedMemoryParamsSchema>;

export interface SharedMemoryCost {
  readEnergyPj: number;
  writeEnergyPj: number;
  /** dynamic power with every bank starting an access every accessCycles (the larger of read/write) */
  peakPowerMw: number;
  leakageMw: number;
  areaUm2: number;
}

/** Energies and peak power at a clock: the peak access rate is banks / accessCycles per cycle. */
export function sharedMemoryCost(p: SharedMemoryParams, clockHz: number): SharedMemoryCost {
  const accessesPerS = (p.banks / p.accessCycles) * clockHz;
  // mW = pJ × accesses/s × 1e-9
  const fromPower = p.power === undefined ? undefined : p.power / (accessesPerS * 1e-9);
  const readEnergyPj = fromPower ?? p.readEnergy ?? 0;
  const writeEnergyPj = fromPower ?? p.writeEnergy ?? 0;
  return {
    readEnergyPj,
    writeEnergyPj,
    peakPowerMw: p.power ?? Math.max(readEnergyPj, writeEnergyPj) * accessesPerS * 1e-9,
    leakageMw: p.leakage,
    areaUm2: p.area,
  };
}

export const sharedMemoryKind = defineKind({
  kind: "sharedMemory",
  description: "banked tile memory (eDRAM/SRAM) with PUMA's valid-bit and consumer-count synchronisation",
  params: sharedMemoryParamsSchema,
  stats: {
    readAccesses: { kind: "counter", unit: "accesses", desc: "word accesses for reads" },
    writeAccesses: { kind: "counter", unit: "accesses", desc: "word accesses for writes" },
    bytesRead: { kind: "counter", unit: "B", desc: "bytes read" },
    bytesWritten: { kind: "counter", unit: "B", desc: "bytes written" },
    syncWaitTicks: { kind: "counter", unit: "ps", desc: "time synchronised requests waited for valid/invalid bits" },
    bankWaitTicks: { kind: "counter", unit: "ps", desc: "time accesses waited for a busy bank" },
    busyTicks: { kind: "counter", unit: "ps", desc: "bank-time spent on accesses (summed over banks)" },
  },
  actions: {
    read: { desc: "one read access of widthBits" },
    write: { desc: "one write access of widthBits" },
  },
});

interface Waiter {
  kind: "load" | "store";
  start: number;
  count: number;
  since: Tick;
  run: () => void;
  /** trace lane of its sync wait */
  lane: number;
}

export class SharedMemory extends Component<typeof sharedMemoryParamsSchema> {
  readonly elements: number;
  /** element values (integers); null at fidelity `timing` */
  readonly data: Int32Array | null;
  private readonly valid: Uint8Array;
  private readonly consumers: Uint16Array;
  private readonly bankFreeAt: Float64Array;
  private readonly periodTicks: number;
  private readonly elementsPerAccess: number;
  private waiters: Waiter[] = [];
  private readonly aRead: number;
  private readonly aWrite: number;
  private readonly tracer: Tracer;
  private readonly trMem: number;
  private readonly trBanks: number[];
  private readonly trLanes: number[] = [];
  private readonly laneBusy: boolean[] = [];
  private readonly trRead: number;
  private readonly trWrite: number;
  private readonly trBank: number;
  private readonly trSync: number;
  /** per bank: first access begin and accesses of the request being reserved (trace) */
  private readonly bankFirst: Float64Array;
  private readonly bankAccesses: Int32Array;
  private readonly st: Record<"readAccesses" | "writeAccesses" | "bytesRead" | "bytesWritten" | "syncWaitTicks" | "bankWaitTicks" | "busyTicks", Counter>;

  constructor(ctx: SimContext, path: string, params: SharedMemoryParams, opts: { periodTicks: number; values: boolean }) {
    const cost = sharedMemoryCost(params, TICKS_PER_SECOND / opts.periodTicks);
    super(ctx, path, sharedMemoryKind, params, {
      actions: { read: { energyPj: cost.readEnergyPj }, write: { energyPj: cost.writeEnergyPj } },
      leakageMw: cost.leakageMw,
      areaUm2: cost.areaUm2,
    });
    this.elements = Math.floor((params.size * 8) / params.elementBits);
    this.data = opts.values ? new Int32Array(this.elements) : null;
    this.valid = new Uint8Array(this.elements);
    this.consumers = new Uint16Array(this.elements);
    this.bankFreeAt = new Float64Array(params.banks);
    this.periodTicks = opts.periodTicks;
    this.elementsPerAccess = Math.max(1, Math.floor(params.widthBits / params.elementBits));
    this.aRead = this.energy.action("read");
    this.aWrite = this.energy.action("write");
    this.st = {
      readAccesses: this.counter("readAccesses"),
      writeAccesses: this.counter("writeAccesses"),
      bytesRead: this.counter("bytesRead"),
      bytesWritten: this.counter("bytesWritten"),
      syncWaitTicks: this.counter("syncWaitTicks"),
      bankWaitTicks: this.counter("bankWaitTicks"),
      busyTicks: this.counter("busyTicks"),
    };
    const t = this.contextTracer;
    this.tracer = t;
    this.trMem = t.component(path);
    this.trBanks = Array.from({ length: params.banks }, (_, b) => t.component(`${path}.bank[${b}]`));
    this.trRead = t.kind("mem.read", "slice", { argNames: ["bytes", "bankWaitTicks", "element"] });
    this.trWrite = t.kind("mem.write", "slice", { argNames: ["bytes", "bankWaitTicks", "element"] });
    this.trBank = t.kind("mem.bank", "slice", { argNames: ["accesses"] });
    this.trSync = t.kind("mem.syncWait", "slice", { argNames: ["elements", "element"], isStall: true });
    this.bankFirst = new Float64Array(params.banks);
    this.bankAccesses = new Int32Array(params.banks);
  }

  private check(start: number, count: number, op: string): void {
    if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > this.elements) {
      throw new RramsimError("SIM_STATE", `${this.path}: ${op} of elements [${start}, ${start + count}) is outside the memory (0..${this.elements})`);
    }
  }

  /** Reserves banks for `count` elements from `start`; returns the tick the last access completes. */
  private reserve(start: number, count: number, write: boolean): Tick {
    const now = this.sim.now;
    const accesses = Math.ceil(count / this.elementsPerAccess);
    const busy = this.params.accessCycles * this.periodTicks;
    const firstWord = Math.floor(start / this.elementsPerAccess);
    const tracing = this.tracer.active;
    let done: number = now;
    let waited = 0;
    for (let i = 0; i < accesses; i++) {
      const b = (firstWord + i) % this.params.banks;
      const begin = Math.max(now, this.bankFreeAt[b]);
      this.st.bankWaitTicks.add(begin - now);
      this.bankFreeAt[b] = begin + busy;
      if (begin + busy > done) done = begin + busy;
      if (tracing) {
        waited += begin - now;
        if (this.bankAccesses[b]++ === 0) this.bankFirst[b] = begin;
      }
    }
    this.st.busyTicks.add(accesses * busy);
    const bytes = (count * this.params.elementBits) / 8;
    if (tracing) {
      this.tracer.slice(this.trMem, write ? this.trWrite : this.trRead, now, done - now, Math.ceil(bytes), waited, start);
      for (let b = 0; b < this.params.banks; b++) {
        const n = this.bankAccesses[b];
        if (n === 0) continue;
        this.tracer.slice(this.trBanks[b], this.trBank, this.bankFirst[b], n * busy, n);
        this.bankAccesses[b] = 0;
      }
    }
    if (write) {
      this.energy.counts[this.aWrite] += accesses;
      this.st.writeAccesses.add(accesses);
      this.st.bytesWritten.add(bytes);
    } else {
      this.energy.counts[this.aRead] += accesses;
      this.st.readAccesses.add(accesses);
      this.st.bytesRead.add(bytes);
    }
    return done as Tick;
  }

  /** Plain write (no synchronisation): values land and become valid with `consumers` at completion. */
  write(start: number, values: ArrayLike<number> | null, count: number, consumers: number, done: () => void): void {
    this.check(start, count, "write");
    const at = this.reserve(start, count, true);
    this.sim.scheduleAt(
      at,
      () => {
        this.commitWrite(start, values, count, consumers);
        done();
      },
      0,
      `${this.path}.write`,
    );
  }

  /** Plain read (no synchronisation): `out` (if given) receives the values at completion. */
  read(start: number, count: number, out: Int32Array | null, done: () => void): void {
    this.check(start, count, "read");
    const at = this.reserve(start, count, false);
    this.sim.scheduleAt(
      at,
      () => {
        const data = this.data;
        if (out !== null && data !== null) {
          this.sim.values.run(() => {
            for (let i = 0; i < count; i++) out[i] = data[start + i];
          });
        }
        done();
      },
      0,
      `${this.path}.read`,
    );
  }

  /** Synchronised store: waits for every element to be invalid, then writes and sets valid. */
  store(start: number, values: ArrayLike<number> | null, count: number, consumers: number, done: () => void): void {
    this.check(start, count, "store");
    if (consumers < 1) throw new RramsimError("SIM_STATE", `${this.path}: a synchronised store needs at least one consumer`);
    const go = () => {
      // claim the elements now so a second store cannot slip in before this one completes
      for (let i = start; i < start + count; i++) this.valid[i] = 2;
      this.write(start, values, count, consumers, done);
    };
    if (this.allState(start, count, 0)) go();
    else this.waiters.push({ kind: "store", start, count, since: this.sim.now, run: go, lane: this.takeLane() });
  }

  /** Synchronised load: waits for every element to be valid, reads, then consumes one use of each. */
  load(start: number, count: number, out: Int32Array | null, done: () => void): void {
    this.check(start, count, "load");
    const go = () => {
      this.read(start, count, out, () => {
        this.consume(start, count);
        done();
      });
    };
    if (this.allState(start, count, 1)) go();
    else this.waiters.push({ kind: "load", start, count, since: this.sim.now, run: go, lane: this.takeLane() });
  }

  /** Values of elements (ideal/physical fidelity), for reports and tests. */
  peek(start: number, count: number): Int32Array {
    if (this.data === null) throw new RramsimError("SIM_STATE", `${this.path}: no values at fidelity 'timing'`);
    return this.data.slice(start, start + count);
  }

  /** True when no synchronised request is waiting. */
  get idle(): boolean {
    return this.waiters.length === 0;
  }

  /** Waiting requests, for deadlock reports: "load [0, 64) since tick 1200". */
  describeWaiters(): string[] {
    return this.waiters.map((w) => `${w.kind} [${w.start}, ${w.start + w.count}) since tick ${w.since}`);
  }

  /** The lowest free sync-wait trace lane (-1 when tracing is off). */
  private takeLane(): number {
    if (!this.tracer.active) return -1;
    let i = this.laneBusy.indexOf(false);
    if (i < 0) {
      i = this.laneBusy.length;
      this.laneBusy.push(false);
      this.trLanes.push(this.tracer.component(`${this.path}.sync[${i}]`));
    }
    this.laneBusy[i] = true;
    return i;
  }

  private allState(start: number, count: number, state: number): boolean {
    const v = this.valid;
    for (let i = start; i < start + count; i++) if (v[i] !== state) return false;
    return true;
  }

  private commitWrite(start: number, values: ArrayLike<number> | null, count: number, consumers: number): void {
    const data = this.data;
    if (data !== null && values !== null) {
      this.sim.values.run(() => {
        for (let i = 0; i < count; i++) data[start + i] = values[i];
      });
    }
    this.valid.fill(1, start, start + count);
    this.consumers.fill(consumers, start, start + count);
    this.wake();
  }

  private consume(start: number, count: number): void {
    for (let i = start; i < start + count; i++) {
      if (this.consumers[i] > 0 && --this.consumers[i] === 0) this.valid[i] = 0;
    }
    this.wake();
  }

  /** Starts every waiter whose elements reached the state it needs, in arrival order. */
  private wake(): void {
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    const ready: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.allState(w.start, w.count, w.kind === "load" ? 1 : 0)) ready.push(w);
      else still.push(w);
    }
    this.waiters = still;
    for (const w of ready) {
      this.st.syncWaitTicks.add(this.sim.now - w.since);
      if (w.lane >= 0) this.tracer.slice(this.trLanes[w.lane], this.trSync, w.since, this.sim.now - w.since, w.count, w.start);
      // a store claimed by an earlier ready waiter in this pass must wait again
      if (this.allState(w.start, w.count, w.kind === "load" ? 1 : 0)) {
        if (w.lane >= 0) this.laneBusy[w.lane] = false;
        w.run();
      } else this.waiters.push(w);
    }
  }
}
