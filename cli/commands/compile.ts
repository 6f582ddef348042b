// `rramsim compile`: the front half of `run` — quantise, map and generate code — writing the program
// bundle (app/run/compile.ts) to a directory, atomically.

import type { Command } from "commander";
import { compileToDirectory } from "../../app/run/compile";
import { printJson } from "../io";
import { compileInputFromFlags, withModelFlags, type ModelFlags } from "./run";

interface CompileFlags extends ModelFlags {
  output: string;
  json?: boolean;
}

export function registerCompile(program: Command): void {
  withModelFlags(program.command("compile").description("quantise, map and generate code: write the program bundle (assembly per core, crossbar images, mapping report, config hash)"))
    .requiredOption("-o, --output <dir>", "bundle directory (replaced atomically)")
    .option("--json", "print the mapping report as JSON")
    .action((f: CompileFlags) => {
      const b = compileToDirectory(compileInputFromFlags(f), f.output, "cli");
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
