// `rramsim mvm`: one matrix-vector product experiment through a device model — a weight matrix on
// one crossbar, a batch of input vectors, read at chosen times after programming, compared with the
// floating-point product. Flags arrive as strings and are checked in `buildMvmOptions` (one-line
// CLI_ARGUMENT / INPUT_FILE errors); `runMvmCommand` is the dispatch point on `target.kind`.

import * as fs from "node:fs";
import { RramsimError } from "../../sim/errors";
import { RandomStream } from "../../sim/random";
import { parseQuantity } from "../../sim/units";
import { validate } from "../../sim/config";
import { DeviceConfigSchema, loadDevice, MAPPING_KINDS, type DeviceConfig, type MappingKind } from "../../arch/device/device-config";
import { IR_DROP_MODELS, type IrDropModel } from "../../arch/crossbar/ir-drop";
import { runFunctionalMvm, type MvmReport, type QuantiserSpec } from "../../arch/crossbar/functional-mvm";
import { renderPng, renderSvg, type VegaLiteSpec } from "../../traces/plot";
import { writeFileAtomic } from "../../sim/files";
import { TICKS_PER_SECOND } from "../../sim/time";

/** The flags as commander hands them over (strings, unchecked). */
export interface MvmFlags {
  device: string;
  rows?: string;
  cols?: string;
  vectors?: string;
  weights?: string;
  inputs?: string;
  dacBits?: string;
  adcBits?: string;
  adcBound?: string;
  irDrop?: string;
  acceptance?: string;
  mapping?: string;
  driftCompensation?: boolean;
  time?: string;
  seed?: string;
  json?: boolean;
  plot?: string;
}

/** What is being measured: a bare device crossbar (the functional path). */
export type MvmTarget = { kind: "device" };

export interface MvmCommandOptions {
  target: MvmTarget;
  device: DeviceConfig;
  deviceName: string;
  rows: number;
  cols: number;
  vectors: number;
  /** rows × cols, row-major */
  weights: Float64Array;
  weightsSource: string;
  /** vectors × rows */
  inputs: Float64Array;
  inputsSource: string;
  dac?: QuantiserSpec;
  adc?: QuantiserSpec;
  irDrop: IrDropModel;
  mapping?: MappingKind;
  driftCompensation: boolean;
  timesS: number[];
  seed: number;
  json: boolean;
  plot?: string;
}

export const DEFAULT_TIME = "1s";

function cliError(msg: string): RramsimError {
  return new RramsimError("CLI_ARGUMENT", `mvm: ${msg}`);
}

/** An integer flag in [min, max]; undefined when absent. */
export function intFlag(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[-+]?\d+$/.test(v.trim())) throw cliError(`--${name}: '${v}' is not an integer`);
  const n = Number(v);
  if (n < min || n > max) throw cliError(`--${name}: ${n} is outside [${min}, ${max}]`);
  return n;
}

function numberFlag(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw cliError(`--${name}: '${v}' is not a number`);
  if (n < min || n > max) throw cliError(`--${name}: ${n} is outside [${min}, ${max}]`);
  return n;
}

function choiceFlag<T extends string>(name: string, v: string | undefined, choices: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) throw cliError(`--${name}: '${v}' is not one of ${choices.join(", ")}`);
  return v as T;
}

const MAX_AGE_S = 100 * 365 * 86400;

/** "1s,1h,1d,1y,10y" → seconds; a bare number is seconds. */
export function parseTimes(spec: string): number[] {
  const parts = spec.split(",").map((s) => s.trim());
  if (parts.some((p) => p === "")) throw cliError(`--time: '${spec}' has an empty entry`);
  return parts.map((p) => {
    let s: number;
    if (/^\d+(\.\d+)?$/.test(p)) s = Number(p);
    else {
      try {
        s = parseQuantity(p, "time") / TICKS_PER_SECOND;
      } catch {
        throw cliError(`--time: '${p}' is not a time (e.g. 1s, 1h, 1d, 1y, 10y)`);
      }
    }
    s = Math.round(s * 1e6) / 1e6;
    if (!(s >= 0 && s <= MAX_AGE_S)) throw cliError(`--time: '${p}' is outside [0 s, 100 y]`);
    return s;
  });
}

