// What one MVM's reads do, from the values (ideal and physical fidelity): the DAC pulses actually
// driven and the charge the crossbars draw. Booked by the MVM's value work (mvmu.ts), so a
// replayed inference books its own (sim/value-log.ts, sim/energy.ts `byValues`).
//
// Per input step s, row r is pulsed when its digit d = (x_r >> shift_s) & (2^bits_s − 1) is not 0
// (two's-complement inputs: the sign step's digit is the sign bit). Each pulse of a row drives
// every cell of the row, in every crossbar of the unit (one DAC pulse per crossbar): with the nominal cell conductance of its
// programmed level, G = gMin + level / (2^cellBits − 1) · (gMax − gMin), the row draws
//   E = (d / (2^bits_s − 1) · V)² · Σ_cells G · t_read
// (crossbar.readEnergy = conductance; the charge is counted in µS of pulsed cells and the crossbar's
// cost per µS is V²·t). In accumulate mode every column group reads all steps again, so pulses and
// charge count once per group. Unused cells sit at level 0 and draw gMin when their row is driven.
// Left out: the conductance actually programmed (programming noise, drift: a few per cent), wire
// and driver losses, the current of rows that are off.

import type { Crossbar } from "./crossbar";
import type { Dac } from "./dac";
import { cellLevels } from "./datapath/levels";
import type { MvmuGeometryInfo } from "./encoding";
import type { MvmuParams } from "./params";

export class ReadActivity {
  private readonly p: MvmuParams;
  private readonly g: MvmuGeometryInfo;
  private readonly dac: Dac;
  private readonly crossbars: readonly Crossbar[];
  /** per crossbar x and row r: Σ of the row's cell conductances (µS), at x·rows + r */
  private readonly rowG: Float64Array;
  /** reads of every step per MVM: the column groups in accumulate mode, else 1 */
  private readonly readsPerStep: number;
  private readonly shifts: Int32Array;
  private readonly masks: Int32Array;
  private readonly pulseCharge: Float64Array;
  private readonly chargeIdx: number[];

  constructor(p: MvmuParams, g: MvmuGeometryInfo, dac: Dac, crossbars: readonly Crossbar[]) {
    this.p = p;
    this.g = g;
    this.dac = dac;
    this.crossbars = crossbars;
    this.rowG = new Float64Array(p.crossbars * g.rows);
    this.readsPerStep = p.adc.accumulateSteps ? g.columnsPerAdcMax : 1;
    this.shifts = Int32Array.from(g.steps, (s) => s.shift);
    this.masks = Int32Array.from(g.steps, (s) => 2 ** s.bits - 1);
    this.pulseCharge = new Float64Array(p.crossbars);
    this.chargeIdx = crossbars.map((x) => x.energy.action("charge"));
  }

  /** The cells' nominal conductances after programming a rows × cols block (row sums per crossbar). */
  programmed(weights: ArrayLike<number>, rows: number, cols: number): void {
    const { p, g } = this;
    const R = g.rows;
    const pc = g.physColsPerCrossbar;
    const all = new Uint16Array(p.crossbars * R * pc);
    cellLevels(p, g, weights, rows, cols, all, new Uint8Array(p.crossbars * pc));
    const { gMin, gMax } = this.crossbars[0].conductance;
    const perLevel = (gMax - gMin) / (2 ** p.crossbar.cellBits - 1);
    for (let x = 0; x < p.crossbars; x++) {
      for (let r = 0; r < R; r++) {
        let levels = 0;
        const o = x * R * pc + r * pc;
        for (let c = 0; c < pc; c++) levels += all[o + c];
        this.rowG[x * R + r] = pc * gMin + levels * perLevel;
      }
    }
  }

  /** Books the pulses and charge of one MVM of input x, rows [r0, r1) (the others are off). */
  book(x: ArrayLike<number>, r0: number, r1: number): void {
    const X = this.p.crossbars;
    const R = this.g.rows;
    const q = this.pulseCharge;
    q.fill(0);
    let pulses = 0;
    for (let s = 0; s < this.shifts.length; s++) {
      const shift = this.shifts[s];
      const mask = this.masks[s];
      for (let r = r0; r < r1; r++) {
        const d = (x[r] >> shift) & mask;
        if (d === 0) continue;
        pulses++;
        const f = d === mask ? 1 : (d / mask) ** 2;
        for (let k = 0; k < X; k++) q[k] += f * this.rowG[k * R + r];
      }
    }
    const n = this.readsPerStep;
    // the crossbars share the input: each pulsed row is driven in every one
    this.dac.pulses(pulses * n * X);
    for (let k = 0; k < X; k++) this.crossbars[k].energy.counts[this.chargeIdx[k]] += q[k] * n;
  }
}
