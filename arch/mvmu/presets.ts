// Built-in MVMU designs, from published parameters (numbers cite their source; docs/references.md holds the
// published figures of ISAAC, PUMA and Wu et al. 2023 with their sources). `loadMvmuParams` accepts a preset
// name or a YAML/JSON file holding an MVMU config with the same fields.
//
// isaac — one ISAAC-CE IMA (Shafiee et al., ISCA 2016): 8 arrays of 128×128 2-bit cells sharing
// the IMA's input, 1-bit DACs (one per row), one 8-bit SAR ADC per array through 128 S+H circuits
// at 1.28 GS/s (§V: 128 columns in 100 ns; Table I's nameplate is 1.2 GS/s), 4 S+A units, a 2 KB
// IR and a 256 B OR. Costs are Table I group totals divided by the instance count (docs/references.md §1.2):
// ADC 16 mW / 8 = 2 mW and 0.0096 mm² / 8; DAC 4 mW / 1024 and 0.00017 mm² / 1024; S+H 10 µW / 1024
// and 0.00004 mm² / 1024; array 2.4 mW / 8 and 0.0002 mm² / 8; S+A 0.2 mW / 4 and 0.00024 mm² / 4;
// IR 1.24 mW, 0.0021 mm²; OR 0.23 mW, 0.00077 mm². Signed arithmetic as §V: two's-complement
// inputs (the last step subtracts), weights biased by 2^15, flipped weights so an 8-bit ADC
// suffices. Σx for the bias and the flips: §V adds a 129th "unit" column, but Table I's counts
// (8 × 128 S+H, one ADC per 128 columns, 100 ns per 128 conversions) leave no room for it, so this
// preset takes Σx from a digital adder over the input bits (the same value). The analog variant
// (encoding.unitColumn: analog, adc.columnsPerAdc: 129) costs 129 conversions per step,
// 16 × 129 / 1.28 GS/s = 1.6125 µs per MVM.
//
// wu2023 — the Wu et al. 2023 tile (arXiv 2305.14547, §2.3, §2.7): one 64×64 array, 8-bit
// bit-serial inputs (one pulse per 100 MHz cycle), a differential pair of columns per weight, one
// 8-bit ADC per 8 bit-lines that accumulates the 8 pulses binary-weighted and converts once (9
// cycles per output, 8 column groups: 0.72 µs per VMM). Cells hold 4 bits (their hardware-aware
// simulation, Table 1), weights sign + 4 bits. The paper gives only the whole tile's energy
// (2.66 nJ per VMM, mixed-signal circuits dominating, arrays < 2 %), no per-part figures, so every
// part's energy here is 0: use this preset for timing and values, not energy.

import { loadConfig, validate } from "../../sim/config";
import { RramsimError } from "../../sim/errors";
import { mvmuParamsSchema, type MvmuParams, type MvmuParamsInput } from "./params";

export const MVMU_PRESETS: Record<string, MvmuParamsInput> = {
  isaac: {
    crossbars: 8,
    crossbar: { rows: 128, cols: 128, cellBits: 2, readLatency: "100ns", cost: { power: "0.3mW", area: "25um2" } },
    dac: { bits: 1, rowsPerDac: 1, cost: { power: "3.90625uW", area: "0.166015625um2" } },
    sampleHold: { cost: { power: "9.765625nW", area: "0.0390625um2" } },
    adc: {
      bits: 8,
      columnsPerAdc: 128,
      sampleRate: "1.28GHz",
      model: { kind: "cost", cost: { power: "2mW", area: "1200um2" } },
    },
    shiftAdd: { count: 4, cost: { power: "0.05mW", area: "60um2" } },
    inputRegister: { cost: { power: "1.24mW", area: "2100um2" } },
    outputRegister: { cost: { power: "0.23mW", area: "770um2" } },
    precision: { inputBits: 16, weightBits: 16 },
    encoding: { signedInputs: true, signedWeights: "bias", flip: true, unitColumn: "digital" },
  },
  wu2023: {
    crossbars: 1,
    crossbar: { rows: 64, cols: 64, cellBits: 4, readLatency: "10ns", cost: { energy: 0 } },
    dac: { bits: 1, cost: { energy: 0 } },
    sampleHold: { cost: { energy: 0 } },
    adc: {
      bits: 8,
      columnsPerAdc: 8,
      sampleRate: "100MHz",
      conversionLatency: "10ns",
      accumulateSteps: true,
      model: { kind: "cost", cost: { energy: 0 } },
    },
    shiftAdd: { cost: { energy: 0 } },
    inputRegister: { cost: { energy: 0 } },
    outputRegister: { cost: { energy: 0 } },
    precision: { inputBits: 8, weightBits: 5 },
    encoding: { signedInputs: false, signedWeights: "differential" },
  },
};

export function mvmuPresetNames(): string[] {
  return Object.keys(MVMU_PRESETS);
}

/** A preset's validated params. */
export function mvmuPreset(name: string): MvmuParams {
  const raw = MVMU_PRESETS[name];
  if (raw === undefined) throw new RramsimError("CONFIG_READ", `no MVMU preset '${name}' (known: ${mvmuPresetNames().join(", ")})`);
  return validate(mvmuParamsSchema, raw, `mvmu preset '${name}'`);
}

/** Validates raw MVMU params (e.g. a preset with overrides applied). */
export function mvmuParams(raw: unknown, source = "mvmu params"): MvmuParams {
  return validate(mvmuParamsSchema, raw, source);
}

/** A preset name or a YAML/JSON file with an MVMU config (the `mvmu` section of a design). */
export function loadMvmuParams(presetOrFile: string): MvmuParams {
  if (MVMU_PRESETS[presetOrFile] !== undefined) return mvmuPreset(presetOrFile);
  return loadConfig(mvmuParamsSchema, presetOrFile);
}
