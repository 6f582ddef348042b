// Code generation: a quantised model (compiler/quant) and its mapping (compiler/map/mapping.ts) on a
// design → one ISA program per core, the integer weight block each MVM unit holds, the constants
// the tiles' memories start with, and where the host puts the input and finds the output.
//
// Data layout. Every activation tensor lives in tile shared memory in HWC order with a zero frame
// of `pad` pixels (the largest padding of any convolution reading it), so that the im2col patch of
// one output position is kh contiguous runs of kw·C elements: a handful of `vld`s. The crossbar rows
// follow that gather order — row k' = (ky·kw + kx)·C + c — so the weight matrix's rows are permuted
// from the reference's k = (c·kh + ky)·kw + kx; a dense layer after Flatten reads its input in HWC
// order and its rows are permuted the same way. The zero frame is written once, before the first
// inference, with consumer count 0 (never consumed): padding costs no instruction per inference.
//
// Synchronisation is PUMA's: a store makes an element valid for exactly as many loads as the
// program will perform (every vld, every send, the host's output read); those counts are known at
// compile time, so each store is emitted after all loads are known (two passes) and split into
// runs of equal count. A tensor is stored on every tile that reads it: the producing core stores
// its chunk locally when its tile reads it (or must send it), and sends it to every other reading
// tile, where the tile's receiving core has a matching `recv` with that tile's count.
//
// Per output position a work group (the row blocks of one column block, on one or a few cores of
// one tile) gathers its rows (`vld`), runs one `mvm` per unit, adds the units' partial sums
// (`vadd`; across cores through a shared-memory slot), adds the bias (`vld` of a constant, `vadd`),
// requantises (`vreq`, with a fused ReLU as its lower bound) and stores the position's channels.
// Max-pool (`vmax`), global average pool (`vadd` + `vreq`), residual Add (`vreq` ×2, `vadd`, `vreq`
// as the clamp) and standalone ReLU (`vrelu`) run on the core that produced their input. Flatten is
// a view. A final Softmax is left to the host (argmax is unchanged; the output compared is its
// input); Sigmoid/Tanh tables, Concat, average pooling, grouped or dilated convolutions are not on
// the hardware path yet and are refused with MODEL_UNSUPPORTED.
// Programs are straight-line (positions unrolled); addresses and lengths live in a small cache of
// scalar registers set with `li`. Left out: loops (the instruction memory of a real core is
// smaller than most unrolled programs — the report says by how much), overlapping inferences.

import { mvmuGeometryInfo, mvmuInputRange, mvmuWeightRange } from "../../arch/mvmu/encoding";
import type { ChipDesign } from "../../arch/chip/params";
import { RramsimError } from "../../sim/errors";
import type { Requant } from "../../sim/fixed-point";
import { packRequant } from "../../isa/vector-ops";
import { shapeSize, type Conv2dNode } from "../ir/model";
import type { Mapping } from "../map/mapping";
import type { QMatrixLayer, QuantizedModel } from "../quant/quantize";

/** A tensor as stored: HWC with a zero frame of `pad` pixels. */
export interface StoreGeometry {
  c: number;
  h: number;
  w: number;
  pad: number;
}

/** A run of a stored tensor on one tile: elements [start, start + length) of the padded HWC array. */
export interface StoreRun {
  tile: number;
  addr: number;
  start: number;
  length: number;
  /** loads the elements are valid for */
  consumers: number;
}

export interface CrossbarImage {
  tile: number;
  /** MVM unit index within the tile */
  mvmu: number;
  layer: string;
  rowBlock: number;
  colBlock: number;
  replica: number;
  /** rows × cols, row-major (rows = the crossbar's rows; unused rows are 0) */
  rows: number;
  cols: number;
  weights: Int32Array;
}

export interface CoreProgram {
  tile: number;
  core: number;
  asm: string;
  instructions: number;
}

export interface CodegenResult {
  programs: CoreProgram[];
  images: CrossbarImage[];
  /** written once before the first inference, never consumed (zero frames, biases) */
  constants: Array<{ tile: number; addr: number; values: Int32Array }>;
  input: { tensor: string; geometry: StoreGeometry; runs: StoreRun[] };
  output: { tensor: string; geometry: StoreGeometry; runs: StoreRun[]; excluded: string[] };
  /** shared-memory elements used per tile */
  memoryUsed: number[];
}

