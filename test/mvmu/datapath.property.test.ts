// The functional path is exact at the lossless ADC resolution and lossy one bit below, over random
// shapes and encodings (fast-check). Expected values: a naive BigInt product and a hand formula
// for the lossless resolution (helpers.ts), never the code under test.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdealArray } from "../../arch/crossbar/ideal-array";
import { MvmuDatapath } from "../../arch/mvmu/datapath";
import { adcBitsLossless, mvmuGeometryInfo } from "../../arch/mvmu/encoding";
import { columnsPerWeight, exactProduct, inputBounds, losslessBitsByHand, paramsFor, shapeArb, weightBounds, type ShapeSpec } from "./helpers";

function datapathFor(s: ShapeSpec, adcBits: number, shortcut = true): MvmuDatapath {
  const p = paramsFor(s, adcBits);
  const g = mvmuGeometryInfo(p);
  return new MvmuDatapath(
    p,
    Array.from({ length: s.crossbars }, () => new IdealArray(g.rows, g.physColsPerCrossbar, s.cellBits)),
    { shortcut },
  );
}

function run(dp: MvmuDatapath, x: number[]): bigint[] {
  const out = new Float64Array(dp.programmedCols);
  dp.run(x, out);
  return Array.from(out, (v) => {
    expect(Number.isInteger(v)).toBe(true);
    return BigInt(v);
  });
}

/**
 * A weight whose stored cell digits are all ⌈L/2⌉, L = 2^cellBits − 1: flipped, a column of them
 * holds ⌊L/2⌋ per cell, the largest level a flipped column can hold (the top slice is truncated to
 * the magnitude bits, the lower slices are exact).
 */
function midDigitWeight(s: ShapeSpec): number {
  const d = Math.ceil((2 ** s.cellBits - 1) / 2);
  const magBits = s.signedWeights === "differential" ? s.weightBits - 1 : s.weightBits;
  let stored = 0;
  for (let k = 0; k * s.cellBits < magBits; k++) stored += d * 2 ** (k * s.cellBits);
  stored %= 2 ** magBits;
  return s.signedWeights === "bias" ? stored - 2 ** (s.weightBits - 1) : stored;
}

// shapes whose lossless resolution fits a 16-bit ADC and that hold at least one weight
const usable = (s: ShapeSpec) => columnsPerWeight(s) <= s.crossbars * s.cols && losslessBitsByHand(s) <= 16;

const caseArb = shapeArb.filter(usable).chain((s) => {
  const logical = Math.floor((s.crossbars * s.cols) / columnsPerWeight(s));
  const [wlo, whi] = weightBounds(s);
  const [xlo, xhi] = inputBounds(s);
  return fc.record({
    s: fc.constant(s),
    rows: fc.integer({ min: 1, max: s.rows }),
    cols: fc.integer({ min: 1, max: Math.min(logical, 6) }),
    seedW: fc.array(fc.integer({ min: wlo, max: whi }), { minLength: 256 * 6, maxLength: 256 * 6 }),
    xs: fc.array(fc.array(fc.integer({ min: xlo, max: xhi }), { minLength: 256, maxLength: 256 }), { minLength: 1, maxLength: 2 }),
  });
});

describe("MVMU datapath with an ideal device", () => {
  it("the lossless ADC resolution matches the hand formula", () => {
    fc.assert(
      fc.property(
        shapeArb.filter((s) => columnsPerWeight(s) <= s.crossbars * s.cols),
        (s) => {
          expect(adcBitsLossless(paramsFor(s, 8))).toBe(losslessBitsByHand(s));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("at the lossless ADC resolution, results equal the exact integer product bit for bit (step by step, and through the lossless shortcut)", () => {
    fc.assert(
      fc.property(caseArb, ({ s, rows, cols, seedW, xs }) => {
        const stepwise = datapathFor(s, losslessBitsByHand(s), false);
        const shortcut = datapathFor(s, losslessBitsByHand(s), true);
        expect(stepwise.shortcut).toBeNull();
        expect(shortcut.shortcut).not.toBeNull();
        const w = seedW.slice(0, rows * cols);
        stepwise.program(w, rows, cols);
        shortcut.program(w, rows, cols);
        for (const x0 of xs) {
          const x = x0.slice(0, rows);
          const want = exactProduct(w, rows, cols, x);
          expect(run(stepwise, x)).toEqual(want);
          expect(run(shortcut, x)).toEqual(want);
        }
      }),
      { numRuns: 250 },
    );
  });

  it("reprogramming a smaller block leaves no stale inputs behind", () => {
    const s: ShapeSpec = {
      rows: 8,
      cols: 8,
      crossbars: 1,
      cellBits: 2,
      dacBits: 1,
      weightBits: 4,
      inputBits: 4,
      signedInputs: false,
      signedWeights: "none",
      flip: false,
      unitColumn: "digital",
      accumulateSteps: false,
      columnsPerAdc: 8,
    };
    for (const shortcut of [false, true]) {
      const dp = datapathFor(s, losslessBitsByHand(s), shortcut);
      dp.program(new Array(8 * 2).fill(1), 8, 2);
      run(dp, new Array(8).fill(15));
      dp.program([1, 2, 3, 4], 2, 2);
      expect(run(dp, [1, 1])).toEqual([4n, 6n]);
    }
  });

  it("one bit below the lossless resolution, some adversarial input differs", () => {
    fc.assert(
      fc.property(
        shapeArb.filter((s) => usable(s) && losslessBitsByHand(s) >= 2),
        fc.integer({ min: 0, max: 1000 }),
        (s, salt) => {
          const dp = datapathFor(s, losslessBitsByHand(s) - 1);
          const rows = s.rows;
          const [wlo, whi] = weightBounds(s);
          const [xlo, xhi] = inputBounds(s);
          const cols = 1;
          const single = (v: number) => Array.from({ length: rows * cols }, (_, i) => (i === 0 ? v : 0));
          const weights = [
            single(1),
            single(wlo),
            new Array(rows).fill(whi),
            new Array(rows).fill(wlo),
            new Array(rows).fill(midDigitWeight(s)),
            Array.from({ length: rows }, (_, i) => ((i * 7 + salt) % (whi - wlo + 1)) + wlo),
          ];
          const inputs = [single(1), new Array(rows).fill(xhi), new Array(rows).fill(xlo), Array.from({ length: rows }, (_, i) => ((i * 13 + salt) % (xhi - xlo + 1)) + xlo)];
          if (xlo < 0) inputs.push(single(-1));
          let differs = false;
          for (const w of weights) {
            dp.program(w, rows, cols);
            for (const x of inputs) if (run(dp, x)[0] !== exactProduct(w, rows, cols, x)[0]) differs = true;
          }
          expect(differs).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
