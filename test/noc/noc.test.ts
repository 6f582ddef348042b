import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { makeNoc, onePacket, at } from "./helpers";
import { runNocTraffic } from "../../arch/noc/traffic";
import { nocParamsSchema } from "../../arch/noc/params";
import { resolveNocGeometry } from "../../arch/noc/geometry";
import { RramsimError } from "../../sim/errors";
import { validate } from "../../sim/config";
import type { NocDelivery } from "../../arch/noc/noc";

// Independent hop counts from grid coordinates (router r = y·w + x, tile t at router ⌊t / c⌋).
function meshHops(w: number, c: number, s: number, d: number): number {
  const rs = Math.floor(s / c);
  const rd = Math.floor(d / c);
  return Math.abs((rs % w) - (rd % w)) + Math.abs(Math.floor(rs / w) - Math.floor(rd / w));
}
function torusHops(w: number, h: number, s: number, d: number): number {
  const dx = Math.abs((s % w) - (d % w));
  const dy = Math.abs(Math.floor(s / w) - Math.floor(d / w));
  return Math.min(dx, w - dx) + Math.min(dy, h - dy);
}
const flits = (bytes: number, flitBits: number) => Math.max(1, Math.ceil((8 * bytes) / flitBits));

describe("zero-load latency: an idle network reproduces hops × router latency + serialisation exactly", () => {
  const tr = 2;
  const tl = 1;
  // buffers of 2·tl + tr flits cover the credit round trip
  const base = { routerCycles: tr, linkCycles: tl, bufferFlits: 4, flitBits: 32 };
  const cases = [
    { name: "mesh 4×3", cfg: { ...base, topology: "mesh", width: 4, height: 3 }, tiles: 12, hops: (s: number, d: number) => meshHops(4, 1, s, d) },
    { name: "cmesh 3×3, c = 2", cfg: { ...base, topology: "cmesh", width: 3, height: 3, concentration: 2 }, tiles: 18, hops: (s: number, d: number) => meshHops(3, 2, s, d) },
    { name: "torus 5×4", cfg: { ...base, topology: "torus", width: 5, height: 4 }, tiles: 20, hops: (s: number, d: number) => torusHops(5, 4, s, d) },
  ];
  for (const c of cases) {
    it(`${c.name}: every source/destination pair, 1-, 8- and 9-flit packets`, () => {
      for (const bytes of [3, 32, 33]) {
        const F = flits(bytes, 32);
        for (let s = 0; s < c.tiles; s++) {
          for (let d = 0; d < c.tiles; d++) {
            const got = onePacket(c.cfg, c.tiles, s, d, bytes);
            // every router on the path once (tr), every link once incl. the ejection link (tl), tail F − 1 later
            expect(got.latencyCycles).toBe((c.hops(s, d) + 1) * (tr + tl) + (F - 1));
          }
        }
      }
    });
  }

  it("off-chip link: serialisation at its bandwidth plus its latency, both directions", () => {
    // 1 GHz NoC; 2 links × 2 GB/s = 4 B/ns → a 32-bit flit takes 1 ns = 1 cycle; 64-bit flits take 2
    const off = { links: 2, bandwidth: "2GB/s", latency: "20ns", power: "1W" };
    const cfg = { topology: "mesh", width: 3, height: 3, routerCycles: 1, linkCycles: 1, bufferFlits: 4, flitBits: 64, offchipRouter: 4 };
    const offEp = 9;
    const So = 2;
    const Lo = 20;
    const F = flits(40, 64); // 5 flits
    for (const t of [0, 4, 8]) {
      const H = meshHops(3, 1, t, 4);
      expect(onePacket(cfg, 9, t, offEp, 40, off).latencyCycles).toBe((H + 1) * 1 + H * 1 + Lo + F * So);
      expect(onePacket(cfg, 9, offEp, t, 40, off).latencyCycles).toBe(Lo + F * So + (H + 1) * 2);
    }
  });
});

