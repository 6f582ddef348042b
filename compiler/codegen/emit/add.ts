// The emitter of a residual Add, on the core that produced its first input: per pixel and run of
// channels, each term is requantised to the output scale (`vreq` ×2, to int16), the terms are
// added (`vadd`) and the sum clamped to the output range (`vreq`; a fused ReLU is its lower
// bound).
//
// Left out: terms that could leave 16 bits after requantisation (refused with MODEL_UNSUPPORTED;
// the reference requantises each term with bounds ±2^31).

import { packRequant } from "../../../isa/vector-ops";
import type { Requant } from "../../../sim/fixed-point";
import type { QAddLayer } from "../../quant/quantize";
import { clampPacked, emit, forPixelChunks, pixelIndex, unsupported, vectorCore, viewOf, type EmitContext } from "./context";
import { load, storeChunk } from "./sync";

export function emitAdd(ctx: EmitContext, l: QAddLayer): void {
  const { c, half } = vectorCore(ctx, l);
  const sa = viewOf(ctx, l.inputs[0]).store;
  const sb = viewOf(ctx, l.inputs[1]).store;
  const o = viewOf(ctx, l.output).store;
  const inner = (r: Requant, p: { lo: number; hi: number }, what: string) => {
    // the reference requantises each term with bounds ±2^31; int16 bounds give the same value when no term can leave them
    const worst = (Math.max(Math.abs(p.lo), Math.abs(p.hi)) * r.multiplier) / 2 ** r.shift + 1;
    if (worst >= 32767) throw unsupported(`${l.name}: the ${what} term of the residual add can exceed 16 bits`);
    return packRequant({ multiplier: r.multiplier, shift: r.shift, zeroPoint: 0, range: "int16" }) | 0;
  };
  const pa = inner(l.requantA, ctx.q.params[l.inputs[0]], "first");
  const pb = inner(l.requantB, ctx.q.params[l.inputs[1]], "second");
  const clamp = clampPacked(l.lo, l.hi, l.name);
  forPixelChunks(o, half, (y, x, c0, n) => {
    load(c, sa, pixelIndex(sa, y, x) + c0, n, 0);
    load(c, sb, pixelIndex(sb, y, x) + c0, n, half);
    emit(c, "vreq", [0, 0, pa, n]);
    emit(c, "vreq", [half, half, pb, n]);
    emit(c, "vadd", [0, 0, half, n]);
    emit(c, "vreq", [0, 0, clamp, n]);
    storeChunk(ctx, c, o, pixelIndex(o, y, x) + c0, n, 0);
  });
}
