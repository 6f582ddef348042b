// `rramsim` command line: flags in, exec.ts out (app/).

import type { Command } from "commander";
import { parseQuantity } from "../../sim/units";
import { RramsimError } from "../../sim/errors";
import { intArg, printJson } from "../io";
import { execFile, execReport, printText } from "../../app/experiments/exec";

export function registerExec(program: Command): void {
  program
    .command("exec")
    .description("run a single-core control-ISA program (scalar, memory, vector ALU) and print cycles and registers")
    .argument("<file>", "assembly source (.s)")
    .option("--arch <file>", "core params YAML/JSON (a file with a core: section also works)")
    .option("--max-cycles <n>", "stop after this many cycles", intArg(1, Number.MAX_SAFE_INTEGER))
    .option("--clock <freq>", "core clock, e.g. 1GHz", "1GHz")
    .option("--json", "print one JSON object")
    .action((file: string, opts: { arch?: string; maxCycles?: number; clock: string; json?: boolean }) => {
      let clockHz: number;
      try {
        clockHz = parseQuantity(opts.clock, "frequency");
      } catch (e) {
        throw new RramsimError("CLI_ARGUMENT", `--clock: ${(e as Error).message}`);
      }
      if (!(clockHz > 0)) throw new RramsimError("CLI_ARGUMENT", `--clock: must be > 0 (got ${opts.clock})`);
      const r = execFile(file, { arch: opts.arch, maxCycles: opts.maxCycles, clockHz });
      if (opts.json) printJson(execReport(r));
      else printText(r);
    });
}
