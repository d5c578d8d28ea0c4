/**
 * The one place the stack configuration is validated.
 *
 * Validation is complete before a single resource is declared and reports every problem at once, each naming the
 * key path, quoting the offending value and saying what is expected. The checks that relate keys to each other
 * (a breakglass account listed as eligible, self-approval, limits) run even when other keys are broken, so a user
 * fixes their stack file in one pass. Renamed and removed keys are reported with what replaces them (migrations.ts).
 */
import type { z } from "zod";
import {
  describeSeconds,
  durationSeconds,
  exceptionRefusals,
  GLOBAL_ADMINISTRATOR,
  GUID,
  knownRoleNames,
  resolveRole,
  strengthAtLeast,
  isExpired,
  limitsProblems,
  MODEL_BOUNDS,
  REQUIRED_LOG_CATEGORIES,
  resolveEndpoints,
  STRENGTH_NAMES,
  UPN_MAX_LENGTH,
  type CloudName,
  type Endpoints,
} from "@entra-baseline/model";
import { UserInputError } from "../cli/errors";
import { didYouMean, duplicates, formatIssue, isRecord, quote, salvage, zodIssues, type ConfigIssue } from "./issues";
import { groupActivationRules, managedRoles } from "./managedRoles";
import { migrate } from "./migrations";
import { receiverUrlIssues } from "./receiverUrls";
import {
  CONFIG_KEYS,
  REQUIRED_CONFIG_KEYS,
  configSchemas,
  type BreakglassAccountConfig,
  type BreakglassConfig,
  type ConditionalAccessConfig,
  type ConfigKey,
  type ExceptionConfig,
  type LimitsConfig,
  type MonitoringConfig,
  type PimConfig,
  type TenantConfig,
} from "./schema";

export { formatIssue, formatPath, type ConfigIssue } from "./issues";

export const CONFIG_NAMESPACE = "entra-baseline";

export interface BreakglassAccount {
  /** Local part of the UPN. */
  name: string;
  displayName: string;
  /** Object id of an existing account this stack adopts. */
  objectId?: string;
  /** Whether the stack sets the password (a generated secret) or leaves an adopted account's own. */
  password: NonNullable<BreakglassAccountConfig["password"]>;
}

export interface BaselineConfig {
  tenant: TenantConfig & { cloud: CloudName };
  /** The hosts of the tenant's cloud (or their loopback overrides): the only places a token is sent. */
  endpoints: Endpoints;
  pim: PimConfig;
  exceptions: ExceptionConfig[];
  breakglass: Omit<BreakglassConfig, "accounts"> & { accounts: BreakglassAccount[] };
  conditionalAccess: ConditionalAccessConfig;
  monitoring: MonitoringConfig;
  limits: LimitsConfig;
}

