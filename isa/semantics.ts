// Pure semantics of the control ISA: step(state, instr) → effects. Nothing is mutated; the caller
// (the timed core, arch/core/core.ts) applies the effects: a register write, a memory access, the
// next pc, or a request for a custom operation with its operands read from the registers.
// RV32 integer semantics are exact (RISC-V Unprivileged ISA ch. 2 and 13): 32-bit wraparound,
// signed and unsigned compares, shift amounts masked to 5 bits, DIV/REM by zero and the signed
// overflow case as specified (x/0 = −1, x%0 = x, −2³¹/−1 = −2³¹, −2³¹%−1 = 0).

import type { Instr } from "./encoding";
import { vectorOpOf, type VectorOp } from "./vector-ops";

export interface ScalarState {
  pc: number;
  /** x0…x31 as signed 32-bit values (x0 is always 0) */
  x: Int32Array;
}

export type MemAccess = { kind: "load"; addr: number; width: 1 | 2 | 4; signed: boolean; rd: number } | { kind: "store"; addr: number; width: 1 | 2 | 4; value: number };

export type CustomRequest =
  | { kind: "mvm"; mask: number; inAddr: number; outAddr: number; block?: number }
  | { kind: "vector"; op: VectorOp; dst: number; a: number; b: number; scalar: number; length: number }
  | { kind: "vload"; dst: number; tileAddr: number; length: number }
  | { kind: "vstore"; tileAddr: number; src: number; consumers: number; length: number }
  | { kind: "send"; addr: number; tile: number; length: number; tag: number }
  | { kind: "recv"; addr: number; tile: number; length: number; tag: number; consumers: number }
  | { kind: "barrier"; flag: number };

export interface Effects {
  nextPc: number;
  /** register write (never to x0) */
  rd?: number;
  value?: number;
  mem?: MemAccess;
  custom?: CustomRequest;
  /** true for a taken branch or a jump */
  redirect?: boolean;
  halt?: boolean;
  trap?: string;
}

const u = (v: number) => v >>> 0;

function mulh(a: number, b: number, aSigned: boolean, bSigned: boolean): number {
  const A = aSigned ? BigInt(a | 0) : BigInt(a >>> 0);
  const B = bSigned ? BigInt(b | 0) : BigInt(b >>> 0);
  return Number(BigInt.asIntN(32, (A * B) >> 32n));
}

function div(a: number, b: number): number {
  if (b === 0) return -1;
  if (a === -0x80000000 && b === -1) return a;
  return Math.trunc(a / b) | 0;
}
function rem(a: number, b: number): number {
  if (b === 0) return a;
  if (a === -0x80000000 && b === -1) return 0;
  return (a % b) | 0;
}

const IMM_FORMS = new Set(["addi", "slti", "sltiu", "xori", "ori", "andi", "slli", "srli", "srai"]);
const LOAD_WIDTH: Record<string, [1 | 2 | 4, boolean]> = { lb: [1, true], lh: [2, true], lw: [4, true], lbu: [1, false], lhu: [2, false] };
const STORE_WIDTH: Record<string, 1 | 2 | 4> = { sb: 1, sh: 2, sw: 4 };

function alu(m: string, a: number, b: number): number | undefined {
  switch (m) {
    case "add":
    case "addi":
      return (a + b) | 0;
    case "sub":
      return (a - b) | 0;
    case "sll":
    case "slli":
      return a << (b & 31);
    case "srl":
    case "srli":
      return (a >>> (b & 31)) | 0;
    case "sra":
    case "srai":
      return a >> (b & 31);
    case "slt":
    case "slti":
      return a < b ? 1 : 0;
    case "sltu":
    case "sltiu":
      return u(a) < u(b) ? 1 : 0;
    case "xor":
    case "xori":
      return a ^ b;
    case "or":
    case "ori":
      return a | b;
    case "and":
    case "andi":
      return a & b;
    case "mul":
      return Math.imul(a, b);
    case "mulh":
      return mulh(a, b, true, true);
    case "mulhsu":
      return mulh(a, b, true, false);
    case "mulhu":
      return mulh(a, b, false, false);
    case "div":
      return div(a, b);
    case "divu":
      return b === 0 ? -1 : Math.floor(u(a) / u(b)) | 0;
    case "rem":
      return rem(a, b);
    case "remu":
      return b === 0 ? a : (u(a) % u(b)) | 0;
    default:
      return undefined;
  }
}

