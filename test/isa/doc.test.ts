import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { isaReferenceMarkdown } from "../../isa/doc";
import { INSTRUCTIONS } from "../../isa/table";

describe("docs/ISA.md", () => {
  it("is up to date with the instruction table (regenerate with npm run gen:isa-doc)", () => {
    const committed = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "ISA.md"), "utf8");
    expect(committed).toBe(isaReferenceMarkdown());
  });
  it("documents every instruction of the table", () => {
    const md = isaReferenceMarkdown();
    for (const d of INSTRUCTIONS) expect(md).toContain(`\`${d.mnemonic}`);
  });
});
