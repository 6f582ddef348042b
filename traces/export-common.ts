// Shared by the writer and the exporters: an output file streamed through a temporary name and
// renamed into place when complete, the category of a kind (its first dotted word), and arg names.

import * as fs from "node:fs";
import * as path from "node:path";
import { RramsimError } from "../sim/errors";
import type { TraceKindSpec } from "./schema";

/** Opens `file`'s temporary sibling for writing; a failure is a one-line OUTPUT_FILE error. */
export function openTemporary(file: string): { tmp: string; fd: number } {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    return { tmp, fd: fs.openSync(tmp, "w") };
  } catch (e) {
    throw new RramsimError("OUTPUT_FILE", `${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export class AtomicOutput {
  private readonly tmp: string;
  private readonly fd: number;
  bytes = 0;

  constructor(readonly file: string) {
    ({ tmp: this.tmp, fd: this.fd } = openTemporary(file));
  }

  write(data: string | Uint8Array): void {
    const b = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < b.length) off += fs.writeSync(this.fd, b, off, b.length - off);
    this.bytes += b.length;
  }

  /** Runs `body` writing into the temporary file; renames it into place on success, removes it on error. */
  static run<T>(file: string, body: (out: AtomicOutput) => T): T {
    const out = new AtomicOutput(file);
    try {
      const r = body(out);
      fs.closeSync(out.fd);
      fs.renameSync(out.tmp, file);
      return r;
    } catch (e) {
      try {
        fs.closeSync(out.fd);
      } catch {
        // already closed
      }
      fs.rmSync(out.tmp, { force: true });
      throw e;
    }
  }
}

export function kindCategory(k: TraceKindSpec): string {
  const dot = k.name.indexOf(".");
  return dot < 0 ? k.name : k.name.slice(0, dot);
}

export function argName(k: TraceKindSpec, i: number): string {
  return k.argNames?.[i] ?? `arg${i}`;
}
