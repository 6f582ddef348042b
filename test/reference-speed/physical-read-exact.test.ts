// The physical array's linear read (arch/crossbar/physical-array.ts: driven rows listed first, then
// eight or four rows added per pass over the columns) against a plain loop written here over the
// array's effective levels: each column sums from +0 over the rows with x[r] ≠ 0 in ascending r.
// With no per-read noise (noiseWeight 0) the combined read must equal it bit for bit (Object.is).

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PhysicalArray } from "../../arch/crossbar/physical-array";
import { loadDevice } from "../../arch/device/device-config";
import { RandomStream } from "../../sim/random";

describe("physical array linear read sums driven rows in ascending order from +0", () => {
  it("readColumnsCombined without noise equals the plain ordered sum over effective levels, any size and sparsity", () => {
    const device = loadDevice("brram-wu2023");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom(0, 0.3, 0.8, 1), fc.integer({ min: 0, max: 1_000_000 }), (rows, cols, zeros, seed) => {
        const r = new RandomStream(seed, "read");
        const a = new PhysicalArray({ device, rows, cols, cellBits: 4, stream: new RandomStream(seed, "xbar") });
        a.program(Float64Array.from({ length: rows * cols }, () => Math.floor(r.uniform() * 16)));
        const x = Float64Array.from({ length: rows }, () => {
          const u = r.uniform();
          if (u < zeros / 2) return 0;
          if (u < zeros) return -0;
          return Math.floor(r.uniform() * 511) - 255;
        });
        const out = new Float64Array(cols);
        a.readColumnsCombined(x, 0, out);
        const weff = a.effectiveLevels();
        for (let c = 0; c < cols; c++) {
          let s = 0;
          for (let i = 0; i < rows; i++) if (x[i] !== 0) s += weff[i * cols + c] * x[i];
          if (!Object.is(out[c], s)) expect({ c, got: out[c] }).toEqual({ c, got: s });
        }
      }),
      { numRuns: 150, seed: 20261123 },
    );
  });
});
