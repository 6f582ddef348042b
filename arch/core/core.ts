// The timed control core: an in-order, single-issue pipeline around the pure ISA semantics
// (isa/semantics.ts), after PUMA's core (anchors.md §2.3–2.5): fetch and decode stages, a scalar
// unit, a vector functional unit (VFU) over a vector register file, and custom operations (MVM,
// vector load/store, send/receive, barrier) handed to the tile through `CoreEnvironment`.
//
// Timing (all in core cycles; cycle c starts at tick c · period):
// - The first instruction issues fetchCycles + decodeCycles after start; then one per cycle.
// - An instruction issues when its source registers are ready (scoreboard: a result is ready
//   `latency.<class>` cycles after issue) — stall cause `data`; a divide also waits for the
//   non-pipelined divider (`divider`). A taken branch or a jump costs `latency.takenPenalty`
//   extra cycles (`redirect`).
// - Custom operations issue in order and then run in the background, so scalar work overlaps with
//   them. A later custom op stalls when it reads or writes vector-register elements an outstanding
//   op writes, writes elements one reads, or needs a busy MVM unit or the busy VFU (causes `mvm`,
//   `vector`, `memory`, `noc`). A vector op of n elements occupies the VFU for
//   ⌈n / lanes⌉ · cyclesPerElement (× transcendentalFactor for sigmoid/tanh) + pipelineCycles.
//   `barrier` and `halt`/`ecall` first wait for every outstanding op (cause `barrier`/`drain`).
// Events: straight-line scalar code runs in closed form inside one event (at most
// `SLICE_INSTRUCTIONS` per event); an event is scheduled only to issue a custom op at its cycle, to
// resume after a slice, or to mark the halt. Nothing is scheduled while halted or waiting.
// Energy actions: `instruction` (control pipeline) and `fetch` (instruction memory) per
// instruction, `scalarOp` per scalar instruction (SFU), `vectorOp` per VFU element-cycle,
// `rfAccess` per vector-register element read or written.
// Trace (docs/traces.md), all on the core's path, one sequential track: a `core.scalar` slice per
// straight-line run of scalar instructions between stalls (args instructions, first pc: one issue
// cycle each), a `core.<class>` slice per custom op, halt or system instruction issued (its issue
// cycles, `latency.custom`/`latency.system`; arg pc) and a `core.stall.<cause>` stall slice per
// stall (they add up to the `stall.<cause>` counters). The custom ops' own work is traced by the
// units that do it (MVM unit, memory, network).
// Left out: caches, branch prediction, the scalar data memory's energy and area (not in the
// PUMA core table), interrupts, CSRs.

import { Component, defineKind, type SimContext } from "../../sim/component";
import { RramsimError } from "../../sim/errors";
import type { Counter } from "../../sim/stats";
import type { Tick } from "../../sim/time";
import { decode, type Instr } from "../../isa/encoding";
import { step, type CustomRequest, type ScalarState } from "../../isa/semantics";
import { instrDef, INSTRUCTIONS, readRegisterFields, type InstrClass, type InstrDef } from "../../isa/table";
import { applyVectorOp, vectorOpReadsA, vectorOpReadsB } from "../../isa/vector-ops";
import type { Tracer } from "../../sim/tracer";
import { coreParamsSchema, type CoreParams } from "./params";
import { resolveCoreCosts } from "./cost";
import type { CoreEnvironment } from "./environment";

export const INSTR_CLASSES: readonly InstrClass[] = [...new Set(INSTRUCTIONS.map((d) => d.cls))];
export const STALL_CAUSES = ["data", "divider", "redirect", "mvm", "vector", "memory", "noc", "barrier", "drain"] as const;
export type StallCause = (typeof STALL_CAUSES)[number];

/** Instructions executed per event before the core yields to the rest of the simulation. */
export const SLICE_INSTRUCTIONS = 1 << 16;

