// `rramsim` command line: flags in, disasm.ts out (app/).

import type { Command } from "commander";
import { formatListing, formatSource } from "../../isa/disassembler";
import { intArg } from "../io";
import { disassembleFile } from "../../app/experiments/disasm";

export function registerDisasm(program: Command): void {
  program
    .command("disasm")
    .description("disassemble control-ISA words (raw little-endian binary, or hex text with --hex)")
    .argument("<file>", "binary from `rramsim asm`, or a hex word list with --hex")
    .option("--hex", "the input is text: hex words separated by spaces, commas or newlines")
    .option("--base <addr>", "address of the first word", intArg(0, 0xffffffff), 0)
    .option("--source", "print reassemblable source instead of a listing")
    .action((file: string, opts: { hex?: boolean; base: number; source?: boolean }) => {
      const r = disassembleFile(file, opts);
      process.stdout.write(opts.source ? formatSource(r.lines) : formatListing(r.lines));
      for (const w of r.warnings) process.stderr.write(`rramsim: warning: ${w}\n`);
    });
}
