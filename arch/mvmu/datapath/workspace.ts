// The buffers the MVMU datapaths of one chip (or of any group of MVM units built together) share,
// as one object: whoever builds the units creates it (Chip for its tiles, `rramsim mvm` for its
// blocks) and passes it down through Tile and Mvmu to each MvmuDatapath; a datapath built alone
// makes its own. The sharing is for speed: a chip holds hundreds of datapaths (a PUMA chip builds
// 2,688 crossbars), and a typed-array allocation per datapath cost more than the work itself.
// Two kinds of buffer:
//   - blocks carved from slabs of 2^20 elements (the packed path's stored weights, every
//     datapath's flip flags): each block belongs to one datapath for good (a full slab is replaced,
//     never reused), so carving never changes a value another datapath holds;
//   - scratch (the converted values and analog sums per physical column, the level block a
//     program builds, the packed path's rows, word sums and row lists): its contents are undefined
//     between calls, and a datapath refills what it uses at the start of each program or run. This
//     is safe because program and run are synchronous: no two datapaths are inside a call at once.
//     A datapath may keep the array it was handed; growing the scratch for a bigger design later
//     replaces the workspace's array, not the one kept.
// Nothing is allocated until a datapath asks (a timing-fidelity chip allocates none); buffers grow
// on demand and never shrink. Left out: giving carved blocks back (they live as long as the
// workspace).

import type { StoredWeights } from "./packed-layout";

/** elements per slab; a larger request gets its own typed array */
const SLAB = 1 << 20;

type SlabKind = "u16" | "i16" | "i32" | "u8";
type SlabArray = Uint16Array | Int16Array | Int32Array | Uint8Array;

function slabArray(kind: SlabKind, n: number): SlabArray {
  switch (kind) {
    case "u16":
      return new Uint16Array(n);
    case "i16":
      return new Int16Array(n);
    case "i32":
      return new Int32Array(n);
    case "u8":
      return new Uint8Array(n);
  }
}

/**
 * The workspace's scratch arrays of doubles: the shift-added converted value per physical column
 * (crossbar-major), the analog running sum per physical column (accumulate mode), and the packed
 * path's packed rows of one vector (or of one program's column sums), one step's word sums and the
 * sum of all driven rows' words.
 */
export type DatapathScratch = "digital" | "analog" | "packedRows" | "packedSums" | "packedTotal";

export class DatapathWorkspace {
  private readonly slabs: Record<SlabKind, { a: SlabArray; used: number }> = {
    u16: { a: slabArray("u16", 0), used: 0 },
    i16: { a: slabArray("i16", 0), used: 0 },
    i32: { a: slabArray("i32", 0), used: 0 },
    u8: { a: slabArray("u8", 0), used: 0 },
  };
  private readonly scratchArrays: Record<DatapathScratch, Float64Array> = {
    digital: new Float64Array(0),
    analog: new Float64Array(0),
    packedRows: new Float64Array(0),
    packedSums: new Float64Array(0),
    packedTotal: new Float64Array(0),
  };
  /** the level block of all crossbars a program builds (the arrays copy it) */
  private levels = new Uint16Array(0);
  /**
   * packed path, per vector (length ≥ the rows asked of ensurePackedRowLists): per driven row its
   * unsigned input; the offsets of the rows a step drives at 1, of those it leaves at 0, and of all
   */
  packedDriven = new Uint32Array(0);
  packedOnes = new Int32Array(0);
  packedZeros = new Int32Array(0);
  packedAll = new Int32Array(0);

  /** n elements of stored weights, carved from a slab (contents undefined: the caller fills them). */
  carveWeights(kind: "u16" | "i16" | "i32", n: number): StoredWeights {
    return this.carve(kind, n) as StoredWeights;
  }

  /** n zeroed bytes (a datapath's flip flags). */
  carveFlags(n: number): Uint8Array {
    return this.carve("u8", n) as Uint8Array;
  }

  /** n elements of the next unused part of the `kind` slab (a fresh slab when it is full; its own array when n > SLAB). */
  private carve(kind: SlabKind, n: number): SlabArray {
    if (n > SLAB) return slabArray(kind, n);
    const s = this.slabs[kind];
    if (s.used + n > s.a.length) {
      s.a = slabArray(kind, SLAB);
      s.used = 0;
    }
    const v = s.a.subarray(s.used, s.used + n);
    s.used += n;
    return v;
  }

  /** The `use` scratch, at least n doubles (contents undefined), grown on demand. */
  scratch(use: DatapathScratch, n: number): Float64Array {
    const a = this.scratchArrays[use];
    if (a.length >= n) return a;
    const grown = new Float64Array(Math.max(n, 2 * a.length));
    this.scratchArrays[use] = grown;
    return grown;
  }

  /**
   * A zeroed block of n levels, reused across program calls (AnalogArray.program copies its input);
   * 16-bit: levels are below 2^cellBits ≤ 2^8 and never negative (the weights are checked first).
   */
  levelBlock(n: number): Uint16Array {
    if (this.levels.length < n) this.levels = new Uint16Array(n);
    const v = this.levels.subarray(0, n);
    v.fill(0);
    return v;
  }

  /** Packed path: the row lists hold at least n rows (grown to `rows`, the crossbar's, when short). */
  ensurePackedRowLists(n: number, rows: number): void {
    if (this.packedDriven.length < n) {
      this.packedDriven = new Uint32Array(rows);
      this.packedOnes = new Int32Array(rows);
      this.packedZeros = new Int32Array(rows);
      this.packedAll = new Int32Array(rows);
    }
  }
}
