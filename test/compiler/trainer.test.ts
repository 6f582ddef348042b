import { describe, expect, it } from "vitest";
import { SequentialNet } from "../../compiler/zoo/trainer";
import { randomArray } from "./helpers";

const SPECS = [{ kind: "conv" as const, outChannels: 2, kernel: 3, pad: 1 }, { kind: "relu" as const }, { kind: "maxpool2" as const }, { kind: "dense" as const, outFeatures: 3 }];

describe("zoo trainer", () => {
  it("backpropagation matches central finite differences of the loss", () => {
    const net = new SequentialNet({ c: 1, h: 6, w: 6 }, SPECS, 4);
    const x = Float64Array.from(randomArray(1, "x", 36));
    const label = 2;
    net.lossAndGradients(x, label);
    const h = 1e-6;
    let checked = 0;
    for (const layer of net.layers) {
      for (const p of layer.params) {
        const grad = Float64Array.from(p.grad);
        for (let i = 0; i < p.value.length; i += 3) {
          const v = p.value[i];
          p.value[i] = v + h;
          const up = net.lossAndGradients(x, label);
          p.value[i] = v - h;
          const down = net.lossAndGradients(x, label);
          p.value[i] = v;
          expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 5);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("training is deterministic: the same seed gives the same weights bit for bit", () => {
    const images = randomArray(2, "imgs", 16 * 36);
    const labels = Uint8Array.from({ length: 16 }, (_, i) => i % 3);
    const train = () => {
      const net = new SequentialNet({ c: 1, h: 6, w: 6 }, SPECS, 9);
      net.train(images, labels, 16, { epochs: 2, batchSize: 4, learningRate: 1e-2, lrDecay: 0.5, seed: 9 });
      return net.trainedParams();
    };
    expect(train()).toEqual(train());
  });
});
