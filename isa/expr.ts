// Assembler expressions, GNU-as style: numbers (decimal, 0x hex, 0b binary, leading-0 octal),
// symbols, `.` (the current statement's address), unary - ~ +, binary * / % << >> & ^ | + -, and
// parentheses, plus RISC-V's %hi(e) and %lo(e). %hi adds 0x800 before taking the upper 20 bits, so
// (%hi(x) << 12) + %lo(x) = x with %lo sign-extended from 12 bits. Bitwise operators and shifts
// work on 32 bits; + - * are exact. An expression that names an undefined symbol is "unresolved".

export class ExprError extends Error {
  constructor(
    readonly code: "E106" | "E111" | "E104",
    message: string,
    /** offset in the expression text */
    readonly offset: number,
  ) {
    super(message);
  }
}

type Tok = { t: "num"; v: number; at: number } | { t: "sym"; v: string; at: number } | { t: "op"; v: string; at: number };

const SYM = /^[A-Za-z_.$][A-Za-z0-9_.$]*/;
const NUM = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)/;

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    const rest = s.slice(i);
    const n = NUM.exec(rest);
    if (n) {
      const txt = n[1];
      if (SYM.test(rest.slice(txt.length)) && !/^[0-9]/.test(rest.slice(txt.length))) {
        throw new ExprError("E111", `bad number '${rest.split(/[^A-Za-z0-9_.$]/)[0]}'`, i);
      }
      let v: number;
      if (/^0[xX]/.test(txt)) v = parseInt(txt.slice(2), 16);
      else if (/^0[bB]/.test(txt)) v = parseInt(txt.slice(2), 2);
      else if (txt.length > 1 && txt[0] === "0") {
        if (/[89]/.test(txt)) throw new ExprError("E111", `bad octal number '${txt}'`, i);
        v = parseInt(txt.slice(1), 8);
      } else v = parseInt(txt, 10);
      if (!Number.isSafeInteger(v)) throw new ExprError("E111", `number '${txt}' is too large`, i);
      out.push({ t: "num", v, at: i });
      i += txt.length;
      continue;
    }
    if (c === "%") {
      const m = /^%(hi|lo)\b/.exec(rest);
      if (m) {
        out.push({ t: "op", v: m[0], at: i });
        i += m[0].length;
        continue;
      }
    }
    const sm = SYM.exec(rest);
    if (sm) {
      out.push({ t: "sym", v: sm[0], at: i });
      i += sm[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === "<<" || two === ">>") {
      out.push({ t: "op", v: two, at: i });
      i += 2;
      continue;
    }
    if ("+-*/%&|^~()".includes(c)) {
      out.push({ t: "op", v: c, at: i });
      i++;
      continue;
    }
    throw new ExprError("E111", `unexpected character '${c}' in expression`, i);
  }
  return out;
}

export interface ExprEnv {
  /** value of a symbol, or undefined if not (yet) defined */
  symbol(name: string): number | undefined;
  /** address of the current statement */
  dot: number;
}

const BINARY: Array<Record<string, (a: number, b: number) => number>> = [
  { "|": (a, b) => (a | b) >>> 0 },
  { "^": (a, b) => (a ^ b) >>> 0 },
  { "&": (a, b) => (a & b) >>> 0 },
  { "+": (a, b) => a + b, "-": (a, b) => a - b },
  { "<<": (a, b) => (a << (b & 31)) >>> 0, ">>": (a, b) => a >> (b & 31) },
  { "*": (a, b) => a * b, "/": (a, b) => Math.trunc(a / b), "%": (a, b) => a % b },
];

/** Evaluates an expression; throws ExprError (E106 for an undefined symbol). */
export function evaluate(text: string, env: ExprEnv): number {
  const toks = lex(text);
  if (toks.length === 0) throw new ExprError("E104", "missing expression", 0);
  let p = 0;
  const peek = () => toks[p];
  const fail = (msg: string): never => {
    throw new ExprError("E111", msg, toks[Math.min(p, toks.length - 1)]?.at ?? 0);
  };
  const primary = (): number => {
    const t = toks[p++];
    if (t === undefined) return fail("expression ends early");
    if (t.t === "num") return t.v;
    if (t.t === "sym") {
      if (t.v === ".") return env.dot;
      const v = env.symbol(t.v);
      if (v === undefined) throw new ExprError("E106", `undefined symbol '${t.v}'`, t.at);
      return v;
    }
    if (t.v === "(") {
      const v = binary(0);
      if (peek()?.v !== ")") fail("missing ')'");
      p++;
      return v;
    }
    if (t.v === "-") return -primary();
    if (t.v === "+") return primary();
    if (t.v === "~") return ~primary() >>> 0;
    if (t.v === "%hi" || t.v === "%lo") {
      if (peek()?.v !== "(") fail(`${t.v} needs '('`);
      const v = primary() | 0;
      if (t.v === "%hi") return ((v + 0x800) >>> 12) & 0xfffff;
      return (v << 20) >> 20;
    }
    return fail(`unexpected '${t.v}'`);
  };
  const binary = (level: number): number => {
    if (level === BINARY.length) return primary();
    let a = binary(level + 1);
    for (;;) {
      const t = peek();
      const f = t?.t === "op" ? BINARY[level][t.v] : undefined;
      if (f === undefined) return a;
      p++;
      const b = binary(level + 1);
      if ((t!.v === "/" || t!.v === "%") && b === 0) throw new ExprError("E111", "division by zero", t!.at);
      a = f(a, b);
      if (!Number.isSafeInteger(a)) fail("value too large");
    }
  };
  const v = binary(0);
  if (p !== toks.length) fail(`unexpected '${toks[p].v}'`);
  return v;
}
