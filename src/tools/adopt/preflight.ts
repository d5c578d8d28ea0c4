/**
 * The preflight: what would lock someone out, or change under people's feet, if the stack were deployed into the
 * tenant as the snapshot shows it. Pure (view + validated config + the planned resources → report), so `npm run
 * adopt` and `npm run plan -- --preflight` judge the same stack the same way. Every judgement is the model's:
 * strength satisfaction (registeredMethodsSatisfy), approvers (requestersWithoutApprover), the activation context's
 * other users (otherPoliciesOnContext), exposure of the emergency accounts (policiesReachingEmergencyAccounts), the
 * emergency path (emergencyPathGaps), standing access (judgeHolding); this module only gathers the facts.
 *
 * A risk is something that would lock an admin or an emergency account out, or that the preflight could not verify;
 * one risk makes the command exit 1. A notice is a change worth knowing about that locks nobody out.
 */
import {
  emergencyPathGaps,
  fido2PolicyFacts,
  judgeHolding,
  otherPoliciesOnContext,
  policiesReachingEmergencyAccounts,
  registeredMethodsSatisfy,
  requestersWithoutApprover,
  resolveRole,
  roleName,
  STRENGTH_NAMES,
  type ActivationStrength,
  type ApproverRef,
  type CaPolicyFacts,
} from "@entra-baseline/model";
import { activationContexts } from "../../config/activationSettings";
import { managedRoles } from "../../config/managedRoles";
import type { BaselineConfig } from "../../config/validate";
import { activationPolicyBody, TIER0_ADMIN_ROLE_IDS } from "../../components/conditionalAccess/policies";
import {
  type Fido2Configuration,
  type Fido2MethodPolicyProps,
} from "../../components/breakglass/fido2MethodPolicyProvider";
import { buildContext, principalTypeOf } from "../audit/context";
import { liveHoldings } from "../audit/checks/standing";
import { asRecord, lower, stringList } from "../audit/raw";
import { purposeOfDisplayName } from "./imports";
import { matchBaselinePolicies, type AdoptedPolicy } from "./propose";
import { isPermanentGlobalAdministrator, type TenantView } from "./view";

export const RISK_KINDS = [
  "activation",
  "adminSignIn",
  "approvers",
  "context",
  "fido2",
  "emergencyExposure",
  "emergencyPath",
  "globalAdminCount",
  "adoptedPolicy",
  "adoption",
  "unverified",
] as const;
export type RiskKind = (typeof RISK_KINDS)[number];

export interface Risk {
  kind: RiskKind;
  /** Who or what is at risk. */
  object: string;
  problem: string;
  fix: string;
}

export interface Notice {
  kind: RiskKind | "holders" | "password" | "adoption";
  text: string;
}

export interface HolderFate {
  principal: string;
  role: string;
  today: string;
  after: string;
}

export interface PreflightReport {
  tenantId?: string;
  takenAt: string;
  risks: Risk[];
  notices: Notice[];
  holders: HolderFate[];
}

/** A planned resource as the plan records it (RecordedResource, or read back from a stack export). */
export interface PlannedResourceView {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  id?: string;
  outputs?: Record<string, unknown>;
}

export interface PreflightInput {
  view: TenantView;
  config: BaselineConfig;
  planned: readonly PlannedResourceView[];
  /** The live CA policies the stack adopts (default: the same choice adopt makes). */
  adoptedPolicies?: readonly AdoptedPolicy[];
}

const FIDO2_TYPE = "#microsoft.graph.fido2authenticationmethod";

