// `rramsim` command line: flags in, describe.ts out (app/).

import type { Command } from "commander";
import { printJson } from "../io";
import "../../sim/builtins";
import { describeKinds, printKind } from "../../app/experiments/describe";

export function registerDescribe(program: Command): void {
  program
    .command("describe")
    .description("list the registered component kinds with their params, stats and energy actions")
    .argument("[kinds...]", "only these kinds (e.g. adc crossbar)")
    .option("--json", "print one JSON array")
    .action((kinds: string[], opts: { json?: boolean }) => {
      const all = describeKinds(kinds);
      if (opts.json) printJson(all);
      else all.forEach(printKind);
    });
}
