// The program bundle: everything `rramsim compile` produces for one model on one design — the
// design it runs on (after the adjustments of compiler/codegen/design.ts), the quantised model's
// reference identity, one assembly program per core, the crossbar programming images (the integer
// weight block of every MVM unit), the constants the tile memories start with, the host's input and
// output plan, the mapping report, and the hash of the configuration it was built for. The
// simulator refuses a bundle whose hash differs from its own configuration's.
//
// On disk (`writeBundle`): DIR/bundle.json (everything but the images' weights and the programs),
// DIR/images.bin (the weights, int32 little-endian, in image order), DIR/programs/tileT-coreC.s, and
// DIR/mapping.json. The directory is written under a temporary name and renamed, so an error
// leaves no half-written DIR.

import * as fs from "node:fs";
import * as path from "node:path";
import { chipDesignFromData, mvmusPerTile, type ChipDesign } from "../../arch/chip/params";
import { adcBitsLossless, mvmuGeometryInfo } from "../../arch/mvmu/encoding";
import { mvmuCostNotes } from "../../arch/mvmu/cost";
import { RramsimError } from "../../sim/errors";
import { assemble } from "../../isa/assembler";
import { mnistCalibration } from "../zoo/export";
import { loadModel } from "../zoo/zoo";
import { shapeSize, type Model } from "../ir/model";
import { mapLayers, type Mapping, type MvmuGeometry } from "../map/mapping";
import { layerDemands, quantizeModel, type QuantizedModel, type QuantizeOptions } from "../quant/quantize";
import { RandomStream } from "../../sim/random";
import { generateCode, type CodegenResult, type CoreProgram } from "../codegen/codegen";
import { calibrateAdcPeaks } from "../codegen/adc-calibration";
import { executionDesign, resolveRequestedDesign, stableHash, type AdcBitsChoice } from "../codegen/design";

/**
 * What the compiler takes: its slice of the run configuration (app/run-config.ts), validated and
 * with its defaults filled in there.
 */
export interface CompileOptions {
  /** design file or config data */
  arch: string | Record<string, unknown>;
  /** `zoo:NAME`, an .onnx file, or a model */
  model: string | Model;
  set: readonly string[];
  adcBits?: AdcBitsChoice;
  /** copy layers to balance the pipeline while MVM units remain */
  replicate: boolean;
  /** a lossy ADC's range: calibrated per MVM unit on the calibration set, or the full worst case */
  adcRange: "calibrated" | "full";
  /** grow the tile count when the weights need more tiles */
  growTiles: boolean;
  /** quantisation overrides (absent: `defaultQuantOptions` of the design) */
  quant?: QuantizeOptions;
  /** seed of the random-weight zoo models and of the calibration inputs of non-MNIST models */
  seed: number;
}

export interface MappingReport {
  /** crossbar-sized pieces of the weight matrices (all replicas) */
  weight_blocks: number;
  /** several blocks share MVM units (block packing) */
  packed: boolean;
  /** MVMs per inference, one per block per output position: Wu et al.'s "tile operations" */
  tile_ops_per_inference: number;
  mvmus_used: number;
  mvmus_available: number;
  crossbars_used: number;
  utilisation: number;
  tiles_used: number;
  tile_load: number[];
  layers: Array<{ name: string; row_blocks: number; col_blocks: number; replicas: number; mvmus: number; crossbars: number; utilisation: number; mvms_per_replica: number }>;
  memory_elements_used: number[];
  instructions_per_core_max: number;
  program_bytes_max: number;
  instruction_memory_bytes: number;
  adc_bits: number;
  adc_bits_lossless: number;
}

export interface Bundle {
  format: "rramsim-bundle/1";
  configHash: string;
  modelName: string;
  /** the design the programs run on, as config data (what bundle.json records) */
  design: Record<string, unknown>;
  /** the same design, validated */
  chip: ChipDesign;
  notes: string[];
  quantized: QuantizedModel;
  mapping: Mapping;
  code: CodegenResult;
  report: MappingReport;
}

/** calibration inputs the ADC range calibration runs (the first of the quantisation's) */
const CALIBRATION_IMAGES = 64;

export function isMnistModel(m: Model): boolean {
  return shapeSize(m.input.shape) === 784;
}

/** The quantisation a design implies: 8-bit activations, weights as wide as the MVM unit holds, at most 8. */
export function defaultQuantOptions(design: ChipDesign): QuantizeOptions {
  const p = design.config.tile.mvmu.precision;
  return { weightBits: Math.min(8, p.weightBits), activationBits: 8, inputBits: 8 };
}

