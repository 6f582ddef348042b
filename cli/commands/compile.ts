// `rramsim compile`: the front half of `run` — quantise, map and generate code — writing the program
// bundle (compiler/bundle/bundle.ts) to a directory, atomically.

import type { Command } from "commander";
import { compileModel, writeBundle, type Bundle } from "../../compiler/bundle/bundle";
import { printJson } from "../io";
import { parseAdcBits, withModelFlags, type ModelFlags } from "./run";

interface CompileFlags extends ModelFlags {
  output: string;
  json?: boolean;
}

/** Compiles and writes the bundle; returns it. */
export function compileToDirectory(f: Omit<CompileFlags, "json">): Bundle {
  const b = compileModel({ arch: f.arch, model: f.model, set: f.set, adcBits: parseAdcBits(f.adcBits), replicate: f.replicate, growTiles: f.growTiles, seed: f.seed });
  writeBundle(b, f.output);
  return b;
}

export function registerCompile(program: Command): void {
  withModelFlags(program.command("compile").description("quantise, map and generate code: write the program bundle (assembly per core, crossbar images, mapping report, config hash)"))
    .requiredOption("-o, --output <dir>", "bundle directory (replaced atomically)")
    .option("--json", "print the mapping report as JSON")
    .action((f: CompileFlags) => {
      const b = compileToDirectory(f);
      if (f.json) printJson({ config_hash: b.configHash, notes: b.notes, ...b.report });
      else {
        const r = b.report;
        const lines = [
          `${b.modelName} → ${f.output} (config ${b.configHash})`,
          `  ${b.code.programs.length} core programs (largest ${r.program_bytes_max} bytes), ${b.code.images.length} crossbar images`,
          `  ${r.mvmus_used} of ${r.mvmus_available} MVM units, ${r.crossbars_used} crossbars, utilisation ${(100 * r.utilisation).toFixed(1)} %, ${r.tiles_used} tiles`,
          ...r.layers.map((l) => `  ${l.name.padEnd(16)} ${l.row_blocks}×${l.col_blocks} blocks ×${l.replicas}  ${l.crossbars} crossbars  utilisation ${(100 * l.utilisation).toFixed(1)} %`),
          ...b.notes.map((n) => `  note: ${n}`),
        ];
        process.stdout.write(lines.join("\n") + "\n");
      }
    });
}
