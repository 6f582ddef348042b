// Elementwise activations and Softmax: Relu, Sigmoid and Tanh map to the IR node of that name;
// Clip to clip, its bounds attributes before opset 11 and constant inputs from 11 (absent: ±∞);
// Softmax to softmax over the features of a [1,F] tensor (default axis 1 before opset 13, −1 from 13).
// Left out: other activations (LeakyRelu, Gelu, ...), computed Clip bounds, Softmax over other axes.

import { attrFloat, attrInt } from "./attributes";
import type { ImportContext, OnnxOpDef, OpNode } from "./context";

function unary(kind: "relu" | "sigmoid" | "tanh"): OnnxOpDef["read"] {
  return (ctx, n) => {
    ctx.shapeOf(n, n.ins[0]);
    ctx.push(n, { kind, name: n.name, output: n.out, inputs: [ctx.name(n.ins[0])] });
  };
}

function readClip(ctx: ImportContext, n: OpNode): void {
  ctx.shapeOf(n, n.ins[0]);
  let min = -Infinity;
  let max = Infinity;
  if (ctx.opset < 11) {
    min = attrFloat(n, "min", -Infinity);
    max = attrFloat(n, "max", Infinity);
  } else {
    const lo = ctx.optionalConstInput(n, 1, "min");
    const hi = ctx.optionalConstInput(n, 2, "max");
    if (lo) min = lo.data[0];
    if (hi) max = hi.data[0];
  }
  if (!(min <= max)) throw ctx.invalid(n, `min ${min} > max ${max}`);
  ctx.push(n, { kind: "clip", name: n.name, output: n.out, inputs: [ctx.name(n.ins[0])], min, max });
}

function readSoftmax(ctx: ImportContext, n: OpNode): void {
  const x = ctx.shapeOf(n, n.ins[0]);
  const axis = attrInt(n, "axis", ctx.opset < 13 ? 1 : -1);
  const norm = axis < 0 ? axis + x.length : axis;
  if (x.length !== 2 || norm !== 1) throw ctx.unsupported(n, `softmax is supported over the last axis of a [1,F] tensor only (input [${x.join(",")}], axis ${axis})`);
  ctx.push(n, { kind: "softmax", name: n.name, output: n.out, inputs: [ctx.name(n.ins[0])] });
}

export const ACTIVATION_OPS = {
  Relu: { doc: "elementwise", read: unary("relu") },
  Sigmoid: { doc: "elementwise", read: unary("sigmoid") },
  Tanh: { doc: "elementwise", read: unary("tanh") },
  Clip: { doc: "bounds as attributes (opset < 11) or constant inputs (opset ≥ 11)", read: readClip },
  Softmax: { doc: "over the last axis of a [1, F] tensor", read: readSoftmax },
} satisfies Record<string, OnnxOpDef>;
