// The MVM unit on the event kernel: crossbars (each an AnalogArray, ideal or physical) with their
// DACs, sample-and-holds, shared ADCs, shift-and-add and registers, sequenced phase by phase.
//
// Per input step: read (DACs + crossbar) → sample-and-hold → the ADCs convert the step's columns,
// serialised over the columns each serves → shift-and-add. The crossbar reads step k+1 while the
// ADCs convert step k; a finished read whose holds are still being converted stalls (counted in
// `crossbarStallTicks`). In accumulate mode a column group's steps are integrated in the ADC and
// converted once; a read waits while its ADCs convert (`readWaitTicks`). Back-to-back MVMs queue
// and pipeline the same way: the next MVM's first read starts as soon as the crossbar is free.
// Events fire only at phase boundaries (read end, sample end, conversions end, MVM end); a phase's
// duration is closed-form (timing.ts), never one event per conversion. The event recurrence is
// checked against mvmuTiming in the tests.
//
// Power gating (sim/power-gating.ts): the unit is busy from the first MVM it accepts while idle to
// the last result it delivers; each busy period is one wake-up. A part whose `powerGating` policy
// is `idle` draws its leakage only while the unit is busy; the first read of a busy period waits
// for the longest wake latency of the gated parts.
//
// Fidelity: `timing` computes no values; `ideal` and `physical` run the datapath (datapath.ts) on
// the arrays when an MVM starts and deliver the result when it completes.
//
// Trace (docs/traces.md): on the MVMU's path one `mvmu.step` slice per input step (read, wait for
// the ADCs, sample: they add up to occupancyTicks) with `mvmu.adcWait` / `mvmu.readWait` stall
// slices (crossbarStallTicks / readWaitTicks); `mvmu.mvm` slices, request to result, on
// `<path>.mvm` (they overlap when MVMs pipeline; they add up to latencyTicks); each part records
// its phases on its own path (part.ts).

import { Component, childPath, defineKind, type SimContext } from "../../sim/component";
import { EnergyLedger } from "../../sim/energy";
import { RramsimError } from "../../sim/errors";
import { Simulator } from "../../sim/simulator";
import type { Counter } from "../../sim/stats";
import { SECONDS_PER_TICK, type Tick } from "../../sim/time";
import type { Tracer } from "../../sim/tracer";
import type { AnalogArray } from "../crossbar/analog-array";
import { IdealArray } from "../crossbar/ideal-array";
import { Adc } from "./adc";
import { mvmuPartCosts, type MvmuPartName } from "./cost";
import { Crossbar } from "./crossbar";
import { Dac } from "./dac";
import { MvmuDatapath, type DatapathWorkspace } from "./datapath";
import { adcConversionRange, mvmuGeometryInfo, mvmuMaxColumnLevelSum, type MvmuGeometryInfo } from "./encoding";
import { mvmuParamsSchema, type MvmuParams } from "./params";
import { MvmuRegister } from "./registers";
import { SampleHold } from "./sample-hold";
import { ShiftAdd } from "./shift-add";
import { mvmuTiming, type MvmuTiming } from "./timing";
import type { Fidelity } from "../../sim/fidelity";
import { BusyPeriods } from "../../sim/power-gating";
import { blockConversions, checkBlocks, type BlockConversions, type MvmuBlock } from "./blocks";
import { ReadActivity } from "./read-activity";

/** Told when an MVM (of packed block `block`, or of the whole unit: -1) is requested and when its result is delivered (ticks). */
export interface MvmuSpanObserver {
  requested(unit: Mvmu, block: number, tick: number): void;
  finished(unit: Mvmu, block: number, tick: number): void;
}

/** The MVM unit computes values at `ideal` and `physical`; at `timing` only time and energy (sim/fidelity.ts). */
export type MvmuFidelity = Fidelity;

