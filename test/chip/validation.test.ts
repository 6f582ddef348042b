// Validation against published designs: each design file is built from its published component
// parameters (per-instance values: a table row's group total divided by the instance count the paper
// gives for that row) and the totals the code adds up are compared with the source's own totals
// (docs/references.md §6). The expected values below are the papers' figures, or arithmetic on the
// papers' architecture parameters done here, never outputs of the code under test. Where a computed
// total misses, the tolerance is just above the measured miss and the design file's header says why.
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { archCost, peakThroughput } from "../../arch/chip/cost";
import { loadChipDesign } from "../../arch/chip/params";
import { simulateMvmuOnce } from "../../arch/mvmu/mvmu";
import { readConfigFile } from "../../sim/config";
import { totalsByName, instanceTotals, type CostNode } from "../../sim/cost-tree";

const cfg = (name: string) => path.join(__dirname, "..", "..", "configs", "arch", `${name}.yaml`);
const within = (got: number, want: number, tol: number) => expect(Math.abs(got / want - 1)).toBeLessThanOrEqual(tol);
const child = (n: CostNode, name: string) => n.children?.find((c) => c.name === name) as CostNode;
/** The design file's data, to edit a copy of it. */
const rawOf = (name: string): Record<string, any> => structuredClone(readConfigFile(cfg(name))) as Record<string, any>;
/** Totals of one instance of `node` without its children named `skip`. */
const without = (node: CostNode, skip: string) => {
  const t = instanceTotals(node);
  const s = child(node, skip);
  const u = instanceTotals(s);
  return { powerMw: t.powerMw - s.count * u.powerMw, areaUm2: t.areaUm2 - s.count * u.areaUm2 };
};

// ISAAC-CE's architecture parameters (docs/references.md §1.1, §1.5), for the hand computations below
const ISAAC = { tiles: 168, imasPerTile: 12, arraysPerIma: 8, rows: 128, cols: 128, cellBits: 2, weightBits: 16, inputBits: 16, stepS: 100e-9 };
const isaacArrays = ISAAC.tiles * ISAAC.imasPerTile * ISAAC.arraysPerIma; // 16,128 (§1.1), one ADC each
const isaacMacsPerIma = ISAAC.rows * ((ISAAC.arraysPerIma * ISAAC.cols) / (ISAAC.weightBits / ISAAC.cellBits)); // 128 × 128 logical weights
const isaacIntervalS = ISAAC.inputBits * ISAAC.stepS; // 1.6 µs, one input bit per 100 ns (§1.5)
const isaacPeakOps = (2 * ISAAC.tiles * ISAAC.imasPerTile * isaacMacsPerIma) / isaacIntervalS; // 41.29 TOPS (§1.3)

