// The static cost roll-up behind `rramsim cost`: a tree of parts, each with an instance count, a
// peak power and an area per instance. Totals are never typed in; they come out of the parts:
//   total(node) = count × (own + Σ total(child))
// Each hardware area contributes a function that builds its subtree from its config slice (the
// MVM unit knows its converters, the tile its units, the NoC its routers).

export interface CostNode {
  /** glossary name: chip, tile, core, mvmu, adc, ... */
  name: string;
  /** instances of this node inside its parent (may be fractional: a router shared by 4 tiles is 0.25) */
  count: number;
  /** peak power of one instance, excluding children (dynamic at peak activity + leakage) */
  powerMw: number;
  /** area of one instance, excluding children */
  areaUm2: number;
  children?: CostNode[];
  /** where the numbers come from, for the report */
  note?: string;
}

export interface CostTotals {
  powerMw: number;
  areaUm2: number;
}

/** Totals of ONE instance of `node`, children included. */
export function instanceTotals(node: CostNode): CostTotals {
  let powerMw = node.powerMw;
  let areaUm2 = node.areaUm2;
  for (const c of node.children ?? []) {
    const t = instanceTotals(c);
    powerMw += c.count * t.powerMw;
    areaUm2 += c.count * t.areaUm2;
  }
  return { powerMw, areaUm2 };
}

/** Totals of all `count` instances of `node`. */
export function groupTotals(node: CostNode): CostTotals {
  const t = instanceTotals(node);
  return { powerMw: node.count * t.powerMw, areaUm2: node.count * t.areaUm2 };
}

export interface CostRow {
  /** dotted path of glossary names: chip.tile.core.mvmu.adc */
  path: string;
  /** instances in the whole design */
  instances: number;
  /** all instances together, children included */
  powerMw: number;
  areaUm2: number;
}

/** Flattens the tree into rows (depth first), each with design-wide instance counts and totals. */
export function costRows(root: CostNode): CostRow[] {
  const rows: CostRow[] = [];
  const walk = (n: CostNode, prefix: string, multiplier: number): void => {
    const path = prefix === "" ? n.name : `${prefix}.${n.name}`;
    const instances = multiplier * n.count;
    const t = instanceTotals(n);
    rows.push({ path, instances, powerMw: instances * t.powerMw, areaUm2: instances * t.areaUm2 });
    for (const c of n.children ?? []) walk(c, path, instances);
  };
  walk(root, "", 1);
  return rows;
}

/** Sum over the design of every node with a given name (e.g. all ADCs), own costs only. */
export function totalsByName(root: CostNode): Record<string, CostTotals> {
  const out: Record<string, CostTotals> = {};
  const walk = (n: CostNode, multiplier: number): void => {
    const instances = multiplier * n.count;
    const o = (out[n.name] ??= { powerMw: 0, areaUm2: 0 });
    o.powerMw += instances * n.powerMw;
    o.areaUm2 += instances * n.areaUm2;
    for (const c of n.children ?? []) walk(c, instances);
  };
  walk(root, 1);
  return out;
}
