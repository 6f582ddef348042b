// The emitter of a standalone ReLU or Clip (a clamp to [lo, hi] in output codes), on the core that
// produced its input: `vrelu` when it is a ReLU of its input's range, else `vreq` with unit scale
// and the clamp's bounds. A ReLU that is the only reader of a dense, conv or Add output is fused
// into that layer's requantisation (compiler/quant) and never reaches this emitter.
//
// Left out: bounds that are not a vreq range (8- or 16-bit, refused with MODEL_UNSUPPORTED).

import type { QClampLayer } from "../../quant/quantize";
import { clampPacked, emit, forPixelChunks, pixelIndex, vectorCore, viewOf, type EmitContext } from "./context";
import { load, storeChunk } from "./sync";

export function emitClamp(ctx: EmitContext, l: QClampLayer): void {
  const { c } = vectorCore(ctx, l);
  const s = viewOf(ctx, l.inputs[0]).store;
  const o = viewOf(ctx, l.output).store;
  const relu = l.lo === 0 && l.hi === ctx.q.params[l.inputs[0]].hi;
  const pk = relu ? 0 : clampPacked(l.lo, l.hi, l.name);
  forPixelChunks(o, ctx.regs.elements, (y, x, c0, n) => {
    load(c, s, pixelIndex(s, y, x) + c0, n, 0);
    if (relu) emit(c, "vrelu", [0, 0, n]);
    else emit(c, "vreq", [0, 0, pk, n]);
    storeChunk(ctx, c, o, pixelIndex(o, y, x) + c0, n, 0);
  });
}
