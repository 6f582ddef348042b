// `rramsim` command line: flags in, mvm-unit.ts out (app/).

import type { Command } from "commander";
import { MVMU_PRESETS } from "../../arch/mvmu/presets";
import { printJson } from "../io";
import { MvmuCliFlags, buildMvmuExperiment, cliError, formatMvmuReport, runMvmuExperiment } from "../../app/experiments/mvm-unit";

/** The MVMU flags of `rramsim mvm` (the others — --weights, --inputs, --adc-bits, ... — are shared). */
const MVMU_FLAGS: ReadonlyArray<[string, string]> = [
  ["--arch <preset|file>", `use a design's MVM unit: a preset (${Object.keys(MVMU_PRESETS).join(", ")}) or an MVMU config YAML/JSON (whole-chip arch configs are not read yet); integer weights and inputs`],
  ["--cell-bits <b>", "with --arch: bits per cell"],
  ["--weight-bits <b>", "with --arch: weight bits"],
  ["--input-bits <b>", "with --arch: input bits"],
  ["--signed", "with --arch: two's-complement inputs and signed weights (scheme from --signed-weights, else the design's, else bias)"],
  ["--signed-weights <scheme>", "with --arch: differential | bias | none"],
  ["--flip", "with --arch: ISAAC's flipped-weight encoding (one ADC bit less)"],
  ["--no-flip", "with --arch: no flipped weights"],
  ["--fidelity <f>", "with --arch: ideal | physical (needs --device) | timing"],
];
/** Adds the MVMU flags to a command. */
export function withMvmuFlags(cmd: Command): Command {
  for (const [flag, help] of MVMU_FLAGS) cmd.option(flag, help);
  return cmd;
}
/** Device-experiment flags of `rramsim mvm` that mean nothing for an MVM unit. */
const NOT_WITH_ARCH: ReadonlyArray<[string, string]> = [
  ["mapping", "--mapping"],
  ["acceptance", "--acceptance"],
  ["driftCompensation", "--drift-compensation"],
  ["plot", "--plot"],
  ["adcBound", "--adc-bound"],
];
/** The action for the MVMU path: build, run, print. */
export function mvmuCommandAction(flags: MvmuCliFlags & Record<string, unknown>): void {
  for (const [key, flag] of NOT_WITH_ARCH) if (flags[key] !== undefined) throw cliError(`${flag} is not used with --arch`);
  const x = buildMvmuExperiment(flags);
  const r = runMvmuExperiment(x);
  if (flags.json) printJson(r);
  else process.stdout.write(formatMvmuReport(r));
}
