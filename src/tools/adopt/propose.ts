/**
 * What the stack should say, from what the tenant holds today (pure: snapshot + options → proposal). Holders are
 * classified once, through the audit's adapters and the model's judgements:
 * - emergency accounts: the model's candidates (cloud-only on the initial domain, permanent direct Global
 *   Administrator, excluded from Conditional Access) become breakglass.accounts with their object ids; fewer than two
 *   are topped up with accounts the stack creates;
 * - service identities (service principals, and Entra Connect's account: a user whose only Tier-0 role is Directory
 *   Synchronization Accounts) become declared exceptions with their object ids and a reason to fill in;
 * - people (standing or eligible, directly) become eligible: Global Administrator in pim.eligibleAdmins, every other
 *   Tier-0 role in pim.roles; groups eligible for a role become its eligibleGroups, groups holding one actively become
 *   pim.groups with their members as eligible members. Nothing is trimmed: too many Global Administrators are
 *   written as found, and the preflight reports it.
 * Approvers, notification recipients and the authentication context come from the live Global Administrator policy.
 * CA policies of the baseline's purposes are matched by shape (src/model/caPurpose.ts) and their state and strength
 * proposed as found, so adopting never weakens an enforced policy.
 */
import {
  ACTIVATION_STRENGTHS,
  baselinePurposeOf,
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  GLOBAL_ADMINISTRATOR,
  grantStrength,
  judgeHolding,
  roleName,
  settingsFromRules,
  TIER0_ROLE_IDS,
  type ActivationPolicySettings,
  type ActivationStrength,
  type BaselinePolicyPurpose,
  type PolicyRule,
} from "@entra-baseline/model";
import { UserInputError } from "../../cli/errors";
import type { BaselineConfig } from "../../config/validate";
import { baselinePolicyArgs } from "../../components/conditionalAccess/policies";
import { buildContext, principalTypeOf } from "../audit/context";
import { liveHoldings } from "../audit/checks/standing";
import { asRecord, lower } from "../audit/raw";
import type { RawObject } from "../audit/snapshot";
import { emergencyLookalikes, type TenantView } from "./view";

export type PasswordChoice = "keep" | "rotate";

export interface ProposeOptions {
  /** The discovery config the snapshot was read by (src/tools/adopt/discovery.ts). */
  discovery: BaselineConfig;
  /** The existing stack's keys (without the namespace), when there is a stack file. */
  existing?: Record<string, unknown>;
  password: PasswordChoice;
  /** Fallbacks when the tenant names none: who is notified, who approves. */
  recipients?: string[];
  approvers?: string[];
  now: Date;
}

export interface ProposedAccount {
  name: string;
  displayName: string;
  objectId?: string;
  password?: "generate";
}

export interface ProposedException {
  principal: string;
  principalType: "user" | "servicePrincipal";
  label: string;
  roles: string[];
  reason: string;
  owner: string;
  expires: string;
}

export interface ProposedValues {
  tenant: { tenantId: string; initialDomain?: string };
  pim: {
    eligibleAdmins: string[];
    eligibleGroups: string[];
    approvers?: { users: string[]; groups: string[] };
    notificationRecipients?: string[];
    authenticationContextId?: string;
    roles: {
      role: string;
      eligibleUsers: string[];
      eligibleGroups: string[];
      /** The role's live approvers, where they differ from Global Administrator's. */
      approvers?: { users: string[]; groups: string[] };
    }[];
    groups: { group: string; label?: string; roles: string[]; eligibleMembers: string[] }[];
  };
  exceptions: ProposedException[];
  breakglass: { accounts: ProposedAccount[]; groupName?: string; usageLocation?: string };
  conditionalAccess: Partial<Record<BaselinePolicyPurpose, { state: string; strength?: ActivationStrength }>>;
  monitoring?: { actionGroup: { emails: string[] } };
}

/** Something the report tells: how a value was found, what is left to do, what could not be adopted. */
export interface Note {
  topic: "emergency" | "admins" | "exceptions" | "approvers" | "context" | "conditionalAccess" | "monitoring";
  text: string;
  /** Needs the user's action before the first `up`. */
  todo?: boolean;
}

