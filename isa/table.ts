// The control ISA's one instruction table. Every tool reads it: the encoder and decoder
// (isa/encoding.ts), the assembler, the disassembler, the semantics (latency class) and the
// generated reference docs/ISA.md (scripts/gen-isa-doc.ts).
//
// Base: RV32I and RV32M in their standard encodings (RISC-V Unprivileged ISA, chapters 2 and 13),
// so GNU binutils produce the same words for them. FENCE, CSR instructions and the compressed
// extension are left out. ECALL halts the core; EBREAK traps (stops with an error).
//
// Custom extension, in the four custom opcode spaces the RISC-V spec reserves (custom-0 0x0B,
// custom-1 0x2B, custom-2 0x5B, custom-3 0x7B), for the operations of an in-memory-computing core
// after PUMA's ISA (docs/references.md §2.3): MVM on a mask of MVM units, a vector ALU, vector load/store
// between tile memory and the core's vector register file, send/receive over the NoC, a barrier
// and halt. Vector operations take addresses and lengths from scalar registers, RISC-V style:
// the R4 layout (the one of RISC-V's fused multiply-add) gives four register fields — rd, rs1, rs2,
// rs3 — and in the custom instructions none of them is written; each names a register whose value
// is an address, a length, a tile id or a packed parameter. Vector addresses count elements.

export type Format = "R" | "R4" | "I" | "IS" | "S" | "B" | "U" | "J" | "SYS";

/**
 * Operand kinds in assembly order:
 * rd/rs1/rs2/rs3 — a register; imm — a 12-bit signed immediate; shamt — 0…31; mem — `imm(rs1)`;
 * btarget — a branch target (±4 KiB); jtarget — a jump target (±1 MiB); uimm20 — 0…0xFFFFF;
 * mask — a 12-bit unsigned MVM-unit mask.
 */
export type OperandKind = "rd" | "rs1" | "rs2" | "rs3" | "imm" | "shamt" | "mem" | "btarget" | "jtarget" | "uimm20" | "mask";

/** What an instruction occupies: the timing key and the stats/energy class. */
export type InstrClass = "alu" | "mul" | "div" | "load" | "store" | "branch" | "jump" | "system" | "mvm" | "vector" | "vectorTranscendental" | "vload" | "vstore" | "send" | "recv" | "barrier" | "halt";

export type Extension = "RV32I" | "RV32M" | "custom";

export interface InstrDef {
  mnemonic: string;
  ext: Extension;
  format: Format;
  opcode: number;
  funct3?: number;
  /** funct7 for R and IS formats, funct2 (bits 26:25) for R4 */
  funct7?: number;
  funct2?: number;
  /** SYS: the whole 32-bit word */
  word?: number;
  operands: readonly OperandKind[];
  /** true when the instruction writes x[rd] */
  writesRd: boolean;
  cls: InstrClass;
  doc: string;
}

export const OPCODE = {
  LUI: 0x37,
  AUIPC: 0x17,
  JAL: 0x6f,
  JALR: 0x67,
  BRANCH: 0x63,
  LOAD: 0x03,
  STORE: 0x23,
  OP_IMM: 0x13,
  OP: 0x33,
  SYSTEM: 0x73,
  CUSTOM0: 0x0b,
  CUSTOM1: 0x2b,
  CUSTOM2: 0x5b,
  CUSTOM3: 0x7b,
} as const;

type Spec = Omit<InstrDef, "ext" | "writesRd"> & { writesRd?: boolean };

const R = (mnemonic: string, funct3: number, funct7: number, cls: InstrClass, doc: string): Spec => ({ mnemonic, format: "R", opcode: OPCODE.OP, funct3, funct7, operands: ["rd", "rs1", "rs2"], cls, doc });
const IA = (mnemonic: string, funct3: number, doc: string): Spec => ({ mnemonic, format: "I", opcode: OPCODE.OP_IMM, funct3, operands: ["rd", "rs1", "imm"], cls: "alu", doc });
const SH = (mnemonic: string, funct3: number, funct7: number, doc: string): Spec => ({ mnemonic, format: "IS", opcode: OPCODE.OP_IMM, funct3, funct7, operands: ["rd", "rs1", "shamt"], cls: "alu", doc });
const BR = (mnemonic: string, funct3: number, doc: string): Spec => ({ mnemonic, format: "B", opcode: OPCODE.BRANCH, funct3, operands: ["rs1", "rs2", "btarget"], cls: "branch", doc, writesRd: false });
const LD = (mnemonic: string, funct3: number, doc: string): Spec => ({ mnemonic, format: "I", opcode: OPCODE.LOAD, funct3, operands: ["rd", "mem"], cls: "load", doc });
const ST = (mnemonic: string, funct3: number, doc: string): Spec => ({ mnemonic, format: "S", opcode: OPCODE.STORE, funct3, operands: ["rs2", "mem"], cls: "store", doc, writesRd: false });
const V = (mnemonic: string, opcode: number, funct3: number, funct2: number, operands: OperandKind[], cls: InstrClass, doc: string): Spec => ({
  mnemonic,
  format: "R4",
  opcode,
  funct3,
  funct2,
  operands,
  cls,
  doc,
  writesRd: false,
});

