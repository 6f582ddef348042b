// The trace schema in TypeScript: the file prefix, the schema version, the header and kind types,
// and the protobufjs types loaded from traces/trace.proto and traces/perfetto.proto. The .proto
// files are found from the package root (sim/package-root.ts), so the lookup works from the
// sources and from the compiled copy in dist/ alike.

import { createHash } from "node:crypto";
import * as protobuf from "protobufjs";
import { packagePath } from "../sim/package-root";

/** The first bytes of every rramsim trace file, followed by a varint stream version. */
export const TRACE_MAGIC = Buffer.from("RRAMTRACE", "ascii");
export const TRACE_SCHEMA_VERSION = 1;

import type { TracePhase, TraceKindSpec } from "../sim/tracer";
export type { TracePhase, TraceKindSpec };

export interface TraceClock {
  name: string;
  periodPs: number;
}

export interface TraceHeaderInfo {
  producer?: string;
  configHash?: string;
  seed?: number;
  clocks?: TraceClock[];
}

export interface TraceHeader extends Required<TraceHeaderInfo> {
  schemaVersion: number;
  components: string[];
  kinds: TraceKindSpec[];
}

const PHASE_CODE: Record<TracePhase, number> = { slice: 1, instant: 2, counter: 3 };
const PHASE_NAME: Record<number, TracePhase> = { 1: "slice", 2: "instant", 3: "counter" };

let traceRoot: protobuf.Root | undefined;
let perfettoRoot: protobuf.Root | undefined;

export function traceProtoRoot(): protobuf.Root {
  traceRoot ??= protobuf.loadSync(packagePath("traces", "trace.proto"));
  return traceRoot;
}

export function perfettoProtoRoot(): protobuf.Root {
  perfettoRoot ??= protobuf.loadSync(packagePath("traces", "perfetto.proto"));
  return perfettoRoot;
}

/** The plain object protobufjs encodes for an EventKind. */
export function kindToProto(k: TraceKindSpec): Record<string, unknown> {
  return {
    name: k.name,
    phase: PHASE_CODE[k.phase],
    argNames: k.argNames ?? [],
    unit: k.unit ?? "",
    isStall: k.isStall ?? false,
  };
}

export function kindFromProto(o: { name?: string; phase?: number; argNames?: string[]; unit?: string; isStall?: boolean }): TraceKindSpec | undefined {
  const phase = PHASE_NAME[o.phase ?? 0];
  if (phase === undefined) return undefined;
  const k: TraceKindSpec = { name: o.name ?? "", phase };
  if (o.argNames !== undefined && o.argNames.length > 0) k.argNames = o.argNames;
  if (o.unit) k.unit = o.unit;
  if (o.isStall) k.isStall = true;
  return k;
}

/** The header bytes (without the length prefix). */
export function encodeHeader(h: TraceHeader): Uint8Array {
  const T = traceProtoRoot().lookupType("rramsim.trace.TraceHeader");
  return T.encode(
    T.fromObject({
      schemaVersion: h.schemaVersion,
      producer: h.producer,
      configHash: h.configHash,
      seed: h.seed,
      clocks: h.clocks.map((c) => ({ name: c.name, periodPs: c.periodPs })),
      components: h.components,
      kinds: h.kinds.map(kindToProto),
    }),
  ).finish();
}

/** A stable sha-256 (hex) of a JSON-like value, keys sorted: the header's config hash. */
export function traceConfigHash(value: unknown): string {
  const stable = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(stable)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v as object)
              .sort()
              .map((k) => [k, stable((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash("sha256")
    .update(JSON.stringify(stable(value)))
    .digest("hex");
}
