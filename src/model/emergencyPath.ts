/**
 * Guarantee 2 as one verdict a write can wait on: "the emergency path is healthy". A command that removes standing
 * access (transition) or changes every Conditional Access policy (remediate) first proves that at least two emergency
 * accounts could sign in right now and act: each enabled, holding Global Administrator permanently and directly,
 * excluded from every enabled CA policy, and with a FIDO2 key registered. Pure: the write commands pass the facts
 * they read live; which problems block which command is theirs to say.
 */
import { breakglassExclusion, type CaPolicyFacts } from "./caPolicy";

/** Emergency accounts that must be usable before anything removes standing access (Microsoft guidance, ZTA 21835). */
export const MIN_USABLE_EMERGENCY_ACCOUNTS = 2;

export interface EmergencyAccountFacts {
  /** For messages: the UPN, else the configured name. */
  name: string;
  /** The live account's object id (lower-case); undefined when no such account exists. */
  key: string | undefined;
  /** Groups the account is in, transitively (ids), as far as they were read. */
  memberOf?: readonly string[];
  /** accountEnabled. */
  enabled: boolean | undefined;
  /** It holds Global Administrator permanently and directly at the directory scope (judgeHolding's verdict). */
  permanentGlobalAdministrator: boolean;
  /** At least one FIDO2 security key or passkey is registered. */
  fido2KeyRegistered: boolean;
}

export interface EmergencyPathFacts {
  accounts: readonly EmergencyAccountFacts[];
  /** The exclusion group(s) (ids). */
  groupKeys: readonly string[];
  /** Every CA policy of the tenant, any state: only enabled ones can lock an account out now. */
  policies: readonly CaPolicyFacts[];
}

export type EmergencyAccountProblemKind =
  "missing" | "disabled" | "noPermanentGlobalAdministrator" | "exposed" | "noFido2";

export interface EmergencyAccountProblem {
  kind: EmergencyAccountProblemKind;
  account: string;
  /** For "exposed": the enabled policy (its id, else its name) that does not exclude the account. */
  policy?: string;
  message: string;
}

export interface EmergencyPathVerdict {
  /** At least MIN_USABLE_EMERGENCY_ACCOUNTS accounts have no problem. */
  healthy: boolean;
  /** The accounts with no problem. */
  usable: string[];
  /** Every problem of every account (an unhealthy path is explained by them). */
  problems: EmergencyAccountProblem[];
  /** One sentence for a report. */
  summary: string;
}

/** Whether the emergency accounts could take over now, and every reason one of them could not. */
export function emergencyPathHealth(facts: EmergencyPathFacts): EmergencyPathVerdict {
  const problems: EmergencyAccountProblem[] = [];
  const usable: string[] = [];
  const enabledPolicies = facts.policies.filter((p) => p.state === "enabled");
  for (const a of facts.accounts) {
    const mine: EmergencyAccountProblem[] = [];
    const say = (kind: EmergencyAccountProblemKind, message: string, policy?: string) =>
      mine.push({ kind, account: a.name, message: `${a.name} ${message}`, ...(policy ? { policy } : {}) });
    if (a.key === undefined) {
      say("missing", "does not exist");
    } else {
      if (a.enabled !== true) say("disabled", "is disabled (accountEnabled is not true)");
      if (!a.permanentGlobalAdministrator)
        say("noPermanentGlobalAdministrator", "does not hold Global Administrator permanently and directly");
      const keys = {
        groupKeys: facts.groupKeys,
        accounts: [{ name: a.name, key: a.key, ...(a.memberOf ? { memberOf: a.memberOf } : {}) }],
      };
      for (const p of enabledPolicies) {
        if (breakglassExclusion(p, keys).exposed.length > 0)
          say(
            "exposed",
            `is not excluded from enabled CA policy "${p.name}"${p.id ? ` (${p.id})` : ""}`,
            p.id ?? p.name,
          );
      }
      if (!a.fido2KeyRegistered) say("noFido2", "has no FIDO2 security key or passkey registered");
    }
    if (mine.length === 0) usable.push(a.name);
    problems.push(...mine);
  }
  const healthy = usable.length >= MIN_USABLE_EMERGENCY_ACCOUNTS;
  const summary = healthy
    ? `healthy: ${usable.length} emergency account${usable.length === 1 ? "" : "s"} can sign in and act (${usable.join(", ")})`
    : `unhealthy: ${usable.length === 0 ? "no" : `only ${usable.length}`} emergency account can sign in and act; at least ${MIN_USABLE_EMERGENCY_ACCOUNTS} must be enabled, hold Global Administrator permanently, be excluded from every enabled CA policy and have a FIDO2 key`;
  return { healthy, usable, problems, summary };
}
