// The CLI's subcommands, one module each. Only commands that work are listed here.

import type { Command } from "commander";
import { registerDescribe } from "./describe";
import { registerDemo } from "./demo";
import { registerTrace } from "./trace";
import { registerMvm } from "./mvm";

export const commands: ReadonlyArray<(program: Command) => void> = [registerDescribe, registerDemo, registerTrace, registerMvm];
