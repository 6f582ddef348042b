// The fidelity levels a simulation runs at (docs/architecture.md): `timing` computes time, energy
// and area only; `ideal` also computes values through the analog datapath with an ideal device;
// `physical` computes them through the device-physics kernel (noise, drift, IR drop, faults).
// This list is the only place they are written; the run configuration (app/run-config.ts) and the
// MVM unit take their type from here.

export const FIDELITIES = ["timing", "ideal", "physical"] as const;

export type Fidelity = (typeof FIDELITIES)[number];
