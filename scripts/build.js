#!/usr/bin/env node
// `npm run build` (also run by `npm ci` / `npm install` through "prepare"): compiles the package's
// TypeScript into dist/ for a fast start-up of bin/rramsim.js. Emit only (tsc --noCheck): the
// type gate is `npm run typecheck`, as for the ts-node runs. Writes dist/package.json (the
// version and description cli/main.ts reads; no name, so the package-root lookup walks past it)
// and, last, dist/build-stamp.json with each input's stat and content hash, taken before compiling
// (see bin/dist-state.js): a source edited while this runs leaves dist/ stale, never wrongly fresh.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { ROOT, DIST, STAMP, snapshotInputs } = require("../bin/dist-state");

const snapshot = snapshotInputs(ROOT);
const inputs = new Set(Object.keys(snapshot.files));

fs.rmSync(DIST, { recursive: true, force: true });
const tsc = require.resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json"), "--noCheck"], { cwd: ROOT, stdio: "inherit" });
if (r.status !== 0) {
  process.stderr.write(`build: tsc failed (exit ${r.status ?? r.signal}); dist/ has no stamp, so bin/rramsim.js keeps running the sources\n`);
  process.exit(1);
}

// every emitted file must come from an input the stamp covers, or an edit to it would go unseen
const uncovered = [];
const walk = (rel) => {
  for (const e of fs.readdirSync(path.join(DIST, rel), { withFileTypes: true })) {
    const r2 = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) walk(r2);
    else if (r2.endsWith(".js") && !inputs.has(r2.replace(/\.js$/, ".ts"))) uncovered.push(r2);
  }
};
walk("");
if (uncovered.length > 0) {
  process.stderr.write(`build: compiled files outside tsconfig.build.json's "include": ${uncovered.join(", ")} (add their folders to "include")\n`);
  process.exit(1);
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
fs.writeFileSync(path.join(DIST, "package.json"), JSON.stringify({ private: true, type: "commonjs", version: pkg.version, description: pkg.description }, null, 2) + "\n");
fs.writeFileSync(STAMP, JSON.stringify(snapshot) + "\n");
process.stdout.write(`build: dist/ compiled from ${inputs.size} input files\n`);
