// Test helpers: a fresh NoC on its own simulator, and one-packet sends.
import { EnergyLedger } from "../../sim/energy";
import { Simulator } from "../../sim/simulator";
import { Noc, type NocDelivery } from "../../arch/noc/noc";
import { nocParamsSchema, offchipParamsSchema } from "../../arch/noc/params";
import type { Tick } from "../../sim/time";

export function makeNoc(noc: Record<string, unknown>, tiles: number, clockHz = 1e9, offchip?: Record<string, unknown>) {
  const sim = new Simulator({ seed: 1 });
  const ledger = new EnergyLedger();
  const n = new Noc({ sim, ledger }, "noc", nocParamsSchema.parse(noc), {
    tiles,
    clockHz,
    offchip: offchip === undefined ? undefined : offchipParamsSchema.parse(offchip),
  });
  return { sim, ledger, noc: n };
}

/** Sends one packet at `atTick` on an otherwise idle network and returns its delivery. */
export function onePacket(noc: Record<string, unknown>, tiles: number, src: number, dst: number, bytes: number, offchip?: Record<string, unknown>): NocDelivery {
  const { sim, noc: n } = makeNoc(noc, tiles, 1e9, offchip);
  let got: NocDelivery | undefined;
  n.send({ src, dst, bytes, onDelivered: (d) => (got = d) });
  sim.run();
  if (got === undefined) throw new Error("packet not delivered");
  return got;
}

export function at(sim: Simulator, tick: number, f: () => void): void {
  sim.scheduleAt(tick as Tick, f);
}
