import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mapLayers, type MvmuGeometry } from "../../compiler/map/mapping";

// Small tiles (2 cores × 2 MVM units of 16 rows) so that layers often need work groups larger than a tile.
const g: MvmuGeometry = { rows: 16, cols: 8, crossbarsPerMvmu: 1, mvmusPerCore: 2, coresPerTile: 2, tiles: 64 };

describe("placement of work groups", () => {
  it("no two blocks share an MVM unit, and a group larger than a tile starts a fresh tile and fills consecutive ones (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ k: fc.integer({ min: 1, max: 200 }), n: fc.integer({ min: 1, max: 20 }), positions: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 4 }), (specs) => {
        const layers = specs.map((s, i) => ({ name: `l${i}`, ...s }));
        let m;
        try {
          m = mapLayers(layers, g);
        } catch (e) {
          expect((e as { code?: string }).code).toBe("MAPPING");
          return;
        }
        const seen = new Set<string>();
        for (const b of m.blocks) {
          const key = `${b.tile}/${b.core}/${b.mvmu}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
        const perTile = g.coresPerTile * g.mvmusPerCore;
        layers.forEach((l, li) => {
          const rowBlocks = Math.ceil(l.k / g.rows);
          for (const cb of new Set(m.blocks.filter((b) => b.layer === li).map((b) => b.colBlock))) {
            const grp = m.blocks.filter((b) => b.layer === li && b.colBlock === cb).sort((a, b) => a.rowBlock - b.rowBlock);
            expect(grp.length).toBe(rowBlocks);
            const slots = grp.map((b) => (b.tile * g.coresPerTile + b.core) * g.mvmusPerCore + b.mvmu);
            // consecutive MVM units in row-block order
            slots.forEach((s, i) => expect(s).toBe(slots[0] + i));
            if (rowBlocks > perTile) expect(grp[0].core === 0 && grp[0].mvmu === 0).toBe(true);
            else expect(new Set(grp.map((b) => b.tile)).size).toBe(1);
          }
        });
      }),
      { numRuns: 60 },
    );
  });
});
