import { describe, expect, it } from "vitest";
import { EnergyLedger } from "../../sim/energy";

describe("energy ledger", () => {
  it("energy = counts × cost + leakage × time, computed by hand", () => {
    const l = new EnergyLedger();
    const adc = l.register({ path: "t.adc", kind: "adc", actions: { convert: { energyPj: 1.5625 } }, leakageMw: 0.2, areaUm2: 1200 });
    const xb = l.register({ path: "t.xb", kind: "crossbar", actions: { read: { energyPj: 30 }, write: { energyPj: 100 } }, areaUm2: 25 });
    adc.counts[adc.action("convert")] += 1024;
    xb.count("read", 16);
    xb.count("write", 2);
    const r = l.report(1e-6); // 1 µs
    // ADC: 1024 × 1.5625 pJ = 1600 pJ; leakage 0.2 mW × 1 µs = 200 pJ
    expect(r.byPath["t.adc"].dynamicJ).toBeCloseTo(1600e-12, 20);
    expect(r.byPath["t.adc"].leakageJ).toBeCloseTo(200e-12, 20);
    // crossbar: 16 × 30 + 2 × 100 = 680 pJ
    expect(r.byPath["t.xb"].dynamicJ).toBeCloseTo(680e-12, 20);
    expect(r.totalJ).toBeCloseTo((1600 + 200 + 680) * 1e-12, 20);
    expect(r.areaMm2).toBeCloseTo((1200 + 25) * 1e-6, 15);
    expect(r.byKind.adc.dynamicJ).toBeCloseTo(1600e-12, 20);
    expect(r.byPath["t.xb"].actions).toEqual({ read: 16, write: 2 });
  });
  it("sums instances of a kind", () => {
    const l = new EnergyLedger();
    for (let i = 0; i < 8; i++) l.register({ path: `ima.adc[${i}]`, kind: "adc", actions: { convert: { energyPj: 2 } } }).count("convert", 10);
    expect(l.report(0).byKind.adc.dynamicJ).toBeCloseTo(8 * 10 * 2e-12, 20);
  });
  it("refuses an unknown action and a duplicate path", () => {
    const l = new EnergyLedger();
    const e = l.register({ path: "a", kind: "k", actions: { x: { energyPj: 1 } } });
    expect(() => e.count("y")).toThrow(/no energy action 'y'/);
    expect(() => l.register({ path: "a", kind: "k", actions: {} })).toThrow(/registered twice/);
  });
});
