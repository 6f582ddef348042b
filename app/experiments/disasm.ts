// `rramsim disasm prog.bin [--hex] [--base ADDR] [--source]`: lists a binary of little-endian
// instruction words (or, with --hex, a text file of hex words) as control-ISA assembly. Words that
// are not instructions are listed as `.word` with diagnostic E201.

import * as fs from "node:fs";
import { disassemble, type DisasmLine } from "../../isa/disassembler";
import { formatDiagnostic } from "../../isa/diagnostics";
import { RramsimError } from "../../sim/errors";

/** Words of a binary file (E202 unless its length is a multiple of 4). */
export function readBinaryWords(file: string, bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) throw new RramsimError("E202", `${file}: ${bytes.length} bytes is not a whole number of 32-bit words`);
  const out = new Uint32Array(bytes.length / 4);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < out.length; k++) out[k] = v.getUint32(4 * k, true);
  return out;
}

/** Words of a hex text file: whitespace- or comma-separated, optional 0x, `#` comments (E203 on a bad token). */
export function parseHexWords(file: string, text: string): Uint32Array {
  const words: number[] = [];
  text.split(/\r?\n/).forEach((raw, idx) => {
    const line = raw.replace(/#.*$/, "");
    const re = /[^\s,]+/g;
    for (let m = re.exec(line); m !== null; m = re.exec(line)) {
      const tok = m[0];
      if (!/^(0x)?[0-9a-fA-F]{1,8}$/.test(tok)) throw new RramsimError("E203", `${file}:${idx + 1}:${m.index + 1}: E203 '${tok}' is not a 32-bit hex word`);
      words.push(parseInt(tok.replace(/^0x/, ""), 16));
    }
  });
  return Uint32Array.from(words);
}

/** Disassembles a file (binary, or hex text with `hex`). */
export function disassembleFile(file: string, opts: { hex?: boolean; base?: number } = {}): { lines: DisasmLine[]; warnings: string[] } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new RramsimError("INPUT_FILE", `${file}: cannot read (${why})`);
  }
  const words = opts.hex ? parseHexWords(file, bytes.toString("utf8")) : readBinaryWords(file, bytes);
  const r = disassemble(words, opts.base ?? 0, { file });
  return { lines: r.lines, warnings: r.diagnostics.map(formatDiagnostic) };
}
