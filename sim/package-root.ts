// Where the package's own files are (configs/, .proto schemas, zoo models): found from the package
// root, the nearest folder above this module whose package.json is rramsim's, so that paths come
// out the same whether the sources run through ts-node or the compiled files run from dist/ (whose
// package.json has no name).

import * as fs from "node:fs";
import * as path from "node:path";

let root: string | undefined;

/** The folder holding rramsim's package.json. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = __dirname;
  for (;;) {
    const pj = path.join(dir, "package.json");
    if (fs.existsSync(pj)) {
      try {
        if ((JSON.parse(fs.readFileSync(pj, "utf8")) as { name?: string }).name === "rramsim") return (root = dir);
      } catch {
        // not ours; keep walking up
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find rramsim's package.json above ${__dirname}`);
    dir = up;
  }
}

/** A path inside the package, e.g. packagePath("configs", "device"). */
export function packagePath(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}
