// Block packing end to end (compiler/bundle/bundle.ts, compiler/codegen/emit/matrix.ts `mvmb`,
// app/run/setup.ts programPacked) and the no-silent-growth rule: a model whose blocks outnumber the
// design's MVM units runs packed with outputs bit for bit those of the same model grown to one
// block per unit (ideal fidelity, lossless ADCs), and equal to the integer reference; an `mvmb`
// naming a block its unit does not have stops the run with SIM_STATE; a model that does not fit
// even packed is refused with MAPPING naming the model and --grow, and runs with growTiles (the
// report says '--grow'), also from the command line.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compileModel } from "../../app/run/compile";
import { runModel } from "../../app/run/session";
import { writeBundle } from "../../compiler/bundle/bundle";
import { saveOnnxFile } from "../../compiler/onnx/export";
import { RramsimError } from "../../sim/errors";
import { cli } from "../spawn";
import { tinyConvModel } from "./helpers";

const TINY = "configs/arch/tiny.yaml";
// tiny's units with 64 columns per crossbar: 2 × 64 / 8 = 16 logical columns (8-bit differential
// weights on 2-bit cells: 2 × 4 slices). The model's blocks (16 rows each): c1 (K = 18, N = 4) 2,
// c2 (K = 36, N = 4) 3, fc (K = 4, N = 5) 1 = 6 blocks.
const WIDE = ["tile.mvmu.encoding.signedWeights=differential", "tile.mvmu.crossbar.cols=64"];
// 2 tiles × 1 core × 2 units = 4 units for 6 blocks: packed
const SCARCE = [...WIDE, "tiles=2", "noc.width=2", "noc.height=1"];
// 1 tile = 2 units: c2's three row blocks need three units (one work group per unit): refused
const TOO_FEW = [...WIDE, "tiles=1", "noc.width=1", "noc.height=1"];

function error(f: () => unknown): RramsimError {
  try {
    f();
  } catch (e) {
    if (e instanceof RramsimError) return e;
    throw e;
  }
  throw new Error("no error");
}

