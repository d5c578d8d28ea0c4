/**
 * The roles a stack makes just-in-time, resolved from validated config into one list: Global Administrator from the
 * top-level `pim` keys (as in 0.1), then every `pim.roles` entry. A Tier-0 role takes the top-level (Tier-0) rules and
 * may only tighten them; a role outside Tier-0 takes its `template`, else the Tier-0 rules too. Pure: the program,
 * the pack config, the audit and the review all read the same resolution.
 */
import {
  ACTIVATION_STRENGTHS,
  GLOBAL_ADMINISTRATOR,
  MODEL_BOUNDS,
  durationSeconds,
  resolveRole,
  strengthAtLeast,
  type ActivationStrength,
} from "@entra-baseline/model";
import type { PimConfig, PimGroupConfig, PimRoleConfig } from "./schema";

export interface ManagedRoleRules {
  maxActivationDuration: string;
  requireJustification: boolean;
  requireTicket: boolean;
  requireApproval: boolean;
  approvers: { users: string[]; groups: string[] };
  /** The context activation must require; undefined: none (PIM's own MFA prompt, for roles outside Tier-0 only). */
  authenticationContextId: string | undefined;
  activationStrength: ActivationStrength;
  notificationRecipients: string[];
}

export interface ManagedRole {
  /** Template id, lower-case. */
  roleDefinitionId: string;
  name: string;
  tier0: boolean;
  /** Where it is configured, for messages: `pim` (Global Administrator) or `pim.roles[2]`. */
  path: string;
  /** A stable slug for resource names (`global-administrator`, `privileged-role-administrator`). */
  slug: string;
  eligibleUsers: string[];
  eligibleGroups: string[];
  /** ISO 8601 duration after which an eligibility expires; undefined: never. */
  eligibilityDuration: string | undefined;
  /** The config key the role's approvers come from: its own `approvers`, its template's, or `pim.approvers`. */
  approversPath: string;
  rules: ManagedRoleRules;
}

export function roleSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The top-level (Tier-0) rules. */
export function tier0Rules(pim: PimConfig): ManagedRoleRules {
  return {
    maxActivationDuration: pim.maxActivationDuration,
    requireJustification: pim.requireJustification,
    requireTicket: pim.requireTicket,
    requireApproval: true,
    approvers: { users: [...pim.approvers.users], groups: [...pim.approvers.groups] },
    authenticationContextId: pim.authenticationContextId,
    activationStrength: pim.activationStrength,
    notificationRecipients: [...pim.notificationRecipients],
  };
}

/** The shorter of two ISO 8601 durations. */
function shorter(a: string, b: string | undefined): string {
  if (b === undefined) return a;
  return (durationSeconds(b) ?? Infinity) < (durationSeconds(a) ?? Infinity) ? b : a;
}

/** Where `rulesOf` takes a role's approvers from, as a config key (for messages that say what to change). */
function approversPathOf(entry: PimRoleConfig, pim: PimConfig, tier0: boolean, path: string): string {
  if (entry.approvers) return `${path}.approvers`;
  if (!tier0 && entry.template && pim.templates[entry.template]?.approvers)
    return `pim.templates.${entry.template}.approvers`;
  return "pim.approvers";
}

function rulesOf(entry: PimRoleConfig, pim: PimConfig, tier0: boolean): ManagedRoleRules {
  const base = tier0Rules(pim);
  const template = !tier0 && entry.template ? pim.templates[entry.template] : undefined;
  const from: ManagedRoleRules = template
    ? {
        maxActivationDuration: template.maxActivationDuration,
        requireJustification: template.requireJustification,
        requireTicket: template.requireTicket,
        requireApproval: template.requireApproval,
        approvers: template.approvers ? { ...template.approvers } : base.approvers,
        authenticationContextId: template.authenticationContextId,
        activationStrength: template.activationStrength,
        notificationRecipients: template.notificationRecipients ?? base.notificationRecipients,
      }
    : base;
  const strength = entry.activationStrength ?? from.activationStrength;
  return {
    // Tier-0: an override may only shorten (config validation reports a longer one as an error).
    maxActivationDuration: tier0
      ? shorter(from.maxActivationDuration, entry.maxActivationDuration)
      : (entry.maxActivationDuration ?? from.maxActivationDuration),
    requireJustification: tier0 ? true : (entry.requireJustification ?? from.requireJustification),
    requireTicket: tier0 ? true : (entry.requireTicket ?? from.requireTicket),
    requireApproval: tier0 ? true : from.requireApproval,
    approvers: entry.approvers
      ? { users: [...entry.approvers.users], groups: [...entry.approvers.groups] }
      : from.approvers,
    authenticationContextId:
      entry.authenticationContextId ??
      (strength === from.activationStrength ? from.authenticationContextId : undefined),
    activationStrength: strength,
    notificationRecipients: entry.notificationRecipients ?? from.notificationRecipients,
  };
}

