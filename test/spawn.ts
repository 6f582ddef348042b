// Shared by the test suites: run the `rramsim` command line in a child process, as a user would.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const repoRoot = path.join(__dirname, "..");

/** Runs `rramsim ARGS` from the repository root; its exit code and output. */
export function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "bin", "rramsim.js"), ...args], { encoding: "utf8", cwd: repoRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
