// The emitter of a matrix layer (dense or conv2d): the crossbar images of its MVM units, its bias
// constants and partial-sum slots, and per output position the code of each work group.
//
// Crossbar rows follow the gather order of the stored input (HWC with a zero frame, context.ts) —
// row k' = (ky·kw + kx)·C + c — so the weight matrix's rows are permuted from the reference's
// k = (c·kh + ky)·kw + kx; a dense layer after Flatten reads its input in HWC order and its rows
// are permuted the same way.
//
// Per output position a work group (the row blocks of one column block, on one or a few cores of
// one tile) gathers its rows (`vld`), runs one `mvm` per unit, adds the units' partial sums
// (`vadd`; across cores through a shared-memory slot, sent to the leader's tile when the core is
// on another tile), adds the bias (`vld` of a constant, `vadd`), requantises (`vreq`, with a fused
// ReLU as its lower bound) and stores the position's channels. Replicas split the positions into
// consecutive ranges. When the registers hold a second set of inputs and a separate temporary,
// position p+1 gathers while position p's MVMs run.
//
// When the mapping packs several blocks into one unit (compiler/map/mapping.ts), each block's
// image records its columns in the unit and its entry in the unit's block table; its inputs are
// gathered from row 0 as usual, its outputs are read at its column offset, and each MVM is an
// `mvmb` of that block (only its rows driven, only its columns converted).
//
// Left out: grouped or dilated convolutions (refused in context.ts), overlapping inferences.

import { RramsimError } from "../../../sim/errors";
import type { Conv2dNode } from "../../ir/model";
import type { QMatrixLayer } from "../../quant/quantize";
import { alloc, coreOf, emit, groupsOf, packed, pixelIndex, viewOf, type CoreState, type EmitContext } from "./context";
import { load, nextSerial, storeChunk } from "./sync";

function checkRange(lo: number, hi: number, r: { min: number; max: number }, what: string, fix: string): void {
  if (lo < r.min || hi > r.max) throw new RramsimError("MAPPING", `${what} span [${lo}, ${hi}] but the MVM unit holds [${r.min}, ${r.max}] (${fix})`);
}

/** the first vector register of unit u's inputs (parity 1: the second set, when there is one) */
function inAddr(ctx: EmitContext, u: number, parity = 0): number {
  return (parity === 1 && ctx.regs.doubleBuffer ? ctx.regs.unitsEnd : 0) + u * ctx.rows;
}

/** the first vector register of unit u's outputs */
function outAddr(ctx: EmitContext, u: number): number {
  return ctx.unitsPerCore * ctx.rows + u * ctx.cols;
}