describe("ISAAC-CE (docs/references.md §6 cases 1–2: Table I and Table IV)", () => {
  const r = archCost(cfg("isaac"));
  const tile = child(r.tree, "tile");
  const ima = child(tile, "mvmu");
  // Table I prints its totals to three figures and the rows' own rounding moves a sum by up to 0.3 %
  // (the 12 IMAs' rows add up to 0.15744 mm² against the printed 0.157): 0.5 % for the roll-ups
  const ROLLUP = 0.005;

  it("chip 65.8 W / 85.4 mm² with HyperTransport and 55.4 W / 62.5 mm² for the 168 tiles (§1.2 Table I)", () => {
    within(r.power_w, 65.8, ROLLUP);
    within(r.area_mm2, 85.4, ROLLUP);
    within(r.power_breakdown_w["chip.tile"], 55.4, ROLLUP);
    within(r.area_breakdown_mm2["chip.tile"], 62.5, ROLLUP);
  });
  it("tile 330 mW / 0.372 mm², its 12 IMAs 289 mW / 0.157 mm², the tile-level rows 40.9 mW / 0.215 mm² (§1.2 Table I)", () => {
    within(r.tile.power_w, 0.33, ROLLUP);
    within(r.tile.area_mm2, 0.372, ROLLUP);
    const imaT = instanceTotals(ima);
    within((ima.count * imaT.powerMw) / 1e3, 0.289, ROLLUP);
    within((ima.count * imaT.areaUm2) / 1e6, 0.157, ROLLUP);
    // the tile's own rows, router counted as ¼, as Table I's "tile-level subtotal"
    const own = without(tile, "mvmu");
    within(own.powerMw, 40.9, ROLLUP);
    within(own.areaUm2 / 1e6, 0.215, ROLLUP);
  });
  it("the instance counts the design implies are Table I's: 8 ADCs, 8 × 128 DACs and S+H per IMA, 16,128 arrays", () => {
    const count = (name: string) => child(ima, name).count;
    expect(ima.count).toBe(ISAAC.imasPerTile);
    expect(count("adc")).toBe(ISAAC.arraysPerIma);
    expect(count("crossbar")).toBe(ISAAC.arraysPerIma);
    expect(count("dac")).toBe(ISAAC.arraysPerIma * ISAAC.rows);
    expect(count("sampleHold")).toBe(ISAAC.arraysPerIma * ISAAC.cols);
    expect(count("shiftAdd")).toBe(4);
    expect(child(tile, "router").count).toBe(1 / 4);
    expect(r.mvmus * ISAAC.arraysPerIma).toBe(isaacArrays);
  });
  it("shares stated in §VIII-A: ADCs 58 % of tile power and 31 % of tile area, eDRAM + bus 47 % of tile area, nothing else above 15 % of tile power", () => {
    const byName = totalsByName({ ...tile, count: 1 });
    const t = instanceTotals(tile);
    // the paper rounds to whole percents: ±0.5 point (computed 58.2 % and 30.9 %)
    expect(Math.abs(byName.adc.powerMw / t.powerMw - 0.58)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(byName.adc.areaUm2 / t.areaUm2 - 0.31)).toBeLessThanOrEqual(0.005);
    // computed 46.5 %, as Table I's own rows give (0.173 / 0.372): ±1 point
    const edram = byName.sharedMemory.areaUm2 + byName.bus.areaUm2;
    expect(Math.abs(edram / t.areaUm2 - 0.47)).toBeLessThanOrEqual(0.01);
    const others = Object.entries(byName).filter(([k, v]) => k !== "adc" && v.powerMw > 0);
    expect(others.length).toBeGreaterThan(5);
    for (const [, v] of others) expect(v.powerMw / t.powerMw).toBeLessThan(0.15);
  });
  it("peak throughput 41.29 TOPS from the paper's parameters: 2016 IMAs × 128 × 128 MACs × 2 ops per 16 × 100 ns", () => {
    expect(r.mvm.macs).toBe(isaacMacsPerIma);
    // the model's phases are whole cycles of the 1.2 GHz clock (120 cycles of an 833 ps period =
    // 99.96 ns per input bit), so its interval is 0.04 % short of 1.6 µs
    within(r.mvm.interval_s, isaacIntervalS, 1e-3);
    within(r.peak_ops_per_s, isaacPeakOps, 1e-3);
  });
  it("Table IV: PE 627.5 GOPS/W within 0.5 %; CE 478.95 GOPS/s/mm² missed by +1 %, as the paper's own peak over its area (isaac.yaml header)", () => {
    within(r.tops_per_w * 1e3, 627.5, ROLLUP);
    // 41.29 TOPS / Table I's 85.4 mm² = 483.5 GOPS/s/mm² (§1.3); Table IV's 478.95 would need 86.2 mm²
    within(r.tops_per_mm2 * 1e3, isaacPeakOps / 85.4 / 1e9, 2e-3);
    within(r.tops_per_mm2 * 1e3, 478.95, 0.015);
  });
  it("the totals are sums of the parts: perturbing one part moves them by that part's change × its instances", () => {
    const base = archCost(cfg("isaac"));
    // ADC 2 → 3 mW: +1 mW on each of the 16,128 ADCs, +96 mW per tile, area unchanged
    const adc = rawOf("isaac");
    adc.tile.mvmu.adc.model.cost.power = "3mW";
    const a = archCost(adc);
    expect(a.power_w - base.power_w).toBeCloseTo((isaacArrays * 1) / 1e3, 9);
    expect(a.tile.power_w - base.tile.power_w).toBeCloseTo((ISAAC.imasPerTile * ISAAC.arraysPerIma * 1) / 1e3, 12);
    expect(a.area_mm2).toBeCloseTo(base.area_mm2, 9);
    // GOPS/W follows the power: same peak over the new total
    within(a.tops_per_w, base.peak_ops_per_s / (a.power_w * 1e12), 1e-12);
    // router 42 → 46 mW: one router per 4 tiles (c-mesh, c = 4), so 42 routers, +168 mW
    const router = rawOf("isaac");
    router.noc.router.power = "46mW";
    expect(archCost(router).power_w - base.power_w).toBeCloseTo((ISAAC.tiles / 4) * 4e-3, 9);
    // HyperTransport area +1 mm²: the chip grows by 1 mm², the tile not at all
    const ht = rawOf("isaac");
    ht.offchip.area = "23.88mm2";
    const h = archCost(ht);
    expect(h.area_mm2 - base.area_mm2).toBeCloseTo(1, 9);
    expect(h.tile.area_mm2).toBe(base.tile.area_mm2);
  });
});

