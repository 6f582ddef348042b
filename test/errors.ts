// Shared by the test suites: the RramsimError a function throws, so tests assert error codes.
import { RramsimError } from "../sim/errors";

/** The RramsimError `f` throws (fails the test if it throws something else or nothing). */
export function errorOf(f: () => unknown): RramsimError {
  try {
    f();
  } catch (e) {
    if (e instanceof RramsimError) return e;
    throw e;
  }
  throw new Error("no error thrown");
}

/** The code of the RramsimError `f` throws. */
export function codeOf(f: () => unknown): string {
  return errorOf(f).code;
}
