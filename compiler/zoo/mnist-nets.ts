// The architectures of the zoo's trained MNIST networks, shared by the trainer (scripts/train.ts) and
// the model builders (compiler/zoo/zoo.ts), so the trained weights and the model graph cannot
// disagree about layer order or shapes.
//   mlp-mnist: 784-256-128-10 with ReLU.
//   lenet5: LeNet-5 (LeCun et al. 1998) with ReLU and max-pooling in place of the original's
//   scaled tanh and trainable subsampling: conv 6@5×5 pad 2 → ReLU → max-pool 2×2 → conv 16@5×5 →
//   ReLU → max-pool 2×2 → fc 120 → ReLU → fc 84 → ReLU → fc 10.
//   lenet-wu2023: the LeNet that Wu et al. train on chip ("Bulk-Switching Memristor-based
//   Compute-In-Memory Module for Deep Neural Network Training", arXiv 2305.14547, Adv. Mater.
//   2023; §2.5, Figure 5a: two 5×5 convolutions and one fully connected layer): conv 4@5×5, no
//   padding (28×28 → 24×24) → ReLU → max-pool 2×2 (→ 12×12) → conv 12@5×5, no padding (→ 8×8) →
//   ReLU → max-pool 2×2 (→ 4×4) → flatten 12·4·4 = 192 → fc 10. These widths give the paper's
//   Table 2 figures (6.4k devices, 273k FLOPs, 6 crossbars): 4·25 + 12·4·25 + 192·10 = 100 +
//   1,200 + 1,920 = 3,220 weights (+ 4 + 12 + 10 = 26 biases), 6,440 devices as differential
//   pairs; 100·576 + 1,200·64 + 1,920 = 136,320 MACs (24·24 = 576 and 8·8 = 64 output
//   positions) = 273k FLOPs; on 64×64 arrays with two columns per weight, 1 + 2 + 3 = 6 arrays
//   (25 rows × 8 columns; 100 × 24; 192 × 20).

import type { TrainLayerSpec } from "./trainer";

export type MnistNetName = "mlp-mnist" | "lenet5" | "lenet-wu2023";

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
  "lenet-wu2023": [
    { kind: "conv", outChannels: 4, kernel: 5, pad: 0 },
    { kind: "relu" },
    { kind: "maxpool2" },
    { kind: "conv", outChannels: 12, kernel: 5, pad: 0 },
    { kind: "relu" },
    { kind: "maxpool2" },
    { kind: "dense", outFeatures: 10 },
  ],
};
