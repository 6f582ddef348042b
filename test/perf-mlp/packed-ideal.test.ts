// The MVMU's packed ideal path (datapath/packed-path.ts: the ideal column sums of a bit-serial step computed from
// the stored weights, k slice columns per double) must give the same outputs, bit for bit, as
// reading IdealArrays step by step, for every encoding, at lossy ADC resolutions (where every step's
// quantisation and clipping shows), with either range policy and rounding. The expected values come
// from the array path (a separate computation: per-cell levels, per-row reads) and, for one small
// case, from hand arithmetic.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdealArray } from "../../arch/crossbar/ideal-array";
import { MvmuDatapath } from "../../arch/mvmu/datapath";
import { mvmuGeometryInfo } from "../../arch/mvmu/encoding";
import type { MvmuParams } from "../../arch/mvmu/params";
import { columnsPerWeight, inputBounds, losslessBitsByHand, paramsFor, shapeArb, weightBounds, type ShapeSpec } from "../mvmu/helpers";

function datapath(p: MvmuParams, packed: boolean): MvmuDatapath {
  const g = mvmuGeometryInfo(p);
  const arrays = Array.from({ length: p.crossbars }, () => new IdealArray(g.rows, g.physColsPerCrossbar, p.crossbar.cellBits));
  return new MvmuDatapath(p, arrays, { packed, shortcut: false });
}

function outputs(dp: MvmuDatapath, x: number[]): number[] {
  const out = new Float64Array(dp.programmedCols);
  dp.run(x, out);
  return Array.from(out);
}

const adcArb = fc.record({
  range: fc.oneof(
    fc.constant({ kind: "fullScale" as const }),
    fc.double({ min: 0.05, max: 1, noNaN: true }).map((fraction) => ({ kind: "clip" as const, fraction })),
  ),
  rounding: fc.constantFrom("halfEven" as const, "halfUp" as const, "floor" as const),
});

// an input is often 0 (a row never driven) or small (its high steps drive no row)
const inputArb = (lo: number, hi: number) => fc.oneof(fc.constant(0), fc.integer({ min: lo, max: hi }), fc.integer({ min: Math.max(lo, -3), max: Math.min(hi, 15) }));

const caseArb = shapeArb
  .filter((s: ShapeSpec) => columnsPerWeight(s) <= s.crossbars * s.cols)
  .chain((s) => {
    const logical = Math.floor((s.crossbars * s.cols) / columnsPerWeight(s));
    const [wlo, whi] = weightBounds(s);
    const [xlo, xhi] = inputBounds(s);
    return fc.record({
      s: fc.constant(s),
      adcBits: fc.integer({ min: 1, max: Math.min(24, losslessBitsByHand(s) + 1) }),
      adc: adcArb,
      rows: fc.integer({ min: 1, max: s.rows }),
      cols: fc.integer({ min: 1, max: Math.min(logical, 8) }),
      w: fc.array(fc.oneof(fc.integer({ min: wlo, max: whi }), fc.constantFrom(wlo, whi)), { minLength: 256 * 8, maxLength: 256 * 8 }),
      xs: fc.array(fc.array(inputArb(xlo, xhi), { minLength: 256, maxLength: 256 }), { minLength: 1, maxLength: 3 }),
    });
  });