const stats: Record<string, { kind: "counter" | "formula"; unit: string; desc: string }> = {
  retired: { kind: "counter", unit: "instructions", desc: "instructions retired" },
  cycles: { kind: "formula", unit: "cycles", desc: "cycles from start to the last completion" },
};
for (const c of INSTR_CLASSES) stats[`instr.${c}`] = { kind: "counter", unit: "instructions", desc: `instructions of class ${c}` };
for (const c of STALL_CAUSES) stats[`stall.${c}`] = { kind: "counter", unit: "cycles", desc: `issue cycles lost to ${c}` };

export const coreKind = defineKind({
  kind: "core",
  description: "RISC-V-like control core: in-order pipeline, scoreboard, VFU and custom ops through the tile",
  params: coreParamsSchema,
  stats,
  actions: {
    instruction: { desc: "one instruction through the control pipeline" },
    fetch: { desc: "one 32-bit instruction-memory read" },
    scalarOp: { desc: "one scalar ALU/branch/address operation (SFU)" },
    vectorOp: { desc: "one VFU element-cycle" },
    rfAccess: { desc: "one vector-register element read or written" },
  },
});

/** idle: not started; stopped: the cycle limit was reached */
export type CoreStatus = "idle" | "running" | "waiting" | "halted" | "trapped" | "stopped";

/** A program image for the core: text words (from textBase) and initial data (from dataBase). */
export interface CoreImage {
  textBase: number;
  text: ArrayLike<number>;
  dataBase: number;
  data: Uint8Array;
  /** source line per text word, for error messages */
  lineOfWord?: ArrayLike<number>;
  /** file name for error messages */
  file?: string;
}

interface Pending {
  cause: StallCause;
  /** vector-register ranges [lo, hi) */
  reads: Array<[number, number]>;
  writes: Array<[number, number]>;
  mask: number;
  /** completion cycle once known */
  doneCycle: number | undefined;
  waiters: Array<() => void>;
  /** bounding interval [lo, hi) of the writes, and of reads and writes together (a quick no-conflict test) */
  wLo: number;
  wHi: number;
  aLo: number;
  aHi: number;
}

/** [lo, lo + len) in a vector register file of n elements, or the error message. */
function vrfRange(lo: number, len: number, what: string, n: number): [number, number] | string {
  return lo + len > n ? `${what} [${lo}, ${lo + len}) is outside the vector register file (${n} elements)` : [lo, lo + len];
}

/** Appends a non-empty range; passes an error message through. */
function addRange(into: Array<[number, number]>, r: [number, number] | string): string | undefined {
  if (typeof r === "string") return r;
  if (r[1] > r[0]) into.push(r);
  return undefined;
}

/** The low end of the bounding interval of ranges (+∞ when there are none). */
function boundLo(ranges: Array<[number, number]>): number {
  let lo = Infinity;
  for (let i = 0; i < ranges.length; i++) if (ranges[i][0] < lo) lo = ranges[i][0];
  return lo;
}

/** The high end of the bounding interval of ranges (−∞ when there are none). */
function boundHi(ranges: Array<[number, number]>): number {
  let hi = -Infinity;
  for (let i = 0; i < ranges.length; i++) if (ranges[i][1] > hi) hi = ranges[i][1];
  return hi;
}

/** Whether any range of `as` overlaps any range of `bs` (half-open [lo, hi) ranges). */
function anyOverlap(as: Array<[number, number]>, bs: Array<[number, number]>): boolean {
  for (let i = 0; i < as.length; i++) {
    const a = as[i];
    for (let j = 0; j < bs.length; j++) if (a[0] < bs[j][1] && bs[j][0] < a[1]) return true;
  }
  return false;
}

