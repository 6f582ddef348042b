import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as fc from "fast-check";
import { decode, encode, instr } from "../../isa/encoding";
import { INSTRUCTIONS, instrDef } from "../../isa/table";
import { arbInstr } from "./helpers";

const FIX = path.join(__dirname, "..", "fixtures", "isa");

/** Parses one objdump line (`pc: word mnemonic ops`, numeric register names) into instruction fields. */
function parseObjdump(line: string): { pc: number; word: number; i: ReturnType<typeof instr> } {
  const m = /^([0-9a-f]+): ([0-9a-f]{8}) (\S+)\s*(.*)$/.exec(line.trim());
  if (!m) throw new Error(`bad fixture line ${line}`);
  const pc = parseInt(m[1], 16);
  const word = parseInt(m[2], 16);
  const mnemonic = m[3];
  const ops = m[4] === "" ? [] : m[4].replace(/ <[^>]*>/, "").split(",");
  const d = instrDef(mnemonic)!;
  const i = instr(mnemonic);
  const num = (s: string, hex: boolean) => (hex || s.startsWith("0x") ? parseInt(s.replace(/^0x/, ""), 16) : parseInt(s, 10));
  const reg = (s: string) => Number(/^x(\d+)$/.exec(s)![1]);
  d.operands.forEach((kind, k) => {
    const s = ops[k];
    if (kind === "rd" || kind === "rs1" || kind === "rs2") i[kind] = reg(s);
    else if (kind === "mem") {
      const mm = /^(-?\d+)\((x\d+)\)$/.exec(s)!;
      i.imm = Number(mm[1]);
      i.rs1 = reg(mm[2]);
    } else if (kind === "btarget" || kind === "jtarget") i.imm = num(s, true) - pc;
    else i.imm = num(s, false);
  });
  return { pc, word, i };
}

describe("encoding", () => {
  it("decode(encode(i)) = i for every instruction of the table (property)", () => {
    fc.assert(
      fc.property(arbInstr, (i) => {
        expect(decode(encode(i))).toEqual(i);
      }),
      { numRuns: 3000 },
    );
  });
  it("every word that decodes re-encodes to itself (property over random words)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(...INSTRUCTIONS), (w, d) => {
        // bias toward the table's opcodes so many random words are valid
        const word = ((w & ~0x7f) | d.opcode) >>> 0;
        const i = decode(word);
        if (i !== undefined) expect(encode(i)).toBe(word);
      }),
      { numRuns: 5000 },
    );
  });
  it("matches GNU as 2.40 for every RV32I/M instruction (fixture rv32im-encodings)", () => {
    const lines = fs.readFileSync(path.join(FIX, "rv32im-encodings.expected"), "utf8").trim().split("\n");
    expect(lines.length).toBe(55);
    const seen = new Set<string>();
    for (const line of lines) {
      const { word, i } = parseObjdump(line);
      expect(encode(i), line).toBe(word);
      expect(decode(word), line).toEqual(i);
      seen.add(i.mnemonic);
    }
    const base = INSTRUCTIONS.filter((d) => d.ext !== "custom").map((d) => d.mnemonic);
    expect([...seen].sort()).toEqual([...base].sort());
  });
  it("known encodings from the RISC-V spec: canonical NOP, ECALL, EBREAK, RET", () => {
    // Unprivileged ISA §2.4 (NOP = ADDI x0, x0, 0 = 0x00000013), §2.8 (ECALL, EBREAK), RET = JALR x0, 0(x1)
    expect(encode(instr("addi"))).toBe(0x00000013);
    expect(encode(instr("ecall"))).toBe(0x00000073);
    expect(encode(instr("ebreak"))).toBe(0x00100073);
    expect(encode(instr("jalr", { rs1: 1 }))).toBe(0x00008067);
  });
  it("custom instructions sit in RISC-V's custom opcode spaces and never collide", () => {
    const custom = new Set([0x0b, 0x2b, 0x5b, 0x7b]);
    for (const d of INSTRUCTIONS.filter((x) => x.ext === "custom")) expect(custom.has(d.opcode), d.mnemonic).toBe(true);
    const keys = INSTRUCTIONS.map((d) => `${d.opcode}/${d.funct3}/${d.funct7}/${d.funct2}/${d.word}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
  it("a word with a non-zero unused field does not decode", () => {
    const relu = encode(instr("vrelu", { rd: 1, rs1: 2, rs3: 3 }));
    expect(decode(relu)?.mnemonic).toBe("vrelu");
    expect(decode(relu | (5 << 20))).toBeUndefined();
    expect(decode(0x00000000)).toBeUndefined();
    expect(decode(0xffffffff)).toBeUndefined();
  });
  it("out-of-range fields are refused by the encoder", () => {
    expect(() => encode(instr("addi", { imm: 2048 }))).toThrow(RangeError);
    expect(() => encode(instr("beq", { imm: 3 }))).toThrow(RangeError);
    expect(() => encode(instr("add", { rd: 32 }))).toThrow(RangeError);
  });
});
