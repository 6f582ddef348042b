// Numbered diagnostics of the assembler and disassembler. Each has a stable code (tests assert
// codes) and a one-line message with file:line:col. The assembler collects every problem of a
// file; the error it throws carries them all and its message lists the first few.

import { RramsimError } from "../sim/errors";

export const DIAGNOSTIC_CODES = {
  E100: "syntax error",
  E101: "unknown mnemonic",
  E102: "wrong number of operands",
  E103: "not a register",
  E104: "bad operand",
  E105: "immediate out of range",
  E106: "undefined symbol",
  E107: "duplicate symbol",
  E108: "misaligned target or instruction",
  E109: "unknown directive",
  E110: "bad directive operand",
  E111: "bad expression (division by zero, bad number)",
  E112: "program too large",
  E201: "not an instruction (disassembled as .word)",
  E202: "binary length is not a multiple of 4 bytes",
  E203: "bad hex word",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface AsmDiagnostic {
  code: DiagnosticCode;
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatDiagnostic(d: AsmDiagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.code} ${d.message}`;
}

/** How many diagnostics an error message lists. */
export const MAX_LISTED_DIAGNOSTICS = 5;

export class AsmError extends RramsimError {
  readonly diagnostics: readonly AsmDiagnostic[];
  constructor(diagnostics: readonly AsmDiagnostic[]) {
    const shown = diagnostics.slice(0, MAX_LISTED_DIAGNOSTICS).map(formatDiagnostic);
    const more = diagnostics.length - shown.length;
    if (more > 0) shown.push(`(${more} more error${more > 1 ? "s" : ""})`);
    super(diagnostics[0].code, shown.join("\n"));
    this.name = "AsmError";
    this.diagnostics = diagnostics;
  }
}
