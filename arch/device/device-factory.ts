// The device-model factory: the named implementation (arch/device/*.ts) a validated device config
// asks for by its `kind`. Kept apart from the DeviceModel contract (device-model.ts) so that the
// implementations can import the contract without an import circle.

import type { DeviceConfig } from "./device-config";
import { IdealDevice, type DeviceModel } from "./device-model";
import { CmoHfoxDevice } from "./cmo-hfox";
import { Wan2022Device } from "./wan2022";
import { MultiLevelDevice } from "./multilevel";

/** The named implementation a validated config asks for. */
export function createDeviceModel(d: DeviceConfig): DeviceModel {
  switch (d.kind) {
    case "ideal":
      return new IdealDevice(d.gMin, d.gMax, d.perReadNoise);
    case "cmo-hfox":
      return new CmoHfoxDevice(d);
    case "wan2022":
      return new Wan2022Device(d);
    case "multilevel":
      return new MultiLevelDevice(d);
    default: {
      const never: never = d;
      throw new Error(`unknown device kind ${(never as { kind: string }).kind}`);
    }
  }
}