describe("packed blocks run end to end", () => {
  it("packed on 4 units: the same outputs, bit for bit, as grown to one block per unit; mvmb in the code", () => {
    const packed = compileModel({ arch: TINY, model: tinyConvModel(), set: SCARCE, adcBits: "lossless" });
    expect(packed.report.packed).toBe(true);
    expect(packed.report.weight_blocks).toBe(2 + 3 + 1);
    expect(packed.report.mvmus_used).toBeLessThanOrEqual(4);
    // tile ops: c1's 2 blocks and c2's 3 at 6 × 6 positions, fc's 1 once
    expect(packed.report.tile_ops_per_inference).toBe(2 * 36 + 3 * 36 + 1);
    expect(packed.code.images.some((im) => (im.packed?.slot ?? 0) > 0)).toBe(true);
    expect(packed.code.programs.some((p) => /^\s*mvmb /m.test(p.asm))).toBe(true);
    expect(packed.code.programs.some((p) => /^\s*mvm /m.test(p.asm))).toBe(false);
    // the design was not grown
    expect(packed.notes.some((n) => n.includes("--grow"))).toBe(false);

    // the baseline: the same model on 1 tile, where it does not fit even packed, grown with
    // growTiles to one block per unit (c1 ⌈2/2⌉ + c2 ⌈3/2⌉ + fc ⌈1/2⌉ = 4 cores of 2 units, one
    // core per tile: a work group's blocks sit on cores of their own, compiler/map/mapping.ts)
    const grown = compileModel({ arch: TINY, model: tinyConvModel(), set: TOO_FEW, adcBits: "lossless", growTiles: true });
    expect(grown.report.packed).toBe(false);
    expect(grown.code.images.every((im) => im.packed === undefined)).toBe(true);
    expect(grown.code.programs.some((p) => /^\s*mvmb /m.test(p.asm))).toBe(false);

    const opts = { model: tinyConvModel(), adcBits: "lossless" as const, samples: 3, keepOutputs: true };
    const a = runModel({ ...opts, arch: TINY, set: SCARCE });
    const b = runModel({ ...opts, arch: TINY, set: TOO_FEW, growTiles: true });
    expect(a.mapping.tiles).toBe(2);
    expect(b.mapping.tiles).toBe(1 + 2 + 1);
    expect(b.notes.some((n) => n.startsWith("--grow"))).toBe(true);
    expect(a.inputs?.map((x) => Array.from(x))).toEqual(b.inputs?.map((x) => Array.from(x)));
    expect(a.outputs?.map((x) => Array.from(x))).toEqual(b.outputs?.map((x) => Array.from(x)));
    expect(a.accuracy?.exact_match_with_reference).toBe(1);
    expect(b.accuracy?.exact_match_with_reference).toBe(1);
  });

  it("growTiles does not grow a model that fits packed: packing comes first", () => {
    const c = compileModel({ arch: TINY, model: tinyConvModel(), set: SCARCE, adcBits: "lossless", growTiles: true });
    expect(c.report.packed).toBe(true);
    expect(c.chip.config.tiles).toBe(2);
    expect(c.notes.some((n) => n.includes("--grow"))).toBe(false);
  });

  it("an mvmb naming a block its unit does not have stops the run with SIM_STATE", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-packed-"));
    try {
      const out = path.join(dir, "b");
      const opts = { arch: TINY, model: tinyConvModel(), set: SCARCE, adcBits: "lossless" as const };
      writeBundle(compileModel(opts), out);
      const progs = path.join(out, "programs");
      const file = fs
        .readdirSync(progs)
        .map((f) => path.join(progs, f))
        .find((f) => /\bmvmb /.test(fs.readFileSync(f, "utf8"))) as string;
      // imm[11:4] is the block: name block 9 of the same unit
      const edited = fs.readFileSync(file, "utf8").replace(/(\bmvmb [^,]+, [^,]+, )(0x[0-9a-f]+|\d+)/, (_, head: string, imm: string) => `${head}0x${((9 << 4) | (Number(imm) & 15)).toString(16)}`);
      fs.writeFileSync(file, edited);
      const e = error(() => runModel({ ...opts, bundleDir: out, samples: 1 }));
      expect(e.code).toBe("SIM_STATE");
      expect(e.message).toMatch(/mvmb names block 9, but the unit has \d block/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("no silent growth", () => {
  it("a model that does not fit even packed is refused with MAPPING naming the model and --grow; growTiles runs it and says so", () => {
    const e = error(() => compileModel({ arch: TINY, model: tinyConvModel(), set: TOO_FEW }));
    expect(e.code).toBe("MAPPING");
    expect(e.message).toContain("model 'tiny-conv'");
    expect(e.message).toContain("--grow");
    expect(e.message.split("\n")).toHaveLength(1);
    const r = runModel({ arch: TINY, model: tinyConvModel(), set: TOO_FEW, adcBits: "lossless", samples: 1, growTiles: true });
    expect(r.mapping.tiles).toBe(1 + 2 + 1);
    expect(r.notes.some((n) => n.includes("--grow"))).toBe(true);
    expect(r.accuracy?.exact_match_with_reference).toBe(1);
  });

  it("Wu et al.'s LeNet-5 does not fit their 4 arrays even packed (40 blocks of 64 × 32)", () => {
    const e = error(() => compileModel({ arch: "configs/arch/wu2023.yaml", model: "zoo:lenet5" }));
    expect(e.code).toBe("MAPPING");
    expect(e.message).toContain("model 'zoo:lenet5'");
    expect(e.message).toContain("--grow");
    // conv1 (25 × 6) 1, conv2 (150 × 16) 3, fc1 (400 × 120) 7 × 4, fc2 (120 × 84) 2 × 3, fc3 (84 × 10) 2 × 1
    expect(e.message).toContain(`the model's ${1 + 3 + 28 + 6 + 2} weight blocks`);
  });

  it("the command line accepts --grow and the report says so", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-grow-"));
    try {
      const onnx = path.join(dir, "tiny-conv.onnx");
      saveOnnxFile(tinyConvModel(), onnx);
      const r = cli(["run", "--arch", TINY, "--model", onnx, ...TOO_FEW.flatMap((s) => ["--set", s]), "--fidelity", "timing", "--grow", "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      // one block per unit, a work group's blocks on cores of their own (compiler/map/mapping.ts):
      // c1 ⌈2/2⌉ + c2 ⌈3/2⌉ + fc ⌈1/2⌉ = 4 cores of 2 units, one core per tile
      expect(j.mapping.tiles).toBe(1 + 2 + 1);
      expect(j.notes.some((n: string) => n.startsWith("--grow"))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
