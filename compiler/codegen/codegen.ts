// Code generation: a quantised model (compiler/quant) and its mapping (compiler/map/mapping.ts) on a
// design → one ISA program per core, the integer weight block each MVM unit holds, the constants
// the tiles' memories start with, and where the host puts the input and finds the output.
//
// `generateCode` is the driver: it builds the shared state (emit/context.ts: placement, the
// tensors' stores and each tile's memory plan, per-core instruction lists, the vector-register
// layout), hands each layer to the emitter of its kind (the table `EMITTERS` below), and writes
// the programs once every load is known (emit/program.ts). The emitters:
// - dense, conv2d: emit/matrix.ts — crossbar images, bias constants, gather / mvm / partial sums /
//   bias / requantise / store per output position;
// - max-pool, global average pool: emit/pool.ts (`vmax`; `vadd` + `vreq`);
// - residual Add: emit/add.ts (`vreq` ×2, `vadd`, `vreq` as the clamp);
// - standalone ReLU or Clip: emit/clamp.ts (`vrelu`, or `vreq` as the clamp);
// - Flatten: nothing — a view of its input's store (emit/context.ts).
// Non-matrix ops run on the core that produced their input. Stores, sends and receives follow
// PUMA's consumer-count synchronisation (emit/sync.ts). A final Softmax is left to the host
// (argmax is unchanged; the output compared is its input).
//
// Left out: Sigmoid/Tanh tables, Concat, average pooling, grouped or dilated convolutions and a
// Softmax anywhere but last are not on the hardware path yet and are refused with
// MODEL_UNSUPPORTED; loops (programs are straight-line, and the instruction memory of a real core
// is smaller than most unrolled programs — the report says by how much); overlapping inferences.

import type { ChipDesign } from "../../arch/chip/params";
import { RramsimError } from "../../sim/errors";
import type { Mapping } from "../map/mapping";
import type { QuantizedLayer, QuantizedModel } from "../quant/quantize";
import { emitAdd } from "./emit/add";
import { emitClamp } from "./emit/clamp";
import { createContext, unsupported, type EmitContext, type Store } from "./emit/context";
import { emitMatrixLayer } from "./emit/matrix";
import { emitGlobalAvgPool, emitMaxPool } from "./emit/pool";
import { writePrograms } from "./emit/program";
import { inputRuns } from "./emit/sync";

export type { CodegenResult, CoreProgram, CrossbarImage, StoreGeometry, StoreRun } from "./types";
import type { CodegenResult, StoreGeometry } from "./types";

type LayerKind = QuantizedLayer["kind"];

/** Appends the code of one layer of kind K. */
type Emitter<K extends LayerKind> = (ctx: EmitContext, layer: QuantizedLayer & { kind: K }) => void;

function refuse(_ctx: EmitContext, l: QuantizedLayer): void {
  throw unsupported(`${l.name}: ${l.kind === "lut" ? l.fn : l.kind} is not on the hardware path yet (supported: dense, conv2d, max-pool, global average pool, residual add, ReLU, flatten; a final softmax runs on the host)`);
}

/** The emitter of every layer kind; a kind missing here does not compile. */
const EMITTERS: { readonly [K in LayerKind]: Emitter<K> } = {
  dense: emitMatrixLayer,
  conv2d: emitMatrixLayer,
  maxPool: emitMaxPool,
  avgPool: refuse,
  globalAvgPool: emitGlobalAvgPool,
  clamp: emitClamp,
  lut: refuse,
  softmax: refuse,
  // Flatten: a view of its input's store, set up by createContext
  reshape: () => {},
  add: emitAdd,
  concat: refuse,
};

function emitLayer(ctx: EmitContext, l: QuantizedLayer): void {
  const emitter = (EMITTERS as Partial<Record<string, (ctx: EmitContext, l: QuantizedLayer) => void>>)[l.kind];
  if (emitter === undefined) throw new RramsimError("SIM_STATE", `codegen: layer '${l.name}' has kind '${l.kind}', which has no emitter (add it to EMITTERS in compiler/codegen/codegen.ts)`);
  emitter(ctx, l);
}

function geometryOf(s: Store): StoreGeometry {
  return { c: s.c, h: s.h, w: s.w, pad: s.pad };
}

/** Generates the programs, images and memory plan of a quantised model on a mapped design. */
export function generateCode(q: QuantizedModel, mapping: Mapping, design: ChipDesign): CodegenResult {
  const ctx = createContext(q, mapping, design);
  for (const l of ctx.layers) emitLayer(ctx, l);
  // counts are known: write the programs
  const programs = writePrograms(ctx);
  return {
    programs,
    images: ctx.images,
    constants: ctx.constants,
    input: { tensor: q.input, geometry: geometryOf(ctx.inputStore), runs: inputRuns(ctx) },
    output: { tensor: ctx.outputTensor, geometry: geometryOf(ctx.outStore), runs: ctx.hostReads, excluded: ctx.excluded },
    memoryUsed: ctx.memUsed,
  };
}
