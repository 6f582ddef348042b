// The assembler's reading of source text (isa/assembler.ts): a line becomes its labels and at most
// one statement (a name and operands, each with its 1-based column), and an operand is read as a
// register, as a memory operand `offset(reg)` or as an expression (isa/expr.ts). Nothing here knows
// a mnemonic or a directive; the layout pass (asm-layout.ts) decides what a statement is.
// Also here: the diagnostics collector and the per-statement error both passes report through.
// Left out: strings and character literals (so `#` always starts a comment), `;` as a statement
// separator, numeric local labels (1:, 1b).

import type { AsmDiagnostic, DiagnosticCode } from "./diagnostics";
import { evaluate, ExprError, type ExprEnv } from "./expr";
import { registerNumber } from "./registers";

export type Section = "text" | "data";

export interface Operand {
  text: string;
  col: number;
}

/** One source line: its labels in order, then its statement (absent on a blank or label-only line). */
export interface SourceLine {
  labels: Array<{ name: string; col: number }>;
  stmt?: { name: string; col: number; ops: Operand[] };
}

/** Every problem of one file, in the order found (tryAssemble sorts them by position). */
export class Diag {
  readonly list: AsmDiagnostic[] = [];
  constructor(readonly file: string) {}
  add(code: DiagnosticCode, line: number, col: number, message: string): void {
    this.list.push({ code, file: this.file, line, col, message });
  }
}

/** The first problem of one statement; each pass catches it per statement and goes on. */
export class StmtError extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    readonly col: number,
  ) {
    super(message);
  }
}

/** Splits operands at top-level commas, keeping 1-based columns. */
export function splitOperands(s: string, col0: number): Operand[] {
  const out: Operand[] = [];
  let depth = 0;
  let start = 0;
  const push = (end: number) => {
    const raw = s.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    out.push({ text: raw.trim(), col: col0 + start + lead });
  };
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "(") depth++;
    else if (s[i] === ")") depth--;
    else if (s[i] === "," && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  if (s.trim() !== "" || out.length > 0) push(s.length);
  return out;
}

const LABEL = /^\s*([A-Za-z_.$][A-Za-z0-9_.$]*)\s*:/;
const WORD = /^\s*(\S+)/;

/** Splits one line (without its newline) into labels and a statement; `#` starts a comment. */
export function parseLine(raw: string): SourceLine {
  const hash = raw.indexOf("#");
  let s = hash >= 0 ? raw.slice(0, hash) : raw;
  let colShift = 0;
  const labels: SourceLine["labels"] = [];
  for (;;) {
    const m = LABEL.exec(s);
    if (!m) break;
    labels.push({ name: m[1], col: colShift + s.indexOf(m[1]) + 1 });
    colShift += m[0].length;
    s = s.slice(m[0].length);
  }
  const w = WORD.exec(s);
  if (!w) return { labels };
  const name = w[1];
  const col = colShift + s.indexOf(name) + 1;
  const opsText = s.slice(s.indexOf(name) + name.length);
  return { labels, stmt: { name, col, ops: splitOperands(opsText, col + name.length) } };
}

function exprEnv(symbols: ReadonlyMap<string, number>, dot: number): ExprEnv {
  return { dot, symbol: (n) => symbols.get(n) };
}

/** The value of an expression operand at address `dot`; a bad or unresolved expression is a StmtError. */
export function operandValue(o: Operand, symbols: ReadonlyMap<string, number>, dot: number): number {
  try {
    return evaluate(o.text, exprEnv(symbols, dot));
  } catch (e) {
    if (e instanceof ExprError) throw new StmtError(e.code, e.message, o.col + e.offset);
    throw e;
  }
}

/** The value of an expression operand, or undefined when it cannot be evaluated yet. */
export function tryOperandValue(o: Operand, symbols: ReadonlyMap<string, number>, dot: number): number | undefined {
  try {
    return evaluate(o.text, exprEnv(symbols, dot));
  } catch {
    return undefined;
  }
}

export function registerOperand(o: Operand): number {
  const r = registerNumber(o.text);
  if (r === undefined) throw new StmtError("E103", `'${o.text}' is not a register`, o.col);
  return r;
}

/** `offset(reg)`, the offset an expression (empty: 0). */
export function memoryOperand(o: Operand, symbols: ReadonlyMap<string, number>, dot: number): { rs1: number; imm: number } {
  const m = /^(.*)\(\s*([A-Za-z0-9]+)\s*\)$/.exec(o.text);
  if (!m || registerNumber(m[2]) === undefined) throw new StmtError("E104", `'${o.text}' is not a memory operand offset(reg)`, o.col);
  const off = m[1].trim();
  const imm = off === "" ? 0 : operandValue({ text: off, col: o.col }, symbols, dot);
  return { rs1: registerNumber(m[2])!, imm };
}