describe("credit-based backpressure", () => {
  it("a buffer smaller than the credit round trip spaces flits by the round trip (hand formula)", () => {
    // tr = tl = 1: a credit comes back RT = 2·tl + tr = 3 cycles after the grant that used it.
    // With B buffer slots per hop, the tail trails the head by ⌊(F−1)/B⌋·RT + (F−1) mod B cycles.
    const F = 8;
    for (const B of [1, 2, 3, 4]) {
      const tail = B >= 3 ? F - 1 : Math.floor((F - 1) / B) * 3 + ((F - 1) % B);
      for (const [s, d] of [
        [0, 1],
        [0, 3],
        [0, 15],
      ]) {
        const got = onePacket({ topology: "mesh", width: 4, height: 4, bufferFlits: B, routerCycles: 1, linkCycles: 1 }, 16, s, d, 32);
        expect(got.latencyCycles).toBe((meshHops(4, 1, s, d) + 1) * 2 + tail);
      }
    }
  });

  it("two packets converging on one link: the loser waits for the winner's tail (wormhole, contention)", () => {
    // 3×1 mesh; tiles 0 and 1 both send 4 flits to tile 2 at cycle 0. Router 1's east output is
    // shared: the packet from tile 1 (injection port) and the one from tile 0 (west input) compete.
    const { sim, noc } = makeNoc({ topology: "mesh", width: 3, height: 1, bufferFlits: 8, routerCycles: 1, linkCycles: 1 }, 3);
    const got: NocDelivery[] = [];
    noc.send({ src: 0, dst: 2, bytes: 16, tag: 0, onDelivered: (d) => got.push(d) });
    noc.send({ src: 1, dst: 2, bytes: 16, tag: 1, onDelivered: (d) => got.push(d) });
    sim.run();
    const lat = Object.fromEntries(got.map((d) => [d.tag, d.latencyCycles]));
    // tile 1's head is ready at router 1 at cycle 1 and wins the idle port: zero-load 2·2 + 3 = 7.
    expect(lat[1]).toBe(7);
    // tile 0's head reaches router 1 at cycle 3 (ready), the port is locked until tile 1's tail
    // passes at cycle 4, so it goes at 5: two cycles later than zero-load (3·2 + 3 = 9).
    expect(lat[0]).toBe(11);
  });
});

describe("energy per flit per hop", () => {
  it("router traversals and link flits are F × (H + 1) each; the ledger turns them into F·(H+1)·(Er + El)", () => {
    const { sim, ledger, noc } = makeNoc({ topology: "mesh", width: 4, height: 4, router: { energy: 3 }, linkEnergy: 0.5 }, 16);
    noc.send({ src: 0, dst: 14, bytes: 32 }); // H = 2 + 3 = 5, F = 8
    sim.run();
    const rep = ledger.report(0);
    const routerPj = (rep.byKind.router?.dynamicJ ?? 0) * 1e12;
    const linkPj = (rep.byKind.link?.dynamicJ ?? 0) * 1e12;
    expect(routerPj).toBeCloseTo(8 * 6 * 3, 9);
    expect(linkPj).toBeCloseTo(8 * 6 * 0.5, 9);
  });

  it("a router given as peak power costs power / (ports × clock) per traversal (ISAAC: 42 mW, 8 ports, 1 GHz)", () => {
    const { sim, ledger, noc } = makeNoc({ topology: "cmesh", concentration: 4, width: 2, height: 1, router: { power: "42mW" } }, 8);
    noc.send({ src: 0, dst: 1, bytes: 4 }); // same router: one traversal
    sim.run();
    // 42 mW / (8 traversals per ns) = 5.25 pJ
    expect((ledger.report(0).byKind.router?.dynamicJ ?? 0) * 1e12).toBeCloseTo(5.25, 9);
  });
});

