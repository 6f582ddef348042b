import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A fresh temporary folder for one test file. */
export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rramsim-${tag}-`));
}

/** Events as plain tuples, the test's own model of what was recorded. */
export interface ModelEvent {
  phase: "slice" | "instant" | "counter";
  component: string;
  kind: string;
  tick: number;
  dur: number;
  ints: number[];
  value?: number;
}
