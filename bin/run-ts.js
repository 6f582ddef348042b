#!/usr/bin/env node
// Runs a TypeScript entry point of this package without a build step (ts-node, transpile only;
// `npm run typecheck` is the type gate). Usage: node bin/run-ts.js FILE.ts [args...]
"use strict";
const path = require("node:path");
require("ts-node").register({
  transpileOnly: true,
  project: path.join(__dirname, "..", "tsconfig.json"),
});
const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
require(entry);
