/**
 * A Conditional Access policy as neutral facts, and the two judgements the baseline rests on:
 * - guarantee 3: the policy behind the activation authentication context is the model's canonical form (allow-list):
 *   enabled, every user (or every requester) in, nobody out but the emergency accounts, no condition that narrows
 *   when it applies, a grant only the configured strength (or a stronger one) meets, sign-in frequency every time;
 * - guarantee 4: every policy that can apply to users, in any state, excludes the exclusion group or every
 *   emergency account, and includes none of them.
 *
 * Adapters translate into these facts: `caPolicyFromGraph` here for Graph's JSON (live answers, and the props of the
 * Graph-written policy resource), the pack for azuread's inputs. Principal ids are compared as given, lower-cased: an
 * adapter that cannot know an id yet (preview) passes a stable stand-in (the URN of the resource it came from), and
 * passes the same stand-in in the emergency accounts' keys when that resource is theirs.
 */
import { STRENGTH_NAMES, strengthAtLeast, strengthOfPolicyId, type ActivationStrength } from "./strengths";

export interface CaUsers {
  includeUsers: string[];
  excludeUsers: string[];
  includeGroups: string[];
  excludeGroups: string[];
  includeRoles: string[];
  excludeRoles: string[];
  /** includeGuestsOrExternalUsers is set. */
  includeGuests: boolean;
  /** excludeGuestsOrExternalUsers is set. */
  excludeGuests: boolean;
}

export interface CaPolicyFacts {
  /** displayName, or the resource name. */
  name: string;
  id?: string;
  state: string | undefined;
  users: CaUsers;
  applications: {
    include: string[];
    exclude: string[];
    userActions: string[];
    contexts: string[];
    /** applicationFilter is set. */
    filtered: boolean;
  };
  clientAppTypes: string[];
  /** Service principals the policy targets (workload identity policies). */
  servicePrincipals: string[];
  /** Every other condition that is set (non-null, non-empty), by its Graph name: each narrows when the policy applies. */
  otherConditions: string[];
  grant:
    | {
        operator: string | undefined;
        builtInControls: string[];
        customAuthenticationFactors: string[];
        termsOfUse: string[];
        /** authenticationStrength.id (a built-in or custom strength policy id). */
        strengthId: string | undefined;
      }
    | undefined;
  signInFrequency:
    | { isEnabled: boolean | undefined; interval: string | undefined; authenticationType: string | undefined }
    | undefined;
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

export function stringsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").map((x) => x.trim().toLowerCase()) : [];
}

