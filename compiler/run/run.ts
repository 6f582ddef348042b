// The end-to-end run: compile a model for a design (compiler/bundle), build the chip on the event
// kernel (arch/chip: tiles, cores, MVM units, shared memories, NoC) at the chosen fidelity, program
// every MVM unit with its crossbar image, load every core's program, then run inferences one after
// another: the host stores the quantised input into the tiles' memories (synchronised stores with
// the consumer counts the code generator computed), starts the cores, and reads the output with
// synchronised loads. Values flow through the cores' instructions and the MVM units' DAC/crossbar/
// ADC datapath (ideal arrays, or device physics at `physical`); at `timing` only time and energy do.
// After two identical inferences the rest replay the second's value work (see "Value replay" below
// and docs/run.md); `timeEveryInference` simulates each event by event.
//
// What the report's figures mean:
// - latency: one inference, from the host's first input store to the output's last element read.
// - throughput: pipelined steady state, 1 / the initiation interval, taken as the busiest stage's
//   work per inference — the largest of any MVM unit's busy time (crossbar reads and conversions)
//   and any core's issue cycles. Inferences are simulated one at a time (no overlap), so this is
//   the bound a perfectly overlapped pipeline reaches, not a simulated overlap.
// - energy: the ledger's dynamic energy of the inferences (the one-off writes of constants and
//   crossbar programming excluded) divided by their number, plus the leakage over one inference's
//   latency of the tiles that hold the model (tiles holding nothing are not simulated: they are
//   assumed power-gated) and of the network.
// - tops_per_w: 2 × the model's MACs on crossbars per inference / energy per inference.
// - accuracy (ideal/physical): top-1 of the simulated output, of the float model and of the
//   integer reference, and the fraction of samples whose simulated output equals the reference's
//   exactly. When the model ends in Softmax, the compared output is the Softmax's input (argmax is
//   unchanged; the host would apply it).

import { Chip } from "../../arch/chip/chip";
import { archCost } from "../../arch/chip/cost";
import { chipDesignFromData } from "../../arch/chip/params";
import { createPhysicalArray } from "../../arch/crossbar/physical-array";
import { loadDevice, type DeviceConfig } from "../../arch/device/device-config";
import type { Mvmu } from "../../arch/mvmu/mvmu";
import type { Counter } from "../../sim/stats";
import { ActivityProbe, type Activity } from "../../sim/activity";
import { EnergyLedger } from "../../sim/energy";
import { RramsimError } from "../../sim/errors";
import { RandomStream } from "../../sim/random";
import { Simulator } from "../../sim/simulator";
import { shapeSize } from "../ir/model";
import { mnistImage, mnistTestSet } from "../data/mnist";
import { argmax, runFloat } from "../reference/float";
import { quantizeInput, runIntegerAll } from "../reference/integer";
import type { QMatrixLayer } from "../quant/quantize";
import { assembleProgram, compileModel, isMnistModel, loadBundleCode, readBundleHash, type Bundle, type CompileOptions } from "../bundle/bundle";
import type { StoreGeometry } from "../codegen/codegen";
import { TraceFileWriter } from "../../traces/writer";
import { traceConfigHash } from "../../traces/schema";
import type { TraceFilter } from "../../traces/filter";

export type RunFidelity = "timing" | "ideal" | "physical";

export interface RunModelOptions extends CompileOptions {
  /** device preset or file (physical fidelity); default `ideal` */
  device?: string;
  /** MNIST test images, or seeded random inputs (default: mnist for 784-input models) */
  dataset?: "mnist" | "random";
  /** inferences to run (default 10; 1 at timing fidelity) */
  samples?: number;
  fidelity?: RunFidelity;
  /** read time after programming, seconds (physical) */
  timeS?: number;
  /** simulation seed (device noise, random inputs) */
  seed?: number;
  /** a compiled bundle directory: refused unless it was built for this configuration; its programs and images are the ones run */
  bundleDir?: string;
  /** keep each inference's output codes in the report (`outputs`, NCHW) and its inputs' codes (`inputs`) */
  keepOutputs?: boolean;
  /** called once the model is compiled, with the wall seconds compilation took (the rest of wall_s simulates) */
  onCompiled?: (compileWallS: number) => void;
  /** called after each inference with (done, total) */
  onProgress?: (done: number, total: number) => void;
  /** record a trace: the hardware's own slices (docs/traces.md) and one `run.inference` slice per inference */
  trace?: { file: string; filter?: TraceFilter };
  /** simulate every inference event by event (default: value replay after two identical ones; see `RunReport.simulation`) */
  timeEveryInference?: boolean;
}

