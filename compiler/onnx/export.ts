// ONNX export of the model IR (opset 13, IR version 7): every IR node becomes one standard
// operator (dense → Gemm with transB = 1, conv2d → Conv, reshape → Reshape with a shape
// initializer, clip → Clip with min/max initializers, ...); weights are float32 raw_data.
// The zoo's trained networks are saved with it; importing the file gives back the same IR.

import { writeFileAtomic } from "../../sim/files";
import { RramsimError } from "../../sim/errors";
import type { Model, ModelNode } from "../ir/model";
import { ONNX_ATTRIBUTE_TYPE, ONNX_DATA_TYPE, onnxModelType, type OnnxAttribute, type OnnxModel, type OnnxNode, type OnnxTensor } from "./proto";

export const ONNX_EXPORT_OPSET = 13;

function floatTensor(name: string, dims: number[], data: ArrayLike<number>): OnnxTensor {
  const f = Float32Array.from(data);
  return { name, dims, data_type: ONNX_DATA_TYPE.FLOAT, raw_data: new Uint8Array(f.buffer, f.byteOffset, f.byteLength) };
}

function int64Tensor(name: string, data: number[]): OnnxTensor {
  return { name, dims: [data.length], data_type: ONNX_DATA_TYPE.INT64, int64_data: data };
}

const ints = (name: string, v: number[]): OnnxAttribute => ({ name, type: ONNX_ATTRIBUTE_TYPE.INTS, ints: v });
const int = (name: string, v: number): OnnxAttribute => ({ name, type: ONNX_ATTRIBUTE_TYPE.INT, i: v });

function valueInfo(name: string, shape: number[]) {
  return { name, type: { tensor_type: { elem_type: ONNX_DATA_TYPE.FLOAT, shape: { dim: shape.map((d) => ({ dim_value: d })) } } } };
}

function convert(node: ModelNode, init: OnnxTensor[]): OnnxNode {
  const io = { name: node.name, input: [...node.inputs], output: [node.output] };
  switch (node.kind) {
    case "dense":
      init.push(floatTensor(`${node.name}.weight`, [node.outFeatures, node.inFeatures], node.weight), floatTensor(`${node.name}.bias`, [node.outFeatures], node.bias));
      return { ...io, op_type: "Gemm", input: [node.inputs[0], `${node.name}.weight`, `${node.name}.bias`], attribute: [int("transB", 1)] };
    case "conv2d":
      init.push(floatTensor(`${node.name}.weight`, [node.outChannels, node.inChannels / node.groups, ...node.kernel], node.weight), floatTensor(`${node.name}.bias`, [node.outChannels], node.bias));
      return {
        ...io,
        op_type: "Conv",
        input: [node.inputs[0], `${node.name}.weight`, `${node.name}.bias`],
        attribute: [ints("kernel_shape", node.kernel), ints("strides", node.stride), ints("pads", node.pads), ints("dilations", node.dilation), int("group", node.groups)],
      };
    case "maxPool":
    case "avgPool":
      return {
        ...io,
        op_type: node.kind === "maxPool" ? "MaxPool" : "AveragePool",
        attribute: [ints("kernel_shape", node.kernel), ints("strides", node.stride), ints("pads", node.pads), ...(node.kind === "avgPool" ? [int("count_include_pad", node.countIncludePad ? 1 : 0)] : [])],
      };
    case "globalAvgPool":
      return { ...io, op_type: "GlobalAveragePool" };
    case "relu":
      return { ...io, op_type: "Relu" };
    case "sigmoid":
      return { ...io, op_type: "Sigmoid" };
    case "tanh":
      return { ...io, op_type: "Tanh" };
    case "softmax":
      return { ...io, op_type: "Softmax", attribute: [int("axis", -1)] };
    case "clip": {
      const lo = Number.isFinite(node.min) ? `${node.name}.min` : "";
      const hi = Number.isFinite(node.max) ? `${node.name}.max` : "";
      if (lo) init.push(floatTensor(lo, [], [node.min]));
      if (hi) init.push(floatTensor(hi, [], [node.max]));
      return { ...io, op_type: "Clip", input: [node.inputs[0], lo, hi] };
    }
    case "reshape":
      init.push(int64Tensor(`${node.name}.shape`, node.shape));
      return { ...io, op_type: "Reshape", input: [node.inputs[0], `${node.name}.shape`] };
    case "add":
      return { ...io, op_type: "Add" };
    case "concat":
      return { ...io, op_type: "Concat", attribute: [int("axis", node.axis)] };
  }
}

/** Encodes a model as ONNX bytes. */
export function modelToOnnx(model: Model, docString = ""): Uint8Array {
  const init: OnnxTensor[] = [];
  const nodes = model.nodes.map((n) => convert(n, init));
  const m: OnnxModel = {
    ir_version: 7,
    opset_import: [{ domain: "", version: ONNX_EXPORT_OPSET }],
    producer_name: "rramsim",
    doc_string: docString,
    graph: {
      name: model.name,
      node: nodes,
      initializer: init,
      input: [valueInfo(model.input.name, model.input.shape)],
      output: [valueInfo(model.output, model.shapes[model.output])],
    },
  };
  const type = onnxModelType();
  const err = type.verify(m);
  if (err) throw new RramsimError("SIM_STATE", `ONNX export of '${model.name}': ${err}`);
  return type.encode(type.fromObject(m)).finish();
}

/** Writes a model as an ONNX file (atomically). */
export function saveOnnxFile(model: Model, file: string, docString = ""): void {
  writeFileAtomic(file, modelToOnnx(model, docString));
}
