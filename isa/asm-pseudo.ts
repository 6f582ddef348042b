// The assembler's pseudo-instructions (isa/assembler.ts), after the pseudo-instruction table of the
// RISC-V Assembly Programmer's Handbook (Unprivileged ISA spec) and GNU as: for each name and
// operand count, how many instructions it takes (decided in pass 1, before later labels are known)
// and what it expands to (pass 2). `li` takes one instruction when its value fits 12 bits or has
// zero low 12 bits, else lui+addi; a value that depends on a later label always takes two (pass 2
// encodes `li` itself, asm-encode.ts). `la`, `call` and `tail` are auipc pairs (PC-relative).
// Branch and jump targets are left to pass 2, which checks their range.
// Left out: `lla`, loads and stores of a symbol (`lw rd, sym`), and the pseudo-instructions of
// extensions this ISA does not have (CSRs, floating point).

import { instr, type Instr } from "./encoding";
import type { Operand } from "./asm-parse";

/** What an expansion reads: registers and values of its operands, and its own address. */
export interface PseudoCtx {
  reg(o: Operand): number;
  value(o: Operand): number;
  pc: number;
}
/** One form of a pseudo-instruction: its size in instructions, and its expansion. */
export interface PseudoForm {
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

/** `li rd, v` in `size` instructions (the size pass 1 chose). */
export function liExpand(rd: number, v: number, size: number): Instr[] {
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

/** The form of pseudo-instruction `name` with n operands, if there is one. */
export function pseudoForm(name: string, n: number): PseudoForm | undefined {
  return PSEUDO[name]?.[n];
}

/** The operand counts pseudo-instruction `name` takes ("2", "1 or 3"), or undefined when it is none. */
export function pseudoOperandCounts(name: string): string | undefined {
  return PSEUDO[name] !== undefined ? Object.keys(PSEUDO[name]).join(" or ") : undefined;
}
