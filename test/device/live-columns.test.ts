// Reading only the live columns of a physical array (the MVM unit's programmed ones) must not change
// what the live columns read, nor anything read later: the skipped columns' noise draws are skipped
// in the stream, not omitted. The reference is the same array read over all columns.

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { PhysicalArray } from "../../arch/crossbar/physical-array";
import { loadDevice } from "../../arch/device/device-config";
import { RandomStream } from "../../sim/random";

describe("skipNormals advances a stream exactly as that many normal() calls", () => {
  it("for any count, after any number of earlier draws (with or without a spare half-pair)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 1000 }), (before, n, seed) => {
        const a = new RandomStream(seed, "s");
        const b = new RandomStream(seed, "s");
        for (let i = 0; i < before; i++) expect(a.normal()).toBe(b.normal());
        for (let i = 0; i < n; i++) a.normal();
        b.skipNormals(n);
        for (let i = 0; i < 5; i++) expect(b.normal()).toBe(a.normal());
        expect(b.uniform()).toBe(a.uniform());
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe("a combined read of the live columns", () => {
  it("gives the live columns' values of a full read, and leaves the stream where a full read does", () => {
    const device = loadDevice("brram-wu2023");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 100_000 }), (rows, cols, live0, seed) => {
        const live = Math.min(live0, cols);
        const r = new RandomStream(seed, "data");
        const levels = Float64Array.from({ length: rows * cols }, () => Math.floor(r.uniform() * 16));
        const make = () => {
          const a = new PhysicalArray({ device, rows, cols, cellBits: 4, stream: new RandomStream(seed, "xbar") });
          a.program(levels);
          return a;
        };
        const full = make();
        const part = make();
        const x = Float64Array.from({ length: rows }, () => Math.floor(r.uniform() * 256));
        const noiseWeight = 1 + Math.floor(r.uniform() * 1000);
        const a = new Float64Array(cols);
        const b = new Float64Array(cols);
        for (let read = 0; read < 3; read++) {
          full.readColumnsCombined(x, noiseWeight, a);
          part.readColumnsCombined(x, noiseWeight, b, live);
          for (let c = 0; c < live; c++) expect(b[c]).toBe(a[c]);
        }
        // a later full read of both agrees everywhere: the streams are in step
        full.readColumnsCombined(x, noiseWeight, a);
        part.readColumnsCombined(x, noiseWeight, b);
        expect(Array.from(b)).toEqual(Array.from(a));
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});