function branchTaken(m: string, a: number, b: number): boolean {
  switch (m) {
    case "beq":
      return a === b;
    case "bne":
      return a !== b;
    case "blt":
      return a < b;
    case "bge":
      return a >= b;
    case "bltu":
      return u(a) < u(b);
    default:
      return u(a) >= u(b);
  }
}

function writeRd(rd: number, nextPc: number, value: number): Effects {
  return rd === 0 ? { nextPc } : { nextPc, rd, value: value | 0 };
}

/** The effects of executing `i` at `s.pc`. */
export function step(s: ScalarState, i: Instr): Effects {
  const x = s.x;
  const pc = s.pc;
  const next = u(pc + 4);
  const m = i.mnemonic;
  const a = x[i.rs1];
  const b = x[i.rs2];
  switch (m) {
    case "lui":
      return writeRd(i.rd, next, i.imm << 12);
    case "auipc":
      return writeRd(i.rd, next, pc + (i.imm << 12));
    case "jal": {
      const e = writeRd(i.rd, next, next);
      e.nextPc = u(pc + i.imm);
      e.redirect = true;
      return e;
    }
    case "jalr": {
      const e = writeRd(i.rd, next, next);
      e.nextPc = u((a + i.imm) & ~1);
      e.redirect = true;
      return e;
    }
    case "beq":
    case "bne":
    case "blt":
    case "bge":
    case "bltu":
    case "bgeu":
      return branchTaken(m, a, b) ? { nextPc: u(pc + i.imm), redirect: true } : { nextPc: next };
    case "lb":
    case "lh":
    case "lw":
    case "lbu":
    case "lhu": {
      const [width, signed] = LOAD_WIDTH[m];
      return { nextPc: next, mem: { kind: "load", addr: u(a + i.imm), width, signed, rd: i.rd } };
    }
    case "sb":
    case "sh":
    case "sw":
      return { nextPc: next, mem: { kind: "store", addr: u(a + i.imm), width: STORE_WIDTH[m], value: b } };
    case "ecall":
    case "halt":
      return { nextPc: next, halt: true };
    case "ebreak":
      return { nextPc: next, trap: `ebreak at pc 0x${pc.toString(16)}` };
    case "mvm":
      return { nextPc: next, custom: { kind: "mvm", mask: i.imm, inAddr: u(a), outAddr: u(b) } };
    case "mvmb":
      return { nextPc: next, custom: { kind: "mvm", mask: 1 << (i.imm & 15), inAddr: u(a), outAddr: u(b), block: i.imm >>> 4 } };
    case "vld":
      return { nextPc: next, custom: { kind: "vload", dst: u(x[i.rd]), tileAddr: u(a), length: u(x[i.rs3]) } };
    case "vst":
      return { nextPc: next, custom: { kind: "vstore", tileAddr: u(x[i.rd]), src: u(a), consumers: u(b), length: u(x[i.rs3]) } };
    case "send":
      return { nextPc: next, custom: { kind: "send", addr: u(a), tile: u(b), length: u(x[i.rs3]), tag: u(x[i.rd]) } };
    case "recv": {
      const t = u(x[i.rd]);
      return { nextPc: next, custom: { kind: "recv", addr: u(a), tile: u(b), length: u(x[i.rs3]), tag: t & 0xffff, consumers: t >>> 16 || 1 } };
    }
    case "barrier":
      return { nextPc: next, custom: { kind: "barrier", flag: u(a) } };
    default: {
      const op = vectorOpOf(m);
      if (op !== undefined) {
        return { nextPc: next, custom: { kind: "vector", op, dst: u(x[i.rd]), a: u(a), b: u(b), scalar: op === "set" ? a : b, length: u(x[i.rs3]) } };
      }
      const r = alu(m, a, IMM_FORMS.has(m) ? i.imm : b);
      if (r === undefined) return { nextPc: next, trap: `no semantics for '${m}'` };
      return writeRd(i.rd, next, r);
    }
  }
}
