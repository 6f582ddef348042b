// Output files written atomically: the data goes to a temporary file in the same folder, which is
// then renamed into place, so an error (or a kill) never leaves a half-written file behind.

import * as fs from "node:fs";
import * as path from "node:path";

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
