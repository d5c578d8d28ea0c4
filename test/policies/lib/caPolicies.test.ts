/**
 * The stack's Conditional Access policies as the model's facts: azuread's ConditionalAccessPolicy inputs (its own
 * field names, typed from the provider's args so a renamed field fails to compile) translated to Graph's JSON and read
 * by the model's caPolicyFromGraph, as the Graph-written policy's props are; preview-time unknowns in the user lists
 * replaced by keys per the adapter's rule.
 */
import { describe, expect, it } from "vitest";
import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import { dynamicTypeToken, providerTypes, STRENGTH_POLICY_IDS } from "@entra-baseline/model";
import { breakglassView } from "../../../policies/lib/breakglass";
import { breakglassKeys, stackCaPolicies } from "../../../policies/lib/caPolicies";
import { StackIndex } from "../../../policies/lib/stack";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { policyResources } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import type { FixtureInputs } from "../../support/world/inputs";
import { dependsOn, resource } from "../../support/world/stack";

type CaArgs = FixtureInputs<typeof providerTypes.conditionalAccessPolicy>;
type CaUsers = pulumi.Unwrap<azuread.types.input.ConditionalAccessPolicyConditionsUsers>;
const GROUP_ID = "48158ddc-73f1-5520-8194-5dee12c4513a";
const BG_ID = "3e51fb47-f7df-52c0-94d6-6be4c366fee9";

const bgUser = (objectId: string) =>
  resource(providerTypes.user, "bg", { userPrincipalName: "breakglass-01@contoso.onmicrosoft.com", objectId });
const bgGroup = (objectId: string) =>
  resource(providerTypes.group, "bg-group", { displayName: "Emergency access accounts", objectId });

function facts(resources: PlannedResource[]) {
  const index = new StackIndex(policyResources(resources));
  const view = breakglassView(index, {
    breakglassUpns: ["breakglass-01"],
    breakglassGroupName: "Emergency access accounts",
  });
  return { policies: stackCaPolicies(index, view), keys: breakglassKeys(view) };
}

const azureadPolicy = (name: string, args: CaArgs) => resource(providerTypes.conditionalAccessPolicy, name, args);

describe("stackCaPolicies: azuread's inputs", () => {
  it("translates every field the model reads from azuread's names to Graph's", () => {
    const args: CaArgs = {
      displayName: "Admins need MFA",
      state: "enabled",
      conditions: {
        clientAppTypes: ["browser", "mobileAppsAndDesktopClients"],
        applications: {
          includedApplications: ["All"],
          excludedApplications: ["app-1"],
          includedUserActions: ["urn:user:registersecurityinfo"],
        },
        users: {
          includedUsers: ["All"],
          excludedUsers: [BG_ID.toUpperCase()],
          includedGroups: ["g-in"],
          excludedGroups: [GROUP_ID],
          includedRoles: ["r-in"],
          excludedRoles: ["r-out"],
          includedGuestsOrExternalUsers: [
            { guestOrExternalUserTypes: ["b2bCollaborationGuest"], externalTenants: [{ membershipKind: "all" }] },
          ],
        },
        clientApplications: { includedServicePrincipals: ["sp-1"], excludedServicePrincipals: ["sp-2"] },
        locations: { includedLocations: ["All"], excludedLocations: ["AllTrusted"] },
        signInRiskLevels: ["high"],
      },
      grantControls: {
        operator: "AND",
        builtInControls: ["compliantDevice"],
        termsOfUses: ["tou-1"],
        authenticationStrengthPolicyId: `/policies/authenticationStrengthPolicies/${STRENGTH_POLICY_IDS.phishingResistant}`,
      },
      sessionControls: {
        signInFrequencyInterval: "everyTime",
        signInFrequencyAuthenticationType: "primaryAndSecondaryAuthentication",
      },
    };
    const [p] = facts([azureadPolicy("admins-mfa", args)]).policies;
    expect(p!.unresolved).toEqual([]);
    expect(p!.facts).toEqual({
      name: "Admins need MFA",
      state: "enabled",
      users: {
        includeUsers: ["all"],
        excludeUsers: [BG_ID],
        includeGroups: ["g-in"],
        excludeGroups: [GROUP_ID],
        includeRoles: ["r-in"],
        excludeRoles: ["r-out"],
        includeGuests: true,
        excludeGuests: false,
      },
      applications: {
        include: ["all"],
        exclude: ["app-1"],
        userActions: ["urn:user:registersecurityinfo"],
        contexts: [],
        filtered: false,
      },
      clientAppTypes: ["browser", "mobileappsanddesktopclients"],
      servicePrincipals: ["sp-1"],
      otherConditions: ["locations", "signInRiskLevels", "clientApplications"],
      grant: {
        operator: "AND",
        builtInControls: ["compliantdevice"],
        customAuthenticationFactors: [],
        termsOfUse: ["tou-1"],
        strengthId: STRENGTH_POLICY_IDS.phishingResistant,
      },
      signInFrequency: {
        isEnabled: true,
        interval: "everyTime",
        authenticationType: "primaryAndSecondaryAuthentication",
      },
    });
  });

  it("reads a time-based sign-in frequency as such, and no session controls as none", () => {
    const timed = azureadPolicy("timed", {
      displayName: "t",
      sessionControls: { signInFrequency: 8, signInFrequencyPeriod: "hours" },
    });
    const plain = azureadPolicy("plain", { displayName: "p" });
    const [a, b] = facts([timed, plain]).policies;
    expect(a!.facts.signInFrequency).toEqual({ isEnabled: true, interval: "timeBased", authenticationType: undefined });
    expect(b!.facts.signInFrequency).toBeUndefined();
    expect(b!.facts.grant).toBeUndefined();
  });
});

