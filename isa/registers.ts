// The 32 integer registers of RV32I, with the standard ABI names (RISC-V psABI): x0 = zero,
// x1 = ra, x2 = sp, x3 = gp, x4 = tp, x5–7 = t0–t2, x8 = s0/fp, x9 = s1, x10–17 = a0–a7,
// x18–27 = s2–s11, x28–31 = t3–t6.

export const ABI_NAMES: readonly string[] = [
  "zero",
  "ra",
  "sp",
  "gp",
  "tp",
  "t0",
  "t1",
  "t2",
  "s0",
  "s1",
  "a0",
  "a1",
  "a2",
  "a3",
  "a4",
  "a5",
  "a6",
  "a7",
  "s2",
  "s3",
  "s4",
  "s5",
  "s6",
  "s7",
  "s8",
  "s9",
  "s10",
  "s11",
  "t3",
  "t4",
  "t5",
  "t6",
];

const BY_NAME = new Map<string, number>();
ABI_NAMES.forEach((n, i) => {
  BY_NAME.set(n, i);
  BY_NAME.set(`x${i}`, i);
});
BY_NAME.set("fp", 8);

/** Register number of a name (`a0`, `x10`, `fp`), or undefined. */
export function registerNumber(name: string): number | undefined {
  return BY_NAME.get(name.toLowerCase());
}

export function registerName(n: number): string {
  return ABI_NAMES[n];
}
