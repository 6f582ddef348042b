// `rramsim` command line: flags in, mvm.ts out (app/).

import type { Command } from "commander";
import { MAPPING_KINDS } from "../../arch/device/device-config";
import { IR_DROP_MODELS } from "../../arch/crossbar/ir-drop";
import { printJson } from "../io";
import { DEFAULT_SEED } from "../../sim/random";
import { type MvmuCliFlags } from "../../app/experiments/mvm-unit";
import { mvmuCommandAction, withMvmuFlags } from "./mvm-unit";
import { DEFAULT_TIME, MvmFlags, buildMvmOptions, formatMvmReport, runMvmCommand, writeMvmPlot } from "../../app/experiments/mvm";

export function registerMvm(program: Command): void {
  withMvmuFlags(program.command("mvm"))
    .description("matrix-vector products through a device model: RMSE against floating point at chosen times after programming; with --arch, integer MVMs through a design's MVM unit")
    .option("--device <preset|file>", "required: device preset (ideal, cmo-hfox, wan2022, brram-wu2023, brram-wu2023-128) or a device YAML file")
    .option("--rows <n>", "array rows (inputs); default 64, or from --weights FILE")
    .option("--cols <n>", "array columns (outputs); default 64, or from --weights FILE")
    .option("--vectors <n>", "input vectors; default 100, or from --inputs FILE")
    .option("--weights <normal|uniform|file>", "weights: N(0,1), U(−1,1) or a JSON array rows×cols; scaled to max|W| = 1", "normal")
    .option("--inputs <uniform|normal|file>", "inputs in [−1, 1]: U(−1,1), N(0,1) scaled by its max, or a JSON array vectors×rows", "uniform")
    .option("--dac-bits <b>", "input DAC bits (symmetric, bound 1); default: no input quantisation")
    .option("--adc-bits <b>", "output ADC bits; default: no output quantisation")
    .option("--adc-bound <x>", "ADC bound in output units (default 15)")
    .option("--ir-drop <model>", `IR drop: ${IR_DROP_MODELS.join(", ")}`, "off")
    .option("--acceptance <pct>", "program-and-verify acceptance range of cmo-hfox: 0.2 or 2 (%)")
    .option("--mapping <kind>", `weight → conductance mapping: ${MAPPING_KINDS.join(", ")} (default: the device's)`)
    .option("--drift-compensation", "global drift compensation (aihwkit's)")
    .option("--time <list>", "times after programming, comma-separated (e.g. 1s,1h,1d,1y,10y)", DEFAULT_TIME)
    .option("--seed <n>", "random seed", String(DEFAULT_SEED))
    .option("--json", "print one JSON object")
    .option("--plot <file>", "write RMSE against time as SVG (or PNG if the name ends in .png)")
    .action(mvmAction);
}
/** The command's action: checks the flags, runs, prints and writes the plot. */
export async function mvmAction(flags: MvmFlags & Partial<MvmuCliFlags>): Promise<void> {
  if (flags.arch !== undefined) return mvmuCommandAction(flags as MvmuCliFlags & Record<string, unknown>);
  const opts = buildMvmOptions(flags);
  const report = runMvmCommand(opts);
  if (opts.plot) await writeMvmPlot(report, opts.plot);
  if (opts.json) printJson(report);
  else process.stdout.write(formatMvmReport(report));
}
