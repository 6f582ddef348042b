// CMO/HfOx ReRAM (Falcone et al., "All-in-One Analog AI Accelerator", arXiv 2502.04524), as
// published in aihwkit's ReRamCMONoiseModel. Conductances in µS, ln = natural log:
//   programming  σ = c0 + c1·G_target (0.2 % or 2 % acceptance range of program-and-verify)
//   relaxation   mean −0.08900206·ln t, σ 0.04201137·ln t + 0.41183342, applied to G_programmed
//   read noise   σ = 0.0277316483·log10(G)·sqrt(ln((t + t_read)/(2·t_read))), t_read = 1 µs
//   then clamp to [gMin, gMax].
// The relaxation fit was measured at 50 µS and is applied at every conductance (the model's own
// assumption). Read noise is the 1/f noise accumulated up to age t, drawn with the age (frozen for
// that age), not per MVM; add `perReadNoise` for cycle-to-cycle noise. Left out: aihwkit's re-mapping
// of the noisy programmed weights with a fresh affine map before relaxation (its effect is of the
// order of the programming noise, ≤ 0.1 µS at 0.2 %).

import type { RandomStream } from "../../sim/random";
import type { DeviceModel } from "./device-model";
import { readPulseS, type CmoHfoxDeviceSchema } from "./device-config";
import type { z } from "zod";

type CmoConfig = z.output<typeof CmoHfoxDeviceSchema>;

/** Programming-noise coefficients (µS, µS/µS) per acceptance range in percent. */
export const CMO_PROG_NOISE: Readonly<Record<"0.2" | "2", { c0: number; c1: number }>> = {
  "0.2": { c0: 0.00081107, c1: 0.00106879 },
  "2": { c0: 0.0112185391, c1: 0.01129027418 },
};
export const CMO_RELAX_MEAN_PER_LN_T = -0.08900206;
export const CMO_RELAX_STD_PER_LN_T = 0.04201137;
export const CMO_RELAX_STD_AT_1S = 0.41183342;
export const CMO_READ_NOISE_K = 0.0277316483;

export class CmoHfoxDevice implements DeviceModel {
  readonly kind = "cmo-hfox" as const;
  readonly gMinUs: number;
  readonly gMaxUs: number;
  readonly perReadSigmaUs: number;
  private readonly c0: number;
  private readonly c1: number;
  private readonly driftScale: number;
  private readonly readScale: number;
  private readonly tReadS: number;

  constructor(d: CmoConfig) {
    this.gMinUs = d.gMin;
    this.gMaxUs = d.gMax;
    this.perReadSigmaUs = d.perReadNoise;
    const c = CMO_PROG_NOISE[d.acceptance === 2 ? "2" : "0.2"];
    this.c0 = c.c0 * d.progNoiseScale;
    this.c1 = c.c1 * d.progNoiseScale;
    this.driftScale = d.driftScale;
    this.readScale = d.readNoiseScale;
    this.tReadS = readPulseS(d);
  }

  program(targetUs: Float64Array, outUs: Float64Array, rs: RandomStream): void {
    for (let i = 0; i < targetUs.length; i++) {
      const g = targetUs[i];
      outUs[i] = g + (this.c0 + this.c1 * g) * rs.normal();
    }
  }

  atAge(_targetUs: Float64Array, programmedUs: Float64Array, timeS: number, outUs: Float64Array, rs: RandomStream): void {
    if (timeS <= 0) {
      outUs.set(programmedUs);
      return;
    }
    const lnT = Math.log(timeS);
    const shift = CMO_RELAX_MEAN_PER_LN_T * lnT * this.driftScale;
    // the fit starts at 1 s; below about 55 µs its σ would turn negative
    const sigmaRel = Math.max(0, CMO_RELAX_STD_PER_LN_T * lnT + CMO_RELAX_STD_AT_1S) * this.driftScale;
    const window = timeS > this.tReadS ? Math.sqrt(Math.log((timeS + this.tReadS) / (2 * this.tReadS))) : 0;
    const kRead = CMO_READ_NOISE_K * window * this.readScale;
    const lo = this.gMinUs;
    const hi = this.gMaxUs;
    for (let i = 0; i < programmedUs.length; i++) {
      let g = programmedUs[i] + shift + sigmaRel * rs.normal();
      if (kRead > 0) g += kRead * Math.log10(Math.max(g, 1e-9)) * rs.normal();
      outUs[i] = g < lo ? lo : g > hi ? hi : g;
    }
  }
}