export class ConfigError extends UserInputError {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `Invalid entra-baseline configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}); nothing was declared:\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join("\n"),
    );
  }
}

export interface ValidationResult {
  config?: BaselineConfig;
  errors: ConfigIssue[];
  /** Sound but not recommended settings (e.g. a single approver), always shown, never silently accepted. */
  warnings: ConfigIssue[];
}

/** Validates raw config values keyed by their name without the namespace (`pim`, `breakglass`, …). */
export function validateConfig(input: Record<string, unknown>): ValidationResult {
  const { issues: migrationErrors, raw } = migrate(input);
  const errors: ConfigIssue[] = [...migrationErrors];
  const warnings: ConfigIssue[] = [];
  const parsed: Partial<Record<ConfigKey, unknown>> = {};
  const partial: Partial<Record<ConfigKey, unknown>> = {};

  for (const key of Object.keys(raw)) {
    if (!(CONFIG_KEYS as string[]).includes(key)) {
      errors.push({
        path: key,
        message: `unknown key${didYouMean(key, CONFIG_KEYS)} (expected one of: ${CONFIG_KEYS.join(", ")})`,
      });
    }
  }
  for (const key of CONFIG_KEYS) {
    const value = raw[key];
    if (value === undefined && REQUIRED_CONFIG_KEYS.includes(key)) {
      errors.push({ path: key, message: `is required (set ${CONFIG_NAMESPACE}:${key} in the stack file)` });
      continue;
    }
    const result = (configSchemas[key] as z.ZodType).safeParse(value);
    if (result.success) parsed[key] = result.data;
    else {
      errors.push(
        ...result.error.issues.flatMap((issue) => zodIssues(key, configSchemas[key] as z.ZodType, value, issue)),
      );
      partial[key] = salvage(configSchemas[key] as z.ZodType, value);
    }
  }

  // Sections with errors still take part in the cross-key checks with the fields that did parse.
  const c = parsed as Partial<Omit<BaselineConfig, "breakglass">> & { breakglass?: BreakglassConfig };
  const p = partial as { pim?: Partial<PimConfig>; breakglass?: BreakglassConfig };
  const bgSource = c.breakglass ?? p.breakglass;
  const breakglass = bgSource ? resolveBreakglass(bgSource, raw.breakglass, c.tenant, errors) : undefined;
  if (c.limits) checkLimits(c.limits, errors);
  const pim = c.pim ?? p.pim;
  if (pim) checkPim(pim, c.limits, breakglass, errors, warnings);
  if (pim) checkManagedRoles(pim, c.limits, c.exceptions ?? [], errors);
  // On the resolved rules only: a role's approvers may come from the role, its template or the top level.
  if (c.pim) checkRoleApprovals(c.pim, errors);
  if (c.conditionalAccess) checkConditionalAccess(c.conditionalAccess, warnings);
  if (c.monitoring) checkMonitoring(c.monitoring, c.limits, errors, warnings);
  if (c.exceptions) checkExceptions(c.exceptions, breakglass, errors, warnings);
  if (c.pim && breakglass && c.limits && errors.length === 0) {
    const holders = c.pim.eligibleAdmins.length + breakglass.accounts.length;
    const { min, max } = c.limits.globalAdmins;
    if (holders < min || holders > max) {
      errors.push({
        path: "pim.eligibleAdmins",
        message: `${c.pim.eligibleAdmins.length} eligible + ${breakglass.accounts.length} breakglass = ${holders} Global Administrators; CISA MS.AAD.7.1 allows ${min}–${max} (limits.globalAdmins)`,
      });
    }
  }

  if (errors.length > 0 || !c.tenant) return { errors, warnings };
  const tenant = c.tenant as BaselineConfig["tenant"];
  const config: BaselineConfig = {
    ...(c as Omit<BaselineConfig, "breakglass" | "endpoints">),
    tenant,
    endpoints: resolveEndpoints(tenant.cloud, tenant.endpoints),
    breakglass: breakglass!,
  };
  return { config, errors, warnings };
}

function resolveBreakglass(
  bg: Partial<BreakglassConfig>,
  rawBg: unknown,
  tenant: TenantConfig | undefined,
  errors: ConfigIssue[],
): BaselineConfig["breakglass"] {
  const rawCount = isRecord(rawBg) ? rawBg.count : undefined;
  if (bg.accounts && rawCount !== undefined && rawCount !== bg.accounts.length) {
    errors.push({
      path: "breakglass.count",
      message: `${quote(rawCount)} disagrees with the ${bg.accounts.length} entries of breakglass.accounts (set one or the other)`,
    });
  }
  const count = typeof rawCount === "number" && rawCount > 0 && rawCount <= 10 ? rawCount : (bg.count ?? 2);
  const generated: BreakglassAccountConfig[] = Array.from({ length: count }, (_, i) => ({
    name: `${bg.namePrefix ?? "breakglass"}-${String(i + 1).padStart(2, "0")}`,
  }));
  const accounts: BreakglassAccount[] = (bg.accounts ?? generated).map((a) => ({
    name: a.name,
    displayName: a.displayName ?? `Emergency access ${a.name}`,
    ...(a.objectId ? { objectId: a.objectId.toLowerCase() } : {}),
    // An adopted account keeps its password unless the stack says otherwise: a silent reset would break the
    // custodians' sealed copies.
    password: a.password ?? (a.objectId ? "keepExisting" : "generate"),
  }));
  accounts.forEach((a, i) => {
    if (a.password === "keepExisting" && !a.objectId) {
      errors.push({
        path: `breakglass.accounts[${i}].password`,
        message: `"keepExisting" needs breakglass.accounts[${i}].objectId: only an existing (adopted) account has a password to keep`,
      });
    }
  });
  duplicates(
    accounts.map((a) => a.name),
    "breakglass.accounts",
    errors,
  );
  if (bg.domain && tenant?.initialDomain && bg.domain.toLowerCase() !== tenant.initialDomain.toLowerCase()) {
    errors.push({
      path: "breakglass.domain",
      message: `${quote(bg.domain)} is not the tenant's initial domain ${quote(tenant.initialDomain)} (tenant.initialDomain)`,
    });
  }
  const domain = bg.domain ?? tenant?.initialDomain;
  if (domain) {
    accounts.forEach((a, i) => {
      const upn = `${a.name}@${domain}`;
      if (upn.length > UPN_MAX_LENGTH) {
        errors.push({
          path: `breakglass.accounts[${i}].name`,
          message: `${quote(upn)} is ${upn.length} characters; a user principal name has at most ${UPN_MAX_LENGTH}`,
        });
      }
    });
  }
  if (bg.fido2) {
    duplicates(bg.fido2.profile.aaguids, "breakglass.fido2.profile.aaguids", errors);
    const wide = bg.fido2.tenantWide;
    if (wide.aaguids) duplicates(wide.aaguids, "breakglass.fido2.tenantWide.aaguids", errors);
    const narrows = (wide.aaguids?.length ?? 0) > 0 || wide.enforceAttestation === true;
    if (narrows && !wide.acknowledgeRestrictsEveryone) {
      errors.push({
        path: "breakglass.fido2.tenantWide",
        message:
          "narrows the FIDO2 settings of EVERY user of a tenant without passkey profiles (allowed models or attestation): set acknowledgeRestrictsEveryone: true to confirm, or leave tenantWide empty and rely on the emergency group's own passkey profile",
      });
    }
  }
  if (bg.groupOwners) duplicates(bg.groupOwners, "breakglass.groupOwners", errors);
  return { ...(bg as BreakglassConfig), domain, accounts };
}

