// A two-pass assembler for the control ISA, in GNU-as syntax for the RV32I/M subset: ABI or xN
// register names, `offset(reg)`, labels, `.equ` constants, expressions with %hi/%lo, the common
// pseudo-instructions (li, la, mv, not, neg, j, jr, ret, call, tail, nop, beqz, bnez, bgt, ble, …)
// and the directives .text .data .section .word .half .byte .space/.zero .align/.p2align .balign
// .equ/.set .globl/.global (.option, .file, .type, .size, .ident, .attribute are accepted and
// ignored). The parts: reading lines and operands (asm-parse.ts), the pseudo-instructions
// (asm-pseudo.ts), pass 1, which sizes every statement and places labels (asm-layout.ts), and
// pass 2, which evaluates and encodes (asm-encode.ts). This module runs them and is the one others
// import.
// Every problem of the file is collected as a numbered diagnostic (isa/diagnostics.ts); on any
// error `assemble` throws an AsmError and produces nothing.
// Left out: numeric local labels (1:, 1b), strings (.ascii), macros, relocations/linking.

import { AsmError, type AsmDiagnostic } from "./diagnostics";
import { Diag } from "./asm-parse";
import { DEFAULT_DATA_BASE, LayoutPass } from "./asm-layout";
import { EncodePass, writeLe } from "./asm-encode";

export { DEFAULT_DATA_BASE, MAX_SECTION_BYTES } from "./asm-layout";
export { PSEUDO_MNEMONICS } from "./asm-pseudo";

export interface AsmOptions {
  /** file name used in diagnostics */
  file?: string;
  textBase?: number;
  dataBase?: number;
}

export interface AsmProgram {
  textBase: number;
  /** the text section as little-endian words */
  text: Uint32Array;
  dataBase: number;
  data: Uint8Array;
  symbols: ReadonlyMap<string, number>;
  globals: readonly string[];
  /** source line of each text word (0 for padding) */
  lineOfWord: Int32Array;
}

/** Assembles source text; returns the program and the diagnostics (the program only when there are none). */
export function tryAssemble(src: string, opts: AsmOptions = {}): { program?: AsmProgram; diagnostics: AsmDiagnostic[] } {
  const diag = new Diag(opts.file ?? "<input>");
  const a = new LayoutPass({ text: opts.textBase ?? 0, data: opts.dataBase ?? DEFAULT_DATA_BASE }, diag);
  a.run(src);
  const { text, data, lineOfWord } = new EncodePass(a, diag).run();
  const diagnostics = [...diag.list].sort((x, y) => x.line - y.line || x.col - y.col);
  if (diagnostics.length > 0) return { diagnostics };
  const words = new Uint32Array(text.length / 4);
  for (let k = 0; k < words.length; k++) words[k] = (text[4 * k] | (text[4 * k + 1] << 8) | (text[4 * k + 2] << 16) | (text[4 * k + 3] << 24)) >>> 0;
  return {
    diagnostics,
    program: { textBase: opts.textBase ?? 0, text: words, dataBase: opts.dataBase ?? DEFAULT_DATA_BASE, data, symbols: a.symbols, globals: a.globals, lineOfWord },
  };
}

/** Assembles source text; throws an AsmError listing the first few diagnostics on any error. */
export function assemble(src: string, opts: AsmOptions = {}): AsmProgram {
  const r = tryAssemble(src, opts);
  if (r.program === undefined) throw new AsmError(r.diagnostics);
  return r.program;
}

/** The text section as little-endian bytes (what `rramsim asm` writes). */
export function textBytes(p: AsmProgram): Uint8Array {
  const out = new Uint8Array(p.text.length * 4);
  p.text.forEach((w, k) => writeLe(out, 4 * k, w, 4));
  return out;
}
