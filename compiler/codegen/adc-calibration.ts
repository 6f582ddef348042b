// ADC range calibration: the largest analog column value each crossbar image produces on a
// calibration set, so the run can set each MVM unit's ADC range to what its columns actually
// reach instead of the worst case the encoding allows (arch/mvmu/adc.ts: a `clip` range, steps a
// power of two, values above the top code saturate).
//
// For every matrix layer, every calibration sample (the integer reference's input codes of the
// layer) and every output position, the image's crossbar rows take the input elements their
// reference rows name (`refRows`, matrix.ts; a zero outside the input, as the zero frame stores);
// with the image's cell levels under the encoding (arch/mvmu/datapath/levels.ts) a physical data
// column's analog value is Σ_r x_r·level_rc in accumulate mode (the ADC integrates the binary-
// weighted steps and converts once), else, per input step s, Σ_r digit_s(x_r)·level_rc. The peak
// is the largest over columns, positions and samples. It is taken from the quantisation's
// calibration images (training images for the MNIST models), never from the test set.
// Left out: the analog unit column (it keeps the full range), percentile clipping, calibrating
// per column (the range is per MVM unit: one ADC range for all its columns and packed blocks).

import { cellLevels } from "../../arch/mvmu/datapath/levels";
import { mvmuGeometryInfo } from "../../arch/mvmu/encoding";
import type { MvmuParams } from "../../arch/mvmu/params";
import type { Conv2dNode } from "../ir/model";
import type { QMatrixLayer, QuantizedModel } from "../quant/quantize";
import { runIntegerAll } from "../reference/integer";
import type { CrossbarImage } from "./types";

/** Sets `adcPeak` on every image of a matrix layer (see the header); `samples`: calibration inputs. */
export function calibrateAdcPeaks(q: QuantizedModel, p: MvmuParams, images: readonly CrossbarImage[], samples: readonly Float32Array[]): void {
  const g = mvmuGeometryInfo(p);
  const R = g.rows;
  const pc = g.physColsPerCrossbar;
  const C = p.crossbar.cols;
  const X = p.crossbars;
  const acc = p.adc.accumulateSteps;
  const runs = samples.map((x) => runIntegerAll(q, x).values);
  const byLayer = new Map<string, QMatrixLayer>();
  for (const l of q.layers) if (l.kind === "dense" || l.kind === "conv2d") byLayer.set(l.name, l);
  const xv = new Float64Array(R);
  for (const im of images) {
    const layer = byLayer.get(im.layer);
    if (layer === undefined || im.refRows === undefined) continue;
    const levels = new Uint16Array(X * R * pc);
    cellLevels(p, g, im.weights, im.rows, im.cols, levels, new Uint8Array(X * pc));
    const used = Math.min(X * C, im.cols * g.colsPerWeight);
    const inShape = q.model.shapes[layer.inputs[0]];
    const conv = layer.kind === "conv2d" ? (layer.node as Conv2dNode) : null;
    const [H, W] = inShape.length === 4 ? [inShape[2], inShape[3]] : [1, 1];
    const outShape = q.model.shapes[layer.output];
    const Wo = conv !== null ? outShape[3] : 1;
    let peak = 0;
    for (const values of runs) {
      const x = values.get(layer.inputs[0]) as Int32Array;
      for (let pos = 0; pos < layer.positions; pos++) {
        const oy = Math.floor(pos / Wo);
        const ox = pos % Wo;
        for (let r = 0; r < R; r++) {
          const k = im.refRows[r];
          if (k < 0) xv[r] = 0;
          else if (conv === null) xv[r] = x[k];
          else {
            const [kh, kw] = conv.kernel;
            const c = Math.floor(k / (kh * kw));
            const ky = Math.floor(k / kw) % kh;
            const kx = k % kw;
            const iy = oy * conv.stride[0] - conv.pads[0] + ky;
            const ix = ox * conv.stride[1] - conv.pads[1] + kx;
            xv[r] = iy < 0 || iy >= H || ix < 0 || ix >= W ? 0 : x[(c * H + iy) * W + ix];
          }
        }
        for (let gc = 0; gc < used; gc++) {
          const o = Math.floor(gc / C) * R * pc + (gc % C);
          if (acc) {
            let v = 0;
            for (let r = 0; r < R; r++) v += xv[r] * levels[o + r * pc];
            if (v > peak) peak = v;
          } else {
            for (const s of g.steps) {
              const mask = 2 ** s.bits - 1;
              let v = 0;
              for (let r = 0; r < R; r++) v += ((xv[r] >> s.shift) & mask) * levels[o + r * pc];
              if (v > peak) peak = v;
            }
          }
        }
      }
    }
    im.adcPeak = peak;
  }
}
