// One crossbar of an MVMU as a component: its analog array (ideal or physical, behind the
// AnalogArray contract), read once per input step. Read energy is the spec's energy per full
// read, or that energy scaled by the cells the mapping uses (active rows × active columns ÷ all
// cells): the two actions `read` and `cellRead` carry one or the other. With readEnergy
// `conductance` each read also costs V²·G·t for every pulsed row, counted from the values
// (`charge`, in µS of pulsed cells; read-activity.ts; at timing fidelity none is counted).

import { defineKind, type SimContext } from "../../sim/component";
import type { Counter } from "../../sim/stats";
import { SECONDS_PER_TICK } from "../../sim/time";
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
    charge: { desc: "one µS of pulsed cells for one read (readEnergy: conductance; V²·t per µS)" },
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
  /** nominal cell conductances for the read energy (zero when readEnergy is not `conductance`) */
  readonly conductance: { gMin: number; gMax: number };

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
        // pJ per µS of pulsed cells (conductances are in µS): V² × 1e-6 S × t × 1e12 pJ/J
        charge: { energyPj: params.readEnergy === "conductance" ? (params.readVoltage as number) ** 2 * params.readLatency * SECONDS_PER_TICK * 1e6 : 0, byValues: true },
      },
    );
    this.conductance = params.conductance === undefined ? { gMin: 0, gMax: 0 } : { gMin: params.conductance.min, gMax: params.conductance.max };
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
