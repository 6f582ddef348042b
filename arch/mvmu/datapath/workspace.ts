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

/** A Float64Array of at least n elements, kept in `box` and grown on demand (contents undefined). */
function grow(box: { a: Float64Array }, n: number): Float64Array {
  if (box.a.length < n) box.a = new Float64Array(Math.max(n, 2 * box.a.length));
  return box.a;
}

export class DatapathWorkspace {
  private readonly slabs = { u16: { a: new Uint16Array(0), used: 0 }, i16: { a: new Int16Array(0), used: 0 }, i32: { a: new Int32Array(0), used: 0 }, u8: { a: new Uint8Array(0), used: 0 } };
  /** shift-added converted value per physical column (crossbar-major) */
  private readonly digital = { a: new Float64Array(0) };
  /** accumulate mode: the analog running sum per physical column */
  private readonly analog = { a: new Float64Array(0) };
  /** the level block of all crossbars a program builds (the arrays copy it) */
  private levels = new Uint16Array(0);
  /** packed path: the packed rows of one vector (or of one program's column sums) */
  private readonly packedRows = { a: new Float64Array(0) };
  /** packed path: one step's word sums, and the sum of all driven rows' words */
  private readonly packedSums = { a: new Float64Array(0) };
  private readonly packedTotal = { a: new Float64Array(0) };
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
    if (n > SLAB) return kind === "i32" ? new Int32Array(n) : kind === "i16" ? new Int16Array(n) : new Uint16Array(n);
    const s = this.slabs[kind];
    if (s.used + n > s.a.length) {
      s.a = kind === "i32" ? new Int32Array(SLAB) : kind === "i16" ? new Int16Array(SLAB) : new Uint16Array(SLAB);
      s.used = 0;
    }
    const v = s.a.subarray(s.used, s.used + n);
    s.used += n;
    return v;
  }

  /** n zeroed bytes (a datapath's flip flags). */
  carveFlags(n: number): Uint8Array {
    const s = this.slabs.u8;
    if (n > SLAB) return new Uint8Array(n);
    if (s.used + n > s.a.length) {
      s.a = new Uint8Array(SLAB);
      s.used = 0;
    }
    const v = s.a.subarray(s.used, s.used + n);
    s.used += n;
    return v;
  }

  /** Scratch for the converted values of n physical columns (contents undefined). */
  digitalScratch(n: number): Float64Array {
    return grow(this.digital, n);
  }

  /** Scratch for the analog sums of n physical columns (contents undefined). */
  analogScratch(n: number): Float64Array {
    return grow(this.analog, n);
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

  /** Packed path: room for n packed words (contents undefined). */
  packedRowScratch(n: number): Float64Array {
    return grow(this.packedRows, n);
  }

  /** Packed path: one step's n word sums (contents undefined). */
  packedSumScratch(n: number): Float64Array {
    return grow(this.packedSums, n);
  }

  /** Packed path: the n word sums of all driven rows (contents undefined). */
  packedTotalScratch(n: number): Float64Array {
    return grow(this.packedTotal, n);
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
