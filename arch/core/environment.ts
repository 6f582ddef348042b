// What a control core needs from the tile around it: the role interface through which custom
// instructions leave the core. The tile implements it (MVM units, shared memory, router port,
// barrier flags); a standalone core (`rramsim exec`) has none, and a custom instruction other than
// the vector ALU then stops the core with CORE_NEEDS_TILE.
//
// Contract: each method starts the operation at the current simulated time and calls `done`
// exactly once, at the tick the operation completes (never synchronously inside the call). The
// core guarantees that it does not touch the vector-register ranges an operation reads or writes
// until `done` (its scoreboard stalls dependent instructions), and that MVMs on the same unit do
// not overlap.

export interface CoreMvmRequest {
  /** bit u set: run MVM unit u */
  mask: number;
  /** element address of the input vector (vector register file or tile memory, as the tile maps it) */
  inAddr: number;
  /** element address of the output vector */
  outAddr: number;
  /** one weight block of the (single) unit named by the mask (`mvmb`); absent: the whole programmed block (`mvm`) */
  block?: number;
}

export interface CoreEnvironment {
  /** elements an MVM reads at inAddr and writes at outAddr (the core's scoreboard footprint) */
  readonly mvmFootprint: { input: number; output: number };
  /** MVM on the units in the mask; `vrf` is the core's vector register file */
  mvm(req: CoreMvmRequest, vrf: Int32Array, done: () => void): void;
  /** tile memory [tileAddr, +out.length) → `out` (a view of the core's vector register file), synchronised (valid bits) */
  load(tileAddr: number, out: Int32Array, done: () => void): void;
  /** `values` (a view of the vector register file) → tile memory at tileAddr, valid for `consumers` reads */
  store(tileAddr: number, values: Int32Array, consumers: number, done: () => void): void;
  /** send tile memory [addr, +length) to tile `tile` with `tag` */
  send(req: { addr: number; tile: number; length: number; tag: number }, done: () => void): void;
  /** receive `length` elements from tile `tile` with `tag` into tile memory at addr, valid for `consumers` reads */
  recv(req: { addr: number; tile: number; length: number; tag: number; consumers: number }, done: () => void): void;
  /** wait until the tile signals `flag` */
  barrier(flag: number, done: () => void): void;
}
