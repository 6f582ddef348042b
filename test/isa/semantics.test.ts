import { describe, expect, it } from "vitest";
import * as fc from "fast-check";
import { instr } from "../../isa/encoding";
import { step } from "../../isa/semantics";
import { applyVectorOp, packRequant, sigmoidQ, tanhQ, unpackRequant } from "../../isa/vector-ops";
import { requantize } from "../../sim/fixed-point";

/** Runs one R-type op with x1 = a, x2 = b; returns x[rd] as an unsigned 32-bit value. */
function rop(m: string, a: number, b: number): number {
  const x = new Int32Array(32);
  x[1] = a;
  x[2] = b;
  const e = step({ pc: 0, x }, instr(m, { rd: 3, rs1: 1, rs2: 2 }));
  return (e.value as number) >>> 0;
}
function iop(m: string, a: number, imm: number): number {
  const x = new Int32Array(32);
  x[1] = a;
  return (step({ pc: 0, x }, instr(m, { rd: 3, rs1: 1, imm })).value as number) >>> 0;
}

const MIN = -0x80000000;

describe("RV32 integer semantics", () => {
  it("DIV/REM edge cases per the spec table (Unprivileged ISA §13.2)", () => {
    // division by zero: DIV → −1, DIVU → 2^32−1, REM/REMU → dividend
    expect(rop("div", 7, 0)).toBe(0xffffffff);
    expect(rop("divu", 7, 0)).toBe(0xffffffff);
    expect(rop("rem", -7, 0)).toBe(-7 >>> 0);
    expect(rop("remu", 7, 0)).toBe(7);
    // signed overflow: −2^31 / −1 → −2^31, remainder 0
    expect(rop("div", MIN, -1)).toBe(0x80000000);
    expect(rop("rem", MIN, -1)).toBe(0);
    // rounding toward zero, remainder takes the dividend's sign
    expect(rop("div", -7, 2)).toBe(-3 >>> 0);
    expect(rop("rem", -7, 2)).toBe(-1 >>> 0);
    expect(rop("divu", -7, 2)).toBe(Math.floor(0xfffffff9 / 2));
  });
  it("MUL/MULH/MULHSU/MULHU agree with a BigInt reference (property)", () => {
    const i32 = fc.integer({ min: MIN, max: 0x7fffffff });
    fc.assert(
      fc.property(i32, i32, (a, b) => {
        const s = (v: number) => BigInt(v);
        const uu = (v: number) => BigInt(v >>> 0);
        const lo = (p: bigint) => Number(BigInt.asUintN(32, p));
        const hi = (p: bigint) => Number(BigInt.asUintN(32, p >> 32n));
        expect(rop("mul", a, b)).toBe(lo(s(a) * s(b)));
        expect(rop("mulh", a, b)).toBe(hi(s(a) * s(b)));
        expect(rop("mulhsu", a, b)).toBe(hi(s(a) * uu(b)));
        expect(rop("mulhu", a, b)).toBe(hi(uu(a) * uu(b)));
      }),
      { numRuns: 300 },
    );
  });
  it("32-bit wraparound, signed vs unsigned compares, shift amounts masked to 5 bits", () => {
    expect(rop("add", 0x7fffffff, 1)).toBe(0x80000000);
    expect(rop("sub", MIN, 1)).toBe(0x7fffffff);
    expect(rop("slt", -1, 1)).toBe(1);
    expect(rop("sltu", -1, 1)).toBe(0);
    expect(iop("sltiu", 5, -1)).toBe(1); // the immediate is sign-extended, then compared unsigned
    expect(rop("sll", 1, 33)).toBe(2);
    expect(rop("sra", MIN, 31)).toBe(0xffffffff);
    expect(rop("srl", MIN, 31)).toBe(1);
    expect(iop("srai", -16, 2)).toBe(-4 >>> 0);
  });
  it("writes to x0 are dropped; JALR clears bit 0 of the target; branches compare as specified", () => {
    const x = new Int32Array(32);
    expect(step({ pc: 0, x }, instr("addi", { rd: 0, imm: 5 })).rd).toBeUndefined();
    x[1] = 0x101;
    const j = step({ pc: 8, x }, instr("jalr", { rd: 5, rs1: 1, imm: 2 }));
    expect(j).toMatchObject({ nextPc: 0x102, rd: 5, value: 12, redirect: true });
    x[1] = -1;
    x[2] = 1;
    expect(step({ pc: 16, x }, instr("blt", { rs1: 1, rs2: 2, imm: -16 })).nextPc).toBe(0);
    expect(step({ pc: 16, x }, instr("bltu", { rs1: 1, rs2: 2, imm: -16 })).nextPc).toBe(20);
  });
  it("lui/auipc place the immediate in the upper 20 bits", () => {
    const x = new Int32Array(32);
    expect(step({ pc: 0x1000, x }, instr("lui", { rd: 1, imm: 0xfffff })).value! >>> 0).toBe(0xfffff000);
    expect(step({ pc: 0x1000, x }, instr("auipc", { rd: 1, imm: 1 })).value).toBe(0x2000);
  });
  it("custom instructions read their operands from registers", () => {
    const x = new Int32Array(32);
    x[10] = 100;
    x[11] = 200;
    x[12] = 300;
    x[13] = 16;
    expect(step({ pc: 0, x }, instr("vadd", { rd: 10, rs1: 11, rs2: 12, rs3: 13 })).custom).toEqual({ kind: "vector", op: "add", dst: 100, a: 200, b: 300, scalar: 300, length: 16 });
    expect(step({ pc: 0, x }, instr("mvm", { rs1: 11, rs2: 12, imm: 3 })).custom).toEqual({ kind: "mvm", mask: 3, inAddr: 200, outAddr: 300 });
    x[5] = (4 << 16) | 7;
    expect(step({ pc: 0, x }, instr("recv", { rs1: 10, rs2: 11, rs3: 13, rd: 5 })).custom).toEqual({ kind: "recv", addr: 100, tile: 200, length: 16, tag: 7, consumers: 4 });
    expect(step({ pc: 0, x }, instr("halt")).halt).toBe(true);
  });
});