function calibrationInputs(model: Model, seed: number): Float32Array[] {
  if (isMnistModel(model)) return mnistCalibration(256);
  const rs = new RandomStream(seed, "calibration");
  const n = shapeSize(model.input.shape);
  return Array.from({ length: 8 }, () => Float32Array.from({ length: n }, () => rs.uniform()));
}

/** The hash of everything a bundle depends on. */
export function bundleConfigHash(opts: CompileOptions, requested: Record<string, unknown>, modelName: string): string {
  return stableHash({ design: requested, model: modelName, quant: opts.quant ?? null, replicate: opts.replicate, growTiles: opts.growTiles, seed: opts.seed, ...(opts.adcRange === "full" ? {} : { adcRange: opts.adcRange }) });
}

function mvmuGeometryOf(design: ChipDesign, tiles: number): MvmuGeometry {
  const t = design.config.tile;
  const g = mvmuGeometryInfo(t.mvmu);
  return { rows: g.rows, cols: g.logicalCols, crossbarsPerMvmu: t.mvmu.crossbars, mvmusPerCore: t.mvmusPerCore, coresPerTile: t.cores, tiles };
}

const assembled = new WeakMap<CoreProgram, { asm: string; image: ReturnType<typeof assemble> }>();

/**
 * A program's assembled image (file name `tileT-coreC.s`), assembled once per program text: the
 * compiler assembles every program to check it and size the instruction memory, and the run loads
 * the same images (a program whose text was replaced, as by loadBundleCode, is assembled again).
 */
export function assembleProgram(p: CoreProgram): ReturnType<typeof assemble> {
  const hit = assembled.get(p);
  if (hit !== undefined && hit.asm === p.asm) return hit.image;
  const image = assemble(p.asm, { file: `tile${p.tile}-core${p.core}.s` });
  assembled.set(p, { asm: p.asm, image });
  return image;
}

