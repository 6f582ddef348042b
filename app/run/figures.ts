// The figures of a run's report (app/run/report.ts says what each means), worked out from the
// energy ledger, the units' statistics and the inference tally once the inferences are done.

import { archCost } from "../../arch/chip/cost";
import type { Counter } from "../../sim/stats";
import { SECONDS_PER_TICK } from "../../sim/time";
import { RramsimError } from "../../sim/errors";
import { J_PER_PJ, OPS_PER_TERA } from "../../sim/units";
import type { QMatrixLayer } from "../../compiler/quant/quantize";
import type { InferenceTally } from "./inferences";
import type { RunLayerReport, RunReport } from "./report";
import type { RunSetup } from "./setup";

/** The report of a finished run (wall_s is filled in by the caller). */
export function runFigures(s: RunSetup, t: InferenceTally): RunReport {
  const { config, bundle, chip, ledger } = s;
  const cfg = s.design.config;
  const q = bundle.quantized;
  const samples = t.samples;
  const latencyS = (t.totalTicks / samples) * SECONDS_PER_TICK;
  const er = ledger.report(t.totalTicks * SECONDS_PER_TICK);
  const builtJ = er.totalJ / samples;
  const tileOps = bundle.report.tile_ops_per_inference;
  const measuredSpec = cfg.measured;
  if (config.cost === "measured" && measuredSpec === undefined) throw new RramsimError("CLI_ARGUMENT", `--cost measured: ${s.design.source} gives no measured energy per tile operation (measured.energyPerTileOp)`);
  const measured = config.cost === "measured" && measuredSpec !== undefined ? { energy_per_tile_op_j: measuredSpec.energyPerTileOp * J_PER_PJ, tile_ops_per_inference: tileOps, source: measuredSpec.source } : undefined;
  const energyJ = measured === undefined ? builtJ : tileOps * measured.energy_per_tile_op_j;
  const breakdown: Record<string, number> = {};
  const components: RunReport["energy_components_j"] = {};
  for (const [k, v] of Object.entries(er.byKind)) {
    const e = (v.dynamicJ + v.leakageJ) / samples;
    if (e > 0) {
      breakdown[k] = e;
      components[k] = { dynamic_j: v.dynamicJ / samples, static_j: v.leakageJ / samples };
    }
  }
  if (measured !== undefined) {
    for (const k of Object.keys(breakdown)) delete breakdown[k];
    breakdown["tile operations (measured)"] = energyJ;
  }
  const sorted = measured === undefined ? Float64Array.from(t.energyJ).sort() : new Float64Array(samples).fill(energyJ);
  const median = sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const cost = archCost(s.design);
  const periodS = 1 / cfg.clock;
  let stageS = 0;
  for (const tile of chip.tiles) {
    for (const m of tile.mvmus) stageS = Math.max(stageS, ((m.stats.occupancyTicks as Counter).value / samples) * SECONDS_PER_TICK);
    for (const c of tile.cores) stageS = Math.max(stageS, (c.retired / samples) * periodS);
  }
  const matrix = q.layers.filter((l): l is QMatrixLayer => l.kind === "dense" || l.kind === "conv2d");
  const macs = matrix.reduce((a, l) => a + l.k * l.n * l.positions, 0);
  const layers: RunLayerReport[] = bundle.report.layers.map((l) => {
    const units = s.layerUnits.get(l.name) ?? [];
    const lat = ((t.layerTicks.get(l.name) ?? 0) / samples) * SECONDS_PER_TICK;
    let e = 0;
    // a unit shared by several layers' blocks: each layer takes its share of the unit's MVMs
    for (const { unit: u, share } of units) {
      for (const c of [u, ...u.children]) {
        const entry = er.byPath[c.path];
        if (entry !== undefined) e += ((entry.dynamicJ + entry.leakageJ) * share) / samples;
      }
    }
    return { name: l.name, crossbars: l.crossbars, mvmus: l.mvmus, latency_s: lat, energy_j: e };
  });
  const used = s.tilesUsed;
  const report: RunReport = {
    model: bundle.modelName,
    design: cfg.name,
    device: config.fidelity === "physical" ? config.device : "ideal",
    fidelity: config.fidelity,
    seed: config.seed,
    config_hash: bundle.configHash,
    samples,
    latency_s: latencyS,
    throughput_inferences_per_s: stageS > 0 ? 1 / stageS : 0,
    energy_j: energyJ,
    cost_mode: config.cost,
    energy_from_components_j: builtJ,
    ...(measured === undefined ? {} : { measured }),
    energy_dynamic_j: er.dynamicJ / samples,
    energy_static_j: er.leakageJ / samples,
    energy_per_inference_j: { min: sorted[0] ?? 0, median, max: sorted[sorted.length - 1] ?? 0 },
    energy_components_j: components,
    tops_per_w: energyJ > 0 ? (2 * macs) / energyJ / OPS_PER_TERA : 0,
    peak_tops_per_w: cost.tops_per_w,
    area_mm2: cost.area_mm2,
    cycles: Math.round(latencyS * cfg.clock),
    clock_hz: cfg.clock,
    macs,
    energy_breakdown_j: breakdown,
    layers,
    mapping: {
      tiles: cfg.tiles,
      tiles_simulated: used,
      weight_blocks: bundle.report.weight_blocks,
      packed: bundle.report.packed,
      tile_ops_per_inference: bundle.report.tile_ops_per_inference,
      mvmus_used: bundle.report.mvmus_used,
      crossbars_used: bundle.report.crossbars_used,
      utilisation: bundle.report.utilisation,
      adc_bits: bundle.report.adc_bits,
      adc_bits_lossless: bundle.report.adc_bits_lossless,
    },
    notes: used < cfg.tiles ? [...bundle.notes, `${used} of ${cfg.tiles} tiles hold the model and are simulated; the others are idle and assumed power-gated (no leakage); the area is the whole design's`] : bundle.notes,
    excluded: bundle.code.output.excluded,
    simulation: { inferences_timed: t.timed, inferences_replayed: samples - t.timed, ...(t.fallback === undefined ? {} : { fallback: t.fallback }) },
    wall_s: 0,
  };
  if (config.fidelity !== "timing") {
    report.accuracy = {
      top1: t.labelled ? t.correct / samples : null,
      top1_float: t.labelled ? t.correctFloat / samples : null,
      top1_quantized_reference: t.labelled ? t.correctRef / samples : null,
      top1_agreement_with_float: t.agreeFloat / samples,
      exact_match_with_reference: t.agree / samples,
      samples,
    };
  }
  if (config.keepOutputs) {
    report.inputs = t.keptIn;
    report.outputs = t.keptOut;
  }
  return report;
}
