import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";

/** A fresh temporary folder, removed after the test file's tests (call it while tests are collected). */
export function tmpDir(tag: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `rramsim-${tag}-`));
  afterAll(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
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
