import { describe, expect, it } from "vitest";
import { cli } from "../spawn";

describe("rramsim CLI basics", () => {
  it("--version prints the package version", () => {
    const r = cli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(require("../../package.json").version);
  });
  it("--help lists describe", () => {
    const r = cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/describe/);
  });
  it("describe prints the built-in stage kind with params, stats and actions", () => {
    const r = cli(["describe", "stage", "--json"]);
    expect(r.code).toBe(0);
    const [k] = JSON.parse(r.stdout);
    expect(k.kind).toBe("stage");
    expect(Object.keys(k.params)).toContain("serviceTime");
    expect(Object.keys(k.stats)).toContain("utilisation");
    expect(Object.keys(k.actions)).toEqual(["serve"]);
  });
  it("an unknown kind is a one-line error and exit 2", () => {
    const r = cli(["describe", "flux-capacitor"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^rramsim: describe: no component kind 'flux-capacitor'/);
  });
  it("a bad flag value is a one-line error and exit 2, no stack trace", () => {
    const r = cli(["demo", "--jobs", "many"]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it("a bad config names the file and field", () => {
    const r = cli(["demo", "--config", "test/sim/fixtures/bad-demo.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-demo\.yaml: stages\[1\]\.serviceTime: /);
  });
});
