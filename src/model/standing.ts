/**
 * Guarantee 1, no standing Tier-0 access: one judgement over neutral facts, shared by the policy pack (declared
 * resources, with preview-time unknowns) and the audit (live schedules and memberships).
 *
 * A Tier-0 holding is standing unless it is a bounded PIM activation backed by an eligibility, whatever its end date
 * and path: a direct or legacy assignment, an administrative-unit-scoped one, a permanent member of a role-assignable
 * group that holds the role, an active PIM-for-Groups membership of such a group, an admin-assigned active PIM
 * assignment (even a time-bound one), an activation longer than the activation maximum. A role that cannot be
 * resolved, or a path the model does not know, counts as Tier-0 standing (fail closed). Two things may stand: the
 * emergency accounts' own Global Administrator (permanent, held directly, at the directory scope) and a declared,
 * unexpired exception for exactly that principal, type and role.
 */
import { describeSeconds } from "./duration";
import {
  coveringException,
  describeException,
  isExpired,
  type PrincipalType,
  type StandingException,
} from "./exceptions";
import { GLOBAL_ADMINISTRATOR, roleName } from "./roles";

/** How a principal holds a role. */
export const HOLDING_PATHS = [
  /** A permanent role assignment outside PIM (legacy roleAssignments, azuread.DirectoryRoleAssignment). */
  "directAssignment",
  /** A legacy directory role membership (azuread.DirectoryRoleMember). */
  "legacyMembership",
  /** An active assignment an admin made through PIM (time-bound or permanent): not an activation. */
  "pimAssignment",
  /** A PIM activation of an eligibility. */
  "pimActivation",
  /** A permanent member of a role-assignable group that holds the role. */
  "groupMembership",
  /** An admin-assigned active PIM-for-Groups membership (or ownership) of such a group. */
  "groupPimAssignment",
  /** A PIM-for-Groups activation of an eligible membership of such a group. */
  "groupPimActivation",
] as const;
export type HoldingPath = (typeof HOLDING_PATHS)[number];

export interface PrincipalFacts {
  /** Object id (lower-case), or a stable stand-in at preview (the URN of the resource it comes from). */
  key: string;
  /** Known object id, when there is one. */
  objectId?: string;
  type: PrincipalType | "unknown";
  /** For messages: UPN, display name or resource name. */
  label: string;
  /** Whether this is one of the stack's emergency accounts; "unknown" when that cannot be told (fails closed). */
  breakglass: boolean | "unknown";
}

export interface ActiveHolding {
  principal: PrincipalFacts;
  /** Role template id (lower-case); undefined when it cannot be resolved (counts as Tier-0). */
  role: string | undefined;
  /** "/" for the directory; an administrative unit or app scope otherwise. Undefined: unknown. */
  scope: string | undefined;
  /** Undefined: a path the adapter could not classify (counts as standing). */
  path: HoldingPath | undefined;
  /** ISO 8601 start and end; an absent end is open-ended. */
  start?: string;
  end?: string;
  /** For activations: whether an eligibility of the same principal (or group) and role backs it. */
  backedByEligibility?: boolean;
  /** What grants it, for messages: a resource or schedule name/id. */
  source: string;
  /** An opaque reference the adapter reports the finding on (a URN, a schedule id). */
  ref?: string;
  /** The group it comes through, for group paths. */
  viaGroup?: string;
}

export interface StandingContext {
  /** Role template ids (lower-case) the model treats as Tier-0. */
  tier0: ReadonlySet<string>;
  /** Longest bounded activation, in seconds (the effective limit). */
  maxActivationSeconds: number;
  exceptions: readonly StandingException[];
  now: Date;
}

export type StandingVerdict =
  | { kind: "allowed"; why: "notTier0" | "boundedActivation" | "breakglassGlobalAdministrator" }
  | { kind: "excepted"; exception: StandingException }
  | { kind: "standing"; severity: "critical" | "high"; message: string };

const ACTIVATIONS: readonly HoldingPath[] = ["pimActivation", "groupPimActivation"];

function seconds(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined;
  const s = Date.parse(start);
  const e = Date.parse(end);
  return Number.isNaN(s) || Number.isNaN(e) ? undefined : (e - s) / 1000;
}

