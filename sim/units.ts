// One parser for every physical quantity in configs and on the command line. A value is either a
// plain number, already in the canonical unit, or a string with an SI prefix and a unit:
// "100ns", "1.2GHz", "2mW", "0.0096mm2", "3.1pJ", "40uS", "64KB". Canonical units are the ones the
// model code uses in its names: time in ticks (ps), frequency in Hz, power in mW, energy in pJ,
// area in µm², conductance in µS, resistance in Ω, current in µA, voltage in V, data in bytes.

import { RramsimError } from "./errors";

export type Dimension = "time" | "frequency" | "power" | "energy" | "area" | "conductance" | "resistance" | "current" | "voltage" | "data" | "bandwidth";

/** Branded canonical-unit numbers, so a pJ cannot be passed where a mW is expected. */
/** Joules in a picojoule: energy tables are in pJ, reports in J. */
export const J_PER_PJ = 1e-12;
/** Picojoules in a joule (a model in J into a cost table in pJ). */
export const PJ_PER_J = 1e12;
/** Operations in a tera-operation (TOPS, TOPS/W). */
export const OPS_PER_TERA = 1e12;

export type Pj = number & { readonly __unit: "pJ" };
export type Mw = number & { readonly __unit: "mW" };
export type Um2 = number & { readonly __unit: "um2" };
export type Hz = number & { readonly __unit: "Hz" };
export type Us = number & { readonly __unit: "uS" };

interface DimensionSpec {
  /** unit symbols, each with its factor to the canonical unit */
  units: Record<string, number>;
  canonical: string;
  integer?: boolean;
}

const SI: Record<string, number> = {
  "": 1,
  T: 1e12,
  G: 1e9,
  M: 1e6,
  k: 1e3,
  m: 1e-3,
  u: 1e-6,
  µ: 1e-6,
  n: 1e-9,
  p: 1e-12,
  f: 1e-15,
  a: 1e-18,
};

function prefixed(symbol: string, factorToCanonical: number, prefixes = Object.keys(SI)): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of prefixes) out[p + symbol] = SI[p] * factorToCanonical;
  return out;
}

const DIMENSIONS: Record<Dimension, DimensionSpec> = {
  time: { canonical: "ps (ticks)", integer: true, units: { ...prefixed("s", 1e12), min: 60e12, h: 3600e12, d: 86400e12, y: 365 * 86400e12 } },
  frequency: { canonical: "Hz", units: prefixed("Hz", 1) },
  power: { canonical: "mW", units: prefixed("W", 1e3) },
  energy: { canonical: "pJ", units: prefixed("J", 1e12) },
  area: {
    canonical: "um2",
    units: { m2: 1e12, mm2: 1e6, um2: 1, µm2: 1, nm2: 1e-6, "mm²": 1e6, "um²": 1, "µm²": 1 },
  },
  conductance: { canonical: "uS", units: prefixed("S", 1e6) },
  resistance: { canonical: "Ohm", units: { ...prefixed("Ohm", 1), ...prefixed("Ω", 1) } },
  current: { canonical: "uA", units: prefixed("A", 1e6) },
  voltage: { canonical: "V", units: prefixed("V", 1) },
  data: {
    canonical: "B",
    units: { b: 1 / 8, bit: 1 / 8, B: 1, KB: 1024, KiB: 1024, MB: 1024 ** 2, MiB: 1024 ** 2, GB: 1024 ** 3, GiB: 1024 ** 3 },
  },
  bandwidth: { canonical: "B/s", units: { "B/s": 1, "KB/s": 1e3, "MB/s": 1e6, "GB/s": 1e9, "TB/s": 1e12, bps: 1 / 8, Gbps: 1e9 / 8 } },
};

const QUANTITY = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([^\s\d].*?)?\s*$/;

/**
 * Parses a quantity into the canonical unit of `dim`. Throws CONFIG_UNIT (wrong or unknown unit)
 * or CONFIG_TYPE (not a number at all); the caller adds the file and field to the message.
 */
export function parseQuantity(value: string | number, dim: Dimension): number {
  const spec = DIMENSIONS[dim];
  let out: number;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RramsimError("CONFIG_TYPE", `${value} is not a finite number`);
    out = value;
  } else {
    const m = QUANTITY.exec(value);
    if (!m) throw new RramsimError("CONFIG_TYPE", `"${value}" is not a ${dim} (expected e.g. ${example(dim)})`);
    const [, num, unit] = m;
    if (unit === undefined) {
      out = Number(num);
    } else {
      const factor = spec.units[unit];
      if (factor === undefined) {
        throw new RramsimError("CONFIG_UNIT", `"${value}": unit '${unit}' is not a unit of ${dim} (expected e.g. ${example(dim)})`);
      }
      out = Number(num) * factor;
    }
  }
  if (spec.integer) {
    const r = Math.round(out);
    // Time must land on a whole picosecond; tolerate float noise from the prefix multiply.
    if (Math.abs(r - out) > 1e-6 * Math.max(1, Math.abs(out))) {
      throw new RramsimError("CONFIG_RANGE", `${JSON.stringify(value)} is not a whole number of picoseconds`);
    }
    out = r;
  }
  return out;
}

function example(dim: Dimension): string {
  const ex: Record<Dimension, string> = {
    time: '"100ns"',
    frequency: '"1.2GHz"',
    power: '"2mW"',
    energy: '"3.1pJ"',
    area: '"0.0096mm2"',
    conductance: '"40uS"',
    resistance: '"0.35Ohm"',
    current: '"7uA"',
    voltage: '"0.2V"',
    data: '"64KB"',
    bandwidth: '"6.4GB/s"',
  };
  return ex[dim];
}

export function canonicalUnit(dim: Dimension): string {
  return DIMENSIONS[dim].canonical;
}

/** Formats a number with an SI prefix and unit for tables: formatSi(1.5e-6, "J") → "1.50 µJ". */
export function formatSi(value: number, unit: string, digits = 3): string {
  if (value === 0) return `0 ${unit}`;
  const prefixes: [number, string][] = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
    [1, ""],
    [1e-3, "m"],
    [1e-6, "µ"],
    [1e-9, "n"],
    [1e-12, "p"],
    [1e-15, "f"],
  ];
  const a = Math.abs(value);
  for (const [f, p] of prefixes) {
    if (a >= f * 0.9995) return `${(value / f).toPrecision(digits)} ${p}${unit}`;
  }
  return `${(value / 1e-15).toPrecision(digits)} f${unit}`;
}
