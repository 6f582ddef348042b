// The standalone functional MVM experiment behind `rramsim mvm`: one weight matrix mapped onto one
// crossbar of a device, read with a batch of input vectors at chosen times after programming, and
// compared with the floating-point product. Set-up after the CMO/HfOx paper (aihwkit example 34):
// weights scaled to max|W| = 1, inputs in [−1, 1]; DAC: x ← clip(roundHalfEven(x/Δ)·Δ, ±bound) with
// Δ = 2·bound/(2^bits − 2) (a symmetric 2^bits − 1 level quantiser, bound 1); the analog product
// (column sums, or the exact nodal solution), then the linearised IR drop in weight units with |w| as
// the conductance proxy (aihwkit's), output-referred per-read noise, the ADC with the same rule in
// output units (bound e.g. 15) and optional global drift compensation. The RMSE is a plain RMSE over
// all outputs of all vectors against W·x with unquantised x.
//
// Randomness: every time point draws from its own stream (`mvm.crossbar.age@<t>`), so a point's
// numbers do not depend on which other times were asked for.

import { RandomStream } from "../../sim/random";
import { roundHalfEven } from "../../sim/fixed-point";
import type { DeviceConfig, MappingKind } from "../device/device-config";
import { createDeviceModel } from "../device/device-factory";
import { CellVariation, ivTransfer } from "../device/cell-variation";
import { applyLinearIrDrop, irDropLabel, NodalIrSolver, type IrDropModel } from "./ir-drop";
import { mapWeights, type WeightMappingSpec } from "./weight-mapping";

export interface QuantiserSpec {
  bits: number;
  bound: number;
}

export interface FunctionalMvmOptions {
  device: DeviceConfig;
  /** the name reported for the device (preset or file) */
  deviceName: string;
  rows: number;
  cols: number;
  /** rows × cols, row-major (row r = input r) */
  weights: Float64Array;
  vectors: number;
  /** vectors × rows, each in [−1, 1] */
  inputs: Float64Array;
  /** absent: no input quantisation */
  dac?: QuantiserSpec;
  /** absent: no output quantisation */
  adc?: QuantiserSpec;
  irDrop: IrDropModel;
  timesS: readonly number[];
  seed: number;
  /** default: the device config's mapping */
  mapping?: WeightMappingSpec;
  driftCompensation?: boolean;
}

export interface MvmPoint {
  time_s: number;
  rmse: number;
  /** mean and std over all cells of G(t) − G_target, µS */
  g_error_mean_us: number;
  g_error_std_us: number;
  /** largest |y − y_fp| over all outputs */
  max_abs_error: number;
  /** fraction of outputs at the ADC bound (0 without an ADC) */
  adc_clipped_fraction: number;
}

export interface MvmReport {
  device: string;
  device_kind: DeviceConfig["kind"];
  rows: number;
  cols: number;
  vectors: number;
  mapping: WeightMappingSpec["kind"];
  ir_drop: string;
  dac_bits: number | null;
  adc_bits: number | null;
  adc_bound: number | null;
  drift_compensation: boolean;
  seed: number;
  /** RMS of the floating-point outputs, for scale */
  fp_output_rms: number;
  points: MvmPoint[];
}

/** Quantises x with step 2·bound/(2^bits − 2), round half to even, then clips to ±bound. */
export function quantiseSymmetric(x: number, q: QuantiserSpec): number {
  const step = (2 * q.bound) / (2 ** q.bits - 2);
  const y = roundHalfEven(x / step) * step;
  return y > q.bound ? q.bound : y < -q.bound ? -q.bound : y;
}

function mappingSpec(kind: MappingKind): WeightMappingSpec {
  return { kind };
}

