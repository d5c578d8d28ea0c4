/**
 * The one table of guarantee cases. Each case states a fact once — in the stack (as the program or a pull request
 * would declare it), in the tenant (as Graph and ARM would answer it), or in the config both derive from — and the
 * verdict the model gives it: "violation" of a catalogue rule (the pack reports it through the rule's pack policy in
 * every mode, the audit through one of the rule's findings) or "clean" (no mandatory violation, no finding above
 * info). test/model/guarantees.test.ts runs every case through both adapters; the adversarial corpus
 * (test/support/world/corpus.ts) writes them as stack exports and snapshots for `npm run check` and `npm run audit`.
 */
import {
  APPLICATION_ADMINISTRATOR,
  CONDITIONAL_ACCESS_ADMINISTRATOR,
  dynamicTypeToken,
  EXCHANGE_ADMINISTRATOR,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  providerTypes,
  SECURITY_ADMINISTRATOR,
  STRENGTH_POLICY_IDS,
  USER_ADMINISTRATOR,
  type CatalogueId,
} from "@entra-baseline/model";
import type { BaselineConfig } from "../../../src/config/validate";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import {
  actionGroup,
  assignmentInstance,
  assignmentSchedule,
  eligibilityInstance,
  EMERGENCY_PROFILE_ID,
  guid,
  table,
  user,
  WORKSPACE_ID,
  type Json,
  type TenantData,
} from "../fakes/tenant";
import { unknownStringValue } from "../pack/unknowns";
import { DEPLOYER_ID, SYNC_ACCOUNT_ID, type RawMutation } from "./config";
import type { FixtureInputs } from "./inputs";
import { byName, byType, dependsOn, idOf, ids, resource, untypedResource, type Mode } from "./stack";

export interface GuaranteeCase {
  name: string;
  rule: CatalogueId;
  verdict: "violation" | "clean";
  /** A change to the config both worlds derive from. */
  config?: RawMutation;
  /** The fact as the stack declares it; absent: not a fact a stack can declare (the pack is not asked). */
  stack?: (s: PlannedResource[], config: BaselineConfig, mode: Mode) => void;
  /** The fact as the tenant answers it; absent: not a fact the tenant shows (the audit is not asked). */
  tenant?: (t: TenantData, config: BaselineConfig) => void;
  /** Modes the pack runs in (default both). */
  modes?: Mode[];
  /** The config change alone is the fact, for both adapters (no stack or tenant mutation needed). */
  both?: boolean;
}

const EVIL = "e7111111-0000-4000-8000-00000000e711";
const EVIL_UPN = "mallory@contoso.com";
const EVIL_SP = "e7222222-0000-4000-8000-00000000e722";
const AU = "a0000000-0000-4000-8000-0000000000a0";
const ADMINS_GROUP = "9a000000-0000-4000-8000-00000000009a";
const CUSTOM_ROLE = "c0570000-0000-4000-8000-000000000c05";
const FUTURE = "2099-01-01T00:00:00Z";
const EVIL_GROUP = "e7333333-0000-4000-8000-00000000e733";
/** The key models the test stack declares (breakglass.fido2.profile.aaguids). */
const DECLARED_AAGUIDS = ["cb69481e-8ff7-4039-93ec-0a2729a154a8", "ee882879-721c-4913-9775-3dfcce97072a"];
const OTHER_AAGUID = "2fc0579f-8113-47ea-b116-bb5a8db9202a";

// ——— stack helpers ———

function assign(
  s: PlannedResource[],
  name: string,
  roleId: string,
  principalId: string,
  extra: FixtureInputs<typeof providerTypes.directoryRoleAssignment> = {},
): PlannedResource {
  const r = resource(providerTypes.directoryRoleAssignment, name, {
    roleId,
    principalObjectId: principalId,
    directoryScopeId: "/",
    ...extra,
  });
  s.push(r);
  return r;
}

function roleGroup(
  s: PlannedResource[],
  name: string,
  extra: FixtureInputs<typeof providerTypes.group> = {},
): PlannedResource {
  const g = resource(providerTypes.group, name, {
    displayName: name,
    securityEnabled: true,
    assignableToRole: true,
    objectId: ADMINS_GROUP,
    ...extra,
  });
  s.push(g);
  return g;
}

function gaPolicy(s: PlannedResource[]): PlannedResource {
  return byName(s, "global-administrator-activation-policy");
}

function activationCa(s: PlannedResource[]): PlannedResource {
  return byType(s, dynamicTypeToken("graphConditionalAccessPolicy"))[0]!;
}

function tripwire(s: PlannedResource[], which: "sign-in" | "non-interactive-sign-in" = "sign-in"): PlannedResource {
  return byName(s, `monitoring-breakglass-${which}-tripwire`);
}

function fido2Resource(s: PlannedResource[]): PlannedResource {
  return byName(s, "breakglass-fido2");
}

function fido2Profile(s: PlannedResource[]): Record<string, unknown> {
  return fido2Resource(s).inputs.profile as Record<string, unknown>;
}

function firstCondition(r: PlannedResource): Record<string, unknown> {
  return (r.inputs.criteria as { allOf: Record<string, unknown>[] }).allOf[0]!;
}

// ——— tenant helpers ———

function hold(
  t: TenantData,
  n: number,
  roleId: string,
  principalId: string,
  instance: Json = {},
  schedule: Json = { createdUsing: null },
): void {
  t.assignmentInstances.push(assignmentInstance(n, roleId, principalId, instance));
  t.assignmentSchedules.push(assignmentSchedule(n, roleId, principalId, schedule));
}

function addUser(t: TenantData, id: string, upn: string): void {
  if (!t.users.some((u) => u.id === id)) t.users.push(user(id, upn));
}

function gaRule(t: TenantData, id: string): Json {
  const rule = t.pimRules.find((r) => r.id === id);
  if (!rule) throw new Error(`no GA rule ${id}`);
  return rule;
}

function activationCaPolicyOf(t: TenantData): Json {
  const p = t.caPolicies.find((x) => JSON.stringify(x).includes("includeAuthenticationContextClassReferences"));
  if (!p) throw new Error("no activation CA policy");
  return p;
}

function caUsers(p: Json): Json {
  return (p.conditions as Json).users as Json;
}

const SENTINEL_ON: RawMutation = (raw) => (raw.monitoring.sentinel = { enabled: true });

function sentinelStackTripwire(s: PlannedResource[]): PlannedResource {
  return byName(s, "monitoring-sentinel-breakglass-sign-in-tripwire");
}

function tenantTripwire(t: TenantData, i = 0): Json {
  return t.scheduledQueryRules[i]!.properties as Json;
}

function bgGroupId(t: TenantData): string {
  return String(t.groups[0]!.id);
}

function emergencyTarget(t: TenantData): Json {
  const target = (t.fido2Policy.includeTargets as Json[]).find((x) => x.id === bgGroupId(t));
  if (!target) throw new Error("no FIDO2 target for the emergency group");
  return target;
}

function emergencyProfile(t: TenantData): Json {
  const profile = (t.fido2Policy.passkeyProfiles as Json[]).find((p) => p.id === EMERGENCY_PROFILE_ID);
  if (!profile) throw new Error("no emergency passkey profile");
  return profile;
}

function bgIds(t: TenantData): string[] {
  return t.groups[0]!.members;
}

