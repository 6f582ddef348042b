import { Heap } from "heap-js";
interface Ev { tick: number; seq: number; priority: number; fire: () => void; cancelled: boolean; name: string }
for (const variant of ["2key", "3key", "if3"]) {
  const cmp = variant === "2key" ? (a: Ev, b: Ev) => a.tick - b.tick || a.seq - b.seq
    : variant === "3key" ? (a: Ev, b: Ev) => a.tick - b.tick || a.priority - b.priority || a.seq - b.seq
    : (a: Ev, b: Ev) => { if (a.tick !== b.tick) return a.tick - b.tick; if (a.priority !== b.priority) return a.priority - b.priority; return a.seq - b.seq; };
  const h = new Heap<Ev>(cmp); let seq = 0, now = 0;
  let x = 12345; const rnd = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x; };
  const hold = () => { h.add({ tick: now + 1 + (rnd() % 1000), seq: seq++, priority: 0, fire: hold, cancelled: false, name: "" }); };
  for (let i = 0; i < 1000; i++) { now = rnd() % 1000; hold(); } now = 0;
  const TOTAL = 2_000_000; const t0 = process.hrtime.bigint();
  for (let n = 0; n < TOTAL; n++) { const e = h.pop()!; now = e.tick; e.fire(); }
  console.log(variant, (TOTAL / (Number(process.hrtime.bigint() - t0) / 1e9) / 1e6).toFixed(2), "M ev/s");
}