export class Core extends Component<typeof coreParamsSchema> {
  static readonly kindSpec = coreKind;
  /** x0…x31 */
  readonly x = new Int32Array(32);
  /** vector register file, one 32-bit slot per element */
  readonly vrf: Int32Array;
  /** scalar data memory, from dataBase */
  readonly dmem: Uint8Array;
  private readonly dview: DataView;
  dataBase = 0;
  pc = 0;
  status: CoreStatus = "idle";
  /** set when status is "trapped" */
  trap: RramsimError | undefined;
  private program: Array<Instr | undefined> = [];
  private defs: Array<InstrDef | undefined> = [];
  /** per text slot: source register numbers (scoreboard), its class counter and execute latency */
  private slots: Array<{ srcs: number[]; counter: Counter; latency: number } | undefined> = [];
  private stallData!: Counter;
  private image: CoreImage | undefined;
  private textBase = 0;
  private readonly periodTicks: number;
  private readonly env: CoreEnvironment | undefined;
  private startCycle = 0;
  /** earliest cycle the next instruction can issue */
  private cycle = 0;
  /** last cycle any started work completes */
  private lastDone = 0;
  private readonly regReady = new Float64Array(32);
  private divFreeAt = 0;
  private vfuFreeAt = 0;
  private pending: Pending[] = [];
  private maxCycles = Infinity;
  private onStop: ((c: Core) => void) | undefined;
  private readonly st: Record<string, Counter> = {};
  private readonly aInstr: number;
  private readonly aFetch: number;
  private readonly aScalar: number;
  private readonly aVector: number;
  private readonly aRf: number;
  private readonly latencyOf: Record<InstrClass, number>;
  private readonly tracer: Tracer;
  private readonly tracing: boolean;
  private readonly trId: number;
  private readonly trScalar: number;
  private readonly trClass = new Map<InstrClass, number>();
  private readonly trStall = new Map<StallCause, number>();
  private readonly classCounters = new Map<InstrClass, Counter>();
  private readonly stallCounters = new Map<StallCause, Counter>();
  private readonly runFn = (): void => this.run();
  /** the special instruction an `issue` event retries (one at a time: the core waits for it) */
  private issueI: Instr | undefined;
  private issueD: InstrDef | undefined;
  private readonly issueFn = (): void => this.issueSpecial(this.issueI as Instr, this.issueD as InstrDef);
  private readonly nRun: string;
  private readonly nIssue: string;

  constructor(ctx: SimContext, path: string, params: CoreParams, opts: { clockHz: number; env?: CoreEnvironment }) {
    const r = resolveCoreCosts(params, opts.clockHz);
    super(ctx, path, coreKind, params, {
      actions: {
        instruction: { energyPj: r.control.energyPj },
        fetch: { energyPj: r.instructionMemory.energyPj },
        scalarOp: { energyPj: r.scalarUnit.energyPj },
        vectorOp: { energyPj: r.vectorUnit.energyPj },
        rfAccess: { energyPj: r.registerFile.energyPj },
      },
      leakageMw: Object.values(r).reduce((s, c) => s + c.leakageMw, 0),
      areaUm2: Object.values(r).reduce((s, c) => s + c.areaUm2, 0),
    });
    this.periodTicks = Math.round(1e12 / opts.clockHz);
    this.env = opts.env;
    this.vrf = new Int32Array(Math.floor((params.registerFile * 8) / params.vector.elementBits));
    this.dmem = new Uint8Array(params.dataMemory);
    this.dview = new DataView(this.dmem.buffer);
    for (const name of Object.keys(stats)) if (stats[name].kind === "counter") this.st[name] = this.counter(name);
    this.stallData = this.st["stall.data"];
    for (const c of INSTR_CLASSES) if (this.st[`instr.${c}`] !== undefined) this.classCounters.set(c, this.st[`instr.${c}`]);
    for (const c of STALL_CAUSES) if (this.st[`stall.${c}`] !== undefined) this.stallCounters.set(c, this.st[`stall.${c}`]);
    this.nRun = `${path}.run`;
    this.nIssue = `${path}.issue`;
    this.formula("cycles", () => this.lastDone - this.startCycle);
    this.aInstr = this.energy.action("instruction");
    this.aFetch = this.energy.action("fetch");
    this.aScalar = this.energy.action("scalarOp");
    this.aVector = this.energy.action("vectorOp");
    this.aRf = this.energy.action("rfAccess");
    const l = params.latency;
    this.latencyOf = {
      alu: l.alu, mul: l.mul, div: l.div, load: l.load, store: l.store, branch: l.branch, jump: l.jump, system: l.system,
      halt: l.system, mvm: l.custom, vector: l.custom, vectorTranscendental: l.custom, vload: l.custom, vstore: l.custom,
      send: l.custom, recv: l.custom, barrier: l.custom,
    };
    const t = this.contextTracer;
    this.tracer = t;
    this.tracing = t.active;
    this.trId = t.component(path);
    this.trScalar = t.kind("core.scalar", "slice", { argNames: ["instructions", "pc"] });
    for (const c of INSTR_CLASSES) this.trClass.set(c, t.kind(`core.${c}`, "slice", { argNames: ["pc"] }));
    for (const c of STALL_CAUSES) this.trStall.set(c, t.kind(`core.stall.${c}`, "slice", { isStall: true }));
  }

