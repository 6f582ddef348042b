// The trace benchmark: events encoded and written per second through the streaming writer (a
// realistic mix: 64 components, slices with one to three integer args, instants, counters), events
// decoded per second by the streaming reader, and events converted to Perfetto per second. The
// files go to the system temp folder and are removed afterwards.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TraceFileWriter } from "../../traces/writer";
import { TraceReader } from "../../traces/reader";
import { exportTracePerfetto } from "../../traces/perfetto";

export interface TraceBenchResult {
  trace_events_per_s: number;
  trace_read_events_per_s: number;
  trace_bytes_per_event: number;
  trace_perfetto_events_per_s: number;
  events: number;
  write_s: number;
  read_s: number;
  perfetto_s: number;
}

export function benchTraceWriter(opts: { events?: number } = {}): TraceBenchResult {
  const n = opts.events ?? 3_000_000;
  const file = path.join(os.tmpdir(), `rramsim-trace-bench-${process.pid}.rtrace`);
  const perfetto = `${file}.pftrace`;
  try {
    const t0 = process.hrtime.bigint();
    const w = new TraceFileWriter(file, { header: { producer: "rramsim bench" } });
    const comps: number[] = [];
    for (let i = 0; i < 64; i++) comps.push(w.component(`chip.tile[${i >> 3}].mvmu[${i & 7}]`));
    const read = w.kind("crossbar.read", "slice", { argNames: ["rows"] });
    const adc = w.kind("adc.convert", "slice", { argNames: ["conversions", "bits"] });
    const hop = w.kind("noc.hop", "slice", { argNames: ["packet", "from", "to"] });
    const issue = w.kind("core.issue", "instant", { argNames: ["pc", "word"] });
    const power = w.kind("power", "counter", { unit: "mW" });
    let tick = 0;
    for (let i = 0; i < n; i++) {
      const c = comps[i & 63];
      tick += 100 + (i % 7) * 13;
      switch (i % 5) {
        case 0:
          w.slice(c, read, tick, 1000, 128);
          break;
        case 1:
          w.slice(c, adc, tick, 781, 128, 8);
          break;
        case 2:
          w.slice(c, hop, tick, 2000, i, i & 15, (i + 1) & 15);
          break;
        case 3:
          w.instant(c, issue, tick, 4 * (i & 1023), 0x1234567);
          break;
        default:
          w.counter(c, power, tick, 12.5 + (i & 7));
      }
    }
    w.close();
    const t1 = process.hrtime.bigint();
    const r = new TraceReader(file);
    let seen = 0;
    r.forEach(() => {
      seen++;
    });
    r.close();
    const t2 = process.hrtime.bigint();
    if (seen !== n) throw new Error(`trace bench: wrote ${n} events, read ${seen}`);
    exportTracePerfetto(file, perfetto);
    const t3 = process.hrtime.bigint();
    const writeS = Number(t1 - t0) / 1e9;
    const readS = Number(t2 - t1) / 1e9;
    const perfettoS = Number(t3 - t2) / 1e9;
    return {
      trace_events_per_s: n / writeS,
      trace_read_events_per_s: n / readS,
      trace_bytes_per_event: fs.statSync(file).size / n,
      trace_perfetto_events_per_s: n / perfettoS,
      events: n,
      write_s: writeS,
      read_s: readS,
      perfetto_s: perfettoS,
    };
  } finally {
    fs.rmSync(file, { force: true });
    fs.rmSync(perfetto, { force: true });
  }
}
