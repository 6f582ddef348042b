// `rramsim exec prog.s [--arch FILE] [--max-cycles N] [--clock F] [--json]`: runs a single-core
// program (scalar, memory and vector-ALU instructions) on the timed core and prints cycles,
// instructions retired and registers. `--arch` takes a core-params YAML/JSON (or a file with a
// `core:` or `tile.core:` section) until chip configs embed the core.

import { execCoreProgram, loadCoreParamsFile, type CoreExecResult } from "../../arch/core/exec";
import { ABI_NAMES } from "../../isa/registers";
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

export function printText(r: CoreExecResult): void {
  const lines = [`${r.halted ? "halted" : "stopped at the cycle limit"} after ${r.cycles} cycles, ${r.instructions} instructions retired (pc 0x${r.pc.toString(16)})`];
  for (let k = 0; k < 32; k += 4) {
    lines.push([0, 1, 2, 3].map((j) => `${`x${k + j}/${ABI_NAMES[k + j]}`.padStart(8)} = 0x${r.registers[`x${k + j}`].toString(16).padStart(8, "0")}`).join("  "));
  }
  const stalls = Object.entries(r.stallCycles).filter(([, v]) => v > 0);
  if (stalls.length) lines.push(`stall cycles: ${stalls.map(([k, v]) => `${k} ${v}`).join(", ")}`);
  process.stdout.write(lines.join("\n") + "\n");
}