  /** Loads a program: checks the instruction-memory size, decodes the text, copies the data. */
  load(image: CoreImage): void {
    const bytes = image.text.length * 4;
    if (bytes > this.params.instructionMemory) {
      throw new RramsimError("CORE_IMEM", `${image.file ?? this.path}: program text is ${bytes} bytes; the instruction memory holds ${this.params.instructionMemory} (core.instructionMemory)`);
    }
    if (image.data.length > this.dmem.length) {
      throw new RramsimError("CORE_DMEM", `${image.file ?? this.path}: program data is ${image.data.length} bytes; the data memory holds ${this.dmem.length} (core.dataMemory)`);
    }
    this.image = image;
    this.textBase = image.textBase;
    this.dataBase = image.dataBase;
    this.program = Array.from(image.text, (w) => decode(w));
    this.defs = this.program.map((i) => (i === undefined ? undefined : instrDef(i.mnemonic)));
    this.slots = this.program.map((i, k) => {
      const d = this.defs[k];
      if (i === undefined || d === undefined) return undefined;
      const srcs = readRegisterFields(d).map((f) => i[f]);
      if (d.writesRd) srcs.push(i.rd); // write-after-write: wait for an older write to the same register
      return { srcs, counter: this.st[`instr.${d.cls}`], latency: this.latencyOf[d.cls] };
    });
    this.dmem.fill(0);
    this.dmem.set(image.data);
  }

  /** Starts execution at `pc` (default: the text base) at the next clock edge. */
  start(opts: { pc?: number; maxCycles?: number; onStop?: (c: Core) => void } = {}): void {
    if (this.status === "running" || this.status === "waiting") throw new RramsimError("SIM_STATE", `${this.path}: already running`);
    this.pc = opts.pc ?? this.textBase;
    this.maxCycles = opts.maxCycles ?? Infinity;
    this.onStop = opts.onStop;
    const now = Math.ceil(this.sim.now / this.periodTicks);
    this.startCycle = now;
    this.cycle = now + this.params.fetchCycles + this.params.decodeCycles;
    this.lastDone = now;
    this.regReady.fill(0);
    this.status = "running";
    this.sim.scheduleAt((now * this.periodTicks) as Tick, this.runFn, 0, this.nRun);
  }

  /** Cycles from start to the last completion so far. */
  get cycles(): number {
    return this.lastDone - this.startCycle;
  }

  get retired(): number {
    return this.st.retired.value;
  }

  /** Counts `n` stall cycles from cycle `from` (default: the current cycle). */
  private stall(cause: StallCause, n: number, from: number = this.cycle): void {
    if (n > 0) {
      (this.stallCounters.get(cause) as Counter).add(n);
      if (this.tracing) this.tracer.slice(this.trId, this.trStall.get(cause) as number, from * this.periodTicks, n * this.periodTicks);
    }
  }

