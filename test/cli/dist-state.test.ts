import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../spawn";

// plain JavaScript helpers of bin/ (loaded the way the bin loads them)
const distState = require("../../bin/dist-state.js") as {
  RACY_MS: number;
  snapshotInputs(root: string, statsAt?: number): unknown;
  checkDist(root: string): { fresh: boolean; hashed: number };
  distIsFresh(root: string): boolean;
};

/**
 * A package root with two sources and a dist/ stamped as built from them. By default the stamp says
 * its stats were taken well after the files were written, so they are past the racy window and the
 * check trusts their stat; `racy` stamps them as taken right now (an edit in the same clock tick
 * could keep the same times), so every file is read.
 */
function builtRoot(racy = false): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-dist-state-"));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write("package.json", JSON.stringify({ name: "rramsim", version: "1.0.0" }));
  write("tsconfig.json", "{}");
  write("tsconfig.build.json", JSON.stringify({ include: ["index.ts", "src"] }));
  write("index.ts", 'export * from "./src/a";\n');
  write("src/a.ts", "export const a = 1;\n");
  write("src/deep/b.ts", "export const b = 2;\n");
  write("src/data.bin", "not an input");
  write("dist/build-stamp.json", JSON.stringify(distState.snapshotInputs(root, racy ? Date.now() : Date.now() + 2 * distState.RACY_MS)));
  return root;
}

/** Rewrites a file with same-size content and gives it back its old access and modification times. */
function editKeepingTimes(root: string, rel: string, text: string): void {
  const f = path.join(root, rel);
  const { atime, mtime } = fs.statSync(f);
  fs.writeFileSync(f, text);
  fs.utimesSync(f, atime, mtime);
}

describe("dist/ is run only while it was built from exactly the sources on disk", () => {
  it("a freshly stamped dist/ is fresh, from the files' stats alone", () => {
    expect(distState.checkDist(builtRoot())).toEqual({ fresh: true, hashed: 0 });
  });
  it("files stamped within the racy window are read and hashed, and found fresh", () => {
    expect(distState.checkDist(builtRoot(true))).toEqual({ fresh: true, hashed: 6 });
  });
  it("an edit within the racy window that keeps size and times is still seen", () => {
    const root = builtRoot(true);
    editKeepingTimes(root, "src/a.ts", "export const a = 7;\n");
    expect(distState.distIsFresh(root)).toBe(false);
  });
  it("no stamp, or an unreadable one, is stale", () => {
    const root = builtRoot();
    fs.writeFileSync(path.join(root, "dist", "build-stamp.json"), "{");
    expect(distState.distIsFresh(root)).toBe(false);
    fs.rmSync(path.join(root, "dist"), { recursive: true });
    expect(distState.distIsFresh(root)).toBe(false);
  });
  it("an edited source is stale even when its modification time is put back", () => {
    const root = builtRoot();
    editKeepingTimes(root, "src/deep/b.ts", "export const b = 3;\n");
    expect(distState.distIsFresh(root)).toBe(false);
  });
  it("a touched but unchanged source stays fresh (it alone is read)", () => {
    const root = builtRoot();
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, "src", "a.ts"), later, later);
    expect(distState.checkDist(root)).toEqual({ fresh: true, hashed: 1 });
  });
  it("an added, a deleted and a renamed source are each stale", () => {
    const added = builtRoot();
    fs.writeFileSync(path.join(added, "src", "c.ts"), "export const c = 1;\n");
    expect(distState.distIsFresh(added)).toBe(false);
    const deleted = builtRoot();
    fs.rmSync(path.join(deleted, "src", "deep", "b.ts"));
    expect(distState.distIsFresh(deleted)).toBe(false);
    const renamed = builtRoot();
    fs.renameSync(path.join(renamed, "src", "a.ts"), path.join(renamed, "src", "a2.ts"));
    expect(distState.distIsFresh(renamed)).toBe(false);
  });
  it("a changed package.json or tsconfig is stale; a non-source file in a source folder is not an input", () => {
    const pkg = builtRoot();
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "rramsim", version: "1.0.1" }));
    expect(distState.distIsFresh(pkg)).toBe(false);
    const tsc = builtRoot();
    fs.writeFileSync(path.join(tsc, "tsconfig.json"), '{ "compilerOptions": {} }');
    expect(distState.distIsFresh(tsc)).toBe(false);
    const other = builtRoot();
    fs.writeFileSync(path.join(other, "src", "data.bin"), "changed");
    expect(distState.distIsFresh(other)).toBe(true);
  });
});

describe("bin/rramsim.js runs dist/ exactly when it is fresh", () => {
  // a preload that reports, at exit, whether any module came from dist/ and whether ts-node loaded
  const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-probe-")), "probe.js");
  fs.writeFileSync(
    probe,
    `process.on("exit", () => { const k = Object.keys(require.cache); process.stderr.write(JSON.stringify({ dist: k.some((f) => f.startsWith(${JSON.stringify(path.join(repoRoot, "dist") + path.sep)})), tsNode: k.some((f) => f.includes("node_modules/ts-node/")) })); });\n`,
  );
  const run = (env: Record<string, string>) => {
    const base = { ...process.env };
    delete base.RRAMSIM_FROM_SOURCE;
    const r = spawnSync(process.execPath, ["--require", probe, path.join(repoRoot, "bin", "rramsim.js"), "--version"], { encoding: "utf8", cwd: repoRoot, env: { ...base, ...env } });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(require("../../package.json").version);
    return JSON.parse(r.stderr) as { dist: boolean; tsNode: boolean };
  };
  it("fresh dist/: the compiled files and no ts-node; stale or missing: the sources through ts-node", () => {
    const fresh = distState.distIsFresh(repoRoot);
    expect(run({})).toEqual({ dist: fresh, tsNode: !fresh });
  });
  it("RRAMSIM_FROM_SOURCE=1 runs the sources whatever dist/ holds", () => {
    expect(run({ RRAMSIM_FROM_SOURCE: "1" })).toEqual({ dist: false, tsNode: true });
  });
});
