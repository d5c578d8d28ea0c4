/**
 * Keys that were renamed or removed. A stack file that still has one gets an error naming the old key and what
 * replaces it, instead of an "unknown key" that leaves the user guessing, or a silently ignored setting.
 */
import { formatPath, isRecord, type ConfigIssue } from "./issues";

export interface Migration {
  /** The old key path (without the namespace). */
  path: readonly string[];
  /** The version that dropped it. */
  since: string;
  /** What to write instead, or why nothing replaces it. */
  replacement: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    path: ["graph"],
    since: "0.2.0",
    replacement:
      "set tenant.cloud (public, usGovernment, usGovernmentDoD or china) instead: it picks the Graph, ARM, login and Log Analytics hosts together; tenant.endpoints.graph remains for a loopback emulator",
  },
  {
    path: ["limits", "activationDuration", "min"],
    since: "0.2.0",
    replacement:
      "remove it: a shorter activation only tightens the model, and the one lower bound is what PIM accepts (30 minutes)",
  },
  {
    path: ["limits", "tripwireMaxEvaluationFrequency"],
    since: "0.2.0",
    replacement:
      "remove it: the tripwire is evaluated every minute, an absolute bound of the model no stack can loosen",
  },
  {
    path: ["conditionalAccess", "adminPhishingResistantMfa"],
    since: "0.2.0",
    replacement:
      'use conditionalAccess.adminMfa { state, strength }; strength "phishingResistant" keeps the old behaviour',
  },
  {
    path: ["breakglass", "fido2", "enforceAttestation"],
    since: "0.2.0",
    replacement:
      "use breakglass.fido2.profile.enforceAttestation (the emergency group's own passkey profile) and, only for tenants without passkey profiles, breakglass.fido2.tenantWide.enforceAttestation (applies to every FIDO2 user)",
  },
  {
    path: ["breakglass", "fido2", "aaguids"],
    since: "0.2.0",
    replacement:
      "use breakglass.fido2.profile.aaguids (the emergency group's own passkey profile) and, only for tenants without passkey profiles, breakglass.fido2.tenantWide.aaguids with acknowledgeRestrictsEveryone: true",
  },
];

/**
 * Errors for every migrated key present in `raw`, and `raw` without them, so that the schema does not report the
 * same key again as unknown.
 */
export function migrate(raw: Record<string, unknown>): { issues: ConfigIssue[]; raw: Record<string, unknown> } {
  const issues: ConfigIssue[] = [];
  let out: Record<string, unknown> = raw;
  for (const m of MIGRATIONS) {
    if (!has(out, m.path)) continue;
    issues.push({ path: formatPath([...m.path]), message: `was removed in ${m.since}: ${m.replacement}` });
    out = without(out, m.path);
  }
  return { issues, raw: out };
}

function has(value: unknown, path: readonly string[]): boolean {
  let v = value;
  for (const key of path) {
    if (!isRecord(v) || !(key in v)) return false;
    v = v[key];
  }
  return true;
}

function without(value: Record<string, unknown>, path: readonly string[]): Record<string, unknown> {
  const [head, ...rest] = path;
  const copy = { ...value };
  if (rest.length === 0) delete copy[head!];
  else if (isRecord(copy[head!])) copy[head!] = without(copy[head!] as Record<string, unknown>, rest);
  return copy;
}
