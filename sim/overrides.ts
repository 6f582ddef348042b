// Config overrides by dotted path — `--set tile.mvmu.adc.bits=6`, `--vary adc.bits=4..10`. A path
// may be any unique suffix of a full field path (`adc.bits` finds `tile.mvmu.adc.bits`); an unknown
// or ambiguous path is an error that lists the candidates. Paths are resolved against the schema,
// so a field left at its default (absent from the file) can still be set. Values are read as YAML
// scalars ("6", "100ns", "true", "differential"), and the result is validated like any config.

import * as YAML from "yaml";
import type { z } from "zod";
import { RramsimError } from "./errors";

interface ZodDefLike {
  type: string;
  shape?: Record<string, { _zod: { def: ZodDefLike } }>;
  innerType?: { _zod: { def: ZodDefLike } };
  in?: { _zod: { def: ZodDefLike } };
  element?: { _zod: { def: ZodDefLike } };
}

/** Every leaf field path of an object schema (through defaults, optionals and pipes), in order. */
export function schemaFieldPaths(schema: z.ZodType): string[] {
  const out: string[] = [];
  const walk = (def: ZodDefLike, prefix: string): void => {
    switch (def.type) {
      case "default":
      case "optional":
      case "nullable":
      case "readonly":
      case "prefault":
        return walk(def.innerType!._zod.def, prefix);
      case "pipe":
        return walk(def.in!._zod.def, prefix);
      case "object":
        for (const [k, v] of Object.entries(def.shape!)) walk(v._zod.def, prefix === "" ? k : `${prefix}.${k}`);
        return;
      default:
        if (prefix !== "") out.push(prefix);
    }
  };
  walk((schema as unknown as { _zod: { def: ZodDefLike } })._zod.def, "");
  return out;
}

/** Resolves a full or suffix path to exactly one field path of the schema. */
export function resolveFieldPath(schema: z.ZodType, path: string): string {
  const all = schemaFieldPaths(schema);
  if (all.includes(path)) return path;
  const matches = all.filter((p) => p.endsWith("." + path));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    const leaf = path.split(".").pop()!;
    const near = all.filter((p) => p.split(".").pop() === leaf).slice(0, 8);
    const hint = near.length > 0 ? ` (fields named '${leaf}': ${near.join(", ")})` : "";
    throw new RramsimError("OVERRIDE_PATH", `--set ${path}: no such config field${hint}`);
  }
  throw new RramsimError("OVERRIDE_PATH", `--set ${path}: ambiguous, matches ${matches.join(", ")}`);
}

/** Parses `PATH=VALUE` into its parts (the value as a YAML scalar). */
export function parseAssignment(text: string): { path: string; value: unknown } {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new RramsimError("CLI_ARGUMENT", `--set '${text}': expected PATH=VALUE`);
  const path = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  let value: unknown;
  try {
    value = YAML.parse(raw);
  } catch {
    value = raw;
  }
  return { path, value: value === null ? raw : value };
}

/** Returns a deep copy of `raw` with the value at `fullPath` replaced (creating objects on the way). */
export function setAtPath(raw: unknown, fullPath: string, value: unknown): unknown {
  const root = structuredClone(raw ?? {}) as Record<string, unknown>;
  const keys = fullPath.split(".");
  let node = root;
  for (const k of keys.slice(0, -1)) {
    const next = node[k];
    if (next === undefined || next === null || typeof next !== "object" || Array.isArray(next)) node[k] = {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return root;
}

/** Applies `PATH=VALUE` overrides to raw (unvalidated) config data. */
export function applyOverrides(schema: z.ZodType, raw: unknown, assignments: readonly string[]): unknown {
  let out = raw;
  for (const a of assignments) {
    const { path, value } = parseAssignment(a);
    out = setAtPath(out, resolveFieldPath(schema, path), value);
  }
  return out;
}
