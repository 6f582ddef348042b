// The MVMU path of `rramsim mvm --arch`: typed functions, values against a BigInt product, energy
// against ISAAC's Table I arithmetic, flag and file errors by code.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { buildMvmuExperiment, parseAdcBits, runMvmuExperiment } from "../../app/experiments/mvm-unit";
import { RramsimError } from "../../sim/errors";
import { MVMU_PRESETS } from "../../arch/mvmu/presets";
import { exactProduct } from "./helpers";
import { cli } from "../spawn";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-mvmu-"));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as RramsimError).code;
  }
  return "no error";
};

// ISAAC's DACs (Table I: 4 mW for 8 × 128 1-bit DACs, each driving its row once per input step,
// 16 steps per 1.6 µs MVM) cost 4 mW / 1024 / (16 / 1.6 µs) = 0.390625 pJ per pulse. Only rows
// whose bit is 1 are pulsed: a 16-bit two's-complement input pulses its row once per 1 among its
// 16 bits, in each of the 8 crossbars. The rest of the IMA's rows is 20.08 mW × 1.6 µs per MVM.
const ISAAC_PULSE_J = 4e-3 / 1024 / (16 / 1.6e-6);
function isaacDacJ(inputs: readonly number[]): number {
  let ones = 0;
  for (const v of inputs) for (let b = 0; b < 16; b++) ones += (v >> b) & 1;
  return ones * 8 * ISAAC_PULSE_J;
}