describe("vector ALU element semantics", () => {
  it("requantise uses sim/fixed-point requantize with the packed parameters", () => {
    const packed = packRequant({ multiplier: 19661, shift: 20, zeroPoint: -3, range: "int8" });
    expect(unpackRequant(packed)).toEqual({ multiplier: 19661, shift: 20, zeroPoint: -3, lo: -128, hi: 127 });
    const v = Int32Array.from([1000, -1000, 123456, 0]);
    applyVectorOp("req", v, 0, 0, 0, packed, 4);
    const q = { multiplier: 19661, shift: 20, zeroPoint: -3, lo: -128, hi: 127 };
    expect([...v]).toEqual([1000, -1000, 123456, 0].map((a) => requantize(a, q)));
  });
  it("shift-and-add accumulates into the destination; add/mul wrap at 32 bits", () => {
    const v = Int32Array.from([1, 2, 10, 20, 0x7fffffff, 0x10000]);
    applyVectorOp("sna", v, 2, 0, 0, 3, 2); // V[2..3] += V[0..1] << 3
    expect([v[2], v[3]]).toEqual([10 + 8, 20 + 16]);
    applyVectorOp("add", v, 0, 4, 4, 0, 1);
    expect(v[0]).toBe(-2);
    applyVectorOp("mul", v, 1, 5, 5, 0, 1); // 2^16 · 2^16 wraps to 0
    expect(v[1]).toBe(0);
  });
  it("sigmoid and tanh tables in Q8.8: σ(0) = 0.5, tanh(0) = 0, saturation, odd symmetry", () => {
    expect(sigmoidQ(0)).toBe(128);
    expect(tanhQ(0)).toBe(0);
    expect(sigmoidQ(32767)).toBe(256);
    expect(sigmoidQ(-1_000_000)).toBe(0);
    // tanh(1) = 0.76159… → 256 · 0.76159 = 194.97 → 195
    expect(tanhQ(256)).toBe(195);
    expect(tanhQ(-256)).toBe(-195);
    // σ(1) = 0.731058… → 187.15 → 187
    expect(sigmoidQ(256)).toBe(187);
  });
});
