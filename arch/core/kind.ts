// What the control core is (arch/core/core.ts): its instruction classes and stall causes, its stats
// (instructions per class, issue cycles lost per cause), its energy actions, the execute latency of
// each class. The core counts the actions; the cost slice
// (params.ts, after PUMA's core table) prices them (cost.ts).
// Energy actions: `instruction` (control pipeline) and `fetch` (instruction memory) per
// instruction, `scalarOp` per scalar instruction (SFU), `vectorOp` per VFU element-cycle,
// `rfAccess` per vector-register element read or written.
// Left out: the scalar data memory's energy and area (not in the PUMA core table).

import { defineKind, type CostTable } from "../../sim/component";
import { INSTRUCTIONS, type InstrClass } from "../../isa/table";
import { resolveCoreCosts } from "./cost";
import { coreParamsSchema, type CoreLatency, type CoreParams } from "./params";

export const INSTR_CLASSES: readonly InstrClass[] = [...new Set(INSTRUCTIONS.map((d) => d.cls))];
export const STALL_CAUSES = ["data", "divider", "redirect", "mvm", "vector", "memory", "noc", "barrier", "drain"] as const;
export type StallCause = (typeof STALL_CAUSES)[number];

export const coreStats: Record<string, { kind: "counter" | "formula"; unit: string; desc: string }> = {
  retired: { kind: "counter", unit: "instructions", desc: "instructions retired" },
  cycles: { kind: "formula", unit: "cycles", desc: "cycles from start to the last completion" },
};
for (const c of INSTR_CLASSES) coreStats[`instr.${c}`] = { kind: "counter", unit: "instructions", desc: `instructions of class ${c}` };
for (const c of STALL_CAUSES) coreStats[`stall.${c}`] = { kind: "counter", unit: "cycles", desc: `issue cycles lost to ${c}` };

export const coreKind = defineKind({
  kind: "core",
  description: "RISC-V-like control core: in-order pipeline, scoreboard, VFU and custom ops through the tile",
  params: coreParamsSchema,
  stats: coreStats,
  actions: {
    instruction: { desc: "one instruction through the control pipeline" },
    fetch: { desc: "one 32-bit instruction-memory read" },
    scalarOp: { desc: "one scalar ALU/branch/address operation (SFU)" },
    vectorOp: { desc: "one VFU element-cycle" },
    rfAccess: { desc: "one vector-register element read or written" },
  },
});

/** The energy per action, leakage and area of one core clocked at `clockHz` (its parts summed). */
export function coreCostTable(params: CoreParams, clockHz: number): CostTable {
  const r = resolveCoreCosts(params, clockHz);
  return {
    actions: {
      instruction: { energyPj: r.control.energyPj },
      fetch: { energyPj: r.instructionMemory.energyPj },
      scalarOp: { energyPj: r.scalarUnit.energyPj },
      vectorOp: { energyPj: r.vectorUnit.energyPj },
      rfAccess: { energyPj: r.registerFile.energyPj },
    },
    leakageMw: Object.values(r).reduce((s, c) => s + c.leakageMw, 0),
    areaUm2: Object.values(r).reduce((s, c) => s + c.areaUm2, 0),
  };
}

/** Execute latency per instruction class (custom ops: their issue; the op itself runs in the tile or the VFU). */
export function classLatencies(l: CoreLatency): Record<InstrClass, number> {
  return {
    alu: l.alu,
    mul: l.mul,
    div: l.div,
    load: l.load,
    store: l.store,
    branch: l.branch,
    jump: l.jump,
    system: l.system,
    halt: l.system,
    mvm: l.custom,
    vector: l.custom,
    vectorTranscendental: l.custom,
    vload: l.custom,
    vstore: l.custom,
    send: l.custom,
    recv: l.custom,
    barrier: l.custom,
  };
}

/** idle: not started; stopped: the cycle limit was reached */
export type CoreStatus = "idle" | "running" | "waiting" | "halted" | "trapped" | "stopped";