export interface AdoptedPolicy {
  purpose: BaselinePolicyPurpose;
  id: string;
  displayName: string;
  state: string;
}

export interface Proposal {
  values: ProposedValues;
  notes: Note[];
  /** Live CA policies of the baseline's purposes the stack adopts, by purpose. */
  adoptedPolicies: AdoptedPolicy[];
  /** The exclusion group the emergency accounts are excluded through, if one was found. */
  exclusionGroup?: { id: string; displayName: string; adoptable: boolean };
}

const SP = "servicePrincipal";

export function propose(view: TenantView, options: ProposeOptions): Proposal {
  const notes: Note[] = [];
  const note = (topic: Note["topic"], text: string, todo = false) =>
    notes.push({ topic, text, ...(todo ? { todo } : {}) });
  const tenantId = view.tenantId;
  if (!tenantId) throw new UserInputError("the snapshot names no tenant (tenantId): adopt cannot pin the stack to it");
  const ctx = buildContext(view.snapshot, options.discovery);
  const ref = (id: string) => String(view.user(id)?.userPrincipalName ?? id);

  // Emergency accounts.
  const lookalikes = emergencyLookalikes(view);
  const candidates = lookalikes.filter((l) => l.candidacy.kind === "candidate");
  for (const l of lookalikes) {
    if (l.candidacy.kind === "unfit") {
      note(
        "emergency",
        `${l.upn} holds Global Administrator permanently and Conditional Access excludes it, like an emergency account, but cannot be adopted as one: ${l.candidacy.reasons.join("; ")}. It is proposed as an eligible admin; replace it with a cloud-only *.onmicrosoft.com account if it is one of your emergency accounts.`,
        true,
      );
    }
  }
  const candidateIds = new Set(candidates.map((c) => c.id));

  // Every Tier-0 holding and eligibility, per principal.
  interface Principal {
    id: string;
    type: string;
    label: string;
    roles: Set<string>;
  }
  const principals = new Map<string, Principal>();
  const held = (id: string, type: string, label: string, role: string) => {
    const p = principals.get(id) ?? { id, type, label, roles: new Set<string>() };
    p.roles.add(role);
    principals.set(id, p);
  };
  const standing = { tier0: ctx.tier0, maxActivationSeconds: ctx.maxActivationSeconds, exceptions: [], now: ctx.now };
  for (const h of liveHoldings(ctx)) {
    if (h.viaGroup || !h.role || !TIER0_ROLE_IDS.includes(h.role)) continue;
    if (h.principal.type === "group") continue;
    const verdict = judgeHolding(h, standing);
    // A bounded activation is backed by an eligibility, which is read below.
    if (verdict.kind === "allowed" && verdict.why === "boundedActivation") continue;
    held(h.principal.key, h.principal.type, h.principal.label, h.role);
  }
  const groupsEligible = new Map<string, Set<string>>();
  for (const i of view.snapshot.sources.roleEligibilityScheduleInstances ?? []) {
    const role = lower(i.roleDefinitionId);
    const id = lower(i.principalId);
    if (!role || !id || !TIER0_ROLE_IDS.includes(role)) continue;
    const type = principalTypeOf(i.principal);
    if (type === "group") groupsEligible.set(id, (groupsEligible.get(id) ?? new Set()).add(role));
    else if (type === "user" || type === "unknown") held(id, "user", ref(id), role);
  }
  const customRoles = ctx.privilegedCustomRoles.map((d) => String(d.displayName ?? d.id));
  if (customRoles.length > 0) {
    note(
      "admins",
      `custom roles with Tier-0 permissions (${customRoles.join(", ")}) are not proposed: manage their holders by hand, the audit reports them`,
      true,
    );
  }

  const eligibleAdmins: string[] = [];
  const roles = new Map<string, { users: string[]; groups: string[] }>();
  const roleEntry = (role: string) => {
    const r = roles.get(role) ?? { users: [], groups: [] };
    roles.set(role, r);
    return r;
  };
  const exceptions: ProposedException[] = [];
  const expires = new Date(options.now.getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
  const existingExceptions = new Set(
    (Array.isArray(options.existing?.exceptions) ? options.existing.exceptions : [])
      .map((e) => lower(asRecord(e).principal))
      .filter(Boolean),
  );
  for (const p of [...principals.values()].sort((a, b) => a.label.localeCompare(b.label))) {
    if (candidateIds.has(p.id)) {
      const others = [...p.roles].filter((r) => r !== GLOBAL_ADMINISTRATOR);
      if (others.length > 0)
        note(
          "emergency",
          `emergency account ${p.label} also holds ${others.map(roleName).join(", ")}: it may hold nothing but Global Administrator, so the audit will report it`,
          true,
        );
      continue;
    }
    const user = view.user(p.id);
    const type = p.type === "unknown" && user ? "user" : p.type;
    const syncOnly = type === "user" && [...p.roles].every((r) => r === DIRECTORY_SYNCHRONIZATION_ACCOUNTS);
    if (type === SP || syncOnly) {
      if (existingExceptions.has(p.id)) continue;
      const label = type === SP ? p.label : String(user?.userPrincipalName ?? p.label);
      const roleNames = [...p.roles].map(roleName).sort();
      exceptions.push({
        principal: p.id,
        principalType: type === SP ? "servicePrincipal" : "user",
        label,
        roles: roleNames,
        reason: `FILL IN: why ${label} must hold ${roleNames.join(", ")} standing`,
        owner: "FILL IN",
        expires,
      });
      note(
        "exceptions",
        `${type === SP ? "service principal" : "directory sync account"} ${label} (${p.id}) holds ${roleNames.join(", ")} standing: proposed as a declared exception until ${expires}; fill in its reason and owner`,
        true,
      );
      continue;
    }
    if (type !== "user") {
      note(
        "admins",
        `${p.label} (${p.id}, ${type}) holds ${[...p.roles].map(roleName).join(", ")}: not proposed`,
        true,
      );
      continue;
    }
    const upn = ref(p.id);
    for (const role of p.roles) {
      if (role === GLOBAL_ADMINISTRATOR) eligibleAdmins.push(upn);
      else roleEntry(role).users.push(upn);
    }
  }

  // Groups: eligible ones become eligibleGroups, those holding a role actively become PIM for Groups.
  const eligibleGroups: string[] = [];
  for (const [group, groupRoles] of groupsEligible) {
    for (const role of groupRoles) {
      if (role === GLOBAL_ADMINISTRATOR) eligibleGroups.push(group);
      else roleEntry(role).groups.push(group);
    }
  }
  const pimGroups = new Map<string, { group: string; label?: string; roles: Set<string>; members: Set<string> }>();
  for (const i of view.snapshot.sources.roleAssignmentScheduleInstances ?? []) {
    const role = lower(i.roleDefinitionId);
    const id = lower(i.principalId);
    if (!role || !id || !TIER0_ROLE_IDS.includes(role) || principalTypeOf(i.principal) !== "group") continue;
    const entry = pimGroups.get(id) ?? {
      group: id,
      label:
        typeof asRecord(i.principal).displayName === "string" ? String(asRecord(i.principal).displayName) : undefined,
      roles: new Set<string>(),
      members: new Set<string>(),
    };
    entry.roles.add(role);
    for (const m of view.groupMembers(id) ?? []) {
      if (principalTypeOf({ "@odata.type": m["@odata.type"] ?? "#microsoft.graph.user" }) === "user" && m.id)
        entry.members.add(ref(String(m.id).toLowerCase()));
    }
    for (const e of (view.snapshot.sources.groupEligibilityScheduleInstances ?? {})[id] ?? []) {
      const pid = lower(e.principalId);
      if (pid && (lower(e.accessId) ?? "member") === "member") entry.members.add(ref(pid));
    }
    pimGroups.set(id, entry);
  }
  const groups = [...pimGroups.values()].flatMap((g) => {
    if (g.members.size === 0) {
      note(
        "admins",
        `group ${g.label ?? g.group} holds ${[...g.roles].map(roleName).join(", ")} but has no members: not proposed`,
      );
      return [];
    }
    note(
      "admins",
      `group ${g.label ?? g.group} holds ${[...g.roles].map(roleName).join(", ")} actively: proposed for PIM for Groups (pim.groups), its ${g.members.size} member(s) made eligible for membership instead of permanent`,
    );
    return [
      {
        group: g.group,
        ...(g.label ? { label: g.label } : {}),
        roles: [...g.roles].map(roleName),
        eligibleMembers: [...g.members].sort(),
      },
    ];
  });

  // The live Global Administrator policy: approvers, recipients, authentication context.
  const ga = liveSettings(view, GLOBAL_ADMINISTRATOR);
  const existingPim = asRecord(options.existing?.pim);
  let approvers: ProposedValues["pim"]["approvers"];
  if (existingPim.approvers === undefined) {
    const live = ga?.approval.required ? ga.approval.approvers : [];
    if (live.length > 0) {
      approvers = {
        users: live.filter((a) => a.kind === "user").map((a) => ref(a.id.toLowerCase())),
        groups: live.filter((a) => a.kind === "group").map((a) => a.id.toLowerCase()),
      };
      note(
        "approvers",
        `approvers taken from the live Global Administrator policy: ${[...approvers.users, ...approvers.groups].join(", ")}`,
      );
    } else if (options.approvers && options.approvers.length > 0) {
      approvers = { users: options.approvers, groups: [] };
      note(
        "approvers",
        `the live Global Administrator policy names no approver: proposed the --approver users ${options.approvers.join(", ")}`,
      );
    } else {
      approvers = { users: [...new Set(eligibleAdmins)], groups: [] };
      note(
        "approvers",
        "the live Global Administrator policy requires no approval and no --approver was given: proposed the eligible Global Administrators as each other's approvers; name dedicated approvers (Microsoft recommends two)",
        true,
      );
    }
  }
  let notificationRecipients: string[] | undefined;
  if (existingPim.notificationRecipients === undefined) {
    const live = ga?.notificationRecipients.filter((r) => r.includes("@")) ?? [];
    notificationRecipients = live.length > 0 ? live : options.recipients;
    if (!notificationRecipients || notificationRecipients.length === 0) {
      throw new UserInputError(
        "the live Global Administrator PIM policy notifies nobody and no --recipient was given: pass --recipient <email> (who is told of every Tier-0 assignment and activation); nothing was written",
      );
    }
    note(
      "approvers",
      `notification recipients ${live.length > 0 ? "taken from the live Global Administrator policy" : "from --recipient"}: ${notificationRecipients.join(", ")}`,
    );
  }
  let authenticationContextId: string | undefined;
  if (existingPim.authenticationContextId === undefined) {
    authenticationContextId = proposeContext(view, ga, note);
  }

  /** A role's own live approvers, when its policy names others than Global Administrator's. */
  function roleApprovers(role: string): { approvers?: { users: string[]; groups: string[] } } {
    const live = liveSettings(view, role);
    if (!live?.approval.required || live.approval.approvers.length === 0) return {};
    const key = (list: readonly { kind: string; id: string }[]) =>
      list
        .map((a) => `${a.kind}:${a.id.toLowerCase()}`)
        .sort()
        .join(",");
    if (ga?.approval.required && key(live.approval.approvers) === key(ga.approval.approvers)) return {};
    const approvers = {
      users: live.approval.approvers.filter((a) => a.kind === "user").map((a) => ref(a.id.toLowerCase())),
      groups: live.approval.approvers.filter((a) => a.kind === "group").map((a) => a.id.toLowerCase()),
    };
    note(
      "approvers",
      `${roleName(role)}'s approvers taken from its live policy: ${[...approvers.users, ...approvers.groups].join(", ")}`,
    );
    return { approvers };
  }

  // Conditional Access policies of the baseline's purposes.
  const adoptedPolicies = matchBaselinePolicies(view, note);
  const existingCa = asRecord(options.existing?.conditionalAccess);
  const conditionalAccess: ProposedValues["conditionalAccess"] = {};
  for (const p of adoptedPolicies) {
    if (existingCa[p.purpose] !== undefined) continue;
    const facts = view.caFacts.find((f) => f.id === p.id)!;
    const strength = p.purpose === "adminMfa" ? grantStrength(facts.grant) : undefined;
    conditionalAccess[p.purpose] = { state: p.state, ...(strength ? { strength } : {}) };
  }

  // The exclusion group and the emergency accounts.
  const exclusion = exclusionGroup(
    view,
    candidates.map((c) => c.id),
  );
  const accounts: ProposedAccount[] = candidates
    .map((c) => ({
      name: c.upn.split("@")[0]!,
      displayName: String(c.user.displayName ?? c.upn),
      objectId: c.id,
      ...(options.password === "rotate" ? { password: "generate" as const } : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const c of candidates) {
    note(
      "emergency",
      options.password === "keep"
        ? `emergency account ${c.upn} (${c.id}) is adopted and keeps its current password: the generated 256-character password is not applied to it, and its password rule is reported as unverifiable until you rotate it through the custody runbook`
        : `emergency account ${c.upn} (${c.id}) is adopted and its password is ROTATED by the first up (password: generate): do the custody step of the rotation runbook right after`,
      options.password === "rotate",
    );
  }
  for (let i = 1; accounts.length < 2; i++) {
    const name = `breakglass-${String(i).padStart(2, "0")}`;
    if (accounts.some((a) => a.name === name)) continue;
    accounts.push({ name, displayName: `Emergency access ${name}` });
    note(
      "emergency",
      `too few emergency accounts to adopt: the stack creates ${name} (register two FIDO2 keys for it before enforcing anything)`,
      true,
    );
  }
  const locations = [
    ...new Set(candidates.map((c) => c.user.usageLocation).filter((l): l is string => typeof l === "string")),
  ];
  if (locations.length > 1)
    note(
      "emergency",
      `the adopted emergency accounts have different usage locations (${locations.join(", ")}); breakglass.usageLocation sets one for all`,
      true,
    );

  const values: ProposedValues = {
    tenant: { tenantId, ...(view.initialDomain ? { initialDomain: view.initialDomain } : {}) },
    pim: {
      eligibleAdmins: [...new Set(eligibleAdmins)],
      eligibleGroups,
      ...(approvers ? { approvers } : {}),
      ...(notificationRecipients ? { notificationRecipients } : {}),
      ...(authenticationContextId ? { authenticationContextId } : {}),
      roles: [...roles]
        .map(([role, r]) => ({
          role: roleName(role),
          eligibleUsers: [...new Set(r.users)].sort(),
          eligibleGroups: r.groups,
          ...roleApprovers(role),
        }))
        .sort((a, b) => a.role.localeCompare(b.role)),
      groups,
    },
    exceptions,
    breakglass: {
      accounts,
      ...(exclusion?.adoptable ? { groupName: exclusion.displayName } : {}),
      ...(locations.length === 1 ? { usageLocation: locations[0]!.toUpperCase() } : {}),
    },
    conditionalAccess,
    ...(options.existing?.monitoring === undefined && notificationRecipients
      ? { monitoring: { actionGroup: { emails: notificationRecipients } } }
      : {}),
  };
  if (values.monitoring)
    note(
      "monitoring",
      "monitoring is proposed with its defaults and the PIM recipients as alert receivers: check the resource group, region and receivers",
      true,
    );
  return { values, notes, adoptedPolicies, ...(exclusion ? { exclusionGroup: exclusion } : {}) };

  function exclusionGroup(v: TenantView, accountIds: string[]): Proposal["exclusionGroup"] {
    if (accountIds.length === 0) return undefined;
    const excludedBy = (g: string) => v.caFacts.filter((p) => p.users.excludeGroups.includes(g)).length;
    const shared = (v.memberOf(accountIds[0]!) ?? []).filter(
      (g) => accountIds.every((id) => (v.memberOf(id) ?? []).includes(g)) && excludedBy(g) > 0,
    );
    const best = shared.sort((a, b) => excludedBy(b) - excludedBy(a))[0];
    if (!best) {
      note(
        "emergency",
        "the emergency accounts share no group Conditional Access excludes: the stack creates its exclusion group",
      );
      return undefined;
    }
    const group = v.group(best);
    const displayName = String(group?.displayName ?? best);
    const adoptable = group?.isAssignableToRole === true && group?.securityEnabled !== false;
    note(
      "emergency",
      adoptable
        ? `the emergency accounts are excluded from ${excludedBy(best)} CA policies through group "${displayName}" (${best}): adopted as the exclusion group`
        : `the emergency accounts are excluded through group "${displayName}" (${best}), which is not a role-assignable security group: it cannot become the exclusion group (role-assignability cannot change); the stack creates its own, and every policy excluding "${displayName}" must exclude the new group too`,
      !adoptable,
    );
    return { id: best, displayName, adoptable };
  }
}

/** The live settings of a role's PIM policy, where its rules were read and make sense. */
export function liveSettings(view: TenantView, roleId: string): ActivationPolicySettings | undefined {
  const assignment = (view.snapshot.sources.roleManagementPolicyAssignments ?? []).find(
    (a) => lower(a.roleDefinitionId) === roleId && (a.scopeId === undefined || a.scopeId === "/"),
  );
  const rules = asRecord(assignment?.policy).rules;
  if (!Array.isArray(rules)) return undefined;
  try {
    return settingsFromRules(roleId, rules as PolicyRule[]);
  } catch {
    return undefined;
  }
}

/** The context the Global Administrator policy already requires, else c1 if no policy uses it, else the first free. */
function proposeContext(
  view: TenantView,
  ga: ActivationPolicySettings | undefined,
  note: (topic: Note["topic"], text: string, todo?: boolean) => void,
): string {
  const used = (id: string) => view.caFacts.filter((p) => p.applications.contexts.includes(id));
  const exists = (id: string) => (view.snapshot.sources.authenticationContexts ?? []).some((c) => lower(c.id) === id);
  const live = ga?.authenticationContextId?.toLowerCase();
  if (live) {
    note("context", `the live Global Administrator policy already requires authentication context ${live}: kept`);
    return live;
  }
  if (used("c1").length === 0) return "c1";
  for (let n = 2; n <= 99; n++) {
    const id = `c${n}`;
    if (used(id).length === 0 && !exists(id)) {
      note(
        "context",
        `authentication context c1 is already used by ${used("c1")
          .map((p) => `"${p.name}"`)
          .join(", ")}: proposed ${id}, which no policy uses`,
      );
      return id;
    }
  }
  throw new UserInputError("every authentication context c1…c99 is in use: set pim.authenticationContextId yourself");
}

/**
 * The live policy the stack adopts for each baseline purpose: the one with the baseline's exact name first, then the
 * enforced one, then the oldest. The preflight of `npm run plan` applies the same choice.
 */
export function matchBaselinePolicies(
  view: TenantView,
  note: (topic: Note["topic"], text: string, todo?: boolean) => void = () => undefined,
): AdoptedPolicy[] {
  const rank = (p: RawObject) => (p.state === "enabled" ? 0 : p.state === "enabledForReportingButNotEnforced" ? 1 : 2);
  const out: AdoptedPolicy[] = [];
  for (const purpose of ["adminMfa", "blockLegacyAuthentication", "mfaAllUsers"] as const) {
    const matching = view.caPolicies.filter((p, i) => baselinePurposeOf(view.caFacts[i]!) === purpose);
    if (matching.length === 0) continue;
    const ours = new Set(ACTIVATION_STRENGTHS.map((s) => baselinePolicyArgs(purpose, "enabled", s).displayName));
    const own = (p: RawObject) => Number(ours.has(p.displayName as string));
    const sorted = [...matching].sort(
      (a, b) =>
        own(b) - own(a) ||
        rank(a) - rank(b) ||
        String(a.createdDateTime ?? "").localeCompare(String(b.createdDateTime ?? "")),
    );
    const chosen = sorted[0]!;
    out.push({
      purpose,
      id: String(chosen.id),
      displayName: String(chosen.displayName ?? chosen.id),
      state: String(chosen.state ?? "enabledForReportingButNotEnforced"),
    });
    note(
      "conditionalAccess",
      `CA policy "${String(chosen.displayName)}" (${String(chosen.id)}, ${String(chosen.state)}) serves the baseline's ${purpose}: adopted (imported), its state kept`,
    );
    for (const other of sorted.slice(1)) {
      note(
        "conditionalAccess",
        `CA policy "${String(other.displayName)}" (${String(other.id)}) also serves ${purpose}: it stays unmanaged (the audit still checks its exclusion)`,
      );
    }
  }
  return out;
}
