import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it, expect } from "vitest";
import { writeBundle } from "../../compiler/bundle/bundle";
import { compileModel } from "../../app/run/compile";
import { runModel } from "../../app/run/session";
import { runIntegerAll } from "../../compiler/reference/integer";
import { layerWeightMatrix, type QMatrixLayer } from "../../compiler/quant/quantize";
import { RramsimError } from "../../sim/errors";
import { parseAdcBits, parseReadTime } from "../../app/run-config";
import { tinyConvModel } from "./helpers";
import { readTrace } from "../../traces/reader";

const PUMA = "configs/arch/puma.yaml";
const TINY = "configs/arch/tiny.yaml";
const TINY_SIGNED = ["tile.mvmu.encoding.signedWeights=differential"];

/** Simulated outputs against the integer reference executor run here on the same input codes. */
function agreesWithReference(opts: Parameters<typeof runModel>[0]): void {
  const r = runModel({ ...opts, keepOutputs: true });
  const b = compileModel(opts);
  expect(r.outputs?.length).toBe(opts.samples);
  r.outputs!.forEach((out, i) => {
    const ref = runIntegerAll(b.quantized, { codes: r.inputs![i] }).values.get(b.code.output.tensor)!;
    expect(Array.from(out)).toEqual(Array.from(ref));
  });
  expect(r.accuracy?.exact_match_with_reference).toBe(1);
}

function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof RramsimError ? e.code : `not an RramsimError: ${(e as Error).message}`;
  }
  return undefined;
}

describe("end-to-end run at ideal fidelity with lossless ADCs equals the integer reference", () => {
  it("LeNet-5 on PUMA, MNIST test images", () => {
    agreesWithReference({ arch: PUMA, model: "zoo:lenet5", samples: 3, adcBits: "lossless" });
  }, 60_000);

  it("MLP on PUMA (row blocks over several cores), MNIST test images", () => {
    agreesWithReference({ arch: PUMA, model: "zoo:mlp-mnist", samples: 3, adcBits: "lossless" });
  }, 60_000);

  it("a small conv net with padding, residual add, max-pool, global average pool and flatten on the tiny design (groups spanning tiles)", () => {
    agreesWithReference({ arch: TINY, model: tinyConvModel(), samples: 4, adcBits: "lossless", set: TINY_SIGNED });
  }, 60_000);

  it("physical fidelity on the ideal device preset is exact too", () => {
    const r = runModel({ arch: TINY, model: tinyConvModel(), samples: 2, adcBits: "lossless", set: TINY_SIGNED, fidelity: "physical", device: "ideal" });
    expect(r.accuracy?.exact_match_with_reference).toBe(1);
  }, 60_000);
});

describe("report", () => {
  it("a coarse ADC loses values and the report says so (agreement below 1)", () => {
    const r = runModel({ arch: TINY, model: tinyConvModel(), samples: 4, adcBits: 2, set: TINY_SIGNED });
    expect(r.accuracy!.exact_match_with_reference).toBeLessThan(1);
  }, 60_000);

  it("timing fidelity computes no values: accuracy is omitted, time and energy are not", () => {
    const r = runModel({ arch: TINY, model: tinyConvModel(), set: TINY_SIGNED, fidelity: "timing" });
    expect(r.accuracy).toBeUndefined();
    expect(r.samples).toBe(1);
    expect(r.latency_s).toBeGreaterThan(0);
    expect(r.energy_j).toBeGreaterThan(0);
    expect(r.energy_j).toBeCloseTo(r.energy_dynamic_j + r.energy_static_j, 15);
    // ops: 2 × MACs, counted by hand from the model: c1 36·(2·9)·4, c2 36·(4·9)·4, fc 4·5
    expect(r.macs).toBe(36 * 18 * 4 + 36 * 36 * 4 + 4 * 5);
    expect(r.tops_per_w).toBeCloseTo((2 * r.macs) / r.energy_j / 1e12, 9);
    expect(r.cycles).toBe(Math.round(r.latency_s * 1e9));
  }, 60_000);

  it("the same inputs and seed give the same report", () => {
    const a = runModel({ arch: TINY, model: tinyConvModel(), samples: 2, set: TINY_SIGNED, fidelity: "physical", device: "cmo-hfox", seed: 5 });
    const b = runModel({ arch: TINY, model: tinyConvModel(), samples: 2, set: TINY_SIGNED, fidelity: "physical", device: "cmo-hfox", seed: 5 });
    expect({ ...a, wall_s: 0 }).toEqual({ ...b, wall_s: 0 });
  }, 60_000);
});

