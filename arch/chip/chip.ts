// A whole chip on the event kernel, built from a design (params.ts): its tiles (arch/tile/tile.ts)
// and the network that carries their messages (arch/noc). A tile's `send` becomes one NoC packet
// of ⌈length × elementBits / 8⌉ bytes from the tile's endpoint to the destination tile's; on
// delivery the message lands in the destination tile's receive buffer. The off-chip link and the
// global memory are part of the cost roll-up (cost.ts) but not yet driven by any instruction.

import { Component, childPath, defineKind, type SimContext } from "../../sim/component";
import { Noc } from "../noc/noc";
import { Tile, type TileMessage } from "../tile/tile";
import { DatapathWorkspace } from "../mvmu/datapath";
import type { MvmuArrayFactory, MvmuFidelity } from "../mvmu/mvmu";
import { chipConfigSchema, type ChipDesign } from "./params";

export const chipKind = defineKind({
  kind: "chip",
  description: "a chip: tiles on a network-on-chip, from a design file",
  params: chipConfigSchema,
  stats: {},
  actions: {},
});

export class Chip extends Component<typeof chipConfigSchema> {
  readonly design: ChipDesign;
  readonly tiles: Tile[] = [];
  readonly noc: Noc;

  constructor(ctx: SimContext, path: string, design: ChipDesign, opts: { fidelity: MvmuFidelity; arrayFactory?: MvmuArrayFactory }) {
    super(ctx, path, chipKind, design.config, { actions: {} });
    this.design = design;
    const c = design.config;
    this.noc = this.adopt(new Noc(ctx, childPath(path, "noc"), c.noc, { tiles: c.tiles, clockHz: c.clock, offchip: c.offchip, where: `${design.source}: noc` }));
    const port = (src: number) => {
      const event = `${path}.tile[${src}].send`;
      return {
        send: (dst: number, bytes: number, msg: TileMessage, accepted: () => void) => {
          this.noc.send({ src, dst, bytes, tag: msg.tag, onDelivered: () => this.tiles[dst].deliver(msg) });
          this.sim.schedule(0, accepted, 0, event);
        },
      };
    };
    // one set of datapath buffers for every MVM unit of the chip (see arch/mvmu/datapath/workspace.ts)
    const workspace = new DatapathWorkspace();
    for (let t = 0; t < c.tiles; t++) {
      this.tiles.push(this.adopt(new Tile(ctx, childPath(path, "tile", t), c.tile, { index: t, clockHz: c.clock, fidelity: opts.fidelity, port: port(t), arrayFactory: opts.arrayFactory, workspace })));
    }
  }
}
