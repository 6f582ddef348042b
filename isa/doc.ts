// docs/ISA.md, generated from the instruction table (scripts/gen-isa-doc.ts writes it; a test
// regenerates it in memory and fails when the committed file is stale).

import { encode, instr } from "./encoding";
import { PSEUDO_MNEMONICS } from "./assembler";
import { DIAGNOSTIC_CODES } from "./diagnostics";
import { INSTRUCTIONS, type InstrDef } from "./table";

const hex = (v: number, digits: number) => `0x${v.toString(16).padStart(digits, "0")}`;

function fields(d: InstrDef): string {
  const parts = [`opcode ${hex(d.opcode, 2)}`];
  if (d.funct3 !== undefined) parts.push(`funct3 ${d.funct3}`);
  if (d.funct7 !== undefined) parts.push(`funct7 ${hex(d.funct7, 2)}`);
  if (d.funct2 !== undefined) parts.push(`funct2 ${d.funct2}`);
  if (d.word !== undefined) parts.push(`word ${hex(d.word, 8)}`);
  return parts.join(", ");
}

function syntax(d: InstrDef): string {
  const ops = d.operands.map((o) => (o === "mem" ? "imm(rs1)" : o === "btarget" || o === "jtarget" ? "target" : o));
  return ops.length ? `${d.mnemonic} ${ops.join(", ")}` : d.mnemonic;
}

function table(defs: readonly InstrDef[]): string[] {
  const rows = ["| Syntax | Format | Encoding | Class | Meaning |", "|---|---|---|---|---|"];
  for (const d of defs) rows.push(`| \`${syntax(d)}\` | ${d.format} | ${fields(d)} | ${d.cls} | ${d.doc.replace(/\|/g, "\\|")} |`);
  return rows;
}

/** The full text of docs/ISA.md. */
export function isaReferenceMarkdown(): string {
  const by = (e: InstrDef["ext"]) => INSTRUCTIONS.filter((d) => d.ext === e);
  const lines = [
    "# Control ISA reference",
    "",
    "Generated from `isa/table.ts` by `npm run gen:isa-doc`; do not edit by hand.",
    "",
    "The control ISA is RISC-V-like: RV32I and RV32M in their standard encodings (bit-compatible with",
    "GNU binutils for RISC-V), plus a custom extension for in-memory computing in the four custom",
    "opcode spaces (custom-0 0x0b, custom-1 0x2b, custom-2 0x5b, custom-3 0x7b). FENCE, CSRs and the",
    "compressed extension are not implemented.",
    "",
    "Field layouts (bit ranges):",
    "",
    "| Format | 31–25 | 24–20 | 19–15 | 14–12 | 11–7 | 6–0 |",
    "|---|---|---|---|---|---|---|",
    "| R | funct7 | rs2 | rs1 | funct3 | rd | opcode |",
    "| R4 | rs3 (31–27), funct2 (26–25) | rs2 | rs1 | funct3 | rd | opcode |",
    "| I | imm[11:0] (31–20) | | rs1 | funct3 | rd | opcode |",
    "| IS | funct7 | shamt | rs1 | funct3 | rd | opcode |",
    "| S | imm[11:5] | rs2 | rs1 | funct3 | imm[4:0] | opcode |",
    "| B | imm[12\\|10:5] | rs2 | rs1 | funct3 | imm[4:1\\|11] | opcode |",
    "| U | imm[31:12] (31–12) | | | | rd | opcode |",
    "| J | imm[20\\|10:1\\|11\\|19:12] (31–12) | | | | rd | opcode |",
    "",
    "Instruction classes select the execute latency (`latency.*` and `vector.*` in the core params)",
    "and the energy actions counted.",
    "",
    "## RV32I",
    "",
    ...table(by("RV32I")),
    "",
    "## RV32M",
    "",
    ...table(by("RV32M")),
    "",
    "## Custom extension",
    "",
    "In the custom instructions no register is written: every register operand holds an address,",
    "a length, a tile id or a packed parameter. `V[a]` is element `a` of the core's vector register",
    "file (addresses count elements); tile memory is the tile's shared memory with PUMA's valid bits",
    "and consumer counts. They run in the tile (`CoreEnvironment`); standalone `rramsim exec` stops",
    "with an error on them.",
    "",
    ...table(by("custom")),
    "",
    "`vreq` packs its parameters in x[rs2] — multiplier (15 bits), shift (6 bits), zero point (8 bits,",
    "signed) and output range — and applies `requantize` from `sim/fixed-point.ts`, the function the",
    "compiler's integer reference uses. Example encoding: `vadd a0, a1, a2, a3` =",
    `\`${hex(encode(instr("vadd", { rd: 10, rs1: 11, rs2: 12, rs3: 13 })), 8)}\`.`,
    "",
    "## Assembler",
    "",
    "GNU-as syntax: ABI or `xN` register names, `offset(reg)`, labels, expressions with `%hi`/`%lo`",
    "(`%hi` adds 0x800 so that `%lo`, sign-extended, completes it), `.` for the current address.",
    "Directives: `.text .data .section .word .half .byte .2byte .4byte .space .zero .skip .align",
    ".p2align .balign .equ .set .globl .global` (`.option .file .type .size .ident .attribute` are",
    "accepted and ignored). A numeric branch or jump target is an absolute address.",
    "",
    `Pseudo-instructions: ${PSEUDO_MNEMONICS.map((m) => `\`${m}\``).join(", ")}.`,
    "",
    "## Diagnostics",
    "",
    "| Code | Meaning |",
    "|---|---|",
    ...Object.entries(DIAGNOSTIC_CODES).map(([c, m]) => `| ${c} | ${m} |`),
    "",
  ];
  return lines.join("\n");
}
