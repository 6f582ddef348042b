// Pass 1 of the assembler (isa/assembler.ts): the layout. Each statement gets its section, its
// offset and its size; labels get their addresses and `.equ`/`.set` symbols their values, in source
// order; alignment and `.space` padding are decided here. A statement with an error still takes
// its place (an instruction 4 bytes, a directive nothing), so later addresses, and the diagnostics
// that mention them, stay where the author expects. Pass 2 (asm-encode.ts) evaluates and encodes.
// Layout: .text from `textBase` (0), .data from `dataBase` (0x10000, the core's data memory); an
// instruction must sit on a 4-byte boundary; a section stops at MAX_SECTION_BYTES.
// Left out: sections beyond these two (`.section` puts .text.* in text and .data, .rodata, .bss,
// .sdata, .sbss and their subsections in data), `.org`, symbol binding (.globl names are only
// listed).

import { instrDef } from "./table";
import { registerNumber } from "./registers";
import { Diag, operandValue, parseLine, StmtError, tryOperandValue, type Operand, type Section } from "./asm-parse";
import { pseudoForm, pseudoOperandCounts } from "./asm-pseudo";

export const DEFAULT_DATA_BASE = 0x10000;
/** Largest section the assembler builds (bytes). */
export const MAX_SECTION_BYTES = 16 * 1024 * 1024;

const IGNORED_DIRECTIVES = new Set([".option", ".file", ".type", ".size", ".ident", ".attribute", ".globl", ".global"]);

/** One statement as laid out by pass 1. */
export interface Stmt {
  line: number;
  col: number;
  section: Section;
  offset: number;
  size: number;
  name: string;
  ops: Operand[];
  /** directive statements: the padding/fill decided in pass 1 */
  fill?: number;
}

/** What pass 1 hands to pass 2. */
export interface Layout {
  readonly stmts: readonly Stmt[];
  /** bytes per section */
  readonly size: Readonly<Record<Section, number>>;
  /** start address per section */
  readonly base: Readonly<Record<Section, number>>;
  readonly symbols: ReadonlyMap<string, number>;
  readonly globals: readonly string[];
}

/** Bytes per value of a data directive (.word/.4byte 4, .half/.2byte 2, .byte 1). */
export function dataWidth(name: string): number {
  return name === ".word" || name === ".4byte" ? 4 : name === ".half" || name === ".2byte" ? 2 : 1;
}

export class LayoutPass implements Layout {
  readonly symbols = new Map<string, number>();
  readonly globals: string[] = [];
  readonly stmts: Stmt[] = [];
  readonly size: Record<Section, number> = { text: 0, data: 0 };

  constructor(
    readonly base: Readonly<Record<Section, number>>,
    private readonly diag: Diag,
  ) {}

  /** Sizes every statement of `src`, places its labels and defines its `.equ` symbols. */
  run(src: string): void {
    let section: Section = "text";
    const lines = src.split(/\r?\n/);
    lines.forEach((raw, idx) => {
      const line = idx + 1;
      const parsed = parseLine(raw);
      for (const l of parsed.labels) this.define(l.name, this.base[section] + this.size[section], line, l.col);
      if (parsed.stmt === undefined) return;
      const { name, col: nameCol, ops } = parsed.stmt;
      const st: Stmt = { line, col: nameCol, section, offset: this.size[section], size: 0, name: name.toLowerCase(), ops };
      try {
        if (!/^[A-Za-z_.][A-Za-z0-9_.]*$/.test(name)) throw new StmtError("E100", `syntax error at '${name}'`, nameCol);
        if (name.startsWith(".")) section = this.directive1(st, section);
        else this.instruction1(st);
      } catch (e) {
        if (!(e instanceof StmtError)) throw e;
        this.diag.add(e.code, line, e.col, e.message);
        st.size = name.startsWith(".") ? 0 : 4;
        st.name = "";
      }
      if (st.name !== "" && st.name !== ".equ") this.stmts.push(st);
      else if (st.size > 0) this.stmts.push({ ...st, name: ".space", fill: 0 });
      this.size[st.section] += st.size;
      if (this.size[st.section] > MAX_SECTION_BYTES) {
        this.diag.add("E112", line, nameCol, `.${st.section} exceeds ${MAX_SECTION_BYTES} bytes`);
        this.size[st.section] = st.offset;
        st.size = 0;
      }
    });
  }

  private define(name: string, value: number, line: number, col: number): void {
    if (this.symbols.has(name) || registerNumber(name) !== undefined) {
      this.diag.add("E107", line, col, `symbol '${name}' is already defined`);
      return;
    }
    this.symbols.set(name, value);
  }