function isSet(v: unknown): boolean {
  if (v === null || v === undefined || v === "" || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.values(v as Json).some(isSet);
  return true;
}

/** Condition names this model reads itself; every other set one is a narrowing. */
const KNOWN_CONDITIONS = new Set(["applications", "users", "clientAppTypes", "clientApplications"]);

/** Graph's `conditionalAccessPolicy` JSON (v1.0) as facts. Unknown or newer condition keys count as narrowing. */
export function caPolicyFromGraph(policy: unknown): CaPolicyFacts {
  const p = obj(policy);
  const conditions = obj(p.conditions);
  const users = obj(conditions.users);
  const apps = obj(conditions.applications);
  const clientApps = obj(conditions.clientApplications);
  const grant = p.grantControls === null || p.grantControls === undefined ? undefined : obj(p.grantControls);
  const sif = obj(obj(p.sessionControls).signInFrequency);
  const strength = grant ? obj(grant.authenticationStrength).id : undefined;
  return {
    name: typeof p.displayName === "string" ? p.displayName : String(p.id ?? "(no name)"),
    ...(typeof p.id === "string" ? { id: p.id } : {}),
    state: typeof p.state === "string" ? p.state : undefined,
    users: {
      includeUsers: stringsOf(users.includeUsers),
      excludeUsers: stringsOf(users.excludeUsers),
      includeGroups: stringsOf(users.includeGroups),
      excludeGroups: stringsOf(users.excludeGroups),
      includeRoles: stringsOf(users.includeRoles),
      excludeRoles: stringsOf(users.excludeRoles),
      includeGuests: isSet(users.includeGuestsOrExternalUsers),
      excludeGuests: isSet(users.excludeGuestsOrExternalUsers),
    },
    applications: {
      include: stringsOf(apps.includeApplications),
      exclude: stringsOf(apps.excludeApplications),
      userActions: stringsOf(apps.includeUserActions),
      contexts: stringsOf(apps.includeAuthenticationContextClassReferences),
      filtered: isSet(apps.applicationFilter),
    },
    clientAppTypes: stringsOf(conditions.clientAppTypes),
    servicePrincipals: stringsOf(clientApps.includeServicePrincipals),
    otherConditions: [
      ...Object.keys(conditions).filter((k) => !KNOWN_CONDITIONS.has(k) && isSet(conditions[k])),
      ...(isSet(clientApps.servicePrincipalFilter) || stringsOf(clientApps.excludeServicePrincipals).length > 0
        ? ["clientApplications"]
        : []),
    ],
    grant: grant && {
      operator: typeof grant.operator === "string" ? grant.operator.toUpperCase() : undefined,
      builtInControls: stringsOf(grant.builtInControls),
      customAuthenticationFactors: stringsOf(grant.customAuthenticationFactors),
      termsOfUse: stringsOf(grant.termsOfUse),
      strengthId: typeof strength === "string" ? strength : undefined,
    },
    signInFrequency:
      Object.keys(sif).length === 0
        ? undefined
        : {
            isEnabled: typeof sif.isEnabled === "boolean" ? sif.isEnabled : undefined,
            interval: typeof sif.frequencyInterval === "string" ? sif.frequencyInterval : undefined,
            authenticationType: typeof sif.authenticationType === "string" ? sif.authenticationType : undefined,
          },
  };
}

/** True when the policy can apply to no user at all: it names no user, group, role or guest (workload identities). */
export function appliesToNoUser(p: CaPolicyFacts): boolean {
  const u = p.users;
  return (
    u.includeUsers.every((x) => x === "none") &&
    u.includeGroups.length === 0 &&
    u.includeRoles.length === 0 &&
    !u.includeGuests
  );
}

export interface EmergencyAccountKeys {
  /** For messages. */
  name: string;
  /** The account's id or preview stand-in. */
  key: string;
  /** Groups the account is a member of, transitively, where known (the audit reads them). */
  memberOf?: readonly string[];
}

export interface BreakglassKeys {
  /** The exclusion group (id or stand-in). Empty when it is not known. */
  groupKeys: readonly string[];
  accounts: readonly EmergencyAccountKeys[];
}

export interface ExclusionVerdict {
  /** Emergency accounts the policy does not exclude. */
  exposed: string[];
  /** Emergency principals (accounts or the group) the policy includes by name. */
  included: string[];
}

const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));

/**
 * Guarantee 4: the emergency accounts a policy leaves exposed, and the ones it targets. A policy that applies to no
 * user exposes nobody. Excluding the exclusion group covers every account; so does excluding each account, or a
 * group the account is (transitively) in.
 */
export function breakglassExclusion(p: CaPolicyFacts, bg: BreakglassKeys): ExclusionVerdict {
  const excludedGroups = lower(p.users.excludeGroups);
  const excludedUsers = lower(p.users.excludeUsers);
  const included = [
    ...bg.accounts.filter((a) => lower(p.users.includeUsers).has(a.key.toLowerCase())).map((a) => a.name),
    ...(bg.groupKeys.some((g) => lower(p.users.includeGroups).has(g.toLowerCase())) ? ["the exclusion group"] : []),
  ];
  if (appliesToNoUser(p)) return { exposed: [], included };
  if (bg.groupKeys.some((g) => excludedGroups.has(g.toLowerCase()))) return { exposed: [], included };
  const exposed = bg.accounts
    .filter(
      (a) =>
        !excludedUsers.has(a.key.toLowerCase()) && !(a.memberOf ?? []).some((g) => excludedGroups.has(g.toLowerCase())),
    )
    .map((a) => a.name);
  return { exposed, included };
}

export interface ActivationContextRequirement {
  /** `c1` … `c99`. */
  contextId: string;
  strength: ActivationStrength;
  breakglass: BreakglassKeys;
  /**
   * Everyone who may activate a role requiring this context (ids or stand-ins), when the policy does not include
   * All users. Groups of eligible members count by their own key.
   */
  requesters?: readonly string[];
}

