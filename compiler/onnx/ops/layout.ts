// The operators that rearrange a computed tensor: Flatten and Reshape become reshape (Reshape's
// target an attribute before opset 5, a constant input from 5; 0 copies the input's dimension
// unless allowzero, −1 is inferred), Concat of computed tensors becomes concat. A Concat whose
// inputs are all constants is evaluated at import (the shape vectors of `x.view(n, -1)`).
// Left out: Transpose, Slice, Split, Pad, Expand, a computed Reshape target.

import { shapeSize } from "../../ir/model";
import { attr, attrInt, attrInts } from "./attributes";
import type { ConstTensor, ImportContext, OnnxOpDef, OpNode } from "./context";

function readFlatten(ctx: ImportContext, n: OpNode): void {
  const x = ctx.shapeOf(n, n.ins[0]);
  const a = attrInt(n, "axis", 1);
  const axis = a < 0 ? a + x.length : a;
  if (!(axis >= 0 && axis <= x.length)) throw ctx.invalid(n, `axis ${a} out of range for [${x.join(",")}]`);
  const outer = shapeSize(x.slice(0, axis));
  ctx.push(n, { kind: "reshape", name: n.name, output: n.out, inputs: [ctx.name(n.ins[0])], shape: axis === 0 ? [1, shapeSize(x)] : [outer, shapeSize(x.slice(axis))] });
}

function readReshape(ctx: ImportContext, n: OpNode): void {
  const x = ctx.shapeOf(n, n.ins[0]);
  const target = ctx.opset < 5 ? attrInts(n, "shape") : Array.from(ctx.constInput(n, 1, "shape").data);
  if (!target) throw ctx.invalid(n, "no shape attribute");
  const allowZero = attrInt(n, "allowzero", 0);
  const shape = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
  const unknown = shape.indexOf(-1);
  if (unknown >= 0) {
    const known = shape.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    shape[unknown] = known > 0 ? shapeSize(x) / known : NaN;
  }
  if (shape.some((d) => !(Number.isInteger(d) && d >= 0))) throw ctx.invalid(n, `cannot reshape [${x.join(",")}] to [${target.join(",")}]`);
  ctx.push(n, { kind: "reshape", name: n.name, output: n.out, inputs: [ctx.name(n.ins[0])], shape });
}

function readConcat(ctx: ImportContext, n: OpNode): void {
  const { ins } = n;
  if (ins.length > 0 && ins.every((v) => ctx.consts.has(v))) {
    const parts = ins.map((v) => ctx.consts.get(v) as ConstTensor);
    if (parts.some((p) => p.dims.length !== 1)) throw ctx.unsupported(n, "Concat of constants is supported for 1-D constants (shape vectors) only");
    const data = Float64Array.from(parts.flatMap((p) => Array.from(p.data)));
    ctx.consts.set(n.out, { dims: [data.length], data });
    return;
  }
  const x = ctx.shapeOf(n, ins[0]);
  for (const v of ins) ctx.shapeOf(n, v);
  const a = attr(n, "axis");
  if (a?.i === undefined) throw ctx.invalid(n, "missing axis attribute");
  const axis = Number(a.i) < 0 ? Number(a.i) + x.length : Number(a.i);
  ctx.push(n, { kind: "concat", name: n.name, output: n.out, inputs: ins.map((v) => ctx.name(v)), axis });
}

export const LAYOUT_OPS = {
  Flatten: { doc: "to 2-D at `axis`", read: readFlatten },
  Reshape: { doc: "shape as attribute (opset < 5) or constant input; 0 and −1 as in ONNX", read: readReshape },
  Concat: { doc: "along any non-batch axis; of 1-D constants, evaluated at import", read: readConcat },
} satisfies Record<string, OnnxOpDef>;