  /** Records a run of `n` scalar instructions issued one per cycle from cycle `from`. */
  private traceRun(from: number, n: number, pc: number): void {
    if (n > 0) this.tracer.slice(this.trId, this.trScalar, from * this.periodTicks, n * this.periodTicks, n, pc);
  }

  private where(): string {
    const k = (this.pc - this.textBase) / 4;
    const line = this.image?.lineOfWord?.[k];
    const file = this.image?.file ?? this.path;
    return line ? `${file}:${line}` : `${file}: pc 0x${this.pc.toString(16)}`;
  }

  private fail(code: string, message: string): void {
    this.status = "trapped";
    this.trap = new RramsimError(code, `${this.where()}: ${message}`);
    this.finish();
  }

  private finish(): void {
    const at = Math.max(this.lastDone * this.periodTicks, this.sim.now);
    this.sim.scheduleAt(at as Tick, () => this.onStop?.(this), 0, `${this.path}.stop`);
  }

  private readonly state: ScalarState = { pc: 0, x: this.x };

  /** Runs instructions in closed form until a custom op, a halt, a trap or the slice ends. */
  private run(): void {
    const x = this.x;
    const ready = this.regReady;
    const counts = this.energy.counts;
    const retired = this.st.retired;
    const nowCycle = Math.ceil(this.sim.now / this.periodTicks);
    if (this.cycle < nowCycle) this.cycle = nowCycle;
    // trace: the current straight-line run (first issue cycle, instructions, first pc)
    const tracing = this.tracing;
    let runFrom = 0;
    let runN = 0;
    let runPc = 0;
    for (let n = 0; n < SLICE_INSTRUCTIONS; n++) {
      const k = (this.pc - this.textBase) / 4;
      const i = this.program[k];
      const d = this.defs[k];
      const slot = this.slots[k];
      if (!Number.isInteger(k) || k < 0 || k >= this.program.length) {
        if (tracing) this.traceRun(runFrom, runN, runPc);
        this.fail("CORE_TRAP", this.pc % 4 !== 0 ? `jump to misaligned pc 0x${this.pc.toString(16)}` : `pc 0x${this.pc.toString(16)} is outside the program`);
        return;
      }
      if (i === undefined || d === undefined || slot === undefined) {
        if (tracing) this.traceRun(runFrom, runN, runPc);
        this.fail("CORE_TRAP", `illegal instruction 0x${(this.image!.text[k] >>> 0).toString(16).padStart(8, "0")}`);
        return;
      }
      // issue cycle: source operands ready (scoreboard), the divider free, no WAW on rd
      let t = this.cycle;
      const srcs = slot.srcs;
      for (let s = 0; s < srcs.length; s++) if (ready[srcs[s]] > t) t = ready[srcs[s]];
      if (t > this.cycle) {
        this.stallData.add(t - this.cycle);
        if (tracing) {
          this.traceRun(runFrom, runN, runPc);
          runN = 0;
          this.tracer.slice(this.trId, this.trStall.get("data") as number, this.cycle * this.periodTicks, (t - this.cycle) * this.periodTicks);
        }
      }
      if (d.cls === "div" && this.divFreeAt > t) {
        if (tracing) {
          this.traceRun(runFrom, runN, runPc);
          runN = 0;
        }
        this.stall("divider", this.divFreeAt - t, t);
        t = this.divFreeAt;
      }
      if (tracing && runN === 0) {
        runFrom = t;
        runPc = this.pc;
      }
      if (t - this.startCycle > this.maxCycles) {
        if (tracing) this.traceRun(runFrom, runN, runPc);
        this.lastDone = Math.max(this.lastDone, this.startCycle + this.maxCycles);
        this.status = "stopped";
        this.finish();
        return;
      }
      this.state.pc = this.pc;
      const e = step(this.state, i);
      if (e.custom !== undefined || e.halt) {
        if (tracing) this.traceRun(runFrom, runN, runPc);
        this.cycle = t;
        if (t * this.periodTicks > this.sim.now) {
          this.issueAt(t, i, d);
        } else this.issueSpecial(i, d);
        return;
      }
      if (e.trap !== undefined) {
        if (tracing) this.traceRun(runFrom, runN, runPc);
        this.fail("CORE_TRAP", e.trap);
        return;
      }
      const l = slot.latency;
      if (e.mem !== undefined) {
        const m = e.mem;
        const off = m.addr - this.dataBase;
        if (off < 0 || off + m.width > this.dmem.length) {
          if (tracing) this.traceRun(runFrom, runN, runPc);
          this.fail("CORE_TRAP", `${m.kind} of ${m.width} bytes at 0x${m.addr.toString(16)} is outside the data memory [0x${this.dataBase.toString(16)}, 0x${(this.dataBase + this.dmem.length).toString(16)})`);
          return;
        }
        if (m.kind === "load") {
          const v = m.width === 4 ? this.dview.getInt32(off, true) : m.width === 2 ? (m.signed ? this.dview.getInt16(off, true) : this.dview.getUint16(off, true)) : m.signed ? this.dview.getInt8(off) : this.dview.getUint8(off);
          if (m.rd !== 0) {
            x[m.rd] = v;
            ready[m.rd] = t + l;
          }
        } else if (m.width === 4) this.dview.setInt32(off, m.value, true);
        else if (m.width === 2) this.dview.setInt16(off, m.value, true);
        else this.dview.setInt8(off, m.value);
      } else if (e.rd !== undefined) {
        x[e.rd] = e.value as number;
        ready[e.rd] = t + l;
      }
      if (d.cls === "div") this.divFreeAt = t + l;
      if (t + l > this.lastDone) this.lastDone = t + l;
      slot.counter.value++;
      retired.value++;
      counts[this.aInstr]++;
      counts[this.aFetch]++;
      counts[this.aScalar]++;
      this.pc = e.nextPc;
      runN++;
      if (e.redirect) {
        if (tracing) {
          this.traceRun(runFrom, runN, runPc);
          runN = 0;
        }
        this.cycle = t + 1 + this.params.latency.takenPenalty;
        this.stall("redirect", this.params.latency.takenPenalty, t + 1);
      } else this.cycle = t + 1;
    }
    if (tracing) this.traceRun(runFrom, runN, runPc);
    // slice done: yield to the rest of the simulation and resume at the next issue cycle
    this.sim.scheduleAt(Math.max(this.cycle * this.periodTicks, this.sim.now) as Tick, this.runFn, 0, this.nRun);
  }