describe("stackCaPolicies: the Graph-written policy", () => {
  it("reads the model's own resource's props as Graph's JSON, and names it by its displayName", () => {
    const graph = resource(dynamicTypeToken("graphConditionalAccessPolicy"), "activation", {
      displayName: "Fresh MFA on c1",
      state: "enabled",
      conditions: {
        users: { includeUsers: ["All"], excludeGroups: [GROUP_ID] },
        applications: { includeAuthenticationContextClassReferences: ["c1"] },
        clientAppTypes: ["all"],
      },
      grantControls: { operator: "OR", authenticationStrength: { id: STRENGTH_POLICY_IDS.mfa } },
      sessionControls: { signInFrequency: { isEnabled: true, frequencyInterval: "everyTime" } },
      graphEndpoint: "https://graph.microsoft.com",
    });
    const [p] = facts([graph]).policies;
    expect(p!.facts).toMatchObject({
      name: "Fresh MFA on c1",
      users: { includeUsers: ["all"], excludeGroups: [GROUP_ID] },
      applications: { contexts: ["c1"] },
      grant: { operator: "OR", strengthId: STRENGTH_POLICY_IDS.mfa },
      signInFrequency: { isEnabled: true, interval: "everyTime" },
    });
  });
});

describe("stackCaPolicies: preview-time unknowns", () => {
  const withUsers = (users: CaUsers, ...sources: PlannedResource[]) =>
    dependsOn(
      azureadPolicy("p", {
        displayName: "p",
        state: "enabled",
        conditions: {
          clientAppTypes: ["all"],
          applications: { includedApplications: ["All"] },
          users,
        },
      }),
      "conditions",
      ...sources,
    );

  it("takes an unknown exclusion as the emergency principal of its kind when only emergency principals feed the conditions", () => {
    const user = bgUser(unknownStringValue);
    const group = bgGroup(unknownStringValue);
    const { policies, keys } = facts([
      user,
      group,
      withUsers(
        { includedUsers: ["All"], excludedGroups: [unknownStringValue], excludedUsers: [unknownStringValue] },
        user,
        group,
      ),
    ]);
    expect(policies[0]!.facts.users.excludeGroups).toEqual([group.urn.toLowerCase()]);
    expect(policies[0]!.facts.users.excludeUsers).toEqual([user.urn.toLowerCase()]);
    expect(keys).toEqual({
      groupKeys: [group.urn],
      accounts: [{ name: "breakglass-01@contoso.onmicrosoft.com", key: user.urn }],
    });
  });

  it("keeps an unknown as an unknown key when anything else unknown feeds the conditions, and never resolves an inclusion", () => {
    const group = bgGroup(unknownStringValue);
    const decoy = resource(providerTypes.group, "decoy", { displayName: "decoy", objectId: unknownStringValue });
    const { policies } = facts([
      group,
      decoy,
      withUsers(
        { includedUsers: ["All"], includedGroups: [unknownStringValue], excludedGroups: [unknownStringValue] },
        group,
        decoy,
      ),
    ]);
    expect(policies[0]!.facts.users.excludeGroups).toEqual([expect.stringMatching(/^unknown:.*:excludegroups\[0\]$/)]);
    expect(policies[0]!.facts.users.includeGroups).toEqual([expect.stringMatching(/^unknown:.*:includegroups\[0\]$/)]);
  });

  it("lets principals whose ids are already known and named locations feed the conditions without spoiling the resolution", () => {
    const group = bgGroup(unknownStringValue);
    const known = resource(providerTypes.user, "known", {
      userPrincipalName: "k@contoso.com",
      objectId: "aaaaaaaa-0000-4000-8000-000000000001",
    });
    const location = resource("azuread:index/namedLocation:NamedLocation", "trusted", { displayName: "Trusted" });
    const { policies } = facts([
      group,
      known,
      location,
      withUsers({ includedUsers: ["All"], excludedGroups: [unknownStringValue] }, group, known, location),
    ]);
    expect(policies[0]!.facts.users.excludeGroups).toEqual([group.urn.toLowerCase()]);
  });

  it("reports top-level fields it cannot know at preview instead of guessing them", () => {
    const p = azureadPolicy("p", {
      displayName: "p",
      state: unknownStringValue,
      conditions: {
        users: unknownStringValue,
        clientAppTypes: [unknownStringValue],
        applications: { includedApplications: ["All"] },
      },
      grantControls: { operator: "OR", authenticationStrengthPolicyId: unknownStringValue },
    });
    expect(facts([p]).policies[0]!.unresolved).toEqual([
      "conditions.users",
      "state",
      "grantControls",
      "conditions.clientAppTypes",
    ]);
  });
});
