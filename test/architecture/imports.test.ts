// The floors of the tree (docs/architecture.md): imports point down only, and no files import each
// other in a circle. Every relative import of every source file counts, type-only ones included
// (a type import upward still ties a lower floor to a higher one). Tests and the package root
// (index.ts, which re-exports every floor) stand above the floors; scripts/ and bin/ too.
import { execSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../spawn";

/** Top to bottom. */
export const FLOORS = ["cli", "app", "compiler", "arch", "isa", "traces", "sim"] as const;
const rank = new Map<string, number>(FLOORS.map((f, i) => [f, FLOORS.length - i]));

type Graph = Map<string, string[]>;

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']|(?:^|\n)\s*import\s+["'](\.[^"']+)["']|\brequire\(\s*["'](\.[^"']+)["']\s*\)|\bimport\(\s*["'](\.[^"']+)["']\s*\)/g;

/** The relative imports of each file, resolved to repository paths (`files`: path → source text). */
export function importGraph(files: Map<string, string>): Graph {
  const g: Graph = new Map();
  for (const [file, text] of files) {
    const targets: string[] = [];
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const hit = [base, `${base}.ts`, `${base}/index.ts`].find((c) => files.has(c));
      if (hit !== undefined) targets.push(hit);
    }
    g.set(file, targets);
  }
  return g;
}

/** Imports that point up a floor: `from -> to`. */
export function upwardImports(g: Graph): string[] {
  const out: string[] = [];
  for (const [from, targets] of g) {
    const a = rank.get(from.split("/")[0]);
    if (a === undefined) continue;
    for (const to of targets) {
      const b = rank.get(to.split("/")[0]);
      if (b !== undefined && b > a) out.push(`${from} -> ${to}`);
    }
  }
  return out;
}

/** Import circles, each as `a -> b -> ... -> a` (one per back edge of a depth-first walk). */
export function importCycles(g: Graph): string[] {
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 1);
    stack.push(n);
    for (const t of g.get(n) ?? []) {
      if (state.get(t) === 1) cycles.push([...stack.slice(stack.indexOf(t)), t].join(" -> "));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of [...g.keys()].sort()) if (!state.has(n)) visit(n);
  return cycles;
}

function sourceFiles(): Map<string, string> {
  const list = execSync("git ls-files -co --exclude-standard -- '*.ts'", { cwd: repoRoot, encoding: "utf8" })
    .split("\n")
    .filter((f) => f !== "" && !f.startsWith("test/") && fs.existsSync(path.join(repoRoot, f)));
  return new Map(list.map((f) => [f, fs.readFileSync(path.join(repoRoot, f), "utf8")]));
}

describe("the floors of the tree", () => {
  const files = sourceFiles();
  const graph = importGraph(files);

  it("every top-level source folder is a floor", () => {
    const folders = new Set([...files.keys()].filter((f) => f.includes("/")).map((f) => f.split("/")[0]));
    for (const f of ["scripts"]) folders.delete(f);
    expect([...folders].filter((f) => !rank.has(f))).toEqual([]);
  });

  it("no import points up a floor", () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it("no files import each other in a circle", () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it("a planted upward import, a type-only one and a circle are caught", () => {
    const planted = new Map(files);
    planted.set("sim/planted.ts", 'import type { RunReport } from "../app/run/report";\n');
    planted.set("arch/planted.ts", 'export { x } from "../compiler/planted";\nconst y = require("../cli/main");\n');
    planted.set("compiler/planted.ts", 'import { z } from "./planted-b";\n');
    planted.set("compiler/planted-b.ts", 'import { x } from "./planted";\n');
    const g = importGraph(planted);
    expect(upwardImports(g)).toEqual(["sim/planted.ts -> app/run/report.ts", "arch/planted.ts -> compiler/planted.ts", "arch/planted.ts -> cli/main.ts"]);
    // the walk takes files in sorted order: arch/planted.ts reaches compiler/planted.ts first
    expect(importCycles(g)).toEqual(["compiler/planted.ts -> compiler/planted-b.ts -> compiler/planted.ts"]);
  });
});
