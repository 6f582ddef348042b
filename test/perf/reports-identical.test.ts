// Pins the simulator's behaviour across performance work: a few small but representative runs
// (physical device noise on Wu et al.'s design, ideal values on PUMA, timing on PUMA, a residual conv
// net with physical noise on the tiny design) must produce the same full report (outputs, inputs,
// latency, energy breakdown, per-layer figures; wall times excluded) as the golden file.
// The golden file is the one place where code output is the expected value: it pins behaviour across
// refactoring, not correctness (the run tests check correctness against the integer reference). It
// was generated before the optimisations, and regenerated once on purpose when the energy model
// changed (Wu et al. 2023 as published: power gating, value-dependent DAC and crossbar energy,
// ADC range calibration, packed blocks, no silent tile growth — the Wu case now asks for --grow). Regenerate only on purpose, with a commit message
// saying why: UPDATE_GOLDEN=1 npx vitest run test/perf
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it, expect } from "vitest";
import { runModel } from "../../app/run/session";
import type { RunReport } from "../../app/run/report";
import type { RunConfigInput } from "../../app/run-config";
import { tinyConvModel } from "../run/helpers";

const GOLDEN = path.join(__dirname, "..", "fixtures", "perf", "reports.json");
const TINY_SIGNED = ["tile.mvmu.encoding.signedWeights=differential"];

const cases: Record<string, () => RunConfigInput> = {
  "lenet5 wu2023 physical brram-wu2023 3 samples": () => ({ arch: "configs/arch/wu2023.yaml", model: "zoo:lenet5", device: "brram-wu2023", fidelity: "physical", samples: 3, growTiles: true }),
  "lenet5 puma ideal 2 samples": () => ({ arch: "configs/arch/puma.yaml", model: "zoo:lenet5", fidelity: "ideal", samples: 2 }),
  "mlp-l4 puma timing": () => ({ arch: "configs/arch/puma.yaml", model: "zoo:mlp-l4", fidelity: "timing", samples: 1 }),
  "tiny residual conv physical cmo-hfox 2 samples": () => ({ arch: "configs/arch/tiny.yaml", model: tinyConvModel(), set: TINY_SIGNED, fidelity: "physical", device: "cmo-hfox", seed: 5, samples: 2 }),
  "tiny residual conv ideal 2-bit ADC": () => ({ arch: "configs/arch/tiny.yaml", model: tinyConvModel(), set: TINY_SIGNED, adcBits: 2, samples: 2 }),
};

/** The report of a run with its outputs kept, in canonical form. */
function canonical(opts: RunConfigInput): unknown {
  return canonicalReport(runModel({ ...opts, keepOutputs: true }));
}

/** A report as plain JSON, wall time and the way the inferences were simulated removed, typed arrays as plain arrays. */
function canonicalReport(r: RunReport): unknown {
  const json = JSON.stringify(r, (k, v: unknown) => {
    if (k === "wall_s" || k === "wall_compile_s" || k === "wall_simulate_s" || k === "simulation") return undefined;
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
  return JSON.parse(json);
}

describe("performance work leaves results bit-identical", () => {
  const update = process.env.UPDATE_GOLDEN === "1";
  const golden: Record<string, unknown> = update || !fs.existsSync(GOLDEN) ? {} : (JSON.parse(fs.readFileSync(GOLDEN, "utf8")) as Record<string, unknown>);
  const fresh: Record<string, unknown> = {};
  for (const [name, opts] of Object.entries(cases)) {
    it(`the full report of '${name}' equals the golden one`, () => {
      const got = canonical(opts());
      if (update) {
        fresh[name] = got;
        fs.writeFileSync(GOLDEN, JSON.stringify({ ...(JSON.parse(fs.existsSync(GOLDEN) ? fs.readFileSync(GOLDEN, "utf8") : "{}") as object), ...fresh }, null, 1) + "\n");
        return;
      }
      expect(golden[name], `no golden report for '${name}' (run with UPDATE_GOLDEN=1 on purpose)`).toBeDefined();
      expect(got).toEqual(golden[name]);
      // the same with every inference simulated event by event (no value replay)
      expect(canonical({ ...opts(), timeEveryInference: true })).toEqual(golden[name]);
    }, 60_000);
  }
});

// Value replay (sim/value-log.ts) against simulating every inference event by event, on runs long
// enough to replay several inferences: physical noise (each array's draws must come in the same
// order), ideal values with residual adds and a lossy ADC, and accumulate-mode ADCs (Wu et al.).
describe("replaying the value work of identical inferences gives the report of simulating each", () => {
  const replayCases: Record<string, RunConfigInput> = {
    "tiny residual conv physical cmo-hfox 6 samples": { arch: "configs/arch/tiny.yaml", model: tinyConvModel(), set: TINY_SIGNED, fidelity: "physical", device: "cmo-hfox", seed: 3, samples: 6 },
    "tiny residual conv ideal 2-bit ADC 5 samples": { arch: "configs/arch/tiny.yaml", model: tinyConvModel(), set: TINY_SIGNED, adcBits: 2, samples: 5 },
    "tiny residual conv timing 4 samples": { arch: "configs/arch/tiny.yaml", model: tinyConvModel(), set: TINY_SIGNED, fidelity: "timing", samples: 4 },
    "lenet5 wu2023 physical 6 samples": { arch: "configs/arch/wu2023.yaml", model: "zoo:lenet5", device: "brram-wu2023", fidelity: "physical", samples: 6, growTiles: true },
  };
  for (const [name, opts] of Object.entries(replayCases)) {
    it(`'${name}': the same report either way, with all but two inferences replayed`, () => {
      const fast = runModel({ ...opts, keepOutputs: true });
      expect(fast.simulation).toEqual({ inferences_timed: 2, inferences_replayed: (opts.samples ?? 0) - 2 });
      const slow = runModel({ ...opts, keepOutputs: true, timeEveryInference: true });
      expect(slow.simulation.inferences_timed).toBe(opts.samples);
      expect(canonicalReport(fast)).toEqual(canonicalReport(slow));
    }, 60_000);
  }
});
