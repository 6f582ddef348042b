// A two-pass assembler for the control ISA, in GNU-as syntax for the RV32I/M subset: ABI or xN
// register names, `offset(reg)`, labels, `.equ` constants, expressions with %hi/%lo, the common
// pseudo-instructions (li, la, mv, not, neg, j, jr, ret, call, tail, nop, beqz, bnez, bgt, ble, …)
// and the directives .text .data .section .word .half .byte .space/.zero .align/.p2align .balign
// .equ/.set .globl/.global (.option, .file, .type, .size, .ident, .attribute are accepted and
// ignored). Pass 1 sizes every statement and places labels; pass 2 evaluates and encodes.
//
// Layout: .text from `textBase` (0), .data from `dataBase` (0x10000, the core's data memory).
// A numeric branch or jump target is an absolute address, as in GNU as; like GNU as, it must be
// even (the encoding's unit); the core traps on a target that is not a multiple of 4 (no RVC). `li` takes one
// instruction when its value fits 12 bits or has zero low 12 bits, else lui+addi; a value that
// depends on a later label always takes two. `la`, `call` and `tail` are auipc pairs (PC-relative).
// Every problem of the file is collected as a numbered diagnostic (isa/diagnostics.ts); on any
// error `assemble` throws an AsmError and produces nothing.
// Left out: numeric local labels (1:, 1b), strings (.ascii), macros, relocations/linking.

import { encode, immRange, instr, type Instr } from "./encoding";
import { evaluate, ExprError, type ExprEnv } from "./expr";
import { registerNumber } from "./registers";
import { instrDef, type InstrDef, type OperandKind } from "./table";
import { AsmError, type AsmDiagnostic, type DiagnosticCode } from "./diagnostics";

export const DEFAULT_DATA_BASE = 0x10000;
/** Largest section the assembler builds (bytes). */
export const MAX_SECTION_BYTES = 16 * 1024 * 1024;

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

type Section = "text" | "data";

interface Operand {
  text: string;
  col: number;
}

interface Stmt {
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

class Diag {
  readonly list: AsmDiagnostic[] = [];
  constructor(readonly file: string) {}
  add(code: DiagnosticCode, line: number, col: number, message: string): void {
    this.list.push({ code, file: this.file, line, col, message });
  }
}

class StmtError extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    readonly col: number,
  ) {
    super(message);
  }
}