export const CASES: readonly GuaranteeCase[] = [
  // ——— 1. No standing Tier-0 access ———
  {
    name: "a user holds Global Administrator by a permanent direct assignment",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => void assign(s, "standing-ga", GLOBAL_ADMINISTRATOR, EVIL),
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      hold(t, 1001, GLOBAL_ADMINISTRATOR, EVIL);
    },
  },
  {
    name: "a user holds Privileged Role Administrator permanently",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => void assign(s, "standing-pra", PRIVILEGED_ROLE_ADMINISTRATOR, EVIL),
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      hold(t, 1002, PRIVILEGED_ROLE_ADMINISTRATOR, EVIL);
    },
  },
  {
    name: "Security Administrator scoped to an administrative unit",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) =>
      void assign(s, "au-scoped", SECURITY_ADMINISTRATOR, EVIL, { directoryScopeId: `/administrativeUnits/${AU}` }),
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      hold(t, 1003, SECURITY_ADMINISTRATOR, EVIL, { directoryScopeId: `/administrativeUnits/${AU}` });
    },
  },
  {
    name: "a legacy directory role membership of Global Administrator",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => {
      const role = resource(providerTypes.directoryRole, "ga-role", {
        templateId: GLOBAL_ADMINISTRATOR,
        objectId: "f0000000-0000-4000-8000-0000000000f0",
      });
      s.push(role);
      s.push(
        dependsOn(
          resource(providerTypes.directoryRoleMember, "legacy-member", {
            roleObjectId: "f0000000-0000-4000-8000-0000000000f0",
            memberObjectId: EVIL,
          }),
          "roleObjectId",
          role,
        ),
      );
    },
  },
  {
    name: "a legacy membership of a role object id the stack cannot resolve (fails closed as Tier-0)",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) =>
      void s.push(
        resource(providerTypes.directoryRoleMember, "unresolved-member", {
          roleObjectId: "f1111111-0000-4000-8000-0000000000f1",
          memberObjectId: EVIL,
        }),
      ),
  },
  {
    name: "Global Administrator given with upper case and braces around the template id",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => void assign(s, "braced-ga", `{${GLOBAL_ADMINISTRATOR.toUpperCase()}} `, EVIL),
  },
  {
    name: "a time-bound active assignment made in PIM (not an activation)",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      hold(t, 1004, GLOBAL_ADMINISTRATOR, EVIL, { endDateTime: FUTURE }, { createdUsing: guid(9, "a4000000") });
    },
  },
  {
    name: "an activation longer than the Tier-0 maximum",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    tenant: (t) => {
      const admin = String(t.eligibilityInstances[0]!.principalId);
      const start = new Date(Date.now() - 3_600_000).toISOString();
      const end = new Date(Date.now() + 7 * 3_600_000).toISOString();
      hold(
        t,
        1005,
        GLOBAL_ADMINISTRATOR,
        admin,
        { assignmentType: "Activated", startDateTime: start, endDateTime: end },
        { createdUsing: guid(9, "a4000000") },
      );
    },
  },
  {
    name: "an activation of a principal that holds no eligibility",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      const start = new Date(Date.now() - 600_000).toISOString();
      const end = new Date(Date.now() + 3_000_000).toISOString();
      hold(
        t,
        1006,
        GLOBAL_ADMINISTRATOR,
        EVIL,
        { assignmentType: "Activated", startDateTime: start, endDateTime: end },
        { createdUsing: guid(9, "a4000000") },
      );
    },
  },
  {
    name: "an assignment of a kind the model does not know (fails closed)",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      hold(t, 1007, GLOBAL_ADMINISTRATOR, EVIL, { assignmentType: "Borrowed" });
    },
  },
  {
    name: "a permanent member of a role-assignable group that holds Global Administrator",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => {
      roleGroup(s, "tier0-admins", { members: [EVIL] });
      assign(s, "group-ga", GLOBAL_ADMINISTRATOR, ADMINS_GROUP);
    },
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: ADMINS_GROUP,
        displayName: "tier0-admins",
        isAssignableToRole: true,
        securityEnabled: true,
        members: [EVIL],
        owners: [],
      });
      hold(t, 1008, GLOBAL_ADMINISTRATOR, ADMINS_GROUP);
    },
  },
  {
    name: "a GroupMember resource puts someone in a group holding Exchange Administrator",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => {
      const g = roleGroup(s, "exchange-admins");
      assign(s, "group-exchange", EXCHANGE_ADMINISTRATOR, ADMINS_GROUP);
      s.push(
        dependsOn(
          resource(providerTypes.groupMember, "exchange-member", { groupObjectId: ADMINS_GROUP, memberObjectId: EVIL }),
          "groupObjectId",
          g,
        ),
      );
    },
  },
  {
    name: "the owner of a group holding User Administrator (an owner can add anyone)",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => {
      roleGroup(s, "user-admins", { members: [], owners: [EVIL] });
      assign(s, "group-useradmin", USER_ADMINISTRATOR, ADMINS_GROUP);
    },
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: ADMINS_GROUP,
        displayName: "user-admins",
        isAssignableToRole: true,
        securityEnabled: true,
        members: [],
        owners: [EVIL],
      });
      hold(t, 1009, USER_ADMINISTRATOR, ADMINS_GROUP);
    },
  },
  {
    name: "an admin-assigned active PIM-for-Groups membership of a group holding Global Administrator",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => {
      roleGroup(s, "pim-ga-group");
      assign(s, "pim-group-ga", GLOBAL_ADMINISTRATOR, ADMINS_GROUP);
      s.push(
        resource(providerTypes.privilegedAccessGroupAssignmentSchedule, "active-member", {
          groupId: ADMINS_GROUP,
          principalId: EVIL,
          assignmentType: "member",
          permanentAssignment: true,
        }),
      );
    },
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: ADMINS_GROUP,
        displayName: "pim-ga-group",
        isAssignableToRole: true,
        securityEnabled: true,
        members: [EVIL],
        owners: [],
      });
      hold(t, 1010, GLOBAL_ADMINISTRATOR, ADMINS_GROUP);
      t.groupAssignmentInstances.push({
        id: guid(1, "9a100000"),
        groupId: ADMINS_GROUP,
        principalId: EVIL,
        accessId: "member",
        assignmentType: "assigned",
        memberType: "direct",
        startDateTime: "2024-01-01T00:00:00Z",
        endDateTime: null,
      });
    },
  },
  {
    name: "a declared group holding Global Administrator whose members are managed elsewhere",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => {
      roleGroup(s, "opaque-admins");
      assign(s, "opaque-group-ga", GLOBAL_ADMINISTRATOR, ADMINS_GROUP);
    },
  },
  {
    name: "a service principal holds Global Administrator without an exception",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => {
      s.push(
        resource(providerTypes.servicePrincipal, "automation", {
          clientId: "00000000-1111-2222-3333-444444444444",
          objectId: EVIL_SP,
        }),
      );
      assign(s, "sp-ga", GLOBAL_ADMINISTRATOR, EVIL_SP);
    },
    tenant: (t) => {
      t.servicePrincipals.push({ id: EVIL_SP, displayName: "automation", appId: EVIL_SP });
      hold(t, 1011, GLOBAL_ADMINISTRATOR, EVIL_SP);
    },
  },
  {
    name: "a custom role granting role-assignment permissions, held standing",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => {
      s.push(
        resource(providerTypes.customDirectoryRole, "role-granter", {
          displayName: "Role granter",
          enabled: true,
          version: "1.0",
          objectId: CUSTOM_ROLE,
          permissions: [{ allowedResourceActions: ["microsoft.directory/roleAssignments/allProperties/allTasks"] }],
        }),
      );
      assign(s, "custom-standing", CUSTOM_ROLE, EVIL);
    },
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      t.roleDefinitions.push({
        id: CUSTOM_ROLE,
        displayName: "Role granter",
        isBuiltIn: false,
        isEnabled: true,
        templateId: CUSTOM_ROLE,
        rolePermissions: [{ allowedResourceActions: ["microsoft.directory/roleAssignments/allProperties/allTasks"] }],
      });
      hold(t, 1012, CUSTOM_ROLE, EVIL);
    },
  },
  {
    name: "an emergency account also holds Privileged Role Administrator",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s, _c, mode) => {
      const u = byName(s, "breakglass-breakglass-01");
      const r = assign(
        s,
        "bg-pra",
        PRIVILEGED_ROLE_ADMINISTRATOR,
        mode === "preview" ? unknownStringValue : ids.user("breakglass-01"),
      );
      dependsOn(r, "principalObjectId", u);
    },
    tenant: (t) => hold(t, 1013, PRIVILEGED_ROLE_ADMINISTRATOR, bgIds(t)[0]!),
  },
  {
    name: "an emergency account holds Global Administrator only for a while",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    tenant: (t) => {
      const i = t.assignmentInstances.find((x) => x.principalId === bgIds(t)[0])!;
      i.endDateTime = FUTURE;
      i.assignmentType = "Activated";
    },
  },
  {
    name: "the deploying identity's exception names a role it does not cover (User Administrator)",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    stack: (s) => void assign(s, "deployer-useradmin", USER_ADMINISTRATOR, DEPLOYER_ID),
    tenant: (t) => hold(t, 1014, USER_ADMINISTRATOR, DEPLOYER_ID),
  },
  {
    name: "a person borrows the deploying identity's exception (the principal is a user, the exception says servicePrincipal)",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    tenant: (t) => {
      const sp = t.servicePrincipals.findIndex((x) => x.id === DEPLOYER_ID);
      t.servicePrincipals.splice(sp, 1);
      addUser(t, DEPLOYER_ID, "deployer-impostor@contoso.com");
    },
  },
  {
    name: "an exception covers someone through a group that holds the role",
    rule: "TIER0-NO-STANDING",
    verdict: "violation",
    tenant: (t) => {
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: ADMINS_GROUP,
        displayName: "pra-group",
        isAssignableToRole: true,
        securityEnabled: true,
        members: [EVIL],
        owners: [],
      });
      addUser(t, EVIL, EVIL_UPN);
      hold(t, 1015, PRIVILEGED_ROLE_ADMINISTRATOR, ADMINS_GROUP);
    },
  },

  // ——— 2. Declared exceptions ———
  {
    name: "an expired exception (the sync account's)",
    rule: "EXCEPTIONS-DECLARED",
    verdict: "violation",
    both: true,
    config: (raw) => (raw.exceptions[0].expires = "2024-06-30"),
  },
  {
    name: "the hybrid sync account and the deploying identity hold their roles by declared exceptions",
    rule: "EXCEPTIONS-DECLARED",
    verdict: "clean",
    both: true,
  },
  {
    name: "an exception that runs out tomorrow still holds today",
    rule: "EXCEPTIONS-DECLARED",
    verdict: "clean",
    both: true,
    config: (raw) => (raw.exceptions[1].expires = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)),
  },
  {
    name: "a role outside Tier-0 held standing needs no exception (Reports Reader)",
    rule: "TIER0-NO-STANDING",
    verdict: "clean",
    stack: (s) => void assign(s, "reports-reader", "4a5d8f65-41da-4de4-8968-e035b65339cf", EVIL),
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      hold(t, 1016, "4a5d8f65-41da-4de4-8968-e035b65339cf", EVIL);
    },
  },
  {
    name: "a bounded activation backed by an eligibility is not standing",
    rule: "TIER0-NO-STANDING",
    verdict: "clean",
    tenant: (t) => {
      const admin = String(t.eligibilityInstances[0]!.principalId);
      const start = new Date(Date.now() - 600_000).toISOString();
      const end = new Date(Date.now() + 3_000_000).toISOString();
      hold(
        t,
        1017,
        GLOBAL_ADMINISTRATOR,
        admin,
        { assignmentType: "Activated", startDateTime: start, endDateTime: end },
        { createdUsing: guid(9, "a4000000") },
      );
    },
  },
  {
    name: "a bounded PIM-for-Groups activation of an eligible member of a group holding PRA is not standing",
    rule: "TIER0-NO-STANDING",
    verdict: "clean",
    config: (raw) => {
      raw.pim.groups = [
        {
          group: ADMINS_GROUP,
          label: "PRA through PIM for Groups",
          roles: ["Privileged Role Administrator"],
          eligibleMembers: ["adele.vance@contoso.com"],
        },
      ];
    },
    tenant: (t, c) => {
      const admin = String(t.users.find((u) => u.userPrincipalName === "adele.vance@contoso.com")!.id);
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: ADMINS_GROUP,
        displayName: "pra-pim",
        isAssignableToRole: true,
        securityEnabled: true,
        members: [admin],
        owners: [],
      });
      hold(t, 1018, PRIVILEGED_ROLE_ADMINISTRATOR, ADMINS_GROUP);
      t.groupEligibilityInstances.push({
        id: guid(2, "9a200000"),
        groupId: ADMINS_GROUP,
        principalId: admin,
        accessId: "member",
        memberType: "direct",
        startDateTime: "2024-01-01T00:00:00Z",
        endDateTime: null,
      });
      t.groupAssignmentInstances.push({
        id: guid(3, "9a300000"),
        groupId: ADMINS_GROUP,
        principalId: admin,
        accessId: "member",
        assignmentType: "activated",
        memberType: "direct",
        startDateTime: new Date(Date.now() - 600_000).toISOString(),
        endDateTime: new Date(Date.now() + 3_000_000).toISOString(),
      });
      // The group's member policy held to PRA's (Tier-0) rules, as the program writes it.
      t.groupPolicies[ADMINS_GROUP] = { member: t.rolePolicies[PRIVILEGED_ROLE_ADMINISTRATOR]! };
      void c;
    },
  },
  {
    name: "a PIM-for-Groups group holding PRA whose member policy allows 8 hours without approval",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    config: (raw) => {
      raw.pim.groups = [
        { group: ADMINS_GROUP, roles: ["Privileged Role Administrator"], eligibleMembers: ["adele.vance@contoso.com"] },
      ];
    },
    stack: (s) => {
      roleGroup(s, "pra-pim", { members: [] });
      assign(s, "pra-pim-role", PRIVILEGED_ROLE_ADMINISTRATOR, ADMINS_GROUP);
      s.push(
        resource(providerTypes.privilegedAccessGroupEligibilitySchedule, "pra-pim-adele", {
          groupId: ADMINS_GROUP,
          principalId: idOf("adele.vance@contoso.com"),
          assignmentType: "member",
          permanentAssignment: true,
        }),
      );
      s.push(
        resource(providerTypes.groupRoleManagementPolicy, "pra-pim-member-policy", {
          groupId: ADMINS_GROUP,
          roleId: "member",
          activationRules: { maximumDuration: "PT8H", requireApproval: false, requireJustification: true },
        }),
      );
    },
    tenant: (t) => {
      const admin = String(t.users.find((u) => u.userPrincipalName === "adele.vance@contoso.com")!.id);
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: ADMINS_GROUP,
        displayName: "pra-pim",
        isAssignableToRole: true,
        securityEnabled: true,
        members: [],
        owners: [],
      });
      hold(t, 1019, PRIVILEGED_ROLE_ADMINISTRATOR, ADMINS_GROUP);
      t.groupEligibilityInstances.push({
        id: guid(4, "9a200000"),
        groupId: ADMINS_GROUP,
        principalId: admin,
        accessId: "member",
        memberType: "direct",
        startDateTime: "2024-01-01T00:00:00Z",
        endDateTime: null,
      });
      t.groupPolicies[ADMINS_GROUP] = {};
    },
  },

  // ——— 3. Activation demands approval and a fresh challenge ———
  {
    name: "Global Administrator activation raised to 8 hours",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => void (gaPolicy(s).inputs.maxActivationDuration = "PT8H"),
    tenant: (t) => void (gaRule(t, "Expiration_EndUser_Assignment").maximumDuration = "PT8H"),
  },
  {
    name: "Global Administrator activation written as one day",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => void (gaPolicy(s).inputs.maxActivationDuration = "P1D"),
    tenant: (t) => void (gaRule(t, "Expiration_EndUser_Assignment").maximumDuration = "P1D"),
  },
  {
    name: "approval to activate Global Administrator turned off",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => void ((gaPolicy(s).inputs.approval as Json).required = false),
    tenant: (t) => void ((gaRule(t, "Approval_EndUser_Assignment").setting as Json).isApprovalRequired = false),
  },
  {
    name: "the only approver is the requester",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) =>
      void ((gaPolicy(s).inputs.approval as Json).approvers = [{ kind: "user", id: idOf("adele.vance@contoso.com") }]),
    tenant: (t) => {
      const adele = String(t.users.find((u) => u.userPrincipalName === "adele.vance@contoso.com")!.id);
      const stage = ((gaRule(t, "Approval_EndUser_Assignment").setting as Json).approvalStages as Json[])[0]!;
      stage.primaryApprovers = [{ "@odata.type": "#microsoft.graph.singleUser", userId: adele, description: "Adele" }];
    },
  },
  {
    name: "the approver group contains only the requester",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => {
      roleGroup(s, "approvers-only-adele", { assignableToRole: false, members: [idOf("adele.vance@contoso.com")] });
      const p = gaPolicy(s);
      (p.inputs.approval as Json).approvers = [{ kind: "group", id: ADMINS_GROUP }];
    },
    tenant: (t) => {
      const adele = String(t.users.find((u) => u.userPrincipalName === "adele.vance@contoso.com")!.id);
      t.groups.find((g) => g.id === ADMINS_GROUP)!.members = [adele];
      const stage = ((gaRule(t, "Approval_EndUser_Assignment").setting as Json).approvalStages as Json[])[0]!;
      stage.primaryApprovers = [
        { "@odata.type": "#microsoft.graph.groupMembers", groupId: ADMINS_GROUP, description: "approvers" },
      ];
    },
    config: (raw) => {
      raw.pim.approvers = { users: [], groups: [ADMINS_GROUP] };
    },
  },
  {
    name: "activation no longer asks for a ticket",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => void (gaPolicy(s).inputs.requireTicket = false),
    tenant: (t) => {
      const r = gaRule(t, "Enablement_EndUser_Assignment");
      r.enabledRules = (r.enabledRules as string[]).filter((x) => x !== "Ticketing");
    },
  },
  {
    name: "activation no longer asks for a justification",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => void (gaPolicy(s).inputs.requireJustification = false),
    tenant: (t) => {
      const r = gaRule(t, "Enablement_EndUser_Assignment");
      r.enabledRules = (r.enabledRules as string[]).filter((x) => x !== "Justification");
    },
  },
  {
    name: "activation requires no authentication context (no fresh MFA)",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => {
      const p = gaPolicy(s);
      p.inputs.authenticationContextId = null;
      delete p.propertyDependencies.authenticationContextId;
    },
    tenant: (t) => void (gaRule(t, "AuthenticationContext_EndUser_Assignment").isEnabled = false),
  },
  {
    name: "assignment and activation alerts reach nobody",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => void (gaPolicy(s).inputs.notificationRecipients = []),
    tenant: (t) => {
      for (const r of t.pimRules) if (String(r.id).startsWith("Notification_Admin_")) r.notificationRecipients = [];
    },
  },
  {
    name: "notification recipient is not an e-mail address",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => void (gaPolicy(s).inputs.notificationRecipients = ["secops"]),
  },
  {
    name: "the Global Administrator activation policy is not declared",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) => void s.splice(s.indexOf(gaPolicy(s)), 1),
  },
  {
    name: "two resources write the Global Administrator activation policy",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) =>
      void s.push({
        ...JSON.parse(JSON.stringify(gaPolicy(s))),
        urn: gaPolicy(s).urn + "-copy",
        name: "ga-policy-copy",
      }),
  },
  {
    name: "Privileged Role Administrator's activation policy raised to 8 hours",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) =>
      void (byName(s, "privileged-role-administrator-activation-policy").inputs.maxActivationDuration = "PT8H"),
    tenant: (t) => {
      const rules = t.rolePolicies[PRIVILEGED_ROLE_ADMINISTRATOR]!;
      rules.find((r) => r.id === "Expiration_EndUser_Assignment")!.maximumDuration = "PT8H";
    },
  },
  {
    name: "someone is eligible for Security Administrator, whose policy the stack does not manage (PIM defaults)",
    rule: "ACTIVATION-POLICY",
    verdict: "violation",
    stack: (s) =>
      void s.push(
        resource(providerTypes.directoryRoleEligibilityScheduleRequest, "secadmin-eligible", {
          roleDefinitionId: SECURITY_ADMINISTRATOR,
          principalId: idOf("megan.bowen@contoso.com"),
          directoryScopeId: "/",
          justification: "x",
        }),
      ),
    tenant: (t) =>
      void t.eligibilityInstances.push(
        eligibilityInstance(901, SECURITY_ADMINISTRATOR, String(t.eligibilityInstances[1]!.principalId)),
      ),
  },
  {
    name: "the activation context's CA policy switched to report-only",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) => void (activationCa(s).inputs.state = "enabledForReportingButNotEnforced"),
    tenant: (t) => void (activationCaPolicyOf(t).state = "enabledForReportingButNotEnforced"),
  },
  {
    name: "the activation context's CA policy excludes an admin",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) =>
      void (((activationCa(s).inputs.conditions as Json).users as Json).excludeUsers = [
        idOf("megan.bowen@contoso.com"),
      ]),
    tenant: (t) =>
      void (caUsers(activationCaPolicyOf(t)).excludeUsers = [String(t.eligibilityInstances[1]!.principalId)]),
  },
  {
    name: "the activation context's CA policy excludes a directory role",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) =>
      void (((activationCa(s).inputs.conditions as Json).users as Json).excludeRoles = [GLOBAL_ADMINISTRATOR]),
    tenant: (t) => void (caUsers(activationCaPolicyOf(t)).excludeRoles = [GLOBAL_ADMINISTRATOR]),
  },
  {
    name: "the activation context's CA policy only applies to browsers",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) => void ((activationCa(s).inputs.conditions as Json).clientAppTypes = ["browser"]),
    tenant: (t) => void ((activationCaPolicyOf(t).conditions as Json).clientAppTypes = ["browser"]),
  },
  {
    name: "the activation context's CA policy only applies on Android",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) =>
      void ((activationCa(s).inputs.conditions as Json).platforms = {
        includePlatforms: ["android"],
        excludePlatforms: [],
      }),
    tenant: (t) =>
      void ((activationCaPolicyOf(t).conditions as Json).platforms = {
        includePlatforms: ["android"],
        excludePlatforms: [],
      }),
  },
  {
    name: "the activation context's CA policy excludes trusted locations",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) =>
      void ((activationCa(s).inputs.conditions as Json).locations = {
        includeLocations: ["All"],
        excludeLocations: ["AllTrusted"],
      }),
    tenant: (t) =>
      void ((activationCaPolicyOf(t).conditions as Json).locations = {
        includeLocations: ["All"],
        excludeLocations: ["AllTrusted"],
      }),
  },
  {
    name: "the activation context's CA policy only applies to risky sign-ins",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) => void ((activationCa(s).inputs.conditions as Json).signInRiskLevels = ["high"]),
    tenant: (t) => void ((activationCaPolicyOf(t).conditions as Json).signInRiskLevels = ["high"]),
  },
  {
    name: "the activation context's CA policy has a device filter",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) =>
      void ((activationCa(s).inputs.conditions as Json).devices = {
        deviceFilter: { mode: "exclude", rule: 'device.trustType -eq "AzureAD"' },
      }),
    tenant: (t) =>
      void ((activationCaPolicyOf(t).conditions as Json).devices = {
        deviceFilter: { mode: "exclude", rule: 'device.trustType -eq "AzureAD"' },
      }),
  },
  {
    name: "the activation context's CA policy re-prompts only every 8 hours",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) =>
      void (activationCa(s).inputs.sessionControls = {
        signInFrequency: { isEnabled: true, frequencyInterval: "timeBased", type: "hours", value: 8 },
      }),
    tenant: (t) =>
      void (activationCaPolicyOf(t).sessionControls = {
        signInFrequency: { isEnabled: true, frequencyInterval: "timeBased", type: "hours", value: 8 },
      }),
  },
  {
    name: "the activation context's CA policy can be met by a compliant device instead",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) => void ((activationCa(s).inputs.grantControls as Json).builtInControls = ["compliantDevice"]),
    tenant: (t) => void ((activationCaPolicyOf(t).grantControls as Json).builtInControls = ["compliantDevice"]),
  },
  {
    name: "phishing-resistant activation required, but the context's CA policy grants with plain MFA",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    config: (raw) => (raw.pim.activationStrength = "phishingResistant"),
    stack: (s) => void (activationCa(s).inputs.grantControls = { operator: "OR", builtInControls: ["mfa"] }),
    tenant: (t) =>
      void (activationCaPolicyOf(t).grantControls = {
        operator: "OR",
        builtInControls: ["mfa"],
        customAuthenticationFactors: [],
        termsOfUse: [],
      }),
  },
  {
    name: "the context's CA policy applies only to a group the admins are not in",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) =>
      void (
        (((activationCa(s).inputs.conditions as Json).users as Json).includeUsers = []),
        (((activationCa(s).inputs.conditions as Json).users as Json).includeGroups = [ADMINS_GROUP])
      ),
    tenant: (t) =>
      void (
        (caUsers(activationCaPolicyOf(t)).includeUsers = []),
        (caUsers(activationCaPolicyOf(t)).includeGroups = [ADMINS_GROUP])
      ),
  },
  {
    name: "no CA policy targets the activation context any more",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) => void s.splice(s.indexOf(activationCa(s)), 1),
    tenant: (t) => void t.caPolicies.splice(t.caPolicies.indexOf(activationCaPolicyOf(t)), 1),
  },
  {
    name: "the activation context is not available",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "violation",
    stack: (s) => void (byType(s, dynamicTypeToken("authenticationContext"))[0]!.inputs.isAvailable = false),
    tenant: (t) => {
      t.authenticationContexts[0]!.isAvailable = false;
      t.caPolicies.splice(t.caPolicies.indexOf(activationCaPolicyOf(t)), 1);
    },
  },
  {
    name: "a shorter activation (one hour, as Microsoft's own example) tightens the model",
    rule: "ACTIVATION-POLICY",
    verdict: "clean",
    both: true,
    config: (raw) => (raw.pim.maxActivationDuration = "PT1H"),
  },
  {
    name: "extra approvers and an approver group",
    rule: "ACTIVATION-POLICY",
    verdict: "clean",
    both: true,
    config: (raw) => {
      raw.pim.approvers.users.push("patti.fernandez@contoso.com", "alex.wilber@contoso.com");
      raw.pim.approvers.groups = [ADMINS_GROUP];
    },
  },
  {
    name: "a stronger grant than required (phishing-resistant where MFA is asked)",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "clean",
    stack: (s) =>
      void ((activationCa(s).inputs.grantControls as Json).authenticationStrength = {
        id: STRENGTH_POLICY_IDS.phishingResistant,
      }),
    tenant: (t) =>
      void (((activationCaPolicyOf(t).grantControls as Json).authenticationStrength as Json).id =
        STRENGTH_POLICY_IDS.phishingResistant),
  },
  {
    name: "phishing-resistant activation everywhere",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "clean",
    both: true,
    config: (raw) => {
      raw.pim.activationStrength = "phishingResistant";
    },
  },
  {
    name: "Security Administrator made just-in-time with its own context for passwordless MFA",
    rule: "ACTIVATION-POLICY",
    verdict: "clean",
    both: true,
    config: (raw) =>
      raw.pim.roles.push({
        role: "Security Administrator",
        eligibleUsers: ["megan.bowen@contoso.com"],
        activationStrength: "passwordlessMfa",
        authenticationContextId: "c2",
        maxActivationDuration: "PT2H",
      }),
  },

  // ——— Eligibility ———
  {
    name: "an emergency account made eligible for Global Administrator",
    rule: "ELIGIBLE-PRINCIPALS",
    verdict: "violation",
    stack: (s, _c, mode) => {
      const u = byName(s, "breakglass-breakglass-02");
      s.push(
        dependsOn(
          resource(providerTypes.directoryRoleEligibilityScheduleRequest, "bg-eligible", {
            roleDefinitionId: GLOBAL_ADMINISTRATOR,
            principalId: mode === "preview" ? unknownStringValue : ids.user("breakglass-02"),
            directoryScopeId: "/",
            justification: "x",
          }),
          "principalId",
          u,
        ),
      );
    },
    tenant: (t) => void t.eligibilityInstances.push(eligibilityInstance(902, GLOBAL_ADMINISTRATOR, bgIds(t)[1]!)),
  },
  {
    name: "an emergency account made eligible for Application Administrator",
    rule: "ELIGIBLE-PRINCIPALS",
    verdict: "violation",
    tenant: (t) => void t.eligibilityInstances.push(eligibilityInstance(903, APPLICATION_ADMINISTRATOR, bgIds(t)[0]!)),
    stack: (s, _c, mode) => {
      const u = byName(s, "breakglass-breakglass-01");
      s.push(
        dependsOn(
          resource(providerTypes.directoryRoleEligibilityScheduleRequest, "bg-eligible-app", {
            roleDefinitionId: APPLICATION_ADMINISTRATOR,
            principalId: mode === "preview" ? unknownStringValue : ids.user("breakglass-01"),
            directoryScopeId: "/",
            justification: "x",
          }),
          "principalId",
          u,
        ),
      );
    },
  },
  {
    name: "the exclusion group made eligible for Global Administrator",
    rule: "ELIGIBLE-PRINCIPALS",
    verdict: "violation",
    stack: (s, _c, mode) => {
      const g = byName(s, "breakglass-group");
      s.push(
        dependsOn(
          resource(providerTypes.directoryRoleEligibilityScheduleRequest, "group-eligible", {
            roleDefinitionId: GLOBAL_ADMINISTRATOR,
            principalId: mode === "preview" ? unknownStringValue : ids.group,
            directoryScopeId: "/",
            justification: "x",
          }),
          "principalId",
          g,
        ),
      );
    },
    tenant: (t) =>
      void t.eligibilityInstances.push(eligibilityInstance(904, GLOBAL_ADMINISTRATOR, String(t.groups[0]!.id))),
  },
  {
    name: "a group that is not role-assignable made eligible for a role",
    rule: "ELIGIBLE-PRINCIPALS",
    verdict: "violation",
    stack: (s) => {
      const g = roleGroup(s, "plain-group", { assignableToRole: false });
      s.push(
        dependsOn(
          resource(providerTypes.directoryRoleEligibilityScheduleRequest, "plain-group-eligible", {
            roleDefinitionId: EXCHANGE_ADMINISTRATOR,
            principalId: ADMINS_GROUP,
            directoryScopeId: "/",
            justification: "x",
          }),
          "principalId",
          g,
        ),
      );
    },
  },
  {
    name: "an eligibility for Global Administrator the stack does not declare",
    rule: "ELIGIBLE-PRINCIPALS",
    verdict: "violation",
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      t.eligibilityInstances.push(eligibilityInstance(905, GLOBAL_ADMINISTRATOR, EVIL));
    },
  },

  // ——— Global Administrator count ———
  {
    name: "nine Global Administrators (seven eligible and two emergency)",
    rule: "GA-COUNT",
    verdict: "violation",
    stack: (s) => {
      for (const n of ["a1", "a2", "a3", "a4"]) {
        s.push(
          resource(providerTypes.directoryRoleEligibilityScheduleRequest, `extra-${n}`, {
            roleDefinitionId: GLOBAL_ADMINISTRATOR,
            principalId: idOf(`${n}@contoso.com`),
            directoryScopeId: "/",
            justification: "x",
          }),
        );
      }
    },
    tenant: (t) => {
      ["a1", "a2", "a3", "a4"].forEach((n, i) => {
        const id = guid(720 + i, "ad000000");
        addUser(t, id, `${n}@contoso.com`);
        t.eligibilityInstances.push(eligibilityInstance(920 + i, GLOBAL_ADMINISTRATOR, id));
      });
    },
  },
  {
    name: "a tenth Global Administrator through a group's members",
    rule: "GA-COUNT",
    verdict: "violation",
    tenant: (t) => {
      const members = ["a1", "a2", "a3", "a4", "a5", "a6"].map((n, i) => {
        const id = guid(700 + i, "ad000000");
        addUser(t, id, `${n}@contoso.com`);
        return id;
      });
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: ADMINS_GROUP,
        displayName: "ga-eligible",
        isAssignableToRole: true,
        securityEnabled: true,
        members,
        owners: [],
      });
      t.eligibilityInstances.push(eligibilityInstance(906, GLOBAL_ADMINISTRATOR, ADMINS_GROUP));
    },
  },

  // ——— Emergency accounts ———
  {
    name: "an emergency account is disabled",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    stack: (s) => void (byName(s, "breakglass-breakglass-01").inputs.accountEnabled = false),
    tenant: (t) => void (t.users[0]!.accountEnabled = false),
  },
  {
    name: "an emergency account is no longer protected",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    stack: (s) => void (byName(s, "breakglass-breakglass-02").protect = false),
  },
  {
    name: "an emergency account synchronised from on-premises",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    stack: (s) => void (byName(s, "breakglass-breakglass-01").inputs.onpremisesImmutableId = "abc=="),
    tenant: (t) => void ((t.users[0]!.onPremisesSyncEnabled = true), (t.users[0]!.onPremisesImmutableId = "abc==")),
  },
  {
    name: "an emergency account renamed onto a custom domain",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    stack: (s) => void (byName(s, "breakglass-breakglass-02").inputs.userPrincipalName = "breakglass-02@contoso.com"),
    tenant: (t) => void (t.users[1]!.userPrincipalName = "breakglass-02@contoso.com"),
  },
  {
    name: "an emergency password of 64 characters",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    stack: (s) => void (byName(s, "breakglass-breakglass-01-password").inputs.length = 64),
  },
  {
    name: "an emergency password typed in as a literal",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    stack: (s) => {
      const u = byName(s, "breakglass-breakglass-02");
      delete u.propertyDependencies.password;
    },
  },
  {
    name: "an emergency password generator without upper case and digits",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    stack: (s) =>
      void Object.assign(byName(s, "breakglass-breakglass-01-password").inputs, { upper: false, numeric: false }),
  },
  {
    name: "an emergency account's Global Administrator removed",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    stack: (s) => void s.splice(s.indexOf(byName(s, "breakglass-breakglass-01-global-administrator")), 1),
    tenant: (t) => {
      const i = t.assignmentInstances.findIndex((x) => x.principalId === bgIds(t)[0]);
      t.assignmentInstances.splice(i, 1);
    },
  },
  {
    name: "an emergency account's Global Administrator scoped to an administrative unit",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    stack: (s) =>
      void (byName(s, "breakglass-breakglass-02-global-administrator").inputs.directoryScopeId =
        `/administrativeUnits/${AU}`),
    tenant: (t) =>
      void (t.assignmentInstances.find((x) => x.principalId === bgIds(t)[1])!.directoryScopeId =
        `/administrativeUnits/${AU}`),
  },
  {
    name: "an emergency account without a FIDO2 key",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    tenant: (t) =>
      void (t.methods[bgIds(t)[1]!] = [
        { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490" },
      ]),
  },
  {
    name: "an emergency account deleted",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "violation",
    tenant: (t) => {
      const id = bgIds(t)[1]!;
      t.users = t.users.filter((u) => u.id !== id);
      t.assignmentInstances = t.assignmentInstances.filter((x) => x.principalId !== id);
      t.groups[0]!.members = t.groups[0]!.members.filter((m) => m !== id);
      t.groups[0]!.owners = (t.groups[0]!.owners ?? []).filter((m) => m !== id);
    },
  },
  {
    name: "three emergency accounts",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "clean",
    both: true,
    config: (raw) => {
      raw.breakglass.count = 3;
      raw.pim.eligibleAdmins.pop();
    },
  },

  // ——— 4. The exclusion group ———
  {
    name: "someone else added to the exclusion group",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    stack: (s) => void (byName(s, "breakglass-group").inputs.members as unknown[]).push(EVIL),
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      t.groups[0]!.members.push(EVIL);
    },
  },
  {
    name: "a GroupMember resource adds someone to the exclusion group",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    stack: (s, _c, mode) => {
      const g = byName(s, "breakglass-group");
      s.push(
        dependsOn(
          resource(providerTypes.groupMember, "sneaky-member", {
            groupObjectId: mode === "preview" ? unknownStringValue : ids.group,
            memberObjectId: EVIL,
          }),
          "groupObjectId",
          g,
        ),
      );
    },
  },
  {
    name: "a nested group inside the exclusion group",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    tenant: (t) => {
      addUser(t, EVIL, EVIL_UPN);
      t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: ADMINS_GROUP,
        displayName: "nested",
        isAssignableToRole: false,
        securityEnabled: true,
        members: [EVIL],
        owners: [],
      });
      t.groups[0]!.members.push(ADMINS_GROUP);
    },
  },
  {
    name: "an extra owner of the exclusion group",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    stack: (s) => void (byName(s, "breakglass-group").inputs.owners as unknown[]).push(DEPLOYER_ID),
    tenant: (t) => void t.groups[0]!.owners!.push(DEPLOYER_ID),
  },
  {
    name: "the exclusion group declared without owners (azuread makes the deployer its owner)",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    stack: (s) => {
      const g = byName(s, "breakglass-group");
      delete g.inputs.owners;
      delete g.propertyDependencies.owners;
    },
  },
  {
    name: "an emergency account removed from the exclusion group",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    stack: (s) => {
      const g = byName(s, "breakglass-group");
      (g.inputs.members as unknown[]).pop();
      g.propertyDependencies.members = g.propertyDependencies.members!.slice(0, 1);
    },
    tenant: (t) => void t.groups[0]!.members.pop(),
  },
  {
    name: "the exclusion group is not role-assignable",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    stack: (s) => void (byName(s, "breakglass-group").inputs.assignableToRole = false),
    tenant: (t) => void (t.groups[0]!.isAssignableToRole = false),
  },
  {
    name: "a second group with the exclusion group's name",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    stack: (s) =>
      void s.push(
        resource(providerTypes.group, "namesake", {
          displayName: "Emergency access accounts",
          securityEnabled: true,
          assignableToRole: true,
          members: [],
          owners: [],
          objectId: ADMINS_GROUP,
        }),
      ),
    tenant: (t) =>
      void t.groups.push({
        "@odata.type": "#microsoft.graph.group",
        id: ADMINS_GROUP,
        displayName: t.groups[0]!.displayName,
        isAssignableToRole: true,
        securityEnabled: true,
        members: [],
        owners: [],
      }),
  },
  {
    name: "the exclusion group is not protected",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    stack: (s) => void (byName(s, "breakglass-group").protect = false),
  },
  {
    name: "the exclusion group deleted",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "violation",
    tenant: (t) => void t.groups.splice(0, 1),
  },
  {
    name: "declared owners other than the accounts (breakglass.groupOwners)",
    rule: "EXCLUSION-GROUP-EXACT",
    verdict: "clean",
    config: (raw) => (raw.breakglass.groupOwners = [SYNC_ACCOUNT_ID]),
    stack: (s) => {
      const g = byName(s, "breakglass-group");
      g.inputs.owners = [SYNC_ACCOUNT_ID];
      delete g.propertyDependencies.owners;
    },
    tenant: (t) => void (t.groups[0]!.owners = [SYNC_ACCOUNT_ID]),
  },

  // ——— 4. Every CA policy excludes the emergency accounts ———
  {
    name: "an enabled CA policy without the exclusion",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "violation",
    stack: (s) => void (((byName(s, "ca-1").inputs.conditions as Json).users as Json).excludedGroups = []),
    tenant: (t) => void (caUsers(t.caPolicies[0]!).excludeGroups = []),
  },
  {
    name: "a disabled CA policy without the exclusion (any state counts)",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "violation",
    stack: (s) => {
      const p = byName(s, "ca-0");
      p.inputs.state = "disabled";
      ((p.inputs.conditions as Json).users as Json).excludedGroups = [];
    },
    tenant: (t) => {
      t.caPolicies[1]!.state = "disabled";
      caUsers(t.caPolicies[1]!).excludeGroups = [];
    },
  },
  {
    name: "a CA policy excluding only one of the two accounts",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "violation",
    stack: (s, _c, mode) => {
      const p = byName(s, "ca-1");
      const users = (p.inputs.conditions as Json).users as Json;
      users.excludedGroups = [];
      users.excludedUsers = [mode === "preview" ? unknownStringValue : ids.user("breakglass-01")];
      p.propertyDependencies.conditions = [byName(s, "breakglass-breakglass-01").urn];
    },
    tenant: (t) => {
      caUsers(t.caPolicies[0]!).excludeGroups = [];
      caUsers(t.caPolicies[0]!).excludeUsers = [bgIds(t)[0]!];
    },
  },
  {
    name: "a CA policy excluding a different group by another object id",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "violation",
    stack: (s) => void (((byName(s, "ca-1").inputs.conditions as Json).users as Json).excludedGroups = [ADMINS_GROUP]),
    tenant: (t) => void (caUsers(t.caPolicies[0]!).excludeGroups = [ADMINS_GROUP]),
  },
  {
    name: "a CA policy whose exclusion is computed from another principal at preview",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "violation",
    modes: ["preview"],
    stack: (s) => {
      const other = resource(providerTypes.group, "other-group", { displayName: "other", securityEnabled: true });
      s.push(other);
      const p = byName(s, "ca-1");
      ((p.inputs.conditions as Json).users as Json).excludedGroups = [unknownStringValue];
      p.propertyDependencies.conditions = [byName(s, "breakglass-group").urn, other.urn];
    },
  },
  {
    name: "a Microsoft-managed CA policy switched on without the exclusion",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "violation",
    tenant: (t) =>
      void t.caPolicies.push({
        id: guid(77, "ca000000"),
        displayName: "Multifactor authentication for admins accessing Microsoft Admin Portals",
        state: "enabled",
        templateId: "c7503427-338e-4c5e-902d-abe252abfb43",
        conditions: {
          users: {
            includeUsers: [],
            excludeUsers: [],
            includeGroups: [],
            excludeGroups: [],
            includeRoles: [GLOBAL_ADMINISTRATOR],
            excludeRoles: [],
          },
          applications: { includeApplications: ["MicrosoftAdminPortals"] },
          clientAppTypes: ["all"],
        },
        grantControls: { operator: "OR", builtInControls: ["mfa"] },
      }),
  },
  {
    name: "a CA policy that targets an emergency account by name",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "violation",
    tenant: (t) => void (caUsers(t.caPolicies[0]!).includeUsers = [bgIds(t)[0]!]),
  },
  {
    name: "a CA policy whose user conditions are only known after apply()",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "violation",
    modes: ["preview"],
    stack: (s) => void ((byName(s, "ca-1").inputs.conditions as Json).users = unknownStringValue),
  },
  {
    name: "exclusion by listing every emergency account instead of the group",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "clean",
    stack: (s, _c, mode) => {
      const p = byName(s, "ca-1");
      const users = (p.inputs.conditions as Json).users as Json;
      users.excludedGroups = [];
      users.excludedUsers = ["breakglass-01", "breakglass-02"].map((n) =>
        mode === "preview" ? unknownStringValue : ids.user(n),
      );
      p.propertyDependencies.conditions = ["breakglass-breakglass-01", "breakglass-breakglass-02"].map(
        (n) => byName(s, n).urn,
      );
    },
    tenant: (t) => {
      caUsers(t.caPolicies[0]!).excludeGroups = [];
      caUsers(t.caPolicies[0]!).excludeUsers = [...bgIds(t)];
    },
  },
  {
    name: "a workload-identity policy needs no user exclusion",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "clean",
    stack: (s) =>
      void s.push(
        resource(providerTypes.conditionalAccessPolicy, "workload-policy", {
          displayName: "Block risky workload identities",
          state: "enabled",
          conditions: {
            clientAppTypes: ["all"],
            applications: { includedApplications: ["All"] },
            users: { includedUsers: ["None"] },
            clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"] },
            servicePrincipalRiskLevels: ["high"],
          },
          grantControls: { operator: "OR", builtInControls: ["block"] },
        }),
      ),
    tenant: (t) =>
      void t.caPolicies.push({
        id: guid(78, "ca000000"),
        displayName: "Block risky workload identities",
        state: "enabled",
        conditions: {
          users: {
            includeUsers: ["None"],
            excludeUsers: [],
            includeGroups: [],
            excludeGroups: [],
            includeRoles: [],
            excludeRoles: [],
          },
          applications: { includeApplications: ["All"] },
          clientAppTypes: ["all"],
          clientApplications: {
            includeServicePrincipals: ["ServicePrincipalsInMyTenant"],
            excludeServicePrincipals: [],
          },
          servicePrincipalRiskLevels: ["high"],
        },
        grantControls: { operator: "OR", builtInControls: ["block"] },
      }),
  },

  // ——— 5. The tripwire can fire and someone hears it ———
  {
    name: "the sign-in tripwire disabled",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => void (tripwire(s).inputs.enabled = false),
    tenant: (t) => void (tenantTripwire(t).enabled = false),
  },
  {
    name: "the tripwire at severity 2",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => void (tripwire(s).inputs.severity = 2),
    tenant: (t) => void (tenantTripwire(t).severity = 2),
  },
  {
    name: "the tripwire evaluated every 5 minutes",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => void (tripwire(s).inputs.evaluationFrequency = "PT5M"),
    tenant: (t) => void (tenantTripwire(t).evaluationFrequency = "PT5M"),
  },
  {
    name: "the tripwire's window too short for late records",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => void (tripwire(s).inputs.windowSize = "PT1M"),
    tenant: (t) => void (tenantTripwire(t).windowSize = "PT1M"),
  },
  {
    name: "the tripwire muted for a day after it fires",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => void (tripwire(s).inputs.muteActionsDuration = "P1D"),
    tenant: (t) => void (tenantTripwire(t).muteActionsDuration = "P1D"),
  },
  {
    name: "the tripwire fires only above five sign-ins",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => void (firstCondition(tripwire(s)).threshold = 5),
    tenant: (t) => void (((tenantTripwire(t).criteria as Json).allOf as Json[])[0]!.threshold = 5),
  },
  {
    name: "the tripwire needs three failing periods",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) =>
      void (firstCondition(tripwire(s)).failingPeriods = { numberOfEvaluationPeriods: 3, minFailingPeriodsToAlert: 3 }),
    tenant: (t) =>
      void (((tenantTripwire(t).criteria as Json).allOf as Json[])[0]!.failingPeriods = {
        numberOfEvaluationPeriods: 3,
        minFailingPeriodsToAlert: 3,
      }),
  },
  {
    name: "the tripwire's query only counts successful sign-ins",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    modes: ["update"],
    stack: (s) =>
      void (firstCondition(tripwire(s)).query =
        `${String(firstCondition(tripwire(s)).query)}\n| where ResultType == "0"`),
    tenant: (t) => {
      const c = ((tenantTripwire(t).criteria as Json).allOf as Json[])[0]!;
      c.query = `${String(c.query)}\n| where ResultType == "0"`;
    },
  },
  {
    name: "the tripwire's query forgets an emergency account",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    modes: ["update"],
    stack: (s) => {
      const c = firstCondition(tripwire(s));
      c.query = String(c.query)
        .replaceAll(ids.user("breakglass-02"), ids.user("breakglass-01"))
        .replaceAll("breakglass-02@", "breakglass-01@");
    },
    tenant: (t) => {
      const c = ((tenantTripwire(t).criteria as Json).allOf as Json[])[0]!;
      c.query = String(c.query).replaceAll(bgIds(t)[1]!, bgIds(t)[0]!).replaceAll("breakglass-02@", "breakglass-01@");
    },
  },
  {
    name: "the tripwire's query reads the wrong table",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    modes: ["update"],
    stack: (s) => {
      const c = firstCondition(tripwire(s));
      c.query = String(c.query).replace(/^SigninLogs$/m, "AADServicePrincipalSignInLogs");
    },
    tenant: (t) => {
      const c = ((tenantTripwire(t).criteria as Json).allOf as Json[])[0]!;
      c.query = String(c.query).replace(/^SigninLogs$/m, "AADServicePrincipalSignInLogs");
    },
  },
  {
    name: "the tripwire's query is built from someone else at preview",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    modes: ["preview"],
    stack: (s) => {
      const other = resource(providerTypes.user, "someone", { userPrincipalName: EVIL_UPN });
      s.push(other);
      tripwire(s).propertyDependencies.criteria = [byName(s, "breakglass-breakglass-01").urn, other.urn];
    },
  },
  {
    name: "the tripwire reads another workspace",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => {
      const r = tripwire(s);
      r.inputs.scopes = [
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/other/providers/Microsoft.OperationalInsights/workspaces/elsewhere",
      ];
      delete r.propertyDependencies.scopes;
    },
    tenant: (t) =>
      void (tenantTripwire(t).scopes = [
        "/subscriptions/22222222-3333-4444-5555-666666666666/resourceGroups/other/providers/Microsoft.OperationalInsights/workspaces/elsewhere",
      ]),
  },
  {
    name: "the tripwire's action group has no receiver",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => void (byName(s, "monitoring-action-group").inputs.emailReceivers = []),
    tenant: (t) => void ((t.actionGroups[0]!.properties as Json).emailReceivers = []),
  },
  {
    name: "the tripwire's action group disabled",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => void (byName(s, "monitoring-action-group").inputs.enabled = false),
    tenant: (t) => void ((t.actionGroups[0]!.properties as Json).enabled = false),
  },
  {
    name: "the tripwire wired to no action group",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => {
      const r = tripwire(s);
      r.inputs.actions = { actionGroups: [] };
      delete r.propertyDependencies.actions;
    },
    tenant: (t) => void (tenantTripwire(t).actions = { actionGroups: [] }),
  },
  {
    name: "the non-interactive tripwire deleted",
    rule: "TRIPWIRE-FIRES",
    verdict: "violation",
    stack: (s) => void s.splice(s.indexOf(tripwire(s, "non-interactive-sign-in")), 1),
    tenant: (t) => void t.scheduledQueryRules.splice(1, 1),
  },
  {
    name: "a longer window and more receivers",
    rule: "TRIPWIRE-FIRES",
    verdict: "clean",
    stack: (s) => {
      tripwire(s).inputs.windowSize = "PT30M";
      (byName(s, "monitoring-action-group").inputs.emailReceivers as unknown[]).push({
        name: "ciso",
        emailAddress: "ciso@contoso.com",
      });
    },
    tenant: (t) => {
      tenantTripwire(t).windowSize = "PT30M";
      ((t.actionGroups[0]!.properties as Json).emailReceivers as unknown[]).push({
        name: "ciso",
        emailAddress: "ciso@contoso.com",
      });
    },
  },
  {
    name: "extra alerts that are not tripwires",
    rule: "TRIPWIRE-FIRES",
    verdict: "clean",
    stack: (s) =>
      void s.push(
        resource(providerTypes.scheduledQueryRule, "risky-users", {
          ruleName: "risky-users",
          displayName: "Risky users",
          enabled: true,
          severity: 2,
          evaluationFrequency: "PT15M",
          windowSize: "PT1H",
          scopes: [WORKSPACE_ID],
          criteria: {
            allOf: [
              {
                query: "AADRiskyUsers | where RiskLevel == 'high'",
                timeAggregation: "Count",
                operator: "GreaterThan",
                threshold: 0,
              },
            ],
          },
        }),
      ),
    tenant: (t) =>
      void t.scheduledQueryRules.push({
        id: `${WORKSPACE_ID}/../risky-users`,
        name: "risky-users",
        kind: "LogAlert",
        properties: {
          displayName: "Risky users",
          enabled: true,
          severity: 2,
          evaluationFrequency: "PT15M",
          windowSize: "PT1H",
          scopes: [WORKSPACE_ID],
          criteria: { allOf: [{ query: "AADRiskyUsers | where RiskLevel == 'high'" }] },
        },
      }),
  },

  // ——— Sentinel, in addition to the tripwire (monitoring.sentinel.enabled) ———
  {
    name: "Sentinel enabled: both tripwires also run as matching NRT rules",
    rule: "SENTINEL-MATCHES-TRIPWIRE",
    verdict: "clean",
    both: true,
    config: SENTINEL_ON,
  },
  {
    name: "Sentinel enabled: the Sentinel tripwire is suppressed after its first alert",
    rule: "SENTINEL-MATCHES-TRIPWIRE",
    verdict: "violation",
    config: SENTINEL_ON,
    stack: (s) => void (sentinelStackTripwire(s).inputs.suppressionEnabled = true),
    tenant: (t) => void ((t.sentinelAlertRules![0]!.properties as Json).suppressionEnabled = true),
  },
  {
    name: "Sentinel enabled: the Sentinel tripwire runs a query that misses an emergency account",
    rule: "SENTINEL-MATCHES-TRIPWIRE",
    verdict: "violation",
    modes: ["update"],
    config: SENTINEL_ON,
    stack: (s) =>
      void (sentinelStackTripwire(s).inputs.query = String(sentinelStackTripwire(s).inputs.query).replace(
        /, "breakglass-02@[^"]*"/,
        "",
      )),
    tenant: (t) =>
      void ((t.sentinelAlertRules![0]!.properties as Json).query = String(
        (t.sentinelAlertRules![0]!.properties as Json).query,
      ).replace(/, "breakglass-02@[^"]*"/, "")),
  },
  {
    name: "Sentinel enabled but no Sentinel tripwire",
    rule: "SENTINEL-MATCHES-TRIPWIRE",
    verdict: "violation",
    config: SENTINEL_ON,
    stack: (s) => void s.splice(0, s.length, ...s.filter((r) => !r.name.startsWith("monitoring-sentinel-"))),
    tenant: (t) => void delete t.sentinelAlertRules,
  },

  // ——— 6. The logs arrive and stay ———
  {
    name: "non-interactive sign-ins no longer streamed",
    rule: "LOGS-ARRIVE-AND-STAY",
    verdict: "violation",
    stack: (s) =>
      void ((byName(s, "monitoring-entra-logs").inputs.logs as Json[]).find(
        (l) => l.category === "NonInteractiveUserSignInLogs",
      )!.enabled = false),
    tenant: (t) =>
      void (((t.diagnosticSettings[0]!.properties as Json).logs as Json[]).find(
        (l) => l.category === "NonInteractiveUserSignInLogs",
      )!.enabled = false),
  },
  {
    name: "the categories split over two workspaces",
    rule: "LOGS-ARRIVE-AND-STAY",
    verdict: "violation",
    stack: (s) => {
      const d = byName(s, "monitoring-entra-logs");
      d.inputs.logs = (d.inputs.logs as Json[]).filter((l) => l.category !== "AuditLogs");
      s.push(
        resource(providerTypes.diagnosticSetting, "audit-elsewhere", {
          name: "audit-elsewhere",
          workspaceId:
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x/providers/Microsoft.OperationalInsights/workspaces/other",
          logs: [{ category: "AuditLogs", enabled: true }],
        }),
      );
    },
    tenant: (t) => {
      const p = t.diagnosticSettings[0]!.properties as Json;
      p.logs = (p.logs as Json[]).filter((l) => l.category !== "AuditLogs");
      t.diagnosticSettings.push({
        id: "/providers/microsoft.aadiam/diagnosticSettings/audit-elsewhere",
        name: "audit-elsewhere",
        properties: {
          workspaceId:
            "/subscriptions/22222222-3333-4444-5555-666666666666/resourceGroups/x/providers/Microsoft.OperationalInsights/workspaces/other",
          logs: [{ category: "AuditLogs", enabled: true }],
        },
      });
    },
  },
  {
    name: "a daily cap on the tripwires' workspace",
    rule: "LOGS-ARRIVE-AND-STAY",
    verdict: "violation",
    stack: (s) => void (byName(s, "monitoring-workspace").inputs.workspaceCapping = { dailyQuotaGb: 5 }),
    tenant: (t) => void ((t.workspaces[0]!.properties as Json).workspaceCapping = { dailyQuotaGb: 5 }),
  },
  {
    name: "the workspace keeps logs 30 days",
    rule: "LOGS-ARRIVE-AND-STAY",
    verdict: "violation",
    stack: (s) => void (byName(s, "monitoring-workspace").inputs.retentionInDays = 30),
    tenant: (t) => void ((t.workspaces[0]!.properties as Json).retentionInDays = 30),
  },
  {
    name: "SigninLogs kept 30 days by a table-level retention",
    rule: "LOGS-ARRIVE-AND-STAY",
    verdict: "violation",
    stack: (s) => {
      const t = dependsOn(
        resource("azure-native:operationalinsights:Table", "signin-table", {
          workspaceName: "law-entra-baseline-prod",
          resourceGroupName: "rg-entra-baseline-prod",
          tableName: "SigninLogs",
          retentionInDays: 30,
        }),
        "workspaceName",
        byName(s, "monitoring-workspace"),
      );
      s.push(t);
    },
    tenant: (t) => void (t.tables[WORKSPACE_ID.toLowerCase()]![0] = table(WORKSPACE_ID, "SigninLogs", 30)),
  },
  {
    name: "an ingestion-time transformation drops sign-ins",
    rule: "LOGS-ARRIVE-AND-STAY",
    verdict: "violation",
    stack: (s) => {
      const dcr = resource("azure-native:monitor:DataCollectionRule", "workspace-transforms", {
        dataCollectionRuleName: "dcr-transforms",
        resourceGroupName: "rg-entra-baseline-prod",
        kind: "WorkspaceTransforms",
        dataFlows: [
          {
            streams: ["Microsoft-Table-SigninLogs"],
            destinations: ["ws"],
            transformKql: "source | where UserPrincipalName !startswith 'breakglass'",
          },
        ],
      });
      s.push(dcr);
      const w = byName(s, "monitoring-workspace");
      w.inputs.defaultDataCollectionRuleResourceId =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-entra-baseline-prod/providers/Microsoft.Insights/dataCollectionRules/dcr-transforms";
    },
    tenant: (t) => {
      const id =
        "/subscriptions/22222222-3333-4444-5555-666666666666/resourceGroups/rg-entra-baseline-prod/providers/Microsoft.Insights/dataCollectionRules/dcr-transforms";
      t.dataCollectionRules.push({
        id,
        name: "dcr-transforms",
        kind: "WorkspaceTransforms",
        properties: {
          dataFlows: [
            {
              streams: ["Microsoft-Table-SigninLogs"],
              destinations: ["ws"],
              transformKql: "source | where UserPrincipalName !startswith 'breakglass'",
            },
          ],
        },
      });
      (t.workspaces[0]!.properties as Json).defaultDataCollectionRuleResourceId = id;
    },
  },
  {
    name: "no diagnostic setting streams the logs",
    rule: "LOGS-ARRIVE-AND-STAY",
    verdict: "violation",
    stack: (s) => void s.splice(s.indexOf(byName(s, "monitoring-entra-logs")), 1),
    tenant: (t) => void (t.diagnosticSettings = []),
  },
  {
    name: "two resources write the same diagnostic setting",
    rule: "LOGS-ARRIVE-AND-STAY",
    verdict: "violation",
    stack: (s) =>
      void s.push({
        ...JSON.parse(JSON.stringify(byName(s, "monitoring-entra-logs"))),
        urn: "urn:pulumi:test::entra-baseline::azure-native:aadiam:DiagnosticSetting::dup",
        name: "dup",
      }),
  },
  {
    name: "extra log categories, longer table retention, a copy to storage",
    rule: "LOGS-ARRIVE-AND-STAY",
    verdict: "clean",
    stack: (s) => {
      (byName(s, "monitoring-entra-logs").inputs.logs as Json[]).push({ category: "ProvisioningLogs", enabled: true });
      s.push(
        dependsOn(
          resource("azure-native:operationalinsights:Table", "signin-table", {
            workspaceName: "law-entra-baseline-prod",
            resourceGroupName: "rg-entra-baseline-prod",
            tableName: "SigninLogs",
            retentionInDays: 365,
          }),
          "workspaceName",
          byName(s, "monitoring-workspace"),
        ),
      );
    },
    tenant: (t) => {
      ((t.diagnosticSettings[0]!.properties as Json).logs as Json[]).push({
        category: "ProvisioningLogs",
        enabled: true,
      });
      t.tables[WORKSPACE_ID.toLowerCase()]![0] = table(WORKSPACE_ID, "SigninLogs", 365);
      t.diagnosticSettings.push({
        id: "/providers/microsoft.aadiam/diagnosticSettings/archive",
        name: "archive",
        properties: {
          workspaceId: "",
          storageAccountId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/archive",
          logs: [{ category: "AuditLogs", enabled: true }],
        },
      });
    },
  },

  // ——— 7. The emergency accounts keep their FIDO2 keys ———
  {
    name: "the FIDO2 method is disabled",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    stack: (s) => void (fido2Resource(s).inputs.state = "disabled"),
    tenant: (t) => void (t.fido2Policy.state = "disabled"),
  },
  {
    name: "the FIDO2 method targets another group than the emergency group",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    stack: (s) => void (fido2Resource(s).inputs.targetGroupId = EVIL_GROUP),
    tenant: (t) => void (emergencyTarget(t).id = EVIL_GROUP),
  },
  {
    name: "the emergency group is excluded from the FIDO2 method",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    tenant: (t) => void (t.fido2Policy.excludeTargets as Json[]).push({ targetType: "group", id: bgGroupId(t) }),
  },
  {
    name: "the emergency profile also allows synced passkeys, which the stack does not declare",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    stack: (s) => void (fido2Profile(s).passkeyTypes = "deviceBound,synced"),
    tenant: (t) => void (emergencyProfile(t).passkeyTypes = "deviceBound,synced"),
  },
  {
    name: "the emergency profile does not enforce attestation",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    stack: (s) => void (fido2Profile(s).attestationEnforcement = "disabled"),
    tenant: (t) => void (emergencyProfile(t).attestationEnforcement = "disabled"),
  },
  {
    name: "the emergency profile's allow-list leaves out a declared key model",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    stack: (s) =>
      void (fido2Profile(s).keyRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: [OTHER_AAGUID] }),
    tenant: (t) =>
      void (emergencyProfile(t).keyRestrictions = {
        isEnforced: true,
        enforcementType: "allow",
        aaGuids: [OTHER_AAGUID],
      }),
  },
  {
    name: "the emergency profile blocks the declared key models",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    stack: (s) =>
      void (fido2Profile(s).keyRestrictions = {
        isEnforced: true,
        enforcementType: "block",
        aaGuids: [...DECLARED_AAGUIDS],
      }),
    tenant: (t) =>
      void (emergencyProfile(t).keyRestrictions = {
        isEnforced: true,
        enforcementType: "block",
        aaGuids: [...DECLARED_AAGUIDS],
      }),
  },
  {
    name: "the emergency group's target names a passkey profile that does not exist",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    tenant: (t) => void (emergencyTarget(t).allowedPasskeyProfiles = ["dead0000-0000-4000-8000-00000000dead"]),
  },
  {
    name: "the stack declares no FIDO2 method policy",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    stack: (s) => void s.splice(s.indexOf(fido2Resource(s)), 1),
  },
  {
    name: "an emergency account's only key is of a model the stack does not declare",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "violation",
    tenant: (t) => {
      const methods = t.methods[bgIds(t)[0]!]!;
      const key = methods.find((m) => String(m["@odata.type"]).includes("fido2"))!;
      key.aaGuid = OTHER_AAGUID;
      key.model = "Unknown authenticator";
    },
  },
  {
    name: "other teams' FIDO2 targets and profiles beside the emergency group's",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "clean",
    tenant: (t) => {
      (t.fido2Policy.includeTargets as Json[]).push({
        targetType: "group",
        id: "3c3c3c3c-0000-4000-8000-00000000c3c3",
        isRegistrationRequired: false,
        allowedPasskeyProfiles: ["00000000-0000-0000-0000-000000000001"],
      });
    },
  },
  {
    name: "the emergency profile's allow-list in upper case and in another order",
    rule: "FIDO2-KEEPS-KEYS",
    verdict: "clean",
    stack: (s) =>
      void (fido2Profile(s).keyRestrictions = {
        isEnforced: true,
        enforcementType: "allow",
        aaGuids: [...DECLARED_AAGUIDS].reverse().map((a) => a.toUpperCase()),
      }),
    tenant: (t) =>
      void (emergencyProfile(t).keyRestrictions = {
        isEnforced: true,
        enforcementType: "allow",
        aaGuids: [...DECLARED_AAGUIDS].reverse().map((a) => a.toUpperCase()),
      }),
  },

  // ——— 8. Nothing writes the model's objects behind its back ———
  {
    name: "a dynamic resource of the user's own that PATCHes a PIM policy",
    rule: "NO-FOREIGN-WRITERS",
    verdict: "violation",
    stack: (s) =>
      void s.push(
        untypedResource("pulumi-nodejs:dynamic:Resource", "tweak-pim", {
          __provider:
            "exports.handler = async () => fetch('https://graph.microsoft.com/v1.0/policies/roleManagementPolicies/x/rules/Expiration_EndUser_Assignment', { method: 'PATCH' })",
        }),
      ),
  },
  {
    name: "a command that resets an emergency account through Graph",
    rule: "NO-FOREIGN-WRITERS",
    verdict: "violation",
    modes: ["update"],
    stack: (s) =>
      void s.push(
        untypedResource("command:local:Command", "reset", {
          create:
            "az rest --method patch --url https://graph.microsoft.com/v1.0/users/breakglass-01@contoso.onmicrosoft.com --body '{\"accountEnabled\":false}'",
        }),
      ),
  },
  {
    name: "a deployment script that edits Conditional Access",
    rule: "NO-FOREIGN-WRITERS",
    verdict: "violation",
    stack: (s) =>
      void s.push(
        resource("azure-native:resources:AzureCliScript", "ca-script", {
          scriptContent:
            "az rest --method patch --url https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies/123",
        }),
      ),
  },
  {
    name: "two resources write the same Conditional Access policy",
    rule: "NO-FOREIGN-WRITERS",
    verdict: "violation",
    stack: (s) =>
      void s.push({
        ...JSON.parse(JSON.stringify(byName(s, "ca-1"))),
        urn: "urn:pulumi:test::entra-baseline::azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy::ca-1-copy",
        name: "ca-1-copy",
      }),
  },
  {
    name: "an unrelated dynamic resource and an unrelated cloud resource",
    rule: "NO-FOREIGN-WRITERS",
    verdict: "clean",
    stack: (s) => {
      s.push(
        untypedResource("pulumi-nodejs:dynamic:Resource", "ticket-sync", {
          __provider: "exports.handler = async () => fetch('https://contoso.atlassian.net/rest/api/3/issue')",
        }),
      );
      s.push(untypedResource("aws:s3/bucket:Bucket", "reports", { bucket: "contoso-reports" }));
    },
  },

  // ——— More legitimate variations ———
  {
    name: "adopted emergency accounts keep their own passwords",
    rule: "BREAKGLASS-ACCOUNTS",
    verdict: "clean",
    config: (raw) => {
      raw.breakglass = {
        ...raw.breakglass,
        count: undefined,
        accounts: [
          { name: "breakglass-01", objectId: "b0000000-0000-4000-8000-0000000000b1", password: "keepExisting" },
          { name: "breakglass-02", objectId: "b0000000-0000-4000-8000-0000000000b2", password: "keepExisting" },
        ],
      };
      delete raw.breakglass.count;
    },
    stack: (s) => {
      for (const name of ["breakglass-01", "breakglass-02"]) {
        const u = byName(s, `breakglass-${name}`);
        delete u.inputs.password;
        delete u.propertyDependencies.password;
        s.splice(s.indexOf(byName(s, `breakglass-${name}-password`)), 1);
      }
    },
    both: true,
  },
  {
    name: "a role outside Tier-0 made just-in-time with a template of its own (8 hours, no approval)",
    rule: "ACTIVATION-POLICY",
    verdict: "clean",
    both: true,
    config: (raw) => {
      raw.pim.templates = {
        helpdesk: {
          maxActivationDuration: "PT8H",
          requireJustification: true,
          requireTicket: false,
          requireApproval: false,
        },
      };
      raw.pim.roles.push({
        role: "Helpdesk Administrator",
        template: "helpdesk",
        eligibleUsers: ["megan.bowen@contoso.com"],
      });
    },
  },
  {
    name: "a CA policy for one group that also excludes the emergency group",
    rule: "CA-EXCLUDES-BREAKGLASS",
    verdict: "clean",
    stack: (s, _c, mode) =>
      void s.push(
        dependsOn(
          resource(providerTypes.conditionalAccessPolicy, "finance-policy", {
            displayName: "Finance: compliant devices",
            state: "enabled",
            conditions: {
              clientAppTypes: ["all"],
              applications: { includedApplications: ["All"] },
              users: {
                includedGroups: [ADMINS_GROUP],
                excludedGroups: [mode === "preview" ? unknownStringValue : ids.group],
              },
            },
            grantControls: { operator: "OR", builtInControls: ["compliantDevice"] },
          }),
          "conditions",
          byName(s, "breakglass-group"),
        ),
      ),
    tenant: (t) =>
      void t.caPolicies.push({
        id: guid(79, "ca000000"),
        displayName: "Finance: compliant devices",
        state: "enabled",
        conditions: {
          users: {
            includeUsers: [],
            excludeUsers: [],
            includeGroups: [ADMINS_GROUP],
            excludeGroups: [String(t.groups[0]!.id)],
            includeRoles: [],
            excludeRoles: [],
          },
          applications: { includeApplications: ["All"] },
          clientAppTypes: ["all"],
        },
        grantControls: { operator: "OR", builtInControls: ["compliantDevice"] },
      }),
  },
  {
    name: "the tripwire's severity and threshold given as the strings ARM also accepts",
    rule: "TRIPWIRE-FIRES",
    verdict: "clean",
    stack: (s) => {
      tripwire(s).inputs.severity = "0";
      firstCondition(tripwire(s)).threshold = "0";
    },
  },
  {
    name: "the activation context's CA policy re-prompts for the second factor only, every time",
    rule: "ACTIVATION-FRESH-MFA",
    verdict: "clean",
    stack: (s) =>
      void (((activationCa(s).inputs.sessionControls as Json).signInFrequency as Json).authenticationType =
        "secondaryAuthentication"),
    tenant: (t) =>
      void (((activationCaPolicyOf(t).sessionControls as Json).signInFrequency as Json).authenticationType =
        "secondaryAuthentication"),
  },

  // ——— Custom roles ———
  {
    name: "a custom role granting Tier-0 permissions, reported for review",
    rule: "CUSTOM-TIER0",
    verdict: "violation",
    tenant: (t) =>
      void t.roleDefinitions.push({
        id: CUSTOM_ROLE,
        displayName: "Helpdesk plus",
        isBuiltIn: false,
        isEnabled: true,
        rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/password/update"] }],
      }),
  },
  {
    name: "a custom role with harmless permissions",
    rule: "CUSTOM-TIER0",
    verdict: "clean",
    tenant: (t) =>
      void t.roleDefinitions.push({
        id: CUSTOM_ROLE,
        displayName: "Reader plus",
        isBuiltIn: false,
        isEnabled: true,
        rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/standard/read"] }],
      }),
  },
];

/** Roles the table proves are judged alike (every Tier-0 role, not just Global Administrator). */
export const ROLES_EXERCISED = [
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  EXCHANGE_ADMINISTRATOR,
  USER_ADMINISTRATOR,
  CONDITIONAL_ACCESS_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  APPLICATION_ADMINISTRATOR,
];

export { actionGroup };
