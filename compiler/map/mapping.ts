// Mapping weight matrices onto MVM units. A layer's integer weight matrix (K rows of inputs ×
// N output columns; convolutions unrolled im2col-style, K = (C_in / groups)·kh·kw) is cut into blocks of
// `rows` × `cols`, where `cols` is the number of LOGICAL weight columns one MVM unit holds after bit
// slicing (weight bits over cells of cellBits, in adjacent physical columns) and the signed-weight
// scheme. Blocks of one column block that share an output accumulate their partial sums; they form
// a work group placed on consecutive MVM units, so the reduction stays inside one core when it can,
// inside one tile otherwise (a group larger than a tile spans consecutive tiles). Layers are laid out in order, tile by tile, so consecutive layers sit
// on neighbouring tiles and NoC hops stay short. Optional replication (ISAAC §VIII-B) copies a
// layer's groups to balance the pipeline: the layer with the most MVMs per replica gets the next
// copy while MVM units remain.
//
// Block packing (`pack`, used when the design has fewer MVM units than the model has blocks): the
// weight blocks go one per unit while free units remain, in layer order; every further block goes
// into the unit with the most free logical columns that holds no other block of its work group
// (blocks of one group take different inputs at the same time), in its own columns from row 0.
// A packed block is one entry of its unit's block table (`slot`) and runs as a block MVM (`mvmb`:
// only its rows driven, only its columns converted, arch/mvmu/blocks.ts). Blocks that share a
// unit run one after another: packing trades throughput for fitting the chip.
// Left out: placement search (e.g. simulated annealing), weight reuse across layers, splitting a
// work group's rows unevenly, packing blocks side by side in rows, replication with packing.

import { RramsimError } from "../../sim/errors";

export interface MvmuGeometry {
  /** crossbar rows: inputs per block */
  rows: number;
  /** logical weight columns per MVM unit */
  cols: number;
  /** physical crossbars per MVM unit, for the report */
  crossbarsPerMvmu: number;
  mvmusPerCore: number;
  coresPerTile: number;
  tiles: number;
}

export interface LayerDemand {
  name: string;
  /** rows of the weight matrix (inputs of one MVM) */
  k: number;
  /** columns of the weight matrix (outputs of one MVM) */
  n: number;
  /** MVMs per inference (output positions; 1 for a dense layer) */
  positions: number;
}

/** One block of a layer on one MVM unit. */
export interface BlockPlacement {
  layer: number;
  replica: number;
  rowBlock: number;
  colBlock: number;
  /** rows and columns of the weight matrix this block holds */
  rowStart: number;
  rowCount: number;
  colStart: number;
  colCount: number;
  tile: number;
  core: number;
  mvmu: number;
  /** packed: the block's first logical column in its unit, and its entry in the unit's block table */
  colOffset: number;
  slot: number;
}

export interface LayerMapping {
  name: string;
  rowBlocks: number;
  colBlocks: number;
  replicas: number;
  mvmus: number;
  /** fraction of the MVM units' cells this layer's blocks fill */
  utilisation: number;
  /** MVMs per replica per inference: the layer's share of the pipeline's critical path */
  mvmsPerReplica: number;
}

export interface Mapping {
  geometry: MvmuGeometry;
  blocks: BlockPlacement[];
  layers: LayerMapping[];
  mvmusUsed: number;
  mvmusAvailable: number;
  crossbarsUsed: number;
  /** cells holding weights / cells of the MVM units used */
  utilisation: number;
  /** MVM units used per tile */
  tileLoad: number[];
  /** weight blocks (crossbar-sized pieces of the weight matrices, all replicas) */
  weightBlocks: number;
  /** several blocks share units (`slot`/`colOffset` are meaningful, the code runs block MVMs) */
  packed: boolean;
  /** MVMs per inference: every block's positions */
  mvmsPerInference: number;
}

export interface MapOptions {
  /** copy layers to balance the pipeline while MVM units remain (ISAAC) */
  replicate?: boolean;
  /** pack several blocks into one unit (see the header); replication is then off */
  pack?: boolean;
  /** at most this many copies of one layer */
  maxReplicas?: number;
}

