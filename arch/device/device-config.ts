// Device configs: what `configs/device/*.yaml` may say, checked once with zod (unknown keys refused,
// quantities with units such as "40uS" or "0.35Ohm"), then frozen. One variant per device model,
// chosen by `kind:`; the sections shared by all kinds (mapping, wire, faults, variation, read noise
// per read, I-V nonlinearity) compose with any of them. Conductances are canonical µS, times are
// read in ticks (ps) by the unit parser and stored here in seconds.

import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { loadConfig, nonNegativeQuantity, positiveQuantity } from "../../sim/config";
import { RramsimError } from "../../sim/errors";
import { TICKS_PER_SECOND } from "../../sim/time";
import { packagePath } from "../../sim/package-root";

const PS_PER_S = TICKS_PER_SECOND;

/** How a signed weight becomes conductances (see arch/crossbar/weight-mapping.ts). */
export const MAPPING_KINDS = ["single-offset", "differential"] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

const rate = z.number().min(0).max(1);

const common = {
  /** human-readable name for reports */
  name: z.string().optional(),
  gMin: nonNegativeQuantity("conductance"),
  gMax: positiveQuantity("conductance"),
  /** default weight → conductance mapping for the standalone MVM path */
  mapping: z.enum(MAPPING_KINDS).default("differential"),
  /** wire parameters for the IR-drop models */
  wire: z
    .strictObject({
      /** resistance of one wire segment between adjacent cells */
      segmentResistance: nonNegativeQuantity("resistance").default(0.35),
      /** the conductance that the linearised model takes as |w| = 1 (aihwkit's physical g_max) */
      gRef: positiveQuantity("conductance").optional(),
    })
    .default({ segmentResistance: 0.35 }),
  /** stuck-at faults, drawn per cell when the array is programmed */
  faults: z
    .strictObject({ stuckOnRate: rate.default(0), stuckOffRate: rate.default(0) })
    .refine((f) => f.stuckOnRate + f.stuckOffRate <= 1, { message: "stuckOnRate + stuckOffRate must be ≤ 1", params: { rramsimCode: "CONFIG_RANGE" } })
    .default({ stuckOnRate: 0, stuckOffRate: 0 }),
  /** device-to-device variation: a persistent per-cell gain N(1, d2dStd) on the conductance */
  variation: z.strictObject({ d2dStd: z.number().min(0).max(1).default(0) }).default({ d2dStd: 0 }),
  /** cycle-to-cycle read noise: σ of each cell's conductance, drawn afresh at every read */
  perReadNoise: nonNegativeQuantity("conductance").default(0),
  /** optional I-V nonlinearity: cell current ∝ G·sinh(k·v)/sinh(k), v the input as a fraction of full scale */
  ivNonlinearity: z.strictObject({ kind: z.literal("sinh"), k: z.number().positive().max(20) }).optional(),
};

export const IdealDeviceSchema = z.strictObject({ kind: z.literal("ideal"), ...common });

export const CmoHfoxDeviceSchema = z.strictObject({
  kind: z.literal("cmo-hfox"),
  ...common,
  /** program-and-verify acceptance range, in percent of G_target */
  acceptance: z.union([z.literal(0.2), z.literal(2)]).default(0.2),
  progNoiseScale: z.number().min(0).default(1),
  /** multiplies both the relaxation mean shift and its σ */
  driftScale: z.number().min(0).default(1),
  readNoiseScale: z.number().min(0).default(1),
  /** read pulse width of the read-noise model (Lombardo et al.: 1 µs) */
  readPulse: positiveQuantity("time").default(1e6),
});

export const Wan2022DeviceSchema = z.strictObject({
  kind: z.literal("wan2022"),
  ...common,
  progNoiseScale: z.number().min(0).default(1),
});

export const MultiLevelDeviceSchema = z.strictObject({
  kind: z.literal("multilevel"),
  ...common,
  levels: z.number().int().min(2).max(65536),
  /** programming error σ, in units of the level spacing */
  progErrorLevels: z.number().min(0).default(0),
  /** read variation σ per read, in units of the level spacing */
  readVariationLevels: z.number().min(0).default(0),
});

export const DeviceConfigSchema = z
  .discriminatedUnion("kind", [IdealDeviceSchema, CmoHfoxDeviceSchema, Wan2022DeviceSchema, MultiLevelDeviceSchema])
  .refine((d) => d.gMax > d.gMin, { message: "gMax must be > gMin", path: ["gMax"], params: { rramsimCode: "CONFIG_RANGE" } });

export type DeviceConfig = z.output<typeof DeviceConfigSchema>;
export type DeviceKind = DeviceConfig["kind"];

/** The read pulse of a CMO/HfOx config in seconds. */
export function readPulseS(d: z.output<typeof CmoHfoxDeviceSchema>): number {
  return d.readPulse / PS_PER_S;
}

/** Folder of the bundled presets. */
export const DEVICE_PRESET_DIR = packagePath("configs", "device");

/** Names of the bundled device presets (file names without extension). */
export function devicePresets(): string[] {
  let files: string[];
  try {
    files = fs.readdirSync(DEVICE_PRESET_DIR);
  } catch {
    return [];
  }
  return files
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => f.replace(/\.(ya?ml|json)$/, ""))
    .sort();
}

/**
 * A validated device config from a preset name ("cmo-hfox") or a YAML/JSON file path. Bad files give
 * the config loader's one-line errors; an unknown name that is not a file gives CONFIG_READ.
 */
export function loadDevice(presetOrFile: string): DeviceConfig {
  const looksLikeFile = /[\\/]/.test(presetOrFile) || /\.(ya?ml|json)$/.test(presetOrFile);
  if (!looksLikeFile) {
    for (const ext of [".yaml", ".yml", ".json"]) {
      const f = path.join(DEVICE_PRESET_DIR, presetOrFile + ext);
      if (fs.existsSync(f)) return loadConfig(DeviceConfigSchema, f);
    }
    if (!fs.existsSync(presetOrFile)) {
      throw new RramsimError("CONFIG_READ", `no device preset '${presetOrFile}' (known: ${devicePresets().join(", ")}) and no such file`);
    }
  }
  return loadConfig(DeviceConfigSchema, presetOrFile);
}
