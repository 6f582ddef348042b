// Whether dist/ (the compiled JavaScript that `npm run build` writes) is the code of the sources
// as they are now. The build records, for each of its inputs, the SHA-256 of the content it read
// and the file's size, modification and status-change times taken just before reading it; the
// command line runs dist/ only while every input is still there with that content, and no input
// was added. Otherwise it falls back to the TypeScript sources.
//
// Inputs: every .ts/.mts/.cts/.json file under the folders the build compiles (tsconfig.build.json's
// "include"), and package.json (dist/package.json copies its version), tsconfig.json and
// tsconfig.build.json.
//
// The check is git's index rule. A file whose size, mtime and ctime all equal the recorded ones is
// unchanged without being read: any write changes its ctime, and user code cannot set ctime back
// (utimes sets it to now), so a file given back its old mtime is still seen. A file whose stat
// differs, or whose recorded ctime fell within RACY_MS of the moment the build took its stats (an
// edit in the same clock tick would keep the same times), is read and hashed. So a touched but
// unchanged file keeps dist/ fresh; an edited, added, deleted or renamed one makes it stale, as
// does an edit made while the build runs. Cost: about 150 stat calls and a few directory listings,
// no reads (`node bin/dist-state.js --time` measures it).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const DIST = path.join(ROOT, "dist");
/** written last by the build: { statsAt, files: { rel: [size, mtimeMs, ctimeMs, sha256] } } */
const STAMP = path.join(DIST, "build-stamp.json");
const CONFIG_FILES = ["package.json", "tsconfig.json", "tsconfig.build.json"];
const INPUT = /\.(ts|mts|cts|json)$/;
const RACY_MS = 2000;

/** The entries of tsconfig.build.json's "include" (plain JSON, no comments). */
function buildInclude(root = ROOT) {
  return JSON.parse(fs.readFileSync(path.join(root, "tsconfig.build.json"), "utf8")).include;
}

/** Relative paths (with "/") of the build's input files (config files first, then sorted). */
function inputFiles(root = ROOT, include = buildInclude(root)) {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(r);
      } else if (INPUT.test(e.name)) out.push(r);
    }
  };
  for (const i of include) {
    const st = fs.statSync(path.join(root, i), { throwIfNoEntry: false });
    if (st === undefined) continue;
    if (st.isDirectory()) walk(i);
    else if (INPUT.test(i)) out.push(i);
  }
  return [...CONFIG_FILES, ...out.filter((f) => !CONFIG_FILES.includes(f)).sort()];
}

function sha256(bytes) {
  return require("node:crypto").createHash("sha256").update(bytes).digest("hex");
}

/** What the build records: each input's stat, then the hash of what it read after that stat. */
function snapshotInputs(root = ROOT, statsAt = Date.now()) {
  const files = {};
  for (const rel of inputFiles(root)) {
    const abs = path.join(root, rel);
    const st = fs.statSync(abs);
    files[rel] = [st.size, st.mtimeMs, st.ctimeMs, sha256(fs.readFileSync(abs))];
  }
  return { statsAt, files };
}

/** { fresh, hashed }: whether dist/ was built from exactly the inputs on disk, and how many files the check had to read. */
function checkDist(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, "dist", "build-stamp.json"), "utf8"));
  } catch {
    return { fresh: false, hashed: 0 };
  }
  let hashed = 0;
  try {
    const rec = stamp.files;
    const racyFrom = stamp.statsAt - RACY_MS;
    const now = inputFiles(root);
    if (typeof rec !== "object" || rec === null || typeof racyFrom !== "number" || now.length !== Object.keys(rec).length) return { fresh: false, hashed };
    for (const rel of now) {
      const r = rec[rel];
      if (!Array.isArray(r)) return { fresh: false, hashed };
      const abs = path.join(root, rel);
      const st = fs.statSync(abs);
      if (st.size === r[0] && st.mtimeMs === r[1] && st.ctimeMs === r[2] && r[2] < racyFrom) continue;
      hashed++;
      if (st.size !== r[0] || sha256(fs.readFileSync(abs)) !== r[3]) return { fresh: false, hashed };
    }
    return { fresh: true, hashed };
  } catch {
    return { fresh: false, hashed };
  }
}

/** True when dist/ was built from exactly the sources on disk (false: missing, half-written or stale). */
function distIsFresh(root = ROOT) {
  return checkDist(root).fresh;
}

module.exports = { ROOT, DIST, STAMP, RACY_MS, buildInclude, inputFiles, snapshotInputs, checkDist, distIsFresh };

if (require.main === module && process.argv[2] === "--time") {
  const t = process.hrtime.bigint();
  const r = checkDist();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const runs = [];
  for (let i = 0; i < 20; i++) {
    const t2 = process.hrtime.bigint();
    checkDist();
    runs.push(Number(process.hrtime.bigint() - t2) / 1e6);
  }
  process.stdout.write(`dist fresh: ${r.fresh}; ${inputFiles().length} input files, ${r.hashed} read; first check ${ms.toFixed(1)} ms, then best ${Math.min(...runs).toFixed(1)} ms\n`);
}
