// The `rramsim` command line. Each subcommand lives in cli/commands/ and calls a typed function
// that the package root also exports. Errors a user can cause print one line and exit 2; an
// internal error prints its stack and exits 70, so real bugs are not mistaken for bad input.

import { Command, CommanderError } from "commander";
import { isRramsimError } from "../sim/errors";
import { commandsFor } from "./commands";

const pkg = require("../package.json") as { version: string; description: string };

/** The program for a command line (`args`: what follows `rramsim`); with no args, every command. */
export function buildProgram(args?: readonly string[]): Command {
  const program = new Command("rramsim").description(pkg.description).version(pkg.version, "-V, --version").showHelpAfterError("(run with --help for usage)").exitOverride();
  for (const register of commandsFor(args ?? [])) register(program);
  return program;
}

export function reportError(e: unknown): number {
  if (isRramsimError(e)) {
    process.stderr.write(`rramsim: ${e.message}\n`);
    return 2;
  }
  if (e instanceof CommanderError) {
    // commander already printed its message; help and version exit 0, a usage error is bad input
    return e.exitCode === 0 ? 0 : 2;
  }
  process.stderr.write(`rramsim: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  return 70;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram(argv.slice(2));
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.exitCode = reportError(e);
  }
}
