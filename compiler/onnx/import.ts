// ONNX import: decodes a ModelProto with protobufjs (compiler/onnx/onnx-subset.proto) and builds
// the model IR. This file is the importer's core: the opset, the initializers (decoded by
// compiler/onnx/tensor.ts), the graph input's shape (dim_value, or a dim_param: a dynamic
// dimension), the walk over the nodes in order, and the context the operator handlers read and
// extend. Each operator is one entry of the table in compiler/onnx/ops/table.ts; the files beside
// it say what each becomes (Conv/Gemm/MatMul layers, BatchNormalization and constant Adds folded
// into them, aliases, shape computations evaluated at import, ...). An operator not in the table,
// or one its handler refuses, gives RramsimError MODEL_UNSUPPORTED naming the node and operator; a
// file that does not decode or is inconsistent gives INPUT_FILE.
// Left out: external tensor data, several graph inputs or outputs, batch > 1, operator domains
// other than ai.onnx.

import * as fs from "node:fs";
import * as path from "node:path";
import { RramsimError, isRramsimError } from "../../sim/errors";
import { createModel, inferNodeShape, type Conv2dNode, type DenseNode, type Model, type ModelNode } from "../ir/model";
import type { ConstTensor, ImportContext, OpNode } from "./ops/context";
import { SUPPORTED_ONNX_OPS, onnxOpDef } from "./ops/table";
import { ONNX_DATA_TYPE, onnxModelType, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from "./proto";
import { decodeTensor } from "./tensor";

export { SUPPORTED_ONNX_OPS, isSupportedOnnxOp, type SupportedOnnxOp } from "./ops/table";

export interface OnnxImportOptions {
  /** the input shape, replacing the file's (needed when it has dynamic dimensions other than batch) */
  inputShape?: number[];
  /** the model's name (default: the graph's name or the file's base name) */
  name?: string;
}

class Importer implements ImportContext {
  readonly consts = new Map<string, ConstTensor>();
  /** ONNX value name → IR value name (aliases for Identity/Dropout and folded nodes) */
  private readonly aliases = new Map<string, string>();
  private readonly shapes: Record<string, number[]> = {};
  private readonly nodes: ModelNode[] = [];
  /** IR value → index of the node that produced it */
  private readonly producer = new Map<string, number>();
  /** ONNX value name → number of node inputs and graph outputs that read it */
  private readonly readers = new Map<string, number>();
  opset = 1;

  constructor(private readonly src: string) {}

  fail(code: "INPUT_FILE" | "MODEL_UNSUPPORTED", msg: string): RramsimError {
    return new RramsimError(code, `${this.src}: ${msg}`);
  }

  invalid(n: OpNode, why: string): RramsimError {
    return this.fail("INPUT_FILE", `node '${n.name}' (${n.op}): ${why}`);
  }

  unsupported(n: OpNode, why: string): RramsimError {
    return this.fail("MODEL_UNSUPPORTED", `node '${n.name}' (${n.op}): ${why}`);
  }

  tensor(t: OnnxTensor, what: string): ConstTensor {
    return decodeTensor(t, what, (code, msg) => this.fail(code, msg));
  }

  name(v: string): string {
    return this.aliases.get(v) ?? v;
  }

  alias(v: string, target: string): void {
    this.aliases.set(v, target);
  }

  uses(v: string): number {
    return this.readers.get(v) ?? 0;
  }

  shapeOf(n: OpNode, v: string): number[] {
    const s = this.shapes[this.name(v)];
    if (!s) {
      if (this.consts.has(v)) throw this.unsupported(n, `input '${v}' is a constant where a computed tensor is expected`);
      throw this.invalid(n, `input '${v}' is not produced by an earlier node`);
    }
    return s;
  }

  optionalConstInput(n: OpNode, i: number, what: string): ConstTensor | undefined {
    const v = n.ins[i];
    if (v === undefined || v === "") return undefined;
    return this.constInput(n, i, what);
  }

  constInput(n: OpNode, i: number, what: string): ConstTensor {
    const v = n.ins[i];
    if (v === undefined || v === "") throw this.invalid(n, `missing input ${i} (${what})`);
    const c = this.consts.get(v);
    if (!c) throw this.unsupported(n, `${what} '${v}' must be a constant (initializer or Constant node)`);
    return c;
  }

  push(n: OpNode, ir: ModelNode): void {
    let shape: number[];
    try {
      shape = inferNodeShape(
        ir,
        ir.inputs.map((v) => this.shapes[v]),
      );
    } catch (e) {
      if (isRramsimError(e)) throw this.invalid(n, e.message.replace(/^node '[^']*' \([^)]*\): /, ""));
      throw e;
    }
    if (ir.output in this.shapes) throw this.invalid(n, `value '${ir.output}' is written twice`);
    this.shapes[ir.output] = shape;
    this.producer.set(ir.output, this.nodes.length);
    this.nodes.push(ir);
  }

  foldableProducer(v: string): { index: number; node: DenseNode | Conv2dNode } | undefined {
    const index = this.producer.get(this.name(v));
    if (index === undefined || this.uses(v) !== 1) return undefined;
    const node = this.nodes[index];
    return node.kind === "dense" || node.kind === "conv2d" ? { index, node } : undefined;
  }

  replaceNode(index: number, ir: ModelNode): void {
    this.nodes[index] = ir;
  }

  private node(node: OnnxNode): void {
    const outs = node.output ?? [];
    const n: OpNode = { node, op: node.op_type ?? "", name: node.name ?? "", ins: node.input ?? [], outs, out: outs[0] };
    if (n.out === undefined) throw this.invalid(n, "has no output");
    if (node.domain && node.domain !== "ai.onnx") {
      throw this.unsupported(n, `operator domain '${node.domain}' is not supported (only the default ai.onnx domain)`);
    }
    const def = onnxOpDef(n.op);
    if (!def) throw this.unsupported(n, `operator '${n.op}' is not supported (supported: ${SUPPORTED_ONNX_OPS.join(", ")})`);
    def.read(this, n);
  }

  private inputShape(vi: OnnxValueInfo, override: number[] | undefined): number[] {
    const tt = vi.type?.tensor_type;
    if (tt?.elem_type !== undefined && tt.elem_type !== ONNX_DATA_TYPE.FLOAT) {
      throw this.fail("MODEL_UNSUPPORTED", `input '${vi.name}': element type ${tt.elem_type} is not supported (float only)`);
    }
    const dims = tt?.shape?.dim ?? [];
    if (override) {
      if (dims.length > 0 && dims.length !== override.length) throw new RramsimError("CLI_ARGUMENT", `inputShape [${override.join(",")}]: the model's input '${vi.name}' has ${dims.length} dimensions`);
      dims.forEach((d, i) => {
        if (d.dim_value !== undefined && Number(d.dim_value) > 0 && Number(d.dim_value) !== override[i]) {
          throw new RramsimError("CLI_ARGUMENT", `inputShape [${override.join(",")}]: dimension ${i} of input '${vi.name}' is fixed at ${d.dim_value}`);
        }
      });
      return [...override];
    }
    if (dims.length === 0) throw this.fail("MODEL_UNSUPPORTED", `input '${vi.name}' has no shape; pass inputShape`);
    return dims.map((d, i) => {
      if (d.dim_value !== undefined && Number(d.dim_value) > 0) return Number(d.dim_value);
      if (i === 0) return 1;
      throw this.fail("MODEL_UNSUPPORTED", `input '${vi.name}': dimension ${i} is dynamic${d.dim_param ? ` ('${d.dim_param}')` : ""}; pass inputShape`);
    });
  }

  run(m: OnnxModel, opts: OnnxImportOptions): Model {
    const g = m.graph;
    if (!g || !g.node || g.node.length === 0) throw this.fail("INPUT_FILE", "no graph with nodes (not an ONNX model?)");
    const opsets = (m.opset_import ?? []).filter((o) => !o.domain || o.domain === "ai.onnx");
    if (opsets.length === 0) throw this.fail("INPUT_FILE", "no opset_import for the default ai.onnx domain");
    this.opset = Number(opsets[0].version ?? 1);
    for (const t of g.initializer ?? []) {
      if (!t.name) throw this.fail("INPUT_FILE", "an initializer has no name");
      this.consts.set(t.name, this.tensor(t, `initializer '${t.name}'`));
    }
    const inputs = (g.input ?? []).filter((vi) => vi.name && !this.consts.has(vi.name));
    if (inputs.length !== 1) throw this.fail("MODEL_UNSUPPORTED", `the graph has ${inputs.length} inputs besides initializers; exactly one is supported`);
    const outputs = g.output ?? [];
    if (outputs.length !== 1 || !outputs[0].name) throw this.fail("MODEL_UNSUPPORTED", `the graph has ${outputs.length} outputs; exactly one is supported`);
    for (const n of g.node) for (const v of n.input ?? []) this.readers.set(v, this.uses(v) + 1);
    this.readers.set(outputs[0].name, this.uses(outputs[0].name) + 1);
    const input = { name: inputs[0].name as string, shape: this.inputShape(inputs[0], opts.inputShape) };
    if (input.shape.length < 2 || input.shape[0] !== 1 || input.shape.some((d) => !(Number.isInteger(d) && d >= 1))) {
      throw new RramsimError("CLI_ARGUMENT", `${this.src}: input shape [${input.shape.join(",")}] must be fixed with batch 1`);
    }
    this.shapes[input.name] = input.shape;
    g.node.forEach((n, i) => {
      if (!n.name) n.name = `${n.op_type ?? "node"}_${i}`;
      this.node(n);
    });
    const output = this.name(outputs[0].name);
    if (!(output in this.shapes)) throw this.fail("INPUT_FILE", `output '${outputs[0].name}' is not computed by the graph`);
    try {
      return createModel({ name: opts.name ?? (g.name || "onnx-model"), input, output, nodes: this.nodes });
    } catch (e) {
      if (isRramsimError(e)) throw this.fail("INPUT_FILE", e.message);
      throw e;
    }
  }
}

/** Decodes ONNX bytes into the model IR. `source` names the file in error messages. */
export function importOnnx(bytes: Uint8Array, opts: OnnxImportOptions = {}, source = "model.onnx"): Model {
  const type = onnxModelType();
  let decoded: OnnxModel;
  try {
    decoded = type.toObject(type.decode(bytes), { longs: Number, arrays: false, defaults: false }) as OnnxModel;
  } catch (e) {
    throw new RramsimError("INPUT_FILE", `${source}: not a valid ONNX file (${(e as Error).message})`);
  }
  return new Importer(source).run(decoded, opts);
}

/** Reads and imports an ONNX file. */
export function loadOnnxFile(file: string, opts: OnnxImportOptions = {}): Model {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new RramsimError("INPUT_FILE", `${file}: cannot read (${(e as Error).message})`);
  }
  return importOnnx(bytes, { name: path.basename(file, ".onnx"), ...opts }, file);
}