interface Store extends StoreGeometry {
  id: number;
  name: string;
  size: number;
  tiles: Set<number>;
  addr: Map<number, number>;
  reads: Map<number, Int32Array>;
}

/** A view of a store: the tensor itself, or its Flatten. */
interface View {
  store: Store;
  flat: boolean;
}

type Item = { mn: string; vals: number[]; imm?: number } | { lazy: () => Array<{ mn: string; vals: number[]; imm?: number }> };

interface CoreState {
  tile: number;
  core: number;
  items: Item[];
}

const REQ_RANGES: Array<[string, number, number]> = [
  ["int8", -128, 127],
  ["uint8", 0, 255],
  ["int16", -32768, 32767],
  ["uint16", 0, 65535],
];

function unsupported(msg: string): RramsimError {
  return new RramsimError("MODEL_UNSUPPORTED", msg);
}

function rangeName(lo: number, hi: number): "int8" | "uint8" | "int16" | "uint16" | undefined {
  const r = REQ_RANGES.find(([, l, h]) => l === lo && h === hi);
  return r?.[0] as "int8" | "uint8" | "int16" | "uint16" | undefined;
}

function packed(q: Requant, what: string): number {
  const range = rangeName(q.lo, q.hi);
  if (range === undefined) throw unsupported(`${what}: requantisation to [${q.lo}, ${q.hi}] is not a vreq range (8- or 16-bit activations only)`);
  return packRequant({ multiplier: q.multiplier, shift: q.shift, zeroPoint: q.zeroPoint, range }) | 0;
}

