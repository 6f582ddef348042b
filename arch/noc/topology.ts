// NoC topologies: where the routers sit, which tiles hang off each router, which router neighbours
// which, and the dimension-order (XY) route between two routers.
//
// Contract of `Topology`: routers are numbered r = y·width + x on a width × height grid; each
// router has four directional ports (east = +x, west = −x, north = +y, south = −y) and
// `concentration` local ports; tile t sits at router ⌊t / concentration⌋ on local slot
// t mod concentration. `neighbour(r, dir)` is the router at the far end of the link leaving r in
// `dir`, or −1 when that port is unconnected. `nextDir(r, target)` is the output direction of
// dimension-order routing (X first, then Y), or −1 when r is the target. `hops` counts the
// router-to-router links of that route.
//
// Implementations: MeshTopology (`mesh`, one tile per router), ConcentratedMeshTopology (`cmesh`,
// c tiles per router, ISAAC/PUMA style), TorusTopology (`torus`, wrap-around links, shortest
// direction per dimension, ties split by coordinate parity).
// Deadlock: XY routing on a mesh has no cyclic channel dependency, so mesh and c-mesh are deadlock
// free. On a torus the wrap-around rings do form cycles; the NoC breaks them with a dateline
// (router.ts): two virtual channels per input port, a packet moves to VC 1 when it crosses a ring's
// wrap-around link and back to VC 0 when it turns into the next dimension. A minimal route crosses
// each wrap-around link at most once, so neither VC class closes a cycle.

export const DIR_EAST = 0;
export const DIR_WEST = 1;
export const DIR_NORTH = 2;
export const DIR_SOUTH = 3;
export const DIR_NAMES = ["east", "west", "north", "south"] as const;

/** The direction whose link arrives from the opposite side (east ↔ west, north ↔ south). */
export function oppositeDir(dir: number): number {
  return dir ^ 1;
}

export type TopologyKind = "mesh" | "cmesh" | "torus";

export interface Topology {
  readonly kind: TopologyKind;
  readonly width: number;
  readonly height: number;
  readonly concentration: number;
  readonly routers: number;
  routerOfTile(tile: number): number;
  slotOfTile(tile: number): number;
  neighbour(router: number, dir: number): number;
  nextDir(router: number, target: number): number;
  hops(from: number, to: number): number;
}

/** Router numbering and tile placement shared by every grid topology. */
abstract class GridTopology implements Topology {
  abstract readonly kind: TopologyKind;
  readonly routers: number;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly concentration = 1,
  ) {
    this.routers = width * height;
  }

  routerOfTile(tile: number): number {
    return Math.floor(tile / this.concentration);
  }

  slotOfTile(tile: number): number {
    return tile % this.concentration;
  }

  abstract neighbour(router: number, dir: number): number;
  abstract nextDir(router: number, target: number): number;
  abstract hops(from: number, to: number): number;
}

export class MeshTopology extends GridTopology {
  readonly kind: TopologyKind = "mesh";

  neighbour(router: number, dir: number): number {
    const x = router % this.width;
    const y = (router - x) / this.width;
    switch (dir) {
      case DIR_EAST:
        return x + 1 < this.width ? router + 1 : -1;
      case DIR_WEST:
        return x > 0 ? router - 1 : -1;
      case DIR_NORTH:
        return y + 1 < this.height ? router + this.width : -1;
      case DIR_SOUTH:
        return y > 0 ? router - this.width : -1;
      default:
        return -1;
    }
  }

  nextDir(router: number, target: number): number {
    const x = router % this.width;
    const tx = target % this.width;
    if (tx > x) return DIR_EAST;
    if (tx < x) return DIR_WEST;
    const y = (router - x) / this.width;
    const ty = (target - tx) / this.width;
    if (ty > y) return DIR_NORTH;
    if (ty < y) return DIR_SOUTH;
    return -1;
  }

  hops(from: number, to: number): number {
    const fx = from % this.width;
    const tx = to % this.width;
    return Math.abs(fx - tx) + Math.abs((from - fx) / this.width - (to - tx) / this.width);
  }
}

/** A mesh with `concentration` tiles per router (ISAAC's and PUMA's c-mesh, c = 4). */
export class ConcentratedMeshTopology extends MeshTopology {
  override readonly kind: TopologyKind = "cmesh";
}

export class TorusTopology extends GridTopology {
  readonly kind: TopologyKind = "torus";

  neighbour(router: number, dir: number): number {
    const w = this.width;
    const h = this.height;
    const x = router % w;
    const y = (router - x) / w;
    switch (dir) {
      case DIR_EAST:
        return w > 1 ? y * w + ((x + 1) % w) : -1;
      case DIR_WEST:
        return w > 1 ? y * w + ((x + w - 1) % w) : -1;
      case DIR_NORTH:
        return h > 1 ? ((y + 1) % h) * w + x : -1;
      case DIR_SOUTH:
        return h > 1 ? ((y + h - 1) % h) * w + x : -1;
      default:
        return -1;
    }
  }

  /**
   * The shorter way round each ring; a tie (exactly half the ring) goes the positive way from an
   * even coordinate and the negative way from an odd one, so both directions carry equal load.
   */
  nextDir(router: number, target: number): number {
    const w = this.width;
    const x = router % w;
    const tx = target % w;
    if (tx !== x) return positiveWay((tx - x + w) % w, w, x) ? DIR_EAST : DIR_WEST;
    const h = this.height;
    const y = (router - x) / w;
    const ty = (target - tx) / w;
    if (ty !== y) return positiveWay((ty - y + h) % h, h, y) ? DIR_NORTH : DIR_SOUTH;
    return -1;
  }

  hops(from: number, to: number): number {
    const w = this.width;
    const h = this.height;
    const fx = from % w;
    const tx = to % w;
    const dx = Math.abs(fx - tx);
    const dy = Math.abs((from - fx) / w - (to - tx) / w);
    return Math.min(dx, w - dx) + Math.min(dy, h - dy);
  }
}

function positiveWay(forward: number, ring: number, at: number): boolean {
  return 2 * forward < ring || (2 * forward === ring && at % 2 === 0);
}

export function makeTopology(kind: TopologyKind, width: number, height: number, concentration: number): Topology {
  switch (kind) {
    case "mesh":
      return new MeshTopology(width, height, 1);
    case "cmesh":
      return new ConcentratedMeshTopology(width, height, concentration);
    case "torus":
      return new TorusTopology(width, height, 1);
  }
}
