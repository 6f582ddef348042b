// ReRAM of Wan et al., "A compute-in-memory chip based on resistive random-access memory", Nature
// 608, 504 (2022), as fitted in aihwkit's ReRamWan2022NoiseModel: the σ of the deviation from target
// is a 4th-order polynomial in u = G_target/gMax (µS), with one set of coefficients at 1 s, 1 d and
// 2 d after programming. Programming draws from the 1 s polynomial; the state at age t is a fresh
// draw around the *target* with the σ at t (the programmed value is not used, as in aihwkit);
// conductances are clamped at ≥ 0. The σ values are absolute µS whatever gMax is (aihwkit's
// behaviour: the 40 µS reference in its comment is never applied). aihwkit accepts only t ∈ {1 s,
// 1 d, 2 d}; here the coefficients are interpolated linearly in ln t between those ages and held at
// the nearest end outside them (the model has no data before 1 s or after 2 d, so "10 years" is the
// 2-day distribution). No read noise per MVM.

import type { z } from "zod";
import type { RandomStream } from "../../sim/random";
import type { DeviceModel } from "./device-model";
import type { Wan2022DeviceSchema } from "./device-config";

type WanConfig = z.output<typeof Wan2022DeviceSchema>;

/** Ages (s) and polynomial coefficients p0 … p4 of σ(u) in µS. */
export const WAN2022_SIGMA_POLY: ReadonlyArray<{ timeS: number; p: readonly number[] }> = [
  { timeS: 1, p: [0.348, 16.03, -43.853, 45.393, -16.815] },
  { timeS: 86400, p: [0.701, 22.086, -50.773, 47.095, -16.458] },
  { timeS: 172800, p: [0.782, 20.274, -43.507, 37.062, -11.934] },
];

/** The polynomial coefficients at age t (interpolated in ln t, held outside the fitted ages). */
export function wan2022Coefficients(timeS: number): number[] {
  const pts = WAN2022_SIGMA_POLY;
  if (timeS <= pts[0].timeS) return [...pts[0].p];
  const last = pts[pts.length - 1];
  if (timeS >= last.timeS) return [...last.p];
  let k = 0;
  while (pts[k + 1].timeS < timeS) k++;
  const a = pts[k];
  const b = pts[k + 1];
  const f = (Math.log(timeS) - Math.log(a.timeS)) / (Math.log(b.timeS) - Math.log(a.timeS));
  return a.p.map((v, i) => v + f * (b.p[i] - v));
}

function sigma(p: readonly number[], u: number): number {
  return p[0] + u * (p[1] + u * (p[2] + u * (p[3] + u * p[4])));
}

export class Wan2022Device implements DeviceModel {
  readonly kind = "wan2022" as const;
  readonly gMinUs: number;
  readonly gMaxUs: number;
  readonly perReadSigmaUs: number;
  private readonly progScale: number;

  constructor(d: WanConfig) {
    this.gMinUs = d.gMin;
    this.gMaxUs = d.gMax;
    this.perReadSigmaUs = d.perReadNoise;
    this.progScale = d.progNoiseScale;
  }

  private draw(targetUs: Float64Array, p: readonly number[], scale: number, outUs: Float64Array, rs: RandomStream): void {
    const inv = 1 / this.gMaxUs;
    for (let i = 0; i < targetUs.length; i++) {
      const g = targetUs[i] + scale * sigma(p, targetUs[i] * inv) * rs.normal();
      outUs[i] = g < 0 ? 0 : g;
    }
  }

  program(targetUs: Float64Array, outUs: Float64Array, rs: RandomStream): void {
    this.draw(targetUs, WAN2022_SIGMA_POLY[0].p, this.progScale, outUs, rs);
  }

  atAge(targetUs: Float64Array, programmedUs: Float64Array, timeS: number, outUs: Float64Array, rs: RandomStream): void {
    if (timeS <= 0) {
      outUs.set(programmedUs);
      return;
    }
    this.draw(targetUs, wan2022Coefficients(timeS), 1, outUs, rs);
  }
}
