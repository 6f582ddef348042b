import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SUPPORTED_ONNX_OPS, importOnnx, isSupportedOnnxOp } from "../../compiler/onnx/import";
import { ONNX_OPS, ONNX_OP_PARTS } from "../../compiler/onnx/ops/table";
import { modelToOnnx } from "../../compiler/onnx/export";
import { createModel, type Model } from "../../compiler/ir/model";
import { runFloat } from "../../compiler/reference/float";
import { buildMlpL4 } from "../../compiler/zoo/zoo";
import { isRramsimError } from "../../sim/errors";
import { repoRoot } from "../spawn";
import { codeOf, encodeOnnx, errorOf, floatInit, randomArray, vi } from "./helpers";

const opset = (v: number) => [{ domain: "", version: v }];

function smallCnn(): Model {
  return createModel({
    name: "small",
    input: { name: "x", shape: [1, 2, 6, 6] },
    output: "sm",
    nodes: [
      {
        kind: "conv2d",
        name: "c1",
        inputs: ["x"],
        output: "c1",
        inChannels: 2,
        outChannels: 4,
        kernel: [3, 3],
        stride: [1, 1],
        pads: [1, 1, 1, 1],
        dilation: [1, 1],
        groups: 2,
        weight: randomArray(1, "w1", 4 * 1 * 9),
        bias: randomArray(1, "b1", 4),
      },
      { kind: "relu", name: "r1", inputs: ["c1"], output: "r1" },
      { kind: "avgPool", name: "p1", inputs: ["r1"], output: "p1", kernel: [2, 2], stride: [2, 2], pads: [0, 0, 0, 0], countIncludePad: true },
      {
        kind: "conv2d",
        name: "c2",
        inputs: ["p1"],
        output: "c2",
        inChannels: 4,
        outChannels: 4,
        kernel: [1, 1],
        stride: [1, 1],
        pads: [0, 0, 0, 0],
        dilation: [1, 1],
        groups: 1,
        weight: randomArray(1, "w2", 16),
        bias: randomArray(1, "b2", 4),
      },
      { kind: "add", name: "add", inputs: ["c2", "p1"], output: "add" },
      { kind: "concat", name: "cat", inputs: ["add", "p1"], output: "cat", axis: 1 },
      { kind: "clip", name: "clip", inputs: ["cat"], output: "clip", min: -0.5, max: 0.75 },
      { kind: "maxPool", name: "mp", inputs: ["clip"], output: "mp", kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1], countIncludePad: false },
      { kind: "globalAvgPool", name: "gap", inputs: ["mp"], output: "gap" },
      { kind: "reshape", name: "flat", inputs: ["gap"], output: "flat", shape: [1, 8] },
      { kind: "dense", name: "fc", inputs: ["flat"], output: "fc", inFeatures: 8, outFeatures: 3, weight: randomArray(1, "w3", 24), bias: randomArray(1, "b3", 3) },
      { kind: "tanh", name: "t", inputs: ["fc"], output: "t" },
      { kind: "sigmoid", name: "s", inputs: ["t"], output: "s" },
      { kind: "softmax", name: "sm", inputs: ["s"], output: "sm" },
    ],
  });
}

describe("ONNX writer and reader", () => {
  it("round-trips every IR node kind: same graph, same weights, same outputs", () => {
    const m = smallCnn();
    const back = importOnnx(modelToOnnx(m));
    expect(back.nodes.map((n) => n.kind)).toEqual(m.nodes.map((n) => n.kind));
    expect(back.shapes).toEqual(m.shapes);
    for (let i = 0; i < m.nodes.length; i++) expect(back.nodes[i]).toEqual(m.nodes[i]);
    const x = randomArray(2, "x", 72);
    expect(runFloat(back, x)).toEqual(runFloat(m, x));
    // the writer is deterministic: importing and writing again gives the same bytes
    expect(modelToOnnx(back)).toEqual(modelToOnnx(m));
  });

  it("round-trips an in-memory zoo model (mlp-l4) with identical outputs", () => {
    const m = buildMlpL4(7);
    const back = importOnnx(modelToOnnx(m));
    const x = randomArray(3, "x", 1024);
    expect(runFloat(back, x)).toEqual(runFloat(m, x));
  });
});

