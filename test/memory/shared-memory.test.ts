import { describe, expect, it } from "vitest";
import { Simulator } from "../../sim/simulator";
import { EnergyLedger } from "../../sim/energy";
import { SharedMemory, sharedMemoryCost, sharedMemoryParamsSchema } from "../../arch/memory/shared-memory";
import { validate } from "../../sim/config";

function make(over: Record<string, unknown> = {}) {
  const sim = new Simulator();
  const ledger = new EnergyLedger();
  // ISAAC/PUMA-like: 64 KB, 256-bit bus, 2 banks, 2-cycle access at 1 GHz, 16-bit elements
  const params = validate(sharedMemoryParamsSchema, { size: "64KB", widthBits: 256, banks: 2, accessCycles: 2, elementBits: 16, readEnergy: "17.2pJ", writeEnergy: "17.2pJ", ...over }, "test");
  const mem = new SharedMemory({ sim, ledger }, "tile.mem", params, { periodTicks: 1000, values: true });
  return { sim, ledger, mem };
}

describe("shared memory timing", () => {
  it("128 16-bit elements = 8 accesses of 256 bits over 2 banks = 4 × 2 cycles (PUMA load of vec 128: 128·16/256 accesses)", () => {
    const { sim, mem } = make();
    let doneAt = -1;
    mem.write(0, null, 128, 1, () => (doneAt = sim.now));
    sim.run();
    // independent: 8 accesses alternate banks, each bank serves 4 back to back, 2 cycles each
    expect(doneAt).toBe(4 * 2 * 1000);
  });
  it("energy = accesses × energy per access", () => {
    const { sim, mem, ledger } = make();
    mem.write(0, null, 128, 1, () => {});
    mem.read(0, 32, null, () => {});
    sim.run();
    const r = ledger.report(0);
    expect(r.byPath["tile.mem"].actions).toEqual({ read: 2, write: 8 });
    expect(r.byPath["tile.mem"].dynamicJ).toBeCloseTo(10 * 17.2e-12, 20);
  });
});

describe("producer/consumer synchronisation (valid bit + consumer count)", () => {
  it("a load waits for the producer's store, then sees its values", () => {
    const { sim, mem } = make();
    const out = new Int32Array(4);
    let loadedAt = -1;
    mem.load(100, 4, out, () => (loadedAt = sim.now));
    sim.scheduleAt(50_000 as never, () => mem.store(100, [1, 2, 3, 4], 4, 1, () => {}));
    sim.run();
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    expect(loadedAt).toBeGreaterThan(50_000);
  });
  it("with two consumers the data stays valid until both loaded; a second store waits for that", () => {
    const { sim, mem } = make();
    const a = new Int32Array(2);
    const b = new Int32Array(2);
    const order: string[] = [];
    mem.store(0, [7, 8], 2, 2, () => order.push("store1"));
    mem.store(0, [9, 9], 2, 1, () => order.push("store2"));
    mem.load(0, 2, a, () => order.push("load1"));
    sim.scheduleAt(100_000 as never, () => mem.load(0, 2, b, () => order.push("load2")));
    sim.run();
    expect(Array.from(a)).toEqual([7, 8]);
    expect(Array.from(b)).toEqual([7, 8]);
    expect(order).toEqual(["store1", "load1", "load2", "store2"]);
    expect(Array.from(mem.peek(0, 2))).toEqual([9, 9]);
  });
  it("an out-of-range request is a SIM_STATE error naming the memory", () => {
    const { mem } = make();
    expect(() => mem.read(mem.elements - 1, 2, null, () => {})).toThrow(/tile\.mem: read of elements/);
  });
});

describe("shared memory cost", () => {
  it("a peak power is converted at banks / accessCycles accesses per cycle (ISAAC eDRAM: 20.7 mW at 1.2 GHz, 2 banks, 2 cycles)", () => {
    const p = validate(sharedMemoryParamsSchema, { banks: 2, accessCycles: 2, power: "20.7mW", area: "0.083mm2" }, "test");
    const c = sharedMemoryCost(p, 1.2e9);
    // 1 access per cycle at 1.2 GHz: 20.7 mW / 1.2e9 /s = 17.25 pJ
    expect(c.readEnergyPj).toBeCloseTo(17.25, 9);
    expect(c.writeEnergyPj).toBeCloseTo(17.25, 9);
    expect(c.peakPowerMw).toBe(20.7);
    expect(c.areaUm2).toBeCloseTo(83000, 6);
  });
  it("energies per access give the peak power at the same rate (PUMA: 17.2 pJ, 1 GHz → 17.2 mW)", () => {
    const p = validate(sharedMemoryParamsSchema, { banks: 2, accessCycles: 2, readEnergy: "17.2pJ", writeEnergy: "17.2pJ", leakage: "0.46mW" }, "test");
    const c = sharedMemoryCost(p, 1e9);
    expect(c.peakPowerMw).toBeCloseTo(17.2, 9);
    expect(c.leakageMw).toBe(0.46);
  });
  it("power together with energies is refused, naming the field", () => {
    try {
      validate(sharedMemoryParamsSchema, { power: "1mW", readEnergy: "1pJ" }, "m.yaml");
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe("CONFIG_VALUE");
      expect((e as Error).message).toMatch(/^m\.yaml: power:/);
    }
  });
});