describe("trace", () => {
  it("--trace records the hardware's slices (one mvmu.mvm per MVM) and one run.inference slice per inference", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-trace-"));
    try {
      const file = path.join(dir, "run.trace");
      const r = runModel({ arch: TINY, model: tinyConvModel(), set: TINY_SIGNED, fidelity: "timing", samples: 2, trace: { file } });
      const t = readTrace(file);
      const b = compileModel({ arch: TINY, model: tinyConvModel(), set: TINY_SIGNED });
      // MVMs per inference: every (position, row block, column block) of every layer, from the mapping
      const mvms = b.mapping.layers.reduce((a, l, i) => a + l.rowBlocks * l.colBlocks * b.quantized.layers.filter((x): x is QMatrixLayer => x.kind === "dense" || x.kind === "conv2d")[i].positions, 0);
      const kinds = (name: string) => t.events.filter((e) => t.header.kinds[e.kind]?.name === name).length;
      expect(kinds("mvmu.mvm")).toBe(2 * mvms);
      expect(kinds("run.inference")).toBe(2);
      expect(r.trace?.events).toBe(t.events.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("compile", () => {
  it("every weight of every layer is in the crossbar images exactly once (sums and sums of squares per layer)", () => {
    const b = compileModel({ arch: TINY, model: tinyConvModel(), set: TINY_SIGNED });
    for (const l of b.quantized.layers.filter((x): x is QMatrixLayer => x.kind === "dense" || x.kind === "conv2d")) {
      const m = layerWeightMatrix(l);
      const imgs = b.code.images.filter((im) => im.layer === l.name);
      const cells = imgs.reduce((a, im) => a + im.weights.length, 0);
      const sum = (f: (v: number) => number, xs: Iterable<number>) => Array.from(xs).reduce((a, v) => a + f(v), 0);
      expect(
        sum(
          (v) => v,
          imgs.flatMap((im) => Array.from(im.weights)),
        ),
      ).toBe(sum((v) => v, m));
      expect(
        sum(
          (v) => v * v,
          imgs.flatMap((im) => Array.from(im.weights)),
        ),
      ).toBe(sum((v) => v * v, m));
      expect(cells).toBeGreaterThanOrEqual(l.k * l.n);
    }
  });

  it("a design whose weights are unsigned refuses signed weights with MAPPING", () => {
    expect(errorCode(() => compileModel({ arch: TINY, model: tinyConvModel() }))).toBe("MAPPING");
  });

  it("without tile growth, a model whose blocks do not fit the design even packed is refused with MAPPING; with it, the chip grows and says so", () => {
    // one tile of one core with 2 MVM units: the model's blocks need more columns than 2 units hold
    const small = [...TINY_SIGNED, "tiles=1", "noc.width=1", "noc.height=1"];
    expect(errorCode(() => compileModel({ arch: TINY, model: tinyConvModel(), set: small, growTiles: false }))).toBe("MAPPING");
    const grown = compileModel({ arch: TINY, model: tinyConvModel(), set: small, growTiles: true });
    expect(grown.chip.config.tiles).toBeGreaterThan(1);
    expect(grown.notes.some((n) => n.startsWith("--grow:"))).toBe(true);
  });

  it("a bundle built for another configuration is refused; for the same configuration its programs and images run", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-bundle-"));
    const out = path.join(dir, "b");
    try {
      writeBundle(compileModel({ arch: TINY, model: tinyConvModel(), set: TINY_SIGNED }), out);
      expect(fs.existsSync(path.join(out, "bundle.json"))).toBe(true);
      expect(fs.readdirSync(path.join(out, "programs")).length).toBeGreaterThan(0);
      expect(errorCode(() => runModel({ arch: TINY, model: tinyConvModel(), set: [...TINY_SIGNED, "adc.bits=5"], bundleDir: out, fidelity: "timing" }))).toBe("BUNDLE_MISMATCH");
      expect(runModel({ arch: TINY, model: tinyConvModel(), set: TINY_SIGNED, bundleDir: out, fidelity: "timing" }).latency_s).toBeGreaterThan(0);
      // the bundle's files are what runs: zeroed weights change the outputs, an edited program traps
      fs.writeFileSync(path.join(out, "images.bin"), new Uint8Array(fs.statSync(path.join(out, "images.bin")).size));
      expect(runModel({ arch: TINY, model: tinyConvModel(), set: TINY_SIGNED, bundleDir: out, samples: 2 }).accuracy?.exact_match_with_reference).toBe(0);
      const prog = path.join(out, "programs", fs.readdirSync(path.join(out, "programs"))[0]);
      fs.writeFileSync(prog, fs.readFileSync(prog, "utf8").replace(/\n {2}halt\n$/, "\n  ebreak\n"));
      expect(errorCode(() => runModel({ arch: TINY, model: tinyConvModel(), set: TINY_SIGNED, bundleDir: out, fidelity: "timing" }))).toBe("CORE_TRAP");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("bad options are one-line errors with codes", () => {
    expect(errorCode(() => parseAdcBits("many"))).toBe("CLI_ARGUMENT");
    expect(errorCode(() => parseAdcBits("0"))).toBe("CLI_ARGUMENT");
    expect(parseAdcBits("lossless")).toBe("lossless");
    expect(errorCode(() => parseReadTime("soon"))).toBe("CLI_ARGUMENT");
    expect(parseReadTime("1h")).toBe(3600);
    expect(errorCode(() => compileModel({ arch: TINY, model: "no-such-model.onnx" }))).toBeDefined();
    expect(errorCode(() => compileModel({ arch: "no-such-design.yaml", model: "zoo:lenet5" }))).toBe("CONFIG_READ");
    expect(errorCode(() => compileModel({ arch: TINY, model: "zoo:lenet5", set: ["bits=4"] }))).toBe("OVERRIDE_PATH");
  });
});
