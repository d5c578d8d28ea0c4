/**
 * The adopted stack under the real plan and policy pack (child processes, as a user runs them): an adopted emergency
 * account that keeps its password gets no password input and no generator, the pack's breakglass-accounts rule
 * accepts it and baseline-advisories reports its password as unverifiable; and `npm run plan -- --preflight` finds the
 * same lock-out risks adopt found, refusing a snapshot of another tenant.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { providerTypes } from "@entra-baseline/model";
import type { AdoptResult } from "../../../src/tools/adopt/adopt";
import { runCli, tempDir, type CliResult } from "../../support/cli";
import { BG_ALPHA_ID, BG_BRAVO_ID } from "../../support/fakes/brownfield";
import { adoptBrownfield, BROWNFIELD_SNAPSHOT } from "../../support/adopt/harness";

let adopted: AdoptResult;
let dir: string;
let plan: CliResult;
let planJson: any;
let preflightRun: CliResult;

beforeAll(async () => {
  adopted = await adoptBrownfield();
  // The decisions adopt leaves to the user: who stays eligible for GA, and a second approver (for GA, and for
  // Security Administrator, whose only live approver is one of its requesters).
  const doc = parseDocument(adopted.stackText);
  const admins = doc.getIn(["config", "entra-baseline:pim", "eligibleAdmins"]) as { items: unknown[] };
  admins.items.splice(6);
  doc.setIn(
    ["config", "entra-baseline:pim", "approvers", "users"],
    ["alex.wilber@fabrikam.com", "lidia.holloway@fabrikam.com"],
  );
  const roles = (doc.toJS() as any).config["entra-baseline:pim"].roles as { role: string }[];
  doc.setIn(
    [
      "config",
      "entra-baseline:pim",
      "roles",
      roles.findIndex((r) => r.role === "Security Administrator"),
      "approvers",
      "users",
    ],
    ["former.admin@fabrikam.com", "lidia.holloway@fabrikam.com"],
  );
  dir = tempDir("adopted-stack");
  fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), doc.toString());
  // One after the other: the policy pack's start-up is the slow part, and two at once only compete for the CPU.
  plan = await runCli("plan", ["--cwd", dir, "--stack", "prod", "--json"]);
  preflightRun = await runCli("plan", [
    "--cwd",
    dir,
    "--stack",
    "prod",
    "--json",
    "--no-policy",
    "--preflight",
    BROWNFIELD_SNAPSHOT,
  ]);
  if (!plan.stdout) throw new Error(`plan failed (${plan.code}): ${plan.stderr}`);
  planJson = JSON.parse(plan.stdout);
}, 180_000);

describe("the adopted stack under npm run plan", () => {
  it("declares the adopted emergency accounts with no password input and no generator", () => {
    const users = planJson.resources.filter((r: any) => r.type === providerTypes.user);
    expect(users.map((u: any) => u.inputs.userPrincipalName).sort()).toEqual([
      "bg-alpha@fabrikam.onmicrosoft.com",
      "bg-bravo@fabrikam.onmicrosoft.com",
    ]);
    for (const u of users) expect(u.inputs).not.toHaveProperty("password");
    expect(planJson.resources.filter((r: any) => r.type === providerTypes.randomPassword)).toEqual([]);
    // The plan's mocks give them the object ids they will have once imported.
    const group = planJson.resources.find((r: any) => r.type === providerTypes.group);
    expect([...group.inputs.members].sort()).toEqual([BG_ALPHA_ID, BG_BRAVO_ID].sort());
  });

  it("passes the pack's breakglass-accounts rule, and baseline-advisories says the kept passwords are unverifiable", () => {
    const violations = planJson.policy.violations as { policyName: string; message: string }[];
    expect(violations.filter((v) => v.policyName === "breakglass-accounts")).toEqual([]);
    const advisories = violations.filter((v) => v.policyName === "baseline-advisories").map((v) => v.message);
    for (const upn of ["bg-alpha@fabrikam.onmicrosoft.com", "bg-bravo@fabrikam.onmicrosoft.com"])
      expect(advisories.some((m) => m.includes(`Emergency account ${upn} keeps its existing password`))).toBe(true);
  });
});

describe("npm run plan -- --preflight", () => {
  it("runs adopt's preflight on the planned stack: exit 1 with the same risks, the decided ones gone", () => {
    expect(preflightRun.stderr).toBe("");
    expect(preflightRun.code).toBe(1);
    const report = JSON.parse(preflightRun.stdout).preflight;
    expect(report.lockOutRisks).toBe(report.risks.length);
    const kinds = (r: { risks: { kind: string; object: string }[] }) =>
      r.risks.map((x) => `${x.kind} ${x.object}`).sort();
    const decided = adopted.report.risks.filter(
      (r) =>
        r.kind !== "globalAdminCount" &&
        !(r.kind === "approvers" && r.object.startsWith("alex.wilber")) &&
        // A second, active approver for Security Administrator: its requesters have someone to ask now.
        !(r.kind === "approvers" && r.object.endsWith("→ Security Administrator") && !r.object.startsWith("approver ")),
    );
    // Four GA admins fewer: their own risks go too (henrietta stays: she is among the six kept).
    expect(kinds(report)).toEqual(kinds({ risks: decided }));
  });

  it("refuses a snapshot of another tenant before declaring anything (exit 2)", async () => {
    const other = path.join(tempDir("other-snapshot"), "snapshot.json");
    const snapshot = JSON.parse(fs.readFileSync(BROWNFIELD_SNAPSHOT, "utf8"));
    snapshot.tenantId = "11111111-2222-3333-4444-555555555555";
    snapshot.adopt.sources.organization[0].id = "11111111-2222-3333-4444-555555555555";
    fs.writeFileSync(other, JSON.stringify(snapshot));
    const res = await runCli("plan", ["--cwd", dir, "--stack", "prod", "--no-policy", "--preflight", other]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      "is of tenant 11111111-2222-3333-4444-555555555555, but the stack governs tenant f4b1c0de-7a2e-4c3b-9d8e-0a1b2c3d4e5f (tenant.tenantId): nothing was written",
    );
    expect(res.stdout).toBe("");
  }, 60_000);
});