export const mvmuKind = defineKind({
  kind: "mvmu",
  description: "analog MVM unit: crossbars with DACs, sample-and-holds, shared ADCs, shift-and-add, registers; bit-serial inputs, bit-sliced weights",
  params: mvmuParamsSchema,
  stats: {
    mvms: { kind: "counter", unit: "MVMs", desc: "matrix-vector products completed" },
    steps: { kind: "counter", unit: "steps", desc: "input steps read" },
    occupancyTicks: { kind: "counter", unit: "ps", desc: "time the crossbars were busy (reading or holding a read for the ADCs)" },
    crossbarStallTicks: { kind: "counter", unit: "ps", desc: "time finished reads waited for the ADCs to free the sample-and-holds" },
    readWaitTicks: { kind: "counter", unit: "ps", desc: "time reads waited for an accumulating ADC to finish converting" },
    latencyTicks: { kind: "counter", unit: "ps", desc: "sum over MVMs of request-to-result time" },
    poweredTicks: { kind: "counter", unit: "ps", desc: "time the unit was busy (first MVM accepted while idle to last result): what idle-gated parts are powered" },
    wakeups: { kind: "counter", unit: "wake-ups", desc: "busy periods (wake-ups of the idle-gated parts)" },
  },
  actions: {},
});

/** Builds the analog array of crossbar `index` (physical fidelity). */
export type MvmuArrayFactory = (index: number, rows: number, cols: number, cellBits: number, path: string) => AnalogArray;

export interface MvmuOptions {
  fidelity: MvmuFidelity;
  /** the controlling clock: phases round up to whole cycles (timing.ts) */
  clockHz?: number;
  /** the arrays at `physical` fidelity; `ideal` uses IdealArray */
  arrayFactory?: MvmuArrayFactory;
  /** the datapath buffers shared with the other MVM units built together (Tile passes its chip's); absent, the datapath makes its own */
  workspace?: DatapathWorkspace;
}

interface Job {
  /** conversions per column group (accumulate mode) or per step: the whole unit's, or one block's */
  convs: BlockConversions;
  input: ArrayLike<number> | null;
  out: Float64Array | null;
  requestTick: number;
  /** sequence number, for the trace */
  id: number;
  done: (out: Float64Array | null) => void;
}

export class Mvmu extends Component<typeof mvmuParamsSchema> {
  readonly geometry: MvmuGeometryInfo;
  readonly timing: MvmuTiming;
  readonly fidelity: MvmuFidelity;
  readonly crossbars: Crossbar[];
  readonly dac: Dac;
  readonly sampleHold: SampleHold;
  readonly adc: Adc;
  readonly shiftAdd: ShiftAdd;
  readonly inputRegister: MvmuRegister;
  readonly outputRegister: MvmuRegister;
  /** the value path (null at timing fidelity); rebuilt when the ADC range is calibrated */
  datapath: MvmuDatapath | null;
  private readonly arrays: AnalogArray[];
  private readonly workspace: DatapathWorkspace | undefined;
  /** the clip fraction of a calibrated ADC range (calibrateAdc), else null */
  adcRangeFraction: number | null = null;

  private readonly queue: Job[] = [];
  /** the job whose steps the crossbar is reading, and the step index within it */
  private reading: Job | null = null;
  private step = 0;
  private readonly stepsPerJob: number;
  private crossbarBusy = false;
  private adcFreeAt = 0;
  private saFreeAt = 0;
  private waitingSample = false;
  private stallSince = 0;
  private readStart = 0;
  /** conversions of an MVM of the whole unit (every converted column) */
  private readonly wholeConvs: BlockConversions;
  /** the weight blocks packed in the unit (empty: one block, the whole programmed area) */
  private blocks: MvmuBlock[] = [];
  private blockConvs: BlockConversions[] = [];
  /** value-dependent read activity (DAC pulses, crossbar read charge); null at timing fidelity */
  private readonly reads: ReadActivity | null;
  private readonly cMvms: Counter;
  private readonly cSteps: Counter;
  private readonly cOccupancy: Counter;
  private readonly cStall: Counter;
  private readonly cReadWait: Counter;
  private readonly cLatency: Counter;
  private readonly tracer: Tracer;
  private readonly trUnit: number;
  private readonly trMvmTrack: number;
  private readonly trStep: number;
  private readonly trMvm: number;
  private readonly trAdcWait: number;
  private readonly trReadWait: number;
  private requests = 0;
  private readonly busyPeriods: BusyPeriods;
  /** wait before the first read of a busy period: the longest wake latency of the idle-gated parts */
  private readonly wakeTicks: number;
  /** the ADC wait of the step being sampled, recorded after its step slice (start order) */
  private adcWaitFrom = 0;
  private adcWaitTicks = 0;

