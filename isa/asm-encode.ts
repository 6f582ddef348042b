// Pass 2 of the assembler (isa/assembler.ts): every statement laid out by pass 1 (asm-layout.ts)
// becomes bytes. Instructions are encoded (isa/encoding.ts) with their operands checked against the
// instruction table (isa/table.ts): registers, immediate ranges, `offset(reg)`; branch and jump
// targets are absolute addresses as in GNU as, must be even (the encoding's unit) and in range
// (the core itself traps on one that is not a multiple of 4: no RVC). Data directives are written
// little-endian and range-checked; text padding is NOPs, as in GNU as. A problem becomes a
// diagnostic at its operand's column and ends its statement; the next statement goes on.
// Left out: relocations (every symbol is resolved here), instruction compression.

import { encode, immRange, instr, type Instr } from "./encoding";
import { instrDef, type InstrDef, type OperandKind } from "./table";
import { registerNumber } from "./registers";
import { Diag, memoryOperand, operandValue, registerOperand, StmtError, type Operand, type Section } from "./asm-parse";
import { liExpand, pseudoForm, type PseudoCtx } from "./asm-pseudo";
import { dataWidth, type Layout, type Stmt } from "./asm-layout";

export class EncodePass {
  constructor(
    private readonly layout: Layout,
    private readonly diag: Diag,
  ) {}

  private value(o: Operand, dot: number): number {
    return operandValue(o, this.layout.symbols, dot);
  }

  /** Encodes every statement; a statement with an error leaves its bytes zero and adds a diagnostic. */
  run(): { text: Uint8Array; data: Uint8Array; lineOfWord: Int32Array } {
    const bytes: Record<Section, Uint8Array> = { text: new Uint8Array(alignUp(this.layout.size.text, 4)), data: new Uint8Array(this.layout.size.data) };
    const lineOfWord = new Int32Array(bytes.text.length / 4);
    for (const st of this.layout.stmts) {
      const out = bytes[st.section];
      const addr = this.layout.base[st.section] + st.offset;
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
      const v = this.value(o, addr + k * width);
      if (v < lo || v > hi) throw new StmtError("E105", `${st.name} value ${v} is outside [${lo}, ${hi}]`, o.col);
      writeLe(out, st.offset + k * width, v, width);
    });
  }

  private target(o: Operand, pc: number, kind: "b" | "j", mnemonic: string): number {
    const t = this.value(o, pc);
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
        const rd = registerOperand(st.ops[0]);
        const v = this.value(st.ops[1], pc);
        if (v < -(2 ** 31) || v > 2 ** 32 - 1) throw new StmtError("E105", `li value ${v} does not fit 32 bits`, st.ops[1].col);
        return liExpand(rd, v, st.size / 4).map((i) => encode(i));
      }
      const ctx: PseudoCtx = { reg: (o) => registerOperand(o), value: (o) => this.value(o, pc), pc };
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
        i[kind] = registerOperand(o);
        return;
      case "mem": {
        const m = memoryOperand(o, this.layout.symbols, pc);
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
        const v = this.value(o, pc);
        this.checkImm(d, v, o);
        i.imm = v;
      }
    }
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Writes the low `width` bytes of v at `at`, least significant first. */
export function writeLe(out: Uint8Array, at: number, v: number, width: number): void {
  for (let k = 0; k < width; k++) out[at + k] = (v >>> (8 * k)) & 0xff;
}
