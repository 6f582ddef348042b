// Shared CLI plumbing: flag parsers that fail with a one-line CLI_ARGUMENT error, and output
// files written atomically (a temporary file renamed into place), so an error never leaves a
// half-written file behind.

import * as fs from "node:fs";
import * as path from "node:path";
import { InvalidArgumentError } from "commander";

/** Writes `data` to `file` via a temporary file in the same folder and a rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** commander parser: an integer in [min, max]. */
export function intArg(min = -Infinity, max = Infinity) {
  return (v: string): number => {
    if (!/^[-+]?\d+$/.test(v.trim())) throw new InvalidArgumentError(`'${v}' is not an integer.`);
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(`${n} is outside [${min}, ${max}].`);
    return n;
  };
}

/** commander parser: a finite number in [min, max]. */
export function numberArg(min = -Infinity, max = Infinity) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`'${v}' is not a number.`);
    if (n < min || n > max) throw new InvalidArgumentError(`${n} is outside [${min}, ${max}].`);
    return n;
  };
}

/** commander parser: one of a fixed set of words. */
export function choiceArg<T extends string>(choices: readonly T[]) {
  return (v: string): T => {
    if (!(choices as readonly string[]).includes(v)) {
      throw new InvalidArgumentError(`'${v}' is not one of ${choices.join(", ")}.`);
    }
    return v as T;
  };
}

/** Prints a JSON value with stable two-space indentation. */
export function printJson(v: unknown): void {
  process.stdout.write(JSON.stringify(v, null, 2) + "\n");
}
