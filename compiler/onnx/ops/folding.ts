// The operators folded into the Conv/Gemm/MatMul before them: BatchNormalization (inference form,
// into the weights and bias, compiler/ir/model.ts foldBatchNorm) and Add of a constant (into the
// bias, when it is one value or one per output channel). An Add of two computed tensors is the
// residual add. The producer must feed nothing else, so that folding changes no other reader.
// Left out: BatchNormalization in training mode or after anything but a Conv/Dense layer, constant
// Adds that broadcast other than per channel, and Sub, Mul and Div.

import { foldBatchNorm } from "../../ir/model";
import { attrFloat } from "./attributes";
import type { ConstTensor, ImportContext, OnnxOpDef, OpNode } from "./context";

function readBatchNorm(ctx: ImportContext, n: OpNode): void {
  const p = ctx.foldableProducer(n.ins[0]);
  if (!p) throw ctx.unsupported(n, "BatchNormalization is supported only directly after a Conv, Gemm or MatMul whose output nothing else reads");
  if (n.outs.length > 1 && n.outs.slice(1).some((o) => o !== "")) throw ctx.unsupported(n, "training-mode outputs (running mean/var) are not supported");
  const get = (i: number, what: string) => ctx.constInput(n, i, what).data;
  const folded = foldBatchNorm(p.node, { scale: get(1, "scale"), bias: get(2, "B"), mean: get(3, "mean"), variance: get(4, "var"), epsilon: attrFloat(n, "epsilon", 1e-5) });
  ctx.alias(n.out, p.node.output);
  ctx.replaceNode(p.index, folded);
}

function readAdd(ctx: ImportContext, n: OpNode): void {
  const { ins } = n;
  const cIndex = ctx.consts.has(ins[0]) ? 0 : ctx.consts.has(ins[1]) ? 1 : -1;
  if (cIndex >= 0) {
    const c = ctx.consts.get(ins[cIndex]) as ConstTensor;
    const p = ctx.foldableProducer(ins[1 - cIndex]);
    const width = p ? (p.node.kind === "dense" ? p.node.outFeatures : p.node.outChannels) : 0;
    const perChannel = p && (c.data.length === 1 || (c.data.length === width && (p.node.kind === "dense" || c.dims.length !== 1 || width === 1)));
    if (!p || !perChannel) throw ctx.unsupported(n, "adding a constant is supported only as a per-channel bias right after a Conv, Gemm or MatMul");
    const bias = Float32Array.from(p.node.bias, (b, i) => b + c.data[c.data.length === 1 ? 0 : i]);
    ctx.replaceNode(p.index, { ...p.node, bias });
    ctx.alias(n.out, p.node.output);
    return;
  }
  ctx.shapeOf(n, ins[0]);
  ctx.shapeOf(n, ins[1]);
  ctx.push(n, { kind: "add", name: n.name, output: n.out, inputs: [ctx.name(ins[0]), ctx.name(ins[1])] });
}

export const FOLDING_OPS = {
  BatchNormalization: { doc: "folded into the Conv/Gemm/MatMul it follows (which nothing else may read)", read: readBatchNorm },
  Add: { doc: "two computed tensors of the same shape (residual), or a per-channel constant bias (folded)", read: readAdd },
} satisfies Record<string, OnnxOpDef>;