/** Reads a JSON matrix (array of arrays of finite numbers); errors are one-line INPUT_FILE naming the file. */
export function readMatrixFile(file: string, what: string, expectCols?: number, range?: [number, number]): { data: Float64Array; rows: number; cols: number } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new RramsimError("INPUT_FILE", `${file}: cannot read ${what} (${why})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RramsimError("INPUT_FILE", `${file}: ${what} is not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((r) => Array.isArray(r))) {
    throw new RramsimError("INPUT_FILE", `${file}: ${what} must be a non-empty JSON array of arrays of numbers`);
  }
  const rows = raw.length;
  const cols = (raw[0] as unknown[]).length;
  if (cols === 0) throw new RramsimError("INPUT_FILE", `${file}: ${what}[0] is empty`);
  if (expectCols !== undefined && cols !== expectCols) {
    throw new RramsimError("INPUT_FILE", `${file}: ${what} rows have ${cols} values, expected ${expectCols}`);
  }
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = raw[i] as unknown[];
    if (row.length !== cols) throw new RramsimError("INPUT_FILE", `${file}: ${what}[${i}] has ${row.length} values, expected ${cols}`);
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new RramsimError("INPUT_FILE", `${file}: ${what}[${i}][${j}] is not a finite number (got ${JSON.stringify(v)})`);
      if (range && (v < range[0] || v > range[1])) throw new RramsimError("INPUT_FILE", `${file}: ${what}[${i}][${j}] = ${v} is outside [${range[0]}, ${range[1]}]`);
      data[i * cols + j] = v;
    }
  }
  return { data, rows, cols };
}

function generated(kind: "normal" | "uniform", n: number, rs: RandomStream): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = kind === "normal" ? rs.normal() : 2 * rs.uniform() - 1;
  return a;
}

/** Checks the flags and builds the experiment: every bad value is a one-line RramsimError. */
export function buildMvmOptions(f: MvmFlags): MvmCommandOptions {
  if (!f.device) throw cliError("--device is required (a preset such as cmo-hfox, or a device YAML file)");
  let device = loadDevice(f.device);
  const seed = intFlag("seed", f.seed, 0, 2 ** 31 - 1) ?? 1;

  const acceptance = f.acceptance === undefined ? undefined : choiceFlag("acceptance", f.acceptance, ["0.2", "2"] as const);
  if (acceptance !== undefined) {
    if (device.kind !== "cmo-hfox") throw cliError(`--acceptance applies to the cmo-hfox device model only (this device is '${device.kind}')`);
    device = validate(DeviceConfigSchema, { ...device, acceptance: Number(acceptance) }, "--acceptance");
  }

  let rows = intFlag("rows", f.rows, 1, 4096);
  let cols = intFlag("cols", f.cols, 1, 4096);
  const weightsSpec = f.weights ?? "normal";
  let weights: Float64Array;
  if (weightsSpec === "normal" || weightsSpec === "uniform") {
    rows ??= 64;
    cols ??= 64;
    weights = generated(weightsSpec, rows * cols, new RandomStream(seed, "mvm.weights"));
  } else {
    const m = readMatrixFile(weightsSpec, "weights");
    if (rows !== undefined && rows !== m.rows) throw cliError(`--rows ${rows} does not match ${weightsSpec} (${m.rows} rows)`);
    if (cols !== undefined && cols !== m.cols) throw cliError(`--cols ${cols} does not match ${weightsSpec} (${m.cols} columns)`);
    rows = m.rows;
    cols = m.cols;
    weights = m.data;
  }

  let vectors = intFlag("vectors", f.vectors, 1, 1_000_000);
  const inputsSpec = f.inputs ?? "uniform";
  let inputs: Float64Array;
  if (inputsSpec === "uniform") {
    vectors ??= 100;
    inputs = generated("uniform", vectors * rows, new RandomStream(seed, "mvm.inputs"));
  } else if (inputsSpec === "normal") {
    vectors ??= 100;
    inputs = generated("normal", vectors * rows, new RandomStream(seed, "mvm.inputs"));
    // scaled into [−1, 1] by the largest magnitude, as the weights are
    let m = 0;
    for (const v of inputs) m = Math.max(m, Math.abs(v));
    if (m > 0) for (let i = 0; i < inputs.length; i++) inputs[i] /= m;
  } else {
    const m = readMatrixFile(inputsSpec, "inputs", rows, [-1, 1]);
    if (vectors !== undefined && vectors !== m.rows) throw cliError(`--vectors ${vectors} does not match ${inputsSpec} (${m.rows} vectors)`);
    vectors = m.rows;
    inputs = m.data;
  }

  const dacBits = intFlag("dac-bits", f.dacBits, 2, 24);
  const adcBits = intFlag("adc-bits", f.adcBits, 2, 24);
  const adcBound = numberFlag("adc-bound", f.adcBound, 1e-9, 1e9);
  if (adcBound !== undefined && adcBits === undefined) throw cliError("--adc-bound needs --adc-bits");
  const irDrop = choiceFlag("ir-drop", f.irDrop, IR_DROP_MODELS) ?? "off";
  if (irDrop !== "off" && !(device.wire.segmentResistance > 0)) throw cliError(`--ir-drop ${irDrop}: the device's wire.segmentResistance is 0`);
  const mapping = choiceFlag("mapping", f.mapping, MAPPING_KINDS);

  return {
    target: { kind: "device" },
    device,
    deviceName: f.device,
    rows,
    cols,
    vectors,
    weights,
    weightsSource: weightsSpec,
    inputs,
    inputsSource: inputsSpec,
    dac: dacBits !== undefined ? { bits: dacBits, bound: 1 } : undefined,
    adc: adcBits !== undefined ? { bits: adcBits, bound: adcBound ?? 15 } : undefined,
    irDrop,
    mapping,
    driftCompensation: f.driftCompensation ?? false,
    timesS: parseTimes(f.time ?? DEFAULT_TIME),
    seed,
    json: f.json ?? false,
    plot: f.plot,
  };
}

