// 32-bit encoding and decoding of the control ISA, driven by isa/table.ts. The field layouts are
// RISC-V's (Unprivileged ISA §2.2–2.3; R4 as in the F extension's fused multiply-add):
//   R   funct7[31:25] rs2[24:20] rs1[19:15] funct3[14:12] rd[11:7] opcode[6:0]
//   R4  rs3[31:27] funct2[26:25] rs2 rs1 funct3 rd opcode
//   I   imm[11:0] rs1 funct3 rd opcode          IS  funct7 shamt[24:20] rs1 funct3 rd opcode
//   S   imm[11:5] rs2 rs1 funct3 imm[4:0] opcode
//   B   imm[12|10:5] rs2 rs1 funct3 imm[4:1|11] opcode
//   U   imm[31:12] rd opcode                     J   imm[20|10:1|11|19:12] rd opcode
// A decoded instruction holds every field; the ones its format or operands do not use are 0.
// Decoding is strict: a word whose unused register fields are not zero is not an instruction, so
// every word that decodes re-encodes to itself.

import { formatRegisterFields, INSTRUCTIONS, instrDef, type InstrDef } from "./table";

export interface Instr {
  mnemonic: string;
  rd: number;
  rs1: number;
  rs2: number;
  rs3: number;
  /** the immediate as written in assembly: signed for I/S/B/J (B/J in bytes), 0…0xFFFFF for U, unsigned for shamt and mask */
  imm: number;
}

export interface ImmRange {
  min: number;
  max: number;
  /** required alignment (branch and jump offsets: 2 by the encoding; the assembler asks for 4) */
  align: number;
}

/** The immediate range of an instruction, or undefined if it has none. */
export function immRange(d: InstrDef): ImmRange | undefined {
  for (const o of d.operands) {
    switch (o) {
      case "imm":
      case "mem":
        return { min: -2048, max: 2047, align: 1 };
      case "shamt":
        return { min: 0, max: 31, align: 1 };
      case "btarget":
        return { min: -4096, max: 4094, align: 2 };
      case "jtarget":
        return { min: -(1 << 20), max: (1 << 20) - 2, align: 2 };
      case "uimm20":
        return { min: 0, max: 0xfffff, align: 1 };
      case "mask":
        return { min: 0, max: 0xfff, align: 1 };
      default:
        break;
    }
  }
  return undefined;
}

const bits = (v: number, hi: number, lo: number): number => (v >>> lo) & ((1 << (hi - lo + 1)) - 1);
const sext = (v: number, width: number): number => (v << (32 - width)) >> (32 - width);

/** Encodes an instruction; throws RangeError on an unknown mnemonic or an out-of-range field. */
export function encode(i: Instr): number {
  const d = instrDef(i.mnemonic);
  if (d === undefined) throw new RangeError(`unknown mnemonic '${i.mnemonic}'`);
  for (const f of ["rd", "rs1", "rs2", "rs3"] as const) {
    if (!Number.isInteger(i[f]) || i[f] < 0 || i[f] > 31) throw new RangeError(`${i.mnemonic}: ${f} ${i[f]} is not a register number`);
  }
  const r = immRange(d);
  if (r !== undefined && (!Number.isInteger(i.imm) || i.imm < r.min || i.imm > r.max || i.imm % r.align !== 0)) {
    throw new RangeError(`${i.mnemonic}: immediate ${i.imm} outside [${r.min}, ${r.max}] or not a multiple of ${r.align}`);
  }
  const op = d.opcode;
  const f3 = (d.funct3 ?? 0) << 12;
  const rd = i.rd << 7;
  const rs1 = i.rs1 << 15;
  const rs2 = i.rs2 << 20;
  const imm = i.imm;
  let w: number;
  switch (d.format) {
    case "R":
      w = ((d.funct7 ?? 0) << 25) | rs2 | rs1 | f3 | rd | op;
      break;
    case "R4":
      w = (i.rs3 << 27) | ((d.funct2 ?? 0) << 25) | rs2 | rs1 | f3 | rd | op;
      break;
    case "I":
      w = ((imm & 0xfff) << 20) | rs1 | f3 | rd | op;
      break;
    case "IS":
      w = ((d.funct7 ?? 0) << 25) | (imm << 20) | rs1 | f3 | rd | op;
      break;
    case "S":
      w = (bits(imm, 11, 5) << 25) | rs2 | rs1 | f3 | (bits(imm, 4, 0) << 7) | op;
      break;
    case "B":
      w = (bits(imm, 12, 12) << 31) | (bits(imm, 10, 5) << 25) | rs2 | rs1 | f3 | (bits(imm, 4, 1) << 8) | (bits(imm, 11, 11) << 7) | op;
      break;
    case "U":
      w = (imm << 12) | rd | op;
      break;
    case "J":
      w = (bits(imm, 20, 20) << 31) | (bits(imm, 10, 1) << 21) | (bits(imm, 11, 11) << 20) | (bits(imm, 19, 12) << 12) | rd | op;
      break;
    case "SYS":
      w = d.word ?? 0;
      break;
  }
  return w >>> 0;
}

