import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { Chip } from "../../arch/chip/chip";
import { loadChipDesign } from "../../arch/chip/params";
import { assemble } from "../../isa/assembler";
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";
import { RramsimError } from "../../sim/errors";

const tiny = path.join(__dirname, "..", "..", "configs", "arch", "tiny.yaml");

function makeChip(fidelity: "ideal" | "timing" = "ideal") {
  const sim = new Simulator({ seed: 1 });
  const ledger = new EnergyLedger();
  const chip = new Chip({ sim, ledger }, "chip", loadChipDesign(tiny), { fidelity });
  return { sim, ledger, chip };
}

// tiny.yaml: MVMU of 16 rows × 8 logical 8-bit weights (2 crossbars 16×16 of 2-bit cells), unsigned
const ROWS = 16;
const COLS = 8;
const W = Array.from({ length: ROWS * COLS }, (_, k) => (k * 37 + 11) % 256);
const X = Array.from({ length: ROWS }, (_, i) => (i * 53 + 7) % 256);
// independent reference: y_j = Σ_i x_i · w[i][j]
const Y = Array.from({ length: COLS }, (_, j) => X.reduce((a, x, i) => a + x * W[i * COLS + j], 0));

describe("tile: custom instructions drive the MVM units, shared memory and the NoC", () => {
  it("core 0 of tile 0: vld → mvm → vst → send; core 0 of tile 3: recv → vld gets the exact products", () => {
    const { sim, chip } = makeChip();
    const [t0, , , t3] = chip.tiles;
    t0.mvmus[0].program(W, ROWS, COLS);
    // inputs placed in tile 0's memory at 0, valid for one consumer
    t0.sharedMemory!.write(0, X, ROWS, 1, () => {});
    t0.cores[0].load(
      assemble(`
      li a0, 0          # tile memory address of x
      li a1, 16         # rows
      li a2, 100        # vector registers: x at 100
      vld a2, a0, a1
      li a3, 200        # results at 200
      mvm a2, a3, 1     # unit 0 of this core
      li a4, 8
      li a5, 64         # tile memory address of y
      li a6, 1
      vst a5, a3, a6, a4
      li t1, 3          # destination tile
      li t2, 7          # tag
      send a5, t1, a4, t2
      ecall`),
    );
    t3.cores[0].load(
      assemble(`
      li a0, 32         # tile memory address
      li t1, 0          # from tile 0
      li t2, 7          # tag 7, 1 consumer
      li a4, 8
      recv a0, t1, a4, t2
      li a2, 300
      vld a2, a0, a4
      ecall`),
    );
    t3.cores[0].start();
    t0.cores[0].start();
    sim.run();
    expect(t0.cores[0].status).toBe("halted");
    expect(t3.cores[0].status).toBe("halted");
    expect([...t0.cores[0].vrf.subarray(200, 208)]).toEqual(Y);
    expect([...t3.cores[0].vrf.subarray(300, 308)]).toEqual(Y);
    expect(chip.noc.packetsDelivered).toBe(1);
    // the receiver waited for the MVM (80 ns interval, 90 ns latency at 1 GHz) and the network
    expect(t3.cores[0].cycles).toBeGreaterThan(90);
  });

  it("barrier waits for the tile's flag; a flag raised earlier lets it pass", () => {
    const { sim, chip } = makeChip("timing");
    const t = chip.tiles[1];
    t.cores[0].load(assemble("li a0, 5\nbarrier a0\necall"));
    t.cores[0].start();
    sim.schedule(50_000, () => t.signal(5));
    sim.run();
    expect(t.cores[0].status).toBe("halted");
    expect(t.cores[0].cycles).toBeGreaterThanOrEqual(50);
  });

  it("an MVM mask naming a unit the core lacks is a SIM_STATE error", () => {
    const { sim, chip } = makeChip("timing");
    const c = chip.tiles[2].cores[0];
    c.load(assemble("li a0, 0\nli a1, 100\nmvm a0, a1, 4\necall"));
    c.start();
    let err: unknown;
    try {
      sim.run();
    } catch (e) {
      err = e;
    }
    const trap = c.trap ?? err;
    expect((trap as RramsimError).code).toBe("SIM_STATE");
  });
});