const RV32I: Spec[] = [
  { mnemonic: "lui", format: "U", opcode: OPCODE.LUI, operands: ["rd", "uimm20"], cls: "alu", doc: "x[rd] = uimm20 << 12" },
  { mnemonic: "auipc", format: "U", opcode: OPCODE.AUIPC, operands: ["rd", "uimm20"], cls: "alu", doc: "x[rd] = pc + (uimm20 << 12)" },
  { mnemonic: "jal", format: "J", opcode: OPCODE.JAL, operands: ["rd", "jtarget"], cls: "jump", doc: "x[rd] = pc + 4; pc = target" },
  { mnemonic: "jalr", format: "I", opcode: OPCODE.JALR, funct3: 0, operands: ["rd", "mem"], cls: "jump", doc: "t = (x[rs1] + imm) & ~1; x[rd] = pc + 4; pc = t" },
  BR("beq", 0, "branch if x[rs1] == x[rs2]"),
  BR("bne", 1, "branch if x[rs1] != x[rs2]"),
  BR("blt", 4, "branch if x[rs1] < x[rs2] (signed)"),
  BR("bge", 5, "branch if x[rs1] >= x[rs2] (signed)"),
  BR("bltu", 6, "branch if x[rs1] < x[rs2] (unsigned)"),
  BR("bgeu", 7, "branch if x[rs1] >= x[rs2] (unsigned)"),
  LD("lb", 0, "x[rd] = sext(mem8[x[rs1] + imm])"),
  LD("lh", 1, "x[rd] = sext(mem16[x[rs1] + imm])"),
  LD("lw", 2, "x[rd] = mem32[x[rs1] + imm]"),
  LD("lbu", 4, "x[rd] = zext(mem8[x[rs1] + imm])"),
  LD("lhu", 5, "x[rd] = zext(mem16[x[rs1] + imm])"),
  ST("sb", 0, "mem8[x[rs1] + imm] = x[rs2][7:0]"),
  ST("sh", 1, "mem16[x[rs1] + imm] = x[rs2][15:0]"),
  ST("sw", 2, "mem32[x[rs1] + imm] = x[rs2]"),
  IA("addi", 0, "x[rd] = x[rs1] + imm"),
  IA("slti", 2, "x[rd] = x[rs1] < imm (signed) ? 1 : 0"),
  IA("sltiu", 3, "x[rd] = x[rs1] < imm (unsigned, imm sign-extended) ? 1 : 0"),
  IA("xori", 4, "x[rd] = x[rs1] ^ imm"),
  IA("ori", 6, "x[rd] = x[rs1] | imm"),
  IA("andi", 7, "x[rd] = x[rs1] & imm"),
  SH("slli", 1, 0x00, "x[rd] = x[rs1] << shamt"),
  SH("srli", 5, 0x00, "x[rd] = x[rs1] >>> shamt (logical)"),
  SH("srai", 5, 0x20, "x[rd] = x[rs1] >> shamt (arithmetic)"),
  R("add", 0, 0x00, "alu", "x[rd] = x[rs1] + x[rs2]"),
  R("sub", 0, 0x20, "alu", "x[rd] = x[rs1] - x[rs2]"),
  R("sll", 1, 0x00, "alu", "x[rd] = x[rs1] << x[rs2][4:0]"),
  R("slt", 2, 0x00, "alu", "x[rd] = x[rs1] < x[rs2] (signed) ? 1 : 0"),
  R("sltu", 3, 0x00, "alu", "x[rd] = x[rs1] < x[rs2] (unsigned) ? 1 : 0"),
  R("xor", 4, 0x00, "alu", "x[rd] = x[rs1] ^ x[rs2]"),
  R("srl", 5, 0x00, "alu", "x[rd] = x[rs1] >>> x[rs2][4:0] (logical)"),
  R("sra", 5, 0x20, "alu", "x[rd] = x[rs1] >> x[rs2][4:0] (arithmetic)"),
  R("or", 6, 0x00, "alu", "x[rd] = x[rs1] | x[rs2]"),
  R("and", 7, 0x00, "alu", "x[rd] = x[rs1] & x[rs2]"),
  { mnemonic: "ecall", format: "SYS", opcode: OPCODE.SYSTEM, word: 0x00000073, operands: [], cls: "halt", doc: "halt the core (a standalone program's exit)", writesRd: false },
  { mnemonic: "ebreak", format: "SYS", opcode: OPCODE.SYSTEM, word: 0x00100073, operands: [], cls: "system", doc: "trap: stop the core with an error naming the pc", writesRd: false },
];

