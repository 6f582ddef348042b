// `rramsim mvm --arch ...`: integer matrix-vector products through a design's MVM unit — bit-serial
// DACs, bit-sliced crossbars (ideal or physical device), shared ADCs, shift-and-add — timed on the
// event kernel, with energy from the ledger. A matrix larger than one MVMU is cut into blocks, one
// MVMU each, run in parallel; the partial sums of row blocks are added digitally (the vector
// unit's job). `--adc-bits A..B` sweeps the ADC resolution and reports the error against the exact
// integer product, the energy per MVM and the ADC's share of it.
//
// `--arch` takes an MVMU preset (isaac, wu2023) or a YAML/JSON file with an MVMU config (the fields
// of arch/mvmu/params.ts); whole-chip arch configs are not read here.
//
// One file of a little over 400 lines: the flags, the block split and the report are one experiment;
// its formatting is the part to move out when it grows.

import * as fs from "node:fs";
import { RramsimError } from "../../sim/errors";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";
import { RandomStream } from "../../sim/random";
import { readConfigFile } from "../../sim/config";
import { parseQuantity } from "../../sim/units";
import { createPhysicalArray } from "../../arch/crossbar/physical-array";
import { loadDevice, type DeviceConfig } from "../../arch/device/device-config";
import { IR_DROP_MODELS, type IrDropModel } from "../../arch/crossbar/ir-drop";
import { DatapathWorkspace } from "../../arch/mvmu/datapath";
import { Mvmu, mvmuEnergyBreakdown, type MvmuFidelity } from "../../arch/mvmu/mvmu";
import { adcBitsLossless, adcBitsSurveyFormula, mvmuGeometryInfo, mvmuInputRange, mvmuWeightRange } from "../../arch/mvmu/encoding";
import { MVMU_PRESETS, mvmuParams, mvmuPresetNames } from "../../arch/mvmu/presets";
import type { MvmuParams } from "../../arch/mvmu/params";
import { SECONDS_PER_TICK, TICKS_PER_SECOND } from "../../sim/time";
import { FIDELITIES } from "../../sim/fidelity";

/** The flags the MVMU path reads (strings as commander hands them over). */
export interface MvmuCliFlags {
  arch: string;
  cellBits?: string;
  weightBits?: string;
  inputBits?: string;
  dacBits?: string;
  signed?: boolean;
  signedWeights?: string;
  flip?: boolean;
  weights?: string;
  inputs?: string;
  rows?: string;
  cols?: string;
  vectors?: string;
  fidelity?: string;
  adcBits?: string;
  device?: string;
  irDrop?: string;
  time?: string;
  seed?: string;
  json?: boolean;
}

export interface MvmuExperiment {
  arch: string;
  params: MvmuParams;
  fidelity: MvmuFidelity;
  rows: number;
  cols: number;
  /** rows × cols, row-major */
  weights: number[];
  vectors: number;
  /** vectors × rows */
  inputs: number[];
  /** ADC resolutions to sweep; absent: the design's */
  adcBitsSweep?: number[];
  device?: DeviceConfig;
  deviceName?: string;
  irDrop: IrDropModel;
  timeS: number;
  seed: number;
}

export interface MvmuReport {
  arch: string;
  fidelity: MvmuFidelity;
  device: string | null;
  rows: number;
  cols: number;
  vectors: number;
  mvmus: number;
  input_steps: number;
  adc_bits: number;
  /** the ADC energy/area model kind */
  adc_model: string;
  adc_bits_lossless: number;
  /** ⌈log2((2^dacBits − 1)·(2^cellBits − 1)·rows)⌉, the survey's formula, for comparison */
  adc_bits_survey_formula: number;
  /** vectors × cols, null at timing fidelity */
  outputs: number[][] | null;
  exact: boolean | null;
  rmse_lsb: number | null;
  max_abs_error_lsb: number | null;
  energy_j: number;
  energy_per_mvm_j: number;
  latency_s: number;
  energy_breakdown_j: Record<string, number>;
  adc_sweep?: MvmuSweepRow[];
}

export interface MvmuSweepRow {
  adc_bits: number;
  rmse_lsb: number | null;
  max_abs_error_lsb: number | null;
  exact: boolean | null;
  energy_per_mvm_j: number;
  adc_energy_share: number;
}

