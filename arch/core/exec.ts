// Standalone execution of one core program (`rramsim exec`): assemble, load into a timed core with
// no tile around it, run to halt (or a cycle limit), report cycles, instructions and registers.
// The stack pointer starts at the top of the core's data memory; every other register at 0.
// Custom instructions other than the vector ALU stop the run with CORE_NEEDS_TILE.

import * as fs from "node:fs";
import { assemble, type AsmProgram } from "../../isa/assembler";
import { readConfigFile, validate } from "../../sim/config";
import { EnergyLedger } from "../../sim/energy";
import { RramsimError } from "../../sim/errors";
import { Simulator } from "../../sim/simulator";
import { Core, INSTR_CLASSES, STALL_CAUSES, type CoreStatus } from "./core";
import { coreParamsSchema, type CoreParams } from "./params";

export interface CoreExecOptions {
  params?: CoreParams;
  clockHz?: number;
  maxCycles?: number;
  /** file name for messages */
  file?: string;
}

export interface CoreExecResult {
  cycles: number;
  instructions: number;
  /** x0…x31 as unsigned 32-bit integers */
  registers: Record<string, number>;
  halted: boolean;
  status: CoreStatus;
  pc: number;
  instructionsByClass: Record<string, number>;
  stallCycles: Record<string, number>;
  dynamicEnergyPj: number;
  /** the core, for inspecting memory after the run */
  core: Core;
}

/** Runs an assembled program (or assembly text) on a standalone core. Throws on a trap. */
export function execCoreProgram(program: AsmProgram | string, opts: CoreExecOptions = {}): CoreExecResult {
  const prog = typeof program === "string" ? assemble(program, { file: opts.file }) : program;
  const params = opts.params ?? coreParamsSchema.parse({});
  const sim = new Simulator();
  const ledger = new EnergyLedger();
  const core = new Core({ sim, ledger }, "core", params, { clockHz: opts.clockHz ?? 1e9 });
  core.load({ ...prog, file: opts.file });
  core.x[2] = (prog.dataBase + params.dataMemory) | 0;
  core.start({ maxCycles: opts.maxCycles });
  sim.run();
  if (core.status === "trapped") throw core.trap!;
  const registers: Record<string, number> = {};
  for (let r = 0; r < 32; r++) registers[`x${r}`] = core.x[r] >>> 0;
  const stats = core.collectStats();
  const pick = (prefix: string, names: readonly string[]) => Object.fromEntries(names.map((n) => [n, stats[`core.${prefix}.${n}`] as number]));
  return {
    cycles: core.cycles,
    instructions: core.retired,
    registers,
    halted: core.status === "halted",
    status: core.status,
    pc: core.pc,
    instructionsByClass: pick("instr", INSTR_CLASSES),
    stallCycles: pick("stall", STALL_CAUSES),
    dynamicEnergyPj: core.energy.dynamicPj(),
    core,
  };
}

/**
 * Core params for `exec --arch FILE`: a YAML/JSON file of core params, or a chip config with a
 * `core` (or `tile.core`) section.
 */
export function loadCoreParamsFile(file: string): CoreParams {
  if (!fs.existsSync(file)) throw new RramsimError("CONFIG_READ", `${file}: cannot read (no such file)`);
  const raw = readConfigFile(file);
  const obj = (raw ?? {}) as Record<string, unknown>;
  const tile = obj.tile as Record<string, unknown> | undefined;
  const slice = typeof obj.core === "object" ? obj.core : typeof tile?.core === "object" ? tile.core : raw;
  return validate(coreParamsSchema, slice ?? {}, file);
}
