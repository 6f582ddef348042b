// Benchmark of the physical read path: noisy 128×128 MVMs through a PhysicalArray (CMO/HfOx,
// programmed, relaxed to 1 day, with per-read noise of 0.2 µS per cell — about the model's 1/f
// read σ at 50 µS after 1 s — added output-referred, one normal per column per read), against a
// plain typed-array dot-product loop of the same size measured in the same run.

import { RandomStream } from "../../sim/random";
import { validate } from "../../sim/config";
import { DeviceConfigSchema, loadDevice } from "../../arch/device/device-config";
import { PhysicalArray } from "../../arch/crossbar/physical-array";

export interface MvmBenchResult {
  mvm_physical_per_s: number;
  dot_loop_per_s: number;
  ratio: number;
}

function timeLoop(minS: number, body: () => void): number {
  let n = 0;
  const t0 = process.hrtime.bigint();
  let el: number;
  do {
    for (let k = 0; k < 256; k++) body();
    n += 256;
    el = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (el < minS);
  return n / el;
}

export function benchPhysicalMvm(opts: { size?: number; seconds?: number } = {}): MvmBenchResult {
  const n = opts.size ?? 128;
  const seconds = opts.seconds ?? 1.5;
  const base = loadDevice("cmo-hfox");
  const device = validate(DeviceConfigSchema, { ...base, perReadNoise: 0.2 }, "bench");
  const rs = new RandomStream(1, "bench.mvm");
  const array = new PhysicalArray({ device, rows: n, cols: n, cellBits: 4, stream: rs, timeS: 86400 });
  const levels = new Array<number>(n * n);
  for (let i = 0; i < levels.length; i++) levels[i] = rs.int(16);
  array.program(levels);
  const input = new Float64Array(n);
  for (let r = 0; r < n; r++) input[r] = 1 + rs.int(255);
  const out = new Float64Array(n);

  const w = Float64Array.from(levels);
  const plain = new Float64Array(n);
  const dot = (): void => {
    plain.fill(0);
    for (let r = 0; r < n; r++) {
      const x = input[r];
      const o = r * n;
      for (let c = 0; c < n; c++) plain[c] += w[o + c] * x;
    }
  };
  const phys = (): void => array.readColumns(input, out);
  // warm-up, then interleave so both see the same machine load
  timeLoop(0.2, dot);
  timeLoop(0.2, phys);
  let d = 0;
  let p = 0;
  for (let k = 0; k < 3; k++) {
    d += timeLoop(seconds / 6, dot);
    p += timeLoop(seconds / 6, phys);
  }
  return { mvm_physical_per_s: p / 3, dot_loop_per_s: d / 3, ratio: p / d };
}
