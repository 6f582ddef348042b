// The report of a run (app/run/session.ts): its JSON shape, whose keys carry their units and are
// documented in the README, and the readable table `rramsim run` prints.
//
// What the figures mean:
// - latency: one inference, from the host's first input store to the output's last element read.
// - throughput: pipelined steady state, 1 / the initiation interval, taken as the busiest stage's
//   work per inference — the largest of any MVM unit's busy time (crossbar reads and conversions)
//   and any core's issue cycles. Inferences are simulated one at a time (no overlap), so this is
//   the bound a perfectly overlapped pipeline reaches, not a simulated overlap.
// - energy: per inference, the ledger's dynamic energy (action counts × energy per action; the
//   one-off writes of constants and crossbar programming excluded) plus the static energy of every
//   component under its declared power gating (sim/power-gating.ts: always on, or only while its
//   unit works) — the run's total over the number of inferences. `energy_components_j` splits it
//   by component kind into dynamic and static; `energy_breakdown_j` is their sum per kind; both add
//   up to `energy_j`. `energy_per_inference_j` is the spread over the inferences, each with its own
//   value-dependent energy (DAC pulses, crossbar read charge) and its static energy over its own
//   time. Tiles holding nothing are not simulated (the note says so).
// - tops_per_w: 2 × the model's MACs on crossbars per inference / energy per inference (the
//   efficiency at the throughput delivered); `peak_tops_per_w` is the design's, at peak rate and
//   peak power (`rramsim cost`).
// - accuracy (ideal/physical): top-1 of the simulated output, of the float model and of the
//   integer reference; `top1_agreement_with_float`, the fraction of samples whose simulated top-1
//   class is the float model's; `exact_match_with_reference`, the fraction whose whole output
//   equals the integer reference's (1 only with a lossless ADC and an ideal device). When the model
//   ends in Softmax, the compared output is the Softmax's input (argmax is unchanged).
// - mapping: weight blocks (crossbar-sized pieces of the weight matrices), the crossbars that hold
//   them (fewer when blocks are packed), and tile operations (MVMs) per inference.

import type { Fidelity } from "../../sim/fidelity";

export interface RunLayerReport {
  name: string;
  crossbars: number;
  mvmus: number;
  /** first MVM request to last MVM result of the layer, per inference */
  latency_s: number;
  /** the layer's MVM units' energy per inference, dynamic and static (a unit shared by several layers' blocks split by their MVMs) */
  energy_j: number;
}

export interface RunReport {
  model: string;
  design: string;
  device: string;
  fidelity: Fidelity;
  seed: number;
  config_hash: string;
  samples: number;
  latency_s: number;
  throughput_inferences_per_s: number;
  energy_j: number;
  /** components: energy_j is built from the circuits; measured: tile operations × the design's measured energy per tile operation */
  cost_mode: "components" | "measured";
  /** the component-built energy per inference (equal to energy_j unless cost_mode is measured) */
  energy_from_components_j: number;
  /** cost_mode measured: the measured energy per tile operation and where it was published */
  measured?: { energy_per_tile_op_j: number; tile_ops_per_inference: number; source: string };
  /** of energy_j: dynamic (action counts × cost tables) and static (leakage while powered, wake-ups) */
  energy_dynamic_j: number;
  energy_static_j: number;
  /** the spread of the inferences' own energies */
  energy_per_inference_j: { min: number; median: number; max: number };
  /** per component kind: dynamic and static energy per inference */
  energy_components_j: Record<string, { dynamic_j: number; static_j: number }>;
  tops_per_w: number;
  peak_tops_per_w: number;
  area_mm2: number;
  cycles: number;
  clock_hz: number;
  macs: number;
  energy_breakdown_j: Record<string, number>;
  layers: RunLayerReport[];
  accuracy?: {
    top1: number | null;
    top1_float: number | null;
    top1_quantized_reference: number | null;
    top1_agreement_with_float: number;
    exact_match_with_reference: number;
    samples: number;
  };
  mapping: {
    tiles: number;
    tiles_simulated: number;
    weight_blocks: number;
    packed: boolean;
    tile_ops_per_inference: number;
    mvmus_used: number;
    crossbars_used: number;
    utilisation: number;
    adc_bits: number;
    adc_bits_lossless: number;
  };
  notes: string[];
  excluded: string[];
  wall_s: number;
  /**
   * How the inferences were simulated: `timed` event by event, the rest `replayed` (their value
   * work replayed after two consecutive timed inferences were identical in timing and activity;
   * timing and energy are value-independent). `fallback` says why replay was not used when it could.
   */
  simulation: { inferences_timed: number; inferences_replayed: number; fallback?: string };
  /** present only when a trace was written */
  trace?: { file: string; events: number; bytes: number };
  /** with keepOutputs: the quantised input and the simulated output codes of each inference */
  inputs?: Int32Array[];
  outputs?: Int32Array[];
}

const fmt = (v: number, unit: string): string => {
  if (v === 0) return `0 ${unit}`;
  const prefixes: Array<[number, string]> = [
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
    [1, ""],
    [1e-3, "m"],
    [1e-6, "µ"],
    [1e-9, "n"],
    [1e-12, "p"],
    [1e-15, "f"],
  ];
  const [f, p] = prefixes.find(([f]) => Math.abs(v) >= f) ?? [1e-15, "f"];
  return `${(v / f).toPrecision(4)} ${p}${unit}`;
};

