/**
 * A realistic brownfield tenant for the write commands: what `healthyTenant` builds for a stack, taken back to the
 * day before the rollout. Dozens of standing Tier-0 admins (made through PIM and directly, for Global Administrator
 * and three more managed roles, one already eligible as if half moved), holders the stack does not list (people and
 * an old automation app), a role-assignable group holding Global Administrator, an assignment scoped to an
 * administrative unit, the directory sync account and the deploying identity (both declared exceptions), and — unless
 * asked otherwise — an unhealthy emergency path: a Microsoft-managed CA policy, switched on, that excludes nobody, and
 * one emergency account without a FIDO2 key. Also CA policies remediation must fix (another Microsoft-managed one in
 * report-only, a hand-made one) and one it must leave alone (a workload-identity policy).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import {
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  SECURITY_ADMINISTRATOR,
  USER_ADMINISTRATOR,
} from "@entra-baseline/model";
import type { BaselineConfig } from "../../../src/config/validate";
import { rawConfig, validConfig } from "../stack";
import {
  assignmentInstance,
  assignmentSchedule,
  caPolicy,
  guid,
  healthyTenant,
  user,
  type Json,
  type TenantData,
} from "./tenant";

export const BROWNFIELD_STACK = "brownfield";
export const TENANT_ID = "11111111-2222-3333-4444-555555555555";

/** The six Global Administrators the stack lists (with the two emergency accounts: CISA's eight at most). */
export const GA_ADMINS = [
  "adele.vance@contoso.com",
  "megan.bowen@contoso.com",
  "nestor.wilke@contoso.com",
  "alex.wilber@contoso.com",
  "diego.siciliani@contoso.com",
  "grady.archie@contoso.com",
];
/** Already eligible before the run (a rollout someone started by hand): its eligibility step has nothing to do. */
export const ALREADY_ELIGIBLE = "nestor.wilke@contoso.com";

export const DEPLOYER = {
  id: guid(1, "de000000"),
  appId: guid(2, "de000000"),
  displayName: "entra-baseline-deploy-prod",
};
export const AUTOMATION = { id: guid(3, "de000000"), appId: guid(4, "de000000"), displayName: "old-provisioning-app" };
export const SYNC = { id: guid(1, "5c000000"), upn: "Sync_DC01_3f9a2b@contoso.onmicrosoft.com" };
export const LEGACY_GROUP = { id: guid(7, "9b000000"), displayName: "Tier0 legacy admins" };
export const CONTRACTOR = { id: guid(1, "c0000000"), upn: "contractor@contoso.com" };
export const SCOPED = { id: guid(2, "c0000000"), upn: "au.admin@contoso.com" };
export const UNLISTED = [1, 2, 3].map((i) => ({ id: guid(i, "0e000000"), upn: `legacy.admin${i}@contoso.com` }));
export const MANAGED_POLICY = guid(1, "ca0ff000");
export const MANAGED_REPORT_ONLY = guid(2, "ca0ff000");
export const HAND_MADE = guid(3, "ca0ff000");
export const WORKLOAD_POLICY = guid(4, "ca0ff000");

export const MANAGED_ROLES = {
  [PRIVILEGED_ROLE_ADMINISTRATOR]: { name: "Privileged Role Administrator", prefix: "pra.admin" },
  [SECURITY_ADMINISTRATOR]: { name: "Security Administrator", prefix: "sec.admin" },
  [USER_ADMINISTRATOR]: { name: "User Administrator", prefix: "user.admin" },
} as const;

export interface BrownfieldOptions {
  /** Listed standing admins per managed role besides Global Administrator (default 10), or one count per role. */
  perRole?: number | readonly [number, number, number];
  /** "unhealthy" (default): a Microsoft-managed enabled policy excludes nobody and breakglass-02 has no FIDO2 key. */
  emergencyPath?: "healthy" | "unhealthy";
  /** A listed admin who has registered no method that satisfies the activation strength. */
  weakAdmin?: string;
  /** monitoring.remediation.caExclusions. */
  remediation?: boolean;
  /** tenant.endpoints.graph (the loopback fake). */
  graphUrl?: string;
}

