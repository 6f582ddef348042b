// Disassembler for the control ISA, driven by isa/table.ts. Output is assembler input: ABI
// register names, decimal immediates, hex for lui/auipc's upper immediate and MVM masks, and
// branch/jump targets as absolute hex addresses (GNU as reads a numeric target as an address), so
// assembling the text at the same address gives the same word back. With `aliases`, the
// single-instruction pseudo-instructions nop, li, mv, not, neg, j, jr, ret are used where they apply.
// A word that is not an instruction becomes `.word 0x…` with diagnostic E201.

import { decode, type Instr } from "./encoding";
import { registerName } from "./registers";
import { instrDef } from "./table";
import type { AsmDiagnostic } from "./diagnostics";

export interface DisasmOptions {
  /** use nop/li/mv/not/neg/j/jr/ret where they apply (default true) */
  aliases?: boolean;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

function alias(i: Instr): string | undefined {
  const r = registerName;
  switch (i.mnemonic) {
    case "addi":
      if (i.rd === 0 && i.rs1 === 0 && i.imm === 0) return "nop";
      if (i.rs1 === 0) return `li ${r(i.rd)}, ${i.imm}`;
      if (i.imm === 0) return `mv ${r(i.rd)}, ${r(i.rs1)}`;
      return undefined;
    case "xori":
      return i.imm === -1 ? `not ${r(i.rd)}, ${r(i.rs1)}` : undefined;
    case "sub":
      return i.rs1 === 0 ? `neg ${r(i.rd)}, ${r(i.rs2)}` : undefined;
    case "jalr":
      if (i.rd === 0 && i.imm === 0) return i.rs1 === 1 ? "ret" : `jr ${r(i.rs1)}`;
      return undefined;
    default:
      return undefined;
  }
}

/** The assembly text of one decoded instruction at address `pc`. */
export function formatInstr(i: Instr, pc: number, opts: DisasmOptions = {}): string {
  if (opts.aliases !== false) {
    const a = alias(i);
    if (a !== undefined) return a;
    if (i.mnemonic === "jal" && i.rd === 0) return `j ${hex(pc + i.imm)}`;
  }
  const d = instrDef(i.mnemonic)!;
  const ops = d.operands.map((k) => {
    switch (k) {
      case "rd":
      case "rs1":
      case "rs2":
      case "rs3":
        return registerName(i[k]);
      case "mem":
        return `${i.imm}(${registerName(i.rs1)})`;
      case "btarget":
      case "jtarget":
        return hex(pc + i.imm);
      case "uimm20":
      case "mask":
        return hex(i.imm);
      default:
        return String(i.imm);
    }
  });
  return ops.length === 0 ? d.mnemonic : `${d.mnemonic} ${ops.join(", ")}`;
}

/** The assembly text of one word at `pc`: an instruction, or `.word 0x…` when it is not one. */
export function disassembleWord(word: number, pc = 0, opts: DisasmOptions = {}): { text: string; valid: boolean } {
  const i = decode(word);
  if (i === undefined) return { text: `.word ${hex(word)}`, valid: false };
  return { text: formatInstr(i, pc, opts), valid: true };
}

export interface DisasmLine {
  address: number;
  word: number;
  text: string;
}

/** Disassembles words placed from `base`; invalid words are listed as .word with an E201 diagnostic. */
export function disassemble(words: ArrayLike<number>, base = 0, opts: DisasmOptions & { file?: string } = {}): { lines: DisasmLine[]; diagnostics: AsmDiagnostic[] } {
  const lines: DisasmLine[] = [];
  const diagnostics: AsmDiagnostic[] = [];
  for (let k = 0; k < words.length; k++) {
    const address = base + 4 * k;
    const word = words[k] >>> 0;
    const r = disassembleWord(word, address, opts);
    lines.push({ address, word, text: r.text });
    if (!r.valid) diagnostics.push({ code: "E201", file: opts.file ?? "<input>", line: k + 1, col: 1, message: `word ${hex(word)} at ${hex(address)} is not an instruction` });
  }
  return { lines, diagnostics };
}

/** An objdump-like listing: `address:  word  text`. */
export function formatListing(lines: readonly DisasmLine[]): string {
  return lines.map((l) => `${l.address.toString(16).padStart(8, "0")}:  ${l.word.toString(16).padStart(8, "0")}  ${l.text}`).join("\n") + (lines.length ? "\n" : "");
}

/** Assembler source that reassembles to the same words (at the same base address). */
export function formatSource(lines: readonly DisasmLine[]): string {
  return lines.map((l) => `\t${l.text}`).join("\n") + "\n";
}