  /** Retires a custom op or a halt at the current cycle (`this.cycle`, = now). */
  private retireSpecial(d: InstrDef): void {
    const t = this.cycle;
    const l = this.latencyOf[d.cls];
    if (this.tracing) this.tracer.slice(this.trId, this.trClass.get(d.cls) as number, t * this.periodTicks, l * this.periodTicks, this.pc);
    this.lastDone = Math.max(this.lastDone, t + l);
    (this.classCounters.get(d.cls) as Counter).add(1);
    this.st.retired.add(1);
    this.energy.counts[this.aInstr]++;
    this.energy.counts[this.aFetch]++;
    this.pc = (this.pc + 4) >>> 0;
    this.cycle = t + l;
  }

  private nowCycle(): number {
    return Math.ceil(this.sim.now / this.periodTicks);
  }

  /** Waits (no events) until `p` completes, then re-runs `again`; stall cycles go to `cause`. */
  private waitFor(p: Pending, cause: StallCause, again: () => void): void {
    const from = this.cycle;
    this.status = "waiting";
    p.waiters.push(() => {
      this.status = "running";
      this.cycle = Math.max(this.cycle, this.nowCycle());
      this.stall(cause, this.cycle - from, from);
      again();
    });
  }

  private prune(t: number): void {
    const ps = this.pending;
    let k = 0;
    for (let j = 0; j < ps.length; j++) {
      const p = ps[j];
      if (p.doneCycle === undefined || p.doneCycle > t) ps[k++] = p;
    }
    ps.length = k;
  }

