// Closed-form timing of one MVM on an MVMU, and the number of actions each part performs per MVM.
//
// Per input step the phases are: crossbar read (the DACs drive their rows, a shared DAC one row
// after another, then the read latency), sample-and-hold of all columns, ADC conversions serialised
// over the columns each ADC serves (one every 1/sampleRate, the last one's result after the
// conversion latency), then the shift-and-add. The sample-and-hold decouples the crossbar from the
// ADCs: step k+1 is read while step k converts, but step k+1 can be sampled only once the ADCs have
// finished step k (the holds are still busy). So, with tR, tS, tA, tSA the phase times:
//   step period P = tS + max(tR, tA)
//   last conversion done = tIR + tR + (n − 1)·P + tS + tA
//   MVM latency = max(last conversion + tSA, first conversion + n·tSA) + tOR
//   initiation interval (back-to-back MVMs, double-buffered registers) = n·max(P, tSA)
// With `accumulateSteps` (charge-domain accumulation, Wu et al. 2023), the ADC's sampling capacitor
// integrates each step's column current during the read and converts once per column: the ADC
// handles its columns one group at a time, each group taking n·(tR + tS) to accumulate plus one
// conversion, and a read cannot start while the ADC it feeds converts:
//   group time G = n·(tR + tS) + tConv,   interval = groups·G,   latency = tIR + groups·G + tSA + tOR
// When a clock is given, every phase is rounded up to whole cycles (the MVMU is sequenced by a
// digital controller at that clock). Left out: row-parallel DAC settling beyond `latency`, ADC
// pipelining across steps beyond the serialisation above.

import { SECONDS_PER_TICK, type Tick, ticks, TICKS_PER_SECOND } from "../../sim/time";
import { adcFigures } from "./adc-models";
import { mvmuGeometryInfo } from "./encoding";
import type { MvmuParams } from "./params";

export interface MvmuPhaseTicks {
  /** DAC drive + crossbar read */
  readTicks: number;
  sampleTicks: number;
  /** one ADC's conversions of one step (one conversion in accumulate mode) */
  adcTicks: number;
  /** spacing of back-to-back conversions on one ADC */
  conversionIntervalTicks: number;
  shiftAddTicks: number;
  inputRegisterTicks: number;
  outputRegisterTicks: number;
}

/** Per-MVM action counts of ONE instance of each part. */
export interface MvmuActionsPerMvm {
  crossbarReads: number;
  dacConversions: number;
  sampleHoldSamples: number;
  adcConversions: number;
  /** all adds of the MVMU (shared by the shift-and-add units) */
  shiftAddOps: number;
  inputRegisterReads: number;
  outputRegisterWrites: number;
}

export interface MvmuTiming {
  mvmLatencyTicks: number;
  initiationIntervalTicks: number;
  inputSteps: number;
  /** all ADC conversions of one MVM, over all crossbars */
  conversionsPerMvm: number;
  /** step period (non-accumulating) or column-group time (accumulating) */
  periodTicks: number;
  phases: MvmuPhaseTicks;
  actions: MvmuActionsPerMvm;
}

/** Latency of one conversion: the config's, else the model's, else 1 / sampleRate. */
export function adcConversionLatencyS(p: MvmuParams): number {
  if (p.adc.conversionLatency !== undefined) return p.adc.conversionLatency * SECONDS_PER_TICK;
  const f = adcFigures(p.adc.model, { bits: p.adc.bits, sampleRateHz: p.adc.sampleRate, peakRateHz: p.adc.sampleRate });
  return f.latencyS ?? 1 / p.adc.sampleRate;
}

export function mvmuPhaseTicks(p: MvmuParams, clockHz?: number): MvmuPhaseTicks {
  const g = mvmuGeometryInfo(p);
  const period = clockHz === undefined ? 1 : TICKS_PER_SECOND / clockHz;
  const round = (t: number): number => (clockHz === undefined ? Math.round(t) : Math.ceil(t / period - 1e-9) * Math.round(period));
  const convInterval = TICKS_PER_SECOND / p.adc.sampleRate;
  const convLatency = adcConversionLatencyS(p) * TICKS_PER_SECOND;
  const convsPerStep = p.adc.accumulateSteps ? 1 : g.columnsPerAdcMax;
  return {
    readTicks: round(p.dac.rowsPerDac * p.dac.latency + p.crossbar.readLatency),
    sampleTicks: round(p.sampleHold.latency),
    adcTicks: round((convsPerStep - 1) * convInterval + convLatency),
    conversionIntervalTicks: Math.round(convInterval),
    shiftAddTicks: round(p.shiftAdd.latency),
    inputRegisterTicks: round(p.inputRegister.latency),
    outputRegisterTicks: round(p.outputRegister.latency),
  };
}

export function mvmuActionsPerMvm(p: MvmuParams): MvmuActionsPerMvm {
  const g = mvmuGeometryInfo(p);
  const n = g.steps.length;
  const groups = p.adc.accumulateSteps ? g.columnsPerAdcMax : 1;
  const reads = n * groups;
  const convsPerAdc = p.adc.accumulateSteps ? g.columnsPerAdcMax : n * g.columnsPerAdcMax;
  return {
    crossbarReads: reads,
    dacConversions: reads * p.dac.rowsPerDac,
    sampleHoldSamples: n,
    adcConversions: convsPerAdc,
    shiftAddOps: (p.adc.accumulateSteps ? 1 : n) * g.physColsPerCrossbar * p.crossbars,
    inputRegisterReads: reads,
    outputRegisterWrites: p.adc.accumulateSteps ? groups : n,
  };
}

/** Closed-form latency and initiation interval of one MVM (see the file header). */
export function mvmuTiming(p: MvmuParams, clockHz?: number): MvmuTiming {
  const g = mvmuGeometryInfo(p);
  const ph = mvmuPhaseTicks(p, clockHz);
  const n = g.steps.length;
  const { readTicks: tR, sampleTicks: tS, adcTicks: tA, shiftAddTicks: tSA, inputRegisterTicks: tIR, outputRegisterTicks: tOR } = ph;
  let latency: number;
  let interval: number;
  let periodTicks: number;
  if (p.adc.accumulateSteps) {
    const groups = g.columnsPerAdcMax;
    periodTicks = n * (tR + tS) + tA;
    interval = groups * Math.max(periodTicks, tSA);
    latency = tIR + (groups - 1) * Math.max(periodTicks, tSA) + periodTicks + tSA + tOR;
  } else {
    periodTicks = tS + Math.max(tR, tA);
    const firstAdcEnd = tIR + tR + tS + tA;
    const lastAdcEnd = firstAdcEnd + (n - 1) * periodTicks;
    latency = Math.max(lastAdcEnd + tSA, firstAdcEnd + n * tSA) + tOR;
    interval = n * Math.max(periodTicks, tSA);
  }
  const a = mvmuActionsPerMvm(p);
  return {
    mvmLatencyTicks: ticks(latency) as Tick,
    initiationIntervalTicks: ticks(interval) as Tick,
    inputSteps: n,
    conversionsPerMvm: a.shiftAddOps,
    periodTicks,
    phases: ph,
    actions: a,
  };
}