/** Generates the programs, images and memory plan of a quantised model on a mapped design. */
export function generateCode(q: QuantizedModel, mapping: Mapping, design: ChipDesign): CodegenResult {
  const cfg = design.config;
  const tp = cfg.tile;
  const mp = tp.mvmu;
  const geo = mvmuGeometryInfo(mp);
  const R = geo.rows;
  const COLS = geo.logicalCols;
  const U = tp.mvmusPerCore;
  const vrfElements = Math.floor(((tp.core?.registerFile ?? 1024) * 8) / (tp.core?.vector.elementBits ?? 16));
  const shapes = q.model.shapes;
  const wRange = mvmuWeightRange(mp);
  const xRange = mvmuInputRange(mp);

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
  interface Group {
    layer: number;
    replica: number;
    colBlock: number;
    tile: number;
    /** the group's cores, the leader (row block 0) first */
    cores: Array<{ tile: number; core: number; units: Array<{ unit: number; rowBlock: number; rowCount: number }> }>;
    colStart: number;
    colCount: number;
  }
  const groups = new Map<string, Group>();
  for (const b of mapping.blocks) {
    const key = `${b.layer}/${b.replica}/${b.colBlock}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { layer: b.layer, replica: b.replica, colBlock: b.colBlock, tile: b.tile, cores: [], colStart: b.colStart, colCount: b.colCount }));
    let c = g.cores.find((x) => x.core === b.core && x.tile === b.tile);
    if (c === undefined) g.cores.push((c = { tile: b.tile, core: b.core, units: [] }));
    c.units.push({ unit: b.mvmu, rowBlock: b.rowBlock, rowCount: b.rowCount });
  }
  const groupsOf = (li: number) => [...groups.values()].filter((g) => g.layer === li);
  const opHome = new Map<string, { tile: number; core: number }>();
  const opTiles = new Map<string, Set<number>>();
  const producerOf = new Map<string, string>();
  for (const l of layers) {
    producerOf.set(l.output, l.name);
    const li = matrixIndex.get(l.name);
    if (li !== undefined) {
      const gs = groupsOf(li);
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
  const viewOf = (t: string) => views.get(t) as View;
  for (const l of layers) {
    for (const t of l.inputs) for (const tile of opTiles.get(l.name) as Set<number>) viewOf(t).store.tiles.add(tile);
    if (l.kind !== "reshape") for (const tile of opTiles.get(l.name) as Set<number>) viewOf(l.output).store.tiles.add(tile);
    if (l.kind === "conv2d") {
      const node = l.node as Conv2dNode;
      if (node.groups !== 1 || node.dilation[0] !== 1 || node.dilation[1] !== 1) throw unsupported(`${l.name}: grouped or dilated convolutions are not on the hardware path yet`);
      const s = viewOf(l.inputs[0]).store;
      s.pad = Math.max(s.pad, ...node.pads);
    }
  }
  const outStore = viewOf(outputTensor).store;
  const inputStore = viewOf(q.input).store;

  // ---- memory allocation per tile
  const memUsed = new Array<number>(cfg.tiles).fill(0);
  // tensors are stored whole; the caller compares memoryUsed with the tiles' memory size
  const alloc = (tile: number, n: number): number => {
    const a = memUsed[tile];
    memUsed[tile] += n;
    return a;
  };
  const constants: CodegenResult["constants"] = [];
  for (const s of stores) {
    const hp = s.h + 2 * s.pad;
    const wp = s.w + 2 * s.pad;
    s.size = hp * wp * s.c;
    for (const t of [...s.tiles].sort((a, b) => a - b)) {
      s.addr.set(t, alloc(t, s.size));
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
  const pixelIndex = (s: Store, y: number, x: number) => ((y + s.pad) * (s.w + 2 * s.pad) + (x + s.pad)) * s.c;

  // ---- per-core item lists
  const coreStates = new Map<string, CoreState>();
  const coreOf = (tile: number, core: number): CoreState => {
    const k = `${tile}/${core}`;
    let c = coreStates.get(k);
    if (c === undefined) coreStates.set(k, (c = { tile, core, items: [] }));
    return c;
  };
  const emit = (c: CoreState, mn: string, vals: number[], imm?: number) => c.items.push(imm === undefined ? { mn, vals } : { mn, vals, imm });
  const readsOn = (s: Store, tile: number) => {
    const r = s.reads.get(tile);
    if (r === undefined) throw new RramsimError("SIM_STATE", `codegen: tensor '${s.name}' has no copy on tile ${tile}`);
    return r;
  };
  const load = (c: CoreState, s: Store, start: number, length: number, vrf: number) => {
    const r = readsOn(s, c.tile);
    for (let i = start; i < start + length; i++) r[i]++;
    emit(c, "vld", [vrf, (s.addr.get(c.tile) as number) + start, length]);
  };
  const hostReads: StoreRun[] = [];
  let chunkSerial = 0;
  const receiverOf = new Map<number, CoreState>();
  /** runs of equal counts on every tile of the store */
  const segments = (s: Store, start: number, length: number) => {
    const out: Array<[number, number]> = [];
    const tiles = [...s.tiles];
    let a = start;
    for (let i = start + 1; i <= start + length; i++) {
      const cut = i === start + length || tiles.some((t) => (s.reads.get(t) as Int32Array)[i] !== (s.reads.get(t) as Int32Array)[i - 1]);
      if (cut) {
        out.push([a, i - a]);
        a = i;
      }
    }
    return out;
  };
  const pendingRecvs: Array<{ tile: number; make: () => Item }> = [];
  /** the chunk [start, +length) of store s, in core c's vector registers at vrf, becomes valid where it is read */
  const storeChunk = (c: CoreState, s: Store, start: number, length: number, vrf: number) => {
    const serial = chunkSerial++;
    const p = c.tile;
    if (s === outStore) {
      const r = readsOn(s, p);
      for (let i = start; i < start + length; i++) r[i]++;
      hostReads.push({ tile: p, addr: (s.addr.get(p) as number) + start, start, length, consumers: 1 });
    }
    const remote = () => [...s.tiles].filter((t) => t !== p).sort((a, b) => a - b);
    // tags: chunks in [0, 0x8000), partial sums in [0x8000, 0x10000); packets with the same
    // (source, tag) are matched in order, which is the order their one producing core sends them
    const tagOf = (k: number) => (serial * 8 + (k % 8)) & 0x7fff;
    c.items.push({
      lazy: () => {
        const out: Array<{ mn: string; vals: number[] }> = [];
        segments(s, start, length).forEach(([a, n], k) => {
          const targets = remote().filter((t) => (s.reads.get(t) as Int32Array)[a] > 0);
          const count = (s.reads.get(p) as Int32Array)[a] + targets.length;
          if (count === 0) return;
          if (count > 0xffff) throw new RramsimError("MAPPING", `tensor '${s.name}': an element is read ${count} times, more than a consumer count holds`);
          const addr = (s.addr.get(p) as number) + a;
          out.push({ mn: "vst", vals: [addr, vrf + (a - start), count, n] });
          for (const t of targets) out.push({ mn: "send", vals: [addr, t, n, tagOf(k)] });
        });
        return out;
      },
    });
    for (const t of [...s.tiles].filter((x) => x !== p)) {
      pendingRecvs.push({
        tile: t,
        make: () => ({
          lazy: () => {
            const out: Array<{ mn: string; vals: number[] }> = [];
            segments(s, start, length).forEach(([a, n], k) => {
              const count = (s.reads.get(t) as Int32Array)[a];
              if (count === 0) return;
              if (count > 0x7fff) throw new RramsimError("MAPPING", `tensor '${s.name}': an element is read ${count} times on tile ${t}, more than recv's count field holds`);
              out.push({ mn: "recv", vals: [(s.addr.get(t) as number) + a, p, n, tagOf(k) | (count << 16)] });
            });
            return out;
          },
        }),
      });
    }
    flushRecvs();
  };
  const flushRecvs = () => {
    for (const r of pendingRecvs.splice(0)) {
      const rc = receiverOf.get(r.tile) as CoreState;
      rc.items.push(r.make());
    }
  };
  // the receiving core of each tile: the lowest-numbered core that runs an op there
  for (const l of layers) {
    const li = matrixIndex.get(l.name);
    const cands: Array<{ tile: number; core: number }> = li === undefined ? [opHome.get(l.name) as { tile: number; core: number }] : groupsOf(li).flatMap((g) => g.cores.map((c) => ({ tile: c.tile, core: c.core })));
    for (const { tile, core } of cands) {
      const cur = receiverOf.get(tile);
      if (cur === undefined || core < cur.core) receiverOf.set(tile, coreOf(tile, core));
    }
  }
  for (const t of inputStore.tiles) if (!receiverOf.has(t)) receiverOf.set(t, coreOf(t, 0));

  // ---- crossbar images and matrix-layer code
  const images: CrossbarImage[] = [];
  const checkRange = (lo: number, hi: number, r: { min: number; max: number }, what: string, fix: string) => {
    if (lo < r.min || hi > r.max) throw new RramsimError("MAPPING", `${what} span [${lo}, ${hi}] but the MVM unit holds [${r.min}, ${r.max}] (${fix})`);
  };
  // vector registers: [inputs of each unit][outputs of each unit][a second set of inputs][temporary];
  // with the second set, position p+1 gathers while position p's MVM holds the first
  const vrfNeed = U * (R + COLS);
  if (vrfNeed > vrfElements) throw new RramsimError("MAPPING", `a core's vector registers (${vrfElements} elements) cannot hold ${U} MVM units' inputs and outputs (${vrfNeed}; core.registerFile)`);
  const doubleBuffer = vrfNeed + U * R <= vrfElements;
  const tmpBase = vrfNeed + (doubleBuffer ? U * R : 0);
  const sepTmp = tmpBase + COLS <= vrfElements;
  const inAddr = (u: number, parity = 0) => (parity === 1 && doubleBuffer ? vrfNeed : 0) + u * R;
  const outAddr = (u: number) => U * R + u * COLS;
  const zeroed = new Set<string>();

  for (const l of layers) {
    const li = matrixIndex.get(l.name);
    if (li !== undefined) {
      const layer = matrixLayers[li];
      let wMin = 0;
      let wMax = 0;
      for (const w of layer.weights) {
        if (w < wMin) wMin = w;
        if (w > wMax) wMax = w;
      }
      checkRange(wMin, wMax, wRange, `layer '${layer.name}': weights`, "raise tile.mvmu.precision.weightBits or use a signed tile.mvmu.encoding.signedWeights");
      checkRange(layer.inputParams.lo, layer.inputParams.hi, xRange, `layer '${layer.name}': inputs`, "raise tile.mvmu.precision.inputBits or set tile.mvmu.encoding.signedInputs");
      emitMatrixLayer(layer, li);
    } else emitOther(l);
  }

  /** the input runs of one output position, in crossbar-row order: rows [k0, k0 + length) come from store elements [start, +length) */
  function gatherRuns(layer: QMatrixLayer, pos: number): Array<{ k0: number; start: number; length: number }> {
    const v = viewOf(layer.inputs[0]);
    const s = v.store;
    const runs: Array<{ k0: number; start: number; length: number }> = [];
    if (layer.kind === "conv2d") {
      const node = layer.node as Conv2dNode;
      const [kh, kw] = node.kernel;
      const [sh, sw] = node.stride;
      const wo = shapes[layer.output][3];
      const oy = Math.floor(pos / wo);
      const ox = pos % wo;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh - node.pads[0] + ky;
        const ix = ox * sw - node.pads[1];
        runs.push({ k0: ky * kw * s.c, start: pixelIndex(s, iy, ix), length: kw * s.c });
      }
      return runs;
    }
    if (v.flat && (s.h > 1 || s.w > 1 || s.pad > 0)) {
      for (let y = 0; y < s.h; y++) runs.push({ k0: y * s.w * s.c, start: pixelIndex(s, y, 0), length: s.w * s.c });
    } else runs.push({ k0: 0, start: pixelIndex(s, 0, 0), length: s.c * s.h * s.w });
    return runs;
  }

  /** the reference row k of crossbar row k' (gather order) */
  function rowPermutation(layer: QMatrixLayer): Int32Array {
    const K = layer.k;
    const perm = new Int32Array(K);
    const v = viewOf(layer.inputs[0]);
    const s = v.store;
    if (layer.kind === "conv2d") {
      const [kh, kw] = (layer.node as Conv2dNode).kernel;
      const C = s.c;
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) for (let c = 0; c < C; c++) perm[(ky * kw + kx) * C + c] = (c * kh + ky) * kw + kx;
    } else if (v.flat && (s.h > 1 || s.w > 1)) {
      for (let y = 0; y < s.h; y++) for (let x = 0; x < s.w; x++) for (let c = 0; c < s.c; c++) perm[(y * s.w + x) * s.c + c] = c * s.h * s.w + y * s.w + x;
    } else for (let k = 0; k < K; k++) perm[k] = k;
    return perm;
  }

  function emitMatrixLayer(layer: QMatrixLayer, li: number): void {
    const gs = groupsOf(li);
    const perm = rowPermutation(layer);
    const K = layer.k;
    const outView = viewOf(layer.output);
    const os = outView.store;
    const replicas = Math.max(...gs.map((g) => g.replica)) + 1;
    const P = layer.positions;
    const per = Math.ceil(P / replicas);
    const wo = layer.kind === "conv2d" ? shapes[layer.output][3] : 1;
    for (const g of gs) {
      // images
      for (const c of g.cores) {
        for (const u of c.units) {
          const w = new Int32Array(R * g.colCount);
          for (let r = 0; r < u.rowCount; r++) {
            const kRef = perm[u.rowBlock * R + r];
            for (let j = 0; j < g.colCount; j++) w[r * g.colCount + j] = layer.weights[(g.colStart + j) * K + kRef];
          }
          images.push({ tile: c.tile, mvmu: c.core * U + u.unit, layer: layer.name, rowBlock: u.rowBlock, colBlock: g.colBlock, replica: g.replica, rows: R, cols: g.colCount, weights: w });
        }
      }
      // bias constant and scratch slots
      const bias = Int32Array.from({ length: g.colCount }, (_, j) => layer.bias[g.colStart + j]);
      const biasAddr = alloc(g.tile, g.colCount);
      constants.push({ tile: g.tile, addr: biasAddr, values: bias });
      // partial-sum slots: on the core's tile, and on the leader's tile for a core on another tile
      const scratch = g.cores.map((c, i) => (i === 0 ? -1 : alloc(c.tile, g.colCount)));
      const landing = g.cores.map((c, i) => (i === 0 || c.tile === g.tile ? scratch[i] : alloc(g.tile, g.colCount)));
      const leader = coreOf(g.tile, g.cores[0].core);
      const tmp = sepTmp ? tmpBase : inAddr(0);
      // requantisation groups: runs of columns with the same parameters
      const reqRuns: Array<{ j0: number; n: number; packed: number }> = [];
      for (let j = 0; j < g.colCount; j++) {
        const pk = packed(layer.requant[g.colStart + j], layer.name);
        const lastRun = reqRuns[reqRuns.length - 1];
        if (lastRun !== undefined && lastRun.packed === pk) lastRun.n++;
        else reqRuns.push({ j0: j, n: 1, packed: pk });
      }
      // zero each unit's input registers once, so rows past a block's end drive nothing
      for (const c of g.cores) {
        const cs = coreOf(c.tile, c.core);
        for (const u of c.units) {
          const key = `${c.tile}/${c.core}/${u.unit}`;
          if (!zeroed.has(key)) {
            zeroed.add(key);
            emit(cs, "vset", [inAddr(u.unit), 0, R]);
            if (doubleBuffer) emit(cs, "vset", [inAddr(u.unit, 1), 0, R]);
          }
        }
      }
      const p0 = g.replica * per;
      const p1 = Math.min(P, p0 + per);
      const src = viewOf(layer.inputs[0]).store;
      const gather = (pos: number) => {
        const runs = gatherRuns(layer, pos);
        for (const c of g.cores) {
          const cs = coreOf(c.tile, c.core);
          for (const u of c.units) {
            const lo = u.rowBlock * R;
            const hi = lo + u.rowCount;
            for (const run of runs) {
              const a = Math.max(lo, run.k0);
              const b = Math.min(hi, run.k0 + run.length);
              if (a < b) load(cs, src, run.start + (a - run.k0), b - a, inAddr(u.unit, pos & 1) + (a - lo));
            }
          }
        }
      };
      const mvms = (pos: number) => {
        for (const c of g.cores) for (const u of c.units) emit(coreOf(c.tile, c.core), "mvm", [inAddr(u.unit, pos & 1), outAddr(u.unit)], 1 << u.unit);
      };
      const post = (pos: number) => {
        g.cores.forEach((c, ci) => {
          const cs = coreOf(c.tile, c.core);
          const first = outAddr(c.units[0].unit);
          for (const u of c.units.slice(1)) emit(cs, "vadd", [first, first, outAddr(u.unit), g.colCount]);
          if (ci > 0) {
            emit(cs, "vst", [scratch[ci], first, 1, g.colCount]);
            if (c.tile !== g.tile) {
              const tag = 0x8000 | (chunkSerial++ & 0x7fff);
              emit(cs, "send", [scratch[ci], g.tile, g.colCount, tag]);
              emit(receiverOf.get(g.tile) as CoreState, "recv", [landing[ci], c.tile, g.colCount, tag | (1 << 16)]);
            }
          }
        });
        const acc = outAddr(g.cores[0].units[0].unit);
        const unit0Rows = g.cores[0].units[0].rowCount;
        for (let ci = 1; ci < g.cores.length; ci++) {
          emit(leader, "vld", [tmp, landing[ci], g.colCount]);
          emit(leader, "vadd", [acc, acc, tmp, g.colCount]);
        }
        emit(leader, "vld", [tmp, biasAddr, g.colCount]);
        emit(leader, "vadd", [acc, acc, tmp, g.colCount]);
        if (!sepTmp && g.colCount > unit0Rows) emit(leader, "vset", [inAddr(0) + unit0Rows, 0, g.colCount - unit0Rows]);
        for (const r of reqRuns) emit(leader, "vreq", [acc + r.j0, acc + r.j0, r.packed, r.n]);
        storeChunk(leader, os, pixelIndex(os, Math.floor(pos / wo), pos % wo) + g.colStart, g.colCount, acc);
      };
      // software pipelining when the registers allow: position p+1 gathers into the other input
      // set while position p's MVMs run; its MVMs issue once p's outputs have been read
      const overlap = doubleBuffer && sepTmp;
      if (p0 < p1) {
        gather(p0);
        mvms(p0);
      }
      for (let pos = p0; pos < p1; pos++) {
        const next = pos + 1 < p1;
        if (next && overlap) gather(pos + 1);
        post(pos);
        if (next && !overlap) gather(pos + 1);
        if (next) mvms(pos + 1);
      }
    }
  }

  /** calls f for every pixel of s and every run of at most `chunk` channels */
  function forPixelChunks(s: StoreGeometry, chunk: number, f: (y: number, x: number, c0: number, n: number) => void): void {
    for (let y = 0; y < s.h; y++) for (let x = 0; x < s.w; x++) for (let c0 = 0; c0 < s.c; c0 += chunk) f(y, x, c0, Math.min(chunk, s.c - c0));
  }

  function emitOther(l: (typeof layers)[number]): void {
    if (l.kind === "reshape") return;
    const home = opHome.get(l.name) as { tile: number; core: number };
    const c = coreOf(home.tile, home.core);
    const chunkMax = Math.max(1, Math.floor(vrfElements / 2));
    const A = 0;
    const B = chunkMax;
    switch (l.kind) {
      case "maxPool": {
        const node = l.node;
        if (node.pads.some((p) => p !== 0)) throw unsupported(`${l.name}: padded max-pooling is not on the hardware path yet`);
        const s = viewOf(l.inputs[0]).store;
        const o = viewOf(l.output).store;
        const [kh, kw] = node.kernel;
        const [sh, sw] = node.stride;
        forPixelChunks(o, chunkMax, (oy, ox, c0, n) => {
          for (let ky = 0; ky < kh; ky++) {
            for (let kx = 0; kx < kw; kx++) {
              const at = pixelIndex(s, oy * sh + ky, ox * sw + kx) + c0;
              if (ky === 0 && kx === 0) load(c, s, at, n, A);
              else {
                load(c, s, at, n, B);
                emit(c, "vmax", [A, A, B, n]);
              }
            }
          }
          storeChunk(c, o, pixelIndex(o, oy, ox) + c0, n, A);
        });
        return;
      }
      case "globalAvgPool": {
        const s = viewOf(l.inputs[0]).store;
        const o = viewOf(l.output).store;
        const pk = packed(l.requant, l.name);
        for (let c0 = 0; c0 < s.c; c0 += chunkMax) {
          const n = Math.min(chunkMax, s.c - c0);
          for (let y = 0; y < s.h; y++) {
            for (let x = 0; x < s.w; x++) {
              if (y === 0 && x === 0) load(c, s, pixelIndex(s, 0, 0) + c0, n, A);
              else {
                load(c, s, pixelIndex(s, y, x) + c0, n, B);
                emit(c, "vadd", [A, A, B, n]);
              }
            }
          }
          emit(c, "vreq", [A, A, pk, n]);
          storeChunk(c, o, pixelIndex(o, 0, 0) + c0, n, A);
        }
        return;
      }
      case "add": {
        const sa = viewOf(l.inputs[0]).store;
        const sb = viewOf(l.inputs[1]).store;
        const o = viewOf(l.output).store;
        const inner = (r: Requant, p: { lo: number; hi: number }, what: string) => {
          // the reference requantises each term with bounds ±2^31; int16 bounds give the same value when no term can leave them
          const worst = Math.max(Math.abs(p.lo), Math.abs(p.hi)) * r.multiplier / 2 ** r.shift + 1;
          if (worst >= 32767) throw unsupported(`${l.name}: the ${what} term of the residual add can exceed 16 bits`);
          return packRequant({ multiplier: r.multiplier, shift: r.shift, zeroPoint: 0, range: "int16" }) | 0;
        };
        const pa = inner(l.requantA, q.params[l.inputs[0]], "first");
        const pb = inner(l.requantB, q.params[l.inputs[1]], "second");
        const clamp = packed({ multiplier: 1, shift: 0, zeroPoint: 0, lo: l.lo, hi: l.hi }, l.name);
        const chunk = Math.max(1, Math.floor(vrfElements / 2));
        forPixelChunks(o, chunk, (y, x, c0, n) => {
          load(c, sa, pixelIndex(sa, y, x) + c0, n, A);
          load(c, sb, pixelIndex(sb, y, x) + c0, n, chunk);
          emit(c, "vreq", [A, A, pa, n]);
          emit(c, "vreq", [chunk, chunk, pb, n]);
          emit(c, "vadd", [A, A, chunk, n]);
          emit(c, "vreq", [A, A, clamp, n]);
          storeChunk(c, o, pixelIndex(o, y, x) + c0, n, A);
        });
        return;
      }
      case "clamp": {
        const s = viewOf(l.inputs[0]).store;
        const o = viewOf(l.output).store;
        const inP = q.params[l.inputs[0]];
        let op: { mn: string; packed?: number };
        if (l.lo === 0 && l.hi === inP.hi) op = { mn: "vrelu" };
        else op = { mn: "vreq", packed: packed({ multiplier: 1, shift: 0, zeroPoint: 0, lo: l.lo, hi: l.hi }, l.name) };
        forPixelChunks(o, vrfElements, (y, x, c0, n) => {
          load(c, s, pixelIndex(s, y, x) + c0, n, 0);
          if (op.mn === "vrelu") emit(c, "vrelu", [0, 0, n]);
          else emit(c, "vreq", [0, 0, op.packed as number, n]);
          storeChunk(c, o, pixelIndex(o, y, x) + c0, n, 0);
        });
        return;
      }
      default:
        throw unsupported(`${l.name}: ${l.kind === "lut" ? l.fn : l.kind} is not on the hardware path yet (supported: dense, conv2d, max-pool, global average pool, residual add, ReLU, flatten; a final softmax runs on the host)`);
    }
  }

  // ---- finalize: counts are known; write the programs
  const programs: CoreProgram[] = [];
  for (const cs of [...coreStates.values()].sort((a, b) => a.tile - b.tile || a.core - b.core)) {
    if (cs.items.length === 0) continue;
    const { asm, instructions } = finalizeProgram(cs);
    programs.push({ tile: cs.tile, core: cs.core, asm, instructions });
  }
  const inputRuns: StoreRun[] = [];
  for (const t of [...inputStore.tiles].sort((a, b) => a - b)) {
    const r = inputStore.reads.get(t) as Int32Array;
    for (let y = 0; y < inputStore.h; y++) {
      for (const [a, n] of segments(inputStore, pixelIndex(inputStore, y, 0), inputStore.w * inputStore.c)) {
        if (r[a] > 0) inputRuns.push({ tile: t, addr: (inputStore.addr.get(t) as number) + a, start: a, length: n, consumers: r[a] });
      }
    }
  }
  const g = (s: Store): StoreGeometry => ({ c: s.c, h: s.h, w: s.w, pad: s.pad });
  return {
    programs,
    images,
    constants,
    input: { tensor: q.input, geometry: g(inputStore), runs: inputRuns },
    output: { tensor: outputTensor, geometry: g(outStore), runs: hostReads, excluded },
    memoryUsed: memUsed,
  };
}

