#!/usr/bin/env node
// The `rramsim` command. Runs the compiled JavaScript in dist/ when it was built from exactly the
// sources on disk (bin/dist-state.js checks them against what the build recorded); otherwise the
// TypeScript sources through ts-node (transpile only), so an edited source is never run as its old
// compiled copy. Also from the sources: RRAMSIM_FROM_SOURCE=1, and `--load MODULE` (sweep runner
// modules are TypeScript or import the sources, which must be the same module instances as the
// command's own).
"use strict";
const path = require("node:path");

const root = path.join(__dirname, "..");
const argv = process.argv;
const fromSource = process.env.RRAMSIM_FROM_SOURCE === "1" || argv.some((a) => a === "--load" || a.startsWith("--load="));

if (!fromSource && require("./dist-state").distIsFresh(root)) {
  process.setSourceMapsEnabled(true);
  require("../dist/cli/main").main(argv);
} else {
  require("ts-node").register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
  require("../cli/main").main(argv);
}
