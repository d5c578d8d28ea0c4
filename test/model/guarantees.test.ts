/**
 * Every guarantee from one table of cases (test/support/world/cases.ts), through both adapters: the pack (every rule,
 * as the analyzer server runs them, at update and at preview) and the audit (the production reader over a loopback
 * tenant, then the checks). A violation must be reported by the rule's own pack policy and by one of its audit
 * findings; a clean case must draw no mandatory violation and no finding above info.
 */
import { describe, expect, it } from "vitest";
import { catalogueEntry, type CatalogueEntry } from "@entra-baseline/model";
import { CASES, type GuaranteeCase } from "../support/world/cases";
import { worldConfig } from "../support/world/config";
import { auditWorld, packViolations } from "../support/world/run";
import { worldPackConfig, worldStack, type Mode } from "../support/world/stack";
import { worldTenant } from "../support/world/tenant";

function packSide(c: GuaranteeCase): boolean {
  return c.stack !== undefined || c.both === true;
}
function auditSide(c: GuaranteeCase): boolean {
  return c.tenant !== undefined || c.both === true;
}

describe("the table of cases", () => {
  it("covers every guarantee with dangerous and legitimate cases, through both adapters", () => {
    const dangerous = CASES.filter((c) => c.verdict === "violation");
    const legit = CASES.filter((c) => c.verdict === "clean");
    expect(dangerous.length).toBeGreaterThanOrEqual(60);
    expect(legit.length).toBeGreaterThanOrEqual(15);
    for (const g of [1, 2, 3, 4, 5, 6, 8]) {
      const rules = CASES.filter((c) => (catalogueEntry(c.rule) as CatalogueEntry).guarantee === g);
      expect(rules.length, `guarantee ${g}`).toBeGreaterThan(0);
    }
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    for (const c of CASES) expect(packSide(c) || auditSide(c), c.name).toBe(true);
  });
});

describe.each(CASES.filter(packSide))("pack: $name", (c) => {
  const entry = catalogueEntry(c.rule) as CatalogueEntry;
  it.each((c.modes ?? ["update", "preview"]) as Mode[])(`${c.verdict} at %s`, async (mode) => {
    const config = worldConfig(c.config);
    const stack = worldStack(config, mode);
    c.stack?.(stack, config, mode);
    const violations = await packViolations(stack, worldPackConfig(config));
    if (c.verdict === "violation") {
      expect(entry.pack, `${c.rule} has a pack rule`).toBeDefined();
      expect(
        violations.filter((v) => v.policy === entry.pack),
        `expected ${entry.pack} to report; got ${JSON.stringify(violations.map((v) => [v.policy, v.message]))}`,
      ).not.toEqual([]);
    } else {
      expect(violations.filter((v) => v.enforcement === "mandatory").map((v) => `${v.policy}: ${v.message}`)).toEqual(
        [],
      );
    }
  });
});

describe.each(CASES.filter(auditSide))("audit: $name", (c) => {
  const entry = catalogueEntry(c.rule) as CatalogueEntry;
  it.concurrent(c.verdict, async () => {
    const config = worldConfig(c.config);
    const data = worldTenant(config);
    c.tenant?.(data, config);
    const result = await auditWorld(data, config);
    if (c.verdict === "violation") {
      expect(entry.audit.length, `${c.rule} has audit findings`).toBeGreaterThan(0);
      expect(
        result.findings.filter((f) => (entry.audit as readonly string[]).includes(f.id)),
        `expected one of ${entry.audit.join(", ")}; got ${JSON.stringify(result.findings.map((f) => [f.id, f.actual]))}`,
      ).not.toEqual([]);
    } else {
      expect(
        result.findings.filter((f) => f.severity !== "info").map((f) => `${f.id} ${f.object}: ${f.actual}`),
      ).toEqual([]);
    }
  });
});