// PUMA's architecture parameters (docs/references.md §2.2, §2.4): 138 tiles × 8 cores × 2 MVMUs of
// 128 × 128 logical 16-bit weights; each of the 16 input bits takes a 1-cycle S+H (snh_lat) and a
// 100 ns readout of 128 columns by the ADC (adc_lat) at 1 GHz
const PUMA = { tiles: 138, coresPerTile: 8, mvmusPerCore: 2, rows: 128, cols: 128, inputBits: 16, stepS: 1e-9 + 100e-9 };
const pumaMvmus = PUMA.tiles * PUMA.coresPerTile * PUMA.mvmusPerCore; // 2208
const pumaIntervalS = PUMA.inputBits * PUMA.stepS; // 1.616 µs
const pumaPeakOps = (2 * pumaMvmus * PUMA.rows * PUMA.cols) / pumaIntervalS; // 44.8 TOPS

describe("PUMA (docs/references.md §6 cases 7–8; the Table 3 totals are recalled [R])", () => {
  const r = archCost(cfg("puma"));
  const tile = child(r.tree, "tile");
  const core = child(tile, "core");
  const mvmu = child(core, "mvmu");

  it("node 62.5 W / 90.638 mm²: computed +0.7 % / +1.6 %, all of it the tile's (puma.yaml header)", () => {
    within(r.power_w, 62.5, 0.01);
    within(r.area_mm2, 90.638, 0.02);
  });
  it("tile 373.8 mW / 0.479 mm² (router outside, as the node row counts it): computed +0.7 % / +2.3 %", () => {
    // §2.4: node = 138 tiles + 34.5 routers (on-chip network) + HT, so the tile row has no router share
    const t = without(tile, "router");
    within(t.powerMw, 373.8, 0.01);
    within(t.areaUm2 / 1e6, 0.479, 0.025);
  });
  it("core 42.37 mW / 0.036 mm² (+0.6 % / +0.5 %) and MVMU 19.09 mW / 0.012 mm² (+0.6 % / −3.1 %), MVMU built from the simulator's parts", () => {
    const c = instanceTotals(core);
    within(c.powerMw, 42.37, 0.01);
    within(c.areaUm2 / 1e6, 0.036, 0.01);
    const m = instanceTotals(mvmu);
    within(m.powerMw, 19.09, 0.01);
    within(m.areaUm2 / 1e6, 0.012, 0.035);
  });
  it("peak throughput from the parameters: 2208 MVMUs × 128 × 128 MACs × 2 ops per 16 × (1 ns S+H + 100 ns readout)", () => {
    expect(r.mvmus).toBe(pumaMvmus);
    expect(r.mvm.macs).toBe(PUMA.rows * PUMA.cols);
    within(r.mvm.interval_s, pumaIntervalS, 1e-9);
    within(r.peak_ops_per_s, pumaPeakOps, 1e-9);
  });
  it("GOPS/W and GOPS/s/mm² miss the published 837 and 577 by −15 %: the whole gap but the roll-up's is the MVM interval (puma.yaml header)", () => {
    // 577 GOPS/s/mm² × 90.638 mm² = 52.3 TOPS (§2.4 reconciliation): one MVM per 1.38 µs per MVMU,
    // against the modelled 1.616 µs
    const publishedOps = 577e9 * 90.638;
    const impliedIntervalS = (2 * pumaMvmus * PUMA.rows * PUMA.cols) / publishedOps;
    const scale = pumaIntervalS / impliedIntervalS; // 1.168
    // the raw miss (−15.0 %, −15.7 %) is more than the interval's −14.4 %: the roll-up's excess adds to it
    expect(r.tops_per_w * 1e3).toBeLessThan(837 / scale);
    expect(r.tops_per_mm2 * 1e3).toBeLessThan(577 / scale);
    // at the implied interval the computed efficiencies land within the roll-up's +0.7 % / +1.6 %
    within(r.tops_per_w * 1e3 * scale, 837, 0.01);
    within(r.tops_per_mm2 * 1e3 * scale, 577, 0.02);
  });
  it("the node total is a sum of the parts: +1 mW on the VFU is +1 mW on each of the 1,104 cores", () => {
    const vfu = rawOf("puma");
    vfu.tile.core.cost.vectorUnit.power = "2.9mW";
    expect(archCost(vfu).power_w - r.power_w).toBeCloseTo((PUMA.tiles * PUMA.coresPerTile * 1) / 1e3, 9);
  });
});