  constructor(ctx: SimContext, path: string, params: MvmuParams, opts: MvmuOptions) {
    super(ctx, path, mvmuKind, params, { actions: {} });
    const g = mvmuGeometryInfo(params);
    this.geometry = g;
    this.fidelity = opts.fidelity;
    this.timing = mvmuTiming(params, opts.clockHz);
    const costs = mvmuPartCosts(params, opts.clockHz);
    const cost = (n: MvmuPartName) => costs[n];
    const pc = g.physColsPerCrossbar;
    const arrays: AnalogArray[] = [];
    this.crossbars = [];
    for (let x = 0; x < params.crossbars; x++) {
      const p = childPath(path, "crossbar", x);
      let array: AnalogArray | null = null;
      if (opts.fidelity === "ideal") array = new IdealArray(g.rows, pc, params.crossbar.cellBits);
      else if (opts.fidelity === "physical") {
        if (opts.arrayFactory === undefined) throw new Error(`${path}: physical fidelity needs an array factory`);
        array = opts.arrayFactory(x, g.rows, pc, params.crossbar.cellBits, p);
      }
      if (array !== null) arrays.push(array);
      this.crossbars.push(this.adopt(new Crossbar(ctx, p, params.crossbar, cost("crossbar"), pc, array)));
    }
    this.dac = this.adopt(new Dac(ctx, childPath(path, "dac"), params.dac, cost("dac")));
    this.sampleHold = this.adopt(new SampleHold(ctx, childPath(path, "sampleHold"), params.sampleHold, cost("sampleHold")));
    this.adc = this.adopt(new Adc(ctx, childPath(path, "adc"), params.adc, cost("adc")));
    this.shiftAdd = this.adopt(new ShiftAdd(ctx, childPath(path, "shiftAdd"), params.shiftAdd, cost("shiftAdd")));
    this.inputRegister = this.adopt(new MvmuRegister(ctx, childPath(path, "inputRegister"), "input", params.inputRegister, cost("inputRegister")));
    this.outputRegister = this.adopt(new MvmuRegister(ctx, childPath(path, "outputRegister"), "output", params.outputRegister, cost("outputRegister")));
    this.arrays = arrays;
    this.workspace = opts.workspace;
    this.datapath = arrays.length > 0 ? new MvmuDatapath(params, arrays, { workspace: opts.workspace }) : null;
    const groups = params.adc.accumulateSteps ? g.columnsPerAdcMax : 1;
    this.stepsPerJob = g.steps.length * groups;
    // columns converted per column group (accumulate mode): ADCs that still have a column in group q
    const perGroup: number[] = [];
    for (let q = 0; q < groups; q++) {
      let n = 0;
      for (let a = 0; a < g.adcsPerCrossbar; a++) if (Math.min(params.adc.columnsPerAdc, pc - a * params.adc.columnsPerAdc) > q) n++;
      perGroup.push(params.adc.accumulateSteps ? n * params.crossbars : pc * params.crossbars);
    }
    this.wholeConvs = { perGroup };
    this.reads = this.datapath === null ? null : new ReadActivity(params, g, this.dac, this.crossbars);
    this.cMvms = this.counter("mvms");
    this.cSteps = this.counter("steps");
    this.cOccupancy = this.counter("occupancyTicks");
    this.cStall = this.counter("crossbarStallTicks");
    this.cReadWait = this.counter("readWaitTicks");
    this.cLatency = this.counter("latencyTicks");
    this.busyPeriods = new BusyPeriods(this.counter("poweredTicks"), this.counter("wakeups"));
    let wake = 0;
    const parts = { crossbar: this.crossbars, dac: [this.dac], sampleHold: [this.sampleHold], adc: [this.adc], shiftAdd: [this.shiftAdd], inputRegister: [this.inputRegister], outputRegister: [this.outputRegister] };
    for (const [name, comps] of Object.entries(parts)) {
      const gating = params.powerGating[name as keyof typeof parts];
      if (gating === undefined || gating.policy === "none") continue;
      wake = Math.max(wake, gating.wakeLatency);
      for (const c of comps) c.energy.gate(gating, this.busyPeriods);
    }
    this.wakeTicks = Math.round(wake);
    const t = this.contextTracer;
    this.tracer = t;
    this.trUnit = t.component(path);
    this.trMvmTrack = t.component(`${path}.mvm`);
    this.trStep = t.kind("mvmu.step", "slice", { argNames: ["step"] });
    this.trMvm = t.kind("mvmu.mvm", "slice", { argNames: ["mvm", "steps"] });
    this.trAdcWait = t.kind("mvmu.adcWait", "slice", { argNames: ["step"], isStall: true });
    this.trReadWait = t.kind("mvmu.readWait", "slice", { argNames: ["step"], isStall: true });
  }