/** The activation policy is what makes PIM ask for a fresh MFA; anything but "enabled" is a rollout step. */
function checkConditionalAccess(ca: ConditionalAccessConfig, warnings: ConfigIssue[]): void {
  if (ca.activationPolicyState !== "enabled") {
    warnings.push({
      path: "conditionalAccess.activationPolicyState",
      message: `${quote(ca.activationPolicyState)} does not enforce the activation policy: activating a Tier-0 role will not ask for a fresh MFA (the policy pack rejects it)`,
    });
  }
  if (ca.adminMfa.strength !== "phishingResistant") {
    warnings.push({
      path: "conditionalAccess.adminMfa.strength",
      message: `${quote(ca.adminMfa.strength)} (${STRENGTH_NAMES[ca.adminMfa.strength]}) is below the phishing-resistant MFA CISA MS.AAD.3.6 asks of Tier-0 admins; "phishingResistant" needs every admin to hold a FIDO2 key, Windows Hello or a certificate before the policy is enforced`,
    });
  }
}

function checkLimits(limits: LimitsConfig, errors: ConfigIssue[]): void {
  for (const problem of limitsProblems(limits))
    errors.push({ path: `limits.${problem.path}`, message: problem.message });
}

function checkPim(
  pim: Partial<PimConfig>,
  limits: LimitsConfig | undefined,
  breakglass: BaselineConfig["breakglass"] | undefined,
  errors: ConfigIssue[],
  warnings: ConfigIssue[],
): void {
  const eligibleAdmins = pim.eligibleAdmins ?? [];
  const approverUsers = pim.approvers?.users ?? [];
  const approverGroups = pim.approvers?.groups ?? [];
  if (pim.maxActivationDuration) {
    const seconds = durationSeconds(pim.maxActivationDuration)!;
    const max = Math.min(
      durationSeconds(limits?.activationDuration.max ?? "") ?? MODEL_BOUNDS.tier0MaxActivationSeconds,
      MODEL_BOUNDS.tier0MaxActivationSeconds,
    );
    if (seconds > max) {
      errors.push({
        path: "pim.maxActivationDuration",
        message: `${quote(pim.maxActivationDuration)} is longer than the allowed ${describeSeconds(max)} (limits.activationDuration.max)`,
      });
    } else if (seconds < MODEL_BOUNDS.minActivationSeconds) {
      errors.push({
        path: "pim.maxActivationDuration",
        message: `${quote(pim.maxActivationDuration)} is shorter than PIM accepts (${describeSeconds(MODEL_BOUNDS.minActivationSeconds)})`,
      });
    }
  }
  if (pim.requireJustification === false) {
    errors.push({
      path: "pim.requireJustification",
      message: "false loosens the model: every Tier-0 activation requires a justification",
    });
  }
  if (pim.requireTicket === false) {
    errors.push({
      path: "pim.requireTicket",
      message: "false loosens the model: every Tier-0 activation requires a ticket reference",
    });
  }
  if (pim.activationStrength && pim.activationStrength !== "phishingResistant") {
    warnings.push({
      path: "pim.activationStrength",
      message: `${quote(pim.activationStrength)} (${STRENGTH_NAMES[pim.activationStrength]}): activation asks for a fresh MFA every time, but not a phishing-resistant one; "phishingResistant" is recommended (CISA MS.AAD.3.6) once every eligible admin holds a FIDO2 key, Windows Hello or a certificate`,
    });
  }
  duplicates(eligibleAdmins, "pim.eligibleAdmins", errors);
  duplicates(approverUsers, "pim.approvers.users", errors);
  duplicates(approverGroups, "pim.approvers.groups", errors);
  duplicates(pim.notificationRecipients ?? [], "pim.notificationRecipients", errors);

  const approverCount = approverUsers.length + approverGroups.length;
  if (!pim.approvers) {
    // Missing or malformed: already reported by the schema.
  } else if (approverCount === 0) {
    errors.push({
      path: "pim.approvers",
      message: "lists no approver: every activation needs a second person's approval (CISA MS.AAD.7.6)",
    });
  } else {
    selfApproval(eligibleAdmins, { users: approverUsers, groups: approverGroups }, "pim.eligibleAdmins", "", errors);
    if (approverGroups.length === 0 && approverCount === 1 && errors.length === 0) {
      warnings.push({
        path: "pim.approvers",
        message: "has a single approver; Microsoft recommends at least two so activation never waits on one person",
      });
    }
  }

  if (breakglass) {
    const domain = breakglass.domain?.toLowerCase();
    const names = new Map(breakglass.accounts.map((a) => [a.name.toLowerCase(), a.name]));
    const ids = new Map(breakglass.accounts.filter((a) => a.objectId).map((a) => [a.objectId!, a.name]));
    const check = (values: string[], path: string, role: string) =>
      values.forEach((value, i) => {
        const v = value.toLowerCase();
        const account = GUID.test(v) ? ids.get(v) : undefined;
        const [local, upnDomain] = v.split("@");
        const byName =
          !GUID.test(v) && names.has(local!) && (!domain || upnDomain === domain) ? names.get(local!) : undefined;
        const name = account ?? byName;
        if (name) {
          errors.push({
            path: `${path}[${i}]`,
            message: `${quote(value)} is breakglass account ${quote(name)}: emergency accounts hold permanent Global Administrator and must never be ${role}`,
          });
        }
      });
    check(eligibleAdmins, "pim.eligibleAdmins", "PIM-eligible");
    check(pim.eligibleGroups ?? [], "pim.eligibleGroups", "PIM-eligible");
    check(approverUsers, "pim.approvers.users", "PIM approvers");
    (pim.roles ?? []).forEach((r, i) => {
      check(r.eligibleUsers ?? [], `pim.roles[${i}].eligibleUsers`, "PIM-eligible");
      check(r.eligibleGroups ?? [], `pim.roles[${i}].eligibleGroups`, "PIM-eligible");
      check(r.approvers?.users ?? [], `pim.roles[${i}].approvers.users`, "PIM approvers");
    });
    for (const [name, t] of Object.entries(pim.templates ?? {}))
      check(t.approvers?.users ?? [], `pim.templates.${name}.approvers.users`, "PIM approvers");
    (pim.groups ?? []).forEach((g, i) =>
      check(g.eligibleMembers ?? [], `pim.groups[${i}].eligibleMembers`, "PIM-eligible (for a group that holds roles)"),
    );
  }
}

