// ONNX import: decodes a ModelProto with protobufjs (compiler/onnx/onnx-subset.proto) and builds
// the model IR. Reads initializers and Constant nodes (raw_data or the typed *_data fields),
// attributes, graph input shapes (dim_value or a dim_param, i.e. a dynamic dimension), and the
// opset differences that matter to the supported operators: Reshape's shape as an attribute
// (opset < 5) or an input; Clip's bounds as attributes (opset < 11) or inputs; Softmax's default
// axis (1 before opset 13, −1 from 13). Gemm honours transA/transB/alpha/beta. BatchNormalization
// and a constant Add after a Conv/Gemm/MatMul are folded into its weights and bias. Identity and
// Dropout are aliases at inference.
// Shape computations that exporters write for `x.view(x.size(0), -1)` (Shape, Gather, Unsqueeze,
// Squeeze, Cast, Concat on constants) are evaluated at import, since every shape is known.
// Everything else is refused with RramsimError MODEL_UNSUPPORTED naming the node and operator; a
// file that does not decode or is inconsistent gives INPUT_FILE.
// Left out: external tensor data, several graph inputs or outputs, batch > 1, operator domains
// other than ai.onnx.

import * as fs from "node:fs";
import * as path from "node:path";
import { RramsimError, isRramsimError } from "../../sim/errors";
import {
  createModel,
  foldBatchNorm,
  inferNodeShape,
  shapeSize,
  type Conv2dNode,
  type DenseNode,
  type Model,
  type ModelNode,
} from "../ir/model";
import { ONNX_DATA_TYPE, onnxModelType, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from "./proto";

/** ONNX operators the importer accepts (docs/compiler.md lists their limits). */
export const SUPPORTED_ONNX_OPS = [
  "Add",
  "AveragePool",
  "BatchNormalization",
  "Cast",
  "Clip",
  "Concat",
  "Constant",
  "Conv",
  "Dropout",
  "Flatten",
  "Gather",
  "Gemm",
  "GlobalAveragePool",
  "Identity",
  "MatMul",
  "MaxPool",
  "Relu",
  "Reshape",
  "Shape",
  "Sigmoid",
  "Softmax",
  "Squeeze",
  "Tanh",
  "Unsqueeze",
] as const;

export interface OnnxImportOptions {
  /** the input shape, replacing the file's (needed when it has dynamic dimensions other than batch) */
  inputShape?: number[];
  /** the model's name (default: the graph's name or the file's base name) */
  name?: string;
}

interface ConstTensor {
  dims: number[];
  data: Float64Array;
}

class Importer {
  private readonly consts = new Map<string, ConstTensor>();
  /** ONNX value name → IR value name (aliases for Identity/Dropout) */
  private readonly alias = new Map<string, string>();
  private readonly shapes: Record<string, number[]> = {};
  private readonly nodes: ModelNode[] = [];
  /** IR value → index of the node that produced it */
  private readonly producer = new Map<string, number>();
  /** ONNX value name → number of node inputs and graph outputs that read it */
  private readonly uses = new Map<string, number>();
  private opset = 1;

  constructor(private readonly src: string) {}

  private fail(code: "INPUT_FILE" | "MODEL_UNSUPPORTED", msg: string): RramsimError {
    return new RramsimError(code, `${this.src}: ${msg}`);
  }

  private tensor(t: OnnxTensor, what: string): ConstTensor {
    const dims = (t.dims ?? []).map(Number);
    if (dims.some((d) => !(Number.isInteger(d) && d >= 0))) throw this.fail("INPUT_FILE", `${what}: invalid dims [${dims.join(",")}]`);
    const n = shapeSize(dims);
    if (t.data_location === 1) throw this.fail("MODEL_UNSUPPORTED", `${what}: tensors with external data are not supported`);
    const type = t.data_type ?? 0;
    let data: Float64Array;
    const raw = t.raw_data;
    if (raw && raw.length > 0) {
      const bytes: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8, 12: 4, 13: 8 };
      const width = bytes[type];
      if (!width) throw this.fail("MODEL_UNSUPPORTED", `${what}: tensor data type ${type} is not supported`);
      if (raw.length !== n * width) throw this.fail("INPUT_FILE", `${what}: raw_data has ${raw.length} bytes, expected ${n}×${width}`);
      const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      data = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const o = i * width;
        switch (type) {
          case ONNX_DATA_TYPE.FLOAT: data[i] = dv.getFloat32(o, true); break;
          case ONNX_DATA_TYPE.DOUBLE: data[i] = dv.getFloat64(o, true); break;
          case ONNX_DATA_TYPE.UINT8: case ONNX_DATA_TYPE.BOOL: data[i] = dv.getUint8(o); break;
          case ONNX_DATA_TYPE.INT8: data[i] = dv.getInt8(o); break;
          case ONNX_DATA_TYPE.UINT16: data[i] = dv.getUint16(o, true); break;
          case ONNX_DATA_TYPE.INT16: data[i] = dv.getInt16(o, true); break;
          case ONNX_DATA_TYPE.INT32: data[i] = dv.getInt32(o, true); break;
          case ONNX_DATA_TYPE.UINT32: data[i] = dv.getUint32(o, true); break;
          case ONNX_DATA_TYPE.INT64: data[i] = Number(dv.getBigInt64(o, true)); break;
          case ONNX_DATA_TYPE.UINT64: data[i] = Number(dv.getBigUint64(o, true)); break;
        }
      }
    } else {
      const field =
        type === ONNX_DATA_TYPE.FLOAT ? t.float_data
        : type === ONNX_DATA_TYPE.DOUBLE ? t.double_data
        : type === ONNX_DATA_TYPE.INT64 ? t.int64_data
        : type === ONNX_DATA_TYPE.UINT32 || type === ONNX_DATA_TYPE.UINT64 ? t.uint64_data
        : [2, 3, 4, 5, 6, 9].includes(type) ? t.int32_data
        : undefined;
      if (field === undefined && type !== 0) throw this.fail("MODEL_UNSUPPORTED", `${what}: tensor data type ${type} is not supported`);
      const values = field ?? [];
      if (values.length !== n) throw this.fail("INPUT_FILE", `${what}: holds ${values.length} values, dims [${dims.join(",")}] need ${n}`);
      data = Float64Array.from(values, Number);
    }
    return { dims, data };
  }

  private name(v: string): string {
    return this.alias.get(v) ?? v;
  }

  private shapeOf(node: OnnxNode, v: string): number[] {
    const s = this.shapes[this.name(v)];
    if (!s) {
      if (this.consts.has(v)) throw this.fail("MODEL_UNSUPPORTED", `node '${node.name}' (${node.op_type}): input '${v}' is a constant where a computed tensor is expected`);
      throw this.fail("INPUT_FILE", `node '${node.name}' (${node.op_type}): input '${v}' is not produced by an earlier node`);
    }
    return s;
  }

  private constInput(node: OnnxNode, i: number, what: string, optional = false): ConstTensor | undefined {
    const v = (node.input ?? [])[i];
    if (v === undefined || v === "") {
      if (optional) return undefined;
      throw this.fail("INPUT_FILE", `node '${node.name}' (${node.op_type}): missing input ${i} (${what})`);
    }
    const c = this.consts.get(v);
    if (!c) throw this.fail("MODEL_UNSUPPORTED", `node '${node.name}' (${node.op_type}): ${what} '${v}' must be a constant (initializer or Constant node)`);
    return c;
  }

  private attr(node: OnnxNode, name: string): OnnxAttribute | undefined {
    return (node.attribute ?? []).find((a) => a.name === name);
  }

  private attrInt(node: OnnxNode, name: string, dflt: number): number {
    const a = this.attr(node, name);
    return a?.i !== undefined ? Number(a.i) : dflt;
  }

  private attrFloat(node: OnnxNode, name: string, dflt: number): number {
    const a = this.attr(node, name);
    return a?.f !== undefined ? a.f : dflt;
  }

  private attrInts(node: OnnxNode, name: string): number[] | undefined {
    const a = this.attr(node, name);
    return a?.ints ? a.ints.map(Number) : undefined;
  }

  private attrString(node: OnnxNode, name: string, dflt: string): string {
    const a = this.attr(node, name);
    return a?.s ? Buffer.from(a.s).toString("utf8") : dflt;
  }

  private push(node: OnnxNode, ir: ModelNode): void {
    let shape: number[];
    try {
      shape = inferNodeShape(ir, ir.inputs.map((v) => this.shapes[v]));
    } catch (e) {
      if (isRramsimError(e)) throw this.fail("INPUT_FILE", `node '${node.name}' (${node.op_type}): ${e.message.replace(/^node '[^']*' \([^)]*\): /, "")}`);
      throw e;
    }
    if (ir.output in this.shapes) throw this.fail("INPUT_FILE", `node '${node.name}' (${node.op_type}): value '${ir.output}' is written twice`);
    this.shapes[ir.output] = shape;
    this.producer.set(ir.output, this.nodes.length);
    this.nodes.push(ir);
  }

  /** The Conv/Dense node that alone consumes `v`, for folding BatchNorm or a bias into it. */
  private foldableProducer(v: string): { index: number; node: DenseNode | Conv2dNode } | undefined {
    const index = this.producer.get(this.name(v));
    if (index === undefined || (this.uses.get(v) ?? 0) !== 1) return undefined;
    const node = this.nodes[index];
    return node.kind === "dense" || node.kind === "conv2d" ? { index, node } : undefined;
  }

  private windowAttrs(node: OnnxNode, inShape: number[], kernel: [number, number], dilation: [number, number]) {
    const strides = this.attrInts(node, "strides") ?? [1, 1];
    const autoPad = this.attrString(node, "auto_pad", "NOTSET");
    let pads = this.attrInts(node, "pads") ?? [0, 0, 0, 0];
    if (strides.length !== 2 || pads.length !== 4) throw this.fail("MODEL_UNSUPPORTED", `node '${node.name}' (${node.op_type}): only 2-D windows are supported`);
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
      throw this.fail("INPUT_FILE", `node '${node.name}' (${node.op_type}): unknown auto_pad '${autoPad}'`);
    }
    return { stride: [strides[0], strides[1]] as [number, number], pads: [pads[0], pads[1], pads[2], pads[3]] as [number, number, number, number] };
  }

  private node(node: OnnxNode): void {
    const op = node.op_type ?? "";
    const ins = node.input ?? [];
    const outs = node.output ?? [];
    const name = node.name ?? "";
    const out = outs[0];
    if (out === undefined) throw this.fail("INPUT_FILE", `node '${name}' (${op}): has no output`);
    const base = { name, output: out };
    const unsupported = (why: string) => this.fail("MODEL_UNSUPPORTED", `node '${name}' (${op}): ${why}`);
    if (node.domain && node.domain !== "ai.onnx") {
      throw unsupported(`operator domain '${node.domain}' is not supported (only the default ai.onnx domain)`);
    }
    switch (op) {
      case "Constant": {
        const a = (node.attribute ?? [])[0];
        if (!a) throw this.fail("INPUT_FILE", `node '${name}' (Constant): has no value attribute`);
        let c: ConstTensor;
        if (a.name === "value" && a.t) c = this.tensor(a.t, `node '${name}' (Constant)`);
        else if (a.name === "value_float" && a.f !== undefined) c = { dims: [], data: Float64Array.of(a.f) };
        else if (a.name === "value_int" && a.i !== undefined) c = { dims: [], data: Float64Array.of(Number(a.i)) };
        else if (a.name === "value_floats" && a.floats) c = { dims: [a.floats.length], data: Float64Array.from(a.floats) };
        else if (a.name === "value_ints" && a.ints) c = { dims: [a.ints.length], data: Float64Array.from(a.ints, Number) };
        else throw unsupported(`constant attribute '${a.name}' is not supported`);
        this.consts.set(out, c);
        return;
      }
      case "Identity":
      case "Dropout": {
        if (outs.length > 1 && outs[1] !== "" && (this.uses.get(outs[1]) ?? 0) > 0) throw unsupported("the dropout mask output is not supported");
        const c = this.consts.get(ins[0]);
        if (c) {
          this.consts.set(out, c);
          return;
        }
        this.shapeOf(node, ins[0]);
        this.alias.set(out, this.name(ins[0]));
        return;
      }
      case "Conv": {
        const x = this.shapeOf(node, ins[0]);
        const w = this.constInput(node, 1, "weight") as ConstTensor;
        const b = this.constInput(node, 2, "bias", true);
        if (w.dims.length !== 4) throw unsupported(`only 2-D convolutions are supported (weight dims [${w.dims.join(",")}])`);
        const kernel: [number, number] = [w.dims[2], w.dims[3]];
        const ks = this.attrInts(node, "kernel_shape");
        if (ks && (ks[0] !== kernel[0] || ks[1] !== kernel[1])) throw this.fail("INPUT_FILE", `node '${name}' (Conv): kernel_shape [${ks.join(",")}] disagrees with weight dims [${w.dims.join(",")}]`);
        const d = this.attrInts(node, "dilations") ?? [1, 1];
        const dilation: [number, number] = [d[0], d[1]];
        const groups = this.attrInt(node, "group", 1);
        this.push(node, {
          kind: "conv2d",
          ...base,
          inputs: [this.name(ins[0])],
          inChannels: x[1],
          outChannels: w.dims[0],
          kernel,
          ...this.windowAttrs(node, x, kernel, dilation),
          dilation,
          groups,
          weight: Float32Array.from(w.data),
          bias: b ? Float32Array.from(b.data) : new Float32Array(w.dims[0]),
        });
        return;
      }
      case "Gemm":
      case "MatMul": {
        const x = this.shapeOf(node, ins[0]);
        const B = this.constInput(node, 1, "B") as ConstTensor;
        const transA = op === "Gemm" ? this.attrInt(node, "transA", 0) : 0;
        const transB = op === "Gemm" ? this.attrInt(node, "transB", 0) : 0;
        const alpha = op === "Gemm" ? this.attrFloat(node, "alpha", 1) : 1;
        const beta = op === "Gemm" ? this.attrFloat(node, "beta", 1) : 1;
        if (x.length !== 2 || B.dims.length !== 2) throw unsupported(`needs a 2-D input and a 2-D weight (got [${x.join(",")}] and [${B.dims.join(",")}])`);
        const k = transA ? x[0] : x[1];
        if (transA && x[1] !== 1) throw unsupported("transA with a batch other than 1 is not supported");
        const [bk, bn] = transB ? [B.dims[1], B.dims[0]] : B.dims;
        if (bk !== k) throw this.fail("INPUT_FILE", `node '${name}' (${op}): input has ${k} features, weight dims [${B.dims.join(",")}]${transB ? " (transB)" : ""}`);
        const weight = new Float32Array(bn * k);
        for (let n = 0; n < bn; n++) for (let i = 0; i < k; i++) weight[n * k + i] = alpha * (transB ? B.data[n * k + i] : B.data[i * bn + n]);
        const bias = new Float32Array(bn);
        const C = op === "Gemm" ? this.constInput(node, 2, "C", true) : undefined;
        if (C) {
          const cn = C.data.length;
          if (!(cn === 1 || cn === bn)) throw unsupported(`bias C with dims [${C.dims.join(",")}] does not broadcast to [1,${bn}]`);
          for (let n = 0; n < bn; n++) bias[n] = beta * C.data[cn === 1 ? 0 : n];
        }
        let input = this.name(ins[0]);
        if (transA) {
          const flat = `${out}::transA`;
          this.push(node, { kind: "reshape", name: `${name}/transA`, inputs: [input], output: flat, shape: [1, k] });
          input = flat;
        }
        this.push(node, { kind: "dense", ...base, inputs: [input], inFeatures: k, outFeatures: bn, weight, bias });
        return;
      }
      case "BatchNormalization": {
        const p = this.foldableProducer(ins[0]);
        if (!p) throw unsupported("BatchNormalization is supported only directly after a Conv, Gemm or MatMul whose output nothing else reads");
        if (outs.length > 1 && outs.slice(1).some((o) => o !== "")) throw unsupported("training-mode outputs (running mean/var) are not supported");
        const get = (i: number, what: string) => (this.constInput(node, i, what) as ConstTensor).data;
        const folded = foldBatchNorm(p.node, { scale: get(1, "scale"), bias: get(2, "B"), mean: get(3, "mean"), variance: get(4, "var"), epsilon: this.attrFloat(node, "epsilon", 1e-5) });
        this.alias.set(out, p.node.output);
        this.nodes[p.index] = folded;
        return;
      }
      case "Add": {
        const cIndex = this.consts.has(ins[0]) ? 0 : this.consts.has(ins[1]) ? 1 : -1;
        if (cIndex >= 0) {
          const c = this.consts.get(ins[cIndex]) as ConstTensor;
          const other = ins[1 - cIndex];
          const p = this.foldableProducer(other);
          const n = p ? (p.node.kind === "dense" ? p.node.outFeatures : p.node.outChannels) : 0;
          const perChannel = p && (c.data.length === 1 || (c.data.length === n && (p.node.kind === "dense" || c.dims.length !== 1 || n === 1)));
          if (!p || !perChannel) throw unsupported("adding a constant is supported only as a per-channel bias right after a Conv, Gemm or MatMul");
          const bias = Float32Array.from(p.node.bias, (b, i) => b + c.data[c.data.length === 1 ? 0 : i]);
          this.nodes[p.index] = { ...p.node, bias };
          this.alias.set(out, p.node.output);
          return;
        }
        this.shapeOf(node, ins[0]);
        this.shapeOf(node, ins[1]);
        this.push(node, { kind: "add", ...base, inputs: [this.name(ins[0]), this.name(ins[1])] });
        return;
      }
      case "Relu":
      case "Sigmoid":
      case "Tanh":
        this.shapeOf(node, ins[0]);
        this.push(node, { kind: op === "Relu" ? "relu" : op === "Sigmoid" ? "sigmoid" : "tanh", ...base, inputs: [this.name(ins[0])] });
        return;
      case "Clip": {
        this.shapeOf(node, ins[0]);
        let min = -Infinity;
        let max = Infinity;
        if (this.opset < 11) {
          min = this.attrFloat(node, "min", -Infinity);
          max = this.attrFloat(node, "max", Infinity);
        } else {
          const lo = this.constInput(node, 1, "min", true);
          const hi = this.constInput(node, 2, "max", true);
          if (lo) min = lo.data[0];
          if (hi) max = hi.data[0];
        }
        if (!(min <= max)) throw this.fail("INPUT_FILE", `node '${name}' (Clip): min ${min} > max ${max}`);
        this.push(node, { kind: "clip", ...base, inputs: [this.name(ins[0])], min, max });
        return;
      }
      case "Softmax": {
        const x = this.shapeOf(node, ins[0]);
        const axis = this.attrInt(node, "axis", this.opset < 13 ? 1 : -1);
        const norm = axis < 0 ? axis + x.length : axis;
        if (x.length !== 2 || norm !== 1) throw unsupported(`softmax is supported over the last axis of a [1,F] tensor only (input [${x.join(",")}], axis ${axis})`);
        this.push(node, { kind: "softmax", ...base, inputs: [this.name(ins[0])] });
        return;
      }
      case "Flatten": {
        const x = this.shapeOf(node, ins[0]);
        const a = this.attrInt(node, "axis", 1);
        const axis = a < 0 ? a + x.length : a;
        if (!(axis >= 0 && axis <= x.length)) throw this.fail("INPUT_FILE", `node '${name}' (Flatten): axis ${a} out of range for [${x.join(",")}]`);
        const outer = shapeSize(x.slice(0, axis));
        this.push(node, { kind: "reshape", ...base, inputs: [this.name(ins[0])], shape: axis === 0 ? [1, shapeSize(x)] : [outer, shapeSize(x.slice(axis))] });
        return;
      }
      case "Reshape": {
        const x = this.shapeOf(node, ins[0]);
        const target = this.opset < 5 ? this.attrInts(node, "shape") : Array.from((this.constInput(node, 1, "shape") as ConstTensor).data);
        if (!target) throw this.fail("INPUT_FILE", `node '${name}' (Reshape): no shape attribute`);
        const allowZero = this.attrInt(node, "allowzero", 0);
        const shape = target.map((d, i) => (d === 0 && !allowZero ? x[i] : d));
        const unknown = shape.indexOf(-1);
        if (unknown >= 0) {
          const known = shape.reduce((a, d, i) => (i === unknown ? a : a * d), 1);
          shape[unknown] = known > 0 ? shapeSize(x) / known : NaN;
        }
        if (shape.some((d) => !(Number.isInteger(d) && d >= 0))) throw this.fail("INPUT_FILE", `node '${name}' (Reshape): cannot reshape [${x.join(",")}] to [${target.join(",")}]`);
        this.push(node, { kind: "reshape", ...base, inputs: [this.name(ins[0])], shape });
        return;
      }
      case "MaxPool":
      case "AveragePool": {
        const x = this.shapeOf(node, ins[0]);
        if (op === "MaxPool" && outs.length > 1 && outs[1] !== "") throw unsupported("the Indices output is not supported");
        if (this.attrInt(node, "ceil_mode", 0) !== 0) throw unsupported("ceil_mode = 1 is not supported");
        const dil = this.attrInts(node, "dilations");
        if (dil && dil.some((d) => d !== 1)) throw unsupported("dilated pooling is not supported");
        const ks = this.attrInts(node, "kernel_shape");
        if (!ks || ks.length !== 2) throw unsupported("only 2-D pooling with a kernel_shape is supported");
        const kernel: [number, number] = [ks[0], ks[1]];
        this.push(node, {
          kind: op === "MaxPool" ? "maxPool" : "avgPool",
          ...base,
          inputs: [this.name(ins[0])],
          kernel,
          ...this.windowAttrs(node, x, kernel, [1, 1]),
          countIncludePad: this.attrInt(node, "count_include_pad", 0) !== 0,
        });
        return;
      }
      case "GlobalAveragePool":
        this.shapeOf(node, ins[0]);
        this.push(node, { kind: "globalAvgPool", ...base, inputs: [this.name(ins[0])] });
        return;
      case "Shape": {
        const c = this.consts.get(ins[0]);
        const dims = c ? c.dims : this.shapeOf(node, ins[0]);
        const rank = dims.length;
        const norm = (v: number) => Math.min(rank, Math.max(0, v < 0 ? v + rank : v));
        const start = norm(this.attrInt(node, "start", 0));
        const end = norm(this.attrInt(node, "end", rank));
        const picked = dims.slice(start, end);
        this.consts.set(out, { dims: [picked.length], data: Float64Array.from(picked) });
        return;
      }
      case "Gather":
      case "Unsqueeze":
      case "Squeeze":
      case "Cast": {
        const c = this.consts.get(ins[0]);
        if (!c) throw unsupported(`${op} is supported only on constants (shape computations), not on computed tensors`);
        if (op === "Cast") {
          const to = this.attrInt(node, "to", ONNX_DATA_TYPE.FLOAT);
          const integer = [2, 3, 4, 5, 6, 7, 9, 12, 13].includes(to);
          this.consts.set(out, { dims: c.dims, data: integer ? c.data.map(Math.trunc) : Float64Array.from(c.data) });
        } else if (op === "Gather") {
          const idx = this.constInput(node, 1, "indices") as ConstTensor;
          if (c.dims.length !== 1 || this.attrInt(node, "axis", 0) !== 0) throw unsupported("Gather is supported on 1-D constants along axis 0 only");
          const n = c.dims[0];
          const data = Float64Array.from(idx.data, (i) => c.data[i < 0 ? i + n : i]);
          if (data.some((v) => v === undefined || Number.isNaN(v))) throw this.fail("INPUT_FILE", `node '${name}' (Gather): index out of range`);
          this.consts.set(out, { dims: idx.dims, data });
        } else {
          const axesIn = this.opset >= 13 ? this.constInput(node, 1, "axes", true) : undefined;
          const axes = axesIn ? Array.from(axesIn.data) : (this.attrInts(node, "axes") ?? []);
          let dims = [...c.dims];
          if (op === "Unsqueeze") {
            const rank = dims.length + axes.length;
            for (const a of axes.map((v) => (v < 0 ? v + rank : v)).sort((p, q) => p - q)) dims.splice(a, 0, 1);
          } else {
            const drop = new Set(axes.length ? axes.map((v) => (v < 0 ? v + dims.length : v)) : dims.flatMap((d, i) => (d === 1 ? [i] : [])));
            dims = dims.filter((_, i) => !drop.has(i));
          }
          this.consts.set(out, { dims, data: c.data });
        }
        return;
      }
      case "Concat": {
        if (ins.length > 0 && ins.every((v) => this.consts.has(v))) {
          const parts = ins.map((v) => this.consts.get(v) as ConstTensor);
          if (parts.some((p) => p.dims.length !== 1)) throw unsupported("Concat of constants is supported for 1-D constants (shape vectors) only");
          const data = Float64Array.from(parts.flatMap((p) => Array.from(p.data)));
          this.consts.set(out, { dims: [data.length], data });
          return;
        }
        const x = this.shapeOf(node, ins[0]);
        for (const v of ins) this.shapeOf(node, v);
        const a = this.attr(node, "axis");
        if (a?.i === undefined) throw this.fail("INPUT_FILE", `node '${name}' (Concat): missing axis attribute`);
        const axis = Number(a.i) < 0 ? Number(a.i) + x.length : Number(a.i);
        this.push(node, { kind: "concat", ...base, inputs: ins.map((v) => this.name(v)), axis });
        return;
      }
      default:
        throw unsupported(`operator '${op}' is not supported (supported: ${SUPPORTED_ONNX_OPS.join(", ")})`);
    }
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
    for (const n of g.node) for (const v of n.input ?? []) this.uses.set(v, (this.uses.get(v) ?? 0) + 1);
    this.uses.set(outputs[0].name, (this.uses.get(outputs[0].name) ?? 0) + 1);
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