/** The readable table `rramsim run` prints. */
export function formatRunReport(r: RunReport): string {
  const lines: string[] = [];
  lines.push(`${r.model} on ${r.design} (${r.fidelity}${r.fidelity === "physical" ? `, device ${r.device}` : ""}, seed ${r.seed}, ${r.samples} inference${r.samples === 1 ? "" : "s"})`);
  const row = (k: string, v: string) => lines.push(`  ${k.padEnd(28)}${v}`);
  row("latency", `${fmt(r.latency_s, "s")} (${r.cycles} cycles at ${fmt(r.clock_hz, "Hz")})`);
  row("throughput (pipelined)", `${fmt(r.throughput_inferences_per_s, "inferences/s")}`);
  if (r.measured !== undefined) {
    row("energy per inference", `${fmt(r.energy_j, "J")} MEASURED: ${r.measured.tile_ops_per_inference} tile operations × ${fmt(r.measured.energy_per_tile_op_j, "J")} (${r.measured.source})`);
    row("  from components", `${fmt(r.energy_from_components_j, "J")} (dynamic ${fmt(r.energy_dynamic_j, "J")}, static ${fmt(r.energy_static_j, "J")})`);
  } else row("energy per inference", `${fmt(r.energy_j, "J")} (dynamic ${fmt(r.energy_dynamic_j, "J")}, static ${fmt(r.energy_static_j, "J")})`);
  const d = r.energy_per_inference_j;
  if (r.samples > 1) row("  over the inferences", `min ${fmt(d.min, "J")}, median ${fmt(d.median, "J")}, max ${fmt(d.max, "J")}`);
  row("efficiency", `${r.tops_per_w.toPrecision(4)} TOPS/W at the delivered throughput (${fmt(2 * r.macs, "ops")} per inference); peak ${r.peak_tops_per_w.toPrecision(4)} TOPS/W`);
  row("area", `${r.area_mm2.toPrecision(4)} mm²`);
  const m = r.mapping;
  row("mapping", `${m.weight_blocks} weight blocks on ${m.crossbars_used} crossbars (${m.mvmus_used} MVM units${m.packed ? ", packed" : ""}) of ${m.tiles} tiles, utilisation ${(100 * m.utilisation).toFixed(1)} %`);
  row("tile operations", `${m.tile_ops_per_inference} MVMs per inference`);
  row("ADC", `${r.mapping.adc_bits} bits (lossless needs ${r.mapping.adc_bits_lossless})`);
  if (r.accuracy !== undefined) {
    const a = r.accuracy;
    const pc = (v: number | null) => (v === null ? "n/a" : `${(100 * v).toFixed(2)} %`);
    row("top-1 simulated", pc(a.top1));
    row("top-1 float / integer ref", `${pc(a.top1_float)} / ${pc(a.top1_quantized_reference)}`);
    row("top-1 agreement with float", `${pc(a.top1_agreement_with_float)} of ${a.samples} (same top-1 class as the float model)`);
    row("equal to integer reference", `${pc(a.exact_match_with_reference)} (every output code; needs a lossless ADC and an ideal device)`);
  }
  lines.push(`  energy per inference by component${r.measured !== undefined ? " (built from components, not the measured figure)" : ""}:`);
  lines.push(`    ${"".padEnd(42)}${"total".padStart(12)}${"dynamic".padStart(12)}${"static".padStart(12)}`);
  for (const [k, c] of Object.entries(r.energy_components_j).sort((a, b) => b[1].dynamic_j + b[1].static_j - a[1].dynamic_j - a[1].static_j)) {
    lines.push(`    ${k.padEnd(42)}${fmt(c.dynamic_j + c.static_j, "J").padStart(12)}${fmt(c.dynamic_j, "J").padStart(12)}${fmt(c.static_j, "J").padStart(12)}`);
  }
  lines.push("  layers:");
  lines.push(`    ${"name".padEnd(20)}${"crossbars".padStart(10)}${"latency".padStart(14)}${"energy".padStart(14)}`);
  for (const l of r.layers) lines.push(`    ${l.name.padEnd(20)}${String(l.crossbars).padStart(10)}${fmt(l.latency_s, "s").padStart(14)}${fmt(l.energy_j, "J").padStart(14)}`);
  for (const n of [...r.notes, ...r.excluded.map((e) => `not on the hardware path: ${e}`)]) lines.push(`  note: ${n}`);
  if (r.trace !== undefined) lines.push(`  trace: ${r.trace.events} events, ${r.trace.bytes} bytes → ${r.trace.file}`);
  const sm = r.simulation;
  if (sm.inferences_replayed > 0)
    lines.push(
      `  simulated event by event: ${sm.inferences_timed} of ${r.samples} inferences; the other ${sm.inferences_replayed} replayed the second's value work (values and value-dependent energy their own) and booked its timing and value-independent activity (--time-every-inference simulates each)`,
    );
  if (sm.fallback !== undefined) lines.push(`  every inference simulated event by event: ${sm.fallback}`);
  lines.push(`  wall time ${r.wall_s.toFixed(2)} s`);
  return lines.join("\n");
}
