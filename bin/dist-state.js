// Whether dist/ (the compiled JavaScript that `npm run build` writes) is the code of the sources
// as they are now. The build records a digest of its inputs, taken before it compiles; the
// command line runs dist/ only while a fresh digest of the same inputs is identical, and falls
// back to the TypeScript sources otherwise.
//
// The digest covers the path and content of every .ts/.mts/.cts/.json file under the folders the
// build compiles (tsconfig.build.json's "include"), and the content of tsconfig.json,
// tsconfig.build.json and package.json (dist/package.json copies its version). Content, not
// modification times: a checkout, a copy that keeps old times, a deleted or renamed file and an
// edit made while the build ran are all caught. Cost: about 150 files, under 1 MB, read and hashed
// in a few milliseconds (`node bin/dist-state.js --time` measures it).
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const DIST = path.join(ROOT, "dist");
/** written last by the build: { digest } */
const STAMP = path.join(DIST, "build-stamp.json");
const CONFIG_FILES = ["package.json", "tsconfig.json", "tsconfig.build.json"];
const INPUT = /\.(ts|mts|cts|json)$/;

/** The entries of tsconfig.build.json's "include" (plain JSON, no comments). */
function buildInclude(root = ROOT) {
  return JSON.parse(fs.readFileSync(path.join(root, "tsconfig.build.json"), "utf8")).include;
}

/** Relative paths (with "/") of the build's input files, sorted. */
function inputFiles(root, include) {
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
    let st;
    try {
      st = fs.statSync(path.join(root, i));
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(i);
    else if (INPUT.test(i)) out.push(i);
  }
  return out.sort();
}

/** Digest of the build's inputs as they are on disk now. */
function sourceDigest(root = ROOT, include = buildInclude(root)) {
  const h = createHash("sha256");
  for (const rel of [...CONFIG_FILES, ...inputFiles(root, include)]) {
    let bytes;
    try {
      bytes = fs.readFileSync(path.join(root, rel));
    } catch {
      bytes = Buffer.alloc(0);
    }
    h.update(`${rel}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return h.digest("hex");
}

/** True when dist/ was built from exactly the sources on disk (false: missing, half-written or stale). */
function distIsFresh(root = ROOT) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, "dist", "build-stamp.json"), "utf8"));
  } catch {
    return false;
  }
  try {
    return typeof stamp.digest === "string" && stamp.digest === sourceDigest(root, buildInclude(root));
  } catch {
    return false;
  }
}

module.exports = { ROOT, DIST, STAMP, buildInclude, inputFiles, sourceDigest, distIsFresh };

if (require.main === module && process.argv[2] === "--time") {
  const runs = [];
  let fresh = false;
  for (let i = 0; i < 20; i++) {
    const t = process.hrtime.bigint();
    fresh = distIsFresh();
    runs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const files = inputFiles(ROOT, buildInclude()).length;
  process.stdout.write(`dist fresh: ${fresh}; ${files} input files; check took ${runs[0].toFixed(1)} ms cold, best ${Math.min(...runs).toFixed(1)} ms\n`);
}
