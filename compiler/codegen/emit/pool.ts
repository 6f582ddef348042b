// The emitters of max-pooling (`vmax`) and global average pooling (`vadd` over every pixel, then
// `vreq` by 1/(H·W)), on the core that produced their input. Both reduce a window of pixels one
// run of channels at a time: the first pixel is loaded into the first operand block, every other
// into the second and combined into the first.
//
// Left out: padded max-pooling and average pooling with a window (refused with
// MODEL_UNSUPPORTED).

import type { QGlobalAvgPoolLayer, QPoolLayer } from "../../quant/quantize";
import { emit, forPixelChunks, packed, pixelIndex, unsupported, vectorCore, viewOf, type CoreState, type EmitContext, type Store } from "./context";
import { load, storeChunk } from "./sync";

/** Loads n channels at each of `starts` and reduces them with `op` into registers [0, n); the second operand is at `b`. */
function reduce(c: CoreState, s: Store, starts: number[], n: number, b: number, op: "vmax" | "vadd"): void {
  starts.forEach((at, i) => {
    if (i === 0) load(c, s, at, n, 0);
    else {
      load(c, s, at, n, b);
      emit(c, op, [0, 0, b, n]);
    }
  });
}

export function emitMaxPool(ctx: EmitContext, l: QPoolLayer): void {
  const { c, half } = vectorCore(ctx, l);
  const node = l.node;
  if (node.pads.some((p) => p !== 0)) throw unsupported(`${l.name}: padded max-pooling is not on the hardware path yet`);
  const s = viewOf(ctx, l.inputs[0]).store;
  const o = viewOf(ctx, l.output).store;
  const [kh, kw] = node.kernel;
  const [sh, sw] = node.stride;
  forPixelChunks(o, half, (oy, ox, c0, n) => {
    const starts: number[] = [];
    for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) starts.push(pixelIndex(s, oy * sh + ky, ox * sw + kx) + c0);
    reduce(c, s, starts, n, half, "vmax");
    storeChunk(ctx, c, o, pixelIndex(o, oy, ox) + c0, n, 0);
  });
}

export function emitGlobalAvgPool(ctx: EmitContext, l: QGlobalAvgPoolLayer): void {
  const { c, half } = vectorCore(ctx, l);
  const s = viewOf(ctx, l.inputs[0]).store;
  const o = viewOf(ctx, l.output).store;
  const pk = packed(l.requant, l.name);
  for (let c0 = 0; c0 < s.c; c0 += half) {
    const n = Math.min(half, s.c - c0);
    const starts: number[] = [];
    for (let y = 0; y < s.h; y++) for (let x = 0; x < s.w; x++) starts.push(pixelIndex(s, y, x) + c0);
    reduce(c, s, starts, n, half, "vadd");
    emit(c, "vreq", [0, 0, pk, n]);
    storeChunk(ctx, c, o, pixelIndex(o, 0, 0) + c0, n, 0);
  }
}
