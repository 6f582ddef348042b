// A generic multi-level device: `levels` conductance levels evenly spaced between gMin and gMax.
// Programming snaps the target to the nearest level and adds a programming error of
// `progErrorLevels` level spacings (σ); every read adds a read variation of `readVariationLevels`
// spacings (σ), cycle to cycle. The presets for the bulk-switching RRAM of Wu et al. 2023
// (arXiv 2305.14547) use it. Left out: relaxation over time (no data in the sources used), so the
// state at every age is the programmed state; clamping (the error is symmetric around each level,
// conductances are only kept ≥ 0).

import type { z } from "zod";
import type { RandomStream } from "../../sim/random";
import type { DeviceModel } from "./device-model";
import type { MultiLevelDeviceSchema } from "./device-config";

type MultiLevelConfig = z.output<typeof MultiLevelDeviceSchema>;

export class MultiLevelDevice implements DeviceModel {
  readonly kind = "multilevel" as const;
  readonly gMinUs: number;
  readonly gMaxUs: number;
  readonly levels: number;
  /** spacing between adjacent levels, µS */
  readonly levelSpacingUs: number;
  readonly perReadSigmaUs: number;
  private readonly progSigmaUs: number;

  constructor(d: MultiLevelConfig) {
    this.gMinUs = d.gMin;
    this.gMaxUs = d.gMax;
    this.levels = d.levels;
    this.levelSpacingUs = (d.gMax - d.gMin) / (d.levels - 1);
    this.progSigmaUs = d.progErrorLevels * this.levelSpacingUs;
    // independent per-read variations add in quadrature
    this.perReadSigmaUs = Math.hypot(d.readVariationLevels * this.levelSpacingUs, d.perReadNoise);
  }

  /** The nearest level's conductance. */
  snap(gUs: number): number {
    let k = Math.round((gUs - this.gMinUs) / this.levelSpacingUs);
    if (k < 0) k = 0;
    else if (k > this.levels - 1) k = this.levels - 1;
    return this.gMinUs + k * this.levelSpacingUs;
  }

  program(targetUs: Float64Array, outUs: Float64Array, rs: RandomStream): void {
    for (let i = 0; i < targetUs.length; i++) {
      const g = this.snap(targetUs[i]) + (this.progSigmaUs > 0 ? this.progSigmaUs * rs.normal() : 0);
      outUs[i] = g < 0 ? 0 : g;
    }
  }

  atAge(_targetUs: Float64Array, programmedUs: Float64Array, _timeS: number, outUs: Float64Array): void {
    outUs.set(programmedUs);
  }
}
