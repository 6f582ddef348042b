import { describe, expect, it } from "vitest";
import { createPhysicalArray, PhysicalArray } from "../../arch/crossbar/physical-array";
import { loadDevice, DeviceConfigSchema, type DeviceConfig } from "../../arch/device/device-config";
import { validate } from "../../sim/config";
import { RandomStream } from "../../sim/random";

function device(raw: Record<string, unknown>): DeviceConfig {
  return validate(DeviceConfigSchema, raw, "test");
}

function levelsOf(rows: number, cols: number, top: number, seed: number): number[] {
  const rs = new RandomStream(seed, "levels");
  return Array.from({ length: rows * cols }, () => rs.int(top + 1));
}

function naive(levels: number[], input: number[], rows: number, cols: number): number[] {
  const out = new Array(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c] += levels[r * cols + c] * input[r];
  return out;
}

describe("physical array (AnalogArray contract)", () => {
  it("an ideal device without IR drop returns the exact integer column sums", () => {
    const rows = 16,
      cols = 8,
      cellBits = 2;
    const a = createPhysicalArray({ device: loadDevice("ideal"), rows, cols, cellBits, stream: new RandomStream(1, "xbar") });
    const levels = levelsOf(rows, cols, 3, 7);
    a.program(levels);
    const input = Array.from({ length: rows }, (_, r) => (r * 5) % 4);
    const out = new Float64Array(cols);
    a.readColumns(Float64Array.from(input), out);
    expect(Array.from(out)).toEqual(naive(levels, input, rows, cols));
  });

  it("the same seed gives the same reads, bit for bit", () => {
    const run = () => {
      const a = createPhysicalArray({ device: loadDevice("brram-wu2023"), rows: 8, cols: 4, cellBits: 4, stream: new RandomStream(3, "x"), timeS: 3600 });
      a.program(levelsOf(8, 4, 15, 1));
      const out = new Float64Array(4);
      a.readColumns(new Float64Array(8).fill(1), out);
      return Array.from(out);
    };
    expect(run()).toEqual(run());
  });

  it("per-read noise is output-referred with σ = σ_cell/ΔG · sqrt(Σx²)", () => {
    // ideal device with 1 µS per-read noise, ΔG = 100 µS / 3 → σ_out = 0.03 · sqrt(Σx²)
    const d = device({ kind: "ideal", gMin: 0, gMax: "100uS", perReadNoise: "1uS" });
    const rows = 4,
      cols = 64;
    const a = createPhysicalArray({ device: d, rows, cols, cellBits: 2, stream: new RandomStream(5, "x") });
    a.program(new Array(rows * cols).fill(1));
    const input = Float64Array.from([1, 2, 0, 2]); // Σx² = 9, Σx = 5
    const out = new Float64Array(cols);
    let s2 = 0,
      n = 0;
    for (let k = 0; k < 200; k++) {
      a.readColumns(input, out);
      for (let c = 0; c < cols; c++) {
        s2 += (out[c] - 5) ** 2;
        n++;
      }
    }
    const expected = (1 / (100 / 3)) * 3;
    expect(Math.sqrt(s2 / n)).toBeGreaterThan(expected * 0.95);
    expect(Math.sqrt(s2 / n)).toBeLessThan(expected * 1.05);
  });

  it("stuck-at-on cells read as the top level, stuck-at-off as level 0", () => {
    const on = device({ kind: "ideal", gMin: "10uS", gMax: "100uS", faults: { stuckOnRate: 1 } });
    const a = new PhysicalArray({ device: on, rows: 2, cols: 2, cellBits: 3, stream: new RandomStream(1, "x") });
    a.program([0, 1, 2, 3]);
    for (const v of a.effectiveLevels()) expect(v).toBeCloseTo(7, 12);
    const off = device({ kind: "ideal", gMin: "10uS", gMax: "100uS", faults: { stuckOffRate: 1 } });
    const b = new PhysicalArray({ device: off, rows: 2, cols: 2, cellBits: 3, stream: new RandomStream(1, "x") });
    b.program([0, 1, 2, 3]);
    for (const v of b.effectiveLevels()) expect(v).toBeCloseTo(0, 12);
  });

  it("CMO/HfOx relaxation lowers every level by about 0.089·ln t µS / ΔG on average", () => {
    const d = loadDevice("cmo-hfox");
    const rows = 64,
      cols = 64,
      cellBits = 4;
    const a = new PhysicalArray({ device: d, rows, cols, cellBits, stream: new RandomStream(2, "x"), timeS: 86400 });
    a.program(new Array(rows * cols).fill(8));
    const w = a.effectiveLevels();
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const dG = (88.19 - 9) / 15;
    // mean shift −0.08900206·ln(86400) = −1.0118 µS (docs/references.md §7.1.3)
    expect(mean - 8).toBeCloseTo(-1.0118 / dG, 1);
  });

  it("programming an out-of-range level is refused", () => {
    const a = createPhysicalArray({ device: loadDevice("ideal"), rows: 1, cols: 2, cellBits: 1, stream: new RandomStream(1, "x") });
    expect(() => a.program([0, 2])).toThrow(RangeError);
  });
});

