// One direction of a NoC link, router to router or router to tile: the component that carries a
// flit per cycle, with its energy per flit from the NoC slice (`linkEnergy`) and its utilisation
// over the stats window. The fabric (fabric.ts) decides when a flit crosses and counts it here;
// the link's latency (linkCycles) is a NoC parameter (geometry.ts).
// Left out: link-level errors and retransmission, wire delay that depends on length.

import { z } from "zod";
import { Component, defineKind, type SimContext } from "../../sim/component";
import { nonNegativeQuantity } from "../../sim/config";
import type { Counter } from "../../sim/stats";

export const linkParamsSchema = z.object({ linkEnergy: nonNegativeQuantity("energy").default(0).describe("energy per flit (pJ)") }).strict();

export const linkKind = defineKind({
  kind: "link",
  description: "one direction of a NoC link (router to router, or router to tile): one flit per cycle",
  params: linkParamsSchema,
  stats: {
    flits: { kind: "counter", unit: "flits", desc: "flits carried" },
    utilisation: { kind: "formula", unit: "fraction", desc: "busy cycles / elapsed cycles since the stats were reset" },
  },
  actions: {
    flit: { desc: "one flit over the link (one hop)" },
  },
});

export class Link extends Component<typeof linkParamsSchema> {
  readonly aFlit: number;
  readonly flits: Counter;
  constructor(ctx: SimContext, path: string, params: z.output<typeof linkParamsSchema>, busyCyclesPerFlit: number, elapsedCycles: () => number) {
    super(ctx, path, linkKind, params, { actions: { flit: { energyPj: params.linkEnergy } } });
    this.aFlit = this.energy.action("flit");
    this.flits = this.counter("flits");
    this.formula("utilisation", () => {
      const e = elapsedCycles();
      return e > 0 ? (this.flits.value * busyCyclesPerFlit) / e : 0;
    });
  }
}
