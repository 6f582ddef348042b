import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { execCoreProgram } from "../../arch/core/exec";
import { assemble } from "../../isa/assembler";
import { packRequant } from "../../isa/vector-ops";
import { requantize } from "../../sim/fixed-point";

const PROG = path.join(__dirname, "..", "fixtures", "isa", "programs");
const run = (name: string) => {
  const src = fs.readFileSync(path.join(PROG, name), "utf8");
  return { r: execCoreProgram(src, { file: name }), p: assemble(src) };
};
const s32 = (v: number) => v | 0;

describe("programs run to independently computed results", () => {
  it("iterative sum 1..100", () => {
    const { r } = run("sum.s");
    let s = 0;
    for (let k = 1; k <= 100; k++) s += k;
    expect(r.halted).toBe(true);
    expect(r.registers.x10).toBe(s);
    // 3 setup + 100 × 3 loop + ecall
    expect(r.instructions).toBe(3 + 300 + 1);
  });
  it("memcpy of 16 words, then the sum of the copy (32-bit wraparound)", () => {
    const { r, p } = run("memcpy.s");
    const src = [3, -1, 4, 1, -5, 9, 2, -6, 5, 3, -5, 8, 9, 7, 9, 0x7fffffff];
    expect(r.registers.x10).toBe(src.reduce((a, b) => (a + b) | 0, 0) >>> 0);
    const dst = p.symbols.get("dst")! - p.dataBase;
    const view = new DataView(r.core.dmem.buffer);
    expect(src.map((_, k) => view.getInt32(dst + 4 * k, true))).toEqual(src);
  });
  it("recursive factorial(10)", () => {
    const { r } = run("factorial.s");
    let f = 1;
    for (let k = 2; k <= 10; k++) f *= k;
    expect(r.registers.x10).toBe(f);
    expect(r.registers.x2).toBe(0x10000 + 4096); // the stack is balanced
  });
  it("recursive fibonacci(15)", () => {
    const { r } = run("fibonacci.s");
    const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
    expect(r.registers.x10).toBe(fib(15));
  });
  it("bubble sort of 12 signed words", () => {
    const { r, p } = run("bubble.s");
    const input = [42, -7, 0, 19, 19, -300, 8, 2147483647, -2147483648, 5, 1, -1];
    const view = new DataView(r.core.dmem.buffer);
    const at = p.symbols.get("arr")! - p.dataBase;
    const out = input.map((_, k) => view.getInt32(at + 4 * k, true));
    expect(out).toEqual([...input].sort((a, b) => a - b).map(s32));
  });
  it("vector ALU ops run standalone on the core's register file (vset, vadd, vrelu, vreq)", () => {
    const packed = packRequant({ multiplier: 16384, shift: 15, zeroPoint: 0, range: "int8" });
    const src = [
      "li a0, 0",
      "li a1, 16",
      "li a2, 32",
      "li a3, 8",
      "li t0, -5",
      "vset a0, t0, a3", // V[0..8) = -5
      "li t0, 300",
      "vset a1, t0, a3", // V[16..24) = 300
      "vadd a2, a0, a1, a3", // V[32..40) = 295
      "vrelu a0, a0, a3", // V[0..8) = 0
      `li t1, ${packed}`,
      "vreq a1, a2, t1, a3", // V[16..24) = requantize(295)
      "ecall",
    ].join("\n");
    const r = execCoreProgram(src);
    const v = r.core.vrf;
    expect([...v.subarray(32, 40)]).toEqual(Array(8).fill(-5 + 300));
    expect([...v.subarray(0, 8)]).toEqual(Array(8).fill(0));
    // 295 × 16384 / 2^15 = 147.5 → 148 (half up), clipped to int8's 127
    expect(requantize(295, { multiplier: 16384, shift: 15, zeroPoint: 0, lo: -128, hi: 127 })).toBe(127);
    expect([...v.subarray(16, 24)]).toEqual(Array(8).fill(127));
  });
});
