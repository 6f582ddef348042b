// The CLI's subcommands, one module each. Only commands that work are listed here.

import type { Command } from "commander";
import { registerDescribe } from "./describe";
import { registerDemo } from "./demo";
import { registerTrace } from "./trace";
import { registerMvm } from "./mvm";
import { registerCost } from "./cost";
import { registerNoc } from "./noc";
import { registerAsm } from "./asm";
import { registerDisasm } from "./disasm";
import { registerExec } from "./exec";
import { registerSweep } from "./sweep";
import { registerPlot } from "./plot";
import { registerModel } from "./model";
import { registerCompile } from "./compile";
import { registerRun } from "./run";

// In the order `rramsim --help` lists them: the main job first, the tools after.
export const commands: ReadonlyArray<(program: Command) => void> = [
  registerRun,
  registerCompile,
  registerCost,
  registerMvm,
  registerNoc,
  registerSweep,
  registerPlot,
  registerTrace,
  registerModel,
  registerAsm,
  registerDisasm,
  registerExec,
  registerDescribe,
  registerDemo,
];
