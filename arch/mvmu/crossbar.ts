// One crossbar of an MVMU as a component: its analog array (ideal or physical, behind the
// AnalogArray contract), read once per input step. Read energy is either the spec's energy per
// full read, or that energy scaled by the cells the mapping uses (active rows × active columns ÷
// all cells): the two actions `read` and `cellRead` carry one or the other.
// Left out: data-dependent read energy (it depends on the conductances and inputs).

import { defineKind, type SimContext } from "../../sim/component";
import type { Counter } from "../../sim/stats";
import type { AnalogArray } from "../crossbar/analog-array";
import type { MvmuPartCost } from "./cost";
import { crossbarParamsSchema, type CrossbarParams } from "./params";
import { busyTicksStat, MvmuPartComponent } from "./part";

export const crossbarKind = defineKind({
  kind: "crossbar",
  description: "an analog crossbar of an MVMU: rows × cols cells of cellBits, read latency and read energy",
  params: crossbarParamsSchema,
  stats: {
    reads: { kind: "counter", unit: "reads", desc: "reads of all columns" },
    busyTicks: busyTicksStat,
  },
  actions: {
    read: { desc: "one read of the whole array (readEnergy: perRead)" },
    cellRead: { desc: "one active cell in a read (readEnergy: perActiveCell)" },
  },
});

export class Crossbar extends MvmuPartComponent<typeof crossbarParamsSchema> {
  /** null at `timing` fidelity: no values are computed */
  readonly array: AnalogArray | null;
  private readonly aRead: number;
  private readonly aCell: number;
  private readonly reads: Counter;
  /** cells the mapping uses, for perActiveCell energy */
  activeCells: number;

  constructor(ctx: SimContext, path: string, params: CrossbarParams, cost: MvmuPartCost, physCols: number, array: AnalogArray | null) {
    const perCell = params.readEnergy === "perActiveCell";
    const cells = params.rows * physCols;
    super(
      ctx,
      path,
      crossbarKind,
      params,
      { ...cost, count: 1 },
      {
        read: { energyPj: perCell ? 0 : cost.energyPj },
        cellRead: { energyPj: perCell ? cost.energyPj / cells : 0 },
      },
    );
    this.array = array;
    this.activeCells = cells;
    this.aRead = this.energy.action("read");
    this.aCell = this.energy.action("cellRead");
    this.reads = this.counter("reads");
  }

  /** Counts one read (the values, if any, are computed by the datapath). */
  read(busyTicks: number): void {
    this.reads.add(1);
    this.energy.counts[this.aCell] += this.activeCells;
    this.record(this.aRead, 1, busyTicks);
  }
}