describe("ONNX import semantics (hand-built files)", () => {
  it("Gemm honours transA = 0, transB = 0, alpha and beta (y = alpha·x·B + beta·C)", () => {
    // x = [1, 2], B = [[1, 2, 3], [4, 5, 6]] (2×3), C = [1, 1, 1], alpha 2, beta 0.5
    // x·B = [1+8, 2+10, 3+12] = [9, 12, 15]; y = 2·[9,12,15] + 0.5 = [18.5, 24.5, 30.5]
    const bytes = encodeOnnx({
      ir_version: 7,
      opset_import: opset(13),
      graph: {
        name: "g",
        node: [
          {
            name: "gemm",
            op_type: "Gemm",
            input: ["x", "B", "C"],
            output: ["y"],
            attribute: [
              { name: "alpha", type: 1, f: 2 },
              { name: "beta", type: 1, f: 0.5 },
            ],
          },
        ],
        initializer: [floatInit("B", [2, 3], [1, 2, 3, 4, 5, 6]), floatInit("C", [3], [1, 1, 1])],
        input: [vi("x", [1, 2])],
        output: [vi("y", [1, 3])],
      },
    });
    expect(Array.from(runFloat(importOnnx(bytes), [1, 2]))).toEqual([18.5, 24.5, 30.5]);
  });

  it("MatMul + constant Add fold into one dense layer with a bias", () => {
    const bytes = encodeOnnx({
      ir_version: 7,
      opset_import: opset(13),
      graph: {
        name: "g",
        node: [
          { name: "mm", op_type: "MatMul", input: ["x", "W"], output: ["h"] },
          { name: "badd", op_type: "Add", input: ["h", "b"], output: ["y"] },
        ],
        initializer: [floatInit("W", [2, 2], [1, 2, 3, 4]), floatInit("b", [2], [10, 20])],
        input: [vi("x", [1, 2])],
        output: [vi("y", [1, 2])],
      },
    });
    const m = importOnnx(bytes);
    expect(m.nodes.map((n) => n.kind)).toEqual(["dense"]);
    // [1, 1]·[[1,2],[3,4]] = [4, 6]; + [10, 20]
    expect(Array.from(runFloat(m, [1, 1]))).toEqual([14, 26]);
  });

  it("reads Reshape's shape as an attribute before opset 5 and as an input from opset 5, and raw int64 data", () => {
    const graph = (node: object, init: object[]) => ({ name: "g", node: [node], initializer: init, input: [vi("x", [1, 2, 3])], output: [vi("y", [1, 6])] });
    const old = encodeOnnx({ ir_version: 3, opset_import: opset(4), graph: graph({ name: "r", op_type: "Reshape", input: ["x"], output: ["y"], attribute: [{ name: "shape", type: 7, ints: [1, -1] }] }, []) });
    const shapeRaw = new Uint8Array(new BigInt64Array([0n, 6n]).buffer);
    const neu = encodeOnnx({ ir_version: 7, opset_import: opset(13), graph: graph({ name: "r", op_type: "Reshape", input: ["x", "s"], output: ["y"] }, [{ name: "s", dims: [2], data_type: 7, raw_data: shapeRaw }]) });
    expect(importOnnx(old).shapes.y).toEqual([1, 6]);
    expect(importOnnx(neu).shapes.y).toEqual([1, 6]); // 0 copies the batch dimension
  });

  it("reads Clip's bounds as attributes before opset 11 and as inputs (one of them a Constant node) from opset 11", () => {
    const base = { input: [vi("x", [1, 3])], output: [vi("y", [1, 3])] };
    const old = encodeOnnx({
      ir_version: 3,
      opset_import: opset(6),
      graph: {
        name: "g",
        ...base,
        node: [
          {
            name: "c",
            op_type: "Clip",
            input: ["x"],
            output: ["y"],
            attribute: [
              { name: "min", type: 1, f: -1 },
              { name: "max", type: 1, f: 2 },
            ],
          },
        ],
      },
    });
    const neu = encodeOnnx({
      ir_version: 7,
      opset_import: opset(13),
      graph: {
        name: "g",
        ...base,
        node: [
          { name: "k", op_type: "Constant", input: [], output: ["hi"], attribute: [{ name: "value", type: 4, t: { dims: [], data_type: 1, float_data: [2] } }] },
          { name: "c", op_type: "Clip", input: ["x", "lo", "hi"], output: ["y"] },
        ],
        initializer: [floatInit("lo", [], [-1])],
      },
    });
    for (const b of [old, neu]) expect(Array.from(runFloat(importOnnx(b), [-5, 0.5, 7]))).toEqual([-1, 0.5, 2]);
  });

  it("evaluates the Shape → Gather → Unsqueeze → Concat → Reshape subgraph of x.view(x.size(0), -1)", () => {
    const bytes = encodeOnnx({
      ir_version: 7,
      opset_import: opset(13),
      graph: {
        name: "g",
        node: [
          { name: "relu", op_type: "Relu", input: ["x"], output: ["r"] },
          { name: "shape", op_type: "Shape", input: ["r"], output: ["s"] },
          { name: "gather", op_type: "Gather", input: ["s", "zero"], output: ["n"], attribute: [{ name: "axis", type: 2, i: 0 }] },
          { name: "unsq", op_type: "Unsqueeze", input: ["n", "axes"], output: ["n1"] },
          { name: "cat", op_type: "Concat", input: ["n1", "minus1"], output: ["target"], attribute: [{ name: "axis", type: 2, i: 0 }] },
          { name: "view", op_type: "Reshape", input: ["r", "target"], output: ["y"] },
        ],
        initializer: [
          { name: "zero", dims: [], data_type: 7, int64_data: [0] },
          { name: "axes", dims: [1], data_type: 7, int64_data: [0] },
          { name: "minus1", dims: [1], data_type: 7, int64_data: [-1] },
        ],
        input: [vi("x", ["batch", 2, 3, 3])],
        output: [vi("y", ["batch", 18])],
      },
    });
    const m = importOnnx(bytes);
    expect(m.nodes.map((n) => n.kind)).toEqual(["relu", "reshape"]);
    expect(m.shapes.y).toEqual([1, 18]);
  });

  it("gives dynamic dimensions a value: batch becomes 1, others need inputShape", () => {
    const file = (dims: (number | string)[]) =>
      encodeOnnx({ ir_version: 7, opset_import: opset(13), graph: { name: "g", node: [{ name: "relu", op_type: "Relu", input: ["x"], output: ["y"] }], input: [vi("x", dims)], output: [vi("y", dims)] } });
    expect(importOnnx(file(["N", 3])).input.shape).toEqual([1, 3]);
    expect(codeOf(() => importOnnx(file(["N", 1, "H", "W"])))).toBe("MODEL_UNSUPPORTED");
    expect(importOnnx(file(["N", 1, "H", "W"]), { inputShape: [1, 1, 28, 28] }).shapes.y).toEqual([1, 1, 28, 28]);
  });

  it("folds BatchNormalization into the preceding Conv (checked against conv then BN by hand)", () => {
    // 1×1 conv, one input channel, two output channels: w = [2, -1], b = [0.5, 0]
    // BN: γ = [1, 3], β = [0.25, -1], mean = [1, 2], var = [3, 0.25], ε = 1 (so √(var+ε) = [2, 1.118...])
    const bytes = encodeOnnx({
      ir_version: 7,
      opset_import: opset(13),
      graph: {
        name: "g",
        node: [
          { name: "conv", op_type: "Conv", input: ["x", "w", "b"], output: ["c"], attribute: [{ name: "kernel_shape", type: 7, ints: [1, 1] }] },
          { name: "bn", op_type: "BatchNormalization", input: ["c", "g", "be", "m", "v"], output: ["y"], attribute: [{ name: "epsilon", type: 1, f: 1 }] },
        ],
        initializer: [floatInit("w", [2, 1, 1, 1], [2, -1]), floatInit("b", [2], [0.5, 0]), floatInit("g", [2], [1, 3]), floatInit("be", [2], [0.25, -1]), floatInit("m", [2], [1, 2]), floatInit("v", [2], [3, 0.25])],
        input: [vi("x", [1, 1, 1, 2])],
        output: [vi("y", [1, 2, 1, 2])],
      },
    });
    const m = importOnnx(bytes);
    expect(m.nodes.map((n) => n.kind)).toEqual(["conv2d"]);
    const x = [1.5, -2];
    const expected: number[] = [];
    const w = [2, -1],
      b = [0.5, 0],
      g = [1, 3],
      be = [0.25, -1],
      mu = [1, 2],
      v = [3, 0.25];
    for (let c = 0; c < 2; c++) for (const xi of x) expected.push((g[c] * (w[c] * xi + b[c] - mu[c])) / Math.sqrt(v[c] + 1) + be[c]);
    const y = runFloat(m, x);
    expected.forEach((e, i) => expect(y[i]).toBeCloseTo(e, 5));
  });
});

