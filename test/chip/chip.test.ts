import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { archCost } from "../../arch/chip/cost";
import { chipDesignFromData, loadChipDesign } from "../../arch/chip/params";
import { archNocTraffic } from "../../app/experiments/noc";
import { readConfigFile } from "../../sim/config";
import { cli } from "../spawn";
import { codeOf } from "../errors";

const root = path.join(__dirname, "..", "..");
const tiny = path.join(root, "configs", "arch", "tiny.yaml");

describe("cost roll-up of the tiny design, by hand from its YAML", () => {
  const r = archCost(tiny);
  // MVMU: 2 crossbars × 0.1 + 32 DACs × 0.01 + 32 S+H × 0.001 + 2 ADCs × (1 + 0.5 leakage)
  //       + S+A 0.2 + IR 0.3 + OR 0.4 = 4.452 mW;  area 20 + 32 + 3.2 + 200 + 20 + 30 + 40 = 345.2 µm²
  const mvmuMw = 2 * 0.1 + 32 * 0.01 + 32 * 0.001 + 2 * 1.5 + 0.2 + 0.3 + 0.4;
  const mvmuUm2 = 2 * 10 + 32 * 1 + 32 * 0.1 + 2 * 100 + 20 + 30 + 40;
  // core: 1 + 2 + 3 + 4 + 5 mW, 1500 µm², plus 2 MVMUs
  const coreMw = 15 + 2 * mvmuMw;
  const coreUm2 = 1500 + 2 * mvmuUm2;
  // shared memory: the larger energy (3 pJ write) at 1 access per 1 GHz cycle = 3 mW + 0.1 mW leakage
  // activation: 2 units × 0.5 pJ × 2 elements per cycle × 1 GHz = 2 mW, 100 µm²
  // router: 8 mW, 2000 µm², one per tile on a mesh
  const tileMw = coreMw + 3.1 + 2 + 8;
  const tileUm2 = coreUm2 + 1000 + 100 + 2000;
  // links: 8 directed router links on a 2 × 2 mesh + 4 ejection links, 1 pJ per flit per cycle = 12 mW
  // off-chip: 4 GB/s of 32-bit flits = 1e9 flits/s × 10 pJ = 10 mW, 5000 µm²
  it("power and area are the sums of the parts", () => {
    expect(r.power_w * 1e3).toBeCloseTo(4 * tileMw + 12 + 10, 9);
    expect(r.area_mm2 * 1e6).toBeCloseTo(4 * tileUm2 + 5000, 6);
    expect(r.tile.power_w * 1e3).toBeCloseTo(tileMw, 9);
  });
  it("peak throughput: 8 steps × max(10 ns read, 16 conversions at 1.6 GS/s) per MVM, 16 × 8 logical MACs", () => {
    expect(r.mvm.interval_s).toBeCloseTo(8 * 10e-9, 15);
    expect(r.mvm.macs).toBe(16 * ((2 * 16) / 4));
    expect(r.peak_ops_per_s).toBeCloseTo((2 * 128 * 8) / 80e-9, 0);
    expect(r.tops_per_w).toBeCloseTo(r.peak_ops_per_s / r.power_w / 1e12, 12);
  });
  it("breakdowns are keyed by component path and add up", () => {
    expect(r.power_breakdown_w.chip).toBeCloseTo(r.power_w, 12);
    const kids = ["chip.tile", "chip.noc", "chip.offchip"].reduce((a, k) => a + r.power_breakdown_w[k], 0);
    expect(kids).toBeCloseTo(r.power_w, 12);
    expect(r.area_breakdown_mm2["chip.tile.core.mvmu.adc"] * 1e6).toBeCloseTo(4 * 2 * 2 * 100, 6);
  });
});

describe("design files are checked once, errors name the file and the field", () => {
  const raw = readConfigFile(tiny) as Record<string, any>;
  const with_ = (f: (x: any) => void) => {
    const x = structuredClone(raw);
    f(x);
    return x;
  };
  it("an unknown key", () => {
    const x = with_((x) => (x.tile.mvmu.adc.colour = "blue"));
    expect(codeOf(() => chipDesignFromData(x, "t.yaml"))).toBe("CONFIG_UNKNOWN_KEY");
    expect(() => chipDesignFromData(x, "t.yaml")).toThrow(/^t\.yaml: tile\.mvmu\.adc\.colour: unknown key/);
  });
  it("cores without a core", () => {
    const x = with_((x) => delete x.tile.core);
    expect(codeOf(() => chipDesignFromData(x, "t.yaml"))).toBe("CONFIG_MISSING");
    expect(() => chipDesignFromData(x, "t.yaml")).toThrow(/^t\.yaml: tile\.core:/);
  });
  it("a tile without MVM units", () => {
    const x = with_((x) => (x.tile.mvmusPerCore = 0));
    expect(codeOf(() => chipDesignFromData(x, "t.yaml"))).toBe("CONFIG_RANGE");
  });
  it("a router grid too small for the tiles", () => {
    const x = with_((x) => (x.tiles = 5));
    expect(codeOf(() => chipDesignFromData(x, "t.yaml"))).toBe("CONFIG_RANGE");
    expect(() => chipDesignFromData(x, "t.yaml")).toThrow(/^t\.yaml: noc\.width/);
  });
  it("every shipped design loads", () => {
    for (const n of ["isaac", "puma", "wu2023", "tiny"]) expect(loadChipDesign(path.join(root, "configs", "arch", `${n}.yaml`)).config.name.length).toBeGreaterThan(0);
  });
});

describe("noc traffic on a design", () => {
  it("runs each rate on a fresh seeded network; same seed, same numbers", () => {
    const a = archNocTraffic({ arch: tiny, pattern: "uniform", rates: [0.01, 0.02], cycles: 500, seed: 2 });
    const b = archNocTraffic({ arch: tiny, pattern: "uniform", rates: [0.01, 0.02], cycles: 500, seed: 2 });
    expect(a).toEqual(b);
    expect(a.points).toHaveLength(2);
    for (const p of a.points) expect(p.packetsDelivered).toBe(p.packetsInjected);
  });
});

describe("CLI", () => {
  it("cost --json prints the documented keys", () => {
    const r = cli(["cost", "--arch", tiny, "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ["area_mm2", "power_w", "peak_ops_per_s", "tops_per_w", "tops_per_mm2", "area_breakdown_mm2", "power_breakdown_w"]) expect(j).toHaveProperty(k);
  });
  it("a bad design file is one line and exit 2", () => {
    const r = cli(["cost", "--arch", path.join(root, "configs", "arch", "missing.yaml")]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
  it("noc prints one row per rate", () => {
    const r = cli(["noc", "--arch", tiny, "--pattern", "hotspot", "--rate", "0.01,0.05", "--cycles", "500", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).points.map((p: { rate: number }) => p.rate)).toEqual([0.01, 0.05]);
  });
});
