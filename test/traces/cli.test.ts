import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { tmpDir } from "./helpers";
import { cli } from "../spawn";

describe("rramsim trace CLI", () => {
  const dir = tmpDir("trace-cli");
  const trace = path.join(dir, "demo.rtrace");

  // each spawn costs seconds (ts-node start-up); conversions are tested through their functions
  it("demo --trace, then trace summarize --csv --json", () => {
    expect(cli(["demo", "--jobs", "10", "--trace", trace]).code).toBe(0);
    const csvDir = path.join(dir, "csv");
    const s = cli(["trace", "summarize", trace, "--csv", csvDir, "--json"]);
    expect(s.code).toBe(0);
    const summary = JSON.parse(s.stdout);
    expect(summary.components).toHaveLength(6);
    expect(fs.readdirSync(csvDir).sort()).toEqual(["components.csv", "counters.csv", "kinds.csv", "links.csv", "utilisation.csv"]);
    expect(summary.kinds.find((k: { kind: string }) => k.kind === "stage.serve").events).toBe(10 * 6);
  });

  it("a truncated trace is a one-line error, exit 2, and no output file", () => {
    const cut = path.join(dir, "cut.rtrace");
    const bytes = fs.readFileSync(trace);
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 5));
    const out = path.join(dir, "cut.pftrace");
    const r = cli(["trace", "convert", cut, "--to", "perfetto", "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(cut);
    expect(r.stderr).toMatch(/byte \d+/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