export function blocksOf(layer: LayerDemand, g: MvmuGeometry): { rowBlocks: number; colBlocks: number } {
  return { rowBlocks: Math.ceil(layer.k / g.rows), colBlocks: Math.ceil(layer.n / g.cols) };
}

export function mapLayers(layers: readonly LayerDemand[], g: MvmuGeometry, opts: MapOptions = {}): Mapping {
  if (opts.pack === true) return packLayers(layers, g);
  const perCore = g.mvmusPerCore;
  const available = g.tiles * g.coresPerTile * perCore;
  const shapes = layers.map((l) => blocksOf(l, g));
  const groupSize = shapes.map((s) => s.rowBlocks);
  // MVM units a replica needs when each group starts on a fresh core: groups never share a core
  const coresPerGroup = groupSize.map((r) => Math.ceil(r / perCore));
  const coresPerReplica = shapes.map((s, i) => s.colBlocks * coresPerGroup[i]);
  const replicas = layers.map(() => 1);
  const totalCores = g.tiles * g.coresPerTile;
  const coresNeeded = () => coresPerReplica.reduce((a, c, i) => a + c * replicas[i], 0);
  if (coresNeeded() > totalCores) {
    throw new RramsimError("MAPPING", `the model needs ${coresNeeded()} cores (${shapes.reduce((a, s) => a + s.rowBlocks * s.colBlocks, 0)} MVM units) but the design has ${totalCores} cores`);
  }
  if (opts.replicate) {
    const maxR = opts.maxReplicas ?? Infinity;
    for (;;) {
      // the bottleneck layer: most MVMs per replica
      let worst = -1;
      for (let i = 0; i < layers.length; i++) {
        if (replicas[i] >= maxR || replicas[i] >= layers[i].positions) continue;
        if (worst < 0 || layers[i].positions / replicas[i] > layers[worst].positions / replicas[worst]) worst = i;
      }
      if (worst < 0 || coresNeeded() + coresPerReplica[worst] > totalCores) break;
      replicas[worst]++;
    }
  }

  // Place: layers in order; each (replica, column block) group on consecutive cores, never split
  // across tiles when it fits one (a group that would straddle moves to the next tile); a group
  // larger than a tile starts on a fresh tile and fills consecutive tiles (its partial sums then
  // cross the network).
  const blocks: BlockPlacement[] = [];
  const cpt = g.coresPerTile;
  let gcore = 0;
  const tileLoad = new Array<number>(g.tiles).fill(0);
  for (let li = 0; li < layers.length; li++) {
    const { rowBlocks, colBlocks } = shapes[li];
    const cpg = coresPerGroup[li];
    for (let r = 0; r < replicas[li]; r++) {
      for (let cb = 0; cb < colBlocks; cb++) {
        const at = gcore % cpt;
        if ((cpg <= cpt && at + cpg > cpt) || (cpg > cpt && at !== 0)) gcore += cpt - at;
        if (Math.floor((gcore + cpg - 1) / cpt) >= g.tiles) throw new RramsimError("MAPPING", `out of tiles placing layer '${layers[li].name}'`);
        for (let rb = 0; rb < rowBlocks; rb++) {
          const gc = gcore + Math.floor(rb / perCore);
          const tile = Math.floor(gc / cpt);
          blocks.push({
            layer: li,
            replica: r,
            rowBlock: rb,
            colBlock: cb,
            rowStart: rb * g.rows,
            rowCount: Math.min(g.rows, layers[li].k - rb * g.rows),
            colStart: cb * g.cols,
            colCount: Math.min(g.cols, layers[li].n - cb * g.cols),
            tile,
            core: gc % cpt,
            mvmu: rb % perCore,
            colOffset: 0,
            slot: 0,
          });
          tileLoad[tile]++;
        }
        gcore += cpg;
      }
    }
  }

  return summarise(layers, g, blocks, replicas, tileLoad, available, false);
}