  /** Schedules the issue of special instruction `i` at `cycle`. */
  private issueAt(cycle: number, i: Instr, d: InstrDef): void {
    this.issueI = i;
    this.issueD = d;
    this.sim.scheduleAt((cycle * this.periodTicks) as Tick, this.issueFn, 0, this.nIssue);
  }

  private issueSpecial(i: Instr, d: InstrDef): void {
    const t0 = this.cycle;
    this.prune(t0);
    this.state.pc = this.pc;
    const e = step(this.state, i);
    if (e.halt || d.cls === "barrier") {
      // drain: every outstanding op first
      const open = this.pending.find((p) => p.doneCycle === undefined);
      if (open !== undefined) return this.waitFor(open, d.cls === "barrier" ? "barrier" : "drain", () => this.issueSpecial(i, d));
      const last = Math.max(t0, ...this.pending.map((p) => p.doneCycle as number));
      if (last > t0) {
        this.stall(d.cls === "barrier" ? "barrier" : "drain", last - t0);
        this.cycle = last;
        this.issueAt(last, i, d);
        return;
      }
    }
    if (e.halt) {
      this.retireSpecial(d);
      this.lastDone = Math.max(this.lastDone, this.cycle);
      this.status = "halted";
      this.finish();
      return;
    }
    const req = e.custom as CustomRequest;
    if (req.kind !== "vector" && this.env === undefined) {
      this.fail("CORE_NEEDS_TILE", `'${d.mnemonic}' needs a tile (a standalone core runs scalar and vector-ALU code only)`);
      return;
    }
    const fp = this.footprint(req);
    if (typeof fp === "string") {
      this.fail("CORE_TRAP", fp);
      return;
    }
    // the VFU runs one op at a time
    if (fp.vfu && this.vfuFreeAt > t0) {
      this.stall("vector", this.vfuFreeAt - t0);
      this.cycle = this.vfuFreeAt;
      this.issueAt(this.cycle, i, d);
      return;
    }
    // hazards against outstanding ops (bounding intervals first: disjoint ones cannot conflict)
    const rLo = boundLo(fp.reads);
    const rHi = boundHi(fp.reads);
    const wLo = boundLo(fp.writes);
    const wHi = boundHi(fp.writes);
    const aLo = Math.min(rLo, wLo);
    const aHi = Math.max(rHi, wHi);
    const pending = this.pending;
    for (let k = 0; k < pending.length; k++) {
      const p = pending[k];
      const maybe = (p.mask & fp.mask) !== 0 || (aLo < p.wHi && p.wLo < aHi) || (wLo < p.aHi && p.aLo < wHi);
      if (!maybe) continue;
      const conflict = (p.mask & fp.mask) !== 0 || anyOverlap(fp.reads, p.writes) || anyOverlap(fp.writes, p.writes) || anyOverlap(fp.writes, p.reads);
      if (!conflict) continue;
      if (p.doneCycle === undefined) return this.waitFor(p, p.cause, () => this.issueSpecial(i, d));
      this.stall(p.cause, p.doneCycle - t0);
      this.cycle = p.doneCycle;
      this.issueAt(p.doneCycle, i, d);
      return;
    }
    const p: Pending = { cause: fp.cause, reads: fp.reads, writes: fp.writes, mask: fp.mask, doneCycle: undefined, waiters: [], wLo, wHi, aLo, aHi };
    this.pending.push(p);
    const done = () => {
      p.doneCycle = Math.max(this.nowCycle(), p.doneCycle ?? 0);
      this.lastDone = Math.max(this.lastDone, p.doneCycle);
      const w = p.waiters;
      p.waiters = [];
      for (const f of w) f();
    };
    this.start1(req, p, done);
    this.retireSpecial(d);
    if (req.kind === "barrier") {
      // the core blocks until the tile signals the flag
      if (p.doneCycle === undefined) return this.waitFor(p, "barrier", () => this.run());
    }
    this.run();
  }

