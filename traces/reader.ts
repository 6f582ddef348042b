// The streaming trace reader: reads a trace file in fixed-size chunks and yields one event at a time
// (`next`, `forEach`, `for..of`), so a trace of any length is read in bounded memory. Events are decoded by hand (the
// inverse of the writer's encoding, skipping fields it does not know, so newer writers stay
// readable); the header and Interned records are decoded by protobufjs. A truncated or corrupt file
// throws a one-line INPUT_FILE error naming the file and the byte offset of the bad record.

import * as fs from "node:fs";
import { RramsimError } from "../sim/errors";
import { kindFromProto, traceProtoRoot, TRACE_MAGIC, TRACE_SCHEMA_VERSION, type TraceHeader, type TraceKindSpec } from "./schema";

/** One decoded event. The object passed to `forEach` callbacks is reused (its arrays are not): copy what you keep. */
export interface TraceEvent {
  tick: number;
  component: number;
  kind: number;
  /** duration in ticks (slices) */
  durTicks: number;
  ints: number[];
  values: number[];
}

const CHUNK = 1 << 20;
const MAX_RECORD = 64 << 20;

export class TraceReader {
  readonly file: string;
  /** the header; its components and kinds grow as Interned records are read */
  readonly header: TraceHeader;
  private fd: number;
  private readonly size: number;
  private buf: Uint8Array;
  /** file offset of buf[0] */
  private base = 0;
  private lo = 0;
  private hi = 0;
  private readonly dataStart: number;
  private readonly headerComponents: number;
  private readonly headerKinds: number;

