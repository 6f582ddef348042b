// What an operator handler sees of the import in progress (compiler/onnx/import.ts implements it):
// the constants known so far, the value names and shapes, and the ways to add an IR node, fold into
// the node before, or alias a value. A handler reads one ONNX node and does one of those; it never
// walks the graph itself. Errors made here name the file, the node and its operator.
// Left out: anything about graph inputs, outputs and initializers (the importer core's job).

import type { RramsimError } from "../../../sim/errors";
import type { Conv2dNode, DenseNode, ModelNode } from "../../ir/model";
import type { OnnxNode, OnnxTensor } from "../proto";

/** A tensor whose value is known at import: an initializer, a Constant node or a shape computation. */
export interface ConstTensor {
  dims: number[];
  data: Float64Array;
}

/** One ONNX node as a handler receives it; `name` is never empty (the importer names unnamed nodes). */
export interface OpNode {
  node: OnnxNode;
  op: string;
  name: string;
  ins: string[];
  outs: string[];
  /** the first output: the value the node defines */
  out: string;
}

export interface ImportContext {
  /** the version of the default (ai.onnx) operator set the file imports */
  readonly opset: number;
  /** ONNX value name → its value, for every value known at import */
  readonly consts: Map<string, ConstTensor>;
  /** `file: node 'name' (Op): why` as an INPUT_FILE error (the file is wrong) */
  invalid(n: OpNode, why: string): RramsimError;
  /** `file: node 'name' (Op): why` as a MODEL_UNSUPPORTED error (rramsim cannot take it) */
  unsupported(n: OpNode, why: string): RramsimError;
  /** decodes a tensor (a Constant node's value); `what` names it in errors */
  tensor(t: OnnxTensor, what: string): ConstTensor;
  /** the IR value an ONNX value name stands for (itself unless aliased) */
  name(v: string): string;
  /** makes ONNX value `v` another name of IR value `target` */
  alias(v: string, target: string): void;
  /** how many node inputs and graph outputs read ONNX value `v` */
  uses(v: string): number;
  /** the shape of computed input `v` (refuses constants and values no earlier node produced) */
  shapeOf(n: OpNode, v: string): number[];
  /** input `i`, which must be a constant; `what` names it in errors */
  constInput(n: OpNode, i: number, what: string): ConstTensor;
  /** input `i` if the node has it (absent or ""), which must then be a constant */
  optionalConstInput(n: OpNode, i: number, what: string): ConstTensor | undefined;
  /** appends an IR node, inferring its output shape */
  push(n: OpNode, ir: ModelNode): void;
  /** the Conv/Dense node that alone consumes `v`, for folding BatchNorm or a bias into it */
  foldableProducer(v: string): { index: number; node: DenseNode | Conv2dNode } | undefined;
  /** replaces the IR node at `index` (a fold) */
  replaceNode(index: number, ir: ModelNode): void;
}

/** The importer's entry for one ONNX operator (compiler/onnx/ops/table.ts holds them all). */
export interface OnnxOpDef {
  /** what the operator becomes and what of it is refused, in one line */
  doc: string;
  /** reads one node of this operator into the import */
  read(ctx: ImportContext, n: OpNode): void;
}
