// The second half of a run (app/run/session.ts): inferences one after another on a loaded chip. The
// host stores the quantised input into the tiles' memories (synchronised stores with the consumer
// counts the code generator computed), starts the cores, and reads the output with synchronised
// loads. Values flow through the cores' instructions and the MVM units' DAC/crossbar/ADC datapath
// (ideal arrays, or device physics at `physical`); at `timing` only time and energy do.
//
// Value replay (sim/value-log.ts): timing and energy do not depend on tensor values, so once two
// consecutive inferences simulated event by event did exactly the same (ticks, layer spans, every
// counter and action count), the second one's value work is replayed for the rest of the inputs and
// its activity booked for each (at `timing` fidelity there are no values: only the booking). Not
// with a trace (the trace would miss the replayed ones), nor with `timeEveryInference`.

import type { Mvmu } from "../../arch/mvmu/mvmu";
import { ActivityProbe, type Activity } from "../../sim/activity";
import { RramsimError } from "../../sim/errors";
import { RandomStream } from "../../sim/random";
import { shapeSize } from "../../compiler/ir/model";
import { mnistImage, mnistTestSet } from "../../compiler/data/mnist";
import { argmax, runFloat } from "../../compiler/reference/float";
import { quantizeInput, runIntegerAll } from "../../compiler/reference/integer";
import { isMnistModel } from "../../compiler/bundle/bundle";
import type { StoreGeometry } from "../../compiler/codegen/codegen";
import { SECONDS_PER_TICK } from "../../sim/time";
import { J_PER_PJ } from "../../sim/units";
import type { RunBus } from "../run-bus";
import type { LayerUnit, RunSetup } from "./setup";

/** What the inferences add up to. */
export interface InferenceTally {
  samples: number;
  labelled: boolean;
  correct: number;
  correctFloat: number;
  correctRef: number;
  agree: number;
  totalTicks: number;
  /** per layer: the sum of its spans (first MVM request to last MVM result) */
  layerTicks: Map<string, number>;
  timed: number;
  fallback?: string;
  keptIn: Int32Array[];
  keptOut: Int32Array[];
  /** each inference's energy (J): its own dynamic energy and its static energy over its own time */
  energyJ: Float64Array;
  /** inferences whose simulated top-1 class is the float model's */
  agreeFloat: number;
}

/** HWC-with-frame index of NCHW element (c, y, x). */
function storeIndex(g: StoreGeometry, c: number, y: number, x: number): number {
  return ((y + g.pad) * (g.w + 2 * g.pad) + (x + g.pad)) * g.c + c;
}

/** One inference simulated event by event: its time, its layers' spans and (when probed) its activity. */
interface TimedInference {
  ticks: number;
  spans: Map<string, number>;
  activity: Activity;
}

/** Records each layer's first MVM request and last MVM result (the units' span hook; a packed unit's blocks apart). */
class LayerSpans {
  private readonly first = new Map<string, number>();
  private readonly last = new Map<string, number>();
  private readonly ids = new Map<Mvmu, number>();

  constructor(private readonly layerUnits: Map<string, LayerUnit[]>) {
    const key = (u: Mvmu, block: number) => `${this.ids.get(u)}/${block}`;
    const observer = {
      requested: (u: Mvmu, block: number, t: number) => {
        const k = key(u, block);
        if (!this.first.has(k)) this.first.set(k, t);
      },
      finished: (u: Mvmu, block: number, t: number) => void this.last.set(key(u, block), t),
    };
    for (const units of layerUnits.values()) {
      for (const lu of units) {
        if (!this.ids.has(lu.unit)) this.ids.set(lu.unit, this.ids.size);
        lu.unit.spanObserver = observer;
      }
    }
  }

  clear(): void {
    this.first.clear();
    this.last.clear();
  }

  /** Each layer's span since the last clear (layers that did no MVM are absent). */
  spans(): Map<string, number> {
    const spans = new Map<string, number>();
    for (const [layer, units] of this.layerUnits) {
      let a = Infinity;
      let b = -Infinity;
      for (const lu of units) {
        const k = `${this.ids.get(lu.unit)}/${lu.block}`;
        a = Math.min(a, this.first.get(k) ?? Infinity);
        b = Math.max(b, this.last.get(k) ?? -Infinity);
      }
      if (b >= a) spans.set(layer, b - a);
    }
    return spans;
  }
}

