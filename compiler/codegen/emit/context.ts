// The state the layer emitters share while one quantised model is compiled for one mapped design:
// the layers on the hardware path, the cores each op runs on, the tensors as stored in tile
// memory, each tile's memory plan, each core's instruction list, and the layout of a core's
// vector registers. `createContext` builds it all before the first instruction is emitted; the
// emitters (matrix.ts, pool.ts, add.ts, clamp.ts) append instructions, images and constants.
//
// Data layout. Every activation tensor lives in tile shared memory in HWC order with a zero frame
// of `pad` pixels (the largest padding of any convolution reading it), so that the im2col patch of
// one output position is kh contiguous runs of kw·C elements: a handful of `vld`s (the crossbar
// row order that follows from it is in matrix.ts). Flatten is a view of its input's store. The zero
// frame is written once, before the first inference, with consumer count 0 (never consumed):
// padding costs no instruction per inference. Tensors are stored whole on every tile that reads
// them; the caller compares `memoryUsed` with the tiles' memory size.
//
// Placement. A matrix layer runs on its work groups (the row blocks of one column block, on one or
// a few cores of one tile; compiler/map/mapping.ts); every other op runs on the core that produced
// its input. A final Softmax is left to the host (argmax is unchanged; the output compared is its
// input).
//
// Left out: grouped or dilated convolutions, Flatten to anything but [1, F] (refused with
// MODEL_UNSUPPORTED here, before any code is emitted).

import { mvmuGeometryInfo, mvmuInputRange, mvmuWeightRange } from "../../../arch/mvmu/encoding";
import type { ChipDesign } from "../../../arch/chip/params";
import { RramsimError } from "../../../sim/errors";
import type { Requant } from "../../../sim/fixed-point";
import { packRequant } from "../../../isa/vector-ops";
import { shapeSize, type Conv2dNode } from "../../ir/model";
import type { Mapping } from "../../map/mapping";
import type { QMatrixLayer, QuantizedLayer, QuantizedModel } from "../../quant/quantize";
import type { CodegenResult, CrossbarImage, StoreGeometry, StoreRun } from "../types";

export interface Store extends StoreGeometry {
  id: number;
  name: string;
  size: number;
  tiles: Set<number>;
  addr: Map<number, number>;
  /** per tile, per element: the loads the program performs (the consumer count its store needs) */
  reads: Map<number, Int32Array>;
}

/** A view of a store: the tensor itself, or its Flatten. */
export interface View {
  store: Store;
  flat: boolean;
}

export interface Instr {
  mn: string;
  vals: number[];
  imm?: number;
}

/** An instruction, or a group written once every load is known (stores, sends, recvs). */
export type Item = Instr | { lazy: () => Instr[] };

export interface CoreState {
  tile: number;
  core: number;
  items: Item[];
}

export interface CoreRef {
  tile: number;
  core: number;
}

/** The work group of one column block of one replica of a matrix layer. */
export interface Group {
  layer: number;
  replica: number;
  colBlock: number;
  tile: number;
  /** the group's cores, the leader (row block 0) first */
  cores: Array<{ tile: number; core: number; units: Array<{ unit: number; rowBlock: number; rowCount: number; colOffset: number; slot: number }> }>;
  colStart: number;
  colCount: number;
}

/**
 * A core's vector registers: [inputs of each unit][outputs of each unit][a second set of
 * inputs][temporary]; with the second set, position p+1 gathers while position p's MVM holds the
 * first. Without room for a separate temporary, the temporary borrows unit 0's inputs.
 */
export interface VectorRegisters {
  /** elements the register file holds */
  elements: number;
  /** the inputs and outputs of every unit (where the second set of inputs starts) */
  unitsEnd: number;
  doubleBuffer: boolean;
  tmpBase: number;
  sepTmp: boolean;
}

