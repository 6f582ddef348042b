import { describe, expect, it } from "vitest";
import { ClockDomain, secondsToTicks, ticksToSeconds, type Tick } from "../../sim/time";
import { parseQuantity, formatSi } from "../../sim/units";
import { RramsimError } from "../../sim/errors";

describe("clock domains", () => {
  const clk = ClockDomain.fromHz("core", 1.2e9); // 833.33 ps → rounds to 833 ps
  it("rounds the period of a frequency to a whole picosecond", () => {
    expect(clk.periodTicks).toBe(833);
    expect(ClockDomain.fromHz("c", 1e9).periodTicks).toBe(1000);
    expect(ClockDomain.fromHz("c", 100e6).periodTicks).toBe(10_000);
  });
  it("a tick exactly on an edge belongs to the cycle it starts; one tick before, to the previous", () => {
    const c = new ClockDomain("c", 1000);
    expect(c.cycleAt(1000 as Tick)).toBe(1);
    expect(c.cycleAt(999 as Tick)).toBe(0);
    expect(c.cycleAt(0 as Tick)).toBe(0);
    expect(c.cyclesToTicks(3)).toBe(3000);
  });
  it("nextEdge is the tick itself on an edge, else the following edge", () => {
    const c = new ClockDomain("c", 1000);
    expect(c.nextEdge(2000 as Tick)).toBe(2000);
    expect(c.nextEdge(2001 as Tick)).toBe(3000);
    expect(c.nextEdge(1999 as Tick)).toBe(2000);
  });
  it("refuses non-positive or fractional periods", () => {
    expect(() => new ClockDomain("c", 0)).toThrow(RangeError);
    expect(() => new ClockDomain("c", 1.5)).toThrow(RangeError);
  });
  it("seconds ↔ ticks at the picosecond", () => {
    expect(secondsToTicks(1.6e-6)).toBe(1_600_000);
    expect(ticksToSeconds(1_600_000 as Tick)).toBeCloseTo(1.6e-6, 18);
  });
});

describe("quantity parser", () => {
  it.each([
    ["100ns", "time", 100_000],
    ["1.6us", "time", 1_600_000],
    ["1s", "time", 1e12],
    ["1.2GHz", "frequency", 1.2e9],
    ["2mW", "power", 2],
    ["10.4W", "power", 10_400],
    ["0.0096mm2", "area", 9600],
    ["1200um2", "area", 1200],
    ["3.1pJ", "energy", 3.1],
    ["2.66nJ", "energy", 2660],
    ["40uS", "conductance", 40],
    ["64KB", "data", 65536],
    ["0.35Ohm", "resistance", 0.35],
  ] as const)("%s as %s → %d canonical", (text, dim, expected) => {
    expect(parseQuantity(text, dim)).toBeCloseTo(expected, 9);
  });
  it("plain numbers are already canonical", () => {
    expect(parseQuantity(1200, "area")).toBe(1200);
    expect(parseQuantity("42", "energy")).toBe(42);
  });
  it("a unit of another dimension is CONFIG_UNIT", () => {
    expect(() => parseQuantity("2mW", "energy")).toThrow(expect.objectContaining({ code: "CONFIG_UNIT" }));
  });
  it("text that is not a quantity is CONFIG_TYPE", () => {
    expect(() => parseQuantity("fast", "time")).toThrow(RramsimError);
    expect(() => parseQuantity("fast", "time")).toThrow(expect.objectContaining({ code: "CONFIG_TYPE" }));
  });
  it("a time that is not a whole picosecond is CONFIG_RANGE", () => {
    expect(() => parseQuantity("0.5ps", "time")).toThrow(expect.objectContaining({ code: "CONFIG_RANGE" }));
  });
  it("formats with SI prefixes", () => {
    expect(formatSi(1.9e-6, "J")).toBe("1.90 µJ");
    expect(formatSi(65.8, "W")).toBe("65.8 W");
    expect(formatSi(0, "s")).toBe("0 s");
  });
});
