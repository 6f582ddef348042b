// The operators the importer evaluates instead of translating: Constant; the shape computations
// that exporters write for `x.view(x.size(0), -1)` (Shape, Gather, Unsqueeze, Squeeze, Cast), on
// constants only, since every shape is known at import; and Identity and Dropout, which are aliases
// at inference (a constant stays a constant).
// Left out: these operators on computed tensors (Shape excepted), Dropout's mask output, Constant's
// string and sparse values.

import { ONNX_DATA_TYPE } from "../proto";
import { attrInt, attrInts } from "./attributes";
import type { ConstTensor, ImportContext, OnnxOpDef, OpNode } from "./context";

function readConstant(ctx: ImportContext, n: OpNode): void {
  const a = (n.node.attribute ?? [])[0];
  if (!a) throw ctx.invalid(n, "has no value attribute");
  let c: ConstTensor;
  if (a.name === "value" && a.t) c = ctx.tensor(a.t, `node '${n.name}' (Constant)`);
  else if (a.name === "value_float" && a.f !== undefined) c = { dims: [], data: Float64Array.of(a.f) };
  else if (a.name === "value_int" && a.i !== undefined) c = { dims: [], data: Float64Array.of(Number(a.i)) };
  else if (a.name === "value_floats" && a.floats) c = { dims: [a.floats.length], data: Float64Array.from(a.floats) };
  else if (a.name === "value_ints" && a.ints) c = { dims: [a.ints.length], data: Float64Array.from(a.ints, Number) };
  else throw ctx.unsupported(n, `constant attribute '${a.name}' is not supported`);
  ctx.consts.set(n.out, c);
}

/** Identity and Dropout: the output is the input (either one refuses a second output that is read). */
function readPassThrough(ctx: ImportContext, n: OpNode): void {
  const { ins, outs } = n;
  if (outs.length > 1 && outs[1] !== "" && ctx.uses(outs[1]) > 0) throw ctx.unsupported(n, "the dropout mask output is not supported");
  const c = ctx.consts.get(ins[0]);
  if (c) {
    ctx.consts.set(n.out, c);
    return;
  }
  ctx.shapeOf(n, ins[0]);
  ctx.alias(n.out, ctx.name(ins[0]));
}

function readShape(ctx: ImportContext, n: OpNode): void {
  const c = ctx.consts.get(n.ins[0]);
  const dims = c ? c.dims : ctx.shapeOf(n, n.ins[0]);
  const rank = dims.length;
  const norm = (v: number) => Math.min(rank, Math.max(0, v < 0 ? v + rank : v));
  const start = norm(attrInt(n, "start", 0));
  const end = norm(attrInt(n, "end", rank));
  const picked = dims.slice(start, end);
  ctx.consts.set(n.out, { dims: [picked.length], data: Float64Array.from(picked) });
}

/** The constant first input of a shape computation (refused on a computed tensor). */
function constantData(ctx: ImportContext, n: OpNode): ConstTensor {
  const c = ctx.consts.get(n.ins[0]);
  if (!c) throw ctx.unsupported(n, `${n.op} is supported only on constants (shape computations), not on computed tensors`);
  return c;
}

function readCast(ctx: ImportContext, n: OpNode): void {
  const c = constantData(ctx, n);
  const to = attrInt(n, "to", ONNX_DATA_TYPE.FLOAT);
  const integer = [2, 3, 4, 5, 6, 7, 9, 12, 13].includes(to);
  ctx.consts.set(n.out, { dims: c.dims, data: integer ? c.data.map(Math.trunc) : Float64Array.from(c.data) });
}

function readGather(ctx: ImportContext, n: OpNode): void {
  const c = constantData(ctx, n);
  const idx = ctx.constInput(n, 1, "indices");
  if (c.dims.length !== 1 || attrInt(n, "axis", 0) !== 0) throw ctx.unsupported(n, "Gather is supported on 1-D constants along axis 0 only");
  const len = c.dims[0];
  const data = Float64Array.from(idx.data, (i) => c.data[i < 0 ? i + len : i]);
  if (data.some((v) => v === undefined || Number.isNaN(v))) throw ctx.invalid(n, "index out of range");
  ctx.consts.set(n.out, { dims: idx.dims, data });
}

/** Squeeze's and Unsqueeze's axes: an input from opset 13, an attribute before. */
function axesOf(ctx: ImportContext, n: OpNode): number[] {
  const axesIn = ctx.opset >= 13 ? ctx.optionalConstInput(n, 1, "axes") : undefined;
  return axesIn ? Array.from(axesIn.data) : (attrInts(n, "axes") ?? []);
}

function readUnsqueeze(ctx: ImportContext, n: OpNode): void {
  const c = constantData(ctx, n);
  const axes = axesOf(ctx, n);
  const dims = [...c.dims];
  const rank = dims.length + axes.length;
  for (const a of axes.map((v) => (v < 0 ? v + rank : v)).sort((p, q) => p - q)) dims.splice(a, 0, 1);
  ctx.consts.set(n.out, { dims, data: c.data });
}

function readSqueeze(ctx: ImportContext, n: OpNode): void {
  const c = constantData(ctx, n);
  const axes = axesOf(ctx, n);
  const dims = [...c.dims];
  const drop = new Set(axes.length ? axes.map((v) => (v < 0 ? v + dims.length : v)) : dims.flatMap((d, i) => (d === 1 ? [i] : [])));
  ctx.consts.set(n.out, { dims: dims.filter((_, i) => !drop.has(i)), data: c.data });
}

export const CONSTANT_OPS = {
  Constant: { doc: "value, value_float(s), value_int(s)", read: readConstant },
  Identity: { doc: "an alias of its input; a second output must be unused", read: readPassThrough },
  Dropout: { doc: "an alias of its input (inference); the mask output must be unused", read: readPassThrough },
  Shape: { doc: "evaluated at import (every shape is known); start, end", read: readShape },
  Gather: { doc: "evaluated at import, on a 1-D constant along axis 0", read: readGather },
  Unsqueeze: { doc: "evaluated at import, on a constant", read: readUnsqueeze },
  Squeeze: { doc: "evaluated at import, on a constant", read: readSqueeze },
  Cast: { doc: "evaluated at import, on a constant", read: readCast },
} satisfies Record<string, OnnxOpDef>;