export interface EmitContext {
  readonly q: QuantizedModel;
  readonly shapes: QuantizedModel["model"]["shapes"];
  /** crossbar rows */
  readonly rows: number;
  /** logical columns of an MVM unit (its outputs) */
  readonly cols: number;
  /** MVM units per core */
  readonly unitsPerCore: number;
  readonly weightRange: { min: number; max: number };
  readonly inputRange: { min: number; max: number };
  /** the layers on the hardware path, in order */
  readonly layers: QuantizedLayer[];
  /** the tensor the host reads (the input of an excluded final softmax) */
  readonly outputTensor: string;
  readonly excluded: string[];
  readonly matrixLayers: QMatrixLayer[];
  readonly matrixIndex: Map<string, number>;
  readonly groups: Map<string, Group>;
  readonly opHome: Map<string, CoreRef>;
  readonly views: Map<string, View>;
  readonly inputStore: Store;
  readonly outStore: Store;
  /** shared-memory elements allocated per tile */
  readonly memUsed: number[];
  /** several weight blocks share units: every MVM is a block MVM (`mvmb`) */
  readonly packedUnits: boolean;
  readonly constants: CodegenResult["constants"];
  readonly images: CrossbarImage[];
  /** the host's reads of the output */
  readonly hostReads: StoreRun[];
  readonly coreStates: Map<string, CoreState>;
  /** the receiving core of each tile: the lowest-numbered core that runs an op there */
  readonly receiverOf: Map<number, CoreState>;
  readonly regs: VectorRegisters;
  /** MVM units (`tile/core/unit`) whose input registers are already zeroed */
  readonly zeroed: Set<string>;
  /** the next chunk or partial-sum serial (tags are derived from it) */
  serial: number;
}

const REQ_RANGES: Array<[string, number, number]> = [
  ["int8", -128, 127],
  ["uint8", 0, 255],
  ["int16", -32768, 32767],
  ["uint16", 0, 65535],
];

export function unsupported(msg: string): RramsimError {
  return new RramsimError("MODEL_UNSUPPORTED", msg);
}

function rangeName(lo: number, hi: number): "int8" | "uint8" | "int16" | "uint16" | undefined {
  const r = REQ_RANGES.find(([, l, h]) => l === lo && h === hi);
  return r?.[0] as "int8" | "uint8" | "int16" | "uint16" | undefined;
}

/** The `vreq` parameter word of a requantisation. */
export function packed(q: Requant, what: string): number {
  const range = rangeName(q.lo, q.hi);
  if (range === undefined) throw unsupported(`${what}: requantisation to [${q.lo}, ${q.hi}] is not a vreq range (8- or 16-bit activations only)`);
  return packRequant({ multiplier: q.multiplier, shift: q.shift, zeroPoint: q.zeroPoint, range }) | 0;
}

/** The `vreq` parameter word of a plain clamp to [lo, hi]. */
export function clampPacked(lo: number, hi: number, what: string): number {
  return packed({ multiplier: 1, shift: 0, zeroPoint: 0, lo, hi }, what);
}

export function groupsOf(ctx: EmitContext, li: number): Group[] {
  return [...ctx.groups.values()].filter((g) => g.layer === li);
}

export function viewOf(ctx: EmitContext, tensor: string): View {
  return ctx.views.get(tensor) as View;
}

export function coreOf(ctx: EmitContext, tile: number, core: number): CoreState {
  const k = `${tile}/${core}`;
  let c = ctx.coreStates.get(k);
  if (c === undefined) ctx.coreStates.set(k, (c = { tile, core, items: [] }));
  return c;
}

export function emit(c: CoreState, mn: string, vals: number[], imm?: number): void {
  c.items.push(imm === undefined ? { mn, vals } : { mn, vals, imm });
}

/** Allocates n elements of tile memory; returns their address. */
export function alloc(ctx: EmitContext, tile: number, n: number): number {
  const a = ctx.memUsed[tile];
  ctx.memUsed[tile] += n;
  return a;
}

/** The element index of pixel (y, x), channel 0, in the padded HWC array of s. */
export function pixelIndex(s: Store, y: number, x: number): number {
  return ((y + s.pad) * (s.w + 2 * s.pad) + (x + s.pad)) * s.c;
}

/** calls f for every pixel of s and every run of at most `chunk` channels */
export function forPixelChunks(s: StoreGeometry, chunk: number, f: (y: number, x: number, c0: number, n: number) => void): void {
  for (let y = 0; y < s.h; y++) for (let x = 0; x < s.w; x++) for (let c0 = 0; c0 < s.c; c0 += chunk) f(y, x, c0, Math.min(chunk, s.c - c0));
}

