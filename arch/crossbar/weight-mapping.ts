// Weight → conductance mappings for the standalone MVM path. A weight matrix W (rows × cols,
// row j = input j) becomes target conductances on rows × (cols · cellsPerWeight) physical cells;
// `decode` turns the sensed physical column currents (µS × input units) and the digital sum of the
// inputs back into outputs in weight units.
//
//   single-offset — one device per weight, the CMO/HfOx paper's (aihwkit SingleDeviceConductance-
//     Converter): G = gMin + (w − wMin)·s, s = (gMax − gMin)/(wMax − wMin) over the whole matrix;
//     y = I/s + (wMin − gMin/s)·Σx, the offset subtracted in digital.
//   differential — a pair per weight (aihwkit SinglePairConductanceConverter): s = (gMax − gMin)/max|W|,
//     G⁺ = gMin + max(w, 0)·s, G⁻ = gMin + max(−w, 0)·s; y = (I⁺ − I⁻)/s.
//   bit-sliced — |w| quantised to weightBits, split into slices of cellBits (least significant
//     first), each slice a differential pair of levels 0 … 2^cellBits − 1 between gMin and gMax;
//     y = Σ_s 2^(s·cellBits)·(L⁺_s − L⁻_s)·max|W|/(2^weightBits − 1), L = (I − gMin·Σx)/ΔG.

import { RramsimError } from "../../sim/errors";

export type WeightMappingSpec = { kind: "single-offset" } | { kind: "differential" } | { kind: "bit-sliced"; weightBits: number; cellBits: number };

export interface WeightMapping {
  readonly spec: WeightMappingSpec;
  readonly rows: number;
  readonly cols: number;
  /** physical cells per weight */
  readonly cellsPerWeight: number;
  /** target conductances, rows × (cols · cellsPerWeight), row-major, µS */
  readonly targetUs: Float64Array;
  /** outputs (cols) from physical column currents (cols · cellsPerWeight) and Σ_j x_j */
  decode(currents: Float64Array, sumX: number, out: Float64Array): void;
  /** the weights a conductance matrix represents (rows × cols), for the IR-drop proxy and reports */
  decodeWeights(gUs: Float64Array, out: Float64Array): void;
}

/** max|w|, or 1 when it is 0 or too small to scale the conductance range by. */
function weightScale(a: Float64Array, range: number): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return Number.isFinite(range / m) ? m : 1;
}

export function mapWeights(spec: WeightMappingSpec, w: Float64Array, rows: number, cols: number, gMinUs: number, gMaxUs: number): WeightMapping {
  if (w.length !== rows * cols) throw new RangeError(`weights: expected ${rows * cols} values, got ${w.length}`);
  const range = gMaxUs - gMinUs;
  switch (spec.kind) {
    case "single-offset": {
      let wMin = Infinity;
      let wMax = -Infinity;
      for (let i = 0; i < w.length; i++) {
        wMin = Math.min(wMin, w[i]);
        wMax = Math.max(wMax, w[i]);
      }
      // a constant matrix (or one whose spread is too small to scale) maps to gMin
      if (!Number.isFinite(range / (wMax - wMin))) wMax = wMin + 1;
      const s = range / (wMax - wMin);
      const targetUs = new Float64Array(w.length);
      for (let i = 0; i < w.length; i++) targetUs[i] = gMinUs + (w[i] - wMin) * s;
      const offset = wMin - gMinUs / s;
      return {
        spec,
        rows,
        cols,
        cellsPerWeight: 1,
        targetUs,
        decode(I, sumX, out) {
          for (let c = 0; c < cols; c++) out[c] = I[c] / s + offset * sumX;
        },
        decodeWeights(g, out) {
          for (let i = 0; i < rows * cols; i++) out[i] = wMin + (g[i] - gMinUs) / s;
        },
      };
    }
    case "differential": {
      const m = weightScale(w, range);
      const s = range / m;
      const targetUs = new Float64Array(w.length * 2);
      for (let i = 0; i < w.length; i++) {
        targetUs[2 * i] = gMinUs + Math.max(w[i], 0) * s;
        targetUs[2 * i + 1] = gMinUs + Math.max(-w[i], 0) * s;
      }
      return {
        spec,
        rows,
        cols,
        cellsPerWeight: 2,
        targetUs,
        decode(I, _sumX, out) {
          for (let c = 0; c < cols; c++) out[c] = (I[2 * c] - I[2 * c + 1]) / s;
        },
        decodeWeights(g, out) {
          for (let i = 0; i < rows * cols; i++) out[i] = (g[2 * i] - g[2 * i + 1]) / s;
        },
      };
    }
    case "bit-sliced": {
      const { weightBits, cellBits } = spec;
      if (!(Number.isInteger(weightBits) && weightBits >= 1 && weightBits <= 32)) throw new RramsimError("CLI_ARGUMENT", `weight bits must be an integer in [1, 32] (got ${weightBits})`);
      if (!(Number.isInteger(cellBits) && cellBits >= 1 && cellBits <= weightBits)) throw new RramsimError("CLI_ARGUMENT", `cell bits must be an integer in [1, weight bits] (got ${cellBits})`);
      const slices = Math.ceil(weightBits / cellBits);
      const k = 2 * slices;
      const cellMax = 2 ** cellBits - 1;
      const qMax = 2 ** weightBits - 1;
      const m = weightScale(w, range);
      const dG = range / cellMax;
      const targetUs = new Float64Array(w.length * k);
      for (let i = 0; i < w.length; i++) {
        let q = Math.round((Math.abs(w[i]) / m) * qMax);
        const pos = w[i] >= 0 ? 0 : 1;
        for (let sl = 0; sl < slices; sl++) {
          const level = q % (cellMax + 1);
          q = Math.floor(q / (cellMax + 1));
          targetUs[i * k + 2 * sl + pos] = gMinUs + level * dG;
          targetUs[i * k + 2 * sl + (1 - pos)] = gMinUs;
        }
      }
      const lsb = m / qMax;
      return {
        spec,
        rows,
        cols,
        cellsPerWeight: k,
        targetUs,
        decode(I, _sumX, out) {
          for (let c = 0; c < cols; c++) {
            let acc = 0;
            for (let sl = slices - 1; sl >= 0; sl--) acc = acc * (cellMax + 1) + (I[c * k + 2 * sl] - I[c * k + 2 * sl + 1]) / dG;
            out[c] = acc * lsb;
          }
        },
        decodeWeights(g, out) {
          for (let i = 0; i < rows * cols; i++) {
            let acc = 0;
            for (let sl = slices - 1; sl >= 0; sl--) acc = acc * (cellMax + 1) + (g[i * k + 2 * sl] - g[i * k + 2 * sl + 1]) / dG;
            out[i] = acc * lsb;
          }
        },
      };
    }
  }
}
