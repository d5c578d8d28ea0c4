/** The emergency path in a brownfield tenant: which accounts can be adopted, which policies reach them, what they lack. */
import { describe, expect, it } from "vitest";
import {
  caPolicyFromGraph,
  emergencyCandidacy,
  emergencyPathGaps,
  isCloudOnly,
  isMicrosoftManagedCaPolicy,
  policiesExcluding,
  policiesReachingEmergencyAccounts,
} from "@entra-baseline/model";

const BG1 = "b0000000-0000-4000-8000-000000000001";
const BG2 = "b0000000-0000-4000-8000-000000000002";
const GROUP = "9b000000-0000-4000-8000-000000000001";

function policy(name: string, users: Record<string, unknown>, state = "enabled") {
  return caPolicyFromGraph({
    id: name,
    displayName: name,
    state,
    conditions: {
      users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], ...users },
      applications: { includeApplications: ["All"] },
      clientAppTypes: ["all"],
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
  });
}

describe("isMicrosoftManagedCaPolicy", () => {
  it("recognises the display name prefix Microsoft gives its managed policies, whatever the case", () => {
    expect(
      isMicrosoftManagedCaPolicy(
        policy("Microsoft-managed: Multifactor authentication for admins accessing Microsoft Admin Portals", {}),
      ),
    ).toBe(true);
    expect(isMicrosoftManagedCaPolicy(policy("  microsoft-MANAGED: x", {}))).toBe(true);
    expect(isMicrosoftManagedCaPolicy(policy("Require MFA (copy of Microsoft-managed: x)", {}))).toBe(false);
  });
});

describe("isCloudOnly", () => {
  it("is false for a synchronised account or one carrying an immutable id", () => {
    expect(isCloudOnly({ onPremisesSyncEnabled: null, onPremisesImmutableId: null })).toBe(true);
    expect(isCloudOnly({ onPremisesSyncEnabled: false })).toBe(true);
    expect(isCloudOnly({ onPremisesSyncEnabled: true })).toBe(false);
    expect(isCloudOnly({ onPremisesImmutableId: "aGVsbG8=" })).toBe(false);
  });
});

describe("emergencyCandidacy", () => {
  const base = {
    upn: "bg-01@contoso.onmicrosoft.com",
    cloudOnly: true,
    permanentGlobalAdministrator: true,
    excludedFromPolicies: 3,
  };
  it("adopts a cloud-only permanent Global Administrator on the initial domain that CA excludes", () => {
    expect(emergencyCandidacy(base)).toEqual({ kind: "candidate" });
  });
  it("is no emergency account without permanent GA, or when no policy excludes it", () => {
    expect(emergencyCandidacy({ ...base, permanentGlobalAdministrator: false })).toEqual({ kind: "none" });
    expect(emergencyCandidacy({ ...base, excludedFromPolicies: 0 })).toEqual({ kind: "none" });
  });
  it("names why a look-alike cannot be adopted: synchronised, or on a custom domain", () => {
    const unfit = emergencyCandidacy({ ...base, cloudOnly: false, upn: "bg@contoso.com" });
    expect(unfit.kind).toBe("unfit");
    expect(unfit.kind === "unfit" && unfit.reasons).toEqual([
      "it is synchronised from on-premises (emergency accounts are cloud-only)",
      "bg@contoso.com is not on the initial *.onmicrosoft.com domain (emergency accounts must not depend on DNS)",
    ]);
  });
});

describe("policiesExcluding", () => {
  it("counts policies excluding the account directly or through a group it is in, not those reaching no user", () => {
    const policies = [
      policy("by user", { excludeUsers: [BG1] }),
      policy("by group", { excludeGroups: [GROUP] }),
      policy("not excluded", {}),
      policy("workload identities only", { includeUsers: ["None"] }),
    ];
    expect(policiesExcluding(policies, { key: BG1, memberOf: [GROUP] }).map((p) => p.name)).toEqual([
      "by user",
      "by group",
    ]);
    expect(policiesExcluding(policies, { key: BG2 }).map((p) => p.name)).toEqual([]);
  });
});

describe("policiesReachingEmergencyAccounts", () => {
  const bg = {
    groupKeys: [GROUP],
    accounts: [
      { name: "bg-01", key: BG1, memberOf: [GROUP] },
      { name: "bg-02", key: BG2, memberOf: [GROUP] },
    ],
  };
  it("lists each policy that does not exclude them, or names them, flagging Microsoft-managed ones", () => {
    const found = policiesReachingEmergencyAccounts(
      [
        policy("excludes the group", { excludeGroups: [GROUP] }),
        policy("Microsoft-managed: MFA for admins", {}, "enabledForReportingButNotEnforced"),
        policy("excludes one", { excludeUsers: [BG1] }),
        policy("targets the group", { includeUsers: [], includeGroups: [GROUP], excludeGroups: [GROUP] }),
      ],
      bg,
    );
    expect(found.map((f) => [f.policy.name, f.exposed, f.included, f.microsoftManaged])).toEqual([
      ["Microsoft-managed: MFA for admins", ["bg-01", "bg-02"], [], true],
      ["excludes one", ["bg-02"], [], false],
      ["targets the group", [], ["the exclusion group"], false],
    ]);
  });
});

describe("emergencyPathGaps", () => {
  it("is empty for a working account and for one the stack creates", () => {
    expect(
      emergencyPathGaps({ exists: true, enabled: true, permanentGlobalAdministrator: true, fido2Registered: true }),
    ).toEqual([]);
    expect(emergencyPathGaps({ exists: false })).toEqual([]);
  });
  it("names each gap, and an unread method list as unconfirmed", () => {
    expect(
      emergencyPathGaps({ exists: true, enabled: false, permanentGlobalAdministrator: false, fido2Registered: false }),
    ).toEqual([
      "it is disabled (accountEnabled false)",
      "it holds no permanent, direct Global Administrator assignment",
      "it has no FIDO2 key or passkey registered, so it cannot pass the MFA the admin portals require",
    ]);
    expect(emergencyPathGaps({ exists: true, enabled: true, permanentGlobalAdministrator: true })).toEqual([
      "its authentication methods were not read, so a working FIDO2 key cannot be confirmed",
    ]);
  });
});