/** The stack's raw config (keys without the namespace). */
export function brownfieldRaw(options: BrownfieldOptions = {}): Record<string, any> {
  const raw = rawConfig();
  const counts =
    typeof options.perRole === "object"
      ? options.perRole
      : [0, 1, 2].map(() => (options.perRole as number | undefined) ?? 10);
  raw.pim.eligibleAdmins = [...GA_ADMINS];
  raw.pim.roles = Object.values(MANAGED_ROLES).map((r, n) => ({
    role: r.name,
    eligibleUsers: Array.from({ length: counts[n]! }, (_, i) => `${r.prefix}${i + 1}@contoso.com`),
  }));
  raw.exceptions = [
    {
      principal: DEPLOYER.id,
      principalType: "servicePrincipal",
      label: DEPLOYER.displayName,
      roles: ["Global Administrator", "Privileged Role Administrator", "Privileged Authentication Administrator"],
      reason: "The pipeline's write identity deploys the baseline itself",
      owner: "identity-team@contoso.com",
      expires: "2099-12-31",
    },
    {
      principal: SYNC.id,
      principalType: "user",
      label: "Entra Connect sync account",
      roles: ["Directory Synchronization Accounts"],
      reason: "Entra Connect synchronises the on-premises directory",
      owner: "identity-team@contoso.com",
      expires: "2099-12-31",
    },
  ];
  if (options.remediation) raw.monitoring.remediation = { caExclusions: true };
  if (options.graphUrl) raw.tenant.endpoints = { graph: options.graphUrl };
  return raw;
}

export function brownfieldConfig(options: BrownfieldOptions = {}): BaselineConfig {
  const raw = brownfieldRaw(options);
  return validConfig((r) => Object.assign(r, structuredClone(raw)));
}

/** Writes Pulumi.brownfield.yaml into `dir` (with Pulumi.yaml beside it); returns the stack name. */
export function writeBrownfieldStack(dir: string, options: BrownfieldOptions = {}): string {
  const raw = brownfieldRaw(options);
  const config: Record<string, unknown> = { "azure-native:location": "westeurope" };
  for (const [key, value] of Object.entries(raw)) config[`entra-baseline:${key}`] = value;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: entra-baseline\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, `Pulumi.${BROWNFIELD_STACK}.yaml`), stringify({ config }));
  return BROWNFIELD_STACK;
}

export interface Brownfield {
  data: TenantData;
  /** userRegistrationDetails.methodsRegistered by user id. */
  registrations: Record<string, string[]>;
  managedPolicies: string[];
  /** Object id of a user by UPN. */
  id(upn: string): string;
  /** Every listed standing (principal, role): what a transition moves. */
  listed: { principalId: string; roleId: string; upn: string; path: "pim" | "direct" }[];
}

