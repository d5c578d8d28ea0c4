/**
 * Adopt over Fabrikam's brownfield snapshot (test/support/fakes/brownfield.ts): what the proposed stack file says,
 * each value traced to what the tenant holds. The import file and the preflight have their own specs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../../../src/config/validate";
import type { AdoptResult } from "../../../src/tools/adopt/adopt";
import {
  ADMINS,
  BG_ALPHA_ID,
  BG_BRAVO_ID,
  BREAKGLASS_GROUP_ID,
  BROWNFIELD_DOMAIN,
  BROWNFIELD_TENANT_ID,
  DEPLOYER_ID,
  HELPDESK_GROUP_ID,
  HELPDESK_MEMBERS,
  SECOPS_GROUP_ID,
  SYNC_ACCOUNT_ID,
} from "../../support/fakes/brownfield";
import { adoptBrownfield, writtenConfig } from "../../support/adopt/harness";

let result: AdoptResult;
let config: Record<string, any>;

beforeAll(async () => {
  result = await adoptBrownfield();
  config = writtenConfig(result);
}, 60_000);

const upns = (how: string[], role: string) =>
  ADMINS.filter((a) => how.includes(a.how) && a.roles.includes(role))
    .map((a) => a.upn)
    .sort();

describe("the proposed stack file", () => {
  it("pins the stack to the tenant read, with its initial domain", () => {
    expect(config.tenant).toEqual({ tenantId: BROWNFIELD_TENANT_ID, initialDomain: BROWNFIELD_DOMAIN });
  });

  it("makes every person holding Global Administrator today eligible, standing or eligible, and no one else", () => {
    const ga = "62e90394-69f5-4237-9190-012177145e10";
    expect([...config.pim.eligibleAdmins].sort()).toEqual(upns(["direct", "pim", "eligible"], ga));
    // Not the emergency accounts, not the sync account, not the deploying identity.
    expect(config.pim.eligibleAdmins.join(" ")).not.toMatch(/bg-alpha|bg-bravo|Sync_|de910000/);
  });

  it("writes too many Global Administrators as found and says so, never trimming", () => {
    expect(config.pim.eligibleAdmins).toHaveLength(10);
    expect(result.accepted.map((i) => i.path)).toContain("pim.eligibleAdmins");
    expect(result.accepted.find((i) => i.path === "pim.eligibleAdmins")!.message).toMatch(
      /10 eligible \+ 2 breakglass = 12 Global Administrators; CISA MS\.AAD\.7\.1 allows 2–8/,
    );
  });

  it("writes a role's live approvers as found, even when its only approver is one of its requesters, and says so", () => {
    const security = config.pim.roles.find((r: any) => r.role === "Security Administrator");
    expect(security.approvers.users).toEqual(["former.admin@fabrikam.com"]);
    const i = config.pim.roles.indexOf(security);
    expect(result.accepted.find((a) => a.path === `pim.roles[${i}].eligibleUsers[0]`)?.message).toMatch(
      /^"former\.admin@fabrikam\.com" is the only approver of their own activation of Security Administrator/,
    );
    // The preflight names the same requester as a lock-out risk.
    expect(
      result.report.risks.some(
        (r) =>
          r.kind === "approvers" &&
          r.object.includes("former.admin@fabrikam.com") &&
          r.object.includes("Security Administrator"),
      ),
    ).toBe(true);
  });

  it("proposes every other Tier-0 role in pim.roles, with its eligible users and groups", () => {
    const byRole = Object.fromEntries(config.pim.roles.map((r: any) => [r.role, r]));
    expect(Object.keys(byRole).sort()).toEqual([
      "Conditional Access Administrator",
      "Exchange Administrator",
      "Privileged Role Administrator",
      "Security Administrator",
      "User Administrator",
    ]);
    expect(byRole["Security Administrator"].eligibleUsers).toEqual(
      upns(["direct", "pim", "eligible"], "194ae4cb-b126-40b2-bd5b-6091b380977d"),
    );
    expect(byRole["Security Administrator"].eligibleGroups).toEqual([SECOPS_GROUP_ID]);
    // Its own live approver (disabled since) is kept for the preflight to report, not dropped.
    expect(byRole["Security Administrator"].approvers).toEqual({ users: ["former.admin@fabrikam.com"], groups: [] });
    expect(byRole["Exchange Administrator"]).not.toHaveProperty("approvers");
  });

  it("turns a group holding a Tier-0 role actively into PIM for Groups, its members eligible for membership", () => {
    expect(config.pim.groups).toEqual([
      {
        group: HELPDESK_GROUP_ID,
        label: "Tier0 Helpdesk",
        roles: ["User Administrator"],
        eligibleMembers: HELPDESK_MEMBERS.map((m) => m.upn).sort(),
      },
    ]);
  });

  it("proposes the service identities as exceptions with their object ids and a reason to fill in", () => {
    expect(config.exceptions).toEqual([
      {
        principal: DEPLOYER_ID,
        principalType: "servicePrincipal",
        label: "fabrikam-iac-deploy",
        roles: ["Application Administrator", "Privileged Role Administrator"],
        reason:
          "FILL IN: why fabrikam-iac-deploy must hold Application Administrator, Privileged Role Administrator standing",
        owner: "FILL IN",
        expires: "2025-08-31",
      },
      {
        principal: SYNC_ACCOUNT_ID,
        principalType: "user",
        label: `Sync_FABDC01_5f3a9c2e1b7d@${BROWNFIELD_DOMAIN}`,
        roles: ["Directory Synchronization Accounts"],
        reason: `FILL IN: why Sync_FABDC01_5f3a9c2e1b7d@${BROWNFIELD_DOMAIN} must hold Directory Synchronization Accounts standing`,
        owner: "FILL IN",
        expires: "2025-08-31",
      },
    ]);
    expect(result.stackText).toContain(
      "# proposed by adopt: fill in the reason and owner, and shorten the expiry to what you need",
    );
    expect(result.proposal.notes.filter((n) => n.topic === "exceptions" && n.todo)).toHaveLength(2);
  });

  it("adopts the emergency accounts by object id, keeping their passwords, and the group CA excludes them through", () => {
    expect(config.breakglass).toEqual({
      accounts: [
        { name: "bg-alpha", displayName: "Break Glass Alpha", objectId: BG_ALPHA_ID },
        { name: "bg-bravo", displayName: "Break Glass Bravo", objectId: BG_BRAVO_ID },
      ],
      groupName: "BreakGlass Exclusion",
      usageLocation: "DE",
    });
    expect(result.config.breakglass.accounts.map((a) => a.password)).toEqual(["keepExisting", "keepExisting"]);
    expect(result.proposal.exclusionGroup).toEqual({
      id: BREAKGLASS_GROUP_ID,
      displayName: "BreakGlass Exclusion",
      adoptable: true,
    });
  });

  it("names the look-alike that cannot be an emergency account (custom domain) and keeps it a person", () => {
    const note = result.proposal.notes.find((n) =>
      n.text.startsWith("johanna.lorenz@fabrikam.com holds Global Administrator permanently"),
    );
    expect(note).toMatchObject({ topic: "emergency", todo: true });
    expect(note!.text).toContain("not on the initial *.onmicrosoft.com domain");
    expect(config.pim.eligibleAdmins).toContain("johanna.lorenz@fabrikam.com");
  });

  it("takes approvers and recipients from the live Global Administrator policy, and a context no policy uses", () => {
    expect(config.pim.approvers).toEqual({ users: ["alex.wilber@fabrikam.com"], groups: [] });
    expect(config.pim.notificationRecipients).toEqual(["secops@fabrikam.com"]);
    // c1 serves "Require compliant device for sensitive sites": activation would have to satisfy it too.
    expect(config.pim.authenticationContextId).toBe("c2");
    expect(result.proposal.notes.map((n) => n.text)).toContain(
      'authentication context c1 is already used by "Require compliant device for sensitive sites": proposed c2, which no policy uses',
    );
  });

  it("keeps the state and strength of the CA policies it adopts, so adopting never weakens one", () => {
    expect(config.conditionalAccess).toEqual({
      adminMfa: { state: "enabledForReportingButNotEnforced", strength: "phishingResistant" },
      blockLegacyAuthentication: { state: "enabled" },
      mfaAllUsers: { state: "enabled" },
    });
    expect(result.proposal.adoptedPolicies.map((p) => [p.purpose, p.displayName])).toEqual([
      ["adminMfa", "Admins: phishing-resistant MFA"],
      ["blockLegacyAuthentication", "Block legacy authentication"],
      ["mfaAllUsers", "Require MFA for all users"],
    ]);
  });

  it("is valid config once the decisions it leaves are made, and says why each entry was adopted", () => {
    // The decisions: who stays eligible for GA (12 > 8), and a second approver for alex and for Security Administrator.
    const raw = structuredClone(config);
    raw.pim.eligibleAdmins = raw.pim.eligibleAdmins.slice(0, 6);
    raw.pim.approvers.users.push("lidia.holloway@fabrikam.com");
    raw.pim.roles
      .find((r: any) => r.role === "Security Administrator")
      .approvers.users.push("lidia.holloway@fabrikam.com");
    const validated = validateConfig(raw);
    expect(validated.errors).toEqual([]);
    expect(result.stackText).toMatch(/^# Proposed by npm run adopt from tenant f4b1c0de-/);
    expect(result.stackText).toContain("- alex.wilber@fabrikam.com # adopted: holds Global Administrator today");
    expect(result.stackText).toContain("# as the adopted policy is today (adopting never weakens it)");
  });
});

describe("password choice for adopted emergency accounts", () => {
  it("rotate: the accounts get generated passwords, the first up resets them, and the report says so", async () => {
    const rotated = await adoptBrownfield({ password: "rotate" });
    expect(writtenConfig(rotated).breakglass.accounts.map((a: any) => a.password)).toEqual(["generate", "generate"]);
    expect(
      rotated.imports.created.filter((c) => c.type === "random:index/randomPassword:RandomPassword").map((c) => c.name),
    ).toEqual(["breakglass-bg-alpha-password", "breakglass-bg-bravo-password"]);
    expect(rotated.report.notices.map((n) => n.text)).toContain(
      "emergency account bg-alpha@fabrikam.onmicrosoft.com gets the stack's generated password at the first up: its current password stops working; do the custody step of the rotation runbook right after",
    );
  });

  it("keep (the default): no generator is declared for them at all", () => {
    expect(result.imports.created.some((c) => c.type === "random:index/randomPassword:RandomPassword")).toBe(false);
    expect(result.report.notices.map((n) => n.text)).toContain(
      "emergency account bg-alpha@fabrikam.onmicrosoft.com keeps its current password (keepExisting): the stack does not set it, so the password rule (256 random characters) is unverifiable until it is rotated through the custody runbook",
    );
  });
});
