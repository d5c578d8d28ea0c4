/**
 * Declared exceptions: the few principals that must hold a Tier-0 role standing (the directory sync account, the
 * deploying identity), each listed once with a reason, an owner and an expiry. Every enforcer — config validation,
 * the policy pack, the audit and the "role assigned outside PIM" alert — decides with the functions here, so all
 * four honour the same list and report the same expiries.
 */
import {
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  resolveRole,
  roleName,
} from "./roles";

export const PRINCIPAL_TYPES = ["user", "servicePrincipal", "group"] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

export interface StandingException {
  /** Object id, lower-case. */
  principal: string;
  principalType: PrincipalType;
  label?: string;
  /** Role template ids, lower-case (config may name them; the adapters resolve names first). */
  roles: string[];
  reason: string;
  owner: string;
  /** Last day the exception holds, YYYY-MM-DD (UTC, inclusive). */
  expires: string;
}

/**
 * Roles the model never lets a person (or a group of people) hold standing, whatever the reason: each is Global
 * Administrator in one step (PRA grants itself GA; PAA resets a Global Administrator's credentials). A workload
 * identity may be excepted: the deploying identity needs PRA and PAA to deploy the baseline at all.
 */
export const NEVER_EXCEPTED_FOR_PEOPLE: readonly string[] = [
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
];

export interface ExceptionProblem {
  /** Path below the exception, e.g. `roles[0]`. */
  path: string;
  message: string;
}

/** Why the model refuses an exception as declared (its shape is config's to check); [] when it may stand. */
export function exceptionRefusals(
  e: Pick<StandingException, "principal" | "principalType" | "roles">,
  breakglassObjectIds: ReadonlySet<string> = new Set(),
): ExceptionProblem[] {
  const problems: ExceptionProblem[] = [];
  if (breakglassObjectIds.has(e.principal.toLowerCase())) {
    problems.push({
      path: "principal",
      message:
        "is an emergency account: its permanent Global Administrator is the design, and it may hold nothing else, so no exception covers it",
    });
  }
  e.roles.forEach((ref, i) => {
    const role = resolveRole(ref);
    if (!role) {
      problems.push({
        path: `roles[${i}]`,
        message: `${JSON.stringify(ref)} is not a directory role this model knows (use its template id)`,
      });
    } else if (e.principalType !== "servicePrincipal" && NEVER_EXCEPTED_FOR_PEOPLE.includes(role.templateId)) {
      problems.push({
        path: `roles[${i}]`,
        message: `${role.name} is never held standing by a ${e.principalType === "group" ? "group" : "person"}: it is Global Administrator in one step (make the principal eligible instead; only a workload identity may be excepted for it)`,
      });
    }
  });
  return problems;
}

/** The end of the exception's last day (exclusive), in ms since the epoch. */
function expiryTime(e: Pick<StandingException, "expires">): number {
  return Date.parse(`${e.expires}T00:00:00Z`) + 86_400_000;
}

export function isExpired(e: Pick<StandingException, "expires">, now: Date): boolean {
  const end = expiryTime(e);
  return Number.isNaN(end) || now.getTime() >= end;
}

/**
 * The exception that lets `principal` hold `role` standing now, if any. An expired one covers nothing; neither does
 * one declared for another principal type than the principal turns out to be (a mismatch would let a person borrow
 * a workload identity's exception), nor one the model refuses.
 */
export function coveringException(
  exceptions: readonly StandingException[],
  principal: { id: string; type?: PrincipalType | "unknown" },
  roleTemplateId: string,
  now: Date,
): StandingException | undefined {
  const id = principal.id.trim().toLowerCase();
  const role = roleTemplateId.trim().toLowerCase();
  return exceptions.find(
    (e) =>
      e.principal === id &&
      e.roles.includes(role) &&
      !isExpired(e, now) &&
      principal.type !== undefined &&
      principal.type === e.principalType &&
      exceptionRefusals(e).length === 0,
  );
}

/** Human description for findings: "Entra Connect sync (3f…) holds Directory Synchronization Accounts until 2027-06-30". */
export function describeException(e: StandingException): string {
  return `${e.label ?? e.principal} (${e.principalType} ${e.principal}) for ${e.roles.map(roleName).join(", ")} until ${e.expires} — ${e.reason} (owner ${e.owner})`;
}