/** the input runs of one output position, in crossbar-row order: rows [k0, k0 + length) come from store elements [start, +length) */
function gatherRuns(ctx: EmitContext, layer: QMatrixLayer, pos: number): Array<{ k0: number; start: number; length: number }> {
  const v = viewOf(ctx, layer.inputs[0]);
  const s = v.store;
  const runs: Array<{ k0: number; start: number; length: number }> = [];
  if (layer.kind === "conv2d") {
    const node = layer.node as Conv2dNode;
    const [kh, kw] = node.kernel;
    const [sh, sw] = node.stride;
    const wo = ctx.shapes[layer.output][3];
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
function rowPermutation(ctx: EmitContext, layer: QMatrixLayer): Int32Array {
  const K = layer.k;
  const perm = new Int32Array(K);
  const v = viewOf(ctx, layer.inputs[0]);
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

/** Emits a dense or conv2d layer: checks its codes fit the MVM units, then writes every work group. */
export function emitMatrixLayer(ctx: EmitContext, layer: QMatrixLayer): void {
  let wMin = 0;
  let wMax = 0;
  for (const w of layer.weights) {
    if (w < wMin) wMin = w;
    if (w > wMax) wMax = w;
  }
  checkRange(wMin, wMax, ctx.weightRange, `layer '${layer.name}': weights`, "raise tile.mvmu.precision.weightBits or use a signed tile.mvmu.encoding.signedWeights");
  checkRange(layer.inputParams.lo, layer.inputParams.hi, ctx.inputRange, `layer '${layer.name}': inputs`, "raise tile.mvmu.precision.inputBits or set tile.mvmu.encoding.signedInputs");

  const R = ctx.rows;
  const U = ctx.unitsPerCore;
  const { doubleBuffer, sepTmp, tmpBase } = ctx.regs;
  const gs = groupsOf(ctx, ctx.matrixIndex.get(layer.name) as number);
  const perm = rowPermutation(ctx, layer);
  const K = layer.k;
  const os = viewOf(ctx, layer.output).store;
  const replicas = Math.max(...gs.map((g) => g.replica)) + 1;
  const P = layer.positions;
  const per = Math.ceil(P / replicas);
  const wo = layer.kind === "conv2d" ? ctx.shapes[layer.output][3] : 1;
  for (const g of gs) {
    // images
    for (const c of g.cores) {
      for (const u of c.units) {
        const w = new Int32Array(R * g.colCount);
        for (let r = 0; r < u.rowCount; r++) {
          const kRef = perm[u.rowBlock * R + r];
          for (let j = 0; j < g.colCount; j++) w[r * g.colCount + j] = layer.weights[(g.colStart + j) * K + kRef];
        }
        const refRows = Int32Array.from({ length: R }, (_, r) => (r < u.rowCount ? perm[u.rowBlock * R + r] : -1));
        const image = { tile: c.tile, mvmu: c.core * U + u.unit, layer: layer.name, rowBlock: u.rowBlock, colBlock: g.colBlock, replica: g.replica, rows: R, cols: g.colCount, weights: w, refRows };
        ctx.images.push(ctx.packedUnits ? { ...image, packed: { colOffset: u.colOffset, slot: u.slot, rowCount: u.rowCount } } : image);
      }
    }
    // bias constant and scratch slots
    const bias = Int32Array.from({ length: g.colCount }, (_, j) => layer.bias[g.colStart + j]);
    const biasAddr = alloc(ctx, g.tile, g.colCount);
    ctx.constants.push({ tile: g.tile, addr: biasAddr, values: bias });
    // partial-sum slots: on the core's tile, and on the leader's tile for a core on another tile
    const scratch = g.cores.map((c, i) => (i === 0 ? -1 : alloc(ctx, c.tile, g.colCount)));
    const landing = g.cores.map((c, i) => (i === 0 || c.tile === g.tile ? scratch[i] : alloc(ctx, g.tile, g.colCount)));
    const leader = coreOf(ctx, g.tile, g.cores[0].core);
    const tmp = sepTmp ? tmpBase : inAddr(ctx, 0);
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
      const cs = coreOf(ctx, c.tile, c.core);
      for (const u of c.units) {
        const key = `${c.tile}/${c.core}/${u.unit}`;
        if (!ctx.zeroed.has(key)) {
          ctx.zeroed.add(key);
          emit(cs, "vset", [inAddr(ctx, u.unit), 0, R]);
          if (doubleBuffer) emit(cs, "vset", [inAddr(ctx, u.unit, 1), 0, R]);
        }
      }
    }
    const p0 = g.replica * per;
    const p1 = Math.min(P, p0 + per);
    const src = viewOf(ctx, layer.inputs[0]).store;
    const gather = (pos: number) => {
      const runs = gatherRuns(ctx, layer, pos);
      for (const c of g.cores) {
        const cs = coreOf(ctx, c.tile, c.core);
        for (const u of c.units) {
          const lo = u.rowBlock * R;
          const hi = lo + u.rowCount;
          for (const run of runs) {
            const a = Math.max(lo, run.k0);
            const b = Math.min(hi, run.k0 + run.length);
            if (a < b) load(cs, src, run.start + (a - run.k0), b - a, inAddr(ctx, u.unit, pos & 1) + (a - lo));
          }
        }
      }
    };
    // a block's outputs: its unit's output registers, from its column offset (0 unless packed)
    const outOf = (u: { unit: number; colOffset: number }) => outAddr(ctx, u.unit) + u.colOffset;
    const mvms = (pos: number) => {
      for (const c of g.cores) {
        for (const u of c.units) {
          const cs = coreOf(ctx, c.tile, c.core);
          if (ctx.packedUnits) emit(cs, "mvmb", [inAddr(ctx, u.unit, pos & 1), outAddr(ctx, u.unit)], (u.slot << 4) | u.unit);
          else emit(cs, "mvm", [inAddr(ctx, u.unit, pos & 1), outAddr(ctx, u.unit)], 1 << u.unit);
        }
      }
    };
    const post = (pos: number) => {
      g.cores.forEach((c, ci) => {
        const cs = coreOf(ctx, c.tile, c.core);
        const first = outOf(c.units[0]);
        for (const u of c.units.slice(1)) emit(cs, "vadd", [first, first, outOf(u), g.colCount]);
        if (ci > 0) {
          emit(cs, "vst", [scratch[ci], first, 1, g.colCount]);
          if (c.tile !== g.tile) {
            const tag = 0x8000 | (nextSerial(ctx) & 0x7fff);
            emit(cs, "send", [scratch[ci], g.tile, g.colCount, tag]);
            emit(ctx.receiverOf.get(g.tile) as CoreState, "recv", [landing[ci], c.tile, g.colCount, tag | (1 << 16)]);
          }
        }
      });
      const acc = outOf(g.cores[0].units[0]);
      const unit0Rows = g.cores[0].units[0].rowCount;
      for (let ci = 1; ci < g.cores.length; ci++) {
        emit(leader, "vld", [tmp, landing[ci], g.colCount]);
        emit(leader, "vadd", [acc, acc, tmp, g.colCount]);
      }
      emit(leader, "vld", [tmp, biasAddr, g.colCount]);
      emit(leader, "vadd", [acc, acc, tmp, g.colCount]);
      if (!sepTmp && g.colCount > unit0Rows) emit(leader, "vset", [inAddr(ctx, 0) + unit0Rows, 0, g.colCount - unit0Rows]);
      for (const r of reqRuns) emit(leader, "vreq", [acc + r.j0, acc + r.j0, r.packed, r.n]);
      storeChunk(ctx, leader, os, pixelIndex(os, Math.floor(pos / wo), pos % wo) + g.colStart, g.colCount, acc);
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
