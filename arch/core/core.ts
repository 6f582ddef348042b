// The timed control core: an in-order, single-issue pipeline around the pure ISA semantics
// (isa/semantics.ts), after PUMA's core (docs/references.md §2.3–2.5): fetch and decode stages, a scalar
// unit, a vector functional unit (VFU) over a vector register file, and custom operations (MVM,
// vector load/store, send/receive, barrier) handed to the tile through `CoreEnvironment`.
// The parts: the declaration (kind.ts: classes, stall causes, stats, energy actions), the program
// image and its predecoding (program.ts), the scoreboard of outstanding custom ops (hazards.ts) and
// the custom-op handlers (custom-ops.ts). What is left here is the issue logic, one class of about
// 450 lines on purpose: the closed-form scalar run (`run`, the hot path) and the issue of special
// instructions (`issueSpecial`) hand control to each other on every custom op and share the issue
// state (cycle, register scoreboard, outstanding ops, divider and VFU times); split across files,
// that state would have to be made public or passed on every call.
//
// Timing (all in core cycles; cycle c starts at tick c · period):
// - The first instruction issues fetchCycles + decodeCycles after start; then one per cycle.
// - An instruction issues when its source registers are ready (scoreboard: a result is ready
//   `latency.<class>` cycles after issue) — stall cause `data`; a divide also waits for the
//   non-pipelined divider (`divider`). A taken branch or a jump costs `latency.takenPenalty`
//   extra cycles (`redirect`).
// - Custom operations issue in order and then run in the background, so scalar work overlaps with
//   them. A later custom op stalls on a conflict with an outstanding op (hazards.ts) or on the busy
//   VFU (custom-ops.ts gives its occupancy). `barrier` and `halt`/`ecall` first wait for every
//   outstanding op (cause `barrier`/`drain`).
// Events: straight-line scalar code runs in closed form inside one event (at most
// `SLICE_INSTRUCTIONS` per event); an event is scheduled only to issue a custom op at its cycle, to
// resume after a slice, or to mark the halt. Nothing is scheduled while halted or waiting.
// Trace (docs/traces.md), all on the core's path, one sequential track: a `core.scalar` slice per
// straight-line run of scalar instructions between stalls (args instructions, first pc: one issue
// cycle each), a `core.<class>` slice per custom op, halt or system instruction issued (its issue
// cycles, `latency.custom`/`latency.system`; arg pc) and a `core.stall.<cause>` stall slice per
// stall (they add up to the `stall.<cause>` counters). The custom ops' own work is traced by the
// units that do it (MVM unit, memory, network).
// Left out: caches, branch prediction, interrupts, CSRs.

import { Component, type SimContext } from "../../sim/component";
import { RramsimError } from "../../sim/errors";
import type { Counter } from "../../sim/stats";
import { TICKS_PER_SECOND, type Tick } from "../../sim/time";
import type { Instr } from "../../isa/encoding";
import { step, type CustomRequest, type ScalarState } from "../../isa/semantics";
import type { InstrClass, InstrDef } from "../../isa/table";
import { applyVectorOp } from "../../isa/vector-ops";
import type { Tracer } from "../../sim/tracer";
import { coreParamsSchema, type CoreParams } from "./params";
import type { CoreEnvironment } from "./environment";
import { customOpFootprint, startTileOp, tileOpRfAccesses, vectorOpRfAccesses, vfuBusyCycles, vfuElementCycles } from "./custom-ops";
import { firstConflict, pendingOf, prune, type Pending } from "./hazards";
import { classLatencies, coreCostTable, coreKind, coreStats, INSTR_CLASSES, STALL_CAUSES, type CoreStatus, type StallCause } from "./kind";
import { predecode, type CoreImage, type Slot } from "./program";

export { INSTR_CLASSES, STALL_CAUSES, coreKind, type StallCause, type CoreStatus } from "./kind";
export type { CoreImage } from "./program";

/** Instructions executed per event before the core yields to the rest of the simulation. */
export const SLICE_INSTRUCTIONS = 1 << 16;

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
  /** per text word: its scoreboard slot */
  private slots: Array<Slot | undefined> = [];
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
    super(ctx, path, coreKind, params, coreCostTable(params, opts.clockHz));
    this.periodTicks = Math.round(TICKS_PER_SECOND / opts.clockHz);
    this.env = opts.env;
    this.vrf = new Int32Array(Math.floor((params.registerFile * 8) / params.vector.elementBits));
    this.dmem = new Uint8Array(params.dataMemory);
    this.dview = new DataView(this.dmem.buffer);
    for (const name of Object.keys(coreStats)) if (coreStats[name].kind === "counter") this.st[name] = this.counter(name);
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
    this.latencyOf = classLatencies(params.latency);
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
    const pre = predecode(image.text, (stat) => this.st[stat], this.latencyOf);
    this.program = pre.program;
    this.defs = pre.defs;
    this.slots = pre.slots;
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
          const v =
            m.width === 4 ? this.dview.getInt32(off, true) : m.width === 2 ? (m.signed ? this.dview.getInt16(off, true) : this.dview.getUint16(off, true)) : m.signed ? this.dview.getInt8(off) : this.dview.getUint8(off);
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

  /** Schedules the issue of special instruction `i` at `cycle`. */
  private issueAt(cycle: number, i: Instr, d: InstrDef): void {
    this.issueI = i;
    this.issueD = d;
    this.sim.scheduleAt((cycle * this.periodTicks) as Tick, this.issueFn, 0, this.nIssue);
  }

  private issueSpecial(i: Instr, d: InstrDef): void {
    const t0 = this.cycle;
    prune(this.pending, t0);
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
    const fp = customOpFootprint(req, this.vrf.length, this.env);
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
    // hazards against outstanding ops: wait for the first one it conflicts with
    const q = firstConflict(this.pending, fp);
    if (q !== undefined) {
      if (q.doneCycle === undefined) return this.waitFor(q, q.cause, () => this.issueSpecial(i, d));
      this.stall(q.cause, q.doneCycle - t0);
      this.cycle = q.doneCycle;
      this.issueAt(q.doneCycle, i, d);
      return;
    }
    const p = pendingOf(fp);
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

  /** Starts custom op `req` (outstanding record `p`); `done` runs when the tile completes it. */
  private start1(req: CustomRequest, p: Pending, done: () => void): void {
    const counts = this.energy.counts;
    if (req.kind !== "vector") {
      counts[this.aRf] += tileOpRfAccesses(req);
      startTileOp(this.env!, req, this.vrf, done);
      return;
    }
    const v = this.params.vector;
    const busy = vfuBusyCycles(v, req);
    const vrf = this.vrf;
    this.sim.values.run(() => applyVectorOp(req.op, vrf, req.dst, req.a, req.b, req.scalar, req.length));
    const end = this.cycle + busy + v.pipelineCycles;
    p.doneCycle = end;
    this.vfuFreeAt = this.cycle + busy;
    this.lastDone = Math.max(this.lastDone, end);
    counts[this.aVector] += vfuElementCycles(v, req);
    counts[this.aRf] += vectorOpRfAccesses(req);
  }
}