// decode index: opcode → candidate definitions
const BY_OPCODE = new Map<number, InstrDef[]>();
for (const d of INSTRUCTIONS) {
  const list = BY_OPCODE.get(d.opcode) ?? [];
  list.push(d);
  BY_OPCODE.set(d.opcode, list);
}

function matches(d: InstrDef, w: number): boolean {
  if (d.format === "SYS") return w === d.word;
  if (d.format !== "U" && d.format !== "J" && bits(w, 14, 12) !== (d.funct3 ?? 0)) return false;
  if ((d.format === "R" || d.format === "IS") && bits(w, 31, 25) !== (d.funct7 ?? 0)) return false;
  if (d.format === "R4" && bits(w, 26, 25) !== (d.funct2 ?? 0)) return false;
  return true;
}

/** Decodes a word; undefined if it is not an instruction of this ISA. */
export function decode(word: number): Instr | undefined {
  const w = word >>> 0;
  const cands = BY_OPCODE.get(w & 0x7f);
  if (cands === undefined) return undefined;
  const d = cands.find((c) => matches(c, w));
  if (d === undefined) return undefined;
  const i: Instr = { mnemonic: d.mnemonic, rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0 };
  const fields = { rd: bits(w, 11, 7), rs1: bits(w, 19, 15), rs2: bits(w, 24, 20), rs3: bits(w, 31, 27) };
  const used = new Set<string>(d.operands.map((o) => (o === "mem" ? "rs1" : o)));
  for (const f of formatRegisterFields(d.format)) {
    if (used.has(f)) i[f] = fields[f];
    else if (fields[f] !== 0) return undefined;
  }
  switch (d.format) {
    case "I":
      i.imm = sext(bits(w, 31, 20), 12);
      break;
    case "IS":
      i.imm = bits(w, 24, 20);
      break;
    case "S":
      i.imm = d.operands.includes("mask") ? (bits(w, 31, 25) << 5) | bits(w, 11, 7) : sext((bits(w, 31, 25) << 5) | bits(w, 11, 7), 12);
      break;
    case "B":
      i.imm = sext((bits(w, 31, 31) << 12) | (bits(w, 7, 7) << 11) | (bits(w, 30, 25) << 5) | (bits(w, 11, 8) << 1), 13);
      break;
    case "U":
      i.imm = bits(w, 31, 12);
      break;
    case "J":
      i.imm = sext((bits(w, 31, 31) << 20) | (bits(w, 19, 12) << 12) | (bits(w, 20, 20) << 11) | (bits(w, 30, 21) << 1), 21);
      break;
    default:
      break;
  }
  return i;
}

/** An instruction with every field zero but the mnemonic (convenient for building by hand). */
export function instr(mnemonic: string, fields: Partial<Omit<Instr, "mnemonic">> = {}): Instr {
  return { mnemonic, rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0, ...fields };
}