/**
 * The roles besides Global Administrator (`pim.roles`), the PIM-for-Groups groups (`pim.groups`) and what holds the
 * eligibilities (`pim.eligibilityResource`), as managedRoles.ts resolves them: every role known and listed once, a
 * Tier-0 role only tightening the Tier-0 rules, nobody both eligible for and excepted from one role, one
 * authentication context per activation strength. Whether a pim.groups group is role-assignable cannot be known
 * offline (it is named by object id): the audit reads it.
 */
function checkManagedRoles(
  pim: Partial<PimConfig>,
  limits: LimitsConfig | undefined,
  exceptions: ExceptionConfig[],
  errors: ConfigIssue[],
): void {
  const known = knownRoleNames();
  const unknownRole = (ref: string) =>
    `${quote(ref)} is not a directory role this model knows${didYouMean(ref, known)} (a built-in role's display name, or its template id)`;
  const tier0Max = Math.min(
    durationSeconds(pim.maxActivationDuration ?? "") ?? MODEL_BOUNDS.tier0MaxActivationSeconds,
    durationSeconds(limits?.activationDuration.max ?? "") ?? MODEL_BOUNDS.tier0MaxActivationSeconds,
    MODEL_BOUNDS.tier0MaxActivationSeconds,
  );
  const tier0Strength = pim.activationStrength ?? "mfa";
  const templates = pim.templates ?? {};
  /** Context id → the strength and key that asked for it first. */
  const contexts = new Map<string, { strength: string; path: string }>();
  const useContext = (id: string | undefined, strength: string, path: string) => {
    if (!id) return;
    const first = contexts.get(id);
    if (!first) contexts.set(id, { strength, path });
    else if (first.strength !== strength)
      errors.push({
        path,
        message: `${quote(id)} is asked for ${quote(strength)} activation, but ${first.path} asks it for ${quote(first.strength)}: one authentication context per activation strength (its Conditional Access policy demands one strength)`,
      });
  };
  useContext(pim.authenticationContextId ?? "c1", tier0Strength, "pim.authenticationContextId");

  /** Role template id → the eligible principals' object ids and where each is listed. */
  const eligible = new Map<string, { id: string; path: string }[]>();
  const addEligible = (role: string, values: readonly string[], path: string) =>
    values.forEach((v, i) => {
      if (!GUID.test(v)) return; // a UPN is resolved at deploy time; exceptions name object ids
      const list = eligible.get(role) ?? [];
      list.push({ id: v.toLowerCase(), path: `${path}[${i}]` });
      eligible.set(role, list);
    });
  addEligible(GLOBAL_ADMINISTRATOR, pim.eligibleAdmins ?? [], "pim.eligibleAdmins");
  addEligible(GLOBAL_ADMINISTRATOR, pim.eligibleGroups ?? [], "pim.eligibleGroups");

  const seen = new Map<string, number>();
  (pim.roles ?? []).forEach((entry, i) => {
    const at = `pim.roles[${i}]`;
    const role = resolveRole(entry.role);
    if (!role) {
      errors.push({ path: `${at}.role`, message: unknownRole(entry.role) });
      return;
    }
    if (role.templateId === GLOBAL_ADMINISTRATOR) {
      errors.push({
        path: `${at}.role`,
        message: `${quote(entry.role)} is Global Administrator, which the top-level pim keys configure (pim.eligibleAdmins, pim.eligibleGroups, pim.approvers…): remove this entry`,
      });
      return;
    }
    const prior = seen.get(role.templateId);
    if (prior !== undefined) {
      errors.push({
        path: `${at}.role`,
        message: `${quote(entry.role)} is ${role.name} again (pim.roles[${prior}]): list each role once, with all its eligible users and groups`,
      });
      return;
    }
    seen.set(role.templateId, i);
    duplicates(entry.eligibleUsers ?? [], `${at}.eligibleUsers`, errors);
    duplicates(entry.eligibleGroups ?? [], `${at}.eligibleGroups`, errors);
    addEligible(role.templateId, entry.eligibleUsers ?? [], `${at}.eligibleUsers`);
    addEligible(role.templateId, entry.eligibleGroups ?? [], `${at}.eligibleGroups`);
    const template = entry.template !== undefined ? templates[entry.template] : undefined;
    if (entry.template !== undefined && !template) {
      errors.push({
        path: `${at}.template`,
        message: `${quote(entry.template)} is not a pim.templates entry${didYouMean(entry.template, Object.keys(templates))}`,
      });
    }
    const seconds = entry.maxActivationDuration ? durationSeconds(entry.maxActivationDuration) : undefined;
    if (role.tier0) {
      const loosens = (key: string, message: string) =>
        errors.push({
          path: `${at}.${key}`,
          message: `${message} (${role.name} is a Tier-0 role: it may only tighten the Tier-0 rules)`,
        });
      if (entry.template !== undefined)
        loosens(
          "template",
          `${quote(entry.template)}: a template replaces the Tier-0 rules, and templates are for roles outside Tier-0`,
        );
      if (seconds !== undefined && seconds > tier0Max)
        loosens(
          "maxActivationDuration",
          `${quote(entry.maxActivationDuration)} is longer than the Tier-0 ${describeSeconds(tier0Max)} (pim.maxActivationDuration, limits.activationDuration.max)`,
        );
      if (entry.requireJustification === false)
        loosens("requireJustification", "false loosens the model: every Tier-0 activation requires a justification");
      if (entry.requireTicket === false)
        loosens("requireTicket", "false loosens the model: every Tier-0 activation requires a ticket reference");
      if (entry.activationStrength && !strengthAtLeast(entry.activationStrength, tier0Strength))
        loosens(
          "activationStrength",
          `${quote(entry.activationStrength)} is weaker than the Tier-0 ${quote(tier0Strength)} (pim.activationStrength)`,
        );
    } else if (seconds !== undefined && seconds > MODEL_BOUNDS.maxActivationSeconds) {
      errors.push({
        path: `${at}.maxActivationDuration`,
        message: `${quote(entry.maxActivationDuration)} is longer than PIM accepts (${describeSeconds(MODEL_BOUNDS.maxActivationSeconds)})`,
      });
    }
    if (seconds !== undefined && seconds < MODEL_BOUNDS.minActivationSeconds) {
      errors.push({
        path: `${at}.maxActivationDuration`,
        message: `${quote(entry.maxActivationDuration)} is shorter than PIM accepts (${describeSeconds(MODEL_BOUNDS.minActivationSeconds)})`,
      });
    }
    // As managedRoles.ts resolves them: a context is inherited only with the strength it was asked for.
    const from = role.tier0 || !template ? undefined : template;
    const fromStrength = from ? from.activationStrength : tier0Strength;
    const fromContext = from ? from.authenticationContextId : (pim.authenticationContextId ?? "c1");
    const strength = entry.activationStrength ?? fromStrength;
    const context = entry.authenticationContextId ?? (strength === fromStrength ? fromContext : undefined);
    if (role.tier0 && !context) {
      errors.push({
        path: `${at}.authenticationContextId`,
        message: `is required with activationStrength ${quote(strength)}: a Tier-0 activation always requires an authentication context, and ${quote(fromContext)} is asked for ${quote(fromStrength)} (one context per strength)`,
      });
    }
    useContext(
      context,
      strength,
      entry.authenticationContextId ? `${at}.authenticationContextId` : `${at}.activationStrength`,
    );
  });
  for (const [name, t] of Object.entries(templates))
    useContext(
      t.authenticationContextId,
      t.activationStrength ?? "mfa",
      `pim.templates.${name}.authenticationContextId`,
    );

  if (pim.eligibilityDuration && pim.eligibilityResource !== "schedule") {
    errors.push({
      path: "pim.eligibilityDuration",
      message: `${quote(pim.eligibilityDuration)} needs pim.eligibilityResource "schedule": azuread's request resource (${quote(pim.eligibilityResource ?? "request")}) always asks for an eligibility that never expires (docs/pim.md, "Upgrading")`,
    });
  }

  (pim.groups ?? []).forEach((g, i) => {
    const at = `pim.groups[${i}]`;
    duplicates(g.eligibleMembers ?? [], `${at}.eligibleMembers`, errors);
    (g.roles ?? []).forEach((ref, j) => {
      const role = resolveRole(ref);
      if (!role) errors.push({ path: `${at}.roles[${j}]`, message: unknownRole(ref) });
      else addEligible(role.templateId, g.eligibleMembers ?? [], `${at}.eligibleMembers`);
    });
  });
  duplicates(
    (pim.groups ?? []).map((g) => g.group.toLowerCase()),
    "pim.groups",
    errors,
  );

  // A principal either holds a role standing under an exception or is eligible for it: both would hide one path.
  exceptions.forEach((e, i) => {
    e.roles.forEach((ref, j) => {
      const role = resolveRole(ref);
      if (!role) return; // reported by checkExceptions
      for (const hit of (eligible.get(role.templateId) ?? []).filter((x) => x.id === e.principal.toLowerCase())) {
        errors.push({
          path: hit.path,
          message: `${quote(e.principal)} is also excepted for ${role.name} (exceptions[${i}].roles[${j}]): a principal holds a role standing under an exception or is eligible for it, never both`,
        });
      }
    });
  });
}