/** Quantises, maps and generates code: the bundle for one model on one design. */
export function compileBundle(opts: CompileOptions): Bundle {
  const requested = resolveRequestedDesign({ arch: opts.arch, set: opts.set, adcBits: opts.adcBits });
  const model = typeof opts.model === "string" ? loadModel(opts.model, { seed: opts.seed }) : opts.model;
  const modelName = typeof opts.model === "string" ? opts.model : model.name;
  const calibration = calibrationInputs(model, opts.seed);
  const q = quantizeModel(model, calibration, opts.quant ?? defaultQuantOptions(requested.design));
  const base = executionDesign(requested.raw, requested.design, 0, false);
  const demands = layerDemands(q);
  // one block per MVM unit when the design has the units; else the blocks packed into the
  // design's units; else (only when asked) the fewest tiles that hold every block, one per unit
  let tiles = base.design.config.tiles;
  const tryMap = (n: number, pack = false): Mapping | undefined => {
    try {
      return mapLayers(demands, mvmuGeometryOf(base.design, n), { replicate: opts.replicate, pack });
    } catch (e) {
      if (e instanceof RramsimError && e.code === "MAPPING") return undefined;
      throw e;
    }
  };
  let mapping = tryMap(tiles);
  // packing comes before growth: --grow adds tiles only for a model that does not fit even packed
  if (mapping === undefined) {
    const g = mvmuGeometryOf(base.design, tiles);
    if (g.mvmusPerCore > 16) {
      if (!opts.growTiles) throw new RramsimError("MAPPING", `packing needs at most 16 MVM units per core (mvmb names a unit in 4 bits); ${requested.design.source} has ${g.mvmusPerCore}`);
    } else {
      try {
        mapping = mapLayers(demands, g, { pack: true });
      } catch (e) {
        if (!(e instanceof RramsimError && e.code === "MAPPING")) throw e;
        if (!opts.growTiles) throw new RramsimError("MAPPING", `model '${modelName}' does not fit ${requested.design.source}: ${e.message} (--grow adds tiles until every block has its own MVM unit)`);
      }
    }
  }
  if (mapping === undefined) {
    let hi = tiles * 2;
    while (tryMap(hi) === undefined) {
      if (hi > 1 << 20) throw new RramsimError("MAPPING", `model '${modelName}' cannot be mapped on any number of tiles of ${requested.design.source}`);
      hi *= 2;
    }
    let lo = tiles;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (tryMap(mid) === undefined) lo = mid;
      else hi = mid;
    }
    tiles = hi;
    mapping = tryMap(tiles) as Mapping;
  }
  const exec = executionDesign(base.raw, base.design, tiles, opts.growTiles);
  const notes = [...base.notes, ...exec.notes, ...mvmuCostNotes(exec.design.config.tile.mvmu)];
  const code = generateCode(q, mapping, exec.design);
  const mp = exec.design.config.tile.mvmu;
  const lossy = mp.adc.bits < adcBitsLossless(mp);
  if (opts.adcRange === "calibrated" && lossy && mp.adc.range.kind === "fullScale") {
    const n = Math.min(CALIBRATION_IMAGES, calibration.length);
    calibrateAdcPeaks(q, mp, code.images, calibration.slice(0, n));
    notes.push(
      `ADC range calibrated per MVM unit: each unit's ${mp.adc.bits}-bit ADC covers the largest column value its blocks reach on ${n} calibration inputs${isMnistModel(model) ? " (MNIST training images)" : ""}; larger values saturate (--adc-range full: the worst case)`,
    );
  }
  // assemble every program once: a generator bug must fail here, not in the simulator
  let programBytes = 0;
  for (const p of code.programs) programBytes = Math.max(programBytes, assembleProgram(p).text.length * 4);
  const core = exec.design.config.tile.core;
  let design = exec.raw;
  const imem = core?.instructionMemory ?? 0;
  if (programBytes > imem) {
    const grown = 2 ** Math.ceil(Math.log2(programBytes));
    const tile = design.tile as Record<string, unknown>;
    design = { ...design, tile: { ...tile, core: { ...(tile.core as Record<string, unknown>), instructionMemory: grown } } };
    notes.push(`programs are unrolled: the largest is ${programBytes} bytes against an instruction memory of ${imem} bytes; the run enlarges the instruction memory to ${grown} bytes (its cost is unchanged)`);
  }
  const sm = exec.design.config.tile.sharedMemory;
  const memElements = sm === undefined ? 0 : Math.floor((sm.size * 8) / sm.elementBits);
  const memNeeded = Math.max(0, ...code.memoryUsed);
  if (sm !== undefined && memNeeded > memElements) {
    const bytes = 2 ** Math.ceil(Math.log2((memNeeded * sm.elementBits) / 8));
    const tile = design.tile as Record<string, unknown>;
    design = { ...design, tile: { ...tile, sharedMemory: { ...(tile.sharedMemory as Record<string, unknown>), size: bytes } } };
    notes.push(`activations are stored whole: a tile needs ${memNeeded} elements of shared memory against ${memElements}; the run enlarges it to ${bytes} bytes (energy per access, leakage and area unchanged)`);
  }
  const cfg = exec.design.config;
  const report: MappingReport = {
    weight_blocks: mapping.weightBlocks,
    packed: mapping.packed,
    tile_ops_per_inference: mapping.mvmsPerInference,
    mvmus_used: mapping.mvmusUsed,
    mvmus_available: cfg.tiles * mvmusPerTile(cfg.tile),
    crossbars_used: mapping.crossbarsUsed,
    utilisation: mapping.utilisation,
    tiles_used: mapping.tileLoad.filter((n) => n > 0).length,
    tile_load: mapping.tileLoad,
    layers: mapping.layers.map((l) => ({
      name: l.name,
      row_blocks: l.rowBlocks,
      col_blocks: l.colBlocks,
      replicas: l.replicas,
      mvmus: l.mvmus,
      crossbars: l.mvmus * cfg.tile.mvmu.crossbars,
      utilisation: l.utilisation,
      mvms_per_replica: l.mvmsPerReplica,
    })),
    memory_elements_used: code.memoryUsed,
    instructions_per_core_max: Math.max(0, ...code.programs.map((p) => p.instructions)),
    program_bytes_max: programBytes,
    instruction_memory_bytes: imem,
    adc_bits: cfg.tile.mvmu.adc.bits,
    adc_bits_lossless: adcBitsLossless(cfg.tile.mvmu),
  };
  return {
    format: "rramsim-bundle/1",
    configHash: bundleConfigHash(opts, requested.raw, modelName),
    modelName,
    design,
    chip: chipDesignFromData(design, requested.design.source),
    notes,
    quantized: q,
    mapping,
    code,
    report,
  };
}

