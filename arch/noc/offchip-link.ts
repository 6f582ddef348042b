// The off-chip link (HyperTransport-like) attached to one router and reachable as one extra NoC
// endpoint: the component with its energy per flit (given, or from its power at peak bandwidth),
// leakage and area, flits each way and the utilisation of the busier direction. Its timing
// (⌈flit time / period⌉ cycles per flit, latency in cycles) is resolved in geometry.ts and played
// by the fabric (fabric.ts). Sources: ISAAC Table I and PUMA include/constants.py (HyperTransport:
// 4 links, 6.4 GB/s per link, 10.4 W, 22.88 mm²), docs/references.md §1.1, §1.2, §2.2, §2.4.
// Left out: the far side of the link (memory or another chip), protocol overhead, link errors.

import { Component, defineKind, type SimContext } from "../../sim/component";
import type { Counter } from "../../sim/stats";
import { offchipParamsSchema, type OffchipParams } from "./params";

export const offchipLinkKind = defineKind({
  kind: "offchipLink",
  description: "HyperTransport-like off-chip link attached to one router: bandwidth, latency, power, area",
  params: offchipParamsSchema,
  stats: {
    flitsOut: { kind: "counter", unit: "flits", desc: "flits sent off chip" },
    flitsIn: { kind: "counter", unit: "flits", desc: "flits received from off chip" },
    utilisation: { kind: "formula", unit: "fraction", desc: "busy time of the busier direction / elapsed time since the stats were reset" },
  },
  actions: {
    flit: { desc: "one flit over the off-chip link, either direction" },
  },
});

export class OffchipLink extends Component<typeof offchipParamsSchema> {
  readonly aFlit: number;
  readonly flitsOut: Counter;
  readonly flitsIn: Counter;
  constructor(ctx: SimContext, path: string, params: OffchipParams, flitBits: number, cyclesPerFlit: number, elapsedCycles: () => number) {
    const peakFlitsPerS = (params.links * params.bandwidth * 8) / flitBits;
    const energyPj = params.energy ?? (params.power as number) / (peakFlitsPerS * 1e-9);
    super(ctx, path, offchipLinkKind, params, { actions: { flit: { energyPj } }, leakageMw: params.leakage, areaUm2: params.area });
    this.aFlit = this.energy.action("flit");
    this.flitsOut = this.counter("flitsOut");
    this.flitsIn = this.counter("flitsIn");
    this.formula("utilisation", () => {
      const e = elapsedCycles();
      return e > 0 ? (Math.max(this.flitsOut.value, this.flitsIn.value) * cyclesPerFlit) / e : 0;
    });
  }
}
