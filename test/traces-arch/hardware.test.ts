import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Chip } from "../../arch/chip/chip";
import { loadChipDesign } from "../../arch/chip/params";
import { Core } from "../../arch/core/core";
import { coreParamsSchema } from "../../arch/core/params";
import { assemble } from "../../isa/assembler";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";
import type { Tracer } from "../../sim/tracer";
import { RecordingTracer } from "../../traces/recording";
import { TraceFileWriter } from "../../traces/writer";
import { Noc } from "../../arch/noc/noc";
import { nocParamsSchema } from "../../arch/noc/params";
import { checkTraceAgainstStats, checkTraceInvariants, kindOn, slicesOfFile, slicesOfRecording, type NamedSlice } from "./helpers";

const tiny = path.join(__dirname, "..", "..", "configs", "arch", "tiny.yaml");
const ROWS = 16;
const COLS = 8;
const W = Array.from({ length: ROWS * COLS }, (_, k) => (k * 37 + 11) % 256);
const X = Array.from({ length: ROWS }, (_, i) => (i * 53 + 7) % 256);

// Every tile's core 0 runs four MVMs (pipelined on one unit), stores the results, sends them to the
// next tile and receives from the previous one: MVM pipelining, ADC waits, bank conflicts, sync
// waits, packets crossing the mesh at the same time, scalar loops with taken branches.
function program(tile: number, tiles: number): string {
  return `
    li s0, 4              # MVMs
    li a0, 0
    li a1, 16
    li a2, 100
    vld a2, a0, a1
    li a3, 200
  loop:
    mvm a2, a3, 1
    addi a3, a3, 8
    addi s0, s0, -1
    bnez s0, loop
    li a4, 32
    li a5, 64
    li a6, 1
    li a3, 200
    vst a5, a3, a6, a4
    li t1, ${(tile + 1) % tiles}
    li t2, 7
    send a5, t1, a4, t2
    li a0, 128
    li t1, ${(tile + tiles - 1) % tiles}
    recv a0, t1, a4, t2
    li a2, 300
    vld a2, a0, a4
    li t3, 7
    li t4, 3
    div t5, t3, t4
    div t6, t3, t4        # the divider is busy: a divider stall
    add t6, t6, t5        # waits for the divide: a data stall
    ecall`;
}

function runChip(tracer: Tracer | undefined, fidelity: "ideal" | "timing") {
  const sim = new Simulator({ seed: 1 });
  const ledger = new EnergyLedger();
  const chip = new Chip({ sim, ledger, tracer }, "chip", loadChipDesign(tiny), { fidelity });
  const n = chip.tiles.length;
  for (const t of chip.tiles) {
    t.mvmus[0].program(fidelity === "timing" ? null : W, ROWS, COLS);
    t.sharedMemory!.write(0, X, ROWS, 1, () => {});
    t.cores[0].load(assemble(program(t.index, n)));
  }
  sim.run();
  for (const t of chip.tiles) t.cores[0].start();
  sim.run();
  for (const t of chip.tiles) expect(t.cores[0].status).toBe("halted");
  return { sim, ledger, chip, periodTicks: Math.round(1e12 / chip.design.config.clock) };
}

function everything(r: ReturnType<typeof runChip>) {
  return { now: r.sim.now, stats: r.chip.collectStats(), energy: r.ledger.report(r.sim.now * 1e-12), vrf: r.chip.tiles.map((t) => [...t.cores[0].vrf]) };
}

