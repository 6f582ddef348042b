// The analog MVM unit: params, encodings, ADC models, parts, datapath, timing, cost, presets.

export * from "./params";
export * from "./adc-models";
export * from "./encoding";
export * from "./timing";
export * from "./cost";
export * from "./part";
export * from "./dac";
export * from "./crossbar";
export * from "./sample-hold";
export * from "./adc";
export * from "./shift-add";
export * from "./registers";
export * from "./datapath";
export * from "./mvmu";
export * from "./presets";
export { IdealArray } from "../crossbar/ideal-array";
