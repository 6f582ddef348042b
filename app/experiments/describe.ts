import { z } from "zod";
import { registeredKinds, kindByName, type ComponentKind } from "../../sim/component";
import { RramsimError } from "../../sim/errors";
import "../../sim/builtins";

export interface KindDescription {
  kind: string;
  description: string;
  params: Record<string, { type: string; default?: unknown; description?: string }>;
  stats: Record<string, { kind: string; unit: string; description: string }>;
  actions: Record<string, { description: string }>;
}

function jsonType(p: Record<string, unknown>): string {
  if (Array.isArray(p.enum)) return p.enum.map((v) => JSON.stringify(v)).join("|");
  if (Array.isArray(p.type)) return p.type.join("|");
  if (typeof p.type === "string") return p.type;
  if (Array.isArray(p.anyOf)) return p.anyOf.map((x) => jsonType(x as Record<string, unknown>)).join("|");
  return "object";
}

/** The registered component kinds with their params, stats and energy actions. */
export function describeKinds(names?: string[]): KindDescription[] {
  let kinds: ComponentKind[];
  if (names && names.length > 0) {
    kinds = names.map((n) => {
      const k = kindByName(n);
      if (!k) {
        throw new RramsimError(
          "CLI_ARGUMENT",
          `describe: no component kind '${n}' (known: ${registeredKinds()
            .map((x) => x.kind)
            .join(", ")})`,
        );
      }
      return k;
    });
  } else {
    kinds = registeredKinds();
  }
  return kinds.map((k) => {
    const schema = z.toJSONSchema(k.params, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, Record<string, unknown>> };
    const params: KindDescription["params"] = {};
    for (const [name, p] of Object.entries(schema.properties ?? {})) {
      params[name] = { type: jsonType(p), ...(p.default !== undefined ? { default: p.default } : {}), ...(p.description ? { description: String(p.description) } : {}) };
    }
    const stats: KindDescription["stats"] = {};
    for (const [name, s] of Object.entries(k.stats)) stats[name] = { kind: s.kind, unit: s.unit, description: s.desc };
    const actions: KindDescription["actions"] = {};
    for (const [name, a] of Object.entries(k.actions)) actions[name] = { description: a.desc };
    return { kind: k.kind, description: k.description, params, stats, actions };
  });
}

export function printKind(d: KindDescription): void {
  const out: string[] = [`${d.kind} — ${d.description}`];
  out.push("  params:");
  for (const [n, p] of Object.entries(d.params)) {
    const def = p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : "";
    out.push(`    ${n}: ${p.type}${def}${p.description ? `  — ${p.description}` : ""}`);
  }
  out.push("  stats:");
  for (const [n, s] of Object.entries(d.stats)) out.push(`    ${n} (${s.kind}, ${s.unit})  — ${s.description}`);
  out.push("  energy actions:");
  for (const [n, a] of Object.entries(d.actions)) out.push(`    ${n}  — ${a.description}`);
  process.stdout.write(out.join("\n") + "\n\n");
}
