/**
 * findings.ts: the finding kinds, each reporting a rule of the model's catalogue and taking its controls from there,
 * listed in docs/audit.md; findings sort failed reads first, then worst first.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOGUE, entryOfFinding } from "@entra-baseline/model";
import { FINDING_KINDS, finding, sortFindings, type FindingId } from "../../../src/tools/audit/findings";

const ids = Object.keys(FINDING_KINDS) as FindingId[];

describe("finding kinds", () => {
  it("each report a rule of the catalogue, which names them back", () => {
    for (const id of ids.filter((i) => i !== "AUD-READ-FAILED")) {
      const entry = entryOfFinding(id);
      expect(entry, id).toBeDefined();
      expect(entry!.audit, id).toContain(id);
    }
    const named = CATALOGUE.flatMap((e) => e.audit as readonly string[]);
    expect(named.filter((id) => !(id in FINDING_KINDS))).toEqual([]);
  });

  it("take their controls from the catalogue, and the severity may be raised or lowered per finding", () => {
    const f = finding("AUD-PERMANENT-TIER0", { object: "o", expected: "e", actual: "a" }, { severity: "high" });
    expect(f.controls).toEqual(entryOfFinding("AUD-PERMANENT-TIER0")!.controls);
    expect(f.controls).toContain("MS.AAD.7.4");
    expect(f).toMatchObject({ severity: "high", title: FINDING_KINDS["AUD-PERMANENT-TIER0"].title });
    expect(finding("AUD-READ-FAILED", { object: "o", expected: "e", actual: "a" }).controls).toEqual([]);
  });

  it("sort failed reads first, then worst first, then by kind and object", () => {
    const make = (id: FindingId, object: string) => finding(id, { object, expected: "", actual: "" });
    const sorted = sortFindings([
      make("AUD-BREAKGLASS-WEAK-METHODS", "b"),
      make("AUD-PERMANENT-TIER0", "z"),
      make("AUD-READ-FAILED", "source users"),
      make("AUD-PERMANENT-TIER0", "a"),
      make("AUD-OUTSIDE-PIM", "a"),
    ]);
    expect(sorted.map((f) => `${f.id} ${f.object}`)).toEqual([
      "AUD-READ-FAILED source users",
      "AUD-PERMANENT-TIER0 a",
      "AUD-PERMANENT-TIER0 z",
      "AUD-OUTSIDE-PIM a",
      "AUD-BREAKGLASS-WEAK-METHODS b",
    ]);
  });
});

describe("the findings catalogue in docs/audit.md", () => {
  it("lists every finding kind, with its default severity", () => {
    const doc = fs.readFileSync(path.join(__dirname, "../../../docs/audit.md"), "utf8");
    for (const [id, kind] of Object.entries(FINDING_KINDS)) {
      const row = doc.split("\n").find((l) => l.startsWith(`| \`${id}\` |`));
      expect(row, id).toBeDefined();
      expect(row, id).toContain(kind.severity);
    }
  });
});
