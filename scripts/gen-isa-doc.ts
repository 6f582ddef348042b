// Writes docs/ISA.md from the instruction table (isa/table.ts).

import * as path from "node:path";
import { writeFileAtomic } from "../sim/files";
import { isaReferenceMarkdown } from "../isa/doc";

const out = path.join(__dirname, "..", "docs", "ISA.md");
writeFileAtomic(out, isaReferenceMarkdown());
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