describe("rramsim mvm --arch (typed functions)", () => {
  it("ISAAC's MVMU is exact at its 8-bit ADC and costs Table I's 289 mW / 12 × 1.6 µs per MVM, less the DAC pulses its inputs do not drive", () => {
    const x = buildMvmuExperiment({ arch: "isaac", rows: "128", cols: "12", vectors: "3", seed: "7" });
    const r = runMvmuExperiment(x);
    expect(r.exact).toBe(true);
    for (let v = 0; v < 3; v++) {
      const want = exactProduct(x.weights, 128, 12, x.inputs.slice(v * 128, v * 128 + 128));
      expect(r.outputs?.[v].map((y) => BigInt(y))).toEqual(want);
    }
    // Table I's IMA rows: 16 + 4 + 0.01 + 2.4 + 0.2 + 1.24 + 0.23 = 24.08 mW (× 12 = 288.96, printed as 289)
    expect(r.energy_per_mvm_j).toBeCloseTo(20.08e-3 * 1.6e-6 + isaacDacJ(x.inputs) / 3, 14);
    expect(r.energy_per_mvm_j).toBeLessThan(24.08e-3 * 1.6e-6);
    // three MVMs back to back: the first after 1.7 µs, then one every 1.6 µs
    expect(r.latency_s).toBeCloseTo(1.7e-6 + 2 * 1.6e-6, 15);
    expect(r.adc_bits_lossless).toBe(8);
    expect(r.adc_bits_survey_formula).toBe(9);
  });

  it("a matrix taller and wider than one MVMU is cut into blocks whose partial sums add up exactly", () => {
    const w = Array.from({ length: 300 }, (_, r) => Array.from({ length: 130 }, (_, c) => ((r * 31 + c * 17) % 65536) - 32768));
    const xs = [Array.from({ length: 300 }, (_, r) => ((r * 101) % 65536) - 32768)];
    const x = buildMvmuExperiment({ arch: "isaac", weights: file("w.json", JSON.stringify(w)), inputs: file("x.json", JSON.stringify(xs)) });
    const r = runMvmuExperiment(x);
    expect(r.mvmus).toBe(3 * 2);
    expect(r.outputs?.[0].map((y) => BigInt(y))).toEqual(exactProduct(w.flat(), 300, 130, xs[0]));
  });

  it("flags change the encoding: unsigned 8-bit weights on 1-bit cells, differential, no flip", () => {
    const x = buildMvmuExperiment({ arch: "isaac", cellBits: "1", weightBits: "8", inputBits: "6", signedWeights: "differential", flip: false, rows: "40", cols: "5", vectors: "2" });
    expect(x.params.crossbar.cellBits).toBe(1);
    expect(x.params.encoding.signedWeights).toBe("differential");
    expect(x.params.encoding.flip).toBe(false);
    const r = runMvmuExperiment(x);
    // 1-bit DAC, 1-bit cells, 128 rows: 128 needs 8 bits — the survey formula says 7
    expect(r.adc_bits_lossless).toBe(8);
    expect(r.adc_bits_survey_formula).toBe(7);
    expect(r.exact).toBe(true);
  });

  it("the ADC sweep is exact from the lossless resolution up and not below it", () => {
    const x = buildMvmuExperiment({ arch: "isaac", adcBits: "6..9", rows: "128", cols: "8", vectors: "4" });
    const r = runMvmuExperiment(x);
    expect(r.adc_sweep?.map((s) => s.adc_bits)).toEqual([6, 7, 8, 9]);
    expect(r.adc_sweep?.map((s) => s.exact)).toEqual([false, false, true, true]);
    expect(r.adc_sweep?.[0].rmse_lsb).toBeGreaterThan(r.adc_sweep?.[1].rmse_lsb as number);
    expect(r.adc_sweep?.[2].adc_energy_share).toBeCloseTo((16e-3 * 1.6e-6) / (20.08e-3 * 1.6e-6 + isaacDacJ(x.inputs) / 4), 9);
  });

  it("timing fidelity computes no values but the same energy and latency", () => {
    const r = runMvmuExperiment(buildMvmuExperiment({ arch: "isaac", fidelity: "timing" }));
    expect(r.outputs).toBeNull();
    expect(r.exact).toBeNull();
    expect(r.latency_s).toBeCloseTo(1.7e-6, 15);
  });

  it("physical fidelity runs the device model, seeded: the same seed gives the same outputs", () => {
    // a day after programming the conductances have relaxed enough to move the ADC codes
    const flags = { arch: "isaac", fidelity: "physical", device: "cmo-hfox", rows: "128", cols: "8", vectors: "2", seed: "3", time: "1d" };
    const a = runMvmuExperiment(buildMvmuExperiment(flags));
    const b = runMvmuExperiment(buildMvmuExperiment(flags));
    expect(a.outputs).toEqual(b.outputs);
    expect(a.device).toBe("cmo-hfox");
    expect(a.rmse_lsb).toBeGreaterThan(0);
  });

  it("physical fidelity with the device kernel's ideal preset is exact too (an independent array implementation, read step by step)", () => {
    const r = runMvmuExperiment(buildMvmuExperiment({ arch: "isaac", fidelity: "physical", device: "ideal", rows: "128", cols: "8", vectors: "2" }));
    expect(r.exact).toBe(true);
  });

  it("bad flags and files are refused with stable codes", () => {
    expect(codeOf(() => parseAdcBits("4-10"))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => parseAdcBits("10..4"))).toBe("CLI_ARGUMENT");
    expect(parseAdcBits("4..6")).toEqual([4, 5, 6]);
    expect(codeOf(() => buildMvmuExperiment({ arch: "isaac", signedWeights: "twos" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmuExperiment({ arch: "isaac", fidelity: "physical" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmuExperiment({ arch: "isaac", fidelity: "exact" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmuExperiment({ arch: "nosuch" }))).toBe("CONFIG_READ");
    expect(codeOf(() => buildMvmuExperiment({ arch: "isaac", cellBits: "9" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmuExperiment({ arch: "isaac", weights: file("f.json", "[[1.5]]") }))).toBe("INPUT_FILE");
    expect(codeOf(() => buildMvmuExperiment({ arch: "isaac", weights: file("g.json", "[[1], [2, 3]]") }))).toBe("INPUT_FILE");
    const big = buildMvmuExperiment({ arch: "isaac", weights: file("h.json", "[[70000]]"), inputs: file("i.json", "[[1]]") });
    expect(codeOf(() => runMvmuExperiment(big))).toBe("INPUT_FILE");
    expect(codeOf(() => buildMvmuExperiment({ arch: file("bad.json", JSON.stringify({ ...MVMU_PRESETS.isaac, foo: 1 })) }))).toBe("CONFIG_UNKNOWN_KEY");
    expect(codeOf(() => buildMvmuExperiment({ arch: file("ok.json", JSON.stringify(MVMU_PRESETS.isaac)), rows: "4", cols: "2" }))).toBe("no error");
  });
});

describe("rramsim mvm --arch (command line)", () => {
  it("--json holds outputs, exact, adc_bits_lossless, energy_j, latency_s and energy_breakdown_j", () => {
    const w = file("cw.json", "[[1, -2], [3, 4], [-5, 6]]");
    const x = file("cx.json", "[[1, 2, 3], [-1, 0, 1]]");
    const r = cli(["mvm", "--arch", "isaac", "--weights", w, "--inputs", x, "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // by hand: [1,2,3]·W = [1+6−15, −2+8+18] = [−8, 24]; [−1,0,1]·W = [−1−5, 2+6] = [−6, 8]
    expect(j.outputs).toEqual([
      [-8, 24],
      [-6, 8],
    ]);
    expect(j.exact).toBe(true);
    expect(j.adc_bits_lossless).toBe(8);
    expect(j.latency_s).toBeCloseTo(1.7e-6 + 1.6e-6, 15);
    // 3 of 128 rows carry inputs: 1, 2, 3 and −1, 0, 1 have 1 + 1 + 2 and 16 + 0 + 1 one-bits
    expect(j.energy_j).toBeCloseTo(2 * 20.08e-3 * 1.6e-6 + (4 + 17) * 8 * ISAAC_PULSE_J, 14);
    expect(Object.keys(j.energy_breakdown_j).sort()).toEqual(["adc", "crossbar", "dac", "inputRegister", "outputRegister", "sampleHold", "shiftAdd"]);
  });

  it("a bad flag exits 2 with one line and no stack trace", () => {
    const r = cli(["mvm", "--arch", "isaac", "--fidelity", "physical"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^rramsim: mvm: --fidelity physical needs --device/);
  });
});

describe("ADC sweep with a resolution-dependent ADC model", () => {
  it("energy per MVM follows the SAR table: the rest of the IMA plus 16 steps × 1024 conversions × E(bits)", () => {
    const arch = path.join(__dirname, "fixtures/isaac-table-adc.yaml");
    // everything but the ADC and DAC: (24.08 − 16 − 4) mW × 1.6 µs, plus the pulses of the 16 rows
    // with inputs; the table gives 1.20, 1.42, 1.67 pJ at 6, 7, 8 bits
    const x = buildMvmuExperiment({ arch, adcBits: "6..8", rows: "16", cols: "4", vectors: "2" });
    const r = runMvmuExperiment(x);
    const rest = 4.08e-3 * 1.6e-6 + isaacDacJ(x.inputs) / 2;
    const table: Record<number, number> = { 6: 1.2, 7: 1.42, 8: 1.67 };
    for (const s of r.adc_sweep ?? []) {
      expect(s.energy_per_mvm_j).toBeCloseTo(rest + 16 * 1024 * table[s.adc_bits] * 1e-12, 14);
      expect(s.adc_energy_share).toBeCloseTo((16 * 1024 * table[s.adc_bits] * 1e-12) / s.energy_per_mvm_j, 9);
    }
    expect(r.adc_sweep?.map((s) => s.exact)).toEqual([false, false, true]);
  });
});
