// The point runners that ship with the sweep engine:
// - `cost`: the design's static cost under the point's overrides (arch/chip/cost.ts, the function
//   behind `rramsim cost`): area, peak power, peak throughput, TOPS/W, TOPS/mm², and per-kind power
//   and area breakdowns. Deterministic and seedless.
// - `mvmu`: one MVM experiment through the design's MVM unit (tile.mvmu, the experiment behind
//   `rramsim mvm --arch`): a random integer matrix filling one MVM unit and `--samples` random input
//   vectors in the unit's operand ranges, drawn from the point's seed; error against the exact
//   integer product in output LSBs, energy and time per MVM, effective TOPS/W of those MVMs
//   (2 ops per MAC over the energy the ledger counted), energy per part.
// The end-to-end `run` runner joins with one more line in BUILTINS below.
// Left out: the cost runner reports no energy (a static roll-up has none); the mvmu runner uses one
// MVM unit, not a matrix cut over several.

import { archCost } from "../../arch/chip/cost";
import { loadDevice, type DeviceConfig } from "../../arch/device/device-config";
import { IR_DROP_MODELS, type IrDropModel } from "../../arch/crossbar/ir-drop";
import { adcBitsLossless, mvmuGeometryInfo, mvmuInputRange, mvmuWeightRange } from "../../arch/mvmu/encoding";
import type { MvmuFidelity } from "../../arch/mvmu/mvmu";
import { runMvmuExperiment } from "../../app/experiments/mvm-unit";
import { RramsimError } from "../../sim/errors";
import { RandomStream } from "../../sim/random";
import { OPS_PER_TERA, parseQuantity } from "../../sim/units";
import { registerPointRunner, type PointMetrics, type PointRunner, type PointRunnerFlags } from "./runner";
import { TICKS_PER_SECOND } from "../../sim/time";

function flagError(runner: string, msg: string): RramsimError {
  return new RramsimError("CLI_ARGUMENT", `sweep --runner ${runner}: ${msg}`);
}

/** `cost`: static cost of the design at each point. */
export const costPointRunner: PointRunner<Record<string, never>> = {
  description: "static area, peak power, peak throughput, TOPS/W and TOPS/mm² (as rramsim cost)",
  defaultJobs: 1,
  parseArgs: () => ({}),
  runPoint({ design }) {
    const r = archCost(design);
    const m: PointMetrics = {
      area_mm2: r.area_mm2,
      power_w: r.power_w,
      peak_ops_per_s: r.peak_ops_per_s,
      tops_per_w: r.tops_per_w,
      tops_per_mm2: r.tops_per_mm2,
      mvm_latency_s: r.mvm.latency_s,
      mvm_interval_s: r.mvm.interval_s,
      mvmus: r.mvmus,
    };
    const kinds = Object.keys(r.by_kind).sort();
    for (const k of kinds) m[`power_breakdown_w.${k}`] = r.by_kind[k].power_w;
    for (const k of kinds) m[`area_breakdown_mm2.${k}`] = r.by_kind[k].area_mm2;
    return m;
  },
};

export interface MvmuPointArgs {
  samples: number;
  fidelity: MvmuFidelity;
  device: { name: string; config: DeviceConfig } | null;
  irDrop: IrDropModel;
  timeS: number;
}

const FIDELITIES: readonly MvmuFidelity[] = ["ideal", "physical", "timing"];

