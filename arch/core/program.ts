// The program a core runs (arch/core/core.ts): the image it loads (text words from textBase, data
// from dataBase, a source line per word for error messages) and its predecoded form: per text word
// the decoded instruction, its table entry and its scoreboard slot (the registers it waits for,
// its class counter and its execute latency), so the closed-form run does no decoding.
// A word that does not decode has no slot; the core traps with "illegal instruction" only if it
// reaches it. Left out: self-modifying code (the text is decoded once, at load).

import type { Counter } from "../../sim/stats";
import { decode, type Instr } from "../../isa/encoding";
import { instrDef, readRegisterFields, type InstrClass, type InstrDef } from "../../isa/table";

/** A program image for the core: text words (from textBase) and initial data (from dataBase). */
export interface CoreImage {
  textBase: number;
  text: ArrayLike<number>;
  dataBase: number;
  data: Uint8Array;
  /** source line per text word, for error messages */
  lineOfWord?: ArrayLike<number>;
  /** file name for error messages */
  file?: string;
}

/** What the issue of one predecoded instruction needs. */
export interface Slot {
  /** source registers, and rd when written (write-after-write waits for an older write) */
  srcs: number[];
  counter: Counter;
  latency: number;
}

export interface Predecoded {
  program: Array<Instr | undefined>;
  defs: Array<InstrDef | undefined>;
  slots: Array<Slot | undefined>;
}

/** Decodes text words; `counterOf` gives the counter of a class name (`instr.<class>`). */
export function predecode(text: ArrayLike<number>, counterOf: (stat: string) => Counter, latencyOf: Record<InstrClass, number>): Predecoded {
  const program = Array.from(text, (w) => decode(w));
  const defs = program.map((i) => (i === undefined ? undefined : instrDef(i.mnemonic)));
  const slots = program.map((i, k) => {
    const d = defs[k];
    if (i === undefined || d === undefined) return undefined;
    const srcs = readRegisterFields(d).map((f) => i[f]);
    if (d.writesRd) srcs.push(i.rd); // write-after-write: wait for an older write to the same register
    return { srcs, counter: counterOf(`instr.${d.cls}`), latency: latencyOf[d.cls] };
  });
  return { program, defs, slots };
}