export function preflight(input: PreflightInput): PreflightReport {
  const { view, config, planned } = input;
  const risks: Risk[] = [];
  const notices: Notice[] = [];
  const risk = (kind: RiskKind, object: string, problem: string, fix: string) =>
    risks.push({ kind, object, problem, fix });
  const notice = (kind: Notice["kind"], text: string) => notices.push({ kind, text });
  const label = (id: string) => String(view.user(id)?.userPrincipalName ?? id);

  for (const [source, why] of Object.entries({
    ...(view.snapshot.errors ?? {}),
    ...(view.snapshot.adopt?.errors ?? {}),
  })) {
    risk("unverified", `source ${source}`, `was not read: ${why}`, "take the snapshot again once the read succeeds");
  }

  const roles = managedRoles(config.pim);
  /** Everyone who may request each managed role: eligible users, members of eligible groups and PIM groups. */
  const requesters = new Map<string, string[]>();
  const missing = new Set<string>();
  for (const role of roles) {
    const ids = new Set<string>();
    for (const ref of role.eligibleUsers) {
      const id = lower(view.userByRef(ref)?.id);
      if (id) ids.add(id);
      else missing.add(ref);
    }
    for (const g of role.eligibleGroups) {
      const members = view.groupMembers(g);
      if (!members) notice("activation", `members of eligible group ${g} (${role.name}) were not read: not checked`);
      for (const m of members ?? [])
        if (typeof m.id === "string" && principalTypeOf(m) !== "group") ids.add(m.id.toLowerCase());
    }
    for (const g of config.pim.groups) {
      if (!g.roles.some((r) => resolveRole(r)?.templateId === role.roleDefinitionId)) continue;
      for (const ref of g.eligibleMembers) {
        const id = lower(view.userByRef(ref)?.id);
        if (id) ids.add(id);
        else missing.add(ref);
      }
    }
    requesters.set(role.roleDefinitionId, [...ids]);
  }
  for (const ref of missing) {
    risk(
      "activation",
      `user ${ref}`,
      "is named by the stack but is not in the snapshot (no such user, or it was added after the snapshot)",
      "check the reference, or take a new snapshot with npm run adopt",
    );
  }

  // 1. Can each eligible admin meet the strength their activation asks for?
  const byStrength = new Map<string, { strength: ActivationStrength; roles: string[] }>();
  for (const role of roles) {
    if (!role.rules.authenticationContextId && !role.tier0) continue;
    for (const id of requesters.get(role.roleDefinitionId) ?? []) {
      const k = `${id}|${role.rules.activationStrength}`;
      const entry = byStrength.get(k) ?? { strength: role.rules.activationStrength, roles: [] };
      entry.roles.push(role.name);
      byStrength.set(k, entry);
    }
  }
  for (const [k, { strength, roles: held }] of byStrength) {
    const id = k.split("|")[0]!;
    const problem = strengthProblem(view, id, strength);
    if (problem) {
      risk(
        "activation",
        `${label(id)} → ${held.join(", ")}`,
        `${problem}: activating would ask for ${STRENGTH_NAMES[strength]} every time and fail`,
        `have them register a method that meets ${STRENGTH_NAMES[strength]} before the activation policy is enforced (or lower pim.activationStrength)`,
      );
    }
  }

  // 2. Admin sign-in: the Tier-0 admin policy, when enforced, asks every Tier-0 holder for its strength.
  const adminMfa = config.conditionalAccess.adminMfa;
  const adminPeople = new Set(
    roles
      .filter((r) => TIER0_ADMIN_ROLE_IDS.includes(r.roleDefinitionId))
      .flatMap((r) => requesters.get(r.roleDefinitionId) ?? []),
  );
  const cannotSignIn = [...adminPeople].filter((id) => strengthProblem(view, id, adminMfa.strength) !== undefined);
  if (adminMfa.state === "enabled") {
    for (const id of cannotSignIn) {
      risk(
        "adminSignIn",
        label(id),
        `${strengthProblem(view, id, adminMfa.strength)}: the enforced Tier-0 admin policy (conditionalAccess.adminMfa) asks for ${STRENGTH_NAMES[adminMfa.strength]} at every sign-in with a Tier-0 role`,
        "register a method of that strength first, or keep conditionalAccess.adminMfa report-only until every admin has one",
      );
    }
  } else if (cannotSignIn.length > 0) {
    notice(
      "adminSignIn",
      `${cannotSignIn.length} Tier-0 admin(s) cannot meet ${STRENGTH_NAMES[adminMfa.strength]} yet (${cannotSignIn.map(label).join(", ")}): the admin policy is ${adminMfa.state}, so nobody is blocked; enforcing it would block them`,
    );
  }

  // 3. Approvers: present, enabled, and someone else for every requester.
  for (const role of roles) {
    if (!role.rules.requireApproval) continue;
    const usable: ApproverRef[] = [];
    for (const ref of role.rules.approvers.users) {
      const user = view.userByRef(ref);
      if (!user) {
        risk(
          "approvers",
          `approver ${ref} → ${role.name}`,
          "does not exist in the tenant",
          "name an existing approver",
        );
      } else if (user.accountEnabled === false) {
        risk(
          "approvers",
          `approver ${label(String(user.id))} → ${role.name}`,
          "is disabled: they cannot approve anything",
          "replace them with an active approver (Microsoft recommends two)",
        );
      } else usable.push({ kind: "user", id: String(user.id).toLowerCase() });
    }
    const groupMembers = new Map<string, string[]>();
    for (const g of role.rules.approvers.groups) {
      usable.push({ kind: "group", id: g.toLowerCase() });
      const members = view.groupMembers(g);
      if (members)
        groupMembers.set(
          g.toLowerCase(),
          members.map((m) => String(m.id).toLowerCase()),
        );
      else notice("approvers", `members of approver group ${g} were not read: it counts as someone else`);
    }
    for (const id of requestersWithoutApprover(usable, {
      requesters: requesters.get(role.roleDefinitionId) ?? [],
      groupMembers,
    })) {
      risk(
        "approvers",
        `${label(id)} → ${role.name}`,
        usable.length === 0
          ? "has no approver who can act: every configured approver is missing or disabled"
          : "has no approver other than themselves (a requester never approves their own request)",
        `add another approver to ${role.path === "pim" ? "pim.approvers" : `${role.path}.approvers`}`,
      );
    }
  }

  // 4. The activation contexts: other policies on them apply to every activation too.
  for (const c of activationContexts(config)) {
    const own = activationPolicyBody(
      c.contextId,
      config.conditionalAccess.activationPolicyState,
      c.strength,
    ).displayName;
    const names = roles.filter((r) => r.rules.authenticationContextId === c.contextId).map((r) => r.name);
    for (const p of otherPoliciesOnContext(view.caFacts, c.contextId, own)) {
      const text = `also targets authentication context ${c.contextId}, so every activation of ${names.join(", ")} must satisfy it too (${describeGrant(p)})`;
      if (p.state === "disabled") notice("context", `"${p.name}" (disabled) ${text}`);
      else
        risk(
          "context",
          `CA policy "${p.name}" (${p.state})`,
          text,
          `use another context for activation (pim.authenticationContextId, one no policy uses), or take ${c.contextId} out of "${p.name}"`,
        );
    }
    const live = (view.snapshot.sources.authenticationContexts ?? []).find((x) => lower(x.id) === c.contextId);
    if (live && live.displayName !== "Privileged role activation")
      notice(
        "context",
        `authentication context ${c.contextId} exists as "${String(live.displayName)}": the stack renames it "Privileged role activation"`,
      );
    for (const a of view.snapshot.sources.roleManagementPolicyAssignments ?? []) {
      const role = lower(a.roleDefinitionId) ?? "";
      if (roles.some((r) => r.roleDefinitionId === role)) continue;
      const rule = (Array.isArray(asRecord(a.policy).rules) ? (asRecord(a.policy).rules as unknown[]) : [])
        .map(asRecord)
        .find((r) => r.id === "AuthenticationContext_EndUser_Assignment");
      if (rule?.isEnabled === true && lower(rule.claimValue) === c.contextId)
        notice(
          "context",
          `${roleName(role)} (not managed by the stack) also requires ${c.contextId}: the stack's activation policy will apply to its activations`,
        );
    }
  }

  // 5. The FIDO2 policy is the tenant's: what the stack's settings change for everyone.
  fido2Changes(view, planned, risk, notice);

  // 6. Conditional Access policies the stack does not own that would reach the emergency accounts.
  const adopted = input.adoptedPolicies ?? matchBaselinePolicies(view);
  const exclusionGroupId = liveExclusionGroupId(view, config);
  const ownNames = new Set(
    activationContexts(config).map(
      (c) => activationPolicyBody(c.contextId, config.conditionalAccess.activationPolicyState, c.strength).displayName,
    ),
  );
  const owned = new Set(adopted.map((p) => p.id));
  const unowned = view.caFacts.filter((p) => !owned.has(p.id ?? "") && !ownNames.has(p.name));
  const accounts = config.breakglass.accounts.map((a) => {
    const id = a.objectId ?? lower(view.userByRef(`${a.name}@${config.breakglass.domain ?? ""}`)?.id);
    return {
      name: id ? label(id) : `${a.name} (created by the stack)`,
      key: id ?? `new:${a.name}`,
      memberOf: [...(id ? (view.memberOf(id) ?? []) : []), exclusionGroupId ?? "new:exclusion-group"],
    };
  });
  const groupName = config.breakglass.groupName;
  for (const e of policiesReachingEmergencyAccounts(unowned, {
    groupKeys: [exclusionGroupId ?? "new:exclusion-group"],
    accounts,
  })) {
    const who = [...e.exposed, ...e.included].join(", ");
    const kind = e.microsoftManaged ? "Microsoft-managed" : "not managed by the stack";
    const text =
      e.included.length > 0
        ? `names the emergency principals ${e.included.join(", ")}`
        : `does not exclude ${who}${exclusionGroupId ? "" : ` (the exclusion group "${groupName}" is created by the stack, so no existing policy excludes it yet)`}`;
    const onLater =
      e.microsoftManaged && e.policy.state === "enabledForReportingButNotEnforced"
        ? "; Microsoft turns report-only managed policies on by itself after about 45 days"
        : "";
    if (e.policy.state === "disabled")
      notice("emergencyExposure", `CA policy "${e.policy.name}" (disabled, ${kind}) ${text}`);
    else
      risk(
        "emergencyExposure",
        `CA policy "${e.policy.name}" (${e.policy.state}, ${kind})`,
        `${text}${onLater}: it can challenge or block the emergency accounts`,
        `exclude group "${groupName}" from it (Microsoft-managed policies accept changes to their exclusions), or set monitoring.remediation.caExclusions`,
      );
  }

  // 7. The emergency path itself.
  const holdings = view.snapshot.sources.roleAssignmentScheduleInstances ?? [];
  for (const a of config.breakglass.accounts) {
    const upn = config.breakglass.domain ? `${a.name}@${config.breakglass.domain}` : a.name;
    if (!a.objectId) {
      const namesake = view.userByRef(upn);
      if (namesake)
        risk(
          "emergencyPath",
          `emergency account ${upn}`,
          `a user ${upn} (${String(namesake.id)}) already exists, but the stack would create it: the first up fails`,
          `adopt it (breakglass.accounts[].objectId: ${String(namesake.id)}; npm run adopt writes it) or choose another name`,
        );
      else
        notice(
          "emergencyPath",
          `emergency account ${upn} is created by the stack: register two FIDO2 keys for it (runbook) before enforcing any policy`,
        );
      continue;
    }
    const user = view.user(a.objectId);
    const methods = view.methods(a.objectId);
    const gaps = user
      ? emergencyPathGaps({
          exists: true,
          enabled: user.accountEnabled !== false,
          permanentGlobalAdministrator: holdings.some(
            (i) => lower(i.principalId) === a.objectId && isPermanentGlobalAdministrator(i),
          ),
          ...(methods ? { fido2Registered: methods.includes(FIDO2_TYPE) } : {}),
        })
      : [`no user ${a.objectId} exists in the tenant`];
    for (const gap of gaps) {
      risk(
        "emergencyPath",
        `emergency account ${user ? label(a.objectId) : a.objectId}`,
        gap,
        "fix the account before relying on it (docs/operations.md: breakglass FIDO2 registration, 90-day drill)",
      );
    }
    notice(
      "password",
      a.password === "keepExisting"
        ? `emergency account ${user ? label(a.objectId) : a.objectId} keeps its current password (keepExisting): the stack does not set it, so the password rule (256 random characters) is unverifiable until it is rotated through the custody runbook`
        : `emergency account ${user ? label(a.objectId) : a.objectId} gets the stack's generated password at the first up: its current password stops working; do the custody step of the rotation runbook right after`,
    );
  }

  // The exclusion group the stack adopts holds exactly the emergency accounts afterwards (it sets the members).
  if (exclusionGroupId) {
    const accountIds = new Set(config.breakglass.accounts.flatMap((a) => (a.objectId ? [a.objectId] : [])));
    for (const m of view.groupMembers(exclusionGroupId) ?? []) {
      const id = lower(m.id);
      if (!id || accountIds.has(id)) continue;
      risk(
        "adoption",
        `${String(m.userPrincipalName ?? m.displayName ?? id)} in group "${groupName}"`,
        "is a member of the exclusion group today: the stack keeps exactly the emergency accounts in it, so the first up removes it and every Conditional Access policy applies to it again",
        "find out why it was exempted (a service account that cannot do MFA needs a policy of its own) before the first up",
      );
    }
    const owners = (view.groupOwners(exclusionGroupId) ?? []).map((o) => String(o.userPrincipalName ?? o.id));
    if (owners.length > 0)
      notice(
        "adoption",
        `the exclusion group "${groupName}" is owned by ${owners.join(", ")}: the stack does not change owners, and the audit reports owners other than breakglass.groupOwners (an owner can add anyone to the group)`,
      );
  }

  // 8. Global Administrators within the limits (counted as the stack declares them).
  const { min, max } = config.limits.globalAdmins;
  const gaCount = config.pim.eligibleAdmins.length + config.breakglass.accounts.length;
  if (gaCount < min || gaCount > max) {
    risk(
      "globalAdminCount",
      "Global Administrator",
      `${config.pim.eligibleAdmins.length} eligible + ${config.breakglass.accounts.length} emergency = ${gaCount} Global Administrators; limits.globalAdmins allows ${min}–${max} (CISA MS.AAD.7.1), so the program refuses this stack as written`,
      "decide who stays eligible for Global Administrator (move the others to a narrower role in pim.roles) and edit pim.eligibleAdmins",
    );
  }

  // 9. What the stack changes on the CA policies it adopts.
  adoptedPolicyChanges(view, planned, adopted, exclusionGroupId, risk, notice);

  return {
    ...(view.tenantId ? { tenantId: view.tenantId } : {}),
    takenAt: view.snapshot.takenAt,
    risks,
    notices,
    holders: holderFates(view, config),
  };
}