describe("Wu et al. 2023 tile (docs/references.md §6 case 9)", () => {
  const d = loadChipDesign(cfg("wu2023"));
  const once = simulateMvmuOnce(d.config.tile.mvmu, { clockHz: d.config.clock });
  it("one 64×64 tile op takes 8 column groups × 9 cycles = 0.72 µs", () => {
    expect(once.latencyS).toBeCloseTo(72 / 100e6, 15);
  });
  it("energy per tile op is the CiMLoop ADC model's: 64 conversions + 8 ADCs' leakage over 0.72 µs", () => {
    // docs/references.md §4.2 [D]: 8 bits, 65 nm, 100 MS/s → 6.49 pJ per conversion, 20 % of it leakage
    const ePj = 6.49;
    const dynamic = 64 * 0.8 * ePj * 1e-12;
    const leakage = 8 * (0.2 * ePj * 1e-12 * 100e6) * 0.72e-6;
    within(once.energyJ, dynamic + leakage, 0.005);
    expect(once.breakdownJ.adc).toBeCloseTo(once.energyJ, 15);
  });
  it("the parts-based estimate is a lower bound on the published 2.66 nJ / 3.08 TOPS/W (gap explained in wu2023.yaml)", () => {
    // the paper's total includes the TIA, word-line DAC and drivers, which have no published figure
    expect(once.energyJ).toBeLessThan(2.66e-9);
    expect((64 * 64 * 2) / once.energyJ / 1e12).toBeGreaterThan(3.08);
  });
  it("rramsim cost counts logical MACs: a differential pair is one weight, so half the paper's ops", () => {
    const p = peakThroughput(d);
    expect(p.macsPerMvm).toBe(64 * 32);
    const r = archCost(d);
    expect(r.tops_per_w * 2).toBeCloseTo((64 * 64 * 2) / once.energyJ / 1e12, 9);
  });
});