/** Runs the configured inferences on a loaded chip; see the file header. */
export function runInferences(s: RunSetup, bus?: RunBus): InferenceTally {
  const { config, bundle, sim, chip, cores, memory, tracer } = s;
  const q = bundle.quantized;
  const code = bundle.code;
  const values = config.fidelity !== "timing";
  const spansOf = new LayerSpans(s.layerUnits);
  const kInference = tracer?.kind("run.inference", "slice", { argNames: ["sample"] }) ?? 0;
  const cRun = tracer?.component("chip") ?? 0;

  // inputs
  const dataset = config.dataset ?? (isMnistModel(q.model) ? "mnist" : "random");
  if (dataset === "mnist" && !isMnistModel(q.model)) throw new RramsimError("CLI_ARGUMENT", `--dataset mnist: model '${bundle.modelName}' does not take a 28 × 28 image`);
  const samples = config.samples;
  const test = dataset === "mnist" ? mnistTestSet() : null;
  if (test !== null && samples > test.count) throw new RramsimError("CLI_ARGUMENT", `--samples: the MNIST test set has ${test.count} images (got ${samples})`);
  const inputStream = new RandomStream(config.seed, "run.inputs");
  const inSize = shapeSize(q.model.input.shape);
  const inShape = q.model.shapes[q.input];
  const [ic, ih, iw] = inShape.length === 4 ? [inShape[1], inShape[2], inShape[3]] : [inSize, 1, 1];
  const outShape = q.model.shapes[code.output.tensor];
  const [oc, oh, ow] = outShape.length === 4 ? [outShape[1], outShape[2], outShape[3]] : [shapeSize(outShape), 1, 1];
  const gi = code.input.geometry;
  const go = code.output.geometry;
  const padded = new Int32Array((gi.h + 2 * gi.pad) * (gi.w + 2 * gi.pad) * gi.c);
  const outPadded = new Int32Array((go.h + 2 * go.pad) * (go.w + 2 * go.pad) * go.c);

  const t: InferenceTally = {
    samples,
    labelled: test !== null,
    correct: 0,
    correctFloat: 0,
    correctRef: 0,
    agree: 0,
    agreeFloat: 0,
    totalTicks: 0,
    layerTicks: new Map(),
    timed: 0,
    keptIn: [],
    keptOut: [],
    energyJ: new Float64Array(samples),
  };
  let energyBefore = s.ledger.totalPj(0);
  const book = (ticks: number, spans: Map<string, number>): void => {
    t.totalTicks += ticks;
    for (const [layer, dt] of spans) t.layerTicks.set(layer, (t.layerTicks.get(layer) ?? 0) + dt);
  };

  const replayable = tracer === undefined && !config.timeEveryInference && samples > 2;
  const probe = replayable ? new ActivityProbe([chip], s.ledger) : null;
  let replaying: TimedInference | null = null;
  let previous: TimedInference | null = null;
  let before = probe?.capture();

  /** Simulates inference `i` event by event; returns its time and spans. */
  const simulate = (i: number): { ticks: number; spans: Map<string, number> } => {
    const t0 = sim.now;
    spansOf.clear();
    for (const r of code.input.runs) memory(r.tile).store(r.addr, values ? padded.subarray(r.start, r.start + r.length) : null, r.length, r.consumers, () => {});
    for (const core of cores) core.start();
    for (const r of code.output.runs) memory(r.tile).load(r.addr, r.length, values ? outPadded.subarray(r.start, r.start + r.length) : null, () => {});
    sim.run();
    sim.values.stop();
    for (const core of cores) {
      if (core.status === "trapped") throw core.trap as RramsimError;
      if (core.status !== "halted") {
        const waits = chip.tiles.flatMap((tile) => (tile.sharedMemory?.describeWaiters() ?? []).map((w) => `${tile.path}: ${w}`)).slice(0, 3);
        throw new RramsimError("SIM_DEADLOCK", `${core.path} did not finish (status ${core.status}); waiting: ${waits.join("; ") || "none"}`);
      }
    }
    if (tracer !== undefined && tracer.enabled(kInference, cRun)) tracer.slice(cRun, kInference, t0, sim.now - t0, i);
    return { ticks: sim.now - t0, spans: spansOf.spans() };
  };

  for (let i = 0; i < samples; i++) {
    const x = test !== null ? mnistImage(test, i) : Float32Array.from({ length: inSize }, () => inputStream.uniform());
    const label = test !== null ? test.labels[i] : -1;
    const codes = quantizeInput(q, x);
    if (values) for (let c = 0; c < ic; c++) for (let y = 0; y < ih; y++) for (let xx = 0; xx < iw; xx++) padded[storeIndex(gi, c, y, xx)] = codes[(c * ih + y) * iw + xx];
    if (replaying !== null && probe !== null) {
      sim.values.replay();
      probe.add(replaying.activity);
      book(replaying.ticks, replaying.spans);
    } else {
      if (probe !== null && i === 1) sim.values.record();
      const { ticks, spans } = simulate(i);
      t.timed++;
      book(ticks, spans);
      if (probe !== null && before !== undefined && i <= 1) {
        const after = probe.capture();
        const current: TimedInference = { ticks, spans, activity: probe.delta(before, after) };
        before = after;
        if (previous !== null) {
          const prev = previous;
          const sameSpans = prev.spans.size === spans.size && [...spans].every(([l, dt]) => prev.spans.get(l) === dt);
          if (prev.ticks === current.ticks && sameSpans && probe.equal(prev.activity, current.activity)) replaying = current;
          else t.fallback = "inferences 1 and 2 differed in timing or activity";
        }
        previous = current;
      }
    }
    const energyNow = s.ledger.totalPj(t.totalTicks * SECONDS_PER_TICK);
    t.energyJ[i] = (energyNow - energyBefore) * J_PER_PJ;
    energyBefore = energyNow;
    if (values) {
      const out = new Int32Array(oc * oh * ow);
      for (let c = 0; c < oc; c++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) out[(c * oh + y) * ow + xx] = outPadded[storeIndex(go, c, y, xx)];
      if (config.keepOutputs) {
        t.keptIn.push(codes);
        t.keptOut.push(out);
      }
      const ref = runIntegerAll(q, { codes }).values.get(code.output.tensor) as Int32Array;
      let same = ref.length === out.length;
      for (let k = 0; same && k < out.length; k++) if (out[k] !== ref[k]) same = false;
      if (same) t.agree++;
      const floatClass = argmax(runFloat(q.model, x));
      if (argmax(out) === floatClass) t.agreeFloat++;
      if (label >= 0) {
        if (argmax(out) === label) t.correct++;
        if (argmax(ref) === label) t.correctRef++;
        if (floatClass === label) t.correctFloat++;
      }
    }
    if (bus !== undefined) void bus.emit("run.progress", { done: i + 1, total: samples, unit: "inferences" });
  }
  return t;
}