const RV32M: Spec[] = [
  R("mul", 0, 0x01, "mul", "x[rd] = (x[rs1] × x[rs2])[31:0]"),
  R("mulh", 1, 0x01, "mul", "x[rd] = (signed × signed)[63:32]"),
  R("mulhsu", 2, 0x01, "mul", "x[rd] = (signed × unsigned)[63:32]"),
  R("mulhu", 3, 0x01, "mul", "x[rd] = (unsigned × unsigned)[63:32]"),
  R("div", 4, 0x01, "div", "x[rd] = x[rs1] / x[rs2] (signed, toward zero; /0 → −1; −2³¹/−1 → −2³¹)"),
  R("divu", 5, 0x01, "div", "x[rd] = x[rs1] / x[rs2] (unsigned; /0 → 2³²−1)"),
  R("rem", 6, 0x01, "div", "x[rd] = x[rs1] % x[rs2] (signed, sign of dividend; %0 → x[rs1]; −2³¹%−1 → 0)"),
  R("remu", 7, 0x01, "div", "x[rd] = x[rs1] % x[rs2] (unsigned; %0 → x[rs1])"),
];

const { CUSTOM0: C0, CUSTOM1: C1, CUSTOM2: C2, CUSTOM3: C3 } = OPCODE;

const CUSTOM: Spec[] = [
  {
    mnemonic: "mvm",
    format: "S",
    opcode: C0,
    funct3: 0,
    operands: ["rs1", "rs2", "mask"],
    cls: "mvm",
    writesRd: false,
    doc: "MVM on every MVM unit whose bit is set in the 12-bit mask; input vector at address x[rs1], output at x[rs2] (the units' input/output register blocks or tile memory, as the tile maps them)",
  },
  {
    mnemonic: "mvmb",
    format: "S",
    opcode: C0,
    funct3: 1,
    operands: ["rs1", "rs2", "mask"],
    cls: "mvm",
    writesRd: false,
    doc: "MVM of one weight block of one MVM unit (several blocks packed in one crossbar): imm[3:0] is the unit, imm[11:4] the block in its block table; drives only the block's rows of the input vector at x[rs1] (the others are off) and converts only its columns, written to the output vector at x[rs2] (the other outputs are left as they are)",
  },
  V("vadd", C1, 0, 0, ["rd", "rs1", "rs2", "rs3"], "vector", "V[x[rd]+i] = V[x[rs1]+i] + V[x[rs2]+i] for i < x[rs3] (32-bit wraparound)"),
  V("vsub", C1, 0, 1, ["rd", "rs1", "rs2", "rs3"], "vector", "V[x[rd]+i] = V[x[rs1]+i] − V[x[rs2]+i] for i < x[rs3]"),
  V("vmul", C1, 0, 2, ["rd", "rs1", "rs2", "rs3"], "vector", "V[x[rd]+i] = (V[x[rs1]+i] × V[x[rs2]+i])[31:0] for i < x[rs3]"),
  V("vmax", C1, 1, 0, ["rd", "rs1", "rs2", "rs3"], "vector", "V[x[rd]+i] = max(V[x[rs1]+i], V[x[rs2]+i]) for i < x[rs3]"),
  V("vmin", C1, 1, 1, ["rd", "rs1", "rs2", "rs3"], "vector", "V[x[rd]+i] = min(V[x[rs1]+i], V[x[rs2]+i]) for i < x[rs3]"),
  V("vsna", C1, 2, 0, ["rd", "rs1", "rs2", "rs3"], "vector", "shift-and-add: V[x[rd]+i] += V[x[rs1]+i] << (x[rs2] & 31) for i < x[rs3] (combines bit-sliced partial sums)"),
  V(
    "vreq",
    C1,
    2,
    1,
    ["rd", "rs1", "rs2", "rs3"],
    "vector",
    "requantise: V[x[rd]+i] = requantize(V[x[rs1]+i]) for i < x[rs3]; x[rs2] packs multiplier [14:0], shift [20:15], zero point [28:21] (signed), range [30:29] (0 int8, 1 uint8, 2 int16, 3 uint16)",
  ),
  V("vrelu", C1, 3, 0, ["rd", "rs1", "rs3"], "vector", "V[x[rd]+i] = max(V[x[rs1]+i], 0) for i < x[rs3]"),
  V("vsig", C1, 3, 1, ["rd", "rs1", "rs3"], "vectorTranscendental", "sigmoid by table, Q8.8 fixed point in and out: V[x[rd]+i] = σ(V[x[rs1]+i]) for i < x[rs3]"),
  V("vtanh", C1, 3, 2, ["rd", "rs1", "rs3"], "vectorTranscendental", "tanh by table, Q8.8 fixed point in and out: V[x[rd]+i] = tanh(V[x[rs1]+i]) for i < x[rs3]"),
  V("vcp", C1, 3, 3, ["rd", "rs1", "rs3"], "vector", "copy: V[x[rd]+i] = V[x[rs1]+i] for i < x[rs3]"),
  V("vset", C1, 4, 0, ["rd", "rs1", "rs3"], "vector", "set (broadcast): V[x[rd]+i] = x[rs1] for i < x[rs3] (PUMA's set; x[rs1] is a value, not an address)"),
  V("vld", C2, 0, 0, ["rd", "rs1", "rs3"], "vload", "vector load: V[x[rd]+i] = tile memory[x[rs1]+i] for i < x[rs3]; waits for the valid bits and consumes one use of each element (PUMA sync)"),
  V("vst", C2, 1, 0, ["rd", "rs1", "rs2", "rs3"], "vstore", "vector store: tile memory[x[rd]+i] = V[x[rs1]+i] for i < x[rs3]; waits until the elements are free, then marks them valid for x[rs2] consumers (PUMA sync)"),
  V("send", C3, 0, 0, ["rs1", "rs2", "rs3", "rd"], "send", "send x[rs3] elements of tile memory at x[rs1] to tile x[rs2] over the NoC with tag x[rd]"),
  V("recv", C3, 1, 0, ["rs1", "rs2", "rs3", "rd"], "recv", "receive x[rs3] elements from tile x[rs2] with tag x[rd][15:0] into tile memory at x[rs1], valid for x[rd][31:16] consumers (0 means 1)"),
  V("barrier", C3, 2, 0, ["rs1"], "barrier", "wait until the tile signals flag x[rs1] (a barrier among cores, or a flag raised by another unit)"),
  V("halt", C3, 7, 0, [], "halt", "halt the core"),
];