/** Why a user cannot meet `strength` with what they have registered, or undefined when they can. */
function strengthProblem(view: TenantView, id: string, strength: ActivationStrength): string | undefined {
  const r = view.registration(id);
  if (r.state === "unread") return `their registered methods could not be verified (${r.why})`;
  if (r.state === "absent")
    return "they are not in the authentication methods registration report (nothing registered, or the report lags)";
  const check = registeredMethodsSatisfy(r.methods, strength);
  if (check.satisfied) return undefined;
  return `no registered method meets ${STRENGTH_NAMES[strength]} (registered: ${r.methods.join(", ") || "none"}${check.unknown.length > 0 ? `; not recognised: ${check.unknown.join(", ")}` : ""})`;
}

function describeGrant(p: CaPolicyFacts): string {
  if (!p.grant) return "no grant controls";
  const parts = [
    ...p.grant.builtInControls,
    ...(p.grant.strengthId ? [`authentication strength ${p.grant.strengthId}`] : []),
    ...p.grant.customAuthenticationFactors,
    ...p.grant.termsOfUse.map((t) => `terms of use ${t}`),
  ];
  return `grant: ${parts.join(` ${p.grant.operator ?? "OR"} `) || "none"}`;
}

/** The live exclusion group the stack will manage: the one named breakglass.groupName, if exactly one. */
export function liveExclusionGroupId(view: TenantView, config: BaselineConfig): string | undefined {
  const named = [
    ...(view.snapshot.sources.breakglassGroups ?? []),
    ...[...new Set(view.users.flatMap((u) => view.memberOf(String(u.id)) ?? []))]
      .map((g) => view.group(g))
      .filter((g) => g !== undefined),
  ].filter((g) => g!.displayName === config.breakglass.groupName && g!.isAssignableToRole === true);
  const ids = [...new Set(named.map((g) => lower(g!.id)))];
  return ids.length === 1 ? ids[0] : undefined;
}

