// A FIFO of flits in struct-of-arrays form (packet id, flit index, tick the flit is ready for
// switch allocation, output port chosen by route computation for head flits). Router input
// buffers are bounded by credits, so their queues never grow past the buffer depth; the local
// injection queues and the off-chip receive queue are unbounded and grow by doubling.

export class FlitQueue {
  packet: Int32Array;
  flit: Int32Array;
  ready: Float64Array;
  out: Int8Array;
  private head = 0;
  size = 0;

  constructor(capacity: number) {
    const cap = Math.max(2, capacity);
    this.packet = new Int32Array(cap);
    this.flit = new Int32Array(cap);
    this.ready = new Float64Array(cap);
    this.out = new Int8Array(cap);
  }

  push(packet: number, flit: number, ready: number, out: number): void {
    if (this.size === this.packet.length) this.grow();
    const cap = this.packet.length;
    const i = (this.head + this.size) % cap;
    this.packet[i] = packet;
    this.flit[i] = flit;
    this.ready[i] = ready;
    this.out[i] = out;
    this.size++;
  }

  get headPacket(): number {
    return this.packet[this.head];
  }
  get headFlit(): number {
    return this.flit[this.head];
  }
  get headReady(): number {
    return this.ready[this.head];
  }
  get headOut(): number {
    return this.out[this.head];
  }

  pop(): void {
    this.head = (this.head + 1) % this.packet.length;
    this.size--;
  }

  private grow(): void {
    const cap = this.packet.length;
    const n = cap * 2;
    const packet = new Int32Array(n);
    const flit = new Int32Array(n);
    const ready = new Float64Array(n);
    const out = new Int8Array(n);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) % cap;
      packet[k] = this.packet[i];
      flit[k] = this.flit[i];
      ready[k] = this.ready[i];
      out[k] = this.out[i];
    }
    this.packet = packet;
    this.flit = flit;
    this.ready = ready;
    this.out = out;
    this.head = 0;
  }
}
