// `rramsim exec prog.s [--arch FILE] [--max-cycles N] [--clock F] [--json]`: runs a single-core
// program (scalar, memory and vector-ALU instructions) on the timed core and prints cycles,
// instructions retired and registers. `--arch` takes a core-params YAML/JSON (or a file with a
// `core:` or `tile.core:` section) until chip configs embed the core.

import type { Command } from "commander";
import { execCoreProgram, loadCoreParamsFile, type CoreExecResult } from "../../arch/core/exec";
import { ABI_NAMES } from "../../isa/registers";
import { parseQuantity } from "../../sim/units";
import { RramsimError } from "../../sim/errors";
import { intArg, printJson } from "../io";
import { readProgramFile } from "./asm";

export interface ExecFileOptions {
  arch?: string;
  maxCycles?: number;
  clockHz?: number;
}

/** Runs a program file on a standalone core. */
export function execFile(file: string, opts: ExecFileOptions = {}): CoreExecResult {
  const params = opts.arch === undefined ? undefined : loadCoreParamsFile(opts.arch);
  return execCoreProgram(readProgramFile(file), { file, params, maxCycles: opts.maxCycles, clockHz: opts.clockHz });
}

/** The JSON report of `exec --json`. */
export function execReport(r: CoreExecResult): Record<string, unknown> {
  return {
    cycles: r.cycles,
    instructions: r.instructions,
    registers: r.registers,
    halted: r.halted,
    pc: r.pc,
    instructionsByClass: r.instructionsByClass,
    stallCycles: r.stallCycles,
    dynamicEnergyPj: r.dynamicEnergyPj,
  };
}

function printText(r: CoreExecResult): void {
  const lines = [
    `${r.halted ? "halted" : "stopped at the cycle limit"} after ${r.cycles} cycles, ${r.instructions} instructions retired (pc 0x${r.pc.toString(16)})`,
  ];
  for (let k = 0; k < 32; k += 4) {
    lines.push(
      [0, 1, 2, 3]
        .map((j) => `${`x${k + j}/${ABI_NAMES[k + j]}`.padStart(8)} = 0x${r.registers[`x${k + j}`].toString(16).padStart(8, "0")}`)
        .join("  "),
    );
  }
  const stalls = Object.entries(r.stallCycles).filter(([, v]) => v > 0);
  if (stalls.length) lines.push(`stall cycles: ${stalls.map(([k, v]) => `${k} ${v}`).join(", ")}`);
  process.stdout.write(lines.join("\n") + "\n");
}

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