describe("physical array read-path options", () => {
  const ones = (n: number) => new Float64Array(n).fill(1);
  it("nodal IR drop with a vanishing wire resistance gives the plain column sums", () => {
    const d = device({ kind: "ideal", gMin: "10uS", gMax: "100uS", wire: { segmentResistance: "1uOhm" } });
    const rows = 8,
      cols = 4;
    const levels = levelsOf(rows, cols, 3, 2);
    const a = createPhysicalArray({ device: d, rows, cols, cellBits: 2, stream: new RandomStream(1, "x"), irDrop: "nodal" });
    a.program(levels);
    const input = Float64Array.from([1, 0, 1, 1, 0, 1, 1, 1]);
    const out = new Float64Array(cols);
    a.readColumns(input, out);
    naive(levels, Array.from(input), rows, cols).forEach((v, c) => expect(out[c]).toBeCloseTo(v, 6));
  });
  it("both IR-drop models lower the sensed sums of a 64-row array at 0.35 Ω per segment", () => {
    for (const irDrop of ["linear", "nodal"] as const) {
      const a = createPhysicalArray({ device: loadDevice("ideal"), rows: 64, cols: 8, cellBits: 2, stream: new RandomStream(1, "x"), irDrop });
      a.program(new Array(64 * 8).fill(3));
      const out = new Float64Array(8);
      a.readColumns(ones(64), out);
      for (const v of out) {
        expect(v).toBeLessThan(64 * 3);
        expect(v).toBeGreaterThan(64 * 3 * 0.8);
      }
    }
  });
  it("the sinh I-V nonlinearity scales a drive v of full scale by sinh(k·v)/sinh(k)", () => {
    const d = device({ kind: "ideal", gMin: 0, gMax: "100uS", ivNonlinearity: { kind: "sinh", k: 2 } });
    const a = createPhysicalArray({ device: d, rows: 1, cols: 1, cellBits: 1, stream: new RandomStream(1, "x"), inputFullScale: 4 });
    a.program([1]);
    const out = new Float64Array(1);
    a.readColumns(Float64Array.from([2]), out);
    expect(out[0]).toBeCloseTo((4 * Math.sinh(1)) / Math.sinh(2), 12);
    a.readColumns(Float64Array.from([4]), out);
    expect(out[0]).toBeCloseTo(4, 12);
  });
  it("device-to-device variation is a per-cell gain with the configured σ", () => {
    const d = device({ kind: "ideal", gMin: 0, gMax: "100uS", variation: { d2dStd: 0.1 } });
    const a = new PhysicalArray({ device: d, rows: 100, cols: 100, cellBits: 1, stream: new RandomStream(1, "x") });
    a.program(new Array(10000).fill(1));
    const w = a.effectiveLevels();
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    expect(mean).toBeCloseTo(1, 2);
    expect(std).toBeCloseTo(0.1, 2);
  });
});
