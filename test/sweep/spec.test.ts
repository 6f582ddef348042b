import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { enumeratePoints, parseShard, parseSweepSpec, parseVary, pointCoordinates, shardPoints, sweepSize, type SweepAxis } from "../../app/sweep/spec";
import { RramsimError } from "../../sim/errors";

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof RramsimError ? e.code : "not a RramsimError";
  }
  return undefined;
}

describe("SPEC parsing", () => {
  it("an integer range is inclusive at both ends", () => {
    expect(parseSweepSpec("4..10")).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(parseSweepSpec("3..3")).toEqual([3]);
    expect(parseSweepSpec("-2..1")).toEqual([-2, -1, 0, 1]);
  });

  it("a step counts from the low end and stops at or before the high end", () => {
    expect(parseSweepSpec("4..10:2")).toEqual([4, 6, 8, 10]);
    expect(parseSweepSpec("4..9:2")).toEqual([4, 6, 8]);
    expect(parseSweepSpec("1..3:5")).toEqual([1]);
  });

  it("a comma list keeps its order and reads each item as a YAML scalar", () => {
    expect(parseSweepSpec("64,128,256")).toEqual([64, 128, 256]);
    expect(parseSweepSpec("differential,bias")).toEqual(["differential", "bias"]);
    expect(parseSweepSpec("100ns, 200ns")).toEqual(["100ns", "200ns"]);
    expect(parseSweepSpec("true,false")).toEqual([true, false]);
    expect(parseSweepSpec("0.5")).toEqual([0.5]);
  });

  it("bad SPECs are CLI_ARGUMENT errors", () => {
    for (const bad of ["10..4", "4..10:0", "4..10:x", "4...10", "1,,2", "a,b,a", "4..", "1.5..3"])
      expect(
        codeOf(() => parseSweepSpec(bad)),
        bad,
      ).toBe("CLI_ARGUMENT");
    expect(codeOf(() => parseVary("adc.bits"))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => parseVary("=4..5"))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => parseVary("adc.bits="))).toBe("CLI_ARGUMENT");
    expect(parseVary("adc.bits = 4..5")).toEqual({ path: "adc.bits", values: [4, 5] });
  });

  it("--shard i/n needs 0 ≤ i < n", () => {
    expect(parseShard("1/4")).toEqual({ index: 1, count: 4 });
    for (const bad of ["4/4", "0/0", "1", "a/b", "-1/2"])
      expect(
        codeOf(() => parseShard(bad)),
        bad,
      ).toBe("CLI_ARGUMENT");
  });
});

/** Nested loops, first axis outermost: the order the engine promises. */
function naiveProduct(axes: SweepAxis[]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const a of axes) {
    const next: unknown[][] = [];
    for (const prefix of out) for (const v of a.values) next.push([...prefix, v]);
    out = next;
  }
  return out;
}

const axesArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).map((sizes) => sizes.map((n, a) => ({ path: `p${a}`, values: Array.from({ length: n }, (_, i) => a * 10 + i) })));

describe("cross product", () => {
  it("enumerates like nested loops over the --vary flags, the last one fastest", () => {
    const axes = [
      { path: "adc.bits", values: [4, 5] },
      { path: "encoding.signedWeights", values: ["differential", "bias", "none"] },
    ];
    expect(enumeratePoints(axes)).toEqual([
      [4, "differential"],
      [4, "bias"],
      [4, "none"],
      [5, "differential"],
      [5, "bias"],
      [5, "none"],
    ]);
    fc.assert(
      fc.property(axesArb, (axes) => {
        const pts = enumeratePoints(axes);
        expect(pts).toEqual(naiveProduct(axes));
        expect(pts.length).toBe(axes.reduce((n, a) => n * a.values.length, 1));
        expect(sweepSize(axes)).toBe(pts.length);
        pts.forEach((p, k) => expect(pointCoordinates(axes, k).map((i, a) => axes[a].values[i])).toEqual(p));
      }),
      { numRuns: 100 },
    );
  });

  it("shards partition the points: each point in exactly one shard, k in shard k mod n", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 9 }), (total, n) => {
        const seen = new Array<number>(total).fill(0);
        for (let i = 0; i < n; i++) {
          for (const k of shardPoints(total, { index: i, count: n })) {
            expect(k % n).toBe(i);
            seen[k]++;
          }
        }
        expect(seen.every((c) => c === 1)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
