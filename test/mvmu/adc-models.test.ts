// ADC energy/area models reproduce the reference numbers (docs/references.md §4, §6 item 10) from each model's
// own inputs.
import { describe, expect, it } from "vitest";
import { adcFigures, ISAAC_SAR_TABLE, schreierEnergyJ } from "../../arch/mvmu/adc-models";
import { mvmuParams } from "../../arch/mvmu/presets";
import { MVMU_PRESETS } from "../../arch/mvmu/presets";
import { RramsimError } from "../../sim/errors";

const x = (bits: number, rate: number) => ({ bits, sampleRateHz: rate, peakRateHz: rate });

describe("ADC models (docs/references.md §6 item 10)", () => {
  it("cimloop: 8-bit, 32 nm, 1.28 GS/s → 1.93 pJ per conversion (incl. 20 % leakage) and 6,470 µm²", () => {
    const f = adcFigures({ kind: "cimloop", techNodeNm: 32 }, x(8, 1.28e9));
    const totalPj = f.energyPj + (f.leakageMw / 1.28e9) * 1e9;
    expect(totalPj).toBeCloseTo(1.93, 2);
    expect(f.energyPj).toBeCloseTo(0.8 * 1.93, 2);
    expect(f.areaUm2 / 6470).toBeGreaterThan(0.99);
    expect(f.areaUm2 / 6470).toBeLessThan(1.01);
  });

  it("cimloop: the other tabulated points (32 nm 1.2 GS/s, 100 MS/s; 65 nm; 22 nm; 4…10 bits)", () => {
    const total = (bits: number, node: number, rate: number) => {
      const f = adcFigures({ kind: "cimloop", techNodeNm: node }, x(bits, rate));
      return { e: f.energyPj + (f.leakageMw / rate) * 1e9, a: f.areaUm2 };
    };
    const cases: [number, number, number, number, number | null][] = [
      [8, 32, 1.2e9, 1.85, 6310],
      [8, 32, 1e8, 1.71, 3940],
      [8, 65, 1.28e9, 7.31, 19500],
      [8, 65, 1e8, 6.49, 11900],
      [8, 22, 1e9, 0.85, 3330],
      [4, 32, 1.28e9, 0.92, null],
      [6, 32, 1.28e9, 1.07, null],
      [7, 32, 1.28e9, 1.31, null],
      [9, 32, 1.28e9, 5.53, null],
      [10, 32, 1.28e9, 16.4, null],
    ];
    for (const [bits, node, rate, e, a] of cases) {
      const r = total(bits, node, rate);
      expect(Math.abs(r.e / e - 1)).toBeLessThan(0.01);
      if (a !== null) expect(Math.abs(r.a / a - 1)).toBeLessThan(0.01);
    }
  });

  it("table preset isaac-sar: 4 … 10 bits → 0.79 … 2.38 pJ and 361 … 3002 µm²", () => {
    const expected = [
      [4, 0.79, 361],
      [5, 0.99, 477],
      [6, 1.2, 627],
      [7, 1.42, 845],
      [8, 1.67, 1200],
      [9, 1.97, 1828],
      [10, 2.38, 3002],
    ];
    for (const [bits, e, a] of expected) {
      const f = adcFigures({ kind: "table", preset: "isaac-sar", leakage: 0 }, x(bits, 1.2e9));
      expect(f.energyPj).toBe(e);
      expect(f.areaUm2).toBe(a);
    }
    expect(ISAAC_SAR_TABLE).toHaveLength(7);
  });

  it("table: a resolution outside the table is refused with CONFIG_RANGE", () => {
    try {
      adcFigures({ kind: "table", preset: "isaac-sar", leakage: 0 }, x(12, 1e9));
      expect.unreachable();
    } catch (e) {
      expect((e as RramsimError).code).toBe("CONFIG_RANGE");
    }
  });

  it("neurosim: 8-bit 32 nm HP → (1.0157·8 + 7.6286) µW × 9 ns = 0.14 pJ, 9 ns", () => {
    const f = adcFigures({ kind: "neurosim", techNodeNm: 32, device: "hp", area: 0 }, x(8, 1e8));
    expect(f.energyPj).toBeCloseTo(((1.0157 * 8 + 7.6286) * 1e-6 * 9e-9) / 1e-12, 10);
    expect(f.energyPj).toBeCloseTo(0.14, 2);
    expect(f.latencyS).toBeCloseTo(9e-9, 15);
  });

  it("mnsim with the ISAAC ADC (2 mW, 1.28 GS/s, 8 bits) → 7.8 ns and 15.6 pJ", () => {
    const f = adcFigures({ kind: "mnsim", power: 2, area: 1200 }, x(8, 1.28e9));
    expect(f.latencyS).toBeCloseTo(10 / 1.28e9, 15);
    expect(f.energyPj).toBeCloseTo(15.625, 6);
  });

  it("cost spec: ISAAC's 2 mW per ADC at 1.28 GS/s is 1.5625 pJ per conversion (16 mW × 100 ns / 1024)", () => {
    const f = adcFigures({ kind: "cost", cost: { power: 2, leakage: 0, area: 1200 } }, x(8, 1.28e9));
    expect(f.energyPj).toBeCloseTo((16e-3 * 100e-9) / 1024 / 1e-12, 9);
    expect(f.peakPowerMw).toBeCloseTo(2, 12);
  });

  it("walden: E = FOM_W · 2^ENOB", () => {
    expect(adcFigures({ kind: "walden", fom: 0.005, leakage: 0, area: 0 }, x(8, 1e9)).energyPj).toBeCloseTo(0.005 * 256, 12);
    expect(adcFigures({ kind: "walden", fom: 0.005, enob: 7.5, leakage: 0, area: 0 }, x(8, 1e9)).energyPj).toBeCloseTo(0.005 * 2 ** 7.5, 12);
  });

  it("schreier: E = 1 / (2·10^((FOM − SNDR)/10)), SNDR = 6.02·N + 1.76", () => {
    // 170 dB at 8 bits: SNDR 49.92 dB, 10^((170 − 49.92)/10) = 10^12.008
    const e = 1 / (2 * 10 ** ((170 - 49.92) / 10));
    expect(schreierEnergyJ(170, 8)).toBeCloseTo(e, 20);
    expect(adcFigures({ kind: "schreier", fomDb: 170, leakage: 0, area: 0 }, x(8, 1e9)).energyPj).toBeCloseTo(e * 1e12, 9);
  });

  it("an ADC model config with both a preset and entries is refused", () => {
    const raw = structuredClone(MVMU_PRESETS.isaac) as Record<string, any>;
    raw.adc.model = { kind: "table", preset: "isaac-sar", entries: [{ bits: 8, energy: 1, area: 1 }] };
    expect(() => mvmuParams(raw, "t.yaml")).toThrow(RramsimError);
  });
});
