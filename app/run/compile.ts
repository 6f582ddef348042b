// `compile`: the front half of a run — quantise, map and generate code — as the program bundle
// (compiler/bundle/bundle.ts), from a validated compile configuration (app/run-config.ts).

import { compileBundle, writeBundle, type Bundle } from "../../compiler/bundle/bundle";
import { compileSlice, parseCompileConfig, type CompileConfigInput, type ConfigSource } from "../run-config";

/** Validates `input` and compiles: the bundle for one model on one design. */
export function compileModel(input: CompileConfigInput, source: ConfigSource = "api"): Bundle {
  return compileBundle(compileSlice(parseCompileConfig(input, source)));
}

/** Compiles and writes the bundle to `output` (replaced atomically); returns it. */
export function compileToDirectory(input: CompileConfigInput, output: string, source: ConfigSource = "api"): Bundle {
  const b = compileModel(input, source);
  writeBundle(b, output);
  return b;
}
