/**
 * The catalogue is the one list of rules: every pack rule, every audit finding kind and every alert it names exists,
 * each of them reports a catalogue rule, and the generated docs (docs/policy-pack.md, docs/audit.md) are current.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ALERT_RULE_KEYS,
  ALL_POLICY_NAMES,
  CATALOGUE,
  entryOfFinding,
  type CatalogueEntry,
} from "@entra-baseline/model";
import { policies } from "../../../policies/rules";
import { FINDING_KINDS, type FindingId } from "../../../src/tools/audit/findings";
import { generatedDocs } from "../../../src/tools/docs/catalogue";
import { ROOT } from "../../support/stack";

const entries = CATALOGUE as readonly CatalogueEntry[];

describe("the catalogue", () => {
  it("names each rule once, with a pillar, a severity and where it is enforced", () => {
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    for (const e of entries) expect(e.pack !== undefined || e.audit.length > 0 || e.config === true, e.id).toBe(true);
  });

  it("names only pack rules the pack has, and every pack rule reports a catalogue rule", () => {
    const names = policies.map((p) => p.name);
    for (const e of entries) if (e.pack) expect(names, e.id).toContain(e.pack);
    for (const name of names)
      expect(
        entries.some((e) => e.pack === name),
        name,
      ).toBe(true);
    for (const name of names) expect(ALL_POLICY_NAMES).toContain(name);
  });

  it("maps every audit finding kind to a catalogue rule, and names only finding kinds the audit has", () => {
    for (const id of Object.keys(FINDING_KINDS) as FindingId[]) {
      if (id === "AUD-READ-FAILED") continue;
      expect(entryOfFinding(id), id).toBeDefined();
    }
    for (const e of entries)
      for (const id of e.audit) expect(Object.keys(FINDING_KINDS), `${e.id} → ${id}`).toContain(id);
    for (const e of entries) if (e.alert) expect(ALERT_RULE_KEYS).toContain(e.alert);
  });

  it("generates docs/policy-pack.md and docs/audit.md as they are committed (npm run docs:catalogue)", async () => {
    for (const [file, text] of await generatedDocs()) {
      expect(fs.readFileSync(path.join(ROOT, file), "utf8"), `${file} is stale: run npm run docs:catalogue`).toBe(text);
    }
  }, 120_000);
});