  constructor(file: string) {
    this.file = file;
    try {
      this.fd = fs.openSync(file, "r");
      this.size = fs.fstatSync(this.fd).size;
    } catch (e) {
      throw new RramsimError("INPUT_FILE", `${file}: cannot read trace (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    this.buf = new Uint8Array(CHUNK);
    try {
      this.fill(TRACE_MAGIC.length + 10);
      for (let i = 0; i < TRACE_MAGIC.length; i++) {
        if (this.buf[i] !== TRACE_MAGIC[i]) throw this.corrupt(0, "not an rramsim trace (no RRAMTRACE prefix)");
      }
      this.lo = TRACE_MAGIC.length;
      const version = this.varint();
      if (version !== TRACE_SCHEMA_VERSION) {
        throw this.corrupt(TRACE_MAGIC.length, `trace schema version ${version} is not supported (this rramsim reads version ${TRACE_SCHEMA_VERSION})`);
      }
      const at = this.offset();
      const body = this.record();
      if (body === undefined) throw this.corrupt(at, "truncated trace: the header is missing");
      let h: Record<string, unknown>;
      try {
        const T = traceProtoRoot().lookupType("rramsim.trace.TraceHeader");
        h = T.toObject(T.decode(body), { longs: Number, defaults: true, arrays: true });
      } catch (e) {
        throw this.corrupt(at, `corrupt header (${(e as Error).message})`);
      }
      const kinds = (h.kinds as Parameters<typeof kindFromProto>[0][]).map((k) => this.kindOrThrow(k, at));
      this.header = {
        schemaVersion: h.schemaVersion as number,
        producer: h.producer as string,
        configHash: h.configHash as string,
        seed: h.seed as number,
        clocks: (h.clocks as { name: string; periodPs: number }[]).map((c) => ({ name: c.name, periodPs: c.periodPs })),
        components: h.components as string[],
        kinds,
      };
      this.dataStart = this.offset();
      this.headerComponents = this.header.components.length;
      this.headerKinds = kinds.length;
    } catch (e) {
      this.close();
      if (e instanceof RramsimError) throw e;
      throw new RramsimError("INPUT_FILE", `${file}: cannot read trace (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  private kindOrThrow(k: Parameters<typeof kindFromProto>[0], at: number): TraceKindSpec {
    const spec = kindFromProto(k);
    if (spec === undefined) throw this.corrupt(at, `event kind '${k.name}' has no phase`);
    return spec;
  }

  private corrupt(offset: number, what: string): RramsimError {
    return new RramsimError("INPUT_FILE", `${this.file}: byte ${offset}: ${what}`);
  }

  private offset(): number {
    return this.base + this.lo;
  }

  /** Makes at least `n` bytes available from `lo` (fewer only at the end of the file). */
  private fill(n: number): void {
    if (this.hi - this.lo >= n) return;
    if (n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(n, 2 * this.buf.length));
      bigger.set(this.buf.subarray(this.lo, this.hi));
      this.buf = bigger;
    } else {
      this.buf.copyWithin(0, this.lo, this.hi);
    }
    this.base += this.lo;
    this.hi -= this.lo;
    this.lo = 0;
    while (this.hi < n && this.base + this.hi < this.size) {
      const got = fs.readSync(this.fd, this.buf, this.hi, this.buf.length - this.hi, this.base + this.hi);
      if (got === 0) break;
      this.hi += got;
    }
  }

  /** A varint at `lo` (advancing past it). */
  private varint(): number {
    const at = this.offset();
    this.fill(10);
    const b = this.buf;
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.lo >= this.hi) throw this.corrupt(at, "truncated trace: the file ends inside a length prefix");
      const byte = b[this.lo++];
      v += (byte & 127) * mul;
      if (byte < 128) return v;
      mul *= 128;
    }
    throw this.corrupt(at, "corrupt trace: a varint longer than 10 bytes");
  }

  /** The next length-delimited record's bytes (valid until the next call), or undefined at the end. */
  private record(): Uint8Array | undefined {
    if (this.offset() >= this.size) return undefined;
    const at = this.offset();
    const len = this.varint();
    if (len > MAX_RECORD) throw this.corrupt(at, `corrupt trace: a record claims ${len} bytes`);
    this.fill(len);
    if (this.hi - this.lo < len) {
      throw this.corrupt(at, `truncated trace: the record needs ${len} bytes, the file ends at byte ${this.size}`);
    }
    const r = this.buf.subarray(this.lo, this.lo + len);
    this.lo += len;
    return r;
  }

  /** Goes back to the first record (and forgets names interned after the header). */
  rewind(): void {
    this.base = this.dataStart;
    this.lo = this.hi = 0;
    this.header.components.length = this.headerComponents;
    this.header.kinds.length = this.headerKinds;
  }

  /** Reads records up to the next event and decodes it into `ev`; false at the end of the file. */
  next(ev: TraceEvent): boolean {
    for (;;) {
      const at = this.offset();
      const r = this.record();
      if (r === undefined) return false;
      // TraceRecord: field 1 (event) or field 2 (interned), length-delimited
      const tag = r[0];
      if (tag === 0x0a) {
        const len = readVarint(r, 1, r.length);
        if (len < 0 || vNext + len !== r.length || !decodeEvent(r, vNext, r.length, ev)) throw this.corrupt(at, "corrupt event record");
        if (ev.component >= this.header.components.length) {
          throw this.corrupt(at, `event refers to component ${ev.component}, but only ${this.header.components.length} are declared`);
        }
        if (ev.kind >= this.header.kinds.length) {
          throw this.corrupt(at, `event refers to kind ${ev.kind}, but only ${this.header.kinds.length} are declared`);
        }
        return true;
      }
      if (tag !== 0x12) throw this.corrupt(at, `corrupt trace: unknown record type (tag ${tag})`);
      let o: { interned?: { components?: string[]; kinds?: Parameters<typeof kindFromProto>[0][] } };
      try {
        const Rec = traceProtoRoot().lookupType("rramsim.trace.TraceRecord");
        o = Rec.toObject(Rec.decode(r), { arrays: true, defaults: true }) as typeof o;
      } catch (e) {
        throw this.corrupt(at, `corrupt interned-names record (${(e as Error).message})`);
      }
      this.header.components.push(...(o.interned?.components ?? []));
      for (const k of o.interned?.kinds ?? []) this.header.kinds.push(this.kindOrThrow(k, at));
    }
  }

  /** Calls `fn` for every event, from the start, in file order, with one reused event object. */
  forEach(fn: (ev: TraceEvent) => void): void {
    this.rewind();
    const ev = emptyEvent();
    while (this.next(ev)) fn(ev);
  }

  /** Iterates over every event from the start; each event is a fresh object. */
  *[Symbol.iterator](): Generator<TraceEvent> {
    this.rewind();
    for (;;) {
      const ev = emptyEvent();
      if (!this.next(ev)) return;
      yield ev;
    }
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

function emptyEvent(): TraceEvent {
  return { tick: 0, component: 0, kind: 0, durTicks: 0, ints: [], values: [] };
}

let vNext = 0;
/** Varint at b[p] (p < end); sets vNext; returns -1 when malformed. */
function readVarint(b: Uint8Array, p: number, end: number): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10 && p < end; i++) {
    const byte = b[p++];
    v += (byte & 127) * mul;
    if (byte < 128) {
      vNext = p;
      return v;
    }
    mul *= 128;
  }
  return -1;
}

const dv = new DataView(new ArrayBuffer(8));

/** Decodes a TraceEvent body b[p, end) into `ev`; false when malformed. */
function decodeEvent(b: Uint8Array, p: number, end: number, ev: TraceEvent): boolean {
  ev.tick = 0;
  ev.component = 0;
  ev.kind = 0;
  ev.durTicks = 0;
  // fresh arrays are cheaper than truncating (setting length is slow in V8)
  if (ev.ints.length !== 0) ev.ints = [];
  if (ev.values.length !== 0) ev.values = [];
  while (p < end) {
    const key = readVarint(b, p, end);
    if (key < 0) return false;
    p = vNext;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const v = readVarint(b, p, end);
      if (v < 0) return false;
      p = vNext;
      if (field === 1) ev.tick = v;
      else if (field === 2) ev.component = v;
      else if (field === 3) ev.kind = v;
      else if (field === 4) ev.durTicks = v;
      else if (field === 5) ev.ints.push(v % 2 === 0 ? v / 2 : -(v + 1) / 2);
    } else if (wire === 2) {
      const len = readVarint(b, p, end);
      if (len < 0 || vNext + len > end) return false;
      p = vNext;
      const stop = p + len;
      if (field === 5) {
        while (p < stop) {
          const v = readVarint(b, p, stop);
          if (v < 0) return false;
          p = vNext;
          ev.ints.push(v % 2 === 0 ? v / 2 : -(v + 1) / 2);
        }
      } else if (field === 6) {
        if (len % 8 !== 0) return false;
        for (; p < stop; p += 8) ev.values.push(readDouble(b, p));
      }
      p = stop;
    } else if (wire === 1) {
      if (p + 8 > end) return false;
      if (field === 6) ev.values.push(readDouble(b, p));
      p += 8;
    } else if (wire === 5) {
      if (p + 4 > end) return false;
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}

function readDouble(b: Uint8Array, p: number): number {
  for (let i = 0; i < 8; i++) dv.setUint8(i, b[p + i]);
  return dv.getFloat64(0, true);
}

/** Opens a trace, calls `fn` for each event, closes it; returns the (final) header. */
export function forEachTraceEvent(file: string, fn: (ev: TraceEvent, header: TraceHeader) => void): TraceHeader {
  const r = new TraceReader(file);
  try {
    r.forEach((ev) => fn(ev, r.header));
    return r.header;
  } finally {
    r.close();
  }
}

/** Reads a whole trace into memory (for small traces and tests). */
export function readTrace(file: string): { header: TraceHeader; events: TraceEvent[] } {
  const r = new TraceReader(file);
  try {
    const events = [...r];
    return { header: r.header, events };
  } finally {
    r.close();
  }
}
