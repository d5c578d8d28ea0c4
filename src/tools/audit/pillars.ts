/**
 * The baseline's four pillars, and which pillar each finding kind and each tenant read belongs to: the one place the
 * HTML report's "posture at a glance" comes from. Typed over the catalogue, so a new finding kind or snapshot source
 * without a pillar does not compile.
 */
import type { Finding, FindingId } from "./findings";
import { KEYED_SOURCES, LIST_SOURCES, type SourceName } from "./snapshot";

export const PILLARS = {
  jit: "Just-in-time Tier-0 (PIM)",
  breakglass: "Emergency access (breakglass)",
  tripwire: "Tripwire and log streaming",
  conditionalAccess: "Conditional Access (and the CrossGuard rules)",
} as const;

export type Pillar = keyof typeof PILLARS;
export const PILLAR_KEYS = Object.keys(PILLARS) as Pillar[];

/** Every finding kind but a failed read, by pillar. */
export const FINDING_PILLARS: Readonly<Record<Exclude<FindingId, "AUD-READ-FAILED">, Pillar>> = {
  "AUD-PERMANENT-TIER0": "jit",
  "AUD-OUTSIDE-PIM": "jit",
  "AUD-GA-COUNT": "jit",
  "AUD-GA-ELIGIBLE-UNMANAGED": "jit",
  "AUD-GA-ELIGIBLE-MISSING": "jit",
  "AUD-PIM-POLICY-MISSING": "jit",
  "AUD-PIM-POLICY-WEAKENED": "jit",
  "AUD-PIM-POLICY-DRIFT": "jit",
  "AUD-ACTIVATION-CONTEXT-NOT-ENFORCED": "conditionalAccess",
  "AUD-CA-NO-BREAKGLASS-EXCLUSION": "conditionalAccess",
  "AUD-CA-TARGETS-BREAKGLASS": "conditionalAccess",
  "AUD-BREAKGLASS-MISSING": "breakglass",
  "AUD-BREAKGLASS-DISABLED": "breakglass",
  "AUD-BREAKGLASS-SYNCED": "breakglass",
  "AUD-BREAKGLASS-DOMAIN": "breakglass",
  "AUD-BREAKGLASS-ELIGIBLE": "breakglass",
  "AUD-BREAKGLASS-NO-PERMANENT-GA": "breakglass",
  "AUD-BREAKGLASS-NO-FIDO2": "breakglass",
  "AUD-BREAKGLASS-WEAK-METHODS": "breakglass",
  "AUD-BREAKGLASS-GROUP-MISSING": "breakglass",
  "AUD-BREAKGLASS-GROUP-MEMBERSHIP": "breakglass",
  "AUD-BREAKGLASS-GROUP-NOT-ROLE-ASSIGNABLE": "breakglass",
  "AUD-DIAGNOSTICS-MISSING": "tripwire",
  "AUD-DIAGNOSTICS-CATEGORY": "tripwire",
  "AUD-TRIPWIRE-MISSING": "tripwire",
  "AUD-TRIPWIRE-DISABLED": "tripwire",
  "AUD-TRIPWIRE-COVERAGE": "tripwire",
  "AUD-TRIPWIRE-WEAK": "tripwire",
};

/** The pillars whose checks read each source (audit.ts CHECKS): a failed read leaves them not fully checked. */
export const SOURCE_PILLARS: Readonly<Record<SourceName, readonly Pillar[]>> = {
  users: ["jit", "breakglass", "conditionalAccess", "tripwire"],
  breakglassGroups: ["breakglass", "conditionalAccess"],
  caPolicies: ["conditionalAccess"],
  roleAssignmentScheduleInstances: ["jit", "breakglass"],
  roleAssignmentSchedules: ["jit"],
  roleEligibilityScheduleInstances: ["jit", "breakglass"],
  roleManagementPolicyAssignments: ["jit", "conditionalAccess"],
  diagnosticSettings: ["tripwire"],
  scheduledQueryRules: ["tripwire"],
  transitiveMemberOf: ["breakglass", "conditionalAccess"],
  authenticationMethods: ["breakglass"],
  groupMembers: ["jit"],
};

const SOURCES: readonly string[] = [...LIST_SOURCES, ...KEYED_SOURCES];

/** The source a failed-read finding names ("source users"), if it is one. */
export function failedSource(finding: Finding): SourceName | undefined {
  const source = finding.object.replace(/^source /, "");
  return finding.id === "AUD-READ-FAILED" && SOURCES.includes(source) ? (source as SourceName) : undefined;
}

/** The pillar of a finding; a failed read has none of its own (it qualifies the pillars of its source). */
export function pillarOf(finding: Finding): Pillar | undefined {
  return finding.id === "AUD-READ-FAILED" ? undefined : FINDING_PILLARS[finding.id];
}
