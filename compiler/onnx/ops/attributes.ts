// Reading ONNX node attributes with the operator's default, and the sliding-window attributes
// (strides, pads, auto_pad) that Conv and the pools share, auto_pad resolved to explicit pads.
// Left out: attribute type checks (an attribute of the wrong type reads as absent), graph-valued
// and sparse-tensor attributes.

import type { OnnxAttribute } from "../proto";
import type { ImportContext, OpNode } from "./context";

export function attr(n: OpNode, name: string): OnnxAttribute | undefined {
  return (n.node.attribute ?? []).find((a) => a.name === name);
}

export function attrInt(n: OpNode, name: string, dflt: number): number {
  const a = attr(n, name);
  return a?.i !== undefined ? Number(a.i) : dflt;
}

export function attrFloat(n: OpNode, name: string, dflt: number): number {
  const a = attr(n, name);
  return a?.f !== undefined ? a.f : dflt;
}

export function attrInts(n: OpNode, name: string): number[] | undefined {
  const a = attr(n, name);
  return a?.ints ? a.ints.map(Number) : undefined;
}

export function attrString(n: OpNode, name: string, dflt: string): string {
  const a = attr(n, name);
  return a?.s ? Buffer.from(a.s).toString("utf8") : dflt;
}

/** Stride and [top, left, bottom, right] pads of a 2-D window over an NCHW input. */
export function windowAttrs(ctx: ImportContext, n: OpNode, inShape: number[], kernel: [number, number], dilation: [number, number]) {
  const strides = attrInts(n, "strides") ?? [1, 1];
  const autoPad = attrString(n, "auto_pad", "NOTSET");
  let pads = attrInts(n, "pads") ?? [0, 0, 0, 0];
  if (strides.length !== 2 || pads.length !== 4) throw ctx.unsupported(n, "only 2-D windows are supported");
  if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    pads = [0, 0, 0, 0];
    for (let a = 0; a < 2; a++) {
      const inSize = inShape[2 + a];
      const out = Math.ceil(inSize / strides[a]);
      const total = Math.max(0, (out - 1) * strides[a] + dilation[a] * (kernel[a] - 1) + 1 - inSize);
      const small = Math.floor(total / 2);
      pads[a] = autoPad === "SAME_UPPER" ? small : total - small;
      pads[a + 2] = total - pads[a];
    }
  } else if (autoPad === "VALID") {
    pads = [0, 0, 0, 0];
  } else if (autoPad !== "NOTSET") {
    throw ctx.invalid(n, `unknown auto_pad '${autoPad}'`);
  }
  return { stride: [strides[0], strides[1]] as [number, number], pads: [pads[0], pads[1], pads[2], pads[3]] as [number, number, number, number] };
}
