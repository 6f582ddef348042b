// Non-idealities that compose with any device model: device-to-device variation (a persistent
// per-cell gain N(1, d2dStd) on the conductance, as an open-loop device would show it; a perfect
// program-and-verify loop would hide it at programming time, so set it to 0 for verified devices),
// stuck-at faults (a cell stuck at gMax — "on" — or gMin — "off", at given rates, whatever it was
// programmed to) and an I-V nonlinearity of the sinh form I ∝ G·sinh(k·v)/sinh(k), v ∈ [−1, 1] the
// drive as a fraction of full scale. Per-cell draws happen once per array, when it is programmed.

import type { RandomStream } from "../../sim/random";
import type { DeviceConfig } from "./device-config";

export const CELL_OK = 0;
export const CELL_STUCK_ON = 1;
export const CELL_STUCK_OFF = 2;

/** The persistent per-cell draws of one array. */
export class CellVariation {
  /** per-cell conductance gain; null when there is no device-to-device variation */
  readonly gain: Float64Array | null;
  /** per-cell CELL_OK / CELL_STUCK_ON / CELL_STUCK_OFF; null when there are no faults */
  readonly fault: Uint8Array | null;
  readonly stuckOn: number;
  readonly stuckOff: number;
  private readonly gMinUs: number;
  private readonly gMaxUs: number;

  constructor(d: DeviceConfig, cells: number, rs: RandomStream) {
    this.gMinUs = d.gMin;
    this.gMaxUs = d.gMax;
    const sd = d.variation.d2dStd;
    this.gain = sd > 0 ? new Float64Array(cells) : null;
    if (this.gain) for (let i = 0; i < cells; i++) this.gain[i] = Math.max(0, 1 + sd * rs.normal());
    const { stuckOnRate, stuckOffRate } = d.faults;
    let on = 0;
    let off = 0;
    this.fault = stuckOnRate + stuckOffRate > 0 ? new Uint8Array(cells) : null;
    if (this.fault) {
      for (let i = 0; i < cells; i++) {
        const u = rs.uniform();
        if (u < stuckOnRate) {
          this.fault[i] = CELL_STUCK_ON;
          on++;
        } else if (u < stuckOnRate + stuckOffRate) {
          this.fault[i] = CELL_STUCK_OFF;
          off++;
        }
      }
    }
    this.stuckOn = on;
    this.stuckOff = off;
  }

  /** Applies gain and faults to conductances in place. */
  apply(gUs: Float64Array): void {
    if (this.gain) for (let i = 0; i < gUs.length; i++) gUs[i] *= this.gain[i];
    if (this.fault) {
      for (let i = 0; i < gUs.length; i++) {
        const f = this.fault[i];
        if (f === CELL_STUCK_ON) gUs[i] = this.gMaxUs;
        else if (f === CELL_STUCK_OFF) gUs[i] = this.gMinUs;
      }
    }
  }
}

/** The I-V transfer of a drive v (fraction of full scale, may be negative); identity without nonlinearity. */
export function ivTransfer(d: DeviceConfig): (v: number) => number {
  const nl = d.ivNonlinearity;
  if (!nl) return (v) => v;
  const s = Math.sinh(nl.k);
  return (v) => Math.sinh(nl.k * v) / s;
}
