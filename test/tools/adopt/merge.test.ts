/**
 * Adopt into an existing stack file: what the file already decides wins, every comment and key stays, people are
 * added, emergency accounts are matched by object id and name; and the files it cannot merge are refused with a
 * message naming the key (exit 2 at the CLI), before anything is written.
 */
import { describe, expect, it } from "vitest";
import { StackMergeError } from "../../../src/tools/adopt/stackDocument";
import { BG_ALPHA_ID, BG_BRAVO_ID, BROWNFIELD_TENANT_ID } from "../../support/fakes/brownfield";
import { adoptBrownfield, existingStack, writtenConfig } from "../../support/adopt/harness";

const EXISTING = `# Fabrikam production: owned by the identity team.
config:
  azure-native:location: northeurope # the monitoring region
  entra-baseline:tenant:
    tenantId: ${BROWNFIELD_TENANT_ID}
    cloud: public
  entra-baseline:pim:
    eligibleAdmins:
      - lidia.holloway@fabrikam.com # on call
      - new.hire@fabrikam.com
    approvers:
      users:
        - lidia.holloway@fabrikam.com
        - alex.wilber@fabrikam.com
    notificationRecipients:
      - identity-team@fabrikam.com
    activationStrength: mfa # phishing-resistant once everyone has a key
  entra-baseline:breakglass:
    # one account is known already
    accounts:
      - name: bg-alpha
      - name: breakglass-09
  entra-baseline:monitoring:
    resourceGroupName: rg-identity-monitoring
    actionGroup:
      emails: [soc@fabrikam.com]
`;

describe("merging into an existing stack file", () => {
  it("keeps every comment and decision of the file, and adds what the tenant holds", async () => {
    const result = await adoptBrownfield({ existing: existingStack(EXISTING) });
    const text = result.stackText;
    for (const line of [
      "# Fabrikam production: owned by the identity team.",
      "azure-native:location: northeurope # the monitoring region",
      "- lidia.holloway@fabrikam.com # on call",
      "activationStrength: mfa # phishing-resistant once everyone has a key",
      "# one account is known already",
      "resourceGroupName: rg-identity-monitoring",
    ])
      expect(text).toContain(line);
    const config = writtenConfig(result);
    // Existing entries first, then the tenant's, each once (lidia is both).
    expect(config.pim.eligibleAdmins.slice(0, 2)).toEqual(["lidia.holloway@fabrikam.com", "new.hire@fabrikam.com"]);
    expect(config.pim.eligibleAdmins.filter((a: string) => a === "lidia.holloway@fabrikam.com")).toHaveLength(1);
    expect(config.pim.eligibleAdmins).toContain("alex.wilber@fabrikam.com");
    // The file's approvers, recipients and monitoring win over the live policy's.
    expect(config.pim.approvers).toEqual({ users: ["lidia.holloway@fabrikam.com", "alex.wilber@fabrikam.com"] });
    expect(config.pim.notificationRecipients).toEqual(["identity-team@fabrikam.com"]);
    expect(config.monitoring).toEqual({
      resourceGroupName: "rg-identity-monitoring",
      actionGroup: { emails: ["soc@fabrikam.com"] },
    });
    expect(result.changes).not.toContain("set pim.approvers");
    expect(result.changes).toContain("set tenant.initialDomain");
  }, 60_000);

  it("matches emergency accounts by name (adding the object id) and appends the others", async () => {
    const result = await adoptBrownfield({ existing: existingStack(EXISTING) });
    expect(writtenConfig(result).breakglass.accounts).toEqual([
      { name: "bg-alpha", objectId: BG_ALPHA_ID },
      { name: "breakglass-09" },
      { name: "bg-bravo", displayName: "Break Glass Bravo", objectId: BG_BRAVO_ID },
    ]);
    expect(result.changes).toContain("set breakglass.accounts[0].objectId (bg-alpha)");
    // breakglass-09 does not exist: the stack creates it, and the preflight says so.
    expect(result.report.notices.map((n) => n.text)).toContain(
      "emergency account breakglass-09@fabrikam.onmicrosoft.com is created by the stack: register two FIDO2 keys for it (runbook) before enforcing any policy",
    );
  }, 60_000);

  it("is idempotent: adopting again over its own output changes nothing", async () => {
    const first = await adoptBrownfield({ existing: existingStack(EXISTING) });
    const second = await adoptBrownfield({ existing: existingStack(first.stackText) });
    expect(second.stackText).toBe(first.stackText);
    expect(second.changes).toEqual([]);
  }, 60_000);

  it.each([
    [
      "an account whose object id contradicts the tenant",
      EXISTING.replace(
        "      - name: bg-alpha\n",
        "      - name: bg-alpha\n        objectId: 0b5e0000-0000-4000-8000-00000000dead\n",
      ),
      `breakglass.accounts[0] "bg-alpha" has objectId 0b5e0000-0000-4000-8000-00000000dead, but the tenant's bg-alpha is ${BG_ALPHA_ID}`,
    ],
    [
      "an account adopted under another name",
      EXISTING.replace("      - name: bg-alpha\n", `      - name: emergency-1\n        objectId: ${BG_ALPHA_ID}\n`),
      `breakglass.accounts[0] names account ${BG_ALPHA_ID} "emergency-1", but its UPN is bg-alpha@…`,
    ],
    ["a section that is not a map", "config:\n  entra-baseline:pim: everyone\n", "pim is not a map"],
    [
      "a list that is not a list",
      "config:\n  entra-baseline:pim:\n    eligibleAdmins: alex.wilber@fabrikam.com\n",
      "pim.eligibleAdmins is not a list",
    ],
    [
      "another initial domain",
      `config:\n  entra-baseline:tenant:\n    tenantId: ${BROWNFIELD_TENANT_ID}\n    initialDomain: contoso.onmicrosoft.com\n`,
      "tenant.initialDomain is contoso.onmicrosoft.com, but the tenant's initial domain is fabrikam.onmicrosoft.com",
    ],
  ])("refuses %s, naming it", async (_what, text, problem) => {
    const attempt = adoptBrownfield({ existing: existingStack(text) });
    await expect(attempt).rejects.toBeInstanceOf(StackMergeError);
    await expect(attempt).rejects.toThrow(
      `Pulumi.prod.yaml: cannot merge the proposal into this stack file: ${problem}; nothing was written`,
    );
  });

  it("refuses a stack of another tenant", async () => {
    const other = "11111111-2222-3333-4444-555555555555";
    await expect(
      adoptBrownfield({ existing: existingStack(`config:\n  entra-baseline:tenant:\n    tenantId: ${other}\n`) }),
    ).rejects.toThrow(
      `the snapshot is of tenant ${BROWNFIELD_TENANT_ID}, but the stack governs tenant ${other} (tenant.tenantId): nothing was written`,
    );
  });

  it("refuses a merged stack the config validation rejects, with every problem", async () => {
    const attempt = adoptBrownfield({
      existing: existingStack(`config:\n  entra-baseline:limits:\n    globalAdmins: { min: 1, max: 9 }\n`),
    });
    await expect(attempt).rejects.toThrow(/the stack adopt would write is not a valid entra-baseline configuration/);
    await expect(attempt).rejects.toThrow(/limits\.globalAdmins\.min: 1 loosens the model's bound/);
  });
});
