// The CLI's subcommands, one module each, loaded on demand: a command line that names a subcommand
// loads that module only (and what it imports), so `rramsim noc …` does not load the compiler and
// `rramsim --version` loads none. Only commands that work are listed here.

import type { Command } from "commander";

type Register = (program: Command) => void;

// In the order `rramsim --help` lists them: the main job first, the tools after.
export const COMMANDS: ReadonlyArray<{ name: string; load: () => Register }> = [
  { name: "run", load: () => require("./run").registerRun },
  { name: "compile", load: () => require("./compile").registerCompile },
  { name: "cost", load: () => require("./cost").registerCost },
  { name: "mvm", load: () => require("./mvm").registerMvm },
  { name: "noc", load: () => require("./noc").registerNoc },
  { name: "sweep", load: () => require("./sweep").registerSweep },
  { name: "plot", load: () => require("./plot").registerPlot },
  { name: "trace", load: () => require("./trace").registerTrace },
  { name: "model", load: () => require("./model").registerModel },
  { name: "asm", load: () => require("./asm").registerAsm },
  { name: "disasm", load: () => require("./disasm").registerDisasm },
  { name: "exec", load: () => require("./exec").registerExec },
  { name: "describe", load: () => require("./describe").registerDescribe },
  { name: "demo", load: () => require("./demo").registerDemo },
];

/**
 * The commands a command line needs registered: the one it names (`rramsim run …`, `rramsim help
 * run`), none for `--version`, all of them otherwise (the command list of `--help`, or an unknown
 * command's error).
 */
export function commandsFor(args: readonly string[]): Register[] {
  const [first, second] = args;
  if (first === "-V" || first === "--version") return [];
  const named = COMMANDS.find((c) => c.name === (first === "help" ? second : first));
  return named !== undefined ? [named.load()] : COMMANDS.map((c) => c.load());
}