/**
 * Someone else must be able to approve each eligible user: a requester can never approve their own activation, so a
 * user who is the only approver (no approver group, no other approver user) could never activate. Groups' members
 * are unknown here; one approver group is enough.
 */
function selfApproval(
  eligibleUsers: readonly string[],
  approvers: { users: readonly string[]; groups: readonly string[] },
  eligiblePath: string,
  of: string,
  errors: ConfigIssue[],
): void {
  if (approvers.groups.length > 0 || approvers.users.length === 0) return;
  const others = (user: string) => approvers.users.filter((a) => a.toLowerCase() !== user.toLowerCase());
  eligibleUsers.forEach((user, i) => {
    if (others(user).length === 0)
      errors.push({
        path: `${eligiblePath}[${i}]`,
        message: `${quote(user)} is the only approver of their own activation${of}; a requester can never approve themselves, so add another approver (Microsoft recommends two)`,
      });
  });
}

/**
 * The approval rule for every managed role besides Global Administrator (checkPim holds it) and every PIM for Groups
 * group, on the rules as managedRoles.ts resolves them: a role that requires approval lists an approver, and nobody
 * eligible for it is its only approver.
 */
function checkRoleApprovals(pim: PimConfig, errors: ConfigIssue[]): void {
  for (const role of managedRoles(pim)) {
    if (role.path === "pim" || !role.rules.requireApproval) continue;
    const from = role.approversPath;
    const { users, groups } = role.rules.approvers;
    // pim.approvers without any approver is reported once, for Global Administrator.
    if (users.length + groups.length === 0 && from !== "pim.approvers") {
      errors.push({
        path: from,
        message: `lists no approver, but activation of ${role.name} requires a second person's approval`,
      });
      continue;
    }
    selfApproval(role.eligibleUsers, role.rules.approvers, `${role.path}.eligibleUsers`, ` of ${role.name}`, errors);
  }
  pim.groups.forEach((group, i) => {
    const rules = groupActivationRules(group, pim);
    if (rules.requireApproval)
      selfApproval(
        group.eligibleMembers,
        rules.approvers,
        `pim.groups[${i}].eligibleMembers`,
        ` (membership of group ${quote(group.label ?? group.group)})`,
        errors,
      );
  });
}

