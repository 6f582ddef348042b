// Weight blocks packed in one MVM unit (compiler/map/mapping.ts packs several small weight
// matrices into one crossbar, each in its own columns): the unit's block table, and what one
// block's MVM (`mvmb`) converts. A block MVM drives only the block's rows and converts only the
// physical columns its logical columns occupy (plus the analog unit column of each crossbar it
// touches); its timing is the whole unit's (every column group of the ADCs is still stepped
// through: Wu et al. 2023 read a full array in 8 ADC operations whatever it holds).

import { RramsimError } from "../../sim/errors";
import type { MvmuGeometryInfo } from "./encoding";
import type { MvmuParams } from "./params";

/** One weight block of a unit: rows [rowStart, +rowCount), logical columns [colStart, +colCount). */
export interface MvmuBlock {
  rowStart: number;
  rowCount: number;
  colStart: number;
  colCount: number;
}

/** Conversions of one MVM of a block: per column group (accumulate mode) or per input step. */
export interface BlockConversions {
  /** accumulate mode: columns converted in each column group; otherwise one entry, per step */
  perGroup: number[];
}

/** Checks a block table against the unit's geometry: in range, columns disjoint. */
export function checkBlocks(path: string, blocks: readonly MvmuBlock[], g: MvmuGeometryInfo): void {
  const owner = new Int32Array(g.logicalCols).fill(-1);
  blocks.forEach((b, i) => {
    if (b.rowStart < 0 || b.rowCount < 1 || b.rowStart + b.rowCount > g.rows || b.colStart < 0 || b.colCount < 1 || b.colStart + b.colCount > g.logicalCols) {
      throw new RramsimError("SIM_STATE", `${path}: block ${i} (rows ${b.rowStart}+${b.rowCount}, columns ${b.colStart}+${b.colCount}) is outside ${g.rows} rows × ${g.logicalCols} columns`);
    }
    for (let j = b.colStart; j < b.colStart + b.colCount; j++) {
      if (owner[j] >= 0) throw new RramsimError("SIM_STATE", `${path}: blocks ${owner[j]} and ${i} share logical column ${j}`);
      owner[j] = i;
    }
  });
}

/** What one MVM of logical columns [colStart, +colCount) converts (see the header). */
export function blockConversions(p: MvmuParams, g: MvmuGeometryInfo, colStart: number, colCount: number): BlockConversions {
  const C = p.crossbar.cols;
  const cpa = p.adc.columnsPerAdc;
  const groups = p.adc.accumulateSteps ? g.columnsPerAdcMax : 1;
  const perGroup = new Array<number>(groups).fill(0);
  const touched = new Set<number>();
  const count = (colInCrossbar: number) => {
    if (p.adc.accumulateSteps) perGroup[colInCrossbar % cpa]++;
    else perGroup[0]++;
  };
  for (let gc = colStart * g.colsPerWeight; gc < (colStart + colCount) * g.colsPerWeight; gc++) {
    touched.add(Math.floor(gc / C));
    count(gc % C);
  }
  if (g.unitColsPerCrossbar > 0) for (let t = 0; t < touched.size; t++) count(C);
  return { perGroup };
}
