import { describe, expect, it } from "vitest";
import { Core } from "../../arch/core/core";
import type { CoreEnvironment } from "../../arch/core/environment";
import { execCoreProgram } from "../../arch/core/exec";
import { coreParamsSchema } from "../../arch/core/params";
import { assemble } from "../../isa/assembler";
import { EnergyLedger } from "../../sim/energy";
import { RramsimError } from "../../sim/errors";
import { Simulator } from "../../sim/simulator";

const exec = (src: string, extra: Record<string, unknown> = {}) => execCoreProgram(src, { params: coreParamsSchema.parse(extra) });

describe("core timing (default: fetch 1, decode 1, ALU 1, load 2, taken penalty 2)", () => {
  it("straight-line code: first issue after fetch+decode, then one per cycle", () => {
    // li issues at cycle 2, ecall at 3 and completes at 4
    const r = exec("li a0, 5\necall");
    expect(r.cycles).toBe(4);
    expect(r.instructions).toBe(2);
    expect(r.registers.x10).toBe(5);
  });
  it("a load-use dependence stalls one cycle (scoreboard)", () => {
    // auipc 2, addi 3, lw 4 (a1 ready at 6), addi stalls 5→6, ecall 7, done 8
    const r = exec(".data\nv: .word 7\n.text\nla a0, v\nlw a1, 0(a0)\naddi a2, a1, 1\necall");
    expect(r.cycles).toBe(8);
    expect(r.stallCycles.data).toBe(1);
    expect(r.registers.x12).toBe(8);
  });
  it("a taken jump costs the redirect penalty; fetch/decode from params", () => {
    // j issues 2, ecall 2+1+2 = 5, done 6
    expect(exec("j L\nnop\nL: ecall").cycles).toBe(6);
    expect(exec("j L\nnop\nL: ecall").stallCycles.redirect).toBe(2);
    // fetch 3 + decode 2: li issues at 5, ecall 6, done 7
    expect(exec("li a0, 5\necall", { fetchCycles: 3, decodeCycles: 2 }).cycles).toBe(7);
  });
  it("the divider is not pipelined: a second divide waits for it", () => {
    const r = exec("li a0, 9\nli a1, 3\ndiv a2, a0, a1\ndiv a3, a0, a1\necall");
    // li at 2, 3; div at 4 (done 38); the second div waits 5 → 38 (33 cycles) and completes at 72;
    // ecall issues at 39, so the last completion is the second divide
    expect(r.stallCycles.divider).toBe(33);
    expect(r.cycles).toBe(72);
  });
  it("a vector op overlaps with scalar work until a dependent vector op stalls", () => {
    const src = [
      "li a0, 0",
      "li a1, 100",
      "li a2, 200",
      "li a3, 64",
      "vadd a2, a0, a1, a3", // issue 6, VFU busy [6, 70)
      "addi t0, zero, 1",
      "addi t1, zero, 2", // 7, 8: overlap
      "vrelu a0, a2, a3", // reads V[200..264): waits until 70, busy [70, 134)
      "ecall", // 71, drains until 134, completes 135
    ].join("\n");
    const r = exec(src);
    expect(r.stallCycles.vector).toBe(70 - 9);
    expect(r.stallCycles.drain).toBe(134 - 71);
    expect(r.cycles).toBe(135);
    expect(r.instructionsByClass.vector).toBe(2);
  });
  it("sigmoid takes transcendentalFactor × longer; lanes divide the element count", () => {
    const src = "li a3, 64\nvsig a0, a1, a3\necall"; // li 2, vsig 3 busy 64×3 = 192 → 195, ecall 4, done 196
    expect(exec(src).cycles).toBe(196);
    expect(exec(src, { vector: { lanes: 4 } }).cycles).toBe(3 + 48 + 1); // ⌈64/4⌉ × 3 = 48
  });
  it("a straight-line scalar run costs a handful of events, and nothing is pending after halt", () => {
    const n = 20000;
    const src = `${"addi a0, a0, 1\n".repeat(n)}ecall`;
    const p = assemble(src);
    const sim = new Simulator();
    const core = new Core({ sim, ledger: new EnergyLedger() }, "core", coreParamsSchema.parse({ instructionMemory: "128KB" }), { clockHz: 1e9 });
    core.load(p);
    core.start();
    sim.run();
    expect(core.x[10]).toBe(n);
    expect(core.cycles).toBe(n + 3);
    expect(sim.eventCount).toBeLessThan(6);
    expect(sim.pending).toBe(0);
    expect(sim.now).toBe((n + 3) * 1000);
  });
  it("the instruction-memory limit refuses a program that does not fit", () => {
    const p = assemble("nop\n".repeat(1025)); // 4100 bytes > 4 KB
    const core = new Core({ sim: new Simulator(), ledger: new EnergyLedger() }, "core", coreParamsSchema.parse({}), { clockHz: 1e9 });
    expect(() => core.load(p)).toThrow(expect.objectContaining({ code: "CORE_IMEM" }));
  });
  it("the cycle limit stops a runaway loop without halting", () => {
    const r = execCoreProgram("L: j L", { maxCycles: 1000 });
    expect(r.halted).toBe(false);
    expect(r.status).toBe("stopped");
    expect(r.cycles).toBe(1000);
  });
  it("standalone custom ops other than the vector ALU fail with CORE_NEEDS_TILE naming the line", () => {
    try {
      execCoreProgram("nop\nmvm a0, a1, 1\necall", { file: "p.s" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RramsimError);
      expect((e as RramsimError).code).toBe("CORE_NEEDS_TILE");
      expect((e as Error).message).toMatch(/^p\.s:2: 'mvm' needs a tile/);
    }
  });
  it("traps: ebreak, a load outside the data memory, an illegal word", () => {
    const code = (src: string) => {
      try {
        execCoreProgram(src);
      } catch (e) {
        return (e as RramsimError).code;
      }
      return "none";
    };
    expect(code("ebreak")).toBe("CORE_TRAP");
    expect(code("lw a0, 0(zero)\necall")).toBe("CORE_TRAP");
    expect(code(".word 0xffffffff")).toBe("CORE_TRAP");
  });
  it("dynamic energy = counts × PUMA's per-action energies at 1 GHz (peak power / 1e9 actions per s)", () => {
    // li + ecall: 2 × (control 0.25 pJ + imem 1.52 pJ) + 1 scalar op × 0.055 pJ = 3.595 pJ
    expect(exec("li a0, 5\necall").dynamicEnergyPj).toBeCloseTo(3.595, 12);
  });
  it("energy actions: one instruction and fetch per instruction, one scalar op per scalar instruction", () => {
    const sim = new Simulator();
    const ledger = new EnergyLedger();
    const core = new Core({ sim, ledger }, "core", coreParamsSchema.parse({}), { clockHz: 1e9 });
    core.load(assemble("li a3, 8\nvadd a0, a1, a2, a3\necall"));
    core.start();
    sim.run();
    const c = (a: string) => core.energy.counts[core.energy.action(a)];
    expect([c("instruction"), c("fetch"), c("scalarOp"), c("vectorOp"), c("rfAccess")]).toEqual([3, 3, 1, 8, 24]);
  });
});

/** A tile stand-in: MVMs take `mvmCycles`, loads/stores 10 cycles, barrier completes when `release` is called. */
function fakeTile(sim: Simulator, mvmCycles: number) {
  const log: string[] = [];
  let release: (() => void) | undefined;
  const env: CoreEnvironment = {
    mvmFootprint: { input: 64, output: 64 },
    mvm: (req, _vrf, done) => {
      log.push(`mvm ${req.mask} @${sim.now / 1000}`);
      sim.schedule(mvmCycles * 1000, done);
    },
    load: (_a, out, done) => sim.schedule(10_000, () => (out.fill(7), done())),
    store: (_a, _v, _c, done) => sim.schedule(10_000, done),
    send: (_r, done) => sim.schedule(10_000, done),
    recv: (_r, done) => sim.schedule(10_000, done),
    barrier: (_f, done) => {
      log.push(`barrier @${sim.now / 1000}`);
      release = done;
    },
  };
  return { env, log, release: () => release?.() };
}

describe("core with a tile environment", () => {
  it("MVMs overlap with scalar work; a second MVM on the same unit waits for the first", () => {
    const sim = new Simulator();
    const t = fakeTile(sim, 1000);
    const core = new Core({ sim, ledger: new EnergyLedger() }, "core", coreParamsSchema.parse({}), { clockHz: 1e9, env: t.env });
    // li 2, 3; mvm unit 0 at 4 (reads [0,64), writes [128,192), done 1004); addi 5;
    // mvm unit 1 at 6 on [256,320) overlaps; mvm unit 0 reading [128,192) waits 7 → 1004 (done 2004);
    // ecall 1005 drains to 2004 and completes at 2005
    core.load(assemble("li a1, 128\nli a2, 256\nmvm zero, a1, 1\naddi a0, a0, 1\nmvm a2, a2, 2\nmvm a1, zero, 1\necall"));
    core.start();
    sim.run();
    expect(t.log).toEqual(["mvm 1 @4", "mvm 2 @6", "mvm 1 @1004"]);
    expect(core.collectStats()["core.stall.mvm"]).toBe(1004 - 7);
    expect(core.cycles).toBe(2005);
    expect(core.status).toBe("halted");
  });
  it("a barrier drains outstanding ops, then blocks the core (no events) until the tile releases it", () => {
    const sim = new Simulator();
    const t = fakeTile(sim, 100);
    const core = new Core({ sim, ledger: new EnergyLedger() }, "core", coreParamsSchema.parse({}), { clockHz: 1e9, env: t.env });
    core.load(assemble("li a3, 4\nvld zero, zero, a3\nbarrier zero\naddi a0, a0, 1\necall"));
    core.start();
    sim.run();
    expect(core.status).toBe("waiting");
    expect(sim.pending).toBe(0);
    expect(t.log).toEqual(["barrier @13"]); // vld at 3 completes at 13
    expect([...core.vrf.subarray(0, 4)]).toEqual([7, 7, 7, 7]);
    sim.schedule(500_000, () => t.release());
    sim.run();
    expect(core.status).toBe("halted");
    expect(core.x[10]).toBe(1);
  });
});
