// The value log: every place where a model moves or computes tensor values (a memory copy, a vector
// ALU op, an MVM unit's datapath, writing results into vector registers) runs that work through
// `sim.values.run(op)`. Normally that just calls `op`. While recording, the log also keeps `op`, in
// the order the event simulation performed it; `replay()` then performs the same work again, in the
// same order, on whatever the buffers hold now — without events, timing or energy.
//
// What it is for: a run of many inferences whose timing does not depend on tensor values (no
// instruction of this ISA moves a vector or memory value into a scalar register, so control flow,
// addresses and every unit's latency and energy are the same for every input). The run simulates
// inferences event by event until two consecutive ones have identical timing and activity, records
// the second one's value work, and replays it for the rest (app/run/inferences.ts). A replayed
// inference gives the same values as simulating it, provided
// - each op reads its operands when it runs (views of live buffers, not copies taken when recorded);
// - ops that allocate do so outside the op (the buffer is captured, reused by every replay);
// - random draws happen inside ops (each physical array draws from its own stream, in the order its
//   reads are performed, which replay keeps).
// test/perf/reports-identical.test.ts runs its cases both ways and requires identical reports.

export type ValueOp = () => void;

export class ValueLog {
  private ops: ValueOp[] = [];
  private recordingOps = false;

  /** Performs `op` now; while recording, keeps it for `replay`. */
  run(op: ValueOp): void {
    op();
    if (this.recordingOps) this.ops.push(op);
  }

  get recording(): boolean {
    return this.recordingOps;
  }

  /** Number of recorded ops. */
  get size(): number {
    return this.ops.length;
  }

  /** Forgets what was recorded and starts recording. */
  record(): void {
    this.ops = [];
    this.recordingOps = true;
  }

  /** Stops recording; the recorded ops stay for `replay`. */
  stop(): void {
    this.recordingOps = false;
  }

  /** Performs the recorded ops again, in order. */
  replay(): void {
    const ops = this.ops;
    for (let i = 0; i < ops.length; i++) ops[i]();
  }
}
