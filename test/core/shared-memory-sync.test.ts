import { describe, expect, it } from "vitest";
import { Core } from "../../arch/core/core";
import type { CoreEnvironment } from "../../arch/core/environment";
import { coreParamsSchema } from "../../arch/core/params";
import { SharedMemory, sharedMemoryParamsSchema } from "../../arch/memory/shared-memory";
import { assemble } from "../../isa/assembler";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";

/** The load/store half of a tile environment over the tile's shared memory (PUMA valid-bit sync). */
function memoryEnv(mem: SharedMemory): CoreEnvironment {
  const none = () => {
    throw new Error("not used in this test");
  };
  return {
    mvmFootprint: { input: 0, output: 0 },
    mvm: none,
    load: (addr, out, done) => mem.load(addr, out.length, out, done),
    store: (addr, values, consumers, done) => mem.store(addr, values, values.length, consumers, done),
    send: none,
    recv: none,
    barrier: none,
  };
}

describe("vector load/store through the tile shared memory", () => {
  it("a consumer's vld waits for the producer's vst (valid bits), then reads its values", () => {
    const sim = new Simulator();
    const ledger = new EnergyLedger();
    const mem = new SharedMemory({ sim, ledger }, "tile.mem", sharedMemoryParamsSchema.parse({}), { periodTicks: 1000, values: true });
    const params = coreParamsSchema.parse({});
    const producer = new Core({ sim, ledger }, "tile.core[0]", params, { clockHz: 1e9, env: memoryEnv(mem) });
    const consumer = new Core({ sim, ledger }, "tile.core[1]", params, { clockHz: 1e9, env: memoryEnv(mem) });
    // producer: 200 scalar iterations first, then vst of V[0..8) (preset to 5) to tile memory 64
    producer.load(
      assemble(`
      li t0, 200
    spin:
      addi t0, t0, -1
      bnez t0, spin
      li a3, 8
      li a4, 1
      li a5, 64
      vst a5, zero, a4, a3
      ecall`),
    );
    producer.vrf.fill(5, 0, 8);
    consumer.load(assemble("li a3, 8\nli a5, 64\nli a6, 100\nvld a6, a5, a3\necall"));
    producer.start();
    consumer.start();
    sim.run();
    expect(producer.status).toBe("halted");
    expect(consumer.status).toBe("halted");
    expect([...consumer.vrf.subarray(100, 108)]).toEqual(Array(8).fill(5));
    // the consumer halted only after the producer's store: it drained its vld behind it
    expect(consumer.cycles).toBeGreaterThan(200 * 4);
    expect(consumer.collectStats()["tile.core[1].stall.drain"]).toBeGreaterThan(0);
  });
});
