// Block packing in the mapper (compiler/map/mapping.ts, `pack: true`): Wu et al. 2023's LeNet
// (docs/references.md §3.2, Table 2: 6 crossbars, 707 tile ops) on their 4 arrays of 64 rows ×
// 32 logical columns (differential pairs of 64 physical columns) fits packed, with the block and
// tile-op counts worked out here from the layer shapes; the packing rules (no two blocks of one
// work group on a unit, a unit's blocks in disjoint columns, block-table slots 0 … n−1) hold;
// too many blocks is a MAPPING error.
import { describe, expect, it } from "vitest";
import { mapLayers, type BlockPlacement, type LayerDemand, type MvmuGeometry } from "../../compiler/map/mapping";

// The LeNet of Wu et al.: conv1 4@5×5 on 1 channel (K = 25) at 24 × 24 positions, conv2 12@5×5 on
// 4 channels (K = 100) at 8 × 8, fc 192 → 10 once.
const WU_LENET: LayerDemand[] = [
  { name: "conv1", k: 25, n: 4, positions: 576 },
  { name: "conv2", k: 100, n: 12, positions: 64 },
  { name: "fc", k: 192, n: 10, positions: 1 },
];
const WU: MvmuGeometry = { rows: 64, cols: 32, crossbarsPerMvmu: 1, mvmusPerCore: 1, coresPerTile: 1, tiles: 4 };

const unitOf = (b: BlockPlacement) => `${b.tile}/${b.core}/${b.mvmu}`;

/** Checks the packing rules on a mapping's blocks. */
function checkPacking(blocks: readonly BlockPlacement[], g: MvmuGeometry): void {
  const byUnit = new Map<string, BlockPlacement[]>();
  for (const b of blocks) byUnit.set(unitOf(b), [...(byUnit.get(unitOf(b)) ?? []), b]);
  for (const list of byUnit.values()) {
    // one work group (layer, replica, column block) at most once per unit
    const groups = list.map((b) => `${b.layer}/${b.replica}/${b.colBlock}`);
    expect(new Set(groups).size).toBe(groups.length);
    // columns disjoint and inside the unit; rows from 0
    const cols = new Uint8Array(g.cols);
    for (const b of list) {
      expect(b.colOffset + b.colCount).toBeLessThanOrEqual(g.cols);
      expect(b.rowCount).toBeLessThanOrEqual(g.rows);
      for (let j = b.colOffset; j < b.colOffset + b.colCount; j++) cols[j]++;
    }
    expect(Math.max(...cols)).toBeLessThanOrEqual(1);
    // block-table slots 0 … n − 1
    expect(list.map((b) => b.slot).sort((a, b) => a - b)).toEqual(list.map((_, i) => i));
  }
}

describe("block packing", () => {
  it("Wu et al.'s LeNet on their 4 arrays: 6 blocks on ≤ 4 units, 707 tile ops per inference", () => {
    // blocks ⌈K/64⌉ × ⌈N/32⌉: conv1 1 × 1, conv2 2 × 1, fc 3 × 1 = 6 (Table 2: 6 crossbars)
    // tile ops: every block once per position: 576 + 2 × 64 + 3 × 1 = 707 (Table 2: 707)
    const m = mapLayers(WU_LENET, WU, { pack: true });
    expect(m.weightBlocks).toBe(1 + 2 + 3);
    expect(m.blocks).toHaveLength(6);
    expect(m.mvmsPerInference).toBe(576 + 2 * 64 + 3);
    expect(m.mvmsPerInference).toBe(707);
    expect(m.packed).toBe(true);
    expect(m.mvmusAvailable).toBe(4);
    expect(m.mvmusUsed).toBeLessThanOrEqual(4);
    expect(new Set(m.blocks.map(unitOf)).size).toBe(m.mvmusUsed);
    checkPacking(m.blocks, WU);
    // each layer's blocks cover its K × N weights exactly once
    WU_LENET.forEach((l, li) => {
      const cover = new Uint8Array(l.k * l.n);
      for (const b of m.blocks.filter((x) => x.layer === li)) for (let i = b.rowStart; i < b.rowStart + b.rowCount; i++) for (let j = b.colStart; j < b.colStart + b.colCount; j++) cover[i * l.n + j]++;
      expect(cover.every((c) => c === 1)).toBe(true);
    });
    // unpacked, the 6 blocks need 6 units: the 4-tile geometry refuses
    expect(() => mapLayers(WU_LENET, WU)).toThrow(expect.objectContaining({ code: "MAPPING" }));
  });

  it("packing places one block per unit while units remain, in layer order; only then shares units", () => {
    // 6 units: nothing to share
    const roomy = mapLayers(WU_LENET, { ...WU, tiles: 6 }, { pack: true });
    expect(roomy.mvmusUsed).toBe(6);
    expect(roomy.blocks.every((b) => b.slot === 0 && b.colOffset === 0)).toBe(true);
    // 4 units: the first four blocks (conv1, conv2 × 2, fc row block 0) take one unit each
    const m = mapLayers(WU_LENET, WU, { pack: true });
    expect(m.blocks.slice(0, 4).map((b) => b.tile)).toEqual([0, 1, 2, 3]);
    expect(m.blocks.slice(0, 4).every((b) => b.slot === 0)).toBe(true);
    expect(m.blocks.slice(4).every((b) => b.slot > 0 && b.colOffset > 0)).toBe(true);
  });

  it("the packing rules and counts hold on other layer lists that fit 3 units packed", () => {
    const cases: LayerDemand[][] = [
      [
        { name: "a", k: 130, n: 7, positions: 10 },
        { name: "b", k: 64, n: 20, positions: 3 },
      ],
      [
        { name: "a", k: 10, n: 3, positions: 1 },
        { name: "b", k: 10, n: 3, positions: 1 },
        { name: "c", k: 10, n: 3, positions: 1 },
        { name: "d", k: 150, n: 5, positions: 2 },
      ],
    ];
    for (const layers of cases) {
      const m = mapLayers(layers, { ...WU, tiles: 3 }, { pack: true });
      checkPacking(m.blocks, { ...WU, tiles: 3 });
      expect(m.packed).toBe(true);
      expect(m.mvmusUsed).toBe(3);
      const blocks = layers.reduce((a, l) => a + Math.ceil(l.k / 64) * Math.ceil(l.n / 32), 0);
      expect(m.weightBlocks).toBe(blocks);
      expect(m.mvmsPerInference).toBe(layers.reduce((a, l) => a + Math.ceil(l.k / 64) * Math.ceil(l.n / 32) * l.positions, 0));
    }
  });

  it("too many blocks is a MAPPING error", () => {
    // 2 units: conv1 → unit 0, conv2 row block 0 → unit 1, row block 1 → unit 0 (unit 1 holds its
    // group), fc row block 0 → unit 1 (20 free columns against 16), row block 1 → unit 0; row block
    // 2 has no unit without an fc block
    expect(() => mapLayers(WU_LENET, { ...WU, tiles: 2 }, { pack: true })).toThrow(expect.objectContaining({ code: "MAPPING", message: expect.stringMatching(/block 2 of layer 'fc'/) }));
    // columns run out: three 32-column blocks of different layers on 2 units
    const wide = ["x", "y", "z"].map((name) => ({ name, k: 64, n: 32, positions: 1 }));
    expect(() => mapLayers(wide, { ...WU, tiles: 2 }, { pack: true })).toThrow(expect.objectContaining({ code: "MAPPING", message: expect.stringMatching(/even packed/) }));
  });
});
