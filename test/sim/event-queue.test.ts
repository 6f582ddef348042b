import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EventQueue, Priority } from "../../sim/event-queue";
import { Simulator } from "../../sim/simulator";
import type { Tick } from "../../sim/time";

const t = (n: number) => n as Tick;

describe("event queue order", () => {
  it("pops events by (tick, priority, insertion order) — property against a stable sort", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ tick: fc.integer({ min: 0, max: 20 }), priority: fc.integer({ min: -3, max: 3 }) }), { maxLength: 200 }), (specs) => {
        const q = new EventQueue();
        specs.forEach((s, i) => q.push(t(s.tick), () => {}, s.priority, String(i)));
        const popped: string[] = [];
        for (let ev = q.pop(); ev !== undefined; ev = q.pop()) popped.push(ev.name);
        // independent reference: a stable sort by (tick, priority) keeps insertion order on ties
        const expected = specs
          .map((s, i) => ({ ...s, i }))
          .sort((a, b) => a.tick - b.tick || a.priority - b.priority)
          .map((s) => String(s.i));
        expect(popped).toEqual(expected);
      }),
    );
  });

  it("cancelled events never run and do not count as pending", () => {
    const q = new EventQueue();
    const a = q.push(t(5), () => {});
    q.push(t(7), () => {}, 0, "b");
    expect(q.size).toBe(2);
    expect(q.cancel(a)).toBe(true);
    expect(q.cancel(a)).toBe(false);
    expect(q.size).toBe(1);
    expect(q.pop()?.name).toBe("b");
    expect(q.pop()).toBeUndefined();
  });

  it("rejects priorities outside the packed range", () => {
    const q = new EventQueue();
    expect(() => q.push(t(0), () => {}, 1024)).toThrow(RangeError);
    expect(() => q.push(t(0), () => {}, 0.5)).toThrow(RangeError);
  });
});

describe("simulator run loop", () => {
  it("events scheduled from handlers run in the same order as a reference model (property)", () => {
    // Each event, when it runs, schedules 0..2 children at random delays/priorities. The reference
    // replays the same decisions with a plain array sorted by (tick, priority, seq).
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: -2, max: 2 })), { minLength: 1, maxLength: 120 }), (plan) => {
        const run = (schedule: (delay: number, prio: number, id: number) => void, onRun: (cb: (id: number) => void) => void) => {
          let k = 0;
          let nextId = 1;
          const order: number[] = [];
          onRun((id) => {
            order.push(id);
            const [children, delay, prio] = plan[k++ % plan.length];
            for (let c = 0; c < children && nextId < 300; c++) schedule(delay + c, prio, nextId++);
          });
          return order;
        };
        // simulator
        const sim = new Simulator();
        let cbSim: (id: number) => void = () => {};
        const orderSim = run(
          (d, p, id) => sim.schedule(d, () => cbSim(id), p),
          (cb) => (cbSim = cb),
        );
        sim.schedule(0, () => cbSim(0));
        sim.run();
        // reference
        type R = { tick: number; prio: number; seq: number; id: number };
        const pending: R[] = [];
        let now = 0;
        let seq = 0;
        let cbRef: (id: number) => void = () => {};
        const orderRef = run(
          (d, p, id) => pending.push({ tick: now + d, prio: p, seq: seq++, id }),
          (cb) => (cbRef = cb),
        );
        pending.push({ tick: 0, prio: 0, seq: seq++, id: 0 });
        while (pending.length) {
          pending.sort((a, b) => a.tick - b.tick || a.prio - b.prio || a.seq - b.seq);
          const e = pending.shift()!;
          now = e.tick;
          cbRef(e.id);
        }
        expect(orderSim).toEqual(orderRef);
      }),
    );
  });

  it("is deterministic: the same schedule twice gives the same trace", () => {
    const trace = () => {
      const sim = new Simulator({ seed: 42 });
      const out: string[] = [];
      const rs = sim.random.for("chip.tile[0]");
      const f = (d: number) => () => {
        out.push(`${sim.now}:${d}`);
        if (d < 6) sim.schedule(rs.int(10), f(d + 1), rs.int(3));
        if (d < 6) sim.schedule(rs.int(10), f(d + 1));
      };
      sim.schedule(0, f(0));
      sim.run();
      return out.join(",");
    };
    expect(trace()).toBe(trace());
  });

  it("run until T stops before later events and leaves now at T; run continues afterwards", () => {
    const sim = new Simulator();
    const ran: number[] = [];
    for (const at of [10, 20, 30]) sim.scheduleAt(t(at), () => ran.push(at));
    const r1 = sim.run({ until: t(20) });
    expect(ran).toEqual([10, 20]);
    expect(r1.reason).toBe("until");
    expect(sim.now).toBe(20);
    const r2 = sim.run({ until: t(25) });
    expect(r2.reason).toBe("until");
    expect(sim.now).toBe(25);
    const r3 = sim.run();
    expect(r3.reason).toBe("idle");
    expect(ran).toEqual([10, 20, 30]);
    expect(sim.now).toBe(30);
  });

  it("run with a predicate stops right after the event that makes it true", () => {
    const sim = new Simulator();
    let n = 0;
    for (let i = 1; i <= 10; i++) sim.scheduleAt(t(i), () => n++);
    const r = sim.run({ predicate: () => n === 4 });
    expect(r.reason).toBe("predicate");
    expect(sim.now).toBe(4);
    expect(sim.pending).toBe(6);
  });

  it("reschedule moves an event; cancel from inside a handler works", () => {
    const sim = new Simulator();
    const ran: string[] = [];
    const a = sim.scheduleAt(t(5), () => ran.push("a"));
    const b = sim.scheduleAt(t(6), () => ran.push("b"));
    sim.scheduleAt(t(1), () => sim.cancel(b));
    sim.reschedule(a, t(9));
    sim.scheduleAt(t(7), () => ran.push("c"));
    sim.run();
    expect(ran).toEqual(["c", "a"]);
    expect(sim.now).toBe(9);
  });

  it("refuses to schedule in the past", () => {
    const sim = new Simulator();
    sim.scheduleAt(t(10), () => {});
    sim.run();
    expect(() => sim.scheduleAt(t(9), () => {})).toThrowError(/cannot schedule/);
  });

  it("same-tick events scheduled with delay 0 run after those already queued, priorities first", () => {
    const sim = new Simulator();
    const ran: string[] = [];
    sim.scheduleAt(t(3), () => {
      ran.push("x");
      sim.schedule(0, () => ran.push("x-child"));
      sim.schedule(0, () => ran.push("x-clock"), Priority.Clock);
    });
    sim.scheduleAt(t(3), () => ran.push("y"));
    sim.scheduleAt(t(3), () => ran.push("z-stats"), Priority.Stats);
    sim.run();
    expect(ran).toEqual(["x", "x-clock", "y", "x-child", "z-stats"]);
  });
});
