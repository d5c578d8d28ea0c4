/**
 * The model's Conditional Access judgements over Graph's JSON: the activation context's policy as an allow-list
 * (every way out of the canonical form is a gap, every knob the model allows is not), and the breakglass exclusion.
 */
import { describe, expect, it } from "vitest";
import {
  activationContextGaps,
  appliesToNoUser,
  breakglassExclusion,
  caPolicyFromGraph,
  grantMeets,
  STRENGTH_POLICY_IDS,
  type ActivationStrength,
} from "@entra-baseline/model";

const GROUP = "9b000000-0000-4000-8000-000000000001";
const BG1 = "b0000000-0000-4000-8000-000000000001";
const BG2 = "b0000000-0000-4000-8000-000000000002";
const bg = {
  groupKeys: [GROUP],
  accounts: [
    { name: "bg1", key: BG1 },
    { name: "bg2", key: BG2 },
  ],
};

function canonical(strength: ActivationStrength = "mfa", extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    displayName: "activation",
    state: "enabled",
    conditions: {
      users: {
        includeUsers: ["All"],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [GROUP],
        includeRoles: [],
        excludeRoles: [],
      },
      applications: {
        includeApplications: [],
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: ["c1"],
      },
      clientAppTypes: ["all"],
      platforms: null,
      locations: null,
      signInRiskLevels: [],
      userRiskLevels: [],
    },
    grantControls: {
      operator: "OR",
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: [],
      authenticationStrength: { id: STRENGTH_POLICY_IDS[strength] },
    },
    sessionControls: {
      signInFrequency: {
        isEnabled: true,
        frequencyInterval: "everyTime",
        authenticationType: "primaryAndSecondaryAuthentication",
      },
    },
    ...extra,
  };
}

const req = (strength: ActivationStrength = "mfa") => ({ contextId: "c1", strength, breakglass: bg });
const gaps = (p: unknown, strength: ActivationStrength = "mfa") =>
  activationContextGaps(caPolicyFromGraph(p), req(strength));

describe("activationContextGaps (allow-list)", () => {
  it("accepts the canonical form, empty Graph collections and nulls included", () => {
    expect(gaps(canonical())).toEqual([]);
  });

  it("accepts the knobs: a stronger grant, AND with more controls, excluding each account instead of the group", () => {
    expect(gaps(canonical("phishingResistant"), "mfa")).toEqual([]);
    const and = canonical("mfa");
    (and.grantControls as Record<string, unknown>).operator = "AND";
    (and.grantControls as Record<string, unknown>).builtInControls = ["compliantDevice"];
    expect(gaps(and)).toEqual([]);
    const each = canonical();
    Object.assign((each.conditions as any).users, { excludeGroups: [], excludeUsers: [BG1, BG2] });
    expect(gaps(each)).toEqual([]);
  });

  it.each<[string, (p: any) => void, RegExp]>([
    ["report-only", (p) => (p.state = "enabledForReportingButNotEnforced"), /state/],
    [
      "another context",
      (p) => (p.conditions.applications.includeAuthenticationContextClassReferences = ["c2"]),
      /does not target authentication context c1/,
    ],
    [
      "also an application",
      (p) => (p.conditions.applications.includeApplications = ["All"]),
      /applications or user actions/,
    ],
    [
      "an application filter",
      (p) => (p.conditions.applications.applicationFilter = { mode: "include", rule: "x" }),
      /applications or user actions/,
    ],
    ["not all users", (p) => (p.conditions.users.includeUsers = []), /does not include all users/],
    [
      "roles only",
      (p) =>
        Object.assign(p.conditions.users, { includeUsers: [], includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] }),
      /directory roles/,
    ],
    [
      "an excluded user",
      (p) => p.conditions.users.excludeUsers.push("aaaaaaaa-0000-4000-8000-000000000001"),
      /only the emergency accounts/,
    ],
    ["an excluded role", (p) => p.conditions.users.excludeRoles.push("x"), /role x/],
    [
      "excluded guests",
      (p) => (p.conditions.users.excludeGuestsOrExternalUsers = { guestOrExternalUserTypes: "internalGuest" }),
      /guests/,
    ],
    ["browsers only", (p) => (p.conditions.clientAppTypes = ["browser"]), /client apps/],
    [
      "a platform",
      (p) => (p.conditions.platforms = { includePlatforms: ["android"], excludePlatforms: [] }),
      /platforms/,
    ],
    [
      "a location",
      (p) => (p.conditions.locations = { includeLocations: ["All"], excludeLocations: ["AllTrusted"] }),
      /locations/,
    ],
    ["a risk level", (p) => (p.conditions.userRiskLevels = ["high"]), /userRiskLevels/],
    ["insider risk", (p) => (p.conditions.insiderRiskLevels = "elevated"), /insiderRiskLevels/],
    [
      "an authentication flow",
      (p) => (p.conditions.authenticationFlows = { transferMethods: "deviceCodeFlow" }),
      /authenticationFlows/,
    ],
    ["a device filter", (p) => (p.conditions.devices = { deviceFilter: { mode: "exclude", rule: "x" } }), /devices/],
    ["a condition Graph adds later", (p) => (p.conditions.somethingNew = { x: 1 }), /somethingNew/],
    [
      "workload identities",
      (p) => (p.conditions.clientApplications = { includeServicePrincipals: ["x"], excludeServicePrincipals: [] }),
      /workload identities/,
    ],
    ["plain MFA", (p) => (p.grantControls = { operator: "OR", builtInControls: ["mfa"] }), /weaker than|plain MFA/],
    [
      "OR with a compliant device",
      (p) => p.grantControls.builtInControls.push("compliantDevice"),
      /can be met by compliantdevice/,
    ],
    ["OR with terms of use", (p) => p.grantControls.termsOfUse.push("tou"), /can be met by tou/],
    [
      "a custom strength",
      (p) => (p.grantControls.authenticationStrength = { id: "cccccccc-0000-4000-8000-000000000001" }),
      /not a built-in strength/,
    ],
    ["no grant", (p) => (p.grantControls = null), /no grant controls/],
    [
      "AND with block",
      (p) => Object.assign(p.grantControls, { operator: "AND", builtInControls: ["block"] }),
      /blocks/,
    ],
    [
      "8 hours",
      (p) =>
        (p.sessionControls.signInFrequency = {
          isEnabled: true,
          frequencyInterval: "timeBased",
          type: "hours",
          value: 8,
        }),
      /everyTime/,
    ],
    ["disabled frequency", (p) => (p.sessionControls.signInFrequency.isEnabled = false), /not enabled/],
    ["no session controls", (p) => (p.sessionControls = null), /not set/],
  ])("rejects %s", (_, change, message) => {
    const p = canonical("phishingResistant");
    change(p);
    expect(gaps(p, "phishingResistant").join("; ")).toMatch(message);
  });
});

