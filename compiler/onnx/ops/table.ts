// The importer's one operator table: ONNX op type → its handler, gathered from the files of this
// folder by job. `SUPPORTED_ONNX_OPS` and `isSupportedOnnxOp` are read from it, so whether an
// operator is supported is known without importing a file; adding an operator is one entry in one
// of the parts below (docs/compiler.md lists the limits).
// Left out: operator domains other than ai.onnx and per-opset entries (a handler reads `ctx.opset`).

import { ACTIVATION_OPS } from "./activations";
import { CONSTANT_OPS } from "./constants";
import type { OnnxOpDef } from "./context";
import { FOLDING_OPS } from "./folding";
import { LAYOUT_OPS } from "./layout";
import { MATRIX_OPS } from "./matrix";
import { POOLING_OPS } from "./pooling";

/** The parts of the table; an op type appears in exactly one (test/compiler/onnx.test.ts checks it). */
export const ONNX_OP_PARTS = [MATRIX_OPS, FOLDING_OPS, POOLING_OPS, ACTIVATION_OPS, LAYOUT_OPS, CONSTANT_OPS] as const;

export const ONNX_OPS = { ...MATRIX_OPS, ...FOLDING_OPS, ...POOLING_OPS, ...ACTIVATION_OPS, ...LAYOUT_OPS, ...CONSTANT_OPS } satisfies Record<string, OnnxOpDef>;

export type SupportedOnnxOp = keyof typeof ONNX_OPS;

/** ONNX operators the importer accepts, in code-point order (docs/compiler.md lists their limits). */
export const SUPPORTED_ONNX_OPS: readonly SupportedOnnxOp[] = (Object.keys(ONNX_OPS) as SupportedOnnxOp[]).sort();

export function isSupportedOnnxOp(op: string): op is SupportedOnnxOp {
  return Object.prototype.hasOwnProperty.call(ONNX_OPS, op);
}

/** The handler of `op`, or undefined when the importer does not take it. */
export function onnxOpDef(op: string): OnnxOpDef | undefined {
  return isSupportedOnnxOp(op) ? ONNX_OPS[op] : undefined;
}
