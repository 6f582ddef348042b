import { describe, expect, it } from "vitest";
import { costRows, groupTotals, instanceTotals, totalsByName, type CostNode } from "../../sim/cost-tree";
import { resolveCost } from "../../sim/cost";

describe("cost tree roll-up", () => {
  // two tiles, each with 3 cores of one 2 mW / 10 µm² ADC plus 1 mW / 5 µm² of their own,
  // and a router of 4 mW / 100 µm² shared by 2 tiles (count 0.5 per tile)
  const tree: CostNode = {
    name: "chip",
    count: 1,
    powerMw: 0,
    areaUm2: 0,
    children: [
      {
        name: "tile",
        count: 2,
        powerMw: 0,
        areaUm2: 0,
        children: [
          { name: "core", count: 3, powerMw: 1, areaUm2: 5, children: [{ name: "adc", count: 1, powerMw: 2, areaUm2: 10 }] },
          { name: "router", count: 0.5, powerMw: 4, areaUm2: 100 },
        ],
      },
    ],
  };
  it("totals are count × (own + children), by hand", () => {
    // tile = 3 × (1 + 2) + 0.5 × 4 = 11 mW; 3 × 15 + 50 = 95 µm²; chip = 2 tiles
    expect(instanceTotals(tree.children![0])).toEqual({ powerMw: 11, areaUm2: 95 });
    expect(groupTotals(tree)).toEqual({ powerMw: 22, areaUm2: 190 });
  });
  it("rows carry design-wide instance counts", () => {
    const rows = costRows(tree);
    expect(rows.find((r) => r.path === "chip.tile.core.adc")).toEqual({ path: "chip.tile.core.adc", instances: 6, powerMw: 12, areaUm2: 60 });
    expect(rows.find((r) => r.path === "chip.tile.router")?.instances).toBe(1);
  });
  it("totals by name sum own costs of every instance", () => {
    const t = totalsByName(tree);
    expect(t.adc).toEqual({ powerMw: 12, areaUm2: 60 });
    expect(t.core).toEqual({ powerMw: 6, areaUm2: 30 });
  });
});

describe("cost spec: power ↔ energy at the unit's peak rate", () => {
  it("ISAAC's sigmoid: 0.26 mW at one element per 1.2 GHz cycle = 0.2167 pJ per element", () => {
    const c = resolveCost({ power: 0.26, leakage: 0, area: 300 }, 1.2e9);
    expect(c.energyPj).toBeCloseTo(0.26e-3 / 1.2e9 / 1e-12, 12);
    expect(c.peakPowerMw).toBe(0.26);
  });
  it("PUMA's eDRAM: 17.2 pJ per access, one access per 2 cycles at 1 GHz = 8.6 mW", () => {
    const c = resolveCost({ energy: 17.2, leakage: 0.46, area: 86000 }, 0.5e9);
    expect(c.peakPowerMw).toBeCloseTo(8.6, 12);
  });
});
