// `npm run bench`: prints each performance figure beside the command that reproduces it.
// `npm run bench -- --json` prints one JSON object with every key instead.
// Targets live here, never in timed tests.

import { benchKernelHold } from "../app/bench/kernel";
import { benchTraceWriter } from "../app/bench/trace-writer";
import { benchPhysicalMvm } from "../app/bench/physical-mvm";
import { benchNoc } from "../arch/noc/bench";
import { benchCoreScalar } from "../arch/core/bench";
import { benchMvmu } from "../app/bench/mvmu";
import { benchReferenceExecutors, benchReferencePerImage } from "../app/bench/reference";
import { benchRun, benchRunIsolated, type RunBenchResult } from "../app/bench/run";
import type { RunConfigInput } from "../app/run-config";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const root = path.join(__dirname, "..");

/** Best wall time in seconds of `rramsim ARGS` over `runs` fresh processes. */
function bestCliWallS(args: string[], runs: number, env: Record<string, string> = {}): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [path.join(root, "bin", "rramsim.js"), ...args], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    if (r.status !== 0) throw new Error(`rramsim ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    best = Math.min(best, s);
  }
  return best;
}

/** One `rramsim run` case in a fresh process: simulation seconds under `key`, with compile, start-up and peak memory beside it. */
function runCase(key: string, opts: RunConfigInput, extra?: (r: RunBenchResult) => Record<string, number>): Record<string, number> {
  const r = benchRunIsolated(opts);
  return {
    [key]: +r.simulate_s.toFixed(3),
    [`${key.replace(/_s$/, "")}_compile_s`]: +r.compile_s.toFixed(2),
    [`${key.replace(/_s$/, "")}_startup_s`]: +r.startup_s.toFixed(2),
    [`${key.replace(/_s$/, "")}_peak_rss_mb`]: Math.round(r.peak_rss_mb),
    ...(extra?.(r) ?? {}),
  };
}

interface Entry {
  key: string;
  what: string;
  command: string;
  target?: string;
  run: () => Record<string, number>;
}

const entries: Entry[] = [
  {
    key: "startup_s",
    what: "start-up: wall time of `rramsim --version`, best of 7 fresh processes (startup_from_dist = 1 when bin/rramsim.js ran the compiled dist/, 0 when it fell back to the sources: run `npm run build`); `rramsim run --help` best of 5; the sources through ts-node (RRAMSIM_FROM_SOURCE=1) best of 3",
    command: "npm run bench -- --only startup_s",
    target: "startup_s ≤ 0.5 s",
    run: () => {
      const distState = require("../bin/dist-state.js") as { distIsFresh(): boolean };
      return {
        startup_s: +bestCliWallS(["--version"], 7).toFixed(3),
        startup_run_help_s: +bestCliWallS(["run", "--help"], 5).toFixed(3),
        startup_from_source_s: +bestCliWallS(["--version"], 3, { RRAMSIM_FROM_SOURCE: "1" }).toFixed(3),
        startup_from_dist: distState.distIsFresh() ? 1 : 0,
      };
    },
  },
  {
    key: "kernel_events_per_s",
    what: "event kernel, hold model (1,000 pending events, 3 M events)",
    command: "npm run bench -- --only kernel_events_per_s",
    target: "≥ 3,000,000",
    run: () => {
      const r = benchKernelHold();
      return { kernel_events_per_s: Math.round(r.kernel_events_per_s), kernel_wall_s: +r.wall_s.toFixed(3) };
    },
  },
  {
    key: "trace_events_per_s",
    what: "trace stream, 3 M mixed events encoded + written through the streaming writer, read back, converted to Perfetto",
    command: "npm run bench -- --only trace_events_per_s",
    target: "≥ 2,000,000",
    run: () => {
      const r = benchTraceWriter();
      return {
        trace_events_per_s: Math.round(r.trace_events_per_s),
        trace_read_events_per_s: Math.round(r.trace_read_events_per_s),
        trace_bytes_per_event: +r.trace_bytes_per_event.toFixed(2),
        trace_perfetto_events_per_s: Math.round(r.trace_perfetto_events_per_s),
      };
    },
  },
  {
    key: "mvm_physical_per_s",
    what: "physical crossbar read, 128×128 CMO/HfOx at 1 d with per-read noise, vs a plain dot-product loop of the same size",
    command: "npm run bench -- --only mvm_physical_per_s",
    target: "mvm_physical_per_s ≥ 0.5 × dot_loop_per_s",
    run: () => {
      const r = benchPhysicalMvm();
      return { mvm_physical_per_s: Math.round(r.mvm_physical_per_s), dot_loop_per_s: Math.round(r.dot_loop_per_s), mvm_physical_vs_loop: +r.ratio.toFixed(3) };
    },
  },
  {
    key: "noc_flit_hops_per_s",
    what: "NoC model: uniform traffic at 0.008 packets/tile/cycle on ISAAC's 7 × 6 c-mesh (168 tiles), 20,000 cycles",
    command: "npm run bench -- --only noc_flit_hops_per_s",
    target: "≥ 1,000,000",
    run: () => {
      const r = benchNoc();
      return {
        noc_flit_hops_per_s: Math.round(r.noc_flit_hops_per_s),
        noc_packets_per_s: Math.round(r.noc_packets_per_s),
        noc_events_per_s: Math.round(r.noc_events_per_s),
        noc_wall_s: +r.wall_s.toFixed(3),
      };
    },
  },
  {
    key: "core_instructions_per_s",
    what: "timed control core: 64 × 64 integer matrix multiply on a standalone core (2.47 M instructions)",
    command: "npm run bench -- --only core_instructions_per_s",
    target: "≥ 2,000,000",
    run: () => {
      const r = benchCoreScalar();
      return { core_instructions_per_s: Math.round(r.core_instructions_per_s), core_wall_s: +r.wall_s.toFixed(3) };
    },
  },
  {
    key: "mvmu_ideal_per_s",
    what: "16-bit MVMs through ISAAC's MVMU on the kernel (8 × 128×128 2-bit crossbars, bit-serial, 8-bit ADCs), ideal device",
    command: "npm run bench -- --only mvmu_ideal_per_s",
    target: "≥ 1,000",
    run: () => ({ mvmu_ideal_per_s: Math.round(benchMvmu("ideal").mvms_per_s) }),
  },
  {
    key: "mvmu_physical_per_s",
    what: "16-bit MVMs through ISAAC's MVMU on the kernel, CMO/HfOx device 1 s after programming (16 input steps of 8 physical reads each)",
    command: "npm run bench -- --only mvmu_physical_per_s",
    target: "≥ 50",
    run: () => ({ mvmu_physical_per_s: Math.round(benchMvmu("physical").mvms_per_s) }),
  },
  {
    key: "reference_int_images_per_s",
    what: "zoo LeNet-5 (416,520 MACs) on 500 MNIST test images through the 8-bit integer reference executor, and the float one",
    command: "npm run bench -- --only reference_int_images_per_s",
    target: "≥ 200",
    run: () => {
      const r = benchReferenceExecutors();
      return { reference_int_images_per_s: Math.round(r.integer_images_per_s), reference_float_images_per_s: Math.round(r.float_images_per_s), reference_int_macs_per_s: Math.round(r.integer_macs_per_s) };
    },
  },
  {
    key: "reference_lenet_per_image_ms",
    what: "what rramsim run pays per LeNet-5 image for its references: runIntegerAll on the codes + runFloat (quantised model as compiled for wu2023), mean over 1,000 MNIST test images, best of 3 passes",
    command: "npm run bench -- --only reference_lenet_per_image_ms",
    run: () => {
      const r = benchReferencePerImage();
      return { reference_lenet_per_image_ms: +r.reference_per_image_ms.toFixed(3), reference_lenet_integer_ms: +r.integer_per_image_ms.toFixed(3), reference_lenet_float_ms: +r.float_per_image_ms.toFixed(3) };
    },
  },
  {
    key: "run_lenet5_ideal_wall_s",
    what: "rramsim run: LeNet-5 on PUMA, ideal fidelity, lossless ADCs, 20 MNIST images (compile + simulate)",
    command: "rramsim run --arch configs/arch/puma.yaml --model zoo:lenet5 --samples 20 --adc-bits lossless",
    target: "≤ 10 s",
    run: () => {
      const r = benchRun({ arch: "configs/arch/puma.yaml", model: "zoo:lenet5", samples: 20, adcBits: "lossless" });
      return { run_lenet5_ideal_wall_s: +r.wall_s.toFixed(2), run_lenet5_ideal_inferences_per_wall_s: +r.inferences_per_wall_s.toFixed(1) };
    },
  },
  {
    key: "mlp_puma_ideal_s",
    what: "rramsim run: MLP 1024-1024-2048-1024-10 on PUMA, ideal fidelity, one inference; simulation seconds (compile, Node start-up and peak RSS beside it; run_mlp_l4_ideal_wall_s = compile + simulate), fresh process",
    command: "rramsim run --arch configs/arch/puma.yaml --model zoo:mlp-l4 --samples 1",
    target: "≤ 0.5 s",
    run: () => runCase("mlp_puma_ideal_s", { arch: "configs/arch/puma.yaml", model: "zoo:mlp-l4", samples: 1 }, (r) => ({ run_mlp_l4_ideal_wall_s: +r.wall_s.toFixed(2) })),
  },
  {
    key: "lenet_wu_physical_1000_s",
    what: "the default run (npm start): the paper's LeNet on Wu et al.'s 4-tile chip, physical fidelity, device brram-wu2023, 1,000 MNIST test images, every image's energy booked from its own values; whole-process wall time (spawn to exit), simulation seconds beside it",
    command: "rramsim run --arch configs/arch/wu2023.yaml --device brram-wu2023 --model zoo:lenet-wu2023 --samples 1000 --fidelity physical",
    target: "≤ 15 s",
    run: () => {
      const r = benchRunIsolated({ arch: "configs/arch/wu2023.yaml", device: "brram-wu2023", model: "zoo:lenet-wu2023", samples: 1000, fidelity: "physical" });
      return {
        lenet_wu_physical_1000_s: +(r.process_wall_s ?? NaN).toFixed(2),
        lenet_wu_physical_1000_simulate_s: +r.simulate_s.toFixed(2),
        lenet_wu_physical_1000_top1: r.top1 ?? NaN,
        lenet_wu_physical_1000_peak_rss_mb: Math.round(r.peak_rss_mb),
      };
    },
  },
  {
    key: "lenet_physical_1000_s",
    what: "rramsim run: LeNet-5 on Wu et al.'s design grown to one block per MVM unit (--grow, 40 tiles), physical fidelity, device brram-wu2023, 1,000 MNIST images; simulation seconds, fresh process",
    command: "rramsim run --arch configs/arch/wu2023.yaml --device brram-wu2023 --model zoo:lenet5 --samples 1000 --fidelity physical --grow",
    target: "≤ 10 s",
    run: () =>
      runCase("lenet_physical_1000_s", { arch: "configs/arch/wu2023.yaml", device: "brram-wu2023", model: "zoo:lenet5", samples: 1000, fidelity: "physical", growTiles: true }, (r) => ({
        lenet_physical_images_per_s: +(r.samples / r.simulate_s).toFixed(1),
        lenet_physical_1000_top1: r.top1 ?? NaN,
      })),
  },
  {
    key: "lenet_physical_100_every_inference_s",
    what: "the same run on 100 images with every inference simulated event by event (no value replay): the event-level cost per image",
    command: "rramsim run --arch configs/arch/wu2023.yaml --device brram-wu2023 --model zoo:lenet5 --samples 100 --fidelity physical --grow --time-every-inference",
    run: () =>
      runCase("lenet_physical_100_every_inference_s", { arch: "configs/arch/wu2023.yaml", device: "brram-wu2023", model: "zoo:lenet5", samples: 100, fidelity: "physical", growTiles: true, timeEveryInference: true }, (r) => ({
        lenet_physical_every_inference_ms_per_image: +((1000 * r.simulate_s) / r.samples).toFixed(2),
      })),
  },
  {
    key: "resnet18_isaac_timing_s",
    what: "rramsim run: ResNet-18 (CIFAR) on ISAAC, timing fidelity, one inference; simulation seconds, fresh process",
    command: "rramsim run --arch configs/arch/isaac.yaml --model zoo:resnet18-cifar --fidelity timing",
    target: "≤ 5 s",
    run: () => runCase("resnet18_isaac_timing_s", { arch: "configs/arch/isaac.yaml", model: "zoo:resnet18-cifar", fidelity: "timing", samples: 1 }),
  },
  {
    key: "resnet18_isaac_ideal_s",
    what: "rramsim run: ResNet-18 (CIFAR) on ISAAC, ideal fidelity, one inference; simulation seconds, fresh process",
    command: "rramsim run --arch configs/arch/isaac.yaml --model zoo:resnet18-cifar --fidelity ideal --samples 1",
    target: "≤ 60 s",
    run: () => runCase("resnet18_isaac_ideal_s", { arch: "configs/arch/isaac.yaml", model: "zoo:resnet18-cifar", fidelity: "ideal", samples: 1 }),
  },
];

function main(): void {
  const args = process.argv.slice(2);
  const json = args.includes("--json");
  const onlyIdx = args.indexOf("--only");
  const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
  const out: Record<string, number> = {};
  for (const e of entries) {
    if (only !== undefined && e.key !== only) continue;
    const r = e.run();
    Object.assign(out, r);
    if (!json) {
      const figures = Object.entries(r)
        .map(([k, v]) => `${k} = ${v.toLocaleString("en-US")}`)
        .join(", ");
      process.stdout.write(`${e.what}\n  ${figures}${e.target ? `   (target ${e.target})` : ""}\n  reproduce: ${e.command}\n`);
    }
  }
  if (json) process.stdout.write(JSON.stringify(out) + "\n");
}

main();