/**
 * Every managed role, Global Administrator first. Entries naming a role config validation rejects (unknown, Global
 * Administrator again) are skipped here; validation reports them.
 */
export function managedRoles(pim: PimConfig): ManagedRole[] {
  const ga: ManagedRole = {
    roleDefinitionId: GLOBAL_ADMINISTRATOR,
    name: "Global Administrator",
    tier0: true,
    path: "pim",
    slug: "global-administrator",
    eligibleUsers: [...pim.eligibleAdmins],
    eligibleGroups: [...pim.eligibleGroups],
    eligibilityDuration: pim.eligibilityDuration,
    approversPath: "pim.approvers",
    rules: tier0Rules(pim),
  };
  const out = [ga];
  pim.roles.forEach((entry, i) => {
    const role = resolveRole(entry.role);
    if (!role || role.templateId === GLOBAL_ADMINISTRATOR || out.some((r) => r.roleDefinitionId === role.templateId))
      return;
    out.push({
      roleDefinitionId: role.templateId,
      name: role.name,
      tier0: role.tier0,
      path: `pim.roles[${i}]`,
      slug: roleSlug(role.name),
      eligibleUsers: [...entry.eligibleUsers],
      eligibleGroups: [...entry.eligibleGroups],
      eligibilityDuration: entry.eligibilityDuration,
      approversPath: approversPathOf(entry, pim, role.tier0, `pim.roles[${i}]`),
      rules: rulesOf(entry, pim, role.tier0),
    });
  });
  return out;
}

/** Activation in minutes, bounded by what PIM accepts (for the pack config's integer schema). */
export function activationMinutes(duration: string): number {
  const seconds = durationSeconds(duration) ?? MODEL_BOUNDS.tier0MaxActivationSeconds;
  return Math.max(MODEL_BOUNDS.minActivationSeconds, Math.min(seconds, MODEL_BOUNDS.maxActivationSeconds)) / 60;
}

/** The managed roles a group holds (a role the stack does not manage takes the Tier-0 rules: the strictest). */
export function rolesOfGroup(group: PimGroupConfig, pim: PimConfig): { name: string; rules: ManagedRoleRules }[] {
  const managed = managedRoles(pim);
  return group.roles.map((ref) => {
    const role = resolveRole(ref);
    const found: ManagedRole | undefined = managed.find((r) => r.roleDefinitionId === role?.templateId);
    return { name: found?.name ?? role?.name ?? ref, rules: found?.rules ?? tier0Rules(pim) };
  });
}

/**
 * The strictest activation rules of several roles: the shortest activation, every requirement any of them has, the
 * approvers of the first role that requires approval, the context of the strongest activation strength, and every
 * role's notification recipients.
 */
export function strictestRules(all: readonly ManagedRoleRules[]): ManagedRoleRules {
  const seconds = (r: ManagedRoleRules) => durationSeconds(r.maxActivationDuration) ?? Infinity;
  const shortest = [...all].sort((a, b) => seconds(a) - seconds(b))[0]!;
  const approving = all.find((r) => r.requireApproval);
  const withContext = all.filter((r) => r.authenticationContextId !== undefined);
  const strongest = (rules: readonly ManagedRoleRules[]) =>
    [...rules].sort(
      (a, b) => ACTIVATION_STRENGTHS.indexOf(b.activationStrength) - ACTIVATION_STRENGTHS.indexOf(a.activationStrength),
    )[0];
  const context = strongest(withContext);
  const strength: ActivationStrength = all.reduce<ActivationStrength>(
    (s, r) => (strengthAtLeast(r.activationStrength, s) ? r.activationStrength : s),
    "mfa",
  );
  return {
    maxActivationDuration: shortest.maxActivationDuration,
    requireJustification: all.some((r) => r.requireJustification),
    requireTicket: all.some((r) => r.requireTicket),
    requireApproval: approving !== undefined,
    approvers: approving?.approvers ?? { users: [], groups: [] },
    authenticationContextId: context?.authenticationContextId,
    activationStrength: context?.activationStrength ?? strength,
    notificationRecipients: [
      ...new Map(all.flatMap((r) => r.notificationRecipients).map((e) => [e.toLowerCase(), e])).values(),
    ],
  };
}

/** The rules of a `pim.groups` group's member policy: the strictest of the roles it holds. */
export function groupActivationRules(group: PimGroupConfig, pim: PimConfig): ManagedRoleRules {
  return strictestRules(rolesOfGroup(group, pim).map((r) => r.rules));
}
