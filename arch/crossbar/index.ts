export * from "./analog-array";
export * from "./physical-array";
export * from "./ir-drop";
export * from "./weight-mapping";
export { loadDevice, type DeviceConfig } from "../device/device-config";
export * from "./functional-mvm";