  private needOps(st: Stmt, n: number | number[]): void {
    const ok = Array.isArray(n) ? n.includes(st.ops.length) : st.ops.length === n;
    if (!ok) throw new StmtError("E102", `${st.name} takes ${Array.isArray(n) ? n.join(" or ") : n} operand${n === 1 ? "" : "s"} (got ${st.ops.length})`, st.col);
    for (const o of st.ops) if (o.text === "") throw new StmtError("E104", `empty operand`, o.col);
  }

  private directive1(st: Stmt, section: Section): Section {
    const dot = this.base[section] + st.offset;
    const posInt = (o: Operand, max: number): number => {
      const v = operandValue(o, this.symbols, dot);
      if (!Number.isInteger(v) || v < 0 || v > max) throw new StmtError("E110", `${st.name}: ${v} is outside [0, ${max}]`, o.col);
      return v;
    };
    const alignTo = (bytes: number) => {
      const cur = this.base[section] + st.offset;
      st.size = (bytes - (cur % bytes)) % bytes;
    };
    switch (st.name) {
      case ".text":
      case ".data": {
        this.needOps(st, 0);
        const next: Section = st.name === ".data" ? "data" : "text";
        st.name = "";
        return next;
      }
      case ".section": {
        this.needOps(st, [1, 2, 3]);
        const n = st.ops[0].text;
        st.name = "";
        if (n === ".text" || n.startsWith(".text.")) return "text";
        if ([".data", ".rodata", ".bss", ".sdata", ".sbss"].some((x) => n === x || n.startsWith(`${x}.`))) return "data";
        throw new StmtError("E110", `unknown section '${n}'`, st.ops[0].col);
      }
      case ".word":
      case ".half":
      case ".byte":
      case ".2byte":
      case ".4byte":
        if (st.ops.length === 0) throw new StmtError("E102", `${st.name} needs at least one value`, st.col);
        st.size = st.ops.length * dataWidth(st.name);
        return section;
      case ".space":
      case ".zero":
      case ".skip": {
        this.needOps(st, st.name === ".zero" ? 1 : [1, 2]);
        st.size = posInt(st.ops[0], MAX_SECTION_BYTES);
        st.fill = st.ops[1] ? operandValue(st.ops[1], this.symbols, dot) & 0xff : 0;
        st.name = ".space";
        return section;
      }
      case ".align":
      case ".p2align":
        this.needOps(st, [1, 2]);
        alignTo(2 ** posInt(st.ops[0], 12));
        st.fill = st.ops[1] ? operandValue(st.ops[1], this.symbols, dot) & 0xff : undefined;
        st.name = ".align";
        return section;
      case ".balign": {
        this.needOps(st, [1, 2]);
        const b = posInt(st.ops[0], 4096);
        if (b === 0 || (b & (b - 1)) !== 0) throw new StmtError("E110", `.balign ${b} is not a power of two`, st.ops[0].col);
        alignTo(b);
        st.fill = st.ops[1] ? operandValue(st.ops[1], this.symbols, dot) & 0xff : undefined;
        st.name = ".align";
        return section;
      }
      case ".equ":
      case ".set": {
        this.needOps(st, 2);
        const n = st.ops[0].text;
        if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(n)) throw new StmtError("E104", `'${n}' is not a symbol name`, st.ops[0].col);
        const v = operandValue(st.ops[1], this.symbols, dot);
        this.define(n, v, st.line, st.ops[0].col);
        st.name = ".equ";
        return section;
      }
      default:
        if (IGNORED_DIRECTIVES.has(st.name)) {
          if (st.name === ".globl" || st.name === ".global") this.globals.push(...st.ops.map((o) => o.text));
          st.name = "";
          return section;
        }
        throw new StmtError("E109", `unknown directive '${st.name}'`, st.col);
    }
  }

  private instruction1(st: Stmt): void {
    if (this.base[st.section] + st.offset !== 0 && (this.base[st.section] + st.offset) % 4 !== 0) {
      throw new StmtError("E108", `instruction at address 0x${(this.base[st.section] + st.offset).toString(16)} is not 4-byte aligned (use .align 2)`, st.col);
    }
    const p = pseudoForm(st.name, st.ops.length);
    if (p !== undefined) {
      for (const o of st.ops) if (o.text === "") throw new StmtError("E104", `empty operand`, o.col);
      st.size = 4 * p.size(st.ops, (o) => tryOperandValue(o, this.symbols, this.base[st.section] + st.offset));
      return;
    }
    const d = instrDef(st.name);
    if (d === undefined) {
      const counts = pseudoOperandCounts(st.name);
      if (counts !== undefined) {
        throw new StmtError("E102", `${st.name} takes ${counts} operands (got ${st.ops.length})`, st.col);
      }
      throw new StmtError("E101", `unknown mnemonic '${st.name}'`, st.col);
    }
    this.needOps(st, d.operands.length);
    st.size = 4;
  }
}
