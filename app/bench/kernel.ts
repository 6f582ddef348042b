// The kernel's benchmark: the classic "hold" model. A fixed population of pending events; each
// event, when it runs, schedules one successor at a random delay. It measures the cost of one
// event — a pop, a handler call, a push — with the queue at a realistic depth.

import { Simulator } from "../../sim/simulator";
import { DEFAULT_SEED } from "../../sim/random";

export interface HoldResult {
  kernel_events_per_s: number;
  events: number;
  pending: number;
  wall_s: number;
}

export function benchKernelHold(opts: { pending?: number; events?: number; seed?: number } = {}): HoldResult {
  const pending = opts.pending ?? 1000;
  const events = opts.events ?? 3_000_000;
  const sim = new Simulator({ seed: opts.seed ?? DEFAULT_SEED });
  const rs = sim.random.for("bench.hold");
  // delays from a pre-drawn table so the benchmark times the kernel, not the generator
  const delays = new Int32Array(1 << 16);
  for (let i = 0; i < delays.length; i++) delays[i] = 1 + rs.int(2 * pending);
  let k = 0;
  const hold = (): void => {
    sim.schedule(delays[k++ & 0xffff], hold);
  };
  for (let i = 0; i < pending; i++) sim.schedule(delays[k++ & 0xffff], hold);
  sim.run({ maxEvents: 100_000 }); // warm-up
  const t0 = process.hrtime.bigint();
  const r = sim.run({ maxEvents: events });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { kernel_events_per_s: r.events / wall, events: r.events, pending: sim.pending, wall_s: wall };
}
