export * from "./device-config";
export * from "./device-model";
export * from "./cmo-hfox";
export * from "./wan2022";
export * from "./multilevel";
export * from "./cell-variation";
export * from "./device-factory";
