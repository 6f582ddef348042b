// Speed of the timed core on scalar code: an integer matrix multiply C = A × B (N × N words in the
// data memory; nested loops with loads, mul, stores and branches), run to halt on a standalone core.
// Reports simulated instructions per wall-clock second; the result is checked against a plain
// JavaScript product.

import { assemble } from "../../isa/assembler";
import { execCoreProgram } from "./exec";
import { coreParamsSchema } from "./params";

const N = 64;

/** The benchmark program: A[i][j] = i + 2j − 7 and B[i][j] = 3i − j, then C = A × B. */
export const MATMUL_BENCH_SOURCE = `
	.equ	N, ${N}
	.data
A:	.space	N * N * 4
B:	.space	N * N * 4
C:	.space	N * N * 4
	.text
	la	s0, A
	la	s1, B
	li	t0, 0				# i
fill_i:
	li	t1, 0				# j
fill_j:
	slli	t2, t1, 1
	add	t2, t2, t0
	addi	t2, t2, -7			# i + 2j - 7
	sw	t2, 0(s0)
	slli	t3, t0, 1
	add	t3, t3, t0
	sub	t3, t3, t1			# 3i - j
	sw	t3, 0(s1)
	addi	s0, s0, 4
	addi	s1, s1, 4
	addi	t1, t1, 1
	li	t4, N
	blt	t1, t4, fill_j
	addi	t0, t0, 1
	blt	t0, t4, fill_i
	la	s2, C
	li	t0, 0				# i
mm_i:
	li	t1, 0				# j
mm_j:
	li	a0, 0				# sum
	li	t2, 0				# k
	li	a1, N * 4
	mul	a2, t0, a1
	la	a3, A
	add	a2, a2, a3			# &A[i][0]
	slli	a4, t1, 2
	la	a3, B
	add	a4, a4, a3			# &B[0][j]
mm_k:
	lw	a5, 0(a2)
	lw	a6, 0(a4)
	mul	a7, a5, a6
	add	a0, a0, a7
	addi	a2, a2, 4
	add	a4, a4, a1
	addi	t2, t2, 1
	li	t4, N
	blt	t2, t4, mm_k
	sw	a0, 0(s2)
	addi	s2, s2, 4
	addi	t1, t1, 1
	blt	t1, t4, mm_j
	addi	t0, t0, 1
	blt	t0, t4, mm_i
	ecall
`;

export function benchCoreScalar(): { core_instructions_per_s: number; instructions: number; cycles: number; wall_s: number } {
  const p = assemble(MATMUL_BENCH_SOURCE);
  const params = coreParamsSchema.parse({ dataMemory: "64KB" });
  const t0 = process.hrtime.bigint();
  const r = execCoreProgram(p, { params });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = new DataView(r.core.dmem.buffer, p.symbols.get("C")! - p.dataBase);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += (i + 2 * k - 7) * (3 * k - j);
      if (c.getInt32(4 * (i * N + j), true) !== s) throw new Error(`core bench: C[${i}][${j}] is wrong`);
    }
  }
  return { core_instructions_per_s: r.instructions / wall, instructions: r.instructions, cycles: r.cycles, wall_s: wall };
}