export function cliError(msg: string): RramsimError {
  return new RramsimError("CLI_ARGUMENT", `mvm: ${msg}`);
}

function intFlag(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[-+]?\d+$/.test(v.trim())) throw cliError(`--${name}: '${v}' is not an integer`);
  const n = Number(v);
  if (n < min || n > max) throw cliError(`--${name}: ${n} is outside [${min}, ${max}]`);
  return n;
}

/** "8" → [8]; "4..10" → [4, …, 10]. */
export function parseAdcBits(v: string): number[] {
  const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(v);
  if (!m) throw cliError(`--adc-bits: '${v}' is not a resolution or a range such as 4..10`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 24 || hi < lo) throw cliError(`--adc-bits: '${v}' must lie within 1..24, low to high`);
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** Reads a JSON array of arrays of integers. */
function readIntMatrix(file: string, what: string, expectCols?: number): { data: number[]; rows: number; cols: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RramsimError("INPUT_FILE", `${file}: cannot read ${what} (${code === "ENOENT" ? "no such file" : (e as Error).message.split("\n")[0]})`);
  }
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((r) => Array.isArray(r) && r.length > 0)) {
    throw new RramsimError("INPUT_FILE", `${file}: ${what} must be a non-empty JSON array of non-empty arrays of integers`);
  }
  const cols = (raw[0] as unknown[]).length;
  if (expectCols !== undefined && cols !== expectCols) throw new RramsimError("INPUT_FILE", `${file}: ${what} rows have ${cols} values, expected ${expectCols}`);
  const data: number[] = [];
  raw.forEach((row: unknown[], i) => {
    if (row.length !== cols) throw new RramsimError("INPUT_FILE", `${file}: ${what}[${i}] has ${row.length} values, expected ${cols}`);
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new RramsimError("INPUT_FILE", `${file}: ${what}[${i}][${j}] is not an integer (got ${JSON.stringify(v)})`);
      data.push(v);
    });
  });
  return { data, rows: raw.length, cols };
}

/** An MVMU config as data, before validation: the sections the flags edit. */
type RawSection = Record<string, unknown>;
interface RawMvmuConfig {
  crossbar?: RawSection;
  precision?: RawSection;
  encoding?: RawSection;
  dac?: RawSection;
  adc?: RawSection;
  [field: string]: unknown;
}

function rawArch(arch: string): RawMvmuConfig {
  const preset = MVMU_PRESETS[arch];
  if (preset !== undefined) return structuredClone(preset) as RawMvmuConfig;
  if (!/[\\/]/.test(arch) && !/\.(ya?ml|json)$/.test(arch)) {
    throw new RramsimError("CONFIG_READ", `no MVMU preset '${arch}' (known: ${mvmuPresetNames().join(", ")}) and it does not look like a file`);
  }
  const raw = readConfigFile(arch);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new RramsimError("CONFIG_TYPE", `${arch}: expected an MVMU config object`);
  return raw as RawMvmuConfig;
}

function randomInts(n: number, lo: number, hi: number, rs: RandomStream): number[] {
  return Array.from({ length: n }, () => lo + rs.int(hi - lo + 1));
}

