// A read time after programming as the command line gives it: a time quantity ("1s", "1h") or plain seconds.

import { RramsimError } from "../../sim/errors";
import { parseQuantity } from "../../sim/units";

export function parseReadTimeSeconds(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  try {
    return parseQuantity(v, "time") / 1e12;
  } catch {
    throw new RramsimError("CLI_ARGUMENT", `--time: '${v}' is not a time (e.g. 1s, 1h, 3600)`);
  }
}
