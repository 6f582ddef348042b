import { RramsimError } from "../../sim/errors";

/** The RramsimError code `f` throws (fails the test if it throws something else or nothing). */
export function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof RramsimError) return e.code;
    throw e;
  }
  throw new Error("no error thrown");
}
