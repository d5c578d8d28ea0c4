/** Which existing CA policies serve one of the baseline's purposes, narrowly, and who else uses an auth context. */
import { describe, expect, it } from "vitest";
import {
  baselinePurposeOf,
  caPolicyFromGraph,
  GLOBAL_ADMINISTRATOR,
  otherPoliciesOnContext,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  STRENGTH_POLICY_IDS,
} from "@entra-baseline/model";

type Json = Record<string, any>;
function policy(mutate: (p: Json) => void = () => undefined): Json {
  const p: Json = {
    id: "p1",
    displayName: "Require MFA for everyone",
    state: "enabled",
    conditions: {
      users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: ["g"], includeRoles: [] },
      applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [] },
      clientAppTypes: ["all"],
      locations: null,
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"], customAuthenticationFactors: [], termsOfUse: [] },
  };
  mutate(p);
  return p;
}
const purpose = (p: Json) => baselinePurposeOf(caPolicyFromGraph(p));

describe("baselinePurposeOf", () => {
  it("recognises MFA for all users, by the plain control or the MFA strength", () => {
    expect(purpose(policy())).toBe("mfaAllUsers");
    expect(
      purpose(
        policy((p) => {
          p.grantControls = {
            operator: "OR",
            builtInControls: [],
            authenticationStrength: { id: STRENGTH_POLICY_IDS.mfa },
          };
        }),
      ),
    ).toBe("mfaAllUsers");
  });

  it("recognises legacy-authentication blocking", () => {
    expect(
      purpose(
        policy((p) => {
          p.conditions.clientAppTypes = ["exchangeActiveSync", "other"];
          p.grantControls.builtInControls = ["block"];
        }),
      ),
    ).toBe("blockLegacyAuthentication");
  });

  it("recognises admin MFA scoped to roles that include Global Administrator", () => {
    expect(
      purpose(
        policy((p) => {
          p.conditions.users.includeUsers = [];
          p.conditions.users.includeRoles = [GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR];
          p.grantControls = {
            operator: "OR",
            builtInControls: [],
            authenticationStrength: { id: STRENGTH_POLICY_IDS.phishingResistant },
          };
        }),
      ),
    ).toBe("adminMfa");
  });

  it.each([
    [
      "a narrowing condition",
      (p: Json) => (p.conditions.locations = { includeLocations: ["All"], excludeLocations: ["trusted"] }),
    ],
    [
      "some applications only",
      (p: Json) => (p.conditions.applications.includeApplications = ["00000003-0000-0ff1-ce00-000000000000"]),
    ],
    ["an alternative control", (p: Json) => (p.grantControls.builtInControls = ["mfa", "compliantDevice"])],
    [
      "a Microsoft-managed name",
      (p: Json) => (p.displayName = "Microsoft-managed: Multifactor authentication for all users"),
    ],
    ["browser only", (p: Json) => (p.conditions.clientAppTypes = ["browser"])],
    [
      "a group instead of all users",
      (p: Json) => {
        p.conditions.users.includeUsers = [];
        p.conditions.users.includeGroups = ["g2"];
      },
    ],
  ])("serves no baseline purpose with %s", (_what, mutate) => {
    expect(purpose(policy(mutate))).toBeUndefined();
  });
});

describe("otherPoliciesOnContext", () => {
  it("lists policies on the context other than the stack's own (by exact display name)", () => {
    const onC1 = (name: string) =>
      caPolicyFromGraph(
        policy((p) => {
          p.displayName = name;
          p.conditions.applications = { includeAuthenticationContextClassReferences: ["c1"] };
        }),
      );
    const own = "entra-baseline: fresh multifactor authentication on authentication context c1 (PIM activation)";
    const found = otherPoliciesOnContext(
      [onC1(own), onC1("Sensitive SharePoint sites"), caPolicyFromGraph(policy())],
      "c1",
      own,
    );
    expect(found.map((p) => p.name)).toEqual(["Sensitive SharePoint sites"]);
  });
});