  /** Programs a weight block (ideal/physical fidelity); at `timing` it only sets the active cells. */
  program(weights: ArrayLike<number> | null, rows: number, cols: number): void {
    if (this.datapath !== null && weights !== null) {
      this.datapath.program(weights, rows, cols);
      this.reads?.programmed(weights, rows, cols);
    }
    this.blocks = [];
    this.blockConvs = [];
    // slice columns fill the crossbars in order; a crossbar holding none of them reads no cells
    const C = this.params.crossbar.cols;
    const physUsed = cols * this.geometry.colsPerWeight;
    this.crossbars.forEach((x, i) => {
      const used = Math.min(C, Math.max(0, physUsed - i * C));
      x.activeCells = used === 0 ? 0 : rows * (used + this.geometry.unitColsPerCrossbar);
    });
  }

  /**
   * Calibrates the ADC range to `peak`, the largest analog data-column value the unit's blocks
   * reach on a calibration set (compiler/codegen/adc-calibration.ts): the data columns convert
   * against the `clip` range of that fraction of the worst case (adc.ts; steps stay powers of two,
   * values above the top code saturate). Before programming; no effect at timing fidelity.
   */
  calibrateAdc(peak: number): void {
    if (this.datapath === null) return;
    const range = adcConversionRange(this.geometry.steps, mvmuMaxColumnLevelSum(this.params), this.params.adc.accumulateSteps);
    const fraction = Math.min(1, Math.max(1, peak - range.lo) / (range.hi - range.lo));
    const p: MvmuParams = { ...this.params, adc: { ...this.params.adc, range: { kind: "clip", fraction } } };
    this.datapath = new MvmuDatapath(p, this.arrays, { workspace: this.workspace });
    this.adcRangeFraction = fraction;
  }

  /** Declares the weight blocks packed in the programmed area, for `mvmb` (blocks.ts). */
  setBlocks(blocks: readonly MvmuBlock[]): void {
    checkBlocks(this.path, blocks, this.geometry);
    this.blocks = blocks.map((b) => ({ ...b }));
    this.blockConvs = blocks.map((b) => blockConversions(this.params, this.geometry, b.colStart, b.colCount));
  }

  /** The logical columns an MVM delivers: block `block`'s, or all programmed ones. */
  outputColumns(block?: number): { start: number; count: number } {
    if (block === undefined) return { start: 0, count: this.datapath?.programmedCols ?? this.geometry.logicalCols };
    const b = this.blockAt(block);
    return { start: b.colStart, count: b.colCount };
  }

  private blockAt(block: number): MvmuBlock {
    const b = this.blocks[block];
    if (b === undefined) throw new RramsimError("SIM_STATE", `${this.path}: mvmb names block ${block}, but the unit has ${this.blocks.length} block(s)`);
    return b;
  }

  /** Observer of request and result times (a run's layer spans); null: none, and nothing is paid. */
  spanObserver: MvmuSpanObserver | null = null;