/** Runs the experiment the options describe (the dispatch point on the target kind). */
export function runMvmCommand(o: MvmCommandOptions): MvmReport {
  switch (o.target.kind) {
    case "device":
      return runFunctionalMvm({
        device: o.device,
        deviceName: o.deviceName,
        rows: o.rows,
        cols: o.cols,
        weights: o.weights,
        vectors: o.vectors,
        inputs: o.inputs,
        dac: o.dac,
        adc: o.adc,
        irDrop: o.irDrop,
        timesS: o.timesS,
        seed: o.seed,
        mapping: o.mapping ? { kind: o.mapping } : undefined,
        driftCompensation: o.driftCompensation,
      });
  }
}

/** "1 s", "1 h", "10 y", ... for reports. */
export function formatAge(s: number): string {
  const units: [number, string][] = [
    [365 * 86400, "y"],
    [86400, "d"],
    [3600, "h"],
    [60, "min"],
    [1, "s"],
  ];
  for (const [f, u] of units) if (s >= f) return `${+(s / f).toPrecision(4)} ${u}`;
  return `${+s.toPrecision(4)} s`;
}

/** The vega-lite spec of RMSE against time after programming. */
export function mvmPlotSpec(r: MvmReport): VegaLiteSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: `MVM RMSE — ${r.device}, ${r.rows}×${r.cols}`, subtitle: `IR drop: ${r.ir_drop}` },
    width: 480,
    height: 300,
    background: "white",
    data: { values: r.points.map((p) => ({ time_s: Math.max(p.time_s, 1e-3), rmse: p.rmse, age: formatAge(p.time_s) })) },
    layer: [{ mark: { type: "line", point: true } }, { mark: { type: "text", dy: -10 }, encoding: { text: { field: "rmse", type: "quantitative", format: ".3f" } } }],
    encoding: {
      x: { field: "time_s", type: "quantitative", scale: { type: "log" }, title: "time after programming [s]" },
      y: { field: "rmse", type: "quantitative", title: "RMSE (weights scaled to max|W| = 1)" },
    },
  };
}

export function formatMvmReport(r: MvmReport): string {
  const q = (b: number | null, bound: number | null) => (b === null ? "off" : `${b} bit${bound !== null ? ` (bound ${bound})` : ""}`);
  const lines = [
    `mvm: ${r.device} (${r.device_kind}), ${r.rows}×${r.cols}, ${r.vectors} vectors, mapping ${r.mapping}, seed ${r.seed}`,
    `  DAC ${q(r.dac_bits, r.dac_bits === null ? null : 1)}, ADC ${q(r.adc_bits, r.adc_bound)}, IR drop ${r.ir_drop}${r.drift_compensation ? ", global drift compensation" : ""}`,
    `  floating-point output RMS ${r.fp_output_rms.toFixed(4)}`,
    "",
    `  ${"time".padEnd(10)} ${"RMSE".padStart(8)} ${"ΔG mean [µS]".padStart(13)} ${"ΔG std [µS]".padStart(12)} ${"max |err|".padStart(10)} ${"ADC clip".padStart(9)}`,
    ...r.points.map(
      (p) =>
        `  ${formatAge(p.time_s).padEnd(10)} ${p.rmse.toFixed(4).padStart(8)} ${p.g_error_mean_us.toFixed(3).padStart(13)} ${p.g_error_std_us.toFixed(3).padStart(12)} ${p.max_abs_error.toFixed(4).padStart(10)} ${(100 * p.adc_clipped_fraction).toFixed(1).padStart(8)}%`,
    ),
  ];
  return lines.join("\n") + "\n";
}

/** Writes the RMSE-against-time chart: SVG, or PNG when the file name ends in .png. */
export async function writeMvmPlot(r: MvmReport, file: string): Promise<void> {
  const svg = await renderSvg(mvmPlotSpec(r));
  writeFileAtomic(file, /\.png$/i.test(file) ? renderPng(svg) : svg);
}
