// Loads and stores of tile memory, and the sends and receives that copy a tensor to the tiles that
// read it.
//
// Synchronisation is PUMA's: a store makes an element valid for exactly as many loads as the
// program will perform (every vld, every send, the host's output read); those counts are known at
// compile time, so each store is emitted after all loads are known (two passes: the store is a
// lazy item, written when the programs are) and split into runs of equal count. A tensor is stored
// on every tile that reads it: the producing core stores its chunk locally when its tile reads it
// (or must send it), and sends it to every other reading tile, where the tile's receiving core has
// a matching `recv` with that tile's count.
//
// Left out: a count above what the fields hold (0xffff for a store, 0x7fff for a recv) is refused
// with MAPPING, not split into several stores.

import { RramsimError } from "../../../sim/errors";
import type { StoreRun } from "../types";
import { emit, pixelIndex, type CoreState, type EmitContext, type Instr, type Store } from "./context";

function readsOn(s: Store, tile: number): Int32Array {
  const r = s.reads.get(tile);
  if (r === undefined) throw new RramsimError("SIM_STATE", `codegen: tensor '${s.name}' has no copy on tile ${tile}`);
  return r;
}

/** Elements [start, +length) of store s, on core c's tile, into c's vector registers at vrf. */
export function load(c: CoreState, s: Store, start: number, length: number, vrf: number): void {
  const r = readsOn(s, c.tile);
  for (let i = start; i < start + length; i++) r[i]++;
  emit(c, "vld", [vrf, (s.addr.get(c.tile) as number) + start, length]);
}

/** runs of equal counts on every tile of the store */
export function segments(s: Store, start: number, length: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const tiles = [...s.tiles];
  let a = start;
  for (let i = start + 1; i <= start + length; i++) {
    const cut = i === start + length || tiles.some((t) => (s.reads.get(t) as Int32Array)[i] !== (s.reads.get(t) as Int32Array)[i - 1]);
    if (cut) {
      out.push([a, i - a]);
      a = i;
    }
  }
  return out;
}

/** The next serial, for a tag. */
export function nextSerial(ctx: EmitContext): number {
  return ctx.serial++;
}

/** the chunk [start, +length) of store s, in core c's vector registers at vrf, becomes valid where it is read */
export function storeChunk(ctx: EmitContext, c: CoreState, s: Store, start: number, length: number, vrf: number): void {
  const serial = nextSerial(ctx);
  const p = c.tile;
  if (s === ctx.outStore) {
    const r = readsOn(s, p);
    for (let i = start; i < start + length; i++) r[i]++;
    ctx.hostReads.push({ tile: p, addr: (s.addr.get(p) as number) + start, start, length, consumers: 1 });
  }
  const remote = () => [...s.tiles].filter((t) => t !== p).sort((a, b) => a - b);
  // tags: chunks in [0, 0x8000), partial sums in [0x8000, 0x10000); packets with the same
  // (source, tag) are matched in order, which is the order their one producing core sends them
  const tagOf = (k: number) => (serial * 8 + (k % 8)) & 0x7fff;
  c.items.push({
    lazy: () => {
      const out: Instr[] = [];
      segments(s, start, length).forEach(([a, n], k) => {
        const targets = remote().filter((t) => (s.reads.get(t) as Int32Array)[a] > 0);
        const count = (s.reads.get(p) as Int32Array)[a] + targets.length;
        if (count === 0) return;
        if (count > 0xffff) throw new RramsimError("MAPPING", `tensor '${s.name}': an element is read ${count} times, more than a consumer count holds`);
        const addr = (s.addr.get(p) as number) + a;
        out.push({ mn: "vst", vals: [addr, vrf + (a - start), count, n] });
        for (const t of targets) out.push({ mn: "send", vals: [addr, t, n, tagOf(k)] });
      });
      return out;
    },
  });
  for (const t of [...s.tiles].filter((x) => x !== p)) {
    (ctx.receiverOf.get(t) as CoreState).items.push({
      lazy: () => {
        const out: Instr[] = [];
        segments(s, start, length).forEach(([a, n], k) => {
          const count = (s.reads.get(t) as Int32Array)[a];
          if (count === 0) return;
          if (count > 0x7fff) throw new RramsimError("MAPPING", `tensor '${s.name}': an element is read ${count} times on tile ${t}, more than recv's count field holds`);
          out.push({ mn: "recv", vals: [(s.addr.get(t) as number) + a, p, n, tagOf(k) | (count << 16)] });
        });
        return out;
      },
    });
  }
}

/** Where the host writes the input: per tile, runs of equal consumer count, the unread elements left out. */
export function inputRuns(ctx: EmitContext): StoreRun[] {
  const s = ctx.inputStore;
  const runs: StoreRun[] = [];
  for (const t of [...s.tiles].sort((a, b) => a - b)) {
    const r = s.reads.get(t) as Int32Array;
    for (let y = 0; y < s.h; y++) {
      for (const [a, n] of segments(s, pixelIndex(s, y, 0), s.w * s.c)) {
        if (r[a] > 0) runs.push({ tile: t, addr: (s.addr.get(t) as number) + a, start: a, length: n, consumers: r[a] });
      }
    }
  }
  return runs;
}