function complete(ext: Extension, specs: Spec[]): InstrDef[] {
  return specs.map((s) => ({ ...s, ext, writesRd: s.writesRd ?? (s.operands.includes("rd") && s.format !== "R4") }));
}

export const INSTRUCTIONS: readonly InstrDef[] = [...complete("RV32I", RV32I), ...complete("RV32M", RV32M), ...complete("custom", CUSTOM)];

const BY_MNEMONIC = new Map(INSTRUCTIONS.map((d) => [d.mnemonic, d]));

export function instrDef(mnemonic: string): InstrDef | undefined {
  return BY_MNEMONIC.get(mnemonic);
}

/** The register fields the format has in its layout. */
export function formatRegisterFields(f: Format): Array<"rd" | "rs1" | "rs2" | "rs3"> {
  switch (f) {
    case "R":
      return ["rd", "rs1", "rs2"];
    case "R4":
      return ["rd", "rs1", "rs2", "rs3"];
    case "I":
    case "IS":
      return ["rd", "rs1"];
    case "S":
    case "B":
      return ["rs1", "rs2"];
    case "U":
    case "J":
      return ["rd"];
    case "SYS":
      return [];
  }
}

/** The registers an instruction reads (for the scoreboard). */
export function readRegisterFields(d: InstrDef): Array<"rd" | "rs1" | "rs2" | "rs3"> {
  const used = new Set<string>();
  for (const o of d.operands) {
    if (o === "mem") used.add("rs1");
    else if (o === "rs1" || o === "rs2" || o === "rs3") used.add(o);
    else if (o === "rd" && !d.writesRd) used.add("rd");
  }
  return (["rd", "rs1", "rs2", "rs3"] as const).filter((f) => used.has(f));
}
