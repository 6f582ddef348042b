// Config loading: YAML or JSON files checked once against a zod schema, then frozen. Unknown keys
// are refused, quantities with units are parsed into canonical numbers, and every error names the
// file and the field path in one line:
//   configs/arch/isaac.yaml: tile.mvmu.adc.bits: must be ≤ 16 (got 24)
// The schema is the single source of truth for types, defaults and error messages.

import * as fs from "node:fs";
import * as YAML from "yaml";
import { z } from "zod";
import { RramsimError, type ErrorCode } from "./errors";
import { parseQuantity, type Dimension } from "./units";

/** A quantity field: a number in the canonical unit, or a string with a unit ("100ns"). */
export function quantity(dim: Dimension) {
  return z.union([z.number(), z.string()]).transform((v, ctx) => {
    try {
      return parseQuantity(v, dim);
    } catch (e) {
      const code = e instanceof RramsimError ? e.code : "CONFIG_VALUE";
      ctx.addIssue({ code: "custom", message: (e as Error).message, params: { rramsimCode: code } });
      return z.NEVER;
    }
  });
}

/** A positive quantity. */
export function positiveQuantity(dim: Dimension) {
  return quantity(dim).refine((v) => v > 0, { message: "must be > 0", params: { rramsimCode: "CONFIG_RANGE" } });
}

/** A non-negative quantity. */
export function nonNegativeQuantity(dim: Dimension) {
  return quantity(dim).refine((v) => v >= 0, { message: "must be ≥ 0", params: { rramsimCode: "CONFIG_RANGE" } });
}

export function formatPath(path: readonly PropertyKey[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s === "" ? String(p) : `.${String(p)}`;
  return s === "" ? "(top level)" : s;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

export function issueCode(issue: z.core.$ZodIssue, raw: unknown): ErrorCode {
  switch (issue.code) {
    case "unrecognized_keys":
      return "CONFIG_UNKNOWN_KEY";
    case "invalid_type":
      return valueAt(raw, issue.path) === undefined ? "CONFIG_MISSING" : "CONFIG_TYPE";
    case "too_big":
    case "too_small":
    case "not_multiple_of":
      return "CONFIG_RANGE";
    case "custom": {
      const c = (issue.params as { rramsimCode?: ErrorCode } | undefined)?.rramsimCode;
      return c ?? "CONFIG_VALUE";
    }
    case "invalid_union": {
      // a union of alternatives: report the most specific inner cause
      const inner = issue.errors.flat()[0];
      return inner ? issueCode({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue, raw) : "CONFIG_VALUE";
    }
    default:
      return valueAt(raw, issue.path) === undefined ? "CONFIG_MISSING" : "CONFIG_VALUE";
  }
}

export function issueMessage(issue: z.core.$ZodIssue, raw: unknown): string {
  const got = valueAt(raw, issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
    case "too_big":
      return `must be ${issue.inclusive ? "≤" : "<"} ${String(issue.maximum)} (got ${JSON.stringify(got)})`;
    case "too_small":
      return `must be ${issue.inclusive ? "≥" : ">"} ${String(issue.minimum)} (got ${JSON.stringify(got)})`;
    case "invalid_type":
      return got === undefined ? `required (expected ${issue.expected})` : `expected ${issue.expected} (got ${JSON.stringify(got)})`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")} (got ${JSON.stringify(got)})`;
    default:
      return issue.message;
  }
}

/**
 * Validates `raw` against `schema`. On failure throws a RramsimError whose message is
 * `<source>: <field path>: <problem>` for the first problem (and how many more there are).
 */
export function validate<S extends z.ZodType>(schema: S, raw: unknown, source: string): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return deepFreeze(r.data) as z.output<S>;
  const issues = r.error.issues;
  // unknown keys are reported at the object; name the offending key in the path
  const first = issues[0];
  let path = first.path;
  if (first.code === "unrecognized_keys" && first.keys.length === 1) path = [...first.path, first.keys[0]];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  throw new RramsimError(issueCode(first, raw), `${source}: ${formatPath(path)}: ${issueMessage(first, raw)}${more}`);
}

/** Reads a YAML or JSON file into plain data (no validation). */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new RramsimError("CONFIG_READ", `${file}: cannot read (${why})`);
  }
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    // line and column of the error's start offset (1-based)
    const before = text.slice(0, Math.min(err.pos[0], text.length));
    const line = before.split("\n").length;
    const col = before.length - before.lastIndexOf("\n");
    const where = `:${line}:${col}`;
    const msg = err.message.split("\n")[0].replace(/ at line \d+, column \d+.*$/, "");
    throw new RramsimError("CONFIG_SYNTAX", `${file}${where}: ${msg}`);
  }
  return doc.toJS();
}

/** Reads and validates a config file. */
export function loadConfig<S extends z.ZodType>(schema: S, file: string): z.output<S> {
  return validate(schema, readConfigFile(file), file);
}

export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v) && !ArrayBuffer.isView(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
