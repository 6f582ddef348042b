import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { TraceFileWriter } from "../../traces/writer";
import { readTrace } from "../../traces/reader";
import { exportTracePerfetto } from "../../traces/perfetto";
import { RramsimError } from "../../sim/errors";
import { tmpDir } from "./helpers";

const dir = tmpDir("corrupt");
const good = path.join(dir, "good.rtrace");
{
  const w = new TraceFileWriter(good);
  const c = w.component("chip.tile[0].adc");
  const k = w.kind("adc.convert", "slice", { argNames: ["conversions"] });
  for (let i = 0; i < 50; i++) w.slice(c, k, i * 1000, 781, i);
  w.close();
}
const bytes = fs.readFileSync(good);

function failure(file: string): RramsimError {
  try {
    readTrace(file);
  } catch (e) {
    if (e instanceof RramsimError) return e;
    throw e;
  }
  throw new Error(`${file} was read without error`);
}

function variant(name: string, data: Uint8Array): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, data);
  return f;
}

describe("corrupt and truncated traces", () => {
  it("every truncation of a valid trace is an INPUT_FILE error naming the file and a byte offset, or reads a prefix of the events", () => {
    const all = readTrace(good).events;
    // the 9-byte prefix, the version, the header, and each 10-12 byte record: cut at every byte
    for (let cut = 0; cut < bytes.length; cut++) {
      const f = variant(`cut${cut}.rtrace`, bytes.subarray(0, cut));
      let events;
      try {
        events = readTrace(f).events;
      } catch (e) {
        expect(e).toBeInstanceOf(RramsimError);
        expect((e as RramsimError).code).toBe("INPUT_FILE");
        expect((e as RramsimError).message).toContain(f);
        expect((e as RramsimError).message).toMatch(/byte \d+/);
        expect((e as RramsimError).message).not.toContain("\n");
        fs.rmSync(f);
        continue;
      }
      // a cut exactly between records is a shorter, valid trace
      expect(all.slice(0, events.length)).toEqual(events);
      fs.rmSync(f);
    }
  });

  it("the error names the offset of the broken record", () => {
    const cut = bytes.length - 3; // inside the last record
    const e = failure(variant("last.rtrace", bytes.subarray(0, cut)));
    const m = /byte (\d+)/.exec(e.message)!;
    const at = Number(m[1]);
    expect(at).toBeLessThan(cut);
    // records here are under 128 bytes, so the byte at the offset is the record's whole length prefix,
    // and the record it announces ends exactly where the uncut file ends
    expect(at + 1 + bytes[at]).toBe(bytes.length);
  });

  it("wrong magic, unsupported version and garbage records are INPUT_FILE errors", () => {
    const noMagic = Buffer.from(bytes);
    noMagic[0] = 0x58;
    expect(failure(variant("magic.rtrace", noMagic)).code).toBe("INPUT_FILE");
    const v2 = Buffer.from(bytes);
    v2[9] = 2;
    expect(failure(variant("v2.rtrace", v2)).message).toMatch(/version 2/);
    const junk = Buffer.concat([bytes, Buffer.from([3, 0x1a, 1, 0])]);
    expect(failure(variant("junk.rtrace", junk)).message).toMatch(new RegExp(`byte ${bytes.length}`));
    // an event naming component 5 when only one is declared
    const badId = Buffer.concat([bytes, Buffer.from([6, 0x0a, 4, 0x08, 1, 0x10, 5])]);
    expect(failure(variant("id.rtrace", badId)).message).toMatch(/component 5/);
    expect(failure(path.join(dir, "missing.rtrace")).code).toBe("INPUT_FILE");
  });

  it("a failed conversion leaves no output file", () => {
    const bad = variant("bad.rtrace", bytes.subarray(0, bytes.length - 2));
    const out = path.join(dir, "out.pftrace");
    expect(() => exportTracePerfetto(bad, out)).toThrow(RramsimError);
    expect(fs.readdirSync(dir).filter((f) => f.includes("out.pftrace"))).toEqual([]);
  });

  it("an output that cannot be created is an OUTPUT_FILE error, for the writer and the exporters", () => {
    const nowhere = path.join(dir, "no-such-folder", "x");
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as RramsimError).code;
      }
      return undefined;
    };
    expect(code(() => new TraceFileWriter(nowhere))).toBe("OUTPUT_FILE");
    expect(code(() => exportTracePerfetto(good, nowhere))).toBe("OUTPUT_FILE");
  });
});
