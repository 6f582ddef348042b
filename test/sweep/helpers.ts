import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import { RramsimError } from "../../sim/errors";
export { cli } from "../spawn";

export const root = path.join(__dirname, "..", "..");
export const tiny = path.join(root, "configs", "arch", "tiny.yaml");
export const isaac = path.join(root, "configs", "arch", "isaac.yaml");

export function tmpDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rramsim-${name}-`));
}

export function cliAsync(args: string[]) {
  return spawn(process.execPath, [path.join(root, "bin", "rramsim.js"), ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
}

export function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), "utf8");
}

/** The RramsimError code a call (sync or async) throws; undefined when it does not throw. */
export async function errorCode(f: () => unknown): Promise<string | undefined> {
  try {
    await f();
  } catch (e) {
    return e instanceof RramsimError ? e.code : `not a RramsimError: ${String(e)}`;
  }
  return undefined;
}