export interface RunLayerReport {
  name: string;
  crossbars: number;
  mvmus: number;
  /** first MVM request to last MVM result of the layer, per inference */
  latency_s: number;
  /** the layer's MVM units: dynamic energy per inference plus their leakage over the layer latency */
  energy_j: number;
}

export interface RunReport {
  model: string;
  design: string;
  device: string;
  fidelity: RunFidelity;
  seed: number;
  config_hash: string;
  samples: number;
  latency_s: number;
  throughput_inferences_per_s: number;
  energy_j: number;
  /** of energy_j: dynamic (action counts × cost tables) and leakage */
  energy_dynamic_j: number;
  energy_leakage_j: number;
  tops_per_w: number;
  area_mm2: number;
  cycles: number;
  clock_hz: number;
  macs: number;
  energy_breakdown_j: Record<string, number>;
  layers: RunLayerReport[];
  accuracy?: {
    top1: number | null;
    top1_float: number | null;
    top1_quantized_reference: number | null;
    agreement_with_reference: number;
    samples: number;
  };
  mapping: { tiles: number; tiles_simulated: number; mvmus_used: number; crossbars_used: number; utilisation: number; adc_bits: number; adc_bits_lossless: number };
  notes: string[];
  excluded: string[];
  wall_s: number;
  /**
   * How the inferences were simulated: `timed` event by event, the rest `replayed` (their value
   * work replayed after two consecutive timed inferences were identical in timing and activity;
   * timing and energy are value-independent). `fallback` says why replay was not used when it could.
   */
  simulation: { inferences_timed: number; inferences_replayed: number; fallback?: string };
  /** present only when a trace was written */
  trace?: { file: string; events: number; bytes: number };
  /** with keepOutputs: the quantised input and the simulated output codes of each inference */
  inputs?: Int32Array[];
  outputs?: Int32Array[];
}

/** HWC-with-frame index of NCHW element (c, y, x). */
function storeIndex(g: StoreGeometry, c: number, y: number, x: number): number {
  return ((y + g.pad) * (g.w + 2 * g.pad) + (x + g.pad)) * g.c + c;
}

