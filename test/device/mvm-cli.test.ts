import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildMvmOptions, parseTimes, runMvmCommand } from "../../app/experiments/mvm";
import { codeOf } from "./helpers";
import { cli } from "../spawn";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rramsim-mvm-"));
function file(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

describe("mvm options", () => {
  it("times accept units and bare seconds", () => {
    expect(parseTimes("1s,1h,1d,1y,10y")).toEqual([1, 3600, 86400, 365 * 86400, 3650 * 86400]);
    expect(parseTimes("0,2.5")).toEqual([0, 2.5]);
  });
  it("bad flag values are CLI_ARGUMENT errors", () => {
    expect(codeOf(() => buildMvmOptions({ device: "" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", rows: "many" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", irDrop: "spice" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", time: "1s,,2s" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", time: "1fortnight" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", dacBits: "1" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", adcBound: "15" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmOptions({ device: "wan2022", acceptance: "0.2" }))).toBe("CLI_ARGUMENT");
    expect(codeOf(() => buildMvmOptions({ device: "cmo-hfox", acceptance: "1" }))).toBe("CLI_ARGUMENT");
  });
  it("malformed weight and input files are INPUT_FILE errors", () => {
    expect(codeOf(() => buildMvmOptions({ device: "ideal", weights: file("w1.json", "[[1, 2], [3") }))).toBe("INPUT_FILE");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", weights: file("w2.json", "[[1, 2], [3]]") }))).toBe("INPUT_FILE");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", weights: file("w3.json", '[[1, "x"]]') }))).toBe("INPUT_FILE");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", weights: file("w4.json", "{}") }))).toBe("INPUT_FILE");
    const w = file("w.json", "[[1, 0], [0, 1], [0.5, -0.5]]");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", weights: w, inputs: file("x1.json", "[[0.1, 0.2]]") }))).toBe("INPUT_FILE");
    expect(codeOf(() => buildMvmOptions({ device: "ideal", weights: w, inputs: file("x2.json", "[[0.1, 0.2, 3]]") }))).toBe("INPUT_FILE");
  });
  it("weights and inputs from files give the hand-computed product on the ideal device", () => {
    // W (3 inputs × 2 outputs) = [[1,0],[0,1],[0.5,-0.5]], x = [0.2, -0.4, 1] → y = [0.7, −0.9]; exact on the ideal device
    const o = buildMvmOptions({ device: "ideal", weights: file("w.json", "[[1, 0], [0, 1], [0.5, -0.5]]"), inputs: file("x.json", "[[0.2, -0.4, 1]]") });
    expect([o.rows, o.cols, o.vectors]).toEqual([3, 2, 1]);
    expect(runMvmCommand(o).points[0].rmse).toBeLessThan(1e-15);
  });
});

describe("rramsim mvm (CLI)", () => {
  it("--json prints one object with points in the order of --time, and --plot writes an SVG", () => {
    const svg = path.join(tmp, "rmse.svg");
    const r = cli(["mvm", "--device", "cmo-hfox", "--rows", "16", "--cols", "8", "--vectors", "10", "--dac-bits", "6", "--adc-bits", "8", "--ir-drop", "linear", "--time", "1d,1s", "--json", "--plot", svg]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.device).toBe("cmo-hfox");
    expect([j.rows, j.cols]).toEqual([16, 8]);
    expect(j.ir_drop).toMatch(/^linear/);
    expect(j.points.map((p: { time_s: number }) => p.time_s)).toEqual([86400, 1]);
    expect(fs.readFileSync(svg, "utf8").startsWith("<svg")).toBe(true);
  });
  it("a bad flag is one line on stderr and exit 2; a malformed weights file names the file", () => {
    const a = cli(["mvm", "--device", "ideal", "--ir-drop", "spice"]);
    expect(a.code).toBe(2);
    expect(a.stderr.trim().split("\n")).toHaveLength(1);
    const bad = file("bad.json", "[[1, 2], [3]]");
    const b = cli(["mvm", "--device", "ideal", "--weights", bad, "--plot", path.join(tmp, "never.svg")]);
    expect(b.code).toBe(2);
    expect(b.stderr.trim().split("\n")).toHaveLength(1);
    expect(b.stderr).toContain("bad.json");
    expect(fs.existsSync(path.join(tmp, "never.svg"))).toBe(false);
  });
});
