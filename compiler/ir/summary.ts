// A per-layer summary of a model: kinds, output shapes, weight-matrix geometry (K × N and output
// positions, as the mapper sees them), parameters and multiply-accumulates per inference.

import { convGeometry } from "../reference/kernels";
import type { Model } from "./model";

export interface LayerSummary {
  name: string;
  kind: string;
  inputs: string[];
  output_shape: number[];
  /** dense/conv: weight-matrix rows, columns and MVMs per inference */
  k?: number;
  n?: number;
  positions?: number;
  parameters: number;
  macs: number;
}

export interface ModelSummary {
  name: string;
  input: { name: string; shape: number[] };
  output: { name: string; shape: number[] };
  parameters: number;
  macs: number;
  layers: LayerSummary[];
}

export function summarizeModel(model: Model): ModelSummary {
  const layers: LayerSummary[] = model.nodes.map((node) => {
    const base = { name: node.name, kind: node.kind, inputs: node.inputs, output_shape: model.shapes[node.output] };
    if (node.kind === "dense") {
      return { ...base, k: node.inFeatures, n: node.outFeatures, positions: 1, parameters: node.weight.length + node.bias.length, macs: node.weight.length };
    }
    if (node.kind === "conv2d") {
      const g = convGeometry(node, model.shapes[node.inputs[0]], model.shapes[node.output]);
      return { ...base, k: g.k, n: g.n, positions: g.positions, parameters: node.weight.length + node.bias.length, macs: g.k * g.n * g.positions };
    }
    return { ...base, parameters: 0, macs: 0 };
  });
  return {
    name: model.name,
    input: { ...model.input },
    output: { name: model.output, shape: model.shapes[model.output] },
    parameters: layers.reduce((a, l) => a + l.parameters, 0),
    macs: layers.reduce((a, l) => a + l.macs, 0),
    layers,
  };
}