const OPERANDS: Record<string, number> = { vld: 3, vst: 4, mvm: 2, vadd: 4, vmax: 4, vreq: 4, vrelu: 3, vset: 3, send: 4, recv: 4 };

/** Writes one core's items as assembly, keeping constants in scalar registers x5…x31. */
function finalizeProgram(cs: CoreState): { asm: string; instructions: number } {
  const lines: string[] = [`# tile ${cs.tile} core ${cs.core}: generated by rramsim compile`];
  const held = new Map<number, number>();
  const regValue = new Array<number | undefined>(32).fill(undefined);
  let next = 5;
  let instructions = 0;
  const reg = (v: number, locked: Set<number>): number => {
    const value = v | 0;
    const r = held.get(value);
    if (r !== undefined) {
      locked.add(r);
      return r;
    }
    if (value === 0) return 0;
    let pick = next;
    while (locked.has(pick)) pick = pick === 31 ? 5 : pick + 1;
    next = pick === 31 ? 5 : pick + 1;
    const old = regValue[pick];
    if (old !== undefined) held.delete(old);
    regValue[pick] = value;
    held.set(value, pick);
    locked.add(pick);
    lines.push(`  li x${pick}, ${value}`);
    instructions += value >= -2048 && value < 2048 ? 1 : (value & 0xfff) === 0 ? 1 : 2;
    return pick;
  };
  held.set(0, 0);
  const put = (ins: { mn: string; vals: number[]; imm?: number }) => {
    if (OPERANDS[ins.mn] !== ins.vals.length) throw new RramsimError("SIM_STATE", `codegen: ${ins.mn} with ${ins.vals.length} operands`);
    const locked = new Set<number>();
    const regs = ins.vals.map((v) => `x${reg(v, locked)}`);
    lines.push(`  ${ins.mn} ${ins.imm === undefined ? regs.join(", ") : `${regs.join(", ")}, ${ins.imm}`}`);
    instructions++;
  };
  for (const it of cs.items) {
    if ("lazy" in it) for (const x of it.lazy()) put(x);
    else put(it);
  }
  lines.push("  halt");
  instructions++;
  return { asm: lines.join("\n") + "\n", instructions };
}