/** Splits operands at top-level commas, keeping 1-based columns. */
function splitOperands(s: string, col0: number): Operand[] {
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
const IGNORED_DIRECTIVES = new Set([".option", ".file", ".type", ".size", ".ident", ".attribute", ".globl", ".global"]);

/** Pseudo-instructions: name → operand count → (size in instructions, expansion). */
interface PseudoCtx {
  reg(o: Operand): number;
  value(o: Operand): number;
  pc: number;
}
interface PseudoForm {
  size: (ops: Operand[], tryValue: (o: Operand) => number | undefined) => number;
  expand: (ops: Operand[], c: PseudoCtx) => Array<{ i: Instr; target?: Operand; targetKind?: "b" | "j" }>;
}

const one = () => 1;
const two = () => 2;

function liSize(v: number | undefined): number {
  if (v === undefined) return 2;
  const x = v | 0;
  if (x >= -2048 && x <= 2047) return 1;
  return (x & 0xfff) === 0 ? 1 : 2;
}

function liExpand(rd: number, v: number, size: number): Instr[] {
  const x = v | 0;
  if (size === 1 && x >= -2048 && x <= 2047) return [instr("addi", { rd, imm: x })];
  const hi = ((x + 0x800) >>> 12) & 0xfffff;
  const lo = (x << 20) >> 20;
  if (size === 1) return [instr("lui", { rd, imm: hi })];
  return [instr("lui", { rd, imm: hi }), instr("addi", { rd, rs1: rd, imm: lo })];
}

function pcrel(target: number, pc: number): { hi: number; lo: number } {
  const delta = (target - pc) | 0;
  return { hi: ((delta + 0x800) >>> 12) & 0xfffff, lo: (delta << 20) >> 20 };
}

const rr = (f: (rd: number, rs: number) => Instr): Record<number, PseudoForm> => ({
  2: { size: one, expand: (o, c) => [{ i: f(c.reg(o[0]), c.reg(o[1])) }] },
});

const branchZ = (real: string, swap: boolean): Record<number, PseudoForm> => ({
  2: {
    size: one,
    expand: (o, c) => {
      const rs = c.reg(o[0]);
      return [{ i: instr(real, swap ? { rs1: 0, rs2: rs } : { rs1: rs, rs2: 0 }), target: o[1], targetKind: "b" }];
    },
  },
});
const branchSwap = (real: string): Record<number, PseudoForm> => ({
  3: { size: one, expand: (o, c) => [{ i: instr(real, { rs1: c.reg(o[1]), rs2: c.reg(o[0]) }), target: o[2], targetKind: "b" }] },
});

const PSEUDO: Record<string, Record<number, PseudoForm>> = {
  nop: { 0: { size: one, expand: () => [{ i: instr("addi") }] } },
  li: {
    2: {
      size: (o, tv) => liSize(tv(o[1])),
      expand: () => [],
    },
  },
  la: {
    2: {
      size: two,
      expand: (o, c) => {
        const rd = c.reg(o[0]);
        const { hi, lo } = pcrel(c.value(o[1]), c.pc);
        return [{ i: instr("auipc", { rd, imm: hi }) }, { i: instr("addi", { rd, rs1: rd, imm: lo }) }];
      },
    },
  },
  mv: rr((rd, rs) => instr("addi", { rd, rs1: rs })),
  not: rr((rd, rs) => instr("xori", { rd, rs1: rs, imm: -1 })),
  neg: rr((rd, rs) => instr("sub", { rd, rs2: rs })),
  seqz: rr((rd, rs) => instr("sltiu", { rd, rs1: rs, imm: 1 })),
  snez: rr((rd, rs) => instr("sltu", { rd, rs2: rs })),
  sltz: rr((rd, rs) => instr("slt", { rd, rs1: rs })),
  sgtz: rr((rd, rs) => instr("slt", { rd, rs2: rs })),
  beqz: branchZ("beq", false),
  bnez: branchZ("bne", false),
  blez: branchZ("bge", true),
  bgez: branchZ("bge", false),
  bltz: branchZ("blt", false),
  bgtz: branchZ("blt", true),
  bgt: branchSwap("blt"),
  ble: branchSwap("bge"),
  bgtu: branchSwap("bltu"),
  bleu: branchSwap("bgeu"),
  j: { 1: { size: one, expand: (o) => [{ i: instr("jal"), target: o[0], targetKind: "j" }] } },
  jal: { 1: { size: one, expand: (o) => [{ i: instr("jal", { rd: 1 }), target: o[0], targetKind: "j" }] } },
  jr: { 1: { size: one, expand: (o, c) => [{ i: instr("jalr", { rs1: c.reg(o[0]) }) }] } },
  jalr: {
    1: { size: one, expand: (o, c) => [{ i: instr("jalr", { rd: 1, rs1: c.reg(o[0]) }) }] },
    3: { size: one, expand: (o, c) => [{ i: instr("jalr", { rd: c.reg(o[0]), rs1: c.reg(o[1]), imm: c.value(o[2]) }) }] },
  },
  ret: { 0: { size: one, expand: () => [{ i: instr("jalr", { rs1: 1 }) }] } },
  call: {
    1: {
      size: two,
      expand: (o, c) => {
        const { hi, lo } = pcrel(c.value(o[0]), c.pc);
        return [{ i: instr("auipc", { rd: 1, imm: hi }) }, { i: instr("jalr", { rd: 1, rs1: 1, imm: lo }) }];
      },
    },
  },
  tail: {
    1: {
      size: two,
      expand: (o, c) => {
        const { hi, lo } = pcrel(c.value(o[0]), c.pc);
        return [{ i: instr("auipc", { rd: 6, imm: hi }) }, { i: instr("jalr", { rs1: 6, imm: lo }) }];
      },
    },
  },
};

/** Pseudo-instruction mnemonics (for docs). */
export const PSEUDO_MNEMONICS: readonly string[] = Object.keys(PSEUDO).sort();

function pseudoForm(name: string, n: number): PseudoForm | undefined {
  return PSEUDO[name]?.[n];
}

class Assembler {
  readonly diag: Diag;
  readonly symbols = new Map<string, number>();
  readonly globals: string[] = [];
  private readonly stmts: Stmt[] = [];
  private readonly size: Record<Section, number> = { text: 0, data: 0 };
  private readonly base: Record<Section, number>;

  constructor(
    private readonly src: string,
    opts: AsmOptions,
  ) {
    this.diag = new Diag(opts.file ?? "<input>");
    this.base = { text: opts.textBase ?? 0, data: opts.dataBase ?? DEFAULT_DATA_BASE };
  }

  private env(dot: number): ExprEnv {
    return { dot, symbol: (n) => this.symbols.get(n) };
  }

  private evalOp(o: Operand, dot: number): number {
    try {
      return evaluate(o.text, this.env(dot));
    } catch (e) {
      if (e instanceof ExprError) throw new StmtError(e.code, e.message, o.col + e.offset);
      throw e;
    }
  }

  private tryValue(o: Operand, dot: number): number | undefined {
    try {
      return evaluate(o.text, this.env(dot));
    } catch {
      return undefined;
    }
  }

  private reg(o: Operand): number {
    const r = registerNumber(o.text);
    if (r === undefined) throw new StmtError("E103", `'${o.text}' is not a register`, o.col);
    return r;
  }

  private mem(o: Operand, dot: number): { rs1: number; imm: number } {
    const m = /^(.*)\(\s*([A-Za-z0-9]+)\s*\)$/.exec(o.text);
    if (!m || registerNumber(m[2]) === undefined) throw new StmtError("E104", `'${o.text}' is not a memory operand offset(reg)`, o.col);
    const off = m[1].trim();
    const imm = off === "" ? 0 : this.evalOp({ text: off, col: o.col }, dot);
    return { rs1: registerNumber(m[2])!, imm };
  }

  // ---- pass 1 ----
  pass1(): void {
    let section: Section = "text";
    const lines = this.src.split(/\r?\n/);
    lines.forEach((raw, idx) => {
      const line = idx + 1;
      const hash = raw.indexOf("#");
      let s = hash >= 0 ? raw.slice(0, hash) : raw;
      let colShift = 0;
      for (;;) {
        const m = LABEL.exec(s);
        if (!m) break;
        const col = colShift + s.indexOf(m[1]) + 1;
        this.define(m[1], this.base[section] + this.size[section], line, col);
        colShift += m[0].length;
        s = s.slice(m[0].length);
      }
      const w = WORD.exec(s);
      if (!w) return;
      const name = w[1];
      const nameCol = colShift + s.indexOf(name) + 1;
      const opsText = s.slice(s.indexOf(name) + name.length);
      const ops = splitOperands(opsText, nameCol + name.length);
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
      const v = this.evalOp(o, dot);
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
        st.fill = st.ops[1] ? this.evalOp(st.ops[1], dot) & 0xff : 0;
        st.name = ".space";
        return section;
      }
      case ".align":
      case ".p2align":
        this.needOps(st, [1, 2]);
        alignTo(2 ** posInt(st.ops[0], 12));
        st.fill = st.ops[1] ? this.evalOp(st.ops[1], dot) & 0xff : undefined;
        st.name = ".align";
        return section;
      case ".balign": {
        this.needOps(st, [1, 2]);
        const b = posInt(st.ops[0], 4096);
        if (b === 0 || (b & (b - 1)) !== 0) throw new StmtError("E110", `.balign ${b} is not a power of two`, st.ops[0].col);
        alignTo(b);
        st.fill = st.ops[1] ? this.evalOp(st.ops[1], dot) & 0xff : undefined;
        st.name = ".align";
        return section;
      }
      case ".equ":
      case ".set": {
        this.needOps(st, 2);
        const n = st.ops[0].text;
        if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(n)) throw new StmtError("E104", `'${n}' is not a symbol name`, st.ops[0].col);
        const v = this.evalOp(st.ops[1], dot);
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
      st.size = 4 * p.size(st.ops, (o) => this.tryValue(o, this.base[st.section] + st.offset));
      return;
    }
    const d = instrDef(st.name);
    if (d === undefined) {
      if (PSEUDO[st.name] !== undefined) {
        const counts = Object.keys(PSEUDO[st.name]).join(" or ");
        throw new StmtError("E102", `${st.name} takes ${counts} operands (got ${st.ops.length})`, st.col);
      }
      throw new StmtError("E101", `unknown mnemonic '${st.name}'`, st.col);
    }
    this.needOps(st, d.operands.length);
    st.size = 4;
  }

  // ---- pass 2 ----
  pass2(): { text: Uint8Array; data: Uint8Array; lineOfWord: Int32Array } {
    const bytes: Record<Section, Uint8Array> = { text: new Uint8Array(alignUp(this.size.text, 4)), data: new Uint8Array(this.size.data) };
    const lineOfWord = new Int32Array(bytes.text.length / 4);
    for (const st of this.stmts) {
      const out = bytes[st.section];
      const addr = this.base[st.section] + st.offset;
      try {
        if (st.name === ".space") out.fill(st.fill ?? 0, st.offset, st.offset + st.size);
        else if (st.name === ".align") this.pad(out, st, addr);
        else if (st.name.startsWith(".")) this.data2(out, st, addr);
        else {
          const words = this.instruction2(st, addr);
          words.forEach((w, k) => {
            writeLe(out, st.offset + 4 * k, w, 4);
            if (st.section === "text") lineOfWord[(st.offset >> 2) + k] = st.line;
          });
        }
      } catch (e) {
        if (!(e instanceof StmtError)) throw e;
        this.diag.add(e.code, st.line, e.col, e.message);
      }
    }
    return { text: bytes.text, data: bytes.data, lineOfWord };
  }

  private pad(out: Uint8Array, st: Stmt, addr: number): void {
    if (st.fill !== undefined || st.section !== "text" || addr % 4 !== 0 || st.size % 4 !== 0) {
      out.fill(st.fill ?? 0, st.offset, st.offset + st.size);
      return;
    }
    // text padding is NOPs, as in GNU as
    for (let k = 0; k < st.size; k += 4) writeLe(out, st.offset + k, 0x00000013, 4);
  }

  private data2(out: Uint8Array, st: Stmt, addr: number): void {
    const width = dataWidth(st.name);
    const lo = width === 4 ? -(2 ** 31) : -(2 ** (8 * width - 1));
    const hi = 2 ** (8 * width) - 1;
    st.ops.forEach((o, k) => {
      const v = this.evalOp(o, addr + k * width);
      if (v < lo || v > hi) throw new StmtError("E105", `${st.name} value ${v} is outside [${lo}, ${hi}]`, o.col);
      writeLe(out, st.offset + k * width, v, width);
    });
  }

  private target(o: Operand, pc: number, kind: "b" | "j", mnemonic: string): number {
    const t = this.evalOp(o, pc);
    if (t % 2 !== 0) throw new StmtError("E108", `${mnemonic} target 0x${(t >>> 0).toString(16)} is odd (must be a multiple of 2)`, o.col);
    // addresses are 32-bit: an offset wraps around the address space
    const off = t >= -(2 ** 31) && t < 2 ** 32 ? (t - pc) | 0 : t - pc;
    const r = kind === "b" ? { min: -4096, max: 4094 } : { min: -(1 << 20), max: (1 << 20) - 2 };
    if (off < r.min || off > r.max) throw new StmtError("E105", `${mnemonic} target is ${off} bytes away (must be within [${r.min}, ${r.max}])`, o.col);
    return off;
  }

  private instruction2(st: Stmt, pc: number): number[] {
    const p = pseudoForm(st.name, st.ops.length);
    if (p !== undefined) {
      if (st.name === "li") {
        const rd = this.reg(st.ops[0]);
        const v = this.evalOp(st.ops[1], pc);
        if (v < -(2 ** 31) || v > 2 ** 32 - 1) throw new StmtError("E105", `li value ${v} does not fit 32 bits`, st.ops[1].col);
        return liExpand(rd, v, st.size / 4).map((i) => encode(i));
      }
      const ctx: PseudoCtx = { reg: (o) => this.reg(o), value: (o) => this.evalOp(o, pc), pc };
      const parts = p.expand(st.ops, ctx);
      return parts.map((x, k) => {
        const i = x.i;
        if (x.target !== undefined) i.imm = this.target(x.target, pc + 4 * k, x.targetKind!, st.name);
        if (st.name === "jalr") this.checkImm(instrDef("jalr")!, i.imm, st.ops[2]);
        return encode(i);
      });
    }
    const d = instrDef(st.name)!;
    const i = instr(d.mnemonic);
    d.operands.forEach((kind, k) => this.operand2(d, kind, st.ops[k], i, pc));
    return [encode(i)];
  }

  private checkImm(d: InstrDef, v: number, o: Operand): void {
    const r = immRange(d)!;
    if (v < r.min || v > r.max) throw new StmtError("E105", `${d.mnemonic}: ${v} is outside [${r.min}, ${r.max}]`, o.col);
  }

  private operand2(d: InstrDef, kind: OperandKind, o: Operand, i: Instr, pc: number): void {
    switch (kind) {
      case "rd":
      case "rs1":
      case "rs2":
      case "rs3":
        i[kind] = this.reg(o);
        return;
      case "mem": {
        const m = this.mem(o, pc);
        this.checkImm(d, m.imm, o);
        i.rs1 = m.rs1;
        i.imm = m.imm;
        return;
      }
      case "btarget":
      case "jtarget":
        i.imm = this.target(o, pc, kind === "btarget" ? "b" : "j", d.mnemonic);
        return;
      default: {
        if (registerNumber(o.text) !== undefined) throw new StmtError("E104", `${d.mnemonic} expects an immediate, not register '${o.text}'`, o.col);
        const v = this.evalOp(o, pc);
        this.checkImm(d, v, o);
        i.imm = v;
      }
    }
  }
}

function dataWidth(name: string): number {
  return name === ".word" || name === ".4byte" ? 4 : name === ".half" || name === ".2byte" ? 2 : 1;
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function writeLe(out: Uint8Array, at: number, v: number, width: number): void {
  for (let k = 0; k < width; k++) out[at + k] = (v >>> (8 * k)) & 0xff;
}

/** Assembles source text; returns the program and the diagnostics (the program only when there are none). */
export function tryAssemble(src: string, opts: AsmOptions = {}): { program?: AsmProgram; diagnostics: AsmDiagnostic[] } {
  const a = new Assembler(src, opts);
  a.pass1();
  const { text, data, lineOfWord } = a.pass2();
  const diagnostics = [...a.diag.list].sort((x, y) => x.line - y.line || x.col - y.col);
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