/** Writes a bundle to `dir` atomically (a temporary directory renamed at the end). */
export function writeBundle(bundle: Bundle, dir: string): void {
  const target = path.resolve(dir);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    fs.mkdirSync(path.join(tmp, "programs"), { recursive: true });
    for (const p of bundle.code.programs) fs.writeFileSync(path.join(tmp, "programs", `tile${p.tile}-core${p.core}.s`), p.asm);
    const total = bundle.code.images.reduce((a, im) => a + im.weights.length, 0);
    const all = new Int32Array(total);
    let at = 0;
    const images = bundle.code.images.map((im) => {
      all.set(im.weights, at);
      const entry = {
        tile: im.tile,
        mvmu: im.mvmu,
        layer: im.layer,
        rowBlock: im.rowBlock,
        colBlock: im.colBlock,
        replica: im.replica,
        rows: im.rows,
        cols: im.cols,
        offset: at,
        ...(im.packed === undefined ? {} : { packed: im.packed }),
      };
      at += im.weights.length;
      return entry;
    });
    fs.writeFileSync(path.join(tmp, "images.bin"), new Uint8Array(all.buffer));
    const meta = {
      format: bundle.format,
      configHash: bundle.configHash,
      model: bundle.modelName,
      notes: bundle.notes,
      design: bundle.design,
      programs: bundle.code.programs.map((p) => ({ tile: p.tile, core: p.core, file: `programs/tile${p.tile}-core${p.core}.s`, instructions: p.instructions })),
      images,
      constants: bundle.code.constants.map((c) => ({ tile: c.tile, addr: c.addr, values: Array.from(c.values) })),
      input: bundle.code.input,
      output: bundle.code.output,
    };
    fs.writeFileSync(path.join(tmp, "bundle.json"), JSON.stringify(meta, null, 1) + "\n");
    fs.writeFileSync(path.join(tmp, "mapping.json"), JSON.stringify(bundle.report, null, 2) + "\n");
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

interface BundleMeta {
  format?: string;
  configHash?: string;
  programs?: Array<{ tile: number; core: number; file: string }>;
  images?: Array<{ tile: number; mvmu: number; rows: number; cols: number; offset: number }>;
}

function readMeta(dir: string): BundleMeta {
  const f = path.join(dir, "bundle.json");
  let meta: BundleMeta;
  try {
    meta = JSON.parse(fs.readFileSync(f, "utf8"));
  } catch (e) {
    throw new RramsimError("INPUT_FILE", `${f}: cannot read a bundle (${(e as Error).message.split("\n")[0]})`);
  }
  if (meta.format !== "rramsim-bundle/1" || typeof meta.configHash !== "string") throw new RramsimError("INPUT_FILE", `${f}: not an rramsim bundle`);
  return meta;
}

/** The configuration hash a bundle directory records (for the simulator's check). */
export function readBundleHash(dir: string): string {
  return readMeta(dir).configHash as string;
}

/**
 * Replaces the programs and crossbar images of `bundle` (compiled for the same configuration) by
 * those stored in `dir`, so that edited assembly or weights run as written. The memory plan and the
 * reference model stay the compiled ones.
 */
export function loadBundleCode(bundle: Bundle, dir: string): void {
  const meta = readMeta(dir);
  const progs = meta.programs ?? [];
  const imgs = meta.images ?? [];
  if (progs.length !== bundle.code.programs.length || imgs.length !== bundle.code.images.length) {
    throw new RramsimError("BUNDLE_MISMATCH", `${dir}: ${progs.length} programs and ${imgs.length} images, the configuration has ${bundle.code.programs.length} and ${bundle.code.images.length}`);
  }
  progs.forEach((p, i) => {
    const target = bundle.code.programs[i];
    if (target.tile !== p.tile || target.core !== p.core) throw new RramsimError("BUNDLE_MISMATCH", `${dir}: program ${i} is for tile ${p.tile} core ${p.core}, expected tile ${target.tile} core ${target.core}`);
    const f = path.join(dir, p.file);
    try {
      target.asm = fs.readFileSync(f, "utf8");
    } catch (e) {
      throw new RramsimError("INPUT_FILE", `${f}: cannot read (${(e as Error).message.split("\n")[0]})`);
    }
  });
  const binFile = path.join(dir, "images.bin");
  let bin: Buffer;
  try {
    bin = fs.readFileSync(binFile);
  } catch (e) {
    throw new RramsimError("INPUT_FILE", `${binFile}: cannot read (${(e as Error).message.split("\n")[0]})`);
  }
  const all = new Int32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  imgs.forEach((im, i) => {
    const target = bundle.code.images[i];
    const n = im.rows * im.cols;
    if (target.tile !== im.tile || target.mvmu !== im.mvmu || target.weights.length !== n || im.offset + n > all.length) {
      throw new RramsimError("BUNDLE_MISMATCH", `${dir}: image ${i} does not match tile ${target.tile} MVM unit ${target.mvmu} (${target.rows} × ${target.cols})`);
    }
    target.weights = all.slice(im.offset, im.offset + n);
  });
}