  private footprint(req: CustomRequest): { cause: StallCause; reads: Array<[number, number]>; writes: Array<[number, number]>; mask: number; vfu: boolean } | string {
    const n = this.vrf.length;
    const range = (lo: number, len: number, what: string): [number, number] | string => vrfRange(lo, len, what, n);
    const out = { cause: "vector" as StallCause, reads: [] as Array<[number, number]>, writes: [] as Array<[number, number]>, mask: 0, vfu: false };
    const add = addRange;
    let err: string | undefined;
    switch (req.kind) {
      case "vector":
        out.vfu = true;
        err = (vectorOpReadsA(req.op) ? add(out.reads, range(req.a, req.length, "source")) : undefined) ?? (vectorOpReadsB(req.op) ? add(out.reads, range(req.b, req.length, "source")) : undefined) ?? add(out.writes, range(req.dst, req.length, "destination"));
        if (req.op === "sna") err ??= add(out.reads, range(req.dst, req.length, "destination"));
        break;
      case "mvm": {
        out.cause = "mvm";
        out.mask = req.mask;
        const f = this.env!.mvmFootprint;
        err = add(out.reads, range(req.inAddr, f.input, "MVM input")) ?? add(out.writes, range(req.outAddr, f.output, "MVM output"));
        break;
      }
      case "vload":
        out.cause = "memory";
        err = add(out.writes, range(req.dst, req.length, "vld destination"));
        break;
      case "vstore":
        out.cause = "memory";
        err = req.consumers < 1 ? "vst needs at least one consumer (x[rs2] ≥ 1)" : add(out.reads, range(req.src, req.length, "vst source"));
        break;
      case "send":
      case "recv":
      case "barrier":
        out.cause = "noc";
        break;
    }
    return err ?? out;
  }

  private start1(req: CustomRequest, p: Pending, done: () => void): void {
    const env = this.env;
    const counts = this.energy.counts;
    switch (req.kind) {
      case "vector": {
        const v = this.params.vector;
        const factor = req.op === "sig" || req.op === "tanh" ? v.transcendentalFactor : 1;
        const busy = Math.ceil(req.length / v.lanes) * v.cyclesPerElement * factor;
        const vrf = this.vrf;
        this.sim.values.run(() => applyVectorOp(req.op, vrf, req.dst, req.a, req.b, req.scalar, req.length));
        const end = this.cycle + busy + v.pipelineCycles;
        p.doneCycle = end;
        this.vfuFreeAt = this.cycle + busy;
        this.lastDone = Math.max(this.lastDone, end);
        counts[this.aVector] += req.length * v.cyclesPerElement * factor;
        counts[this.aRf] += req.length * (1 + (vectorOpReadsA(req.op) ? 1 : 0) + (vectorOpReadsB(req.op) || req.op === "sna" ? 1 : 0));
        return;
      }
      case "mvm":
        env!.mvm({ mask: req.mask, inAddr: req.inAddr, outAddr: req.outAddr }, this.vrf, done);
        return;
      case "vload":
        counts[this.aRf] += req.length;
        env!.load(req.tileAddr, this.vrf.subarray(req.dst, req.dst + req.length), done);
        return;
      case "vstore":
        counts[this.aRf] += req.length;
        env!.store(req.tileAddr, this.vrf.subarray(req.src, req.src + req.length), req.consumers, done);
        return;
      case "send":
        env!.send({ addr: req.addr, tile: req.tile, length: req.length, tag: req.tag }, done);
        return;
      case "recv":
        env!.recv({ addr: req.addr, tile: req.tile, length: req.length, tag: req.tag, consumers: req.consumers }, done);
        return;
      case "barrier":
        env!.barrier(req.flag, done);
        return;
    }
  }
}