function checkMonitoring(
  monitoring: MonitoringConfig,
  limits: LimitsConfig | undefined,
  errors: ConfigIssue[],
  warnings: ConfigIssue[],
): void {
  duplicates(monitoring.logCategories, "monitoring.logCategories", errors);
  for (const required of REQUIRED_LOG_CATEGORIES) {
    if (!monitoring.logCategories.includes(required)) {
      errors.push({
        path: "monitoring.logCategories",
        message: `${quote(monitoring.logCategories)} is missing ${required}, which the tripwire and the PIM review read`,
      });
    }
  }
  const minRetention = Math.max(
    limits?.minRetentionInDays ?? MODEL_BOUNDS.minRetentionInDays,
    MODEL_BOUNDS.minRetentionInDays,
  );
  if (!monitoring.existingWorkspaceId && monitoring.retentionInDays < minRetention) {
    errors.push({
      path: "monitoring.retentionInDays",
      message: `${monitoring.retentionInDays} is below the required ${minRetention} days (limits.minRetentionInDays)`,
    });
  }
  for (const key of ["breakglassSignIn", "breakglassNonInteractiveSignIn"] as const) {
    if (monitoring.severities[key] !== 0) {
      errors.push({
        path: `monitoring.severities.${key}`,
        message: `${monitoring.severities[key]} loosens the model: a breakglass sign-in is a severity 0 (critical) alert`,
      });
    }
  }
  const ag = monitoring.actionGroup;
  if (ag.emails.length + ag.sms.length + ag.webhooks.length + ag.teams.length + ag.slack.length === 0) {
    errors.push({
      path: "monitoring.actionGroup",
      message: "has no receiver: a tripwire nobody hears is no tripwire (add emails, sms, webhooks, teams or slack)",
    });
  }
  // A receiver of the wrong kind delivers a message nobody can read (receiverUrls.ts).
  const receivers = receiverUrlIssues(ag);
  errors.push(...receivers.errors);
  warnings.push(...receivers.warnings);
  if (monitoring.workingHours.start >= monitoring.workingHours.end) {
    errors.push({
      path: "monitoring.workingHours",
      message: `start ${monitoring.workingHours.start} is not before end ${monitoring.workingHours.end}`,
    });
  }
}

/** The exceptions as the model judges them (exceptions.ts), plus what only config can tell (duplicates, expiry now). */
function checkExceptions(
  exceptions: ExceptionConfig[],
  breakglass: BaselineConfig["breakglass"] | undefined,
  errors: ConfigIssue[],
  warnings: ConfigIssue[],
): void {
  const ids = new Map((breakglass?.accounts ?? []).filter((a) => a.objectId).map((a) => [a.objectId!, a.name]));
  const now = new Date();
  exceptions.forEach((e, i) => {
    for (const problem of exceptionRefusals(e, new Set(ids.keys()))) {
      errors.push({ path: `exceptions[${i}].${problem.path}`, message: problem.message });
    }
    if (isExpired(e, now)) {
      warnings.push({
        path: `exceptions[${i}].expires`,
        message: `${quote(e.expires)} has passed: the exception covers nothing any more, and every enforcer reports ${e.label ?? e.principal} as standing access (renew it with a reason, or make the principal eligible)`,
      });
    }
  });
  duplicates(
    exceptions.map((e) => e.principal),
    "exceptions",
    errors,
  );
}
