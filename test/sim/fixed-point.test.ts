import { describe, it, expect } from "vitest";
import { requantize, roundHalfEven, scaleToMultiplierShift } from "../../sim/fixed-point";

describe("fixed-point helpers", () => {
  it("roundHalfEven sends ties to the even neighbour and other values to the nearest", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3, -3]);
  });

  it("requantize rounds half up after the multiply, then adds the zero point and clips", () => {
    const q = { multiplier: 3, shift: 2, zeroPoint: 0, lo: -128, hi: 127 };
    // 5·3 = 15, (15 + 2) / 4 = 4.25 → 4;  6·3 = 18, (18 + 2) / 4 = 5 → 5 (18/4 = 4.5 rounds up)
    expect(requantize(5, q)).toBe(4);
    expect(requantize(6, q)).toBe(5);
    // −6·3 = −18, (−18 + 2) / 4 = −4 → −4 (−4.5 rounds up to −4)
    expect(requantize(-6, q)).toBe(-4);
    expect(requantize(1000, q)).toBe(127);
    expect(requantize(-1000, q)).toBe(-128);
    expect(requantize(6, { ...q, zeroPoint: 10 })).toBe(15);
  });

  it("scaleToMultiplierShift keeps a 15-bit multiplier and approximates the scale to 2^-15", () => {
    for (const s of [1, 0.5, 0.0123, 3.7e-5, 123.456]) {
      const { multiplier, shift } = scaleToMultiplierShift(s);
      expect(multiplier).toBeLessThan(2 ** 15);
      expect(Math.abs(multiplier / 2 ** shift - s) / s).toBeLessThan(2 ** -14);
    }
    // 0.25 = 16384 / 2^16
    expect(scaleToMultiplierShift(0.25)).toEqual({ multiplier: 16384, shift: 16 });
  });
});
