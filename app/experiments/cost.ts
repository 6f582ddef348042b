// `rramsim cost --arch FILE [--json]`: static area, peak power and peak efficiency of a design,
// per component and in total (arch/chip/cost.ts), then the report's notes (a cost model used
// outside its fitted range).

import { type ArchCostReport } from "../../arch/chip/cost";
// registers the chip and tile component kinds, so `rramsim describe chip tile` lists them
import "../../arch/chip/chip";
import type { CostNode } from "../../sim/cost-tree";
import { instanceTotals } from "../../sim/cost-tree";
import { formatSi } from "../../sim/units";

/** The cost report as a readable tree: instances, power and area of all instances, share of the chip. */
export function formatArchCost(r: ArchCostReport): string {
  const chip = instanceTotals(r.tree);
  const lines: string[] = [
    `${r.name}  (${r.file})`,
    `  ${r.source}`,
    "",
    `  ${"component".padEnd(34)} ${"instances".padStart(10)} ${"power".padStart(11)} ${"share".padStart(6)} ${"area".padStart(12)} ${"share".padStart(6)}`,
  ];
  const walk = (n: CostNode, depth: number, multiplier: number): void => {
    const instances = multiplier * n.count;
    const t = instanceTotals(n);
    const p = instances * t.powerMw;
    const a = instances * t.areaUm2;
    const pct = (x: number, of: number) => (of > 0 ? `${((100 * x) / of).toFixed(1)}%` : "—");
    const name = `${"  ".repeat(depth)}${n.name}`;
    lines.push(
      `  ${name.padEnd(34)} ${instances.toLocaleString("en-US", { maximumFractionDigits: 2 }).padStart(10)} ${formatSi(p * 1e-3, "W").padStart(11)} ${pct(p, chip.powerMw).padStart(6)} ${`${(a * 1e-6).toPrecision(4)} mm²`.padStart(12)} ${pct(a, chip.areaUm2).padStart(6)}`,
    );
    for (const c of n.children ?? []) walk(c, depth + 1, instances);
  };
  walk(r.tree, 0, 1);
  lines.push(
    "",
    `  total               ${formatSi(r.power_w, "W")} peak, ${r.area_mm2.toPrecision(5)} mm²  (one tile: ${formatSi(r.tile.power_w, "W")}, ${r.tile.area_mm2.toPrecision(4)} mm²)`,
    `  MVM                 ${r.mvm.macs.toLocaleString("en-US")} MACs (${r.mvm.input_bits}-bit inputs × ${r.mvm.weight_bits}-bit weights), latency ${formatSi(r.mvm.latency_s, "s")}, interval ${formatSi(r.mvm.interval_s, "s")}, ${r.mvmus.toLocaleString("en-US")} MVM units`,
    `  peak throughput     ${formatSi(r.peak_ops_per_s, "OPS")}  (1 MAC = 2 ops)`,
    `  power efficiency    ${(r.tops_per_w * 1e3).toFixed(1)} GOPS/W`,
    `  area efficiency     ${(r.tops_per_mm2 * 1e3).toFixed(1)} GOPS/s/mm²`,
  );
  if (r.published !== undefined) {
    const label: Record<string, [string, (v: number) => string]> = {
      power_w: ["power", (v) => formatSi(v, "W")],
      area_mm2: ["area", (v) => `${v.toPrecision(4)} mm²`],
      gops_per_w: ["power efficiency", (v) => `${v.toFixed(1)} GOPS/W`],
      gops_per_mm2: ["area efficiency", (v) => `${v.toFixed(1)} GOPS/s/mm²`],
    };
    lines.push("", "  published (for comparison; the figures above come from the parts)");
    for (const [k, c] of Object.entries(r.published)) {
      const [name, fmt] = label[k];
      lines.push(`    ${name.padEnd(18)} ${fmt(c.published).padStart(16)}   computed ${fmt(c.computed).padStart(16)}   ${c.diff >= 0 ? "+" : "−"}${Math.abs(100 * c.diff).toFixed(1)} %`);
    }
  }
  if (r.notes.length > 0) lines.push("", ...r.notes.map((n) => `  note: ${n}`));
  return lines.join("\n") + "\n";
}
