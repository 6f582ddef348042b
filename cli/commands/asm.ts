// `rramsim` command line: flags in, asm.ts out (app/).

import type { Command } from "commander";
import { assembleFile } from "../../app/experiments/asm";

export function registerAsm(program: Command): void {
  program
    .command("asm")
    .description("assemble a control-ISA program (GNU-as syntax) into raw little-endian text words")
    .argument("<file>", "assembly source (.s)")
    .option("-o, --output <file>", "output binary (default: the source name with .bin)")
    .action((file: string, opts: { output?: string }) => {
      const out = opts.output ?? file.replace(/\.[^./\\]*$/, "") + ".bin";
      const p = assembleFile(file, out);
      process.stdout.write(`${out}: ${p.text.length} words of text, ${p.data.length} bytes of data (not written)\n`);
    });
}