describe("ONNX import errors", () => {
  it("an unsupported operator is MODEL_UNSUPPORTED, naming the node and the op", () => {
    const bytes = encodeOnnx({
      ir_version: 7,
      opset_import: opset(13),
      graph: { name: "g", node: [{ name: "my_lstm", op_type: "LSTM", input: ["x"], output: ["y"] }], input: [vi("x", [1, 3])], output: [vi("y", [1, 3])] },
    });
    const e = errorOf(() => importOnnx(bytes, {}, "net.onnx"));
    expect(e.code).toBe("MODEL_UNSUPPORTED");
    expect(e.message).toContain("my_lstm");
    expect(e.message).toContain("LSTM");
    expect(e.message).toContain("net.onnx");
  });

  it("an input consumed before it is produced is INPUT_FILE", () => {
    const bytes = encodeOnnx({ ir_version: 7, opset_import: opset(13), graph: { name: "g", node: [{ name: "r", op_type: "Relu", input: ["nowhere"], output: ["y"] }], input: [vi("x", [1, 3])], output: [vi("y", [1, 3])] } });
    expect(codeOf(() => importOnnx(bytes))).toBe("INPUT_FILE");
  });

  it("random bytes and truncated files give a RramsimError, never a crash", () => {
    const good = modelToOnnx(buildMlpL4(3));
    const small = modelToOnnx(
      createModel({
        name: "t",
        input: { name: "x", shape: [1, 4] },
        output: "y",
        nodes: [{ kind: "dense", name: "y", inputs: ["x"], output: "y", inFeatures: 4, outFeatures: 2, weight: new Float32Array(8), bias: new Float32Array(2) }],
      }),
    );
    const expectClean = (bytes: Uint8Array) => {
      try {
        importOnnx(bytes);
      } catch (e) {
        if (!isRramsimError(e)) throw e;
        expect(["INPUT_FILE", "MODEL_UNSUPPORTED", "CLI_ARGUMENT"]).toContain(e.code);
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => expectClean(b)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: small.length - 1 }), (n) => expectClean(small.subarray(0, n))),
      { numRuns: 100 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: small.length - 1 }), fc.integer({ min: 0, max: 255 }), (i, v) => {
        const b = Uint8Array.from(small);
        b[i] = v;
        expectClean(b);
      }),
      { numRuns: 200 },
    );
    for (const n of [0, 1, 100, good.length >> 1, good.length - 1]) expect(codeOf(() => importOnnx(good.subarray(0, n)))).toBe("INPUT_FILE");
  });
});