/** Checks the flags and builds the experiment; every bad value is a one-line RramsimError. */
export function buildMvmuExperiment(f: MvmuCliFlags): MvmuExperiment {
  const raw = rawArch(f.arch);
  raw.crossbar ??= {};
  raw.precision ??= {};
  raw.encoding ??= {};
  raw.dac ??= {};
  const cellBits = intFlag("cell-bits", f.cellBits, 1, 8);
  if (cellBits !== undefined) raw.crossbar.cellBits = cellBits;
  const weightBits = intFlag("weight-bits", f.weightBits, 1, 32);
  if (weightBits !== undefined) raw.precision.weightBits = weightBits;
  const inputBits = intFlag("input-bits", f.inputBits, 1, 32);
  if (inputBits !== undefined) raw.precision.inputBits = inputBits;
  const dacBits = intFlag("dac-bits", f.dacBits, 1, 8);
  if (dacBits !== undefined) raw.dac.bits = dacBits;
  if (f.signedWeights !== undefined && !["none", "differential", "bias"].includes(f.signedWeights)) {
    throw cliError(`--signed-weights: '${f.signedWeights}' is not one of differential, bias, none`);
  }
  if (f.signed) {
    raw.encoding.signedInputs = true;
    if (f.signedWeights === undefined && (raw.encoding.signedWeights ?? "none") === "none") raw.encoding.signedWeights = "bias";
  }
  if (f.signedWeights !== undefined) raw.encoding.signedWeights = f.signedWeights;
  if (f.flip !== undefined) raw.encoding.flip = f.flip;
  const sweep = f.adcBits === undefined ? undefined : parseAdcBits(f.adcBits);
  if (sweep !== undefined && sweep.length === 1) {
    raw.adc ??= {};
    raw.adc.bits = sweep[0];
  }
  const source = MVMU_PRESETS[f.arch] !== undefined ? `mvmu preset '${f.arch}' with flags` : f.arch;
  const params = mvmuParams(raw, source);
  const g = mvmuGeometryInfo(params);

  const fidelity = (f.fidelity ?? "ideal") as MvmuFidelity;
  if (!FIDELITIES.includes(fidelity)) throw cliError(`--fidelity: '${f.fidelity}' is not one of ${[...FIDELITIES].sort().join(", ")}`);
  const irDrop = (f.irDrop ?? "off") as IrDropModel;
  if (!IR_DROP_MODELS.includes(irDrop)) throw cliError(`--ir-drop: '${f.irDrop}' is not one of ${IR_DROP_MODELS.join(", ")}`);
  let device: DeviceConfig | undefined;
  if (fidelity === "physical") {
    if (f.device === undefined) throw cliError("--fidelity physical needs --device (a device preset or YAML file)");
    device = loadDevice(f.device);
  } else if (irDrop !== "off") throw cliError("--ir-drop applies to --fidelity physical only");
  const seed = intFlag("seed", f.seed, 0, 2 ** 31 - 1) ?? 1;

  const generatedSpec = (v: string | undefined) => v === undefined || v === "normal" || v === "uniform";
  let rows = intFlag("rows", f.rows, 1, 65536);
  let cols = intFlag("cols", f.cols, 1, 65536);
  let weights: number[];
  if (generatedSpec(f.weights)) {
    rows ??= g.rows;
    cols ??= g.logicalCols;
    const { min, max } = mvmuWeightRange(params);
    weights = randomInts(rows * cols, min, max, new RandomStream(seed, "mvm.weights"));
  } else {
    const m = readIntMatrix(f.weights as string, "weights");
    if ((rows !== undefined && rows !== m.rows) || (cols !== undefined && cols !== m.cols)) throw cliError(`--rows/--cols do not match ${f.weights} (${m.rows}×${m.cols})`);
    rows = m.rows;
    cols = m.cols;
    weights = m.data;
  }
  let vectors = intFlag("vectors", f.vectors, 1, 1_000_000);
  let inputs: number[];
  if (generatedSpec(f.inputs)) {
    vectors ??= sweep !== undefined && sweep.length > 1 ? 32 : 1;
    const { min, max } = mvmuInputRange(params);
    inputs = randomInts(vectors * rows, min, max, new RandomStream(seed, "mvm.inputs"));
  } else {
    const m = readIntMatrix(f.inputs as string, "inputs", rows);
    if (vectors !== undefined && vectors !== m.rows) throw cliError(`--vectors ${vectors} does not match ${f.inputs} (${m.rows} vectors)`);
    vectors = m.rows;
    inputs = m.data;
  }
  let timeS = 1;
  if (f.time !== undefined) {
    try {
      timeS = /^\d+(\.\d+)?$/.test(f.time) ? Number(f.time) : parseQuantity(f.time, "time") / TICKS_PER_SECOND;
    } catch {
      throw cliError(`--time: '${f.time}' must be one read time after programming (e.g. 1s, 1d) with --arch`);
    }
  }
  return {
    arch: f.arch,
    params,
    fidelity,
    rows,
    cols,
    weights,
    vectors,
    inputs,
    adcBitsSweep: sweep !== undefined && sweep.length > 1 ? sweep : undefined,
    device,
    deviceName: f.device,
    irDrop,
    timeS,
    seed,
  };
}

interface RunOutcome {
  outputs: number[][] | null;
  energyJ: number;
  latencyS: number;
  breakdownJ: Record<string, number>;
  mvmus: number;
}