function fido2Changes(
  view: TenantView,
  planned: readonly PlannedResourceView[],
  risk: (kind: RiskKind, object: string, problem: string, fix: string) => void,
  notice: (kind: Notice["kind"], text: string) => void,
): void {
  const resource = planned.find((r) => r.type === "pulumi-nodejs:dynamic/breakglass:Fido2MethodPolicy");
  if (!resource) return;
  const live = view.fido2 as Fido2Configuration | undefined;
  if (!live) {
    risk(
      "unverified",
      "FIDO2 method policy",
      `could not be read (${view.unread("fido2Policy") ?? "not in the snapshot"}): what the stack changes for every FIDO2 user of the tenant is unknown`,
      "read it (Policy.Read.AuthenticationMethod) and run the preflight again",
    );
    return;
  }
  const props = resource.inputs as unknown as Fido2MethodPolicyProps;
  const checked = fido2PolicyFacts(live);
  if ("error" in checked) {
    risk(
      "unverified",
      "FIDO2 method policy",
      `is not what Graph documents (${checked.error.field}: ${checked.error.expected}): what the stack changes for every FIDO2 user of the tenant is unknown`,
      "read it again (Policy.Read.AuthenticationMethod) and run the preflight again",
    );
    return;
  }
  const targets = (live.includeTargets ?? []).map((t) =>
    t.id === "all_users" ? "all users" : `${String(t.targetType)} ${String(t.id)}`,
  );
  const who = targets.length > 0 ? targets.join(", ") : "nobody yet";
  if (live.state !== "enabled")
    notice(
      "fido2",
      `FIDO2 is ${String(live.state ?? "not set")} today: the stack enables it for ${who} and the exclusion group`,
    );
  if (props.isSelfServiceRegistrationAllowed !== live.isSelfServiceRegistrationAllowed)
    notice(
      "fido2",
      `self-service registration of FIDO2 keys becomes ${props.isSelfServiceRegistrationAllowed ? "allowed" : "disallowed"} for ${who}`,
    );
  if (checked.facts.shape === "passkeyProfiles") {
    // The stack writes a passkey profile of the emergency group's own: nobody else's keys are affected.
    notice(
      "fido2",
      "the tenant uses passkey profiles: the stack gives the exclusion group a profile of its own and leaves every other target and profile as it is",
    );
    return;
  }
  // A tenant-wide tenant: only the keys breakglass.fido2.tenantWide declares are written, for every FIDO2 user.
  const wide = props.tenantWide ?? {};
  if (wide.isAttestationEnforced === true && live.isAttestationEnforced !== true) {
    risk(
      "fido2",
      "FIDO2 method policy (tenant-wide)",
      `the stack enforces attestation for everyone it targets (${who}): from then on only attested security keys can be registered, so nobody can register a synced passkey or an unattested key any more`,
      "accept it for the whole tenant, or leave breakglass.fido2.tenantWide.enforceAttestation unset until the tenant moves to passkey profiles",
    );
  }
  const restrictions = wide.keyRestrictions;
  const liveRestrictions = live.keyRestrictions ?? undefined;
  const sortedList = (list: unknown) =>
    stringList(list)
      .map((g) => g.toLowerCase())
      .sort()
      .join(",");
  if (
    restrictions?.isEnforced === true &&
    (liveRestrictions?.isEnforced !== true ||
      sortedList(liveRestrictions?.aaGuids) !== sortedList(restrictions.aaGuids) ||
      liveRestrictions?.enforcementType !== "allow")
  ) {
    risk(
      "fido2",
      "FIDO2 method policy (tenant-wide)",
      `the stack allows only ${restrictions.aaGuids?.length ?? 0} key model(s) for everyone it targets (${who}): users whose keys are of other models can no longer register them (whether keys already registered keep signing in is unconfirmed)`,
      "list every model in use in breakglass.fido2.tenantWide.aaguids, or leave it unset",
    );
  } else if (restrictions?.isEnforced === false && liveRestrictions?.isEnforced === true) {
    notice("fido2", "the stack lifts the tenant's FIDO2 key restrictions (any model may be registered)");
  }
}

