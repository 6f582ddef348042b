// `npm run bench` figures of the MVM unit: 16-bit MVMs per second through ISAAC's IMA (8 crossbars
// of 128×128 2-bit cells, bit-serial inputs, 8-bit ADCs), on the event kernel with values: ideal
// device, and the CMO/HfOx device a second after programming. Weights and inputs are seeded random
// integers of the full 16-bit range.

import { EnergyLedger } from "../../sim/energy";
import { RandomStream } from "../../sim/random";
import { Simulator } from "../../sim/simulator";
import { createPhysicalArray } from "../../arch/crossbar/physical-array";
import { loadDevice } from "../../arch/device/device-config";
import { mvmuInputRange, mvmuWeightRange } from "../../arch/mvmu/encoding";
import { Mvmu, type MvmuFidelity } from "../../arch/mvmu/mvmu";
import { mvmuPreset } from "../../arch/mvmu/presets";

export interface MvmuBenchResult {
  mvms_per_s: number;
  mvms: number;
  wall_s: number;
}

export function benchMvmu(fidelity: Exclude<MvmuFidelity, "timing">, opts: { mvms?: number; device?: string } = {}): MvmuBenchResult {
  const p = mvmuPreset("isaac");
  const sim = new Simulator({ seed: 1 });
  const device = fidelity === "physical" ? loadDevice(opts.device ?? "cmo-hfox") : null;
  const m = new Mvmu({ sim, ledger: new EnergyLedger() }, "mvmu", p, {
    fidelity,
    arrayFactory: (_i, rows, cols, cellBits, path) => createPhysicalArray({ device: device!, rows, cols, cellBits, stream: sim.random.for(path), timeS: 1 }),
  });
  const rs = new RandomStream(1, "bench.mvmu");
  const rows = m.geometry.rows;
  const cols = m.geometry.logicalCols;
  const w = mvmuWeightRange(p);
  m.program(
    Array.from({ length: rows * cols }, () => w.min + rs.int(w.max - w.min + 1)),
    rows,
    cols,
  );
  const x = mvmuInputRange(p);
  const inputs = Array.from({ length: 16 }, () => Array.from({ length: rows }, () => x.min + rs.int(x.max - x.min + 1)));
  const n = opts.mvms ?? (fidelity === "ideal" ? 2000 : 200);
  const once = (count: number): number => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) m.mvm(inputs[i & 15], () => undefined);
    sim.run();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  once(Math.max(1, n >> 4)); // warm-up
  const wall = once(n);
  return { mvms_per_s: n / wall, mvms: n, wall_s: wall };
}