export function runFunctionalMvm(o: FunctionalMvmOptions): MvmReport {
  const { rows, cols, vectors, device } = o;
  const model = createDeviceModel(device);
  // scale W to max|W| = 1
  let wmax = 0;
  for (let i = 0; i < o.weights.length; i++) wmax = Math.max(wmax, Math.abs(o.weights[i]));
  const w = Float64Array.from(o.weights, (v) => (wmax > 0 ? v / wmax : 0));
  const spec = o.mapping ?? mappingSpec(device.mapping);
  const map = mapWeights(spec, w, rows, cols, device.gMin, device.gMax);
  const k = map.cellsPerWeight;
  const pc = cols * k; // physical columns
  const n = rows * pc;

  // floating-point reference
  const yFp = new Float64Array(vectors * cols);
  let fpSq = 0;
  for (let v = 0; v < vectors; v++) {
    for (let r = 0; r < rows; r++) {
      const x = o.inputs[v * rows + r];
      for (let c = 0; c < cols; c++) yFp[v * cols + c] += w[r * cols + c] * x;
    }
  }
  for (let i = 0; i < yFp.length; i++) fpSq += yFp[i] * yFp[i];

  // quantised (and I-V transformed) drives
  const iv = device.ivNonlinearity ? ivTransfer(device) : null;
  const xq = new Float64Array(vectors * rows);
  for (let i = 0; i < xq.length; i++) {
    const x = o.dac ? quantiseSymmetric(o.inputs[i], o.dac) : o.inputs[i];
    xq[i] = iv ? iv(x) : x;
  }

  const programmed = new Float64Array(n);
  model.program(map.targetUs, programmed, new RandomStream(o.seed, "mvm.crossbar.program"));
  const variation = new CellVariation(device, n, new RandomStream(o.seed, "mvm.crossbar.cells"));
  const gRefUs = device.wire.gRef ?? device.gMax;
  const gRatio = 1 / (device.wire.segmentResistance * gRefUs * 1e-6);

  let baselineAbsW = 0;
  const wEff = new Float64Array(rows * cols);
  if (o.driftCompensation) {
    const base = Float64Array.from(programmed);
    variation.apply(base);
    map.decodeWeights(base, wEff);
    for (let i = 0; i < wEff.length; i++) baselineAbsW += Math.abs(wEff[i]);
  }

  const g = new Float64Array(n);
  const current = new Float64Array(pc);
  const y = new Float64Array(cols);
  const absW = new Float64Array(rows * cols);
  const sA = new Float64Array(cols);
  const sB = new Float64Array(cols);
  const points: MvmPoint[] = [];
  for (const t of o.timesS) {
    const rs = new RandomStream(o.seed, `mvm.crossbar.age@${t}`);
    model.atAge(map.targetUs, programmed, t, g, rs);
    variation.apply(g);
    let eSum = 0;
    let eSq = 0;
    for (let i = 0; i < n; i++) {
      const e = g[i] - map.targetUs[i];
      eSum += e;
      eSq += e * e;
    }
    const eMean = eSum / n;
    map.decodeWeights(g, wEff);
    for (let i = 0; i < wEff.length; i++) absW[i] = Math.abs(wEff[i]);
    let comp = 1;
    if (o.driftCompensation) {
      let now = 0;
      for (let i = 0; i < absW.length; i++) now += absW[i];
      if (now > 0) comp = baselineAbsW / now;
    }
    const solver = o.irDrop === "nodal" ? new NodalIrSolver(g, rows, pc, device.wire.segmentResistance) : null;
    const readRs = new RandomStream(o.seed, `mvm.crossbar.read@${t}`);
    const sigmaRead = model.perReadSigmaUs;
    let sq = 0;
    let maxErr = 0;
    let clipped = 0;
    for (let v = 0; v < vectors; v++) {
      const x = xq.subarray(v * rows, (v + 1) * rows);
      let sumX = 0;
      let sumX2 = 0;
      for (let r = 0; r < rows; r++) {
        sumX += x[r];
        sumX2 += x[r] * x[r];
      }
      if (solver) {
        solver.solve(x, current);
      } else {
        current.fill(0);
        for (let r = 0; r < rows; r++) {
          const xr = x[r];
          if (xr === 0) continue;
          const off = r * pc;
          for (let c = 0; c < pc; c++) current[c] += g[off + c] * xr;
        }
      }
      if (sigmaRead > 0) {
        const s = sigmaRead * Math.sqrt(sumX2);
        for (let c = 0; c < pc; c++) current[c] += s * readRs.normal();
      }
      map.decode(current, sumX, y);
      if (o.irDrop === "linear") applyLinearIrDrop(absW, wEff, rows, cols, x, gRatio, y, sA, sB);
      for (let c = 0; c < cols; c++) {
        let out = y[c];
        if (o.adc) {
          out = quantiseSymmetric(out, o.adc);
          if (Math.abs(out) >= o.adc.bound) clipped++;
        }
        out *= comp;
        const e = out - yFp[v * cols + c];
        sq += e * e;
        if (Math.abs(e) > maxErr) maxErr = Math.abs(e);
      }
    }
    points.push({
      time_s: t,
      rmse: Math.sqrt(sq / (vectors * cols)),
      g_error_mean_us: eMean,
      g_error_std_us: Math.sqrt(Math.max(0, eSq / n - eMean * eMean)),
      max_abs_error: maxErr,
      adc_clipped_fraction: clipped / (vectors * cols),
    });
  }
  return {
    device: o.deviceName,
    device_kind: device.kind,
    rows,
    cols,
    vectors,
    mapping: spec.kind,
    ir_drop: irDropLabel(o.irDrop),
    dac_bits: o.dac?.bits ?? null,
    adc_bits: o.adc?.bits ?? null,
    adc_bound: o.adc?.bound ?? null,
    drift_compensation: o.driftCompensation ?? false,
    seed: o.seed,
    fp_output_rms: Math.sqrt(fpSq / Math.max(1, yFp.length)),
    points,
  };
}