function adoptedPolicyChanges(
  view: TenantView,
  planned: readonly PlannedResourceView[],
  adopted: readonly AdoptedPolicy[],
  exclusionGroupId: string | undefined,
  risk: (kind: RiskKind, object: string, problem: string, fix: string) => void,
  notice: (kind: Notice["kind"], text: string) => void,
): void {
  const plannedGroup = planned.find((r) => r.type === "azuread:index/group:Group");
  const plannedGroupId = lower(plannedGroup?.id ?? plannedGroup?.outputs?.objectId);
  const translate = (id: string) => (id === plannedGroupId ? (exclusionGroupId ?? id) : id);
  for (const p of adopted) {
    const live = view.caFacts.find((f) => f.id === p.id);
    const mine = planned.find(
      (r) =>
        r.type === "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy" &&
        purposeOfDisplayName(String(r.inputs.displayName ?? "")) === p.purpose,
    );
    if (!live || !mine) continue;
    const users = asRecord(asRecord(mine.inputs.conditions).users);
    const excludedGroups = new Set(stringList(users.excludedGroups).map((g) => translate(g.toLowerCase())));
    const excludedUsers = new Set(stringList(users.excludedUsers).map((u) => u.toLowerCase()));
    const excludedRoles = new Set(stringList(users.excludedRoles).map((r) => r.toLowerCase()));
    const dropped = [
      ...live.users.excludeGroups
        .filter((g) => !excludedGroups.has(g))
        .map((g) => `group ${String(view.group(g)?.displayName ?? g)} (${g})`),
      ...live.users.excludeUsers
        .filter((u) => !excludedUsers.has(u))
        .map((u) => `user ${String(view.user(u)?.userPrincipalName ?? u)}`),
      ...live.users.excludeRoles.filter((r) => !excludedRoles.has(r)).map((r) => `role ${roleName(r)}`),
    ];
    if (dropped.length > 0) {
      risk(
        "adoptedPolicy",
        `CA policy "${p.displayName}" (${p.state}, adopted as ${p.purpose})`,
        `the stack's version excludes only the emergency accounts${p.purpose === "mfaAllUsers" ? " and Directory Synchronization Accounts" : ""}, so it will newly apply to ${dropped.join(", ")}`,
        "move those principals to a policy of their own before adopting, or do not import this policy (remove its entry from the import file: the stack then creates its own beside it)",
      );
    }
    if (mine.inputs.displayName !== live.name)
      notice("adoption", `CA policy "${live.name}" is renamed "${String(mine.inputs.displayName)}"`);
    if (mine.inputs.state !== live.state)
      notice("adoption", `CA policy "${live.name}" changes state from ${live.state} to ${String(mine.inputs.state)}`);
  }
}

