// Decoding an ONNX TensorProto into float64 values: raw_data (little-endian, every numeric type
// but float16/bfloat16) or the typed *_data fields. Used for initializers and Constant nodes.
// Left out: external data, float16/bfloat16, strings, complex numbers, segments.

import type { RramsimError } from "../../sim/errors";
import { shapeSize } from "../ir/model";
import type { ConstTensor } from "./ops/context";
import { ONNX_DATA_TYPE, type OnnxTensor } from "./proto";

/** Bytes per element of the raw_data types read. */
const RAW_WIDTH: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8, 12: 4, 13: 8 };

/** `t`'s dims and values; `what` names the tensor in errors, which `fail` makes (naming the file). */
export function decodeTensor(t: OnnxTensor, what: string, fail: (code: "INPUT_FILE" | "MODEL_UNSUPPORTED", msg: string) => RramsimError): ConstTensor {
  const dims = (t.dims ?? []).map(Number);
  if (dims.some((d) => !(Number.isInteger(d) && d >= 0))) throw fail("INPUT_FILE", `${what}: invalid dims [${dims.join(",")}]`);
  const n = shapeSize(dims);
  if (t.data_location === 1) throw fail("MODEL_UNSUPPORTED", `${what}: tensors with external data are not supported`);
  const type = t.data_type ?? 0;
  let data: Float64Array;
  const raw = t.raw_data;
  if (raw && raw.length > 0) {
    const width = RAW_WIDTH[type];
    if (!width) throw fail("MODEL_UNSUPPORTED", `${what}: tensor data type ${type} is not supported`);
    if (raw.length !== n * width) throw fail("INPUT_FILE", `${what}: raw_data has ${raw.length} bytes, expected ${n}×${width}`);
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    data = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * width;
      switch (type) {
        case ONNX_DATA_TYPE.FLOAT:
          data[i] = dv.getFloat32(o, true);
          break;
        case ONNX_DATA_TYPE.DOUBLE:
          data[i] = dv.getFloat64(o, true);
          break;
        case ONNX_DATA_TYPE.UINT8:
        case ONNX_DATA_TYPE.BOOL:
          data[i] = dv.getUint8(o);
          break;
        case ONNX_DATA_TYPE.INT8:
          data[i] = dv.getInt8(o);
          break;
        case ONNX_DATA_TYPE.UINT16:
          data[i] = dv.getUint16(o, true);
          break;
        case ONNX_DATA_TYPE.INT16:
          data[i] = dv.getInt16(o, true);
          break;
        case ONNX_DATA_TYPE.INT32:
          data[i] = dv.getInt32(o, true);
          break;
        case ONNX_DATA_TYPE.UINT32:
          data[i] = dv.getUint32(o, true);
          break;
        case ONNX_DATA_TYPE.INT64:
          data[i] = Number(dv.getBigInt64(o, true));
          break;
        case ONNX_DATA_TYPE.UINT64:
          data[i] = Number(dv.getBigUint64(o, true));
          break;
      }
    }
  } else {
    const field =
      type === ONNX_DATA_TYPE.FLOAT
        ? t.float_data
        : type === ONNX_DATA_TYPE.DOUBLE
          ? t.double_data
          : type === ONNX_DATA_TYPE.INT64
            ? t.int64_data
            : type === ONNX_DATA_TYPE.UINT32 || type === ONNX_DATA_TYPE.UINT64
              ? t.uint64_data
              : [2, 3, 4, 5, 6, 9].includes(type)
                ? t.int32_data
                : undefined;
    if (field === undefined && type !== 0) throw fail("MODEL_UNSUPPORTED", `${what}: tensor data type ${type} is not supported`);
    const values = field ?? [];
    if (values.length !== n) throw fail("INPUT_FILE", `${what}: holds ${values.length} values, dims [${dims.join(",")}] need ${n}`);
    data = Float64Array.from(values, Number);
  }
  return { dims, data };
}
