// The first half of a run (app/run/session.ts): compile the model for the design (compiler/bundle),
// build the chip on the event kernel (arch/chip: tiles, cores, MVM units, shared memories, NoC) at
// the run's fidelity, program every MVM unit with its crossbar image, load every core's program and
// write the constants. Only the tiles the program uses are simulated (the rest are idle and assumed
// power-gated), on the full design's NoC grid.

import { Chip } from "../../arch/chip/chip";
import { designWithTiles, type ChipDesign } from "../../arch/chip/params";
import { createPhysicalArray } from "../../arch/crossbar/physical-array";
import { loadDevice, type DeviceConfig } from "../../arch/device/device-config";
import type { Core } from "../../arch/core/core";
import type { SharedMemory } from "../../arch/memory/shared-memory";
import type { MvmuBlock } from "../../arch/mvmu/blocks";
import type { Mvmu } from "../../arch/mvmu/mvmu";
import { EnergyLedger } from "../../sim/energy";
import { RramsimError } from "../../sim/errors";
import { Simulator } from "../../sim/simulator";
import { assembleProgram, compileBundle, loadBundleCode, readBundleHash, type Bundle } from "../../compiler/bundle/bundle";
import type { CrossbarImage } from "../../compiler/codegen/types";
import { TraceFileWriter } from "../../traces/writer";
import { traceConfigHash } from "../../traces/schema";
import { compileSlice, type RunConfig } from "../run-config";

/** A chip built and loaded for a run, with what the inference loop and the report need of it. */
export interface RunSetup {
  config: RunConfig;
  bundle: Bundle;
  /** the whole design (area, tile count) */
  design: ChipDesign;
  /** tiles simulated: those the program uses */
  tilesUsed: number;
  sim: Simulator;
  ledger: EnergyLedger;
  chip: Chip;
  cores: Core[];
  /** the MVM units of each layer, by layer name */
  /** per layer: the units holding its blocks, the block (-1: the whole unit) and the layer's share of the unit's MVMs per inference */
  layerUnits: Map<string, LayerUnit[]>;
  /** the shared memory of tile t */
  memory: (t: number) => SharedMemory;
  tracer: TraceFileWriter | undefined;
}

/** Compiles the model and checks a given bundle directory against it. */
export function compileForRun(config: RunConfig): Bundle {
  const bundle = compileBundle(compileSlice(config));
  if (config.bundleDir !== undefined) {
    const h = readBundleHash(config.bundleDir);
    if (h !== bundle.configHash) {
      throw new RramsimError("BUNDLE_MISMATCH", `${config.bundleDir}: built for configuration ${h}, this run's is ${bundle.configHash} (recompile with the same --arch, --set, --adc-bits and --model)`);
    }
    loadBundleCode(bundle, config.bundleDir);
  }
  return bundle;
}

/** The trace writer a run asks for, if any. */
export function openRunTrace(config: RunConfig, bundle: Bundle): TraceFileWriter | undefined {
  if (config.trace === undefined) return undefined;
  const header = { producer: "rramsim run", configHash: traceConfigHash({ hash: bundle.configHash, fidelity: config.fidelity, device: config.device }), seed: config.seed };
  return new TraceFileWriter(config.trace.file, { header, filter: config.trace.filter });
}

/** One unit of a layer (see RunSetup.layerUnits). */
export interface LayerUnit {
  unit: Mvmu;
  block: number;
  /** MVMs of this layer's block on the unit ÷ all MVMs of the unit, per inference */
  share: number;
}

/**
 * Programs a unit that holds several packed blocks (compiler/map/mapping.ts): one image of the
 * unit's rows × the columns the blocks reach, each block in its own columns, the rest 0; then its
 * block table, entry `slot` per block, for `mvmb`.
 */