/** What happens to each Tier-0 holder: the model's verdict on today's holding, and what the stack declares. */
function holderFates(view: TenantView, config: BaselineConfig): HolderFate[] {
  const ctx = buildContext(view.snapshot, config);
  const context = {
    tier0: ctx.tier0,
    maxActivationSeconds: ctx.maxActivationSeconds,
    exceptions: ctx.exceptions,
    now: ctx.now,
  };
  const roles = managedRoles(config.pim);
  const declared = (id: string, role: string, viaGroup?: string): string | undefined => {
    const managed = roles.find((r) => r.roleDefinitionId === role);
    if (managed && managed.eligibleUsers.some((ref) => lower(view.userByRef(ref)?.id) === id))
      return `${managed.path === "pim" ? "pim.eligibleAdmins" : `${managed.path}.eligibleUsers`}`;
    const group = config.pim.groups.findIndex(
      (g) =>
        g.roles.some((r) => resolveRole(r)?.templateId === role) &&
        g.eligibleMembers.some((ref) => lower(view.userByRef(ref)?.id) === id) &&
        (!viaGroup || viaGroup.includes(g.group.toLowerCase())),
    );
    return group >= 0 ? `pim.groups[${group}].eligibleMembers` : undefined;
  };
  const out: HolderFate[] = [];
  for (const h of liveHoldings(ctx)) {
    if (!h.role) continue;
    const verdict = judgeHolding(h, context);
    if (verdict.kind === "allowed" && verdict.why !== "breakglassGlobalAdministrator") continue;
    const who = `${h.principal.type} ${h.principal.label}`;
    const role = roleName(h.role);
    const today = h.viaGroup
      ? `standing through group ${h.viaGroup} (${h.path})`
      : `standing (${h.path ?? "unknown path"})`;
    let after: string;
    if (verdict.kind === "allowed") after = "keeps permanent Global Administrator: emergency account";
    else if (verdict.kind === "excepted")
      after = `stays standing: declared exception until ${verdict.exception.expires}`;
    else {
      const where = declared(h.principal.key, h.role, h.viaGroup);
      after = where
        ? `eligible (${where}); its standing ${h.viaGroup ? "membership" : "assignment"} is removed by the transition step, after a first activation`
        : "stays standing and is reported by the audit and the pack (not declared in the stack)";
    }
    out.push({ principal: who, role, today, after });
  }
  for (const i of view.snapshot.sources.roleEligibilityScheduleInstances ?? []) {
    const role = lower(i.roleDefinitionId);
    const id = lower(i.principalId);
    if (!role || !id || !ctx.tier0.has(role)) continue;
    const type = principalTypeOf(i.principal);
    const managed = roles.find((r) => r.roleDefinitionId === role);
    const inStack =
      type === "group"
        ? managed?.eligibleGroups.some((g) => g.toLowerCase() === id)
        : managed?.eligibleUsers.some((ref) => lower(view.userByRef(ref)?.id) === id);
    out.push({
      principal: `${type} ${type === "group" ? String(asRecord(i.principal).displayName ?? id) : String(view.user(id)?.userPrincipalName ?? id)}`,
      role: roleName(role),
      today: "eligible",
      after: inStack
        ? `stays eligible, declared in the stack (${managed!.path === "pim" ? (type === "group" ? "pim.eligibleGroups" : "pim.eligibleAdmins") : `${managed!.path}.${type === "group" ? "eligibleGroups" : "eligibleUsers"}`})`
        : "stays eligible, not declared in the stack (the audit reports it)",
    });
  }
  return out.sort((a, b) => a.principal.localeCompare(b.principal) || a.role.localeCompare(b.role));
}
