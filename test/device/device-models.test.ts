import { describe, expect, it } from "vitest";
import { DeviceConfigSchema, devicePresets, loadDevice, type DeviceConfig } from "../../arch/device/device-config";
import { createDeviceModel } from "../../arch/device/device-factory";
import { wan2022Coefficients } from "../../arch/device/wan2022";
import { MultiLevelDevice } from "../../arch/device/multilevel";
import { validate } from "../../sim/config";
import { codeOf } from "./helpers";
import { RandomStream } from "../../sim/random";

function device(raw: Record<string, unknown>): DeviceConfig {
  return validate(DeviceConfigSchema, raw, "test.yaml");
}

function stats(a: Float64Array, ref: number): { mean: number; std: number } {
  let s = 0;
  for (const v of a) s += v - ref;
  const mean = s / a.length;
  let q = 0;
  for (const v of a) q += (v - ref - mean) ** 2;
  return { mean, std: Math.sqrt(q / a.length) };
}

const N = 40_000;

describe("device configs", () => {
  it("every bundled preset validates", () => {
    const names = devicePresets();
    expect(names).toEqual(expect.arrayContaining(["ideal", "cmo-hfox", "wan2022", "brram-wu2023", "brram-wu2023-128"]));
    for (const n of names) expect(() => loadDevice(n)).not.toThrow();
  });
  it("units are parsed into µS", () => {
    expect(device({ kind: "ideal", gMin: "4uS", gMax: "0.04mS" }).gMax).toBeCloseTo(40, 12);
  });
  it("an unknown key is refused", () => {
    expect(codeOf(() => device({ kind: "ideal", gMin: 0, gMax: 10, gMid: 5 }))).toBe("CONFIG_UNKNOWN_KEY");
  });
  it("a conductance with a unit of another dimension is refused", () => {
    expect(codeOf(() => device({ kind: "ideal", gMin: 0, gMax: "40uF" }))).toBe("CONFIG_UNIT");
  });
  it("gMax must exceed gMin", () => {
    expect(codeOf(() => device({ kind: "ideal", gMin: "50uS", gMax: "40uS" }))).toBe("CONFIG_RANGE");
  });
  it("an acceptance range other than 0.2 % or 2 % is refused", () => {
    expect(codeOf(() => device({ kind: "cmo-hfox", gMin: 9, gMax: 88, acceptance: 1 }))).toBe("CONFIG_VALUE");
  });
  it("an unknown preset that is no file either is CONFIG_READ", () => {
    expect(codeOf(() => loadDevice("flux-capacitor"))).toBe("CONFIG_READ");
  });
});

describe("CMO/HfOx model (coefficients of docs/references.md §7.1)", () => {
  const at = (raw: Record<string, unknown>, target: number, t: number) => {
    const m = createDeviceModel(device({ kind: "cmo-hfox", gMin: "9uS", gMax: "88.19uS", ...raw }));
    const tg = new Float64Array(N).fill(target);
    const p = new Float64Array(N);
    const rs = new RandomStream(11, "cmo");
    m.program(tg, p, rs);
    if (t === 0) return p;
    const g = new Float64Array(N);
    m.atAge(tg, p, t, g, rs);
    return g;
  };
  it("programming σ is c0 + c1·G for the 0.2 % acceptance range", () => {
    const s = stats(at({ acceptance: 0.2 }, 50, 0), 50);
    expect(s.std / (0.00081107 + 0.00106879 * 50)).toBeCloseTo(1, 1);
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
  });
  it("programming σ is c0 + c1·G for the 2 % acceptance range", () => {
    const s = stats(at({ acceptance: 2 }, 50, 0), 50);
    expect(s.std / (0.0112185391 + 0.01129027418 * 50)).toBeCloseTo(1, 1);
  });
  it("after 1 h the mean is shifted by −0.08900206·ln t and σ combines programming, relaxation and read noise", () => {
    const t = 3600;
    const lnT = Math.log(t);
    const sProg = 0.00081107 + 0.00106879 * 50;
    const sRel = 0.04201137 * lnT + 0.41183342;
    const sRead = 0.0277316483 * Math.log10(50) * Math.sqrt(Math.log((t + 1e-6) / 2e-6));
    const s = stats(at({}, 50, t), 50);
    expect(s.mean).toBeCloseTo(-0.08900206 * lnT, 1);
    expect(s.std / Math.hypot(sProg, sRel, sRead)).toBeCloseTo(1, 1);
  });
  it("conductances are clamped to [gMin, gMax]", () => {
    const g = at({}, 9, 315360000);
    expect(Math.min(...g)).toBe(9);
    const h = at({}, 88.19, 1);
    expect(Math.max(...h)).toBe(88.19);
  });
});

describe("Wan et al. 2022 model (polynomials of docs/references.md §7.2)", () => {
  const m = createDeviceModel(loadDevice("wan2022")); // gMax 25 µS
  it("programming σ at u = 0.5 is the 1 s polynomial's 2.02 µS", () => {
    const tg = new Float64Array(N).fill(12.5);
    const p = new Float64Array(N);
    m.program(tg, p, new RandomStream(1, "wan"));
    expect(stats(p, 12.5).std).toBeCloseTo(0.348 + 16.03 / 2 - 43.853 / 4 + 45.393 / 8 - 16.815 / 16, 1);
  });
  it("at 1 day the state is a fresh draw around the target with the 1 d polynomial (3.91 µS at u = 0.5)", () => {
    const tg = new Float64Array(N).fill(12.5);
    const p = new Float64Array(N).fill(1000); // ignored by the model
    const g = new Float64Array(N);
    m.atAge(tg, p, 86400, g, new RandomStream(2, "wan"));
    const s = stats(g, 12.5);
    expect(Math.abs(s.mean)).toBeLessThan(0.1);
    expect(s.std).toBeCloseTo(0.701 + 22.086 / 2 - 50.773 / 4 + 47.095 / 8 - 16.458 / 16, 1);
  });
  it("coefficients are held at the 2-day fit after 2 days and interpolated in ln t in between", () => {
    expect(wan2022Coefficients(315360000)).toEqual([0.782, 20.274, -43.507, 37.062, -11.934]);
    const mid = Math.sqrt(86400 * 172800); // halfway in ln t
    expect(wan2022Coefficients(mid)[0]).toBeCloseTo((0.701 + 0.782) / 2, 12);
  });
});

describe("multi-level device", () => {
  it("programming snaps to the nearest of n levels between gMin and gMax", () => {
    const m = new MultiLevelDevice(device({ kind: "multilevel", gMin: "4uS", gMax: "40uS", levels: 128 }) as never);
    const out = new Float64Array(3);
    m.program(Float64Array.from([4, 4.2, 40]), out, new RandomStream(1, "m"));
    const step = 36 / 127;
    expect(out[0]).toBe(4);
    expect(out[1]).toBeCloseTo(4 + step, 12); // 4.2 is 0.7 steps up → level 1
    expect(out[2]).toBeCloseTo(40, 12);
  });
  it("the b-RRAM 4-bit device has programming error 0.5 and read variation 0.3 level spacings", () => {
    const d = loadDevice("brram-wu2023");
    const m = createDeviceModel(d);
    const spacing = (d.gMax - d.gMin) / 15;
    expect(m.perReadSigmaUs).toBeCloseTo(0.3 * spacing, 12);
    const tg = new Float64Array(N).fill(d.gMin + 7 * spacing);
    const p = new Float64Array(N);
    m.program(tg, p, new RandomStream(1, "b"));
    expect(stats(p, tg[0]).std / spacing).toBeCloseTo(0.5, 1);
  });
});