describe("the importer's operator table", () => {
  it("each operator has exactly one entry: the parts of the table share no op type and together make the table", () => {
    const all = ONNX_OP_PARTS.flatMap((part) => Object.keys(part));
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(Object.keys(ONNX_OPS).sort());
    expect([...SUPPORTED_ONNX_OPS]).toEqual([...all].sort());
  });

  it("docs/compiler.md's operator table names every operator of the table", () => {
    const rows = fs
      .readFileSync(path.join(repoRoot, "docs", "compiler.md"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("| "));
    const named = new Set(rows.flatMap((l) => (l.split("|")[1] ?? "").split(/[^A-Za-z]+/)));
    expect(SUPPORTED_ONNX_OPS.filter((op) => !named.has(op))).toEqual([]);
  });

  it("whether an operator is supported is answered without importing, and names on Object.prototype are not operators", () => {
    expect(isSupportedOnnxOp("Conv")).toBe(true);
    expect(isSupportedOnnxOp("LSTM")).toBe(false);
    expect(isSupportedOnnxOp("conv")).toBe(false);
    for (const op of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(isSupportedOnnxOp(op)).toBe(false);
      const bytes = encodeOnnx({ ir_version: 7, opset_import: opset(13), graph: { name: "g", node: [{ name: "odd", op_type: op, input: ["x"], output: ["y"] }], input: [vi("x", [1, 3])], output: [vi("y", [1, 3])] } });
      const e = errorOf(() => importOnnx(bytes, {}, "odd.onnx"));
      expect(e.code).toBe("MODEL_UNSUPPORTED");
      expect(e.message).toContain(`odd.onnx: node 'odd' (${op}): operator '${op}' is not supported`);
    }
  });
});