describe("load: latency rises and throughput saturates", () => {
  it("uniform traffic on a 4×4 mesh", () => {
    const noc = nocParamsSchema.parse({ topology: "mesh", width: 4, height: 4, bufferFlits: 4 });
    const rates = [0.005, 0.02, 0.04, 0.1, 0.25];
    const pts = rates.map((rate) => runNocTraffic({ noc, tiles: 16, clockHz: 1e9 }, { pattern: "uniform", rate, cycles: 3000, seed: 7 }));
    for (let i = 1; i < pts.length; i++) expect(pts[i].avgLatencyCycles).toBeGreaterThan(pts[i - 1].avgLatencyCycles);
    // low load: accepted ≈ offered, latency near zero-load
    expect(pts[0].acceptedPacketsPerCycle).toBeCloseTo(pts[0].offeredPacketsPerCycle, 3);
    expect(pts[0].avgLatencyCycles).toBeLessThan(pts[0].zeroLoadLatencyCycles * 1.1);
    // saturation: 2.5× more offered load brings (almost) no more accepted traffic
    expect(pts[4].acceptedPacketsPerCycle).toBeLessThan(pts[4].offeredPacketsPerCycle * 0.5);
    expect(pts[4].acceptedPacketsPerCycle).toBeLessThan(pts[3].acceptedPacketsPerCycle * 1.1);
    // no packet lost: everything injected was delivered after the drain
    for (const p of pts) expect(p.packetsDelivered).toBe(p.packetsInjected);
  });

  it("the same seed gives the same result bit for bit; another seed another sample", () => {
    const noc = nocParamsSchema.parse({ topology: "cmesh", concentration: 4, width: 2, height: 2 });
    const run = (seed: number) => runNocTraffic({ noc, tiles: 16, clockHz: 1e9 }, { pattern: "hotspot", rate: 0.03, cycles: 1000, seed });
    expect(run(3)).toEqual(run(3));
    expect(run(3).avgLatencyCycles).not.toBe(run(4).avgLatencyCycles);
  });
});