function describePath(h: ActiveHolding): string {
  const via = h.viaGroup ? ` through group ${h.viaGroup}` : "";
  const scope = h.scope && h.scope !== "/" ? ` scoped to ${h.scope}` : "";
  switch (h.path) {
    case "directAssignment":
      return `a permanent direct assignment${scope}`;
    case "legacyMembership":
      return `a legacy role membership${scope}`;
    case "pimAssignment":
      return `an active assignment made in PIM${h.end ? ` until ${h.end}` : " with no end"}${scope} (not an activation)`;
    case "pimActivation":
      return `an activation${scope}`;
    case "groupMembership":
      return `a permanent membership of a role-assignable group${via}`;
    case "groupPimAssignment":
      return `an active PIM-for-Groups assignment${via}${h.end ? ` until ${h.end}` : " with no end"} (not an activation)`;
    case "groupPimActivation":
      return `a PIM-for-Groups activation${via}`;
    default:
      return "a holding of a kind the model does not know";
  }
}

/** Whether `h` is standing Tier-0 access, and why (the one definition the pack and the audit apply). */
export function judgeHolding(h: ActiveHolding, ctx: StandingContext): StandingVerdict {
  const roleId = h.role?.toLowerCase();
  const tier0 = roleId === undefined || ctx.tier0.has(roleId);
  if (!tier0) return { kind: "allowed", why: "notTier0" };
  const role = roleId === undefined ? "a role it cannot resolve (treated as Tier-0)" : roleName(roleId);
  const severity = roleId === undefined || roleId === GLOBAL_ADMINISTRATOR ? "critical" : "high";
  const who = `${h.principal.label}${h.principal.objectId && h.principal.objectId !== h.principal.label ? ` (${h.principal.objectId})` : ""}`;

  if (h.path !== undefined && ACTIVATIONS.includes(h.path)) {
    const length = seconds(h.start, h.end);
    if (h.backedByEligibility === true && length !== undefined && length <= ctx.maxActivationSeconds) {
      return { kind: "allowed", why: "boundedActivation" };
    }
    const why =
      h.backedByEligibility !== true
        ? "is backed by no eligibility"
        : length === undefined
          ? "has no end"
          : `lasts ${describeSeconds(length)}, longer than the allowed ${describeSeconds(ctx.maxActivationSeconds)}`;
    return { kind: "standing", severity, message: `${who} holds ${role} through ${describePath(h)} that ${why}` };
  }

  if (h.principal.breakglass === true) {
    const permanent =
      h.path === "directAssignment" ||
      h.path === "legacyMembership" ||
      (h.path === "pimAssignment" && h.end === undefined);
    if (roleId === GLOBAL_ADMINISTRATOR && permanent && (h.scope === "/" || h.scope === undefined)) {
      return { kind: "allowed", why: "breakglassGlobalAdministrator" };
    }
    return {
      kind: "standing",
      severity,
      message: `emergency account ${who} holds ${role} through ${describePath(h)}; emergency accounts hold Global Administrator permanently and directly at the directory scope, and nothing else`,
    };
  }

  const id = (h.principal.objectId ?? h.principal.key).toLowerCase();
  // A principal whose type cannot be seen here (a bare object id in a stack) is taken as the exception declares it;
  // the audit, which reads the live principal, holds the declaration to the truth.
  const type =
    h.principal.type === "unknown" ? ctx.exceptions.find((e) => e.principal === id)?.principalType : h.principal.type;
  const exception = coveringException(ctx.exceptions, { id, type }, roleId ?? "", ctx.now);
  // An exception covers the principal's direct holdings; a group path would extend it to whoever joins the group.
  if (exception && (h.path === "directAssignment" || h.path === "pimAssignment" || h.path === "legacyMembership")) {
    return { kind: "excepted", exception };
  }
  const expired = ctx.exceptions.find(
    (e) => e.principal === id && e.roles.includes(roleId ?? "") && isExpired(e, ctx.now),
  );
  const mistyped = ctx.exceptions.find(
    (e) => e.principal === id && e.roles.includes(roleId ?? "") && !isExpired(e, ctx.now) && type !== e.principalType,
  );
  const unknownBreakglass =
    h.principal.breakglass === "unknown" ? " (it cannot be told to be an emergency account)" : "";
  const note = expired
    ? `; its exception expired (${describeException(expired)})`
    : mistyped
      ? `; its exception is declared for a ${mistyped.principalType}, but it is a ${type ?? "principal of unknown type"}`
      : "";
  return {
    kind: "standing",
    severity,
    message: `${who}${unknownBreakglass} holds ${role} standing through ${describePath(h)}${note}; make it PIM-eligible (CISA MS.AAD.7.4)`,
  };
}

/** Exceptions that no longer cover anything: each is a finding of its own. */
export function expiredExceptions(exceptions: readonly StandingException[], now: Date): StandingException[] {
  return exceptions.filter((e) => isExpired(e, now));
}
