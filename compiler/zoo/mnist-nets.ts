// The architectures of the zoo's two MNIST networks, shared by the trainer (scripts/train.ts) and
// the model builders (compiler/zoo/zoo.ts), so the trained weights and the model graph cannot
// disagree about layer order or shapes.
//   mlp-mnist: 784-256-128-10 with ReLU.
//   lenet5: LeNet-5 (LeCun et al. 1998) with ReLU and max-pooling in place of the original's
//   scaled tanh and trainable subsampling: conv 6@5×5 pad 2 → ReLU → max-pool 2×2 → conv 16@5×5 →
//   ReLU → max-pool 2×2 → fc 120 → ReLU → fc 84 → ReLU → fc 10.

import type { TrainLayerSpec } from "./trainer";

export type MnistNetName = "mlp-mnist" | "lenet5";

export const MNIST_NETS: Record<MnistNetName, TrainLayerSpec[]> = {
  "mlp-mnist": [{ kind: "dense", outFeatures: 256 }, { kind: "relu" }, { kind: "dense", outFeatures: 128 }, { kind: "relu" }, { kind: "dense", outFeatures: 10 }],
  lenet5: [
    { kind: "conv", outChannels: 6, kernel: 5, pad: 2 },
    { kind: "relu" },
    { kind: "maxpool2" },
    { kind: "conv", outChannels: 16, kernel: 5, pad: 0 },
    { kind: "relu" },
    { kind: "maxpool2" },
    { kind: "dense", outFeatures: 120 },
    { kind: "relu" },
    { kind: "dense", outFeatures: 84 },
    { kind: "relu" },
    { kind: "dense", outFeatures: 10 },
  ],
};
