// DeviceModel: the role interface of the device-physics kernel. A device model turns target
// conductances into the conductances a crossbar actually holds. `program` is program-and-verify: it
// draws each cell's programmed conductance from the target once. `atAge` gives the state at a chosen
// time after programming as a fresh draw from the model's distribution at that age (aihwkit's
// convention: asking for 1 h and then 10 y gives two independent draws, not one trajectory); it may
// use the targets, the programmed values or both, and includes any noise the model integrates over
// that interval (relaxation, 1/f read noise). `perReadSigmaUs` is the σ of cycle-to-cycle read noise
// drawn afresh at every read; every model here makes it the same for all cells, so a crossbar can
// add it output-referred, exactly, as one normal per column. Models are pure functions of their
// inputs and the stream they are handed; all values are in µS, times in seconds. Named
// implementations are chosen by `kind:` in a device config; device-to-device variation, stuck-at
// faults and I-V nonlinearity compose with any of them (arch/device/cell-variation.ts).

import type { RandomStream } from "../../sim/random";
import type { DeviceConfig } from "./device-config";

export interface DeviceModel {
  readonly kind: DeviceConfig["kind"];
  readonly gMinUs: number;
  readonly gMaxUs: number;
  /** Writes the programmed conductance of each target into `outUs` (same length). */
  program(targetUs: Float64Array, outUs: Float64Array, rs: RandomStream): void;
  /** Writes the conductances at `timeS` after programming into `outUs`; timeS = 0 is "just programmed". */
  atAge(targetUs: Float64Array, programmedUs: Float64Array, timeS: number, outUs: Float64Array, rs: RandomStream): void;
  /** σ (µS) of the read noise drawn at every read, the same for every cell; 0 for none. */
  readonly perReadSigmaUs: number;
}

/** The ideal device: conductance equals target, at every age, at every read. */
export class IdealDevice implements DeviceModel {
  readonly kind = "ideal" as const;
  readonly perReadSigmaUs: number;
  constructor(
    readonly gMinUs: number,
    readonly gMaxUs: number,
    perReadSigmaUs = 0,
  ) {
    this.perReadSigmaUs = perReadSigmaUs;
  }
  program(targetUs: Float64Array, outUs: Float64Array): void {
    outUs.set(targetUs);
  }
  atAge(_targetUs: Float64Array, programmedUs: Float64Array, _timeS: number, outUs: Float64Array): void {
    outUs.set(programmedUs);
  }
}