export function brownfieldTenant(config: BaselineConfig, options: BrownfieldOptions = {}): Brownfield {
  const data = healthyTenant(config);
  const byUpn = (upn: string) =>
    data.users.find((u) => String(u.userPrincipalName).toLowerCase() === upn.toLowerCase());
  const id = (upn: string) => {
    const u = byUpn(upn);
    if (!u) throw new Error(`brownfield: no user ${upn}`);
    return String(u.id);
  };
  const listed: Brownfield["listed"] = [];
  let n = 100;
  const standing = (principalId: string, roleId: string, pim: boolean, extra: Json = {}) => {
    n++;
    data.assignmentInstances.push(assignmentInstance(n, roleId, principalId, extra));
    data.assignmentSchedules.push(
      assignmentSchedule(n, roleId, principalId, pim ? { ...extra } : { createdUsing: null, ...extra }),
    );
  };

  // The listed admins hold their roles standing, half of them through PIM, half directly; only one is eligible yet.
  const roles: [string, string[]][] = [
    [GLOBAL_ADMINISTRATOR, config.pim.eligibleAdmins],
    ...config.pim.roles.map((r): [string, string[]] => {
      const roleId = Object.entries(MANAGED_ROLES).find(([, v]) => v.name === r.role)?.[0] ?? r.role;
      return [roleId, r.eligibleUsers];
    }),
  ];
  const alreadyEligible = id(ALREADY_ELIGIBLE);
  data.eligibilityInstances = data.eligibilityInstances.filter(
    (e) => e.principalId === alreadyEligible && e.roleDefinitionId === GLOBAL_ADMINISTRATOR,
  );
  for (const [roleId, upns] of roles) {
    upns.forEach((upn, i) => {
      const pim = i % 2 === 0;
      standing(id(upn), roleId, pim);
      listed.push({ principalId: id(upn), roleId, upn, path: pim ? "pim" : "direct" });
    });
  }

  // The deploying identity and the sync account: declared exceptions, never touched.
  data.servicePrincipals.push(
    { id: DEPLOYER.id, appId: DEPLOYER.appId, displayName: DEPLOYER.displayName },
    { id: AUTOMATION.id, appId: AUTOMATION.appId, displayName: AUTOMATION.displayName },
  );
  for (const role of [GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR])
    standing(DEPLOYER.id, role, false);
  data.users.push(
    user(SYNC.id, SYNC.upn, {
      onPremisesSyncEnabled: null,
      displayName: "On-Premises Directory Synchronization Service Account",
    }),
  );
  standing(SYNC.id, DIRECTORY_SYNCHRONIZATION_ACCOUNTS, false);

  // Holders the stack does not list: people and an automation app.
  for (const u of UNLISTED) {
    data.users.push(user(u.id, u.upn));
    standing(u.id, GLOBAL_ADMINISTRATOR, false);
  }
  standing(AUTOMATION.id, PRIVILEGED_ROLE_ADMINISTRATOR, false);

  // A role-assignable group holding Global Administrator: one member listed for another role, one contractor.
  data.users.push(user(CONTRACTOR.id, CONTRACTOR.upn), user(SCOPED.id, SCOPED.upn));
  const secAdmin = id(`${MANAGED_ROLES[SECURITY_ADMINISTRATOR].prefix}1@contoso.com`);
  data.groups.push({
    "@odata.type": "#microsoft.graph.group",
    id: LEGACY_GROUP.id,
    displayName: LEGACY_GROUP.displayName,
    isAssignableToRole: true,
    securityEnabled: true,
    members: [secAdmin, CONTRACTOR.id],
    owners: [],
  });
  standing(LEGACY_GROUP.id, GLOBAL_ADMINISTRATOR, false);
  // An assignment scoped to an administrative unit.
  standing(SCOPED.id, USER_ADMINISTRATOR, false, { directoryScopeId: "/administrativeUnits/" + guid(1, "a0000000") });

  // Conditional Access: Microsoft-managed policies appear outside any stack.
  const exclusion = String(data.groups[0]!.id);
  const managedEnabled = caPolicy(1, options.emergencyPath === "healthy" ? [exclusion] : [], {
    users: { includeUsers: [], includeRoles: [GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR] },
  });
  data.caPolicies.push(
    {
      ...managedEnabled,
      id: MANAGED_POLICY,
      displayName: "Multifactor authentication for admins accessing Microsoft Admin Portals",
      templateId: null,
    },
    {
      ...caPolicy(2, [], { state: "enabledForReportingButNotEnforced" }),
      id: MANAGED_REPORT_ONLY,
      displayName: "Block legacy authentication",
      templateId: null,
      conditions: {
        ...(caPolicy(2, []).conditions as Json),
        clientAppTypes: ["exchangeActiveSync", "other"],
      },
      grantControls: { operator: "OR", builtInControls: ["block"] },
    },
    {
      ...caPolicy(3, options.emergencyPath === "healthy" ? [LEGACY_GROUP.id, exclusion] : [LEGACY_GROUP.id]),
      id: HAND_MADE,
      displayName: "Require compliant device for admins",
    },
    {
      ...caPolicy(4, []),
      id: WORKLOAD_POLICY,
      displayName: "Block workload identities from outside the network",
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
        clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"], excludeServicePrincipals: [] },
        clientAppTypes: ["all"],
      },
    },
  );
  if (options.emergencyPath !== "healthy") {
    const second = String(data.users.find((u) => String(u.userPrincipalName).startsWith("breakglass-02"))!.id);
    data.methods[second] = data.methods[second]!.filter(
      (m) => m["@odata.type"] !== "#microsoft.graph.fido2AuthenticationMethod",
    );
  }

  const registrations: Record<string, string[]> = {};
  for (const l of listed) registrations[l.principalId] = ["microsoftAuthenticatorPush", "softwareOneTimePasscode"];
  if (options.weakAdmin) registrations[id(options.weakAdmin)] = ["email"];
  return { data, registrations, managedPolicies: [MANAGED_POLICY, MANAGED_REPORT_ONLY], id, listed };
}

/** An unsigned JWT with these claims: the shape Entra issues, for the code that reads `oid`, `tid` and `idtyp`. */
export function unsignedJwt(claims: Json): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.fake-signature`;
}

/** The deploying identity's app-only token. */
export function deployerToken(): string {
  return unsignedJwt({
    aud: "https://graph.microsoft.com",
    tid: TENANT_ID,
    oid: DEPLOYER.id,
    appid: DEPLOYER.appId,
    idtyp: "app",
    roles: ["RoleManagement.ReadWrite.Directory"],
  });
}
