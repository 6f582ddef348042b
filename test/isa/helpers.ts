import * as fc from "fast-check";
import { INSTRUCTIONS, formatRegisterFields } from "../../isa/table";
import { immRange, type Instr } from "../../isa/encoding";

/** Any valid instruction of the table, with fields its operands do not use left at 0. */
export const arbInstr: fc.Arbitrary<Instr> = fc.constantFrom(...INSTRUCTIONS).chain((d) => {
  const reg = fc.integer({ min: 0, max: 31 });
  const r = immRange(d);
  const imm = r === undefined ? fc.constant(0) : fc.integer({ min: r.min / r.align, max: Math.floor(r.max / r.align) }).map((v) => v * r.align);
  const used = new Set<string>(d.operands.map((o) => (o === "mem" ? "rs1" : o)));
  const layout = new Set<string>(formatRegisterFields(d.format));
  const f = (n: string) => (used.has(n) && layout.has(n) ? reg : fc.constant(0));
  return fc.record({ rd: f("rd"), rs1: f("rs1"), rs2: f("rs2"), rs3: f("rs3"), imm }).map((x) => ({ mnemonic: d.mnemonic, ...x }));
});