function programPacked(unit: Mvmu, images: readonly CrossbarImage[], values: boolean): void {
  const rows = images[0].rows;
  const cols = Math.max(...images.map((im) => (im.packed as NonNullable<CrossbarImage["packed"]>).colOffset + im.cols));
  const w = new Int32Array(rows * cols);
  const blocks: MvmuBlock[] = [];
  for (const im of images) {
    const p = im.packed as NonNullable<CrossbarImage["packed"]>;
    if (im.rows !== rows) throw new RramsimError("INPUT_FILE", `${unit.path}: packed images of ${im.rows} and ${rows} rows`);
    for (let r = 0; r < rows; r++) for (let j = 0; j < im.cols; j++) w[r * cols + p.colOffset + j] = im.weights[r * im.cols + j];
    blocks[p.slot] = { rowStart: 0, rowCount: p.rowCount, colStart: p.colOffset, colCount: im.cols };
  }
  if (blocks.length !== images.length || blocks.some((b) => b === undefined)) throw new RramsimError("INPUT_FILE", `${unit.path}: packed images do not number their block-table slots 0 … ${images.length - 1}`);
  unit.program(values ? w : null, rows, cols);
  unit.setBlocks(blocks);
}

/** Builds, programs and loads the chip for a compiled bundle. */
export function buildRunChip(config: RunConfig, bundle: Bundle, tracer: TraceFileWriter | undefined): RunSetup {
  const design = bundle.chip;
  const code = bundle.code;
  const tilesUsed = Math.max(0, ...code.programs.map((p) => p.tile), ...code.images.map((i) => i.tile), ...code.constants.map((c) => c.tile)) + 1;
  const simDesign = designWithTiles(design, tilesUsed, design.noc.topology);
  const fidelity = config.fidelity;
  const device: DeviceConfig | null = fidelity === "physical" ? loadDevice(config.device) : null;
  const sim = new Simulator({ seed: config.seed });
  const ledger = new EnergyLedger();
  const fullScale = 2 ** design.config.tile.mvmu.dac.bits - 1;
  const chip = new Chip({ sim, ledger, tracer }, "chip", simDesign, {
    fidelity,
    arrayFactory: device === null ? undefined : (_i, rows, cols, cellBits, path) => createPhysicalArray({ device, rows, cols, cellBits, stream: sim.random.for(path), timeS: config.timeS, inputFullScale: fullScale }),
  });
  const values = fidelity !== "timing";
  const memory = (t: number): SharedMemory => {
    const m = chip.tiles[t].sharedMemory;
    if (m === undefined) throw new RramsimError("SIM_STATE", `tile ${t} has no shared memory`);
    return m;
  };

  // program the crossbars, load the programs, write the constants
  const layerUnits = new Map<string, LayerUnit[]>();
  const packed = new Map<Mvmu, CrossbarImage[]>();
  const mvmsOf = new Map(bundle.mapping.layers.map((l) => [l.name, l.mvmsPerReplica]));
  const unitMvms = new Map<Mvmu, number>();
  // calibrated ADC ranges first: a unit's range covers the peaks of all its blocks
  const peaks = new Map<Mvmu, number>();
  for (const im of code.images) if (im.adcPeak !== undefined) peaks.set(chip.tiles[im.tile].mvmus[im.mvmu], Math.max(peaks.get(chip.tiles[im.tile].mvmus[im.mvmu]) ?? 0, im.adcPeak));
  for (const [unit, peak] of peaks) unit.calibrateAdc(peak);
  for (const im of code.images) {
    const unit = chip.tiles[im.tile].mvmus[im.mvmu];
    if (im.packed !== undefined) packed.set(unit, [...(packed.get(unit) ?? []), im]);
    else unit.program(values ? im.weights : null, im.rows, im.cols);
    const list = layerUnits.get(im.layer) ?? [];
    list.push({ unit, block: im.packed?.slot ?? -1, share: mvmsOf.get(im.layer) ?? 0 });
    layerUnits.set(im.layer, list);
    unitMvms.set(unit, (unitMvms.get(unit) ?? 0) + (mvmsOf.get(im.layer) ?? 0));
  }
  for (const list of layerUnits.values()) for (const lu of list) lu.share = lu.share / Math.max(1, unitMvms.get(lu.unit) ?? 0);
  for (const [unit, images] of packed) programPacked(unit, images, values);
  const cores = code.programs.map((p) => {
    const core = chip.tiles[p.tile].cores[p.core];
    core.load({ ...assembleProgram(p), file: `tile${p.tile}-core${p.core}.s` });
    return core;
  });
  for (const c of code.constants) memory(c.tile).write(c.addr, values ? c.values : null, c.values.length, 0, () => {});
  sim.run();
  ledger.resetCounts();
  return { config, bundle, design, tilesUsed, sim, ledger, chip, cores, layerUnits, memory, tracer };
}
