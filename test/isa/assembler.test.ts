import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as fc from "fast-check";
import { assemble, tryAssemble } from "../../isa/assembler";
import { AsmError, DIAGNOSTIC_CODES } from "../../isa/diagnostics";
import { decode, encode } from "../../isa/encoding";
import { disassemble, disassembleWord } from "../../isa/disassembler";
import { arbInstr } from "./helpers";

const FIX = path.join(__dirname, "..", "fixtures", "isa");
const read = (f: string) => fs.readFileSync(path.join(FIX, f), "utf8");

function codes(src: string): string[] {
  return tryAssemble(src, { file: "t.s" }).diagnostics.map((d) => d.code);
}

describe("assembler matches GNU as", () => {
  it("assembles rv32im-encodings.s to the words GNU as 2.40 produced", () => {
    const p = assemble(read("rv32im-encodings.s"));
    const expected = read("rv32im-encodings.expected")
      .trim()
      .split("\n")
      .map((l) => parseInt(l.split(" ")[1], 16));
    expect([...p.text]).toEqual(expected);
  });
  it("assembles pseudo-linked.s (li/la/call/tail, %hi/%lo, branches-by-alias, directives) to the linked GNU words and data", () => {
    const p = assemble(read("pseudo-linked.s"));
    const lines = read("pseudo-linked.expected")
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("#"));
    const text = lines.filter((l) => !l.startsWith("data")).map((l) => parseInt(l.split(" ")[1], 16));
    const data = lines
      .filter((l) => l.startsWith("data"))
      .map((l) => l.split(" ")[1])
      .join("");
    expect([...p.text]).toEqual(text);
    expect(Buffer.from(p.data).toString("hex")).toBe(data);
    expect(p.dataBase).toBe(0x10000);
    expect(p.globals).toEqual(["_start"]);
  });
  it("li uses one instruction when the value fits 12 bits or has zero low bits, else lui+addi with the +0x800 carry", () => {
    // 0x7ff: addi; 0x800: lui 1 + addi -2048 (carry); 0xfffff800 (= -2048): addi
    expect(assemble("li a0, 0x7ff").text.length).toBe(1);
    expect([...assemble("li a0, 0x800").text]).toEqual([0x00001537, 0x80050513]);
    expect([...assemble("li a0, 0xfffff800").text]).toEqual([0x80000513]);
    // a forward label's value is unknown in pass 1: two instructions
    expect(assemble("li a0, end\nend:").text.length).toBe(2);
  });
});

describe("assembler diagnostics", () => {
  const cases: Array<[string, string, string]> = [
    ["E100", "a statement that cannot start with this token", ")"],
    ["E101", "unknown mnemonic", "frob a0, a1"],
    ["E102", "wrong operand count", "add a0, a1"],
    ["E103", "not a register", "add a0, a1, q7"],
    ["E104", "bad memory operand", "lw a0, a1"],
    ["E105", "immediate out of range", "addi a0, a0, 2048"],
    ["E106", "undefined label", "j nowhere"],
    ["E107", "duplicate label", "x:\nx:\n nop"],
    ["E108", "misaligned (odd) branch target", "beq a0, a1, 5"],
    ["E109", "unknown directive", ".frob 3"],
    ["E110", "bad directive operand", ".align 40"],
    ["E111", "bad expression", "addi a0, a0, 1/0"],
    ["E112", "program too large", ".space 10000000\n.space 10000000"],
  ];
  it.each(cases)("%s: %s", (code, _what, src) => {
    expect(codes(src)).toContain(code);
  });
  it("every assembler code in the table has a case above", () => {
    const asmCodes = Object.keys(DIAGNOSTIC_CODES).filter((c) => c.startsWith("E1"));
    expect(cases.map((c) => c[0]).sort()).toEqual(asmCodes.sort());
  });
  it("diagnostics carry file:line:col of the offending token", () => {
    const r = tryAssemble("nop\n  add a0, a1, q7\n", { file: "prog.s" });
    expect(r.diagnostics[0]).toMatchObject({ code: "E103", file: "prog.s", line: 2, col: 15 });
  });
  it("collects every error of the file and the thrown error lists the first few, one line each", () => {
    const src = Array.from({ length: 8 }, (_, k) => `bogus${k} a0`).join("\n");
    expect(codes(src)).toEqual(Array(8).fill("E101"));
    try {
      assemble(src, { file: "p.s" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AsmError);
      expect((e as AsmError).code).toBe("E101");
      const lines = (e as Error).message.split("\n");
      expect(lines[0]).toBe("p.s:1:1: E101 unknown mnemonic 'bogus0'");
      expect(lines.at(-1)).toBe("(3 more errors)");
    }
  });
  it("a misaligned instruction is E108", () => {
    expect(codes(".byte 1\nnop")).toContain("E108");
  });
  it("a .word value outside 32 bits is E105", () => {
    expect(codes(".word 0x100000000")).toContain("E105");
  });
});

describe("round trips and robustness", () => {
  const BASE = 0; // a backward target below 0 is printed as an address near 2^32 and wraps back
  it("assemble(disassemble(w)) = w for every instruction (property)", () => {
    fc.assert(
      fc.property(arbInstr, fc.boolean(), fc.constantFrom(BASE, 0x100000, 0xfffff000), (i, aliases, base) => {
        const w = encode(i);
        const text = disassembleWord(w, base, { aliases }).text;
        expect([...assemble(text, { textBase: base }).text]).toEqual([w]);
      }),
      { numRuns: 1500 },
    );
  });
  it("random words disassemble without crashing; invalid ones become .word with E201 and still reassemble", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 16 }), (ws) => {
        const r = disassemble(ws, BASE);
        expect(r.diagnostics.every((d) => d.code === "E201")).toBe(true);
        expect(r.diagnostics.length).toBe(ws.filter((w) => decode(w) === undefined).length);
        const src = r.lines.map((l) => l.text).join("\n");
        expect([...assemble(src, { textBase: BASE }).text]).toEqual(ws.map((w) => w >>> 0));
      }),
      { numRuns: 300 },
    );
  });
  it("random text never crashes the assembler: it assembles or gives numbered diagnostics", () => {
    const pieces = [
      "add",
      "addi",
      "lw",
      "sw",
      "li",
      "la",
      "beq",
      "j",
      "call",
      ".word",
      ".align",
      ".space",
      ".equ",
      ".data",
      "vadd",
      "mvm",
      "x:",
      "a0",
      "sp",
      "(",
      ")",
      ",",
      "%hi(",
      "%lo(",
      "-",
      "0x",
      "12",
      "4096",
      "foo",
      "#",
      ":",
      ".",
      "'",
      "\t",
      " ",
      "\n",
    ];
    const arbText = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((a) => a.join(" ")),
    );
    fc.assert(
      fc.property(arbText, (src) => {
        const r = tryAssemble(src, { file: "f.s" });
        if (r.program === undefined) {
          expect(r.diagnostics.length).toBeGreaterThan(0);
          for (const d of r.diagnostics) expect(d.code).toMatch(/^E1\d\d$/);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
