// The NoC's config slices: `chip.noc` (topology, grid, flits, router pipeline, links, buffers,
// router and link cost) and `chip.offchip` (the HyperTransport-like link). Defaults live here.
// Router cost is given as either a peak power (ISAAC Table I: 42 mW for an 8-port router) or an
// energy per flit traversal; the peak traversal rate (ports × clock) converts one into the other
// (sim/cost.ts). The off-chip link likewise takes a peak power (ISAAC/PUMA: 10.4 W) or an
// energy per flit, converted at its peak flit rate (links × bandwidth / flit size).

import { z } from "zod";
import { nonNegativeQuantity, positiveQuantity } from "../../sim/config";
import { costSpecSchema } from "../../sim/cost";

export const nocParamsSchema = z
  .object({
    topology: z.enum(["mesh", "cmesh", "torus"]).default("mesh").describe("mesh | cmesh (concentrated mesh) | torus"),
    width: z.number().int().min(1).optional().describe("routers along x (default: near-square grid for the tile count)"),
    height: z.number().int().min(1).optional().describe("routers along y (default: enough rows for the tile count)"),
    concentration: z.number().int().min(1).max(16).default(1).describe("tiles per router (cmesh only; 1 for mesh and torus)"),
    flitBits: z.number().int().min(8).max(4096).default(32).describe("flit width in bits; packets are split into ⌈bits / flitBits⌉ flits"),
    routerCycles: z.number().int().min(1).max(64).default(1).describe("router pipeline latency: cycles from a flit's arrival in an input buffer to its switch traversal"),
    linkCycles: z.number().int().min(1).max(64).default(1).describe("link latency in cycles (a link carries one flit per cycle); credits return over the same latency"),
    bufferFlits: z.number().int().min(1).max(1024).default(4).describe("input buffer depth per router port (per virtual channel on a torus), in flits (credit-based backpressure)"),
    clock: positiveQuantity("frequency").optional().describe("NoC clock (default: the chip clock)"),
    router: costSpecSchema.default({ energy: 0, leakage: 0, area: 0 }).describe("router cost: peak power or energy per flit traversal, leakage, area"),
    linkEnergy: nonNegativeQuantity("energy").default(0).describe("energy of one flit crossing one link (pJ)"),
    offchipRouter: z.number().int().min(0).default(0).describe("router the off-chip link attaches to"),
  })
  .strict()
  .refine((p) => p.topology === "cmesh" || p.concentration === 1, {
    message: "concentration > 1 needs topology 'cmesh'",
    params: { rramsimCode: "CONFIG_VALUE" },
    path: ["concentration"],
  });

export type NocParams = z.output<typeof nocParamsSchema>;

export const offchipParamsSchema = z
  .object({
    links: z.number().int().min(1).default(1).describe("parallel links; bandwidth and peak power are for all of them"),
    bandwidth: positiveQuantity("bandwidth").describe('bandwidth per link and direction, e.g. "6.4GB/s"'),
    latency: nonNegativeQuantity("time").default(0).describe('one-way latency on top of serialisation, e.g. "20ns"'),
    power: nonNegativeQuantity("power").optional().describe('peak power of all links, e.g. "10.4W"'),
    energy: nonNegativeQuantity("energy").optional().describe("energy per flit carried (pJ)"),
    leakage: nonNegativeQuantity("power").default(0).describe("static power"),
    area: nonNegativeQuantity("area").default(0).describe('area, e.g. "22.88mm2"'),
  })
  .strict()
  .refine((c) => (c.power === undefined) !== (c.energy === undefined), {
    message: "give exactly one of 'power' (peak) or 'energy' (per flit)",
    params: { rramsimCode: "CONFIG_VALUE" },
  });

export type OffchipParams = z.output<typeof offchipParamsSchema>;
