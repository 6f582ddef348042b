// Restructuring the code must not change what it computes: the default run's report, one sweep's
// results and one trace (its bytes and its conversions) equal, byte for byte, the outputs recorded
// by test/fixtures/refactor/record.js on the code before the restructuring (wall times excepted).
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../spawn";

const fixtures = path.join(repoRoot, "test", "fixtures", "refactor");
const recorded = JSON.parse(fs.readFileSync(path.join(fixtures, "outputs.json"), "utf8"));
const cases = JSON.parse(fs.readFileSync(path.join(fixtures, "cases.json"), "utf8")) as Record<string, string[]>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-refactor-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(repoRoot, "bin", "rramsim.js"), ...args.map((a) => a.replace("$TMP", tmp))], { cwd: repoRoot, encoding: "utf8", maxBuffer: 1 << 28 });
  expect(r.stderr.split("\n").filter((l) => l.startsWith("rramsim:"))).toEqual([]);
  expect(r.status).toBe(0);
  return r.stdout;
}
const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const withoutWall = (text: string) => {
  const j = JSON.parse(text);
  delete j.wall_s;
  return j;
};

// each case spawns the CLI for a full run; on a loaded 2-core machine one can take minutes
const SLOW = 600_000;

describe("outputs recorded before the restructuring", () => {
  it(
    "the default run's JSON report is unchanged",
    () => {
      expect(JSON.stringify(withoutWall(cli(cases.default_run)), null, 1)).toBe(JSON.stringify(recorded.default_run, null, 1));
    },
    SLOW,
  );

  it(
    "a sweep's results.csv, results.json and manifest are unchanged, byte for byte",
    () => {
      cli(cases.sweep);
      const dir = path.join(tmp, "sweep");
      expect(fs.readFileSync(path.join(dir, "results.csv"), "utf8")).toBe(recorded.sweep.results_csv);
      expect(fs.readFileSync(path.join(dir, "results.json"), "utf8")).toBe(recorded.sweep.results_json);
      expect(fs.readFileSync(path.join(dir, "sweep.json"), "utf8")).toBe(recorded.sweep.manifest);
    },
    SLOW,
  );

  it(
    "a trace file and its Perfetto and CSV conversions are unchanged, byte for byte",
    () => {
      const run = withoutWall(cli(cases.trace));
      delete run.trace.file;
      expect(JSON.stringify(run, null, 1)).toBe(JSON.stringify(recorded.trace.run, null, 1));
      const rtrace = path.join(tmp, "run.rtrace");
      cli(["trace", "convert", rtrace, "--to", "perfetto", "-o", path.join(tmp, "run.pftrace")]);
      cli(["trace", "convert", rtrace, "--to", "csv", "-o", path.join(tmp, "run.csv")]);
      expect(sha(rtrace)).toBe(recorded.trace.rtrace_sha256);
      expect(sha(path.join(tmp, "run.pftrace"))).toBe(recorded.trace.perfetto_sha256);
      expect(sha(path.join(tmp, "run.csv"))).toBe(recorded.trace.csv_sha256);
    },
    SLOW,
  );
});
