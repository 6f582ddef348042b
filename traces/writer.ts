// The streaming trace writer: a Tracer that encodes each event straight into one fixed-size byte
// buffer and hands the buffer to the file with fs.writeSync when it is nearly full, so memory stays
// at the buffer size however long the run. Events are encoded by hand (a few varints; the layout is
// TraceRecord{event} of traces/trace.proto, which protobufjs decodes unchanged); the header and
// Interned records go through protobufjs. The file is written to a temporary name in the same folder
// and renamed into place by close(); abort() removes it, so a failed run leaves no partial trace.

import * as fs from "node:fs";
import { openTemporary } from "./export-common";
import { traceFilterAcceptsKind, traceFilterAcceptsPath, TRACE_FILTER_ALL, type TraceFilter } from "./filter";
import { encodeHeader, kindToProto, traceProtoRoot, TRACE_MAGIC, TRACE_SCHEMA_VERSION, type TraceHeaderInfo, type TraceKindSpec, type TracePhase } from "./schema";
import type { Tracer } from "../sim/tracer";

/** Largest encoded event: 3-byte framing, tick/dur ≤ 11 bytes each, ids ≤ 6, 4 ints ≤ 42, 1 double 10 (< 128: one-byte lengths). */
const MAX_EVENT_BYTES = 3 + 11 + 6 + 6 + 11 + 42 + 10;
const TWO_32 = 4294967296;
const MAX_ARG = 2 ** 52;

export interface TraceWriterOptions {
  header?: TraceHeaderInfo;
  filter?: TraceFilter;
  /** the write buffer's fixed size in bytes (default 1 MiB, at least 4 KiB) */
  bufferBytes?: number;
}

function putVarint(b: Uint8Array, p: number, v: number): number {
  while (v >= TWO_32) {
    b[p++] = (v % 128) | 128;
    v = Math.floor(v / 128);
  }
  while (v > 127) {
    b[p++] = (v & 127) | 128;
    v >>>= 7;
  }
  b[p++] = v;
  return p;
}

function putVarintSigned(b: Uint8Array, p: number, n: number): number {
  if (!(n >= -MAX_ARG && n <= MAX_ARG) || n % 1 !== 0) throw new RangeError(`trace: arg ${n} is not an integer within ±2^52`);
  return putVarint(b, p, n >= 0 ? 2 * n : -2 * n - 1);
}

function checkTick(t: number, what: string): void {
  if (!(t >= 0) || t % 1 !== 0 || t > Number.MAX_SAFE_INTEGER) throw new RangeError(`trace: ${what} ${t} is not a non-negative integer tick count`);
}

export class TraceFileWriter implements Tracer {
  readonly active = true;
  readonly file: string;
  private readonly tmp: string;
  private fd: number;
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private pos = 0;
  private readonly header: Required<TraceHeaderInfo>;
  private readonly filter: TraceFilter;
  private readonly components: string[] = [];
  private readonly componentIds = new Map<string, number>();
  private readonly kinds: TraceKindSpec[] = [];
  private readonly kindIds = new Map<string, number>();
  /** 1 = recorded, 0 = filtered out; indexed by id */
  private readonly componentOn: number[] = [];
  private readonly kindOn: number[] = [];
  private headerWritten = false;
  private closed = false;
  /** events recorded (after filtering) */
  eventCount = 0;
  /** bytes handed to the file so far */
  bytesWritten = 0;
  /** the most bytes the buffer ever held; never more than its size */
  maxBufferedBytes = 0;

  constructor(file: string, opts: TraceWriterOptions = {}) {
    this.file = file;
    const size = Math.max(4096, opts.bufferBytes ?? 1 << 20);
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
    this.filter = opts.filter ?? TRACE_FILTER_ALL;
    const h = opts.header ?? {};
    this.header = { producer: h.producer ?? "rramsim", configHash: h.configHash ?? "", seed: h.seed ?? 0, clocks: h.clocks ?? [] };
    ({ tmp: this.tmp, fd: this.fd } = openTemporary(file));
  }

  get bufferBytes(): number {
    return this.buf.length;
  }

  component(p: string): number {
    const known = this.componentIds.get(p);
    if (known !== undefined) return known;
    const id = this.components.length;
    this.components.push(p);
    this.componentIds.set(p, id);
    this.componentOn.push(traceFilterAcceptsPath(this.filter, p) ? 1 : 0);
    if (this.headerWritten) this.putInterned({ components: [p], kinds: [] });
    return id;
  }

  kind(name: string, phase: TracePhase = "slice", opts: Omit<TraceKindSpec, "name" | "phase"> = {}): number {
    const known = this.kindIds.get(name);
    if (known !== undefined) {
      if (this.kinds[known].phase !== phase) throw new Error(`trace kind '${name}' declared as ${this.kinds[known].phase} and as ${phase}`);
      return known;
    }
    const spec: TraceKindSpec = { name, phase, ...opts };
    const id = this.kinds.length;
    this.kinds.push(spec);
    this.kindIds.set(name, id);
    this.kindOn.push(traceFilterAcceptsKind(this.filter, name) ? 1 : 0);
    if (this.headerWritten) this.putInterned({ components: [], kinds: [kindToProto(spec)] });
    return id;
  }