/** Packs the blocks into the units (see the header). */
function packLayers(layers: readonly LayerDemand[], g: MvmuGeometry): Mapping {
  const perCore = g.mvmusPerCore;
  const available = g.tiles * g.coresPerTile * perCore;
  const shapes = layers.map((l) => blocksOf(l, g));
  const total = shapes.reduce((a, s) => a + s.rowBlocks * s.colBlocks, 0);
  const free = new Array<number>(available).fill(g.cols);
  const slots = new Array<number>(available).fill(0);
  const groupsOn = Array.from({ length: available }, () => new Set<string>());
  const blocks: BlockPlacement[] = [];
  const tileLoad = new Array<number>(g.tiles).fill(0);
  let next = 0;
  for (let li = 0; li < layers.length; li++) {
    const { rowBlocks, colBlocks } = shapes[li];
    for (let cb = 0; cb < colBlocks; cb++) {
      const key = `${li}/${cb}`;
      const colCount = Math.min(g.cols, layers[li].n - cb * g.cols);
      for (let rb = 0; rb < rowBlocks; rb++) {
        let u = -1;
        if (next < available) u = next++;
        else {
          for (let k = 0; k < available; k++) if (free[k] >= colCount && !groupsOn[k].has(key) && (u < 0 || free[k] > free[u])) u = k;
        }
        if (u < 0) {
          throw new RramsimError(
            "MAPPING",
            `the model's ${total} weight blocks do not fit ${available} MVM units of ${g.rows} × ${g.cols} even packed: no unit has ${colCount} free columns for block ${rb} of layer '${layers[li].name}' outside its work group`,
          );
        }
        const tile = Math.floor(u / (g.coresPerTile * perCore));
        const inTile = u % (g.coresPerTile * perCore);
        blocks.push({
          layer: li,
          replica: 0,
          rowBlock: rb,
          colBlock: cb,
          rowStart: rb * g.rows,
          rowCount: Math.min(g.rows, layers[li].k - rb * g.rows),
          colStart: cb * g.cols,
          colCount,
          tile,
          core: Math.floor(inTile / perCore),
          mvmu: inTile % perCore,
          colOffset: g.cols - free[u],
          slot: slots[u]++,
        });
        if (slots[u] === 1) tileLoad[tile]++;
        free[u] -= colCount;
        groupsOn[u].add(key);
      }
    }
  }
  return summarise(
    layers,
    g,
    blocks,
    layers.map(() => 1),
    tileLoad,
    available,
    true,
  );
}

function summarise(layers: readonly LayerDemand[], g: MvmuGeometry, blocks: BlockPlacement[], replicas: number[], tileLoad: number[], available: number, packed: boolean): Mapping {
  const shapes = layers.map((l) => blocksOf(l, g));
  const unitKey = (b: BlockPlacement) => `${b.tile}/${b.core}/${b.mvmu}`;
  const cellsPerMvmu = g.rows * g.cols;
  const layerMaps: LayerMapping[] = layers.map((l, i) => {
    const mine = blocks.filter((b) => b.layer === i);
    const used = mine.reduce((a, b) => a + b.rowCount * b.colCount, 0);
    const units = new Set(mine.map(unitKey)).size;
    return {
      name: l.name,
      rowBlocks: shapes[i].rowBlocks,
      colBlocks: shapes[i].colBlocks,
      replicas: replicas[i],
      mvmus: units,
      utilisation: used / (units * cellsPerMvmu),
      mvmsPerReplica: Math.ceil(l.positions / replicas[i]),
    };
  });
  const usedCells = blocks.reduce((a, b) => a + b.rowCount * b.colCount, 0);
  const units = new Set(blocks.map(unitKey)).size;
  return {
    geometry: g,
    blocks,
    layers: layerMaps,
    mvmusUsed: units,
    mvmusAvailable: available,
    crossbarsUsed: units * g.crossbarsPerMvmu,
    utilisation: units === 0 ? 0 : usedCells / (units * cellsPerMvmu),
    tileLoad,
    weightBlocks: blocks.length,
    packed,
    mvmsPerInference: blocks.reduce((a, b) => {
      const P = layers[b.layer].positions;
      const per = Math.ceil(P / replicas[b.layer]);
      return a + Math.max(0, Math.min(P, (b.replica + 1) * per) - b.replica * per);
    }, 0),
  };
}
