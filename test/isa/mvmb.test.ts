// The block MVM instruction `mvmb rs1, rs2, imm` (isa/table.ts, isa/semantics.ts): S format,
// opcode 0x0b (custom-0), funct3 1; imm[3:0] is the MVM unit, imm[11:4] the block. The word is
// built here by hand from the RISC-V S layout (imm[11:5] | rs2 | rs1 | funct3 | imm[4:0] | opcode).
import { describe, expect, it } from "vitest";
import { assemble } from "../../isa/assembler";
import { disassembleWord } from "../../isa/disassembler";
import { decode, instr } from "../../isa/encoding";
import { step } from "../../isa/semantics";

// mvmb x1, x2, 0x13: imm = 0b0000_0001_0011 → imm[11:5] = 0, imm[4:0] = 0b10011 = 19
const WORD = ((0 << 25) | (2 << 20) | (1 << 15) | (1 << 12) | (19 << 7) | 0x0b) >>> 0;

describe("mvmb", () => {
  it("assembles to the S-format word and disassembles back (unit 3, block 1)", () => {
    expect(WORD).toBe(0x0020998b);
    expect([...assemble("mvmb x1, x2, 0x13").text]).toEqual([WORD]);
    expect(decode(WORD)).toMatchObject({ mnemonic: "mvmb", rs1: 1, rs2: 2, imm: 0x13 });
    const text = disassembleWord(WORD).text;
    expect(text).toBe("mvmb ra, sp, 0x13");
    expect([...assemble(text).text]).toEqual([WORD]);
    // it is not `mvm` (funct3 0)
    expect([...assemble("mvm x1, x2, 0x13").text]).not.toEqual([WORD]);
  });

  it("names one unit (imm[3:0] as a one-bit mask) and one block (imm[11:4]); the widest immediate is unit 15, block 255", () => {
    const x = new Int32Array(32);
    x[1] = 100;
    x[2] = 200;
    expect(step({ pc: 0, x }, instr("mvmb", { rs1: 1, rs2: 2, imm: 0x13 })).custom).toEqual({ kind: "mvm", mask: 1 << 3, inAddr: 100, outAddr: 200, block: 1 });
    expect(step({ pc: 0, x }, instr("mvmb", { rs1: 1, rs2: 2, imm: 0xfff })).custom).toEqual({ kind: "mvm", mask: 1 << 15, inAddr: 100, outAddr: 200, block: 255 });
    expect([...assemble("mvmb x1, x2, 0xfff").text]).toHaveLength(1);
    expect(() => assemble("mvmb x1, x2, 0x1000")).toThrow();
  });
});
