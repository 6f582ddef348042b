// The core's custom operations (arch/core/core.ts), one handler each: what an op touches (its
// footprint for the scoreboard, hazards.ts, with range checks against the vector register file),
// how it is handed to the tile through `CoreEnvironment` (MVM, vector load/store, send, receive,
// barrier), and what a vector-ALU op costs on the core's own VFU: it occupies the VFU for
// ⌈n / lanes⌉ · cyclesPerElement cycles (× transcendentalFactor for sigmoid/tanh), and its result
// is ready pipelineCycles later (the core applies the values and keeps the VFU's time).
// Stall causes charged to ops that wait for one: `vector` (VFU), `mvm`, `memory` (vld/vst),
// `noc` (send/recv/barrier).
// Left out: the tile side of each op (arch/tile), which decides when `done` is called.

import type { CustomRequest } from "../../isa/semantics";
import { vectorOpReadsA, vectorOpReadsB } from "../../isa/vector-ops";
import type { CoreEnvironment } from "./environment";
import type { CoreParams } from "./params";
import { addRange, footprintOf, vrfRange, type Footprint, type VrfRange } from "./hazards";
import type { StallCause } from "./kind";

/**
 * The footprint of custom op `req` in a vector register file of n elements, or the message of its
 * first out-of-range operand. An MVM's ranges come from the tile (`env.mvmFootprint`).
 */
export function customOpFootprint(req: CustomRequest, n: number, env: CoreEnvironment | undefined): Footprint | string {
  const range = (lo: number, len: number, what: string): VrfRange | string => vrfRange(lo, len, what, n);
  const add = addRange;
  const reads: VrfRange[] = [];
  const writes: VrfRange[] = [];
  let cause: StallCause = "vector";
  let mask = 0;
  let vfu = false;
  let err: string | undefined;
  switch (req.kind) {
    case "vector":
      vfu = true;
      err =
        (vectorOpReadsA(req.op) ? add(reads, range(req.a, req.length, "source")) : undefined) ??
        (vectorOpReadsB(req.op) ? add(reads, range(req.b, req.length, "source")) : undefined) ??
        add(writes, range(req.dst, req.length, "destination"));
      if (req.op === "sna") err ??= add(reads, range(req.dst, req.length, "destination"));
      break;
    case "mvm": {
      cause = "mvm";
      mask = req.mask;
      const f = env!.mvmFootprint;
      err = add(reads, range(req.inAddr, f.input, "MVM input")) ?? add(writes, range(req.outAddr, f.output, "MVM output"));
      break;
    }
    case "vload":
      cause = "memory";
      err = add(writes, range(req.dst, req.length, "vld destination"));
      break;
    case "vstore":
      cause = "memory";
      err = req.consumers < 1 ? "vst needs at least one consumer (x[rs2] ≥ 1)" : add(reads, range(req.src, req.length, "vst source"));
      break;
    case "send":
    case "recv":
    case "barrier":
      cause = "noc";
      break;
  }
  return err ?? footprintOf(cause, reads, writes, mask, vfu);
}

/** Vector-register elements a tile op reads or writes in the core (vld, vst); 0 for the others. */
export function tileOpRfAccesses(req: Exclude<CustomRequest, { kind: "vector" }>): number {
  return req.kind === "vload" || req.kind === "vstore" ? req.length : 0;
}

/** Hands a custom op other than a vector-ALU op to the tile; `done` runs when it completes. */
export function startTileOp(env: CoreEnvironment, req: Exclude<CustomRequest, { kind: "vector" }>, vrf: Int32Array, done: () => void): void {
  switch (req.kind) {
    case "mvm":
      env.mvm({ mask: req.mask, inAddr: req.inAddr, outAddr: req.outAddr, block: req.block }, vrf, done);
      return;
    case "vload":
      env.load(req.tileAddr, vrf.subarray(req.dst, req.dst + req.length), done);
      return;
    case "vstore":
      env.store(req.tileAddr, vrf.subarray(req.src, req.src + req.length), req.consumers, done);
      return;
    case "send":
      env.send({ addr: req.addr, tile: req.tile, length: req.length, tag: req.tag }, done);
      return;
    case "recv":
      env.recv({ addr: req.addr, tile: req.tile, length: req.length, tag: req.tag, consumers: req.consumers }, done);
      return;
    case "barrier":
      env.barrier(req.flag, done);
      return;
  }
}

type VectorRequest = Extract<CustomRequest, { kind: "vector" }>;

function vfuFactor(v: CoreParams["vector"], req: VectorRequest): number {
  return req.op === "sig" || req.op === "tanh" ? v.transcendentalFactor : 1;
}

/** Cycles a vector op holds the VFU: ⌈n / lanes⌉ · cyclesPerElement (× transcendentalFactor for sig/tanh). */
export function vfuBusyCycles(v: CoreParams["vector"], req: VectorRequest): number {
  return Math.ceil(req.length / v.lanes) * v.cyclesPerElement * vfuFactor(v, req);
}

/** VFU element-cycles of a vector op (its `vectorOp` actions). */
export function vfuElementCycles(v: CoreParams["vector"], req: VectorRequest): number {
  return req.length * v.cyclesPerElement * vfuFactor(v, req);
}

/** Vector-register elements a vector op reads and writes (its `rfAccess` actions). */
export function vectorOpRfAccesses(req: VectorRequest): number {
  return req.length * (1 + (vectorOpReadsA(req.op) ? 1 : 0) + (vectorOpReadsB(req.op) || req.op === "sna" ? 1 : 0));
}