describe("hardware traces: a 4-tile chip running MVMs, memory traffic and messages", () => {
  const rec = new RecordingTracer();
  const traced = runChip(rec, "ideal");
  const slices = slicesOfRecording(rec);

  it("tracing off (no tracer, NULL_TRACER) leaves every stat, energy, tick and value bit-identical to tracing on", () => {
    expect(everything(runChip(undefined, "ideal"))).toEqual(everything(traced));
  });

  it("timestamps are monotonic per track and every slice has a finite non-negative duration", () => {
    expect(slices.length).toBeGreaterThan(100);
    checkTraceInvariants(slices);
  });

  it("busy and stall time per component equal the components' stats (cores, MVM units and parts, memories, links, routers, packets)", () => {
    const checked = checkTraceAgainstStats(traced.chip, slices, traced.periodTicks);
    for (const k of ["core", "mvmu", "crossbar", "adc", "shiftAdd", "sampleHold", "dac", "inputRegister", "outputRegister", "sharedMemory", "link", "router", "noc"]) expect([k, checked[k] > 0]).toEqual([k, true]);
  });

  it("the run exercises what the kinds describe: stalls by cause, sync waits, packets with hops, MVMs one after another", () => {
    const kinds = new Set(slices.map((s) => s.kind));
    for (const k of [
      "core.scalar",
      "core.mvm",
      "core.send",
      "core.recv",
      "core.vload",
      "core.vstore",
      "core.halt",
      "core.stall.redirect",
      "core.stall.divider",
      "core.stall.data",
      "mvmu.mvm",
      "mvmu.step",
      "adc.convert",
      "crossbar.read",
      "sampleHold.sample",
      "shiftAdd.add",
      "mem.read",
      "mem.write",
      "mem.bank",
      "mem.syncWait",
      "noc.hop",
      "noc.packet",
    ]) {
      expect([k, kinds.has(k)]).toEqual([k, true]);
    }
    // tiny.yaml: a 2 × 2 mesh, one tile per router; tile t sends to t + 1: 1 hop between routers + ejection
    const packets = slices.filter((s) => s.kind === "noc.packet");
    expect(packets.length).toBe(4);
    for (const p of packets) {
      const [src, dst, flits, hops] = p.ints;
      const xy = (t: number) => [t % 2, Math.floor(t / 2)];
      const manhattan = Math.abs(xy(src)[0] - xy(dst)[0]) + Math.abs(xy(src)[1] - xy(dst)[1]);
      expect(hops).toBe(manhattan + 1);
      expect(flits).toBeGreaterThan(0);
      expect(p.component).toBe(`chip.noc.packets[${src}->${dst}]`);
    }
    // the core issues an MVM to a busy unit only after the previous one: mvm stalls between them
    const mvms = slices.filter((s) => s.component === "chip.tile[0].mvmu[0].mvm");
    expect(mvms.length).toBe(4);
    expect(mvms[1].tick).toBeGreaterThanOrEqual(mvms[0].tick + mvms[0].durTicks);
    expect(kindOn(slices, "chip.tile[0].core[0]", "core.stall.mvm").count).toBeGreaterThanOrEqual(3);
  });

  it("a trace file written while running decodes to the same events as the in-memory recording", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-trace-arch-"));
    try {
      const file = path.join(dir, "chip.rtrace");
      const w = new TraceFileWriter(file, { header: { producer: "test" } });
      const r = runChip(w, "timing");
      w.close();
      const fromFile = slicesOfFile(file);
      checkTraceInvariants(fromFile);
      checkTraceAgainstStats(r.chip, fromFile, r.periodTicks);
      const rec2 = new RecordingTracer();
      runChip(rec2, "timing");
      const key = (s: NamedSlice) => `${s.component} ${s.kind} ${s.tick} ${s.durTicks} ${s.ints.join(",")}`;
      expect(fromFile.map(key)).toEqual(slicesOfRecording(rec2).map(key));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("core traces: scalar runs and stalls by cause on a standalone core", () => {
  it("a divide loop with taken branches: runs and stalls tile the issue timeline exactly", () => {
    const sim = new Simulator({ seed: 1 });
    const rec = new RecordingTracer();
    const params = coreParamsSchema.parse({});
    const core = new Core({ sim, ledger: new EnergyLedger(), tracer: rec }, "core", params, { clockHz: 1e9 });
    core.load(
      assemble(`
      li t0, 20
      li t1, 1000
    loop:
      li t2, 7
      div t1, t1, t2
      div t4, t2, t2
      add t3, t1, t1
      addi t0, t0, -1
      bnez t0, loop
      ecall`),
    );
    core.start();
    sim.run();
    expect(core.status).toBe("halted");
    const slices = slicesOfRecording(rec);
    checkTraceInvariants(slices);
    checkTraceAgainstStats(core, slices, 1000);
    // one track, no overlaps: each slice starts where the previous one ended, from the first issue
    const first = (params.fetchCycles + params.decodeCycles) * 1000;
    let at = first;
    for (const s of slices) {
      expect(s.tick).toBe(at);
      at = s.tick + s.durTicks;
    }
    expect(at).toBe(first + (core.retired - 1 + params.latency.system) * 1000 + slices.filter((s) => s.isStall).reduce((a, s) => a + s.durTicks, 0) - 0);
    expect(kindOn(slices, "core", "core.stall.divider").count).toBeGreaterThan(0);
    expect(kindOn(slices, "core", "core.stall.redirect").count).toBe(19);
  });
});

describe("NoC traces under contention", () => {
  it("15 tiles send 3 packets each to one tile of a 4 × 4 mesh: hop slices per link, stalls per router input, one packet slice per packet", () => {
    const rec = new RecordingTracer();
    const sim = new Simulator({ seed: 1 });
    const noc = new Noc({ sim, ledger: new EnergyLedger(), tracer: rec }, "noc", nocParamsSchema.parse({ topology: "mesh", width: 4, height: 4, bufferFlits: 2 }), { tiles: 16, clockHz: 1e9 });
    for (let k = 0; k < 3; k++) for (let s = 0; s < 16; s++) if (s !== 5) noc.send({ src: s, dst: 5, bytes: 64 });
    sim.run();
    expect(noc.packetsDelivered).toBe(45);
    const slices = slicesOfRecording(rec);
    checkTraceInvariants(slices);
    const checked = checkTraceAgainstStats(noc, slices, 1000);
    expect(checked.link).toBeGreaterThan(10);
    // 32-bit flits: 16 per 64-byte packet, all through the ejection link of tile 5
    expect(kindOn(slices, "noc.router[5].local[0]", "noc.hop").count).toBe(45 * 16);
    expect(slices.filter((s) => s.kind === "noc.stall").length).toBeGreaterThan(0);
  });
});
