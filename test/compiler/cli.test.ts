import { describe, expect, it } from "vitest";
import { evaluateMnist, modelInfo } from "../../app/experiments/model";
import { codeOf } from "./helpers";
import { cli } from "../spawn";

describe("rramsim model", () => {
  it("model info reports LeNet-5's weight matrices: K = C_in·kh·kw rows, N = C_out columns, one MVM per output pixel", () => {
    const s = modelInfo("zoo:lenet5");
    const convs = s.layers.filter((l) => l.k !== undefined);
    // conv1 1·5·5 × 6 at 28·28; conv2 6·5·5 × 16 at 10·10; fc 400×120, 120×84, 84×10
    expect(convs.map((l) => [l.k, l.n, l.positions])).toEqual([
      [25, 6, 784],
      [150, 16, 100],
      [400, 120, 1],
      [120, 84, 1],
      [84, 10, 1],
    ]);
    expect(s.macs).toBe(25 * 6 * 784 + 150 * 16 * 100 + 400 * 120 + 120 * 84 + 84 * 10);
  });

  it("model eval refuses a model that is not an MNIST classifier", () => {
    expect(codeOf(() => evaluateMnist("zoo:mlp-l4", { images: 1 }))).toBe("CLI_ARGUMENT");
  });

  it("the CLI exits 2 with a one-line message on an unreadable model and prints JSON on success", () => {
    const bad = cli(["model", "info", "does-not-exist.onnx"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    const ok = cli(["model", "eval", "zoo:mlp-mnist", "--images", "50", "--calibration-images", "16", "--json"]);
    expect(ok.code).toBe(0);
    const r = JSON.parse(ok.stdout) as { test_images: number; float_top1: number };
    expect(r.test_images).toBe(50);
    expect(r.float_top1).toBeGreaterThan(0.8);
  });
});
