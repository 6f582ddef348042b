// Speed of the timed core on scalar code: recursive fibonacci (calls, loads/stores, branches),
// run to halt on a standalone core. Reports simulated instructions per wall-clock second.

import { assemble } from "../../isa/assembler";
import { execCoreProgram } from "./exec";
import { coreParamsSchema } from "./params";

export const FIB_BENCH_SOURCE = `
	li	a0, 25
	call	fib
	ecall
fib:
	li	t0, 2
	blt	a0, t0, small
	addi	sp, sp, -12
	sw	ra, 8(sp)
	sw	s0, 4(sp)
	sw	s1, 0(sp)
	mv	s0, a0
	addi	a0, s0, -1
	call	fib
	mv	s1, a0
	addi	a0, s0, -2
	call	fib
	add	a0, a0, s1
	lw	s1, 0(sp)
	lw	s0, 4(sp)
	lw	ra, 8(sp)
	addi	sp, sp, 12
small:
	ret
`;

export function benchCoreScalar(): { core_instructions_per_s: number; instructions: number; cycles: number; wall_s: number } {
  const p = assemble(FIB_BENCH_SOURCE);
  const params = coreParamsSchema.parse({});
  const t0 = process.hrtime.bigint();
  const r = execCoreProgram(p, { params });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.registers.x10 !== 75025) throw new Error(`core bench: fib(25) gave ${r.registers.x10}`);
  return { core_instructions_per_s: r.instructions / wall, instructions: r.instructions, cycles: r.cycles, wall_s: wall };
}
