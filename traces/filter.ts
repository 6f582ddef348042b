// Trace filters: which event kinds and which component paths a tracer records. Written on the
// command line as `--trace-filter kind=adc.*,mvmu.*` and `--trace-filter path=chip.tile[0].*`.
// A glob's `*` matches any run of characters (dots included) and `?` one character; everything
// else, brackets too, is literal. A pattern also matches everything below the name it matches
// (`path=chip.tile[0]` takes the whole tile, `kind=adc` every `adc.*` kind). Several patterns of
// one key are alternatives; kind and path filters must both accept an event.

import { RramsimError } from "../sim/errors";

export interface TraceFilter {
  /** kind-name patterns; empty = every kind */
  kinds: RegExp[];
  /** component-path patterns; empty = every component */
  paths: RegExp[];
}

export const TRACE_FILTER_ALL: TraceFilter = Object.freeze({ kinds: [], paths: [] }) as TraceFilter;

/** A glob as an anchored regular expression that also matches dotted descendants. */
export function traceGlob(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === "*" ? ".*" : c === "?" ? "." : `\\${c}`));
  return new RegExp(`^${body}(?:\\..*)?$`);
}

/** Parses `--trace-filter` values; a bad one throws CLI_ARGUMENT naming it. */
export function parseTraceFilter(specs: readonly string[]): TraceFilter {
  const f: TraceFilter = { kinds: [], paths: [] };
  for (const spec of specs) {
    const m = /^\s*(kind|path)\s*=(.*)$/.exec(spec);
    const globs = m ? m[2].split(",").map((g) => g.trim()) : [];
    if (m === null || globs.some((g) => g === "" || /\s/.test(g))) {
      throw new RramsimError("CLI_ARGUMENT", `--trace-filter '${spec}': expected kind=GLOB[,GLOB...] or path=GLOB[,GLOB...] (e.g. kind=adc.*,mvmu.*)`);
    }
    (m[1] === "kind" ? f.kinds : f.paths).push(...globs.map(traceGlob));
  }
  return f;
}

export function traceFilterAcceptsKind(f: TraceFilter, kindName: string): boolean {
  return f.kinds.length === 0 || f.kinds.some((r) => r.test(kindName));
}

export function traceFilterAcceptsPath(f: TraceFilter, path: string): boolean {
  return f.paths.length === 0 || f.paths.some((r) => r.test(path));
}

/**
 * A per-event test for readers: `(header, kind, component) → kept?`, caching the answer per id and
 * catching up when the header grows (names interned mid-trace).
 */
export function traceEventFilter(f: TraceFilter): (h: { kinds: { name: string }[]; components: string[] }, kind: number, component: number) => boolean {
  const kindOk: boolean[] = [];
  const compOk: boolean[] = [];
  return (h, kind, component) => {
    while (kindOk.length < h.kinds.length) kindOk.push(traceFilterAcceptsKind(f, h.kinds[kindOk.length].name));
    while (compOk.length < h.components.length) compOk.push(traceFilterAcceptsPath(f, h.components[compOk.length]));
    return kindOk[kind] && compOk[component];
  };
}