/** Runs every vector through the blocks of the matrix on one simulator; returns values, energy, makespan. */
function runOnce(x: MvmuExperiment, params: MvmuParams): RunOutcome {
  const g = mvmuGeometryInfo(params);
  const sim = new Simulator({ seed: x.seed });
  const ledger = new EnergyLedger();
  const rowBlocks = Math.ceil(x.rows / g.rows);
  const colBlocks = Math.ceil(x.cols / g.logicalCols);
  const fullScale = 2 ** params.dac.bits - 1;
  const units: { m: Mvmu; r0: number; c0: number; nr: number; nc: number }[] = [];
  // the blocks' MVM units share one set of datapath buffers
  const workspace = new DatapathWorkspace();
  for (let rb = 0; rb < rowBlocks; rb++) {
    for (let cb = 0; cb < colBlocks; cb++) {
      const r0 = rb * g.rows;
      const c0 = cb * g.logicalCols;
      const nr = Math.min(g.rows, x.rows - r0);
      const nc = Math.min(g.logicalCols, x.cols - c0);
      const m = new Mvmu({ sim, ledger }, `mvmu[${units.length}]`, params, {
        fidelity: x.fidelity,
        workspace,
        arrayFactory: (_i, rows, cols, cellBits, path) =>
          createPhysicalArray({ device: x.device as DeviceConfig, rows, cols, cellBits, stream: sim.random.for(path), timeS: x.timeS, irDrop: x.irDrop, inputFullScale: fullScale }),
      });
      const block: number[] = [];
      for (let r = 0; r < nr; r++) for (let c = 0; c < nc; c++) block.push(x.weights[(r0 + r) * x.cols + c0 + c]);
      m.program(x.fidelity === "timing" ? null : block, nr, nc);
      units.push({ m, r0, c0, nr, nc });
    }
  }
  const values = x.fidelity !== "timing";
  const outputs = values ? Array.from({ length: x.vectors }, () => new Array<number>(x.cols).fill(0)) : null;
  let end = 0;
  for (let v = 0; v < x.vectors; v++) {
    for (const u of units) {
      const input = values ? x.inputs.slice(v * x.rows + u.r0, v * x.rows + u.r0 + u.nr) : null;
      u.m.mvm(input, (out) => {
        end = Math.max(end, sim.now);
        if (outputs !== null && out !== null) for (let c = 0; c < u.nc; c++) outputs[v][u.c0 + c] += out[c];
      });
    }
  }
  sim.run();
  const latencyS = end * SECONDS_PER_TICK;
  const { totalJ, breakdownJ } = mvmuEnergyBreakdown(ledger, latencyS);
  return { outputs, energyJ: totalJ, latencyS, breakdownJ, mvmus: units.length };
}

function errorStats(x: MvmuExperiment, outputs: number[][] | null): { exact: boolean | null; rmse: number | null; maxAbs: number | null } {
  if (outputs === null) return { exact: null, rmse: null, maxAbs: null };
  let exact = true;
  let sq = 0;
  let maxAbs = 0;
  for (let v = 0; v < x.vectors; v++) {
    for (let c = 0; c < x.cols; c++) {
      let ref = 0n;
      for (let r = 0; r < x.rows; r++) ref += BigInt(x.inputs[v * x.rows + r]) * BigInt(x.weights[r * x.cols + c]);
      const y = outputs[v][c];
      // physical outputs are real; "exact" asks for the integer product bit for bit
      if (!(Number.isInteger(y) && BigInt(y) === ref)) exact = false;
      const e = y - Number(ref);
      sq += e * e;
      maxAbs = Math.max(maxAbs, Math.abs(e));
    }
  }
  return { exact, rmse: Math.sqrt(sq / (x.vectors * x.cols)), maxAbs };
}

function withAdcBits(p: MvmuParams, bits: number): MvmuParams {
  return mvmuParams({ ...structuredClone(p), adc: { ...structuredClone(p.adc), bits } }, `--adc-bits ${bits}`);
}