function parseMvmuArgs(f: PointRunnerFlags): MvmuPointArgs {
  const str = (k: string): string | undefined => (typeof f[k] === "string" ? (f[k] as string) : undefined);
  const samplesText = str("samples") ?? "16";
  if (!/^\d+$/.test(samplesText.trim()) || Number(samplesText) < 1 || Number(samplesText) > 100_000) throw flagError("mvmu", `--samples: '${samplesText}' must be an integer in [1, 100000]`);
  const fidelity = (str("fidelity") ?? "ideal") as MvmuFidelity;
  if (!FIDELITIES.includes(fidelity)) throw flagError("mvmu", `--fidelity: '${fidelity}' is not one of ${FIDELITIES.join(", ")}`);
  const irDrop = (str("irDrop") ?? "off") as IrDropModel;
  if (!IR_DROP_MODELS.includes(irDrop)) throw flagError("mvmu", `--ir-drop: '${irDrop}' is not one of ${IR_DROP_MODELS.join(", ")}`);
  const deviceName = str("device");
  if (fidelity === "physical" && deviceName === undefined) throw flagError("mvmu", "--fidelity physical needs --device (a device preset or YAML file)");
  if (fidelity !== "physical" && deviceName !== undefined) throw flagError("mvmu", "--device applies to --fidelity physical only");
  if (fidelity !== "physical" && irDrop !== "off") throw flagError("mvmu", "--ir-drop applies to --fidelity physical only");
  let timeS = 1;
  const t = str("time");
  if (t !== undefined) {
    try {
      timeS = /^\d+(\.\d+)?$/.test(t) ? Number(t) : parseQuantity(t, "time") / TICKS_PER_SECOND;
    } catch {
      throw flagError("mvmu", `--time: '${t}' is not a read time after programming (e.g. 1s, 1d)`);
    }
  }
  // the device's validated data (not its name) goes into the args, so it is part of each point's key
  const device = deviceName === undefined ? null : { name: deviceName, config: structuredClone(loadDevice(deviceName)) };
  return { samples: Number(samplesText), fidelity, device, irDrop, timeS };
}

function randomInts(n: number, lo: number, hi: number, rs: RandomStream): number[] {
  return Array.from({ length: n }, () => lo + rs.int(hi - lo + 1));
}

/** `mvmu`: one MVM experiment through the design's MVM unit at each point. */
export const mvmuPointRunner: PointRunner<MvmuPointArgs> = {
  description: "one MVM experiment through the design's MVM unit: error in LSBs, energy and time per MVM (as rramsim mvm --arch)",
  options: [
    { flags: "--samples <n>", description: "samples per point (mvmu: input vectors, default 16)" },
    { flags: "--fidelity <f>", description: "ideal | physical (needs --device) | timing (default ideal)" },
    { flags: "--device <preset|file>", description: "mvmu, physical fidelity: device preset or YAML file" },
    { flags: "--ir-drop <model>", description: `mvmu, physical fidelity: ${IR_DROP_MODELS.join(" | ")} (default off)` },
    { flags: "--time <t>", description: "mvmu, physical fidelity: read time after programming (default 1s)" },
  ],
  parseArgs: parseMvmuArgs,
  runPoint({ design, args, seed }) {
    const p = design.config.tile.mvmu;
    const g = mvmuGeometryInfo(p);
    const rows = g.rows;
    const cols = g.logicalCols;
    const w = mvmuWeightRange(p);
    const i = mvmuInputRange(p);
    const r = runMvmuExperiment({
      arch: design.config.name,
      params: p,
      fidelity: args.fidelity,
      rows,
      cols,
      weights: randomInts(rows * cols, w.min, w.max, new RandomStream(seed, "mvm.weights")),
      vectors: args.samples,
      inputs: randomInts(args.samples * rows, i.min, i.max, new RandomStream(seed, "mvm.inputs")),
      device: args.device?.config,
      deviceName: args.device?.name,
      irDrop: args.irDrop,
      timeS: args.timeS,
      seed,
    });
    const m: PointMetrics = {
      rows,
      cols,
      adc_bits: r.adc_bits,
      adc_bits_lossless: adcBitsLossless(p),
      exact: r.exact,
      rmse_lsb: r.rmse_lsb,
      max_abs_error_lsb: r.max_abs_error_lsb,
      energy_per_mvm_j: r.energy_per_mvm_j,
      time_per_mvm_s: r.latency_s / args.samples,
      latency_s: r.latency_s,
      tops_per_w: r.energy_j > 0 ? (2 * rows * cols * args.samples) / r.energy_j / OPS_PER_TERA : null,
    };
    for (const [k, v] of Object.entries(r.energy_breakdown_j)) m[`energy_per_mvm_breakdown_j.${k}`] = v / args.samples;
    return m;
  },
};

// One line per built-in runner (the end-to-end runner joins as ["run", runPointRunner]).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- runners of different argument types in one list (PointRunner<A> is invariant in A); the registry erases A anyway
const BUILTINS: ReadonlyArray<[string, PointRunner<any>]> = [
  ["cost", costPointRunner],
  ["mvmu", mvmuPointRunner],
];

/** Runners registered by this module (worker threads load it, so they need no module of their own). */
export const BUILTIN_RUNNERS: ReadonlySet<string> = new Set(BUILTINS.map(([name]) => name));

for (const [name, runner] of BUILTINS) registerPointRunner(name, runner);
