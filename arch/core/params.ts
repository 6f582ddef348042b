// Parameters of one control core: the RISC-V-like ISA interpreter of a tile (PUMA's core: a 3-stage
// control pipeline, instruction memory, register file, vector functional unit (VFU) and scalar
// functional unit (SFU)). Timing is clock-relative (cycles of the core's clock); memory sizes are
// bytes; each part has a cost spec (sim/cost.ts: peak power OR energy per action, leakage, area).
//
// Defaults are PUMA's core (docs/references.md §2.4, Table 3 rows recalled and reproduced by the
// puma-simulator constants, 32 nm at 1 GHz; §2.5 for latencies): 1-cycle fetch and decode, a VFU of
// width 1 at 1 element per cycle with transcendentals (sigmoid, tanh) 3× slower, 4 KB instruction
// memory, 1 KB register file. The scalar latencies of RV32M multiply/divide are not PUMA figures
// (PUMA's scalar ALU has no timing of its own in §2.5); they are a conventional iterative
// multiplier/divider (3 and 34 cycles) and can be overridden.
// Left out: caches, branch prediction (a taken branch costs a fixed redirect penalty), per-bank
// register-file conflicts.

import { z } from "zod";
import { positiveQuantity } from "../../sim/config";
import { costSpecSchema } from "../../sim/cost";

const cycles = (def: number, desc: string) => z.number().int().min(0).default(def).describe(desc);
const posCycles = (def: number, desc: string) => z.number().int().min(1).default(def).describe(desc);

export const coreLatencySchema = z
  .object({
    alu: posCycles(1, "RV32I register/immediate ALU ops, LUI, AUIPC"),
    mul: posCycles(3, "RV32M MUL, MULH, MULHSU, MULHU (assumed iterative multiplier, not from PUMA)"),
    div: posCycles(34, "RV32M DIV, DIVU, REM, REMU (assumed radix-2 divider: 32 steps + 2, not from PUMA)"),
    load: posCycles(2, "scalar load from the core data memory (result ready after this many cycles)"),
    store: posCycles(1, "scalar store to the core data memory"),
    branch: posCycles(1, "conditional branch, taken or not"),
    jump: posCycles(1, "JAL, JALR"),
    takenPenalty: cycles(2, "extra cycles to refetch after a taken branch or a jump (pipeline redirect)"),
    custom: posCycles(1, "issue of a custom instruction (the operation itself runs in the tile or the VFU)"),
    system: posCycles(1, "ECALL, EBREAK, FENCE"),
  })
  .strict();

export const coreVectorSchema = z
  .object({
    lanes: z.number().int().min(1).default(1).describe("VFU width: elements per cycle (PUMA: 1)"),
    cyclesPerElement: posCycles(1, "cycles per element per lane for add/sub/mul/max/min/relu/shift-add/requantise (PUMA: 1)"),
    transcendentalFactor: z.number().int().min(1).default(3).describe("sigmoid/tanh cost relative to other ops (PUMA: 384 vs 128 cycles = 3)"),
    pipelineCycles: cycles(0, "fixed latency added to every vector op (fill/drain)"),
    elementBits: z.number().int().min(1).max(32).default(16).describe("bits of one vector element (PUMA: 16-bit fixed point)"),
  })
  .strict();

const pumaCost = (powerMw: number, areaMm2: number) => costSpecSchema.prefault({ power: powerMw, area: areaMm2 * 1e6 });

export const coreCostSchema = z
  .object({
    // PUMA Table 3 (docs/references.md §2.4): 0.25 mW, 0.0033 mm² — one action per instruction
    control: pumaCost(0.25, 0.0033).describe("control pipeline (fetch/decode/issue); action = one instruction"),
    // PUMA Table 3: 1.52 mW, 0.0031 mm² (4 KB) — one action per instruction fetched
    instructionMemory: pumaCost(1.52, 0.0031).describe("instruction memory; action = one 32-bit fetch"),
    // PUMA Table 3: 0.477 mW, 0.00192 mm² (1 KB) — one action per element read or written
    registerFile: pumaCost(0.477, 0.00192).describe("register file; action = one element read or written (peak: 3 per lane per cycle)"),
    // PUMA Table 3: 1.90 mW, 0.004 mm² (width 1) — one action per element per lane
    vectorUnit: pumaCost(1.9, 0.004).describe("vector functional unit (VFU); action = one element op"),
    // PUMA Table 3: 0.055 mW, 0.0006 mm² — one action per scalar ALU/branch/address op
    scalarUnit: pumaCost(0.055, 0.0006).describe("scalar functional unit (SFU); action = one scalar op"),
  })
  .strict();

export const coreParamsSchema = z
  .object({
    fetchCycles: posCycles(1, "instruction fetch (PUMA: 1)"),
    decodeCycles: posCycles(1, "instruction decode (PUMA: 1)"),
    latency: coreLatencySchema.prefault({}).describe("execute latency per instruction class"),
    vector: coreVectorSchema.prefault({}).describe("vector functional unit"),
    instructionMemory: positiveQuantity("data").default(4096).describe('instruction memory size, e.g. "4KB" (PUMA: 4 KB)'),
    dataMemory: positiveQuantity("data").default(4096).describe("scalar data memory of the core (standalone `exec` and scalar loads/stores)"),
    registerFile: positiveQuantity("data").default(1024).describe('vector register file size, e.g. "1KB" (PUMA: 1 KB)'),
    cost: coreCostSchema.prefault({}).describe("cost specs of the core's parts"),
  })
  .strict();

export type CoreParams = z.output<typeof coreParamsSchema>;
export type CoreLatency = z.output<typeof coreLatencySchema>;

/** The default (PUMA) core parameters. */
export function defaultCoreParams(): CoreParams {
  return coreParamsSchema.parse({});
}