  enabled(kind: number, component: number): boolean {
    return (this.kindOn[kind] & this.componentOn[component]) === 1;
  }

  slice(component: number, kind: number, startTick: number, durTicks: number, a0?: number, a1?: number, a2?: number, a3?: number): void {
    if ((this.kindOn[kind] & this.componentOn[component]) !== 1) return this.rejected(component, kind);
    checkTick(durTicks, "duration");
    this.put(component, kind, startTick, durTicks, a0, a1, a2, a3, undefined);
  }

  instant(component: number, kind: number, tick: number, a0?: number, a1?: number, a2?: number, a3?: number): void {
    if ((this.kindOn[kind] & this.componentOn[component]) !== 1) return this.rejected(component, kind);
    this.put(component, kind, tick, 0, a0, a1, a2, a3, undefined);
  }

  counter(component: number, kind: number, tick: number, value: number): void {
    if ((this.kindOn[kind] & this.componentOn[component]) !== 1) return this.rejected(component, kind);
    this.put(component, kind, tick, 0, undefined, undefined, undefined, undefined, value);
  }

  /** Filtered out, or an id that was never interned (a bug in the caller). */
  private rejected(component: number, kind: number): void {
    if (!(component < this.components.length && kind < this.kinds.length && component >= 0 && kind >= 0)) {
      throw new RangeError(`trace: event for component ${component}, kind ${kind}: id not interned`);
    }
  }

  private put(c: number, k: number, tick: number, dur: number, a0: number | undefined, a1: number | undefined, a2: number | undefined, a3: number | undefined, value: number | undefined): void {
    checkTick(tick, "tick");
    if (this.closed) throw new Error(`trace ${this.file}: event after close`);
    if (this.pos + MAX_EVENT_BYTES > this.buf.length) this.flush();
    const b = this.buf;
    const start = this.pos;
    let p = start + 3; // TraceRecord length, field 1 tag, TraceEvent length: one byte each
    if (tick !== 0) {
      b[p++] = 0x08;
      p = putVarint(b, p, tick);
    }
    if (c !== 0) {
      b[p++] = 0x10;
      p = putVarint(b, p, c);
    }
    if (k !== 0) {
      b[p++] = 0x18;
      p = putVarint(b, p, k);
    }
    if (dur !== 0) {
      b[p++] = 0x20;
      p = putVarint(b, p, dur);
    }
    if (a0 !== undefined) {
      b[p] = 0x2a; // packed sint64 ints
      const lenAt = p + 1;
      p = putVarintSigned(b, p + 2, a0);
      if (a1 !== undefined) p = putVarintSigned(b, p, a1);
      if (a2 !== undefined) p = putVarintSigned(b, p, a2);
      if (a3 !== undefined) p = putVarintSigned(b, p, a3);
      b[lenAt] = p - lenAt - 1;
    }
    if (value !== undefined) {
      b[p++] = 0x32; // packed double values
      b[p++] = 8;
      this.view.setFloat64(p, value, true);
      p += 8;
    }
    const bodyLen = p - start - 3;
    b[start] = bodyLen + 2;
    b[start + 1] = 0x0a;
    b[start + 2] = bodyLen;
    this.pos = p;
    if (p > this.maxBufferedBytes) this.maxBufferedBytes = p;
    this.eventCount++;
  }

  private putInterned(interned: { components: string[]; kinds: Record<string, unknown>[] }): void {
    const T = traceProtoRoot().lookupType("rramsim.trace.TraceRecord");
    const bytes = T.encodeDelimited(T.fromObject({ interned })).finish();
    if (this.pos + bytes.length > this.buf.length) this.flush();
    if (bytes.length > this.buf.length) {
      this.writeOut(bytes, bytes.length);
      return;
    }
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    if (this.pos > this.maxBufferedBytes) this.maxBufferedBytes = this.pos;
  }

  private writeOut(bytes: Uint8Array, n: number): void {
    let off = 0;
    while (off < n) off += fs.writeSync(this.fd, bytes, off, n - off);
    this.bytesWritten += n;
  }

  /** Writes the header (first time) and the buffered records to the file. */
  flush(): void {
    if (!this.headerWritten) {
      this.headerWritten = true;
      const body = encodeHeader({
        schemaVersion: TRACE_SCHEMA_VERSION,
        ...this.header,
        components: this.components,
        kinds: this.kinds,
      });
      const pre = new Uint8Array(TRACE_MAGIC.length + 20);
      pre.set(TRACE_MAGIC, 0);
      let p = putVarint(pre, TRACE_MAGIC.length, TRACE_SCHEMA_VERSION);
      p = putVarint(pre, p, body.length);
      this.writeOut(pre, p);
      this.writeOut(body, body.length);
    }
    if (this.pos > 0) this.writeOut(this.buf, this.pos);
    this.pos = 0;
  }

  /** Flushes, closes and moves the trace into place. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
      fs.closeSync(this.fd);
      this.closed = true;
      fs.renameSync(this.tmp, this.file);
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Drops the trace: closes and removes the temporary file. */
  abort(): void {
    if (!this.closed) {
      this.closed = true;
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    fs.rmSync(this.tmp, { force: true });
  }
}