describe("grantMeets", () => {
  it("lets the plain MFA control meet the MFA strength, never a stronger one", () => {
    expect(
      grantMeets(caPolicyFromGraph({ grantControls: { operator: "OR", builtInControls: ["mfa"] } }).grant, "mfa"),
    ).toBeUndefined();
    expect(
      grantMeets(
        caPolicyFromGraph({ grantControls: { operator: "OR", builtInControls: ["mfa"] } }).grant,
        "passwordlessMfa",
      ),
    ).toMatch(/weaker/);
  });
});

describe("breakglassExclusion", () => {
  const policy = (users: Record<string, unknown>) =>
    caPolicyFromGraph({
      conditions: {
        users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], ...users },
      },
    });

  it("is covered by the group, or by every account, or by a group each account is in", () => {
    expect(breakglassExclusion(policy({ excludeGroups: [GROUP.toUpperCase()] }), bg).exposed).toEqual([]);
    expect(breakglassExclusion(policy({ excludeUsers: [BG1, BG2] }), bg).exposed).toEqual([]);
    const nested = {
      ...bg,
      accounts: bg.accounts.map((a) => ({ ...a, memberOf: ["99999999-0000-4000-8000-000000000009"] })),
    };
    expect(
      breakglassExclusion(policy({ excludeGroups: ["99999999-0000-4000-8000-000000000009"] }), nested).exposed,
    ).toEqual([]);
  });

  it("names the accounts a policy leaves exposed, and the ones it targets", () => {
    expect(breakglassExclusion(policy({ excludeUsers: [BG1] }), bg).exposed).toEqual(["bg2"]);
    expect(breakglassExclusion(policy({ includeUsers: [BG1], excludeGroups: [GROUP] }), bg).included).toEqual(["bg1"]);
  });

  it("does not require an exclusion of a policy that applies to no user (workload identities only)", () => {
    const workload = caPolicyFromGraph({
      conditions: { users: { includeUsers: ["None"] }, clientApplications: { includeServicePrincipals: ["x"] } },
    });
    expect(appliesToNoUser(workload)).toBe(true);
    expect(breakglassExclusion(workload, bg).exposed).toEqual([]);
    expect(appliesToNoUser(policy({ includeUsers: [], includeRoles: ["x"] }))).toBe(false);
  });
});