/** Runs a model end to end on a design; see the file header. */
export function runModel(opts: RunModelOptions): RunReport {
  const wall0 = performance.now();
  const fidelity = opts.fidelity ?? "ideal";
  const seed = opts.seed ?? 1;
  const bundle: Bundle = compileModel(opts);
  opts.onCompiled?.((performance.now() - wall0) / 1000);
  if (opts.bundleDir !== undefined) {
    const h = readBundleHash(opts.bundleDir);
    if (h !== bundle.configHash) {
      throw new RramsimError("BUNDLE_MISMATCH", `${opts.bundleDir}: built for configuration ${h}, this run's is ${bundle.configHash} (recompile with the same --arch, --set, --adc-bits and --model)`);
    }
    loadBundleCode(bundle, opts.bundleDir);
  }
  const source = typeof opts.arch === "string" ? opts.arch : "(inline)";
  const design = chipDesignFromData(bundle.design, source);
  const cfg = design.config;
  // simulate the tiles the program uses (the rest idle, assumed power-gated), on the full design's NoC grid
  const code0 = bundle.code;
  const used = Math.max(0, ...code0.programs.map((p) => p.tile), ...code0.images.map((i) => i.tile), ...code0.constants.map((c) => c.tile)) + 1;
  const topo = design.noc.topology;
  const simDesign = chipDesignFromData({ ...bundle.design, tiles: used, noc: { ...(bundle.design.noc as Record<string, unknown>), width: topo.width, height: topo.height } }, source);
  const q = bundle.quantized;
  const code = bundle.code;
  const deviceName = opts.device ?? "ideal";
  const device: DeviceConfig | null = fidelity === "physical" ? loadDevice(deviceName) : null;
  // the hardware records its own slices (SimContext.tracer); the run adds one `run.inference` slice per inference
  const tracer = opts.trace === undefined ? undefined : new TraceFileWriter(opts.trace.file, { header: { producer: "rramsim run", configHash: traceConfigHash({ hash: bundle.configHash, fidelity, device: deviceName }), seed }, filter: opts.trace.filter });
  try {
    const sim = new Simulator({ seed });
    const ledger = new EnergyLedger();
    const mp = cfg.tile.mvmu;
    const fullScale = 2 ** mp.dac.bits - 1;
    const chip = new Chip({ sim, ledger, tracer }, "chip", simDesign, {
      fidelity,
      arrayFactory: device === null ? undefined : (_i, rows, cols, cellBits, path) => createPhysicalArray({ device, rows, cols, cellBits, stream: sim.random.for(path), timeS: opts.timeS ?? 1, inputFullScale: fullScale }),
    });
    const values = fidelity !== "timing";
    const mem = (t: number) => {
      const m = chip.tiles[t].sharedMemory;
      if (m === undefined) throw new RramsimError("SIM_STATE", `tile ${t} has no shared memory`);
      return m;
    };

    // program the crossbars, load the programs, write the constants
    const layerUnits = new Map<string, Mvmu[]>();
    for (const im of code.images) {
      const unit = chip.tiles[im.tile].mvmus[im.mvmu];
      unit.program(values ? im.weights : null, im.rows, im.cols);
      const list = layerUnits.get(im.layer) ?? [];
      list.push(unit);
      layerUnits.set(im.layer, list);
    }
    const cores = code.programs.map((p) => {
      const core = chip.tiles[p.tile].cores[p.core];
      const file = `tile${p.tile}-core${p.core}.s`;
      core.load({ ...assembleProgram(p), file });
      return core;
    });
    for (const c of code.constants) mem(c.tile).write(c.addr, values ? c.values : null, c.values.length, 0, () => {});
    sim.run();
    ledger.resetCounts();

    // layer spans: wrap each unit's mvm to see its first request and last result
    const spanFirst = new Map<Mvmu, number>();
    const spanLast = new Map<Mvmu, number>();
    for (const units of layerUnits.values()) {
      for (const u of units) {
        const orig = u.mvm.bind(u);
        u.mvm = (input, done) => {
          if (!spanFirst.has(u)) spanFirst.set(u, sim.now);
          orig(input, (out) => {
            spanLast.set(u, sim.now);
            done(out);
          });
        };
      }
    }
    const kInference = tracer?.kind("run.inference", "slice", { argNames: ["sample"] }) ?? 0;
    const cRun = tracer?.component("chip") ?? 0;

    // inputs
    const dataset = opts.dataset ?? (isMnistModel(q.model) ? "mnist" : "random");
    if (dataset === "mnist" && !isMnistModel(q.model)) throw new RramsimError("CLI_ARGUMENT", `--dataset mnist: model '${bundle.modelName}' does not take a 28 × 28 image`);
    const samples = opts.samples ?? (values ? 10 : 1);
    const test = dataset === "mnist" ? mnistTestSet() : null;
    if (test !== null && samples > test.count) throw new RramsimError("CLI_ARGUMENT", `--samples: the MNIST test set has ${test.count} images (got ${samples})`);
    const inputStream = new RandomStream(seed, "run.inputs");
    const inSize = shapeSize(q.model.input.shape);
    const inShape = q.model.shapes[q.input];
    const [ic, ih, iw] = inShape.length === 4 ? [inShape[1], inShape[2], inShape[3]] : [inSize, 1, 1];
    const outShape = q.model.shapes[code.output.tensor];
    const [oc, oh, ow] = outShape.length === 4 ? [outShape[1], outShape[2], outShape[3]] : [shapeSize(outShape), 1, 1];
    const gi = code.input.geometry;
    const go = code.output.geometry;
    const padded = new Int32Array((gi.h + 2 * gi.pad) * (gi.w + 2 * gi.pad) * gi.c);
    const outPadded = new Int32Array((go.h + 2 * go.pad) * (go.w + 2 * go.pad) * go.c);

    let correct = 0;
    let correctFloat = 0;
    let correctRef = 0;
    let agree = 0;
    let totalTicks = 0;
    const layerTicks = new Map<string, number>();
    const keptIn: Int32Array[] = [];
    const keptOut: Int32Array[] = [];

    // Value replay (sim/value-log.ts): timing and energy do not depend on tensor values, so once two
    // consecutive inferences simulated event by event did exactly the same (ticks, layer spans, every
    // counter and action count), the second one's value work is replayed for the rest of the inputs
    // and its activity booked for each (at `timing` fidelity there are no values: only the booking).
    // Not with a trace (the trace would miss the replayed ones).
    const replayable = tracer === undefined && opts.timeEveryInference !== true && samples > 2;
    const probe = replayable ? new ActivityProbe([chip], ledger) : null;
    type Inference = { ticks: number; spans: Map<string, number>; activity: Activity };
    let replaying: Inference | null = null;
    let previous: Inference | null = null;
    let before = probe?.capture();
    let timed = 0;
    let fallback: string | undefined;
    const book = (ticks: number, spans: Map<string, number>): void => {
      totalTicks += ticks;
      for (const [layer, t] of spans) layerTicks.set(layer, (layerTicks.get(layer) ?? 0) + t);
    };
    for (let s = 0; s < samples; s++) {
      const x = test !== null ? mnistImage(test, s) : Float32Array.from({ length: inSize }, () => inputStream.uniform());
      const label = test !== null ? test.labels[s] : -1;
      const codes = quantizeInput(q, x);
      if (values) for (let c = 0; c < ic; c++) for (let y = 0; y < ih; y++) for (let xx = 0; xx < iw; xx++) padded[storeIndex(gi, c, y, xx)] = codes[(c * ih + y) * iw + xx];
      if (replaying !== null && probe !== null) {
        sim.values.replay();
        probe.add(replaying.activity);
        book(replaying.ticks, replaying.spans);
      } else {
        if (probe !== null && s === 1) sim.values.record();
        const t0 = sim.now;
        spanFirst.clear();
        spanLast.clear();
        for (const r of code.input.runs) mem(r.tile).store(r.addr, values ? padded.subarray(r.start, r.start + r.length) : null, r.length, r.consumers, () => {});
        for (const core of cores) core.start();
        for (const r of code.output.runs) mem(r.tile).load(r.addr, r.length, values ? outPadded.subarray(r.start, r.start + r.length) : null, () => {});
        sim.run();
        sim.values.stop();
        timed++;
        for (const core of cores) {
          if (core.status === "trapped") throw core.trap as RramsimError;
          if (core.status !== "halted") {
            const waits = chip.tiles.flatMap((t) => (t.sharedMemory?.describeWaiters() ?? []).map((w) => `${t.path}: ${w}`)).slice(0, 3);
            throw new RramsimError("SIM_DEADLOCK", `${core.path} did not finish (status ${core.status}); waiting: ${waits.join("; ") || "none"}`);
          }
        }
        if (tracer !== undefined && tracer.enabled(kInference, cRun)) tracer.slice(cRun, kInference, t0, sim.now - t0, s);
        const spans = new Map<string, number>();
        for (const [layer, units] of layerUnits) {
          let a = Infinity;
          let b = -Infinity;
          for (const u of units) {
            a = Math.min(a, spanFirst.get(u) ?? Infinity);
            b = Math.max(b, spanLast.get(u) ?? -Infinity);
          }
          if (b >= a) spans.set(layer, b - a);
        }
        book(sim.now - t0, spans);
        if (probe !== null && before !== undefined && s <= 1) {
          const after = probe.capture();
          const current: Inference = { ticks: sim.now - t0, spans, activity: probe.delta(before, after) };
          before = after;
          if (previous !== null) {
            const sameSpans = previous.spans.size === spans.size && [...spans].every(([l, t]) => previous?.spans.get(l) === t);
            if (previous.ticks === current.ticks && sameSpans && probe.equal(previous.activity, current.activity)) replaying = current;
            else fallback = "inferences 1 and 2 differed in timing or activity";
          }
          previous = current;
        }
      }
      if (values) {
        const out = new Int32Array(oc * oh * ow);
        for (let c = 0; c < oc; c++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) out[(c * oh + y) * ow + xx] = outPadded[storeIndex(go, c, y, xx)];
        if (opts.keepOutputs) {
        keptIn.push(codes);
        keptOut.push(out);
      }
      const ref = runIntegerAll(q, { codes }).values.get(code.output.tensor) as Int32Array;
        let same = ref.length === out.length;
        for (let i = 0; same && i < out.length; i++) if (out[i] !== ref[i]) same = false;
        if (same) agree++;
        if (label >= 0) {
          if (argmax(out) === label) correct++;
          if (argmax(ref) === label) correctRef++;
          if (argmax(runFloat(q.model, x)) === label) correctFloat++;
        }
      }
    }

    // figures
    const latencyS = (totalTicks / samples) * 1e-12;
    const seconds = totalTicks * 1e-12;
    const er = ledger.report(seconds);
    const energyJ = er.totalJ / samples;
    const breakdown: Record<string, number> = {};
    for (const [k, v] of Object.entries(er.byKind)) {
      const e = (v.dynamicJ + v.leakageJ) / samples;
      if (e > 0) breakdown[k] = e;
    }
    const periodS = 1 / cfg.clock;
    let stageS = 0;
    for (const t of chip.tiles) {
      for (const m of t.mvmus) stageS = Math.max(stageS, ((m.stats.occupancyTicks as Counter).value / samples) * 1e-12);
      for (const c of t.cores) stageS = Math.max(stageS, (c.retired / samples) * periodS);
    }
    const matrix = q.layers.filter((l): l is QMatrixLayer => l.kind === "dense" || l.kind === "conv2d");
    const macs = matrix.reduce((a, l) => a + l.k * l.n * l.positions, 0);
    const layers: RunLayerReport[] = bundle.report.layers.map((l) => {
      const units = layerUnits.get(l.name) ?? [];
      const lat = ((layerTicks.get(l.name) ?? 0) / samples) * 1e-12;
      let e = 0;
      for (const u of units) {
        const paths = [u.path, ...u.children.map((c) => c.path)];
        for (const p of paths) {
          const entry = er.byPath[p];
          if (entry !== undefined) e += entry.dynamicJ / samples;
        }
        for (const c of [u, ...u.children]) e += c.energy.leakagePj(lat) * 1e-12;
      }
      return { name: l.name, crossbars: l.crossbars, mvmus: l.mvmus, latency_s: lat, energy_j: e };
    });
    const report: RunReport = {
      model: bundle.modelName,
      design: cfg.name,
      device: fidelity === "physical" ? deviceName : "ideal",
      fidelity,
      seed,
      config_hash: bundle.configHash,
      samples,
      latency_s: latencyS,
      throughput_inferences_per_s: stageS > 0 ? 1 / stageS : 0,
      energy_j: energyJ,
      energy_dynamic_j: er.dynamicJ / samples,
      energy_leakage_j: er.leakageJ / samples,
      tops_per_w: energyJ > 0 ? (2 * macs) / energyJ / 1e12 : 0,
      area_mm2: archCost(design).area_mm2,
      cycles: Math.round(latencyS * cfg.clock),
      clock_hz: cfg.clock,
      macs,
      energy_breakdown_j: breakdown,
      layers,
      mapping: {
        tiles: cfg.tiles,
        tiles_simulated: used,
        mvmus_used: bundle.report.mvmus_used,
        crossbars_used: bundle.report.crossbars_used,
        utilisation: bundle.report.utilisation,
        adc_bits: bundle.report.adc_bits,
        adc_bits_lossless: bundle.report.adc_bits_lossless,
      },
      notes: used < cfg.tiles ? [...bundle.notes, `${used} of ${cfg.tiles} tiles hold the model and are simulated; the others are idle and assumed power-gated (no leakage); the area is the whole design's`] : bundle.notes,
      excluded: code.output.excluded,
      simulation: { inferences_timed: timed, inferences_replayed: samples - timed, ...(fallback === undefined ? {} : { fallback }) },
      wall_s: 0,
    };
    if (values) {
      const labelled = test !== null;
      report.accuracy = {
        top1: labelled ? correct / samples : null,
        top1_float: labelled ? correctFloat / samples : null,
        top1_quantized_reference: labelled ? correctRef / samples : null,
        agreement_with_reference: agree / samples,
        samples,
      };
    }
    if (opts.keepOutputs) {
      report.inputs = keptIn;
      report.outputs = keptOut;
    }
    tracer?.close();
    if (tracer !== undefined) report.trace = { file: tracer.file, events: tracer.eventCount, bytes: tracer.bytesWritten };
    report.wall_s = (performance.now() - wall0) / 1000;
    return report;
  } catch (e) {
    tracer?.abort();
    throw e;
  }
}

