import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mapLayers, type MvmuGeometry } from "../../compiler/map/mapping";

const g: MvmuGeometry = { rows: 64, cols: 32, crossbarsPerMvmu: 1, mvmusPerCore: 2, coresPerTile: 4, tiles: 16 };

describe("mapping layers onto MVM units", () => {
  it("the blocks cover every weight of every layer exactly once (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ k: fc.integer({ min: 1, max: 400 }), n: fc.integer({ min: 1, max: 100 }), positions: fc.integer({ min: 1, max: 50 }) }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (specs, replicate) => {
          const layers = specs.map((s, i) => ({ name: `l${i}`, ...s }));
          let m;
          try {
            m = mapLayers(layers, g, { replicate });
          } catch (e) {
            expect((e as { code?: string }).code).toBe("MAPPING");
            return;
          }
          layers.forEach((l, li) => {
            for (let r = 0; r < m.layers[li].replicas; r++) {
              const cover = new Uint8Array(l.k * l.n);
              for (const b of m.blocks.filter((x) => x.layer === li && x.replica === r)) {
                for (let i = b.rowStart; i < b.rowStart + b.rowCount; i++) for (let j = b.colStart; j < b.colStart + b.colCount; j++) cover[i * l.n + j]++;
              }
              expect(cover.every((c) => c === 1)).toBe(true);
            }
          });
          // no MVM unit holds two blocks
          const slots = new Set(m.blocks.map((b) => `${b.tile}.${b.core}.${b.mvmu}`));
          expect(slots.size).toBe(m.blocks.length);
        },
      ),
    );
  });
  it("a work group (one column block's row blocks) stays in one tile", () => {
    const m = mapLayers([{ name: "fc", k: 64 * 7, n: 32 * 3, positions: 1 }], g);
    for (let cb = 0; cb < 3; cb++) {
      const tiles = new Set(m.blocks.filter((b) => b.colBlock === cb).map((b) => b.tile));
      expect(tiles.size).toBe(1);
    }
  });
  it("replication gives the busiest layer copies while cores remain", () => {
    const m = mapLayers(
      [
        { name: "conv1", k: 25, n: 6, positions: 784 },
        { name: "fc", k: 120, n: 10, positions: 1 },
      ],
      { ...g, tiles: 2 },
      { replicate: true },
    );
    // 2 tiles × 4 cores = 8 cores; fc needs 1 core (2 row blocks on 2 MVMUs), conv1 gets the other 7
    expect(m.layers[0].replicas).toBe(7);
    expect(m.layers[1].replicas).toBe(1);
  });
  it("too large a model is a MAPPING error", () => {
    expect(() => mapLayers([{ name: "big", k: 64, n: 32 * 1000, positions: 1 }], g)).toThrow(/needs 1000 cores/);
  });
});