/**
 * The core a non-matrix op runs on, and the size of its two operand blocks in the vector
 * registers: [0, half) and [half, 2·half).
 */
export function vectorCore(ctx: EmitContext, l: QuantizedLayer): { c: CoreState; half: number } {
  const home = ctx.opHome.get(l.name) as CoreRef;
  return { c: coreOf(ctx, home.tile, home.core), half: Math.max(1, Math.floor(ctx.regs.elements / 2)) };
}

/** Places every op, plans every tile's memory and lays out the vector registers; emits nothing yet. */
export function createContext(q: QuantizedModel, mapping: Mapping, design: ChipDesign): EmitContext {
  const cfg = design.config;
  const tp = cfg.tile;
  const mp = tp.mvmu;
  const geo = mvmuGeometryInfo(mp);
  const R = geo.rows;
  const COLS = geo.logicalCols;
  const U = tp.mvmusPerCore;
  const vrfElements = Math.floor(((tp.core?.registerFile ?? 1024) * 8) / (tp.core?.vector.elementBits ?? 16));
  const shapes = q.model.shapes;

  // ---- the layers on the hardware path, and the excluded tail (a final softmax)
  const excluded: string[] = [];
  let layers = q.layers;
  let outputTensor = q.output;
  const last = layers[layers.length - 1];
  if (last !== undefined && last.kind === "softmax") {
    excluded.push(`${last.name} (softmax, on the host: argmax unchanged)`);
    layers = layers.slice(0, -1);
    outputTensor = last.inputs[0];
  }
  const matrixLayers = layers.filter((l): l is QMatrixLayer => l.kind === "dense" || l.kind === "conv2d");
  const matrixIndex = new Map(matrixLayers.map((l, i) => [l.name, i]));

  // ---- placement: the cores of each op
  const groups = new Map<string, Group>();
  for (const b of mapping.blocks) {
    const key = `${b.layer}/${b.replica}/${b.colBlock}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { layer: b.layer, replica: b.replica, colBlock: b.colBlock, tile: b.tile, cores: [], colStart: b.colStart, colCount: b.colCount }));
    let c = g.cores.find((x) => x.core === b.core && x.tile === b.tile);
    if (c === undefined) g.cores.push((c = { tile: b.tile, core: b.core, units: [] }));
    c.units.push({ unit: b.mvmu, rowBlock: b.rowBlock, rowCount: b.rowCount, colOffset: b.colOffset, slot: b.slot });
  }
  const groupsOfLayer = (li: number) => [...groups.values()].filter((g) => g.layer === li);
  const opHome = new Map<string, CoreRef>();
  const opTiles = new Map<string, Set<number>>();
  const producerOf = new Map<string, string>();
  for (const l of layers) {
    producerOf.set(l.output, l.name);
    const li = matrixIndex.get(l.name);
    if (li !== undefined) {
      const gs = groupsOfLayer(li);
      opHome.set(l.name, { tile: gs[0].tile, core: gs[0].cores[0].core });
      opTiles.set(l.name, new Set(gs.map((g) => g.tile)));
      for (const g of gs) for (const c of g.cores) if (c.tile !== g.tile) (opTiles.get(l.name) as Set<number>).add(c.tile);
    } else {
      const p = producerOf.get(l.inputs[0]);
      const home = p !== undefined ? opHome.get(p) : undefined;
      const h = home ?? { tile: 0, core: 0 };
      opHome.set(l.name, h);
      opTiles.set(l.name, new Set([h.tile]));
    }
  }

  // ---- stores and views
  const views = new Map<string, View>();
  const stores: Store[] = [];
  const newStore = (name: string, shape: readonly number[]): Store => {
    const [c, h, w] = shape.length === 4 ? [shape[1], shape[2], shape[3]] : [shapeSize(shape), 1, 1];
    const s: Store = { id: stores.length, name, c, h, w, pad: 0, size: 0, tiles: new Set(), addr: new Map(), reads: new Map() };
    stores.push(s);
    views.set(name, { store: s, flat: false });
    return s;
  };
  newStore(q.input, shapes[q.input]);
  for (const l of layers) {
    if (l.kind === "reshape") {
      const v = views.get(l.inputs[0]) as View;
      const out = shapes[l.output];
      if (out.length !== 2 || out[0] !== 1) throw unsupported(`${l.name}: only Flatten to [1, F] is on the hardware path`);
      views.set(l.output, { store: v.store, flat: true });
      continue;
    }
    newStore(l.output, shapes[l.output]);
  }
  const storeOf = (t: string) => (views.get(t) as View).store;
  for (const l of layers) {
    for (const t of l.inputs) for (const tile of opTiles.get(l.name) as Set<number>) storeOf(t).tiles.add(tile);
    if (l.kind !== "reshape") for (const tile of opTiles.get(l.name) as Set<number>) storeOf(l.output).tiles.add(tile);
    if (l.kind === "conv2d") {
      const node = l.node as Conv2dNode;
      if (node.groups !== 1 || node.dilation[0] !== 1 || node.dilation[1] !== 1) throw unsupported(`${l.name}: grouped or dilated convolutions are not on the hardware path yet`);
      const s = storeOf(l.inputs[0]);
      s.pad = Math.max(s.pad, ...node.pads);
    }
  }
  const inputStore = storeOf(q.input);

  // ---- memory allocation per tile, and the zero frames
  const memUsed = new Array<number>(cfg.tiles).fill(0);
  const constants: CodegenResult["constants"] = [];
  for (const s of stores) {
    const hp = s.h + 2 * s.pad;
    const wp = s.w + 2 * s.pad;
    s.size = hp * wp * s.c;
    for (const t of [...s.tiles].sort((a, b) => a - b)) {
      s.addr.set(t, memUsed[t]);
      memUsed[t] += s.size;
      s.reads.set(t, new Int32Array(s.size));
      if (s.pad > 0) {
        // the zero frame: every element outside the interior
        const base = s.addr.get(t) as number;
        for (let y = 0; y < hp; y++) {
          if (y < s.pad || y >= s.pad + s.h) constants.push({ tile: t, addr: base + y * wp * s.c, values: new Int32Array(wp * s.c) });
          else {
            constants.push({ tile: t, addr: base + y * wp * s.c, values: new Int32Array(s.pad * s.c) });
            constants.push({ tile: t, addr: base + (y * wp + s.pad + s.w) * s.c, values: new Int32Array(s.pad * s.c) });
          }
        }
      }
    }
  }

  // ---- vector registers (checked before any layer is emitted)
  const unitsEnd = U * (R + COLS);
  const doubleBuffer = unitsEnd + U * R <= vrfElements;
  const tmpBase = unitsEnd + (doubleBuffer ? U * R : 0);

  const ctx: EmitContext = {
    q,
    shapes,
    rows: R,
    cols: COLS,
    unitsPerCore: U,
    weightRange: mvmuWeightRange(mp),
    inputRange: mvmuInputRange(mp),
    layers,
    outputTensor,
    excluded,
    matrixLayers,
    matrixIndex,
    groups,
    opHome,
    views,
    inputStore,
    outStore: storeOf(outputTensor),
    memUsed,
    packedUnits: mapping.packed,
    constants,
    images: [],
    hostReads: [],
    coreStates: new Map(),
    receiverOf: new Map(),
    regs: { elements: vrfElements, unitsEnd, doubleBuffer, tmpBase, sepTmp: tmpBase + COLS <= vrfElements },
    zeroed: new Set(),
    serial: 0,
  };

  // ---- the receiving core of each tile: the lowest-numbered core that runs an op there
  for (const l of layers) {
    const li = matrixIndex.get(l.name);
    const cands: CoreRef[] = li === undefined ? [opHome.get(l.name) as CoreRef] : groupsOfLayer(li).flatMap((g) => g.cores.map((c) => ({ tile: c.tile, core: c.core })));
    for (const { tile, core } of cands) {
      const cur = ctx.receiverOf.get(tile);
      if (cur === undefined || core < cur.core) ctx.receiverOf.set(tile, coreOf(ctx, tile, core));
    }
  }
  for (const t of inputStore.tiles) if (!ctx.receiverOf.has(t)) ctx.receiverOf.set(t, coreOf(ctx, t, 0));

  if (unitsEnd > vrfElements) throw new RramsimError("MAPPING", `a core's vector registers (${vrfElements} elements) cannot hold ${U} MVM units' inputs and outputs (${unitsEnd}; core.registerFile)`);
  return ctx;
}