  /**
   * Requests one MVM — of the whole programmed area, or of one packed block (only its rows driven,
   * only its columns converted); `done` receives the outputs (null at `timing` fidelity) when the
   * last result is in the output register.
   */
  mvm(input: ArrayLike<number> | null, done: (out: Float64Array | null) => void, block?: number): void {
    const b = block === undefined ? null : this.blockAt(block);
    const convs = block === undefined ? this.wholeConvs : this.blockConvs[block];
    const obs = this.spanObserver;
    if (obs !== null) {
      const k = block ?? -1;
      obs.requested(this, k, this.sim.now);
      const inner = done;
      done = (result) => {
        obs.finished(this, k, this.sim.now);
        inner(result);
      };
    }
    let out: Float64Array | null = null;
    if (this.datapath !== null) {
      if (input === null) throw new Error(`${this.path}: ${this.fidelity} fidelity needs an input vector`);
      const dp = this.datapath;
      const reads = this.reads as ReadActivity;
      const result = new Float64Array(dp.programmedCols);
      const src = input;
      if (b === null) {
        this.sim.values.run(() => {
          dp.run(src, result);
          reads.book(src, 0, dp.programmedRows);
        });
      } else {
        // the rows outside the block are off: they drive nothing
        const masked = new Int32Array(dp.programmedRows);
        const r0 = b.rowStart;
        const r1 = Math.min(dp.programmedRows, b.rowStart + b.rowCount);
        this.sim.values.run(() => {
          for (let r = r0; r < r1; r++) masked[r] = src[r];
          dp.run(masked, result);
          reads.book(masked, r0, r1);
        });
      }
      out = result;
    } else this.dac.driveRows((b === null ? this.geometry.rows : b.rowCount) * this.params.crossbars, this.stepsPerJob);
    this.queue.push({ convs, input, out, requestTick: this.sim.now, id: this.requests++, done });
    const woke = this.busyPeriods.begin(this.sim.now);
    if (this.crossbarBusy) return;
    if (woke && this.wakeTicks > 0) {
      this.crossbarBusy = true;
      this.sim.schedule(this.wakeTicks, this.wakeEndFn, 0, this.nWake);
    } else this.startRead(false);
  }

  private readonly wakeEndFn = (): void => {
    this.crossbarBusy = false;
    this.startRead(false);
  };
  private readonly nWake = `${this.path}.wake`;

  private get accumulate(): boolean {
    return this.params.adc.accumulateSteps;
  }

  /** `chained`: called as the previous read frees the crossbar (the input register was prefetched). */
  // event handlers and names made once (not a closure and a string per event)
  private readonly startReadChained = (): void => this.startRead(true);
  private readonly beginReadFn = (): void => this.beginRead();
  private readonly readEndFn = (): void => this.readEnd();
  private readonly sampleEndFn = (): void => this.sampleEnd();
  private readonly nInputRegister = `${this.path}.inputRegister`;
  private readonly nRead = `${this.path}.read`;
  private readonly nReadEnd = `${this.path}.readEnd`;
  private readonly nSampleEnd = `${this.path}.sampleEnd`;
  private readonly nAdcEnd = `${this.path}.adcEnd`;
  private readonly nDone = `${this.path}.done`;

  private startRead(chained: boolean): void {
    if (this.reading === null) {
      const next = this.queue.shift();
      if (next === undefined) return;
      this.reading = next;
      this.step = 0;
      const tIR = this.timing.phases.inputRegisterTicks;
      if (!chained && tIR > 0) {
        this.crossbarBusy = true;
        this.sim.schedule(tIR, this.startReadChained, 0, this.nInputRegister);
        return;
      }
    }
    const now = this.sim.now;
    const n = this.geometry.steps.length;
    if (this.accumulate && this.step % n === 0 && this.adcFreeAt > now) {
      // the accumulating ADC integrates during the read: wait for its conversion to finish
      this.crossbarBusy = true;
      this.cReadWait.add(this.adcFreeAt - now);
      this.tracer.slice(this.trUnit, this.trReadWait, now, this.adcFreeAt - now, this.step);
      this.sim.scheduleAt(this.adcFreeAt as Tick, this.beginReadFn, 0, this.nRead);
      return;
    }
    this.beginRead();
  }

  private beginRead(): void {
    const tR = this.timing.phases.readTicks;
    this.crossbarBusy = true;
    this.readStart = this.sim.now;
    this.inputRegister.access(this.timing.phases.inputRegisterTicks);
    this.dac.drive(tR);
    for (const x of this.crossbars) x.read(tR);
    this.cSteps.add(1);
    this.sim.schedule(tR, this.readEndFn, 0, this.nReadEnd);
  }

  private readEnd(): void {
    if (!this.accumulate && this.adcFreeAt > this.sim.now) {
      this.waitingSample = true;
      this.stallSince = this.sim.now;
      return; // adcEnd samples
    }
    this.sample();
  }

  private sample(): void {
    const tS = this.timing.phases.sampleTicks;
    const q = this.accumulate ? Math.floor(this.step / this.geometry.steps.length) : 0;
    this.sampleHold.sample((this.reading as Job).convs.perGroup[q], tS);
    if (tS === 0) this.sampleEnd();
    else this.sim.schedule(tS, this.sampleEndFn, 0, this.nSampleEnd);
  }