/** Runs the experiment: outputs, exactness, energy, latency, and the ADC sweep when asked. */
export function runMvmuExperiment(x: MvmuExperiment): MvmuReport {
  const p = x.params;
  const g = mvmuGeometryInfo(p);
  const r = runOnce(x, p);
  const err = errorStats(x, r.outputs);
  const report: MvmuReport = {
    arch: x.arch,
    fidelity: x.fidelity,
    device: x.fidelity === "physical" ? (x.deviceName ?? null) : null,
    rows: x.rows,
    cols: x.cols,
    vectors: x.vectors,
    mvmus: r.mvmus,
    input_steps: g.steps.length,
    adc_bits: p.adc.bits,
    adc_model: p.adc.model.kind,
    adc_bits_lossless: adcBitsLossless(p),
    adc_bits_survey_formula: adcBitsSurveyFormula(p.crossbar.rows, p.dac.bits, p.crossbar.cellBits),
    outputs: r.outputs,
    exact: err.exact,
    rmse_lsb: err.rmse,
    max_abs_error_lsb: err.maxAbs,
    energy_j: r.energyJ,
    energy_per_mvm_j: r.energyJ / x.vectors,
    latency_s: r.latencyS,
    energy_breakdown_j: r.breakdownJ,
  };
  if (x.adcBitsSweep !== undefined) {
    report.adc_sweep = x.adcBitsSweep.map((bits) => {
      const s = runOnce(x, withAdcBits(p, bits));
      const e = errorStats(x, s.outputs);
      return {
        adc_bits: bits,
        rmse_lsb: e.rmse,
        max_abs_error_lsb: e.maxAbs,
        exact: e.exact,
        energy_per_mvm_j: s.energyJ / x.vectors,
        adc_energy_share: s.energyJ > 0 ? (s.breakdownJ.adc ?? 0) / s.energyJ : 0,
      };
    });
  }
  return report;
}

const fmt = (v: number | null) => (v === null ? "—" : v === 0 ? "0" : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(3) : String(+v.toPrecision(4)));

export function formatMvmuReport(r: MvmuReport): string {
  const lines = [
    `mvm: ${r.arch} MVM unit, ${r.fidelity}${r.device ? ` (${r.device})` : ""}, ${r.rows}×${r.cols} on ${r.mvmus} MVMU${r.mvmus > 1 ? "s" : ""}, ${r.vectors} vector${r.vectors > 1 ? "s" : ""}, ${r.input_steps} input steps`,
    `  ADC ${r.adc_bits} bits (lossless ${r.adc_bits_lossless}; survey formula ${r.adc_bits_survey_formula})`,
  ];
  if (r.exact !== null) lines.push(`  exact: ${r.exact ? "yes" : "no"}   RMSE ${fmt(r.rmse_lsb)} LSB   max |error| ${fmt(r.max_abs_error_lsb)} LSB`);
  lines.push(`  energy ${(r.energy_j * 1e9).toFixed(3)} nJ (${(r.energy_per_mvm_j * 1e9).toFixed(3)} nJ per MVM)   latency ${(r.latency_s * 1e6).toFixed(4)} µs`);
  lines.push(
    `  energy by part: ${Object.entries(r.energy_breakdown_j)
      .map(([k, v]) => `${k} ${(v * 1e9).toFixed(3)} nJ`)
      .join(", ")}`,
  );
  if (r.outputs !== null && r.outputs.length * r.cols <= 64) lines.push(`  outputs: ${JSON.stringify(r.outputs)}`);
  if (r.adc_sweep !== undefined) {
    lines.push("", `  ${"ADC bits".padEnd(9)} ${"RMSE [LSB]".padStart(11)} ${"max |err| [LSB]".padStart(16)} ${"energy/MVM".padStart(13)} ${"ADC share".padStart(10)}`);
    if (r.adc_model === "cost") lines.push("  (this design's ADC cost is a fixed power or energy spec, so its energy does not change with bits; pick a table, walden, schreier or cimloop model to see it scale)");
    for (const s of r.adc_sweep) {
      lines.push(
        `  ${String(s.adc_bits).padEnd(9)} ${fmt(s.rmse_lsb).padStart(11)} ${fmt(s.max_abs_error_lsb).padStart(16)} ${`${(s.energy_per_mvm_j * 1e9).toFixed(3)} nJ`.padStart(13)} ${`${(100 * s.adc_energy_share).toFixed(1)}%`.padStart(10)}`,
      );
    }
  }
  return lines.join("\n") + "\n";
}
