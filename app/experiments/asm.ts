// `rramsim asm prog.s -o prog.bin`: assembles a control-ISA program and writes the raw
// little-endian words of its text section (atomically; nothing is written on an error).

import * as fs from "node:fs";
import { assemble, textBytes, type AsmProgram } from "../../isa/assembler";
import { RramsimError } from "../../sim/errors";
import { writeFileAtomic } from "../../sim/files";

/** Reads a program source file (INPUT_FILE on failure). */
export function readProgramFile(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new RramsimError("INPUT_FILE", `${file}: cannot read (${why})`);
  }
}

/** Assembles `file` and writes its text words to `out`; returns the program. */
export function assembleFile(file: string, out: string): AsmProgram {
  const p = assemble(readProgramFile(file), { file });
  writeFileAtomic(out, textBytes(p));
  return p;
}
