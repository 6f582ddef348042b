// One schema for a whole design file (`configs/arch/*.yaml`): the chip's name and provenance, its
// clock, its tiles and what one tile holds (control cores each with their MVM units, MVM units owned
// by the tile itself, the shared memory, named digital units and its share of a router), the
// network, the off-chip link and a global memory. Each slice is the schema its component owns
// (arch/core, arch/mvmu, arch/memory, arch/tile, arch/noc); this file only assembles them, checks
// what crosses slices (a core count needs a core, the NoC grid must hold the tiles) and loads files
// with one-line errors naming the file and the field.
//
// A tile may own MVM units directly (`mvmus`) instead of through cores: ISAAC's tile has no
// programmable core, its IMAs are sequenced by fixed control, so its IMA is an MVMU owned by the
// tile, and its control costs nothing in the model (the paper lists none).

import { z } from "zod";
import { coreParamsSchema } from "../core/params";
import { mvmuParamsSchema } from "../mvmu/params";
import { sharedMemoryParamsSchema } from "../memory/shared-memory";
import { digitalUnitParamsSchema } from "../tile/digital-unit";
import { nocParamsSchema, offchipParamsSchema } from "../noc/params";
import { resolveNocGeometry, type NocGeometry } from "../noc/geometry";
import { deepFreeze, positiveQuantity, readConfigFile, validate } from "../../sim/config";

const unitName = z.string().regex(/^[a-z][A-Za-z0-9]*$/, "a unit name is a camelCase word");

export const tileParamsSchema = z
  .object({
    cores: z.number().int().min(0).default(0).describe("control cores per tile (0: fixed control, ISAAC)"),
    core: coreParamsSchema.optional().describe("core parameters (required when cores > 0)"),
    mvmusPerCore: z.number().int().min(0).default(0).describe("MVM units attached to each core (PUMA: 2)"),
    mvmus: z.number().int().min(0).default(0).describe("MVM units owned by the tile itself, without a core (ISAAC: 12 IMAs)"),
    mvmu: mvmuParamsSchema.describe("the MVM unit (ISAAC's IMA, PUMA's MVMU, the Wu et al. tile array)"),
    sharedMemory: sharedMemoryParamsSchema.optional().describe("tile shared memory / eDRAM buffer"),
    units: z.record(unitName, digitalUnitParamsSchema).default({}).describe("tile-level digital units by name: sigmoid, maxPool, shiftAdd, outputRegister, bus, instructionMemory, …"),
    routerShare: z.number().min(0).max(1).optional().describe("share of one router charged to each tile (default 1 / noc.concentration)"),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.cores > 0 && t.core === undefined) {
      ctx.addIssue({ code: "custom", path: ["core"], message: `required when cores = ${t.cores}`, params: { rramsimCode: "CONFIG_MISSING" } });
    }
    if (t.cores * t.mvmusPerCore + t.mvmus < 1) {
      ctx.addIssue({ code: "custom", path: ["mvmus"], message: "a tile needs at least one MVM unit (cores × mvmusPerCore + mvmus ≥ 1)", params: { rramsimCode: "CONFIG_RANGE" } });
    }
  });

export type TileParams = z.output<typeof tileParamsSchema>;

export const publishedSchema = z
  .object({
    power: positiveQuantity("power").optional().describe('published chip power, e.g. "65.8W"'),
    area: positiveQuantity("area").optional().describe('published chip area, e.g. "85.4mm2"'),
    gopsPerW: z.number().positive().optional().describe("published peak power efficiency, GOPS/W"),
    gopsPerMm2: z.number().positive().optional().describe("published peak area efficiency, GOPS/s/mm²"),
    note: z.string().optional().describe("where the figures come from"),
  })
  .strict();

/** A measured cost the source publishes for the whole tile, for `--cost measured` runs (app/run/figures.ts). */
export const measuredCostSchema = z
  .object({
    energyPerTileOp: positiveQuantity("energy").describe('measured energy of one tile operation (one MVM of one MVM unit), e.g. "2.66nJ"'),
    source: z.string().min(1).describe("where the figure was measured and published"),
  })
  .strict();

export const chipConfigSchema = z
  .object({
    name: z.string().min(1).describe("design name"),
    source: z.string().default("").describe("where the parameters come from"),
    clock: positiveQuantity("frequency").describe('chip clock, e.g. "1.2GHz" (cores, tile units, NoC unless it sets its own)'),
    tiles: z.number().int().min(1).describe("tiles on the chip"),
    tile: tileParamsSchema,
    noc: nocParamsSchema.prefault({}).describe("on-chip network; the router grid is noc.width × noc.height"),
    offchip: offchipParamsSchema.optional().describe("off-chip link (HyperTransport-like)"),
    globalMemory: sharedMemoryParamsSchema.optional().describe("chip-level memory shared by all tiles"),
    published: publishedSchema.optional().describe("the source's own totals, printed beside the computed ones for comparison; never used in a computation"),
    measured: measuredCostSchema.optional().describe("a measured per-operation energy, used only by runs that ask for it (--cost measured) and labelled so"),
  })
  .strict();

export type ChipConfig = z.output<typeof chipConfigSchema>;

/** A validated design plus its resolved network geometry. */
export interface ChipDesign {
  config: ChipConfig;
  /** file it came from, or "(inline)" */
  source: string;
  noc: NocGeometry;
}

/** Validates a design given as data; `source` names it in errors. */
export function chipDesignFromData(raw: unknown, source = "(inline)"): ChipDesign {
  const config = validate(chipConfigSchema, raw, source);
  const noc = resolveNocGeometry(config.noc, config.tiles, config.clock, config.offchip, `${source}: noc`);
  return { config, source, noc };
}

/**
 * The same validated design with another tile count on a given router grid: a typed edit (the
 * config is already valid and none of its other fields depends on the tile count), so nothing is
 * parsed again; only the network geometry is resolved anew.
 */
export function designWithTiles(d: ChipDesign, tiles: number, grid: { width: number; height: number }): ChipDesign {
  const config = deepFreeze({ ...d.config, tiles, noc: { ...d.config.noc, width: grid.width, height: grid.height } });
  const noc = resolveNocGeometry(config.noc, config.tiles, config.clock, config.offchip, `${d.source}: noc`);
  return { config, source: d.source, noc };
}

/** Reads and validates a design file. */
export function loadChipDesign(file: string): ChipDesign {
  return chipDesignFromData(readConfigFile(file), file);
}

/** A design from a file name, raw data or an already validated design. */
export function toChipDesign(arch: string | ChipDesign | Record<string, unknown>): ChipDesign {
  if (typeof arch === "string") return loadChipDesign(arch);
  if ("config" in arch && "noc" in arch && "source" in arch) return arch as ChipDesign;
  return chipDesignFromData(arch);
}

/** MVM units per tile, all cores included. */
export function mvmusPerTile(t: TileParams): number {
  return t.cores * t.mvmusPerCore + t.mvmus;
}

/** Share of a router charged to one tile. */
export function routerShareOf(c: ChipConfig): number {
  return c.tile.routerShare ?? 1 / c.noc.concentration;
}
