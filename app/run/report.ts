// The report of a run (app/run/session.ts): its JSON shape, whose keys carry their units and are
// documented in the README, and the readable table `rramsim run` prints.
//
// What the figures mean:
// - latency: one inference, from the host's first input store to the output's last element read.
// - throughput: pipelined steady state, 1 / the initiation interval, taken as the busiest stage's
//   work per inference — the largest of any MVM unit's busy time (crossbar reads and conversions)
//   and any core's issue cycles. Inferences are simulated one at a time (no overlap), so this is
//   the bound a perfectly overlapped pipeline reaches, not a simulated overlap.
// - energy: the ledger's dynamic energy of the inferences (the one-off writes of constants and
//   crossbar programming excluded) divided by their number, plus the leakage over one inference's
//   latency of the tiles that hold the model (tiles holding nothing are not simulated: they are
//   assumed power-gated) and of the network.
// - tops_per_w: 2 × the model's MACs on crossbars per inference / energy per inference.
// - accuracy (ideal/physical): top-1 of the simulated output, of the float model and of the
//   integer reference, and the fraction of samples whose simulated output equals the reference's
//   exactly. When the model ends in Softmax, the compared output is the Softmax's input (argmax is
//   unchanged; the host would apply it).

import type { Fidelity } from "../../sim/fidelity";

export interface RunLayerReport {
  name: string;
  crossbars: number;
  mvmus: number;
  /** first MVM request to last MVM result of the layer, per inference */
  latency_s: number;
  /** the layer's MVM units: dynamic energy per inference plus their leakage over the layer latency */
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
  /** of energy_j: dynamic (action counts × cost tables) and leakage */
  energy_dynamic_j: number;
  energy_leakage_j: number;
  tops_per_w: number;
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
    agreement_with_reference: number;
    samples: number;
  };
  mapping: { tiles: number; tiles_simulated: number; mvmus_used: number; crossbars_used: number; utilisation: number; adc_bits: number; adc_bits_lossless: number };
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
  row("energy per inference", `${fmt(r.energy_j, "J")} (dynamic ${fmt(r.energy_dynamic_j, "J")}, leakage ${fmt(r.energy_leakage_j, "J")})`);
  row("efficiency", `${r.tops_per_w.toPrecision(4)} TOPS/W (${fmt(2 * r.macs, "ops")} per inference)`);
  row("area", `${r.area_mm2.toPrecision(4)} mm²`);
  row("mapping", `${r.mapping.mvmus_used} MVM units, ${r.mapping.crossbars_used} crossbars on ${r.mapping.tiles} tiles, utilisation ${(100 * r.mapping.utilisation).toFixed(1)} %`);
  row("ADC", `${r.mapping.adc_bits} bits (lossless needs ${r.mapping.adc_bits_lossless})`);
  if (r.accuracy !== undefined) {
    const a = r.accuracy;
    const pc = (v: number | null) => (v === null ? "n/a" : `${(100 * v).toFixed(2)} %`);
    row("top-1 simulated", pc(a.top1));
    row("top-1 float / integer ref", `${pc(a.top1_float)} / ${pc(a.top1_quantized_reference)}`);
    row("agreement with reference", `${(100 * a.agreement_with_reference).toFixed(2)} % of ${a.samples}`);
  }
  lines.push("  energy by component kind:");
  for (const [k, v] of Object.entries(r.energy_breakdown_j).sort((a, b) => b[1] - a[1])) lines.push(`    ${k.padEnd(26)}${fmt(v, "J")}`);
  lines.push("  layers:");
  lines.push(`    ${"name".padEnd(20)}${"crossbars".padStart(10)}${"latency".padStart(14)}${"energy".padStart(14)}`);
  for (const l of r.layers) lines.push(`    ${l.name.padEnd(20)}${String(l.crossbars).padStart(10)}${fmt(l.latency_s, "s").padStart(14)}${fmt(l.energy_j, "J").padStart(14)}`);
  for (const n of [...r.notes, ...r.excluded.map((e) => `not on the hardware path: ${e}`)]) lines.push(`  note: ${n}`);
  if (r.trace !== undefined) lines.push(`  trace: ${r.trace.events} events, ${r.trace.bytes} bytes → ${r.trace.file}`);
  const sm = r.simulation;
  if (sm.inferences_replayed > 0)
    lines.push(
      `  simulated event by event: ${sm.inferences_timed} of ${r.samples} inferences; the other ${sm.inferences_replayed} replayed the second's value work and booked its timing and energy (they are value-independent; --time-every-inference simulates each)`,
    );
  if (sm.fallback !== undefined) lines.push(`  every inference simulated event by event: ${sm.fallback}`);
  lines.push(`  wall time ${r.wall_s.toFixed(2)} s`);
  return lines.join("\n");
}
