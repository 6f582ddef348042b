// `rramsim` command line: flags in, cost.ts out (app/).

import type { Command } from "commander";
import { archCost } from "../../arch/chip/cost";
import "../../arch/chip/chip";
import { printJson } from "../io";
import { formatArchCost } from "../../app/experiments/cost";

export function registerCost(program: Command): void {
  program
    .command("cost")
    .description("static area, peak power, peak throughput, TOPS/W and TOPS/mm² of a design, per component and in total")
    .requiredOption("--arch <file>", "design file (configs/arch/*.yaml)")
    .option("--json", "print one JSON object (keys: area_mm2, power_w, peak_ops_per_s, tops_per_w, tops_per_mm2, area_breakdown_mm2, power_breakdown_w, …)")
    .action((opts: { arch: string; json?: boolean }) => {
      const r = archCost(opts.arch);
      if (opts.json) printJson(r);
      else process.stdout.write(formatArchCost(r));
    });
}
