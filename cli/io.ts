// Shared CLI plumbing: flag parsers that fail with a one-line CLI_ARGUMENT error, and JSON output.
// (Files are written atomically by sim/files.ts.)

import { InvalidArgumentError } from "commander";

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