/** Whether a grant can only be met with `strength` or a stronger built-in one (the plain MFA control counts as MFA). */
export function grantMeets(grant: CaPolicyFacts["grant"], strength: ActivationStrength): string | undefined {
  if (!grant) return "it has no grant controls";
  const granted = strengthOfPolicyId(grant.strengthId);
  const plainMfa = grant.builtInControls.includes("mfa");
  const viaStrength = granted !== undefined && strengthAtLeast(granted, strength);
  const viaMfa = plainMfa && strength === "mfa";
  if (grant.strengthId !== undefined && granted === undefined) {
    return `it grants with authentication strength ${grant.strengthId}, which is not a built-in strength the model can weigh`;
  }
  if (!viaStrength && !viaMfa) {
    const what = granted
      ? `authentication strength ${STRENGTH_NAMES[granted]}`
      : plainMfa
        ? "the plain MFA control"
        : "no authentication strength";
    return `it grants with ${what}, weaker than ${STRENGTH_NAMES[strength]}`;
  }
  if (grant.operator === "AND") {
    return grant.builtInControls.includes("block") ? "its grant also blocks, so nobody can activate" : undefined;
  }
  const alternatives = [
    // Under OR each control is an alternative way in; the plain MFA control is only as strong as the MFA strength.
    ...grant.builtInControls.filter((c) => !(c === "mfa" && strength === "mfa")),
    ...grant.customAuthenticationFactors,
    ...grant.termsOfUse,
  ];
  return alternatives.length > 0
    ? `its grant (OR) can be met by ${alternatives.join(", ")} instead of ${STRENGTH_NAMES[strength]}`
    : undefined;
}

/**
 * Guarantee 3 (allow-list): every way the policy on the activation context differs from the model's canonical form;
 * [] when it is the canonical form up to its knobs (the state must be enabled; the grant may be stronger; AND may
 * add controls; session controls besides sign-in frequency are free).
 */
export function activationContextGaps(p: CaPolicyFacts, req: ActivationContextRequirement): string[] {
  const gaps: string[] = [];
  if (p.state !== "enabled") gaps.push(`its state is ${JSON.stringify(p.state ?? null)}, not "enabled"`);
  const apps = p.applications;
  if (!apps.contexts.includes(req.contextId.toLowerCase()))
    gaps.push(`it does not target authentication context ${req.contextId}`);
  if (apps.include.length > 0 || apps.exclude.length > 0 || apps.userActions.length > 0 || apps.filtered) {
    gaps.push("it targets applications or user actions besides the authentication context");
  }
  const u = p.users;
  const all = u.includeUsers.includes("all");
  if (!all) {
    const listed = new Set([...u.includeUsers, ...u.includeGroups]);
    const missing = (req.requesters ?? []).filter((r) => !listed.has(r.toLowerCase()));
    if (req.requesters === undefined || missing.length > 0 || u.includeRoles.length > 0) {
      gaps.push(
        u.includeRoles.length > 0
          ? "it is scoped to directory roles, which a requester does not hold before activating"
          : `it does not include all users${missing.length > 0 ? ` (not ${missing.join(", ")})` : ""}`,
      );
    }
  }
  const bgUsers = lower(req.breakglass.accounts.map((a) => a.key));
  const bgGroups = lower(req.breakglass.groupKeys);
  const extraUsers = u.excludeUsers.filter((x) => !bgUsers.has(x));
  const extraGroups = u.excludeGroups.filter((x) => !bgGroups.has(x));
  if (extraUsers.length + extraGroups.length > 0 || u.excludeRoles.length > 0 || u.excludeGuests) {
    const who = [
      ...extraUsers.map((x) => `user ${x}`),
      ...extraGroups.map((x) => `group ${x}`),
      ...u.excludeRoles.map((x) => `role ${x}`),
      ...(u.excludeGuests ? ["guests and external users"] : []),
    ];
    gaps.push(`it excludes ${who.join(", ")}: only the emergency accounts may be excluded`);
  }
  if (!(p.clientAppTypes.length === 1 && p.clientAppTypes[0] === "all")) {
    gaps.push(`it applies to client apps ${JSON.stringify(p.clientAppTypes)} only, not "all"`);
  }
  if (p.servicePrincipals.length > 0) gaps.push("it targets workload identities");
  if (p.otherConditions.length > 0) gaps.push(`it applies only under conditions (${p.otherConditions.join(", ")})`);
  const grant = grantMeets(p.grant, req.strength);
  if (grant) gaps.push(grant);
  const f = p.signInFrequency;
  if (!f || f.isEnabled !== true || f.interval !== "everyTime") {
    gaps.push(
      `its sign-in frequency is ${f?.interval ? JSON.stringify(f.interval) : "not set"}${f && f.isEnabled !== true ? " (not enabled)" : ""}, not "everyTime": activation would not ask for a fresh MFA`,
    );
  } else if (
    f.authenticationType !== undefined &&
    !["primaryAndSecondaryAuthentication", "secondaryAuthentication"].includes(f.authenticationType)
  ) {
    gaps.push(`its sign-in frequency re-prompts for ${f.authenticationType}, not for MFA`);
  }
  return gaps;
}