  private sampleEnd(): void {
    const job = this.reading as Job;
    const n = this.geometry.steps.length;
    const k = this.step;
    const last = k === this.stepsPerJob - 1;
    this.cOccupancy.add(this.sim.now - this.readStart);
    this.tracer.slice(this.trUnit, this.trStep, this.readStart, this.sim.now - this.readStart, k);
    if (this.adcWaitTicks > 0) {
      this.tracer.slice(this.trUnit, this.trAdcWait, this.adcWaitFrom, this.adcWaitTicks, k);
      this.adcWaitTicks = 0;
    }
    // start the conversions first: in accumulate mode the next read must see the ADC busy
    if (!this.accumulate || k % n === n - 1) {
      const tA = this.timing.phases.adcTicks;
      const convs = job.convs.perGroup[this.accumulate ? Math.floor(k / n) : 0];
      this.adcFreeAt = this.sim.now + tA;
      this.sim.schedule(tA, () => this.adcEnd(job, convs, last), 0, this.nAdcEnd);
    }
    this.crossbarBusy = false;
    if (last) this.reading = null;
    else this.step = k + 1;
    this.startRead(true);
  }

  private adcEnd(job: Job, conversions: number, lastOfJob: boolean): void {
    const now = this.sim.now;
    const tA = this.timing.phases.adcTicks;
    this.adc.convert(conversions, tA, now - tA);
    const tSA = this.timing.phases.shiftAddTicks;
    const saStart = Math.max(now, this.saFreeAt);
    this.saFreeAt = saStart + tSA;
    this.shiftAdd.add(conversions, tSA, saStart);
    this.outputRegister.access(this.timing.phases.outputRegisterTicks, this.saFreeAt);
    if (this.waitingSample) {
      this.waitingSample = false;
      this.cStall.add(now - this.stallSince);
      this.adcWaitFrom = this.stallSince;
      this.adcWaitTicks = now - this.stallSince;
      this.sample();
    }
    if (lastOfJob) {
      const at = this.saFreeAt + this.timing.phases.outputRegisterTicks;
      this.sim.scheduleAt(at as Tick, () => this.complete(job), 0, this.nDone);
    }
  }

  private complete(job: Job): void {
    this.cMvms.add(1);
    this.cLatency.add(this.sim.now - job.requestTick);
    this.busyPeriods.end(this.sim.now);
    this.tracer.slice(this.trMvmTrack, this.trMvm, job.requestTick, this.sim.now - job.requestTick, job.id, this.stepsPerJob);
    job.done(job.out);
  }
}

export interface MvmuRunResult {
  energyJ: number;
  latencyS: number;
  /** energy by part kind (crossbar, dac, sampleHold, adc, shiftAdd, inputRegister, outputRegister) */
  breakdownJ: Record<string, number>;
}

/** Energy (dynamic + leakage over `seconds`) by part kind, from a ledger. */
export function mvmuEnergyBreakdown(ledger: EnergyLedger, seconds: number): { totalJ: number; breakdownJ: Record<string, number> } {
  const r = ledger.report(seconds);
  const breakdownJ: Record<string, number> = {};
  for (const [kind, e] of Object.entries(r.byKind)) {
    if (kind === "mvmu") continue;
    breakdownJ[kind] = e.dynamicJ + e.leakageJ;
  }
  return { totalJ: r.totalJ, breakdownJ };
}

/**
 * Runs one MVM at `timing` fidelity on a fresh simulator and returns its energy (dynamic plus
 * leakage over the MVM's latency) and latency from the ledger and the kernel.
 */
export function simulateMvmuOnce(p: MvmuParams, opts: { clockHz?: number; rows?: number; cols?: number } = {}): MvmuRunResult {
  const sim = new Simulator({ seed: 1 });
  const ledger = new EnergyLedger();
  const m = new Mvmu({ sim, ledger }, "mvmu", p, { fidelity: "timing", clockHz: opts.clockHz });
  if (opts.rows !== undefined || opts.cols !== undefined) m.program(null, opts.rows ?? m.geometry.rows, opts.cols ?? m.geometry.logicalCols);
  let endTick = -1;
  m.mvm(null, () => (endTick = sim.now));
  sim.run();
  const latencyS = endTick * SECONDS_PER_TICK;
  const { totalJ, breakdownJ } = mvmuEnergyBreakdown(ledger, latencyS);
  return { energyJ: totalJ, latencyS, breakdownJ };
}
