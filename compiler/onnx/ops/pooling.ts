// The pooling operators: MaxPool and AveragePool over 2-D windows (explicit or auto pads, strides,
// AveragePool's count_include_pad) and GlobalAveragePool.
// Left out: ceil_mode = 1, dilated windows, MaxPool's Indices output, LpPool, GlobalMaxPool.

import { attrInt, attrInts, windowAttrs } from "./attributes";
import type { OnnxOpDef } from "./context";

function pool(kind: "maxPool" | "avgPool"): OnnxOpDef["read"] {
  return (ctx, n) => {
    const x = ctx.shapeOf(n, n.ins[0]);
    if (kind === "maxPool" && n.outs.length > 1 && n.outs[1] !== "") throw ctx.unsupported(n, "the Indices output is not supported");
    if (attrInt(n, "ceil_mode", 0) !== 0) throw ctx.unsupported(n, "ceil_mode = 1 is not supported");
    const dil = attrInts(n, "dilations");
    if (dil && dil.some((d) => d !== 1)) throw ctx.unsupported(n, "dilated pooling is not supported");
    const ks = attrInts(n, "kernel_shape");
    if (!ks || ks.length !== 2) throw ctx.unsupported(n, "only 2-D pooling with a kernel_shape is supported");
    const kernel: [number, number] = [ks[0], ks[1]];
    ctx.push(n, {
      kind,
      name: n.name,
      output: n.out,
      inputs: [ctx.name(n.ins[0])],
      kernel,
      ...windowAttrs(ctx, n, x, kernel, [1, 1]),
      countIncludePad: attrInt(n, "count_include_pad", 0) !== 0,
    });
  };
}

export const POOLING_OPS = {
  MaxPool: { doc: "2-D, ceil_mode 0, no dilation, no Indices output", read: pool("maxPool") },
  AveragePool: { doc: "2-D, ceil_mode 0, no dilation; count_include_pad", read: pool("avgPool") },
  GlobalAveragePool: {
    doc: "over H and W of an NCHW tensor",
    read: (ctx, n) => {
      ctx.shapeOf(n, n.ins[0]);
      ctx.push(n, { kind: "globalAvgPool", name: n.name, output: n.out, inputs: [ctx.name(n.ins[0])] });
    },
  },
} satisfies Record<string, OnnxOpDef>;
