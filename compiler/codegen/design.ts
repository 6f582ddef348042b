// The design a compiled model runs on: the design file with `--set` overrides and the ADC choice
// applied, then the few adjustments the code generator needs, each recorded as a note so that a
// report says what was run:
// - A tile with fixed-function control (`cores: 0`, ISAAC, Wu et al.) gets one sequencer core that
//   drives all its MVM units and costs nothing (the design lists no control cost); its register
//   file is sized to hold every unit's input and output registers.
// - A tile without shared memory (Wu et al.: the SoC's data memory serves the arrays) uses the
//   chip's global memory parameters as its buffer.
// - Only when asked (`growTiles`, the CLI's --grow) and the model's weight blocks do not fit the
//   design's MVM units even packed (compiler/bundle/bundle.ts): the tile count grows to what a
//   one-block-per-unit mapping needs (with a near-square NoC grid), and the note says so. Without
//   it such a model is refused; the design never grows by itself.
// The config hash covers the resolved design and every option that changes the bundle.

import { createHash } from "node:crypto";
import { chipConfigSchema, chipDesignFromData, type ChipDesign } from "../../arch/chip/params";
import { adcBitsLossless } from "../../arch/mvmu/encoding";
import { readConfigFile } from "../../sim/config";
import { RramsimError } from "../../sim/errors";
import { applyOverrides } from "../../sim/overrides";

export type AdcBitsChoice = number | "lossless" | undefined;

export interface DesignRequest {
  /** a design file, or config data */
  arch: string | Record<string, unknown>;
  /** `PATH=VALUE` overrides (sim/overrides.ts) */
  set?: readonly string[];
  adcBits?: AdcBitsChoice;
}

/** The design as the user asked for it: file + overrides + ADC bits, validated. */
export function resolveRequestedDesign(req: DesignRequest): { raw: Record<string, unknown>; design: ChipDesign } {
  const source = typeof req.arch === "string" ? req.arch : "(inline)";
  let raw = (typeof req.arch === "string" ? readConfigFile(req.arch) : structuredClone(req.arch)) as Record<string, unknown>;
  if (req.set && req.set.length > 0) raw = applyOverrides(chipConfigSchema, raw, req.set) as Record<string, unknown>;
  let design = chipDesignFromData(raw, source);
  if (req.adcBits !== undefined) {
    const bits = req.adcBits === "lossless" ? adcBitsLossless(design.config.tile.mvmu) : req.adcBits;
    if (!Number.isInteger(bits) || bits < 1 || bits > 24) throw new RramsimError("CLI_ARGUMENT", `--adc-bits: expected an integer in 1 … 24 or 'lossless' (got ${req.adcBits})`);
    const tile = raw.tile as Record<string, unknown>;
    const mvmu = tile.mvmu as Record<string, unknown>;
    raw = { ...raw, tile: { ...tile, mvmu: { ...mvmu, adc: { ...(mvmu.adc as Record<string, unknown>), bits } } } };
    design = chipDesignFromData(raw, source);
  }
  return { raw, design };
}

/** Adjusts a validated design for execution (see the header); returns the notes. */
export function executionDesign(raw: Record<string, unknown>, design: ChipDesign, tilesNeeded: number, growTiles: boolean): { raw: Record<string, unknown>; design: ChipDesign; notes: string[] } {
  const notes: string[] = [];
  const c = design.config;
  const out = structuredClone(raw);
  const tile = out.tile as Record<string, unknown>;
  if (c.tile.cores === 0) {
    const units = c.tile.mvmus;
    const rows = c.tile.mvmu.crossbar.rows;
    const vrfElements = units * (rows + 4096) + 4096;
    const zero = { power: 0, area: 0 };
    tile.cores = 1;
    tile.mvmusPerCore = units;
    tile.mvmus = 0;
    tile.core = {
      registerFile: vrfElements * 2,
      instructionMemory: 1 << 30,
      cost: { control: zero, instructionMemory: zero, registerFile: zero, vectorUnit: zero, scalarUnit: zero },
    };
    notes.push(`tiles have fixed-function control (cores: 0): one zero-cost sequencer core per tile drives its ${units} MVM unit(s)`);
  }
  if (c.tile.sharedMemory === undefined) {
    if (c.globalMemory === undefined) throw new RramsimError("MAPPING", `${design.source}: tile.sharedMemory: the code generator needs a tile buffer (give tile.sharedMemory or globalMemory)`);
    tile.sharedMemory = structuredClone((raw as { globalMemory: unknown }).globalMemory);
    notes.push("tiles have no shared memory: each tile uses a buffer with the chip's globalMemory parameters");
  }
  if (tilesNeeded > c.tiles) {
    if (!growTiles) throw new RramsimError("MAPPING", `the model needs ${tilesNeeded} tiles but ${design.source} has ${c.tiles} (--grow adds them, or --set tiles=${tilesNeeded})`);
    const conc = c.noc.concentration;
    const routers = Math.ceil(tilesNeeded / conc);
    const width = Math.ceil(Math.sqrt(routers));
    out.tiles = tilesNeeded;
    out.noc = { ...((out.noc as Record<string, unknown>) ?? {}), width, height: Math.ceil(routers / width) };
    notes.push(
      `--grow: the weights need ${tilesNeeded} tiles with one block per MVM unit; the design has ${c.tiles}: ran with ${tilesNeeded} tiles (weights stationary, no reprogramming); energy, area and timing are those of the grown chip`,
    );
  }
  return { raw: out, design: chipDesignFromData(out, design.source), notes };
}

/** A stable hash of JSON data (object keys sorted). */
export function stableHash(data: unknown): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v !== null && typeof v === "object")
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  return createHash("sha256")
    .update(JSON.stringify(norm(data)))
    .digest("hex")
    .slice(0, 16);
}
