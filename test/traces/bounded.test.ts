import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { TraceFileWriter } from "../../traces/writer";
import { TraceReader } from "../../traces/reader";
import { tmpDir } from "./helpers";

describe("streaming writer and reader keep memory bounded", () => {
  const dir = tmpDir("trace-big");
  it("4 M events through a 64 KiB buffer: the buffer never exceeds its cap, and neither writing nor reading grows memory with the trace", () => {
    const file = path.join(dir, "big.rtrace");
    const n = 4_000_000;
    const w = new TraceFileWriter(file, { bufferBytes: 64 * 1024 });
    const comps = Array.from({ length: 16 }, (_, i) => w.component(`chip.tile[${i}].adc`));
    const k = w.kind("adc.convert", "slice", { argNames: ["conversions"] });
    // heap objects plus ArrayBuffer storage (which heapUsed alone does not count)
    const used = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const heap0 = used();
    let maxHeap = heap0;
    for (let i = 0; i < n; i++) {
      w.slice(comps[i & 15], k, 1000 * i, 781, 128);
      if ((i & 0xfffff) === 0) maxHeap = Math.max(maxHeap, used());
    }
    w.close();
    expect(w.maxBufferedBytes).toBeLessThanOrEqual(64 * 1024);
    expect(w.eventCount).toBe(n);
    // the encoded trace is tens of MB; holding it would grow the heap by at least that much
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(40e6);
    expect(maxHeap - heap0).toBeLessThan(size / 2);

    let count = 0;
    let busy = 0;
    const read0 = used();
    let maxRead = read0;
    const r = new TraceReader(file);
    r.forEach((ev) => {
      count++;
      busy += ev.durTicks;
      if ((count & 0xfffff) === 0) maxRead = Math.max(maxRead, used());
    });
    r.close();
    expect(maxRead - read0).toBeLessThan(size / 2);
    expect(count).toBe(n);
    expect(busy).toBe(781 * n);
    fs.rmSync(file);
  }, 60_000);
});