const fmt = (v: number, unit: string): string => {
  if (v === 0) return `0 ${unit}`;
  const prefixes: Array<[number, string]> = [[1e9, "G"], [1e6, "M"], [1e3, "k"], [1, ""], [1e-3, "m"], [1e-6, "µ"], [1e-9, "n"], [1e-12, "p"], [1e-15, "f"]];
  const [f, p] = prefixes.find(([f]) => Math.abs(v) >= f) ?? [1e-15, "f"];
  return `${(v / f).toPrecision(4)} ${p}${unit}`;
};

/** The readable table `rramsim run` prints. */
export function formatRunReport(r: RunReport): string {
  const lines: string[] = [];
  lines.push(`${r.model} on ${r.design} (${r.fidelity}${r.fidelity === "physical" ? `, device ${r.device}` : ""}, seed ${r.seed}, ${r.samples} inference${r.samples === 1 ? "" : "s"})`);
  const row = (k: string, v: string) => lines.push(`  ${k.padEnd(28)}${v}`);
  row("latency", `${fmt(r.latency_s, "s")} (${r.cycles} cycles at ${fmt(r.clock_hz, "Hz")})`);
  row("throughput (pipelined)", `${fmt(r.throughput_inferences_per_s, "inferences/s")}`);
  row("energy per inference", `${fmt(r.energy_j, "J")} (dynamic ${fmt(r.energy_dynamic_j, "J")}, leakage ${fmt(r.energy_leakage_j, "J")})`);
  row("efficiency", `${r.tops_per_w.toPrecision(4)} TOPS/W (${fmt(2 * r.macs, "ops")} per inference)`);
  row("area", `${r.area_mm2.toPrecision(4)} mm²`);
  row("mapping", `${r.mapping.mvmus_used} MVM units, ${r.mapping.crossbars_used} crossbars on ${r.mapping.tiles} tiles, utilisation ${(100 * r.mapping.utilisation).toFixed(1)} %`);
  row("ADC", `${r.mapping.adc_bits} bits (lossless needs ${r.mapping.adc_bits_lossless})`);
  if (r.accuracy !== undefined) {
    const a = r.accuracy;
    const pc = (v: number | null) => (v === null ? "n/a" : `${(100 * v).toFixed(2)} %`);
    row("top-1 simulated", pc(a.top1));
    row("top-1 float / integer ref", `${pc(a.top1_float)} / ${pc(a.top1_quantized_reference)}`);
    row("agreement with reference", `${(100 * a.agreement_with_reference).toFixed(2)} % of ${a.samples}`);
  }
  lines.push("  energy by component kind:");
  for (const [k, v] of Object.entries(r.energy_breakdown_j).sort((a, b) => b[1] - a[1])) lines.push(`    ${k.padEnd(26)}${fmt(v, "J")}`);
  lines.push("  layers:");
  lines.push(`    ${"name".padEnd(20)}${"crossbars".padStart(10)}${"latency".padStart(14)}${"energy".padStart(14)}`);
  for (const l of r.layers) lines.push(`    ${l.name.padEnd(20)}${String(l.crossbars).padStart(10)}${fmt(l.latency_s, "s").padStart(14)}${fmt(l.energy_j, "J").padStart(14)}`);
  for (const n of [...r.notes, ...r.excluded.map((e) => `not on the hardware path: ${e}`)]) lines.push(`  note: ${n}`);
  if (r.trace !== undefined) lines.push(`  trace: ${r.trace.events} events, ${r.trace.bytes} bytes → ${r.trace.file}`);
  const sm = r.simulation;
  if (sm.inferences_replayed > 0) lines.push(`  simulated event by event: ${sm.inferences_timed} of ${r.samples} inferences; the other ${sm.inferences_replayed} replayed the second's value work and booked its timing and energy (they are value-independent; --time-every-inference simulates each)`);
  if (sm.fallback !== undefined) lines.push(`  every inference simulated event by event: ${sm.fallback}`);
  lines.push(`  wall time ${r.wall_s.toFixed(2)} s`);
  return lines.join("\n");
}