describe("conservation and deadlock freedom", () => {
  it("no packet is lost or duplicated, each reaches its destination (random traffic, fast-check)", () => {
    fc.assert(
      fc.property(
        fc.record({
          topology: fc.constantFrom("mesh", "cmesh", "torus"),
          w: fc.integer({ min: 1, max: 4 }),
          h: fc.integer({ min: 1, max: 4 }),
          c: fc.integer({ min: 1, max: 3 }),
          B: fc.integer({ min: 1, max: 5 }),
          tr: fc.integer({ min: 1, max: 3 }),
          tl: fc.integer({ min: 1, max: 2 }),
          sends: fc.array(fc.record({ t: fc.integer({ min: 0, max: 400 }), s: fc.nat(), d: fc.nat(), bytes: fc.integer({ min: 0, max: 40 }) }), { maxLength: 60 }),
        }),
        (x) => {
          const c = x.topology === "cmesh" ? x.c : 1;
          const tiles = x.w * x.h * c;
          const { sim, noc } = makeNoc({ topology: x.topology, width: x.w, height: x.h, concentration: c, bufferFlits: x.B, routerCycles: x.tr, linkCycles: x.tl }, tiles);
          const seen = new Map<number, number>();
          x.sends.forEach((snd, tag) => {
            const src = snd.s % tiles;
            const dst = snd.d % tiles;
            at(sim, snd.t * 1000, () =>
              noc.send({
                src,
                dst,
                bytes: snd.bytes,
                tag,
                onDelivered: (dl) => {
                  expect(dl.dst).toBe(dst);
                  expect(dl.src).toBe(src);
                  seen.set(dl.tag, (seen.get(dl.tag) ?? 0) + 1);
                },
              }),
            );
          });
          sim.run();
          // light random traffic never fills a torus ring, so all three drain
          expect(noc.inFlight).toBe(0);
          expect(seen.size).toBe(x.sends.length);
          for (const n of seen.values()) expect(n).toBe(1);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });

  it("XY routing on a mesh and a c-mesh drains from any overload, even with 1-flit buffers", () => {
    fc.assert(
      fc.property(fc.record({ cmesh: fc.boolean(), w: fc.integer({ min: 2, max: 4 }), h: fc.integer({ min: 2, max: 4 }), B: fc.integer({ min: 1, max: 3 }), seed: fc.integer({ min: 1, max: 1000 }) }), (x) => {
        const c = x.cmesh ? 2 : 1;
        const noc = nocParamsSchema.parse({ topology: x.cmesh ? "cmesh" : "mesh", concentration: c, width: x.w, height: x.h, bufferFlits: x.B });
        // far beyond saturation; a deadlock would throw NOC_DEADLOCK, a slow drain would leave it saturated
        const p = runNocTraffic({ noc, tiles: x.w * x.h * c, clockHz: 1e9 }, { pattern: "uniform", rate: 0.5, cycles: 200, seed: x.seed, drainFactor: 200 });
        expect(p.packetsDelivered).toBe(p.packetsInjected);
        expect(p.saturated).toBe(false);
      }),
      { numRuns: 12, seed: 5 },
    );
  });

  it("a torus with the dateline (2 VCs) drains from any overload; the load that deadlocked it without VCs", () => {
    fc.assert(
      fc.property(fc.record({ w: fc.integer({ min: 2, max: 5 }), h: fc.integer({ min: 1, max: 4 }), B: fc.integer({ min: 1, max: 4 }), seed: fc.integer({ min: 1, max: 1000 }) }), (x) => {
        const noc = nocParamsSchema.parse({ topology: "torus", width: x.w, height: x.h, bufferFlits: x.B });
        const p = runNocTraffic({ noc, tiles: x.w * x.h, clockHz: 1e9 }, { pattern: "uniform", rate: 0.5, cycles: 200, seed: x.seed, drainFactor: 200 });
        expect(p.packetsDelivered).toBe(p.packetsInjected);
      }),
      { numRuns: 12, seed: 9 },
    );
    // 4 × 4 torus, uniform 0.2 packets/tile/cycle: without VCs this wedged every ring (NOC_DEADLOCK)
    const noc = nocParamsSchema.parse({ topology: "torus", width: 4, height: 4, bufferFlits: 4 });
    const p = runNocTraffic({ noc, tiles: 16, clockHz: 1e9 }, { pattern: "uniform", rate: 0.2, cycles: 2000, seed: 1 });
    expect(p.packetsDelivered).toBe(p.packetsInjected);
  });

  it("the torus's wrap-around links raise saturation throughput above the mesh's (same grid, same load)", () => {
    const run = (topology: string) => runNocTraffic({ noc: nocParamsSchema.parse({ topology, width: 4, height: 4, bufferFlits: 4 }), tiles: 16, clockHz: 1e9 }, { pattern: "uniform", rate: 0.2, cycles: 3000, seed: 3 });
    expect(run("torus").acceptedPacketsPerCycle).toBeGreaterThan(run("mesh").acceptedPacketsPerCycle * 1.1);
  });
});

describe("stats", () => {
  it("link utilisation is flits / elapsed cycles; the latency histogram holds every delivered packet", () => {
    // 2×1 mesh, tile 0 → tile 1, 10 packets of 4 flits back to back: the east link carries 40 flits
    const { sim, noc } = makeNoc({ topology: "mesh", width: 2, height: 1, bufferFlits: 4 }, 2);
    for (let k = 0; k < 10; k++) noc.send({ src: 0, dst: 1, bytes: 16 });
    sim.run();
    const stats = noc.collectStats();
    const elapsed = sim.now / 1000;
    expect(stats["noc.router[0].east.flits"]).toBe(40);
    expect(stats["noc.router[0].east.utilisation"]).toBeCloseTo(40 / elapsed, 12);
    // the link is the bottleneck, one flit per cycle: flit k leaves router 0 at cycle tr + k = 1 + k;
    // the 40th (k = 39) leaves at 40, reaches router 1 at 41 (tl), is switched at 42 (tr) and
    // ejected at 43 (tl)
    expect(elapsed).toBe(43);
    const hist = stats["noc.packetLatency"] as { samples: number };
    expect(hist.samples).toBe(10);
  });
});

describe("config errors name the field", () => {
  it("concentration > 1 needs a c-mesh; a grid too small for the tiles is refused", () => {
    expect(() => validate(nocParamsSchema, { topology: "mesh", concentration: 4 }, "x.yaml")).toThrow(/x\.yaml: concentration/);
    try {
      resolveNocGeometry(nocParamsSchema.parse({ width: 2, height: 2 }), 5, 1e9, undefined, "x.yaml: noc");
      expect.unreachable();
    } catch (e) {
      expect((e as RramsimError).code).toBe("CONFIG_RANGE");
      expect((e as Error).message).toMatch(/^x\.yaml: noc\.width/);
    }
  });
});
