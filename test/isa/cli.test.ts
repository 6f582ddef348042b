import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { assembleFile, disassembleFile, execFile, parseHexWords } from "../..";
import { cli } from "../spawn";

const root = path.join(__dirname, "..", "..");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-isa-"));
const PROG = path.join(root, "test", "fixtures", "isa", "programs");

describe("asm / disasm / exec commands", () => {
  it("exec --json prints cycles, instructions, unsigned registers and halted", () => {
    const r = cli(["exec", path.join(PROG, "sum.s"), "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.halted).toBe(true);
    expect(j.registers.x10).toBe(5050);
    expect(Object.keys(j.registers)).toEqual(Array.from({ length: 32 }, (_, k) => `x${k}`));
    expect(j.instructions).toBe(304);
    expect(typeof j.cycles).toBe("number");
  });
  it("asm on a bad file exits 2 with numbered one-line diagnostics and writes no file", () => {
    const d = tmp();
    const src = path.join(d, "bad.s");
    const out = path.join(d, "bad.bin");
    fs.writeFileSync(src, "nop\nfrob a0\naddi a0, a0, 5000\n");
    const r = cli(["asm", src, "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.s:2:1: E101/);
    expect(r.stderr).toMatch(/bad\.s:3:\d+: E105/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(d)).toEqual(["bad.s"]);
  });
  it("asm writes raw little-endian text words that disasm lists back (typed functions)", () => {
    const d = tmp();
    const out = path.join(d, "sum.bin");
    const p = assembleFile(path.join(PROG, "sum.s"), out);
    const bytes = fs.readFileSync(out);
    expect(bytes.length).toBe(4 * p.text.length);
    expect(bytes.readUInt32LE(0)).toBe(0x00100293); // addi t0, zero, 1
    const r = disassembleFile(out);
    expect(r.lines.map((l) => l.text)).toContain("add a0, a0, t0");
    expect(r.warnings).toEqual([]);
  });
  it("disasm --hex reads word lists; a bad token is E203 and a ragged binary E202", () => {
    expect([...parseHexWords("w.hex", "0x00000013, 00100073 # ebreak\n")]).toEqual([0x13, 0x00100073]);
    expect(() => parseHexWords("w.hex", "0x13 zz")).toThrow(expect.objectContaining({ code: "E203" }));
    const d = tmp();
    fs.writeFileSync(path.join(d, "odd.bin"), Buffer.from([1, 2, 3]));
    expect(() => disassembleFile(path.join(d, "odd.bin"))).toThrow(expect.objectContaining({ code: "E202" }));
    fs.writeFileSync(path.join(d, "w.hex"), "13 ffffffff\n");
    const r = cli(["disasm", "--hex", path.join(d, "w.hex")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nop/);
    expect(r.stdout).toMatch(/\.word 0xffffffff/);
    expect(r.stderr).toMatch(/E201/);
  });
  it("exec --arch takes core params from YAML; a bad key is a config error", () => {
    const d = tmp();
    const good = path.join(d, "core.yaml");
    fs.writeFileSync(good, "core:\n  fetchCycles: 3\n  decodeCycles: 2\n");
    const slow = execFile(path.join(PROG, "sum.s"), { arch: good });
    const fast = execFile(path.join(PROG, "sum.s"));
    // three more cycles before the first issue, nothing else changes
    expect(slow.cycles - fast.cycles).toBe(3);
    const bad = path.join(d, "bad.yaml");
    fs.writeFileSync(bad, "fetchCycle: 3\n");
    expect(() => execFile(path.join(PROG, "sum.s"), { arch: bad })).toThrow(expect.objectContaining({ code: "CONFIG_UNKNOWN_KEY" }));
  });
});
