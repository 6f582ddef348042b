// Loads the ONNX protobuf subset (compiler/onnx/onnx-subset.proto) with protobufjs's runtime
// reflection. The .proto is found from the package root (the folder of rramsim's package.json),
// so it resolves the same from sources run with ts-node and from any build layout.

import * as fs from "node:fs";
import * as path from "node:path";
import * as protobuf from "protobufjs";
import { packageRoot } from "../../sim/package-root";

export { packageRoot };

let modelType: protobuf.Type | undefined;

/** protobufjs type of onnx.ModelProto (field names as in the .proto: snake_case). */
export function onnxModelType(): protobuf.Type {
  if (!modelType) {
    const text = fs.readFileSync(path.join(packageRoot(), "compiler", "onnx", "onnx-subset.proto"), "utf8");
    modelType = protobuf.parse(text, { keepCase: true }).root.lookupType("onnx.ModelProto");
  }
  return modelType;
}

// Plain-object shapes of the decoded messages (`toObject` with longs as numbers).
export interface OnnxTensor {
  dims?: number[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
  uint64_data?: number[];
  name?: string;
  raw_data?: Uint8Array;
  data_location?: number;
}

export interface OnnxAttribute {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

export interface OnnxNode {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: OnnxAttribute[];
}

export interface OnnxDim {
  dim_value?: number;
  dim_param?: string;
}

export interface OnnxValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: OnnxDim[] } } };
}

export interface OnnxGraph {
  node?: OnnxNode[];
  name?: string;
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
  value_info?: OnnxValueInfo[];
}

export interface OnnxModel {
  ir_version?: number;
  opset_import?: { domain?: string; version?: number }[];
  producer_name?: string;
  producer_version?: string;
  doc_string?: string;
  graph?: OnnxGraph;
  metadata_props?: { key?: string; value?: string }[];
}

export const ONNX_DATA_TYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
} as const;

export const ONNX_ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;
