// `rramsim` command line: flags in, noc.ts out (app/).

import { type Command } from "commander";
import { TRAFFIC_PATTERNS, type TrafficPattern } from "../../arch/noc/traffic";
import { choiceArg, intArg, numberArg, printJson } from "../io";
import { DEFAULT_SEED } from "../../sim/random";
import { archNocTraffic, formatArchNoc } from "../../app/experiments/noc";
import { InvalidArgumentError } from "commander";

export function registerNoc(program: Command): void {
  program
    .command("noc")
    .description("synthetic traffic on a design's network-on-chip: latency and accepted throughput per injection rate")
    .requiredOption("--arch <file>", "design file (configs/arch/*.yaml)")
    .option("--pattern <p>", `traffic pattern: ${TRAFFIC_PATTERNS.join(", ")}`, choiceArg(TRAFFIC_PATTERNS), "uniform")
    .requiredOption("--rate <r,...>", "injection rates, packets per tile per NoC cycle, in (0, 1]", ratesArg)
    .option("--cycles <n>", "measurement window, NoC cycles (after a warm-up of n/10)", intArg(1, 100_000_000), 10_000)
    .option("--packet-bytes <n>", "bytes per packet (default 32: PUMA's 16 × 16-bit words)", intArg(1, 1 << 20), 32)
    .option("--hotspot-fraction <f>", "hotspot pattern: share of packets sent to tile 0", numberArg(0, 1), 0.2)
    .option("--seed <n>", "random seed", intArg(), DEFAULT_SEED)
    .option("--json", "print one JSON object")
    .action((opts: { arch: string; pattern: TrafficPattern; rate: number[]; cycles: number; packetBytes: number; hotspotFraction: number; seed: number; json?: boolean }) => {
      const r = archNocTraffic({ arch: opts.arch, pattern: opts.pattern, rates: opts.rate, cycles: opts.cycles, seed: opts.seed, packetBytes: opts.packetBytes, hotspotFraction: opts.hotspotFraction });
      if (opts.json) printJson(r);
      else process.stdout.write(formatArchNoc(r));
    });
}

export function ratesArg(v: string): number[] {
  const rates = v.split(",").map((s) => numberArg(0, 1)(s.trim()));
  if (rates.some((x) => x <= 0)) throw new InvalidArgumentError("rates must be > 0.");
  return rates;
}