describe("the packed ideal path", () => {
  it("gives the outputs of reading ideal arrays step by step, bit for bit, for every encoding and ADC resolution", () => {
    fc.assert(
      fc.property(caseArb, ({ s, adcBits, adc, rows, cols, w, xs }) => {
        const base = paramsFor(s, adcBits);
        const p: MvmuParams = { ...base, adc: { ...base.adc, range: adc.range, rounding: adc.rounding } };
        const packed = datapath(p, true);
        const arrays = datapath(p, false);
        expect(packed.usesPackedPath).toBe(true);
        expect(arrays.usesPackedPath).toBe(false);
        const block = w.slice(0, rows * cols);
        packed.program(block, rows, cols);
        arrays.program(block, rows, cols);
        for (const x0 of xs) {
          const x = x0.slice(0, rows);
          expect(outputs(packed, x)).toEqual(outputs(arrays, x));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("reprogramming a smaller block (and another encoding's storage width) leaves nothing stale", () => {
    const s: ShapeSpec = {
      rows: 8,
      cols: 8,
      crossbars: 2,
      cellBits: 2,
      dacBits: 1,
      weightBits: 6,
      inputBits: 6,
      signedInputs: true,
      signedWeights: "bias",
      flip: true,
      unitColumn: "analog",
      accumulateSteps: false,
      columnsPerAdc: 8,
    };
    const p = paramsFor(s, 3);
    const packed = datapath(p, true);
    const arrays = datapath(p, false);
    const big = Array.from({ length: 8 * 5 }, (_, i) => ((i * 7) % 64) - 32);
    for (const dp of [packed, arrays]) dp.program(big, 8, 5);
    expect(outputs(packed, [31, -32, 5, 0, 7, 1, -1, 12])).toEqual(outputs(arrays, [31, -32, 5, 0, 7, 1, -1, 12]));
    for (const dp of [packed, arrays]) dp.program([31, -32, 5, 17], 2, 2);
    expect(outputs(packed, [-5, 9])).toEqual(outputs(arrays, [-5, 9]));
  });

  it("steps that drive most rows (all rows less those at 0) and steps that drive few give the array path's outputs", () => {
    for (const signedWeights of ["none", "bias", "differential"] as const) {
      for (const flip of [false, true]) {
        const s: ShapeSpec = {
          rows: 24,
          cols: 16,
          crossbars: 3,
          cellBits: 2,
          dacBits: 1,
          weightBits: 9,
          inputBits: 8,
          signedInputs: true,
          signedWeights,
          flip,
          unitColumn: "analog",
          accumulateSteps: false,
          columnsPerAdc: 16,
        };
        const p = paramsFor(s, losslessBitsByHand(s) - 2);
        const packed = datapath(p, true);
        const arrays = datapath(p, false);
        const [wlo, whi] = weightBounds(s);
        const cols = Math.floor((s.crossbars * s.cols) / columnsPerWeight(s));
        const w = Array.from({ length: s.rows * cols }, (_, i) => wlo + ((i * 37 + 11) % (whi - wlo + 1)));
        packed.program(w, s.rows, cols);
        arrays.program(w, s.rows, cols);
        // 127 sets every magnitude bit, -1 every bit, 1 only the lowest; a few rows are 0
        for (const x of [Array.from({ length: s.rows }, (_, r) => (r % 7 === 3 ? 0 : 127)), Array.from({ length: s.rows }, (_, r) => (r % 5 === 0 ? 1 : -1)), Array.from({ length: s.rows }, (_, r) => (r % 3 === 0 ? 0 : 1))]) {
          expect(outputs(packed, x)).toEqual(outputs(arrays, x));
        }
      }
    }
  });

  it("quantises each step's column sum with the ADC (hand example: 1-bit ADC of step 2)", () => {
    // 2 rows, 1-bit cells, 2-bit unsigned weights over 2 slice columns, 2-bit unsigned inputs, 1-bit
    // DAC. A step's column sum is 0 … 2 (rows·L), which needs 2 bits: a 1-bit ADC has step 2 and codes
    // 0, 1, so it reads 0 → 0, 1 → 0 (half to even), 2 → 2.
    // W = [3; 1] (row 0 cells 1,1; row 1 cells 1,0), x = [3, 1]:
    //   step 0 (digits 1, 1): slice 0 sum 2 → 2, slice 1 sum 1 → 0
    //   step 1 (digits 1, 0): slice 0 sum 1 → 0, slice 1 sum 1 → 0
    //   slice 0 = 1·2 + 2·0 = 2, slice 1 = 0, output = 2 + 2·0 = 2 (the exact product is 10)
    const s: ShapeSpec = {
      rows: 2,
      cols: 2,
      crossbars: 1,
      cellBits: 1,
      dacBits: 1,
      weightBits: 2,
      inputBits: 2,
      signedInputs: false,
      signedWeights: "none",
      flip: false,
      unitColumn: "digital",
      accumulateSteps: false,
      columnsPerAdc: 2,
    };
    for (const packed of [true, false]) {
      const dp = datapath(paramsFor(s, 1), packed);
      dp.program([3, 1], 2, 1);
      expect(outputs(dp, [3, 1])).toEqual([2]);
    }
  });
});
