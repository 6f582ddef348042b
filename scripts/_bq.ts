import { Heap } from "heap-js";
interface Ev { tick: number; priority: number; seq: number; fire: () => void; cancelled: boolean; name: string }
// heap of distinct ticks; per tick a bucket array (sorted by priority then seq on insert)
class BQ {
  heap = new Heap<number>((a, b) => a - b);
  buckets = new Map<number, Ev[]>();
  cur: Ev[] | null = null; curTick = -1; curIdx = 0;
  seq = 0;
  push(tick: number, fire: () => void, priority = 0, name = ""): Ev {
    const ev: Ev = { tick, priority, seq: this.seq++, fire, cancelled: false, name };
    let b = this.buckets.get(tick);
    if (b === undefined) { b = [ev]; this.buckets.set(tick, b); this.heap.add(tick); }
    else {
      let i = b.length; // insertion keeping priority order (stable)
      if (priority < b[i - 1].priority) { while (i > 0 && b[i - 1].priority > priority) i--; b.splice(i, 0, ev); } else b.push(ev);
    }
    return ev;
  }
  pop(): Ev | undefined {
    for (;;) {
      if (this.cur !== null && this.curIdx < this.cur.length) { const e = this.cur[this.curIdx++]; if (!e.cancelled) return e; continue; }
      if (this.cur !== null) { this.buckets.delete(this.curTick); this.cur = null; }
      const t = this.heap.pop(); if (t === undefined) return undefined;
      this.curTick = t; this.cur = this.buckets.get(t)!; this.curIdx = 0;
    }
  }
}
const q = new BQ(); let now = 0;
let x = 12345; const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x; };
const hold = () => { q.push(now + 1 + (rnd() % 1000), hold); };
for (let i = 0; i < 1000; i++) q.push(rnd() % 1000, hold);
const TOTAL = 2_000_000; const t0 = process.hrtime.bigint();
for (let n = 0; n < TOTAL; n++) { const e = q.pop()!; now = e.tick; e.fire(); }
console.log((TOTAL / (Number(process.hrtime.bigint() - t0) / 1e9) / 1e6).toFixed(2), "M ev/s");
