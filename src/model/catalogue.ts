/**
 * The catalogue: every rule of the baseline once, with the controls it implements, its severity, and where each
 * enforcer reports it — the policy pack rule, the audit findings, the alert. docs/policy-pack.md and docs/audit.md
 * are generated from it (`npm run docs:catalogue`; a test holds them equal), and the audit's finding kinds take their
 * controls from here, so a control id is written in one place.
 */
import type { AlertRuleKey } from "./tripwire";
import { policyNames, type PolicyName } from "./policyNames";

export type CatalogueSeverity = "critical" | "high" | "medium" | "low" | "info";

/** The baseline's four pillars (docs/design.md): the reports group rules and findings by them. */
export const PILLARS = {
  jit: "Just-in-time Tier-0 (PIM)",
  breakglass: "Emergency access (breakglass)",
  tripwire: "Tripwire and log streaming",
  conditionalAccess: "Conditional Access (and the CrossGuard rules)",
} as const;
export type Pillar = keyof typeof PILLARS;

export interface CatalogueEntry {
  id: string;
  /** The guarantee of docs/design.md it belongs to (1–9), when it is one. */
  guarantee?: number;
  title: string;
  pillar: Pillar;
  severity: CatalogueSeverity;
  controls: readonly string[];
  /** The pack rule that enforces it at preview and update. */
  pack?: PolicyName;
  /** The audit finding kinds that report it in the live tenant. */
  audit: readonly string[];
  /** The log alert that reports it as it happens. */
  alert?: AlertRuleKey;
  /** Config validation refuses it before anything is declared. */
  config?: boolean;
}

const EMERGENCY_ACCESS = ["ZTA 21835"] as const;

export const CATALOGUE = [
  {
    id: "TIER0-NO-STANDING",
    pillar: "jit",
    guarantee: 1,
    title:
      "No standing Tier-0 access: every active Tier-0 holding is a bounded PIM activation backed by an eligibility",
    severity: "critical",
    controls: [
      "MS.AAD.7.4",
      "MS.AAD.7.5",
      "ZTA 21815",
      "ZTA 21816",
      "MT.1025",
      "MT.1026",
      "MT.1027",
      "MT.1028",
      "MT.1031",
    ],
    pack: policyNames.noStandingTier0Assignment,
    audit: ["AUD-PERMANENT-TIER0", "AUD-OUTSIDE-PIM"],
    alert: "roleAssignedOutsidePim",
  },
  {
    id: "EXCEPTIONS-DECLARED",
    pillar: "jit",
    guarantee: 2,
    title:
      "Standing access only by a declared, unexpired exception (never an emergency account, never GA for a person)",
    severity: "high",
    controls: ["MS.AAD.7.4"],
    pack: policyNames.noStandingTier0Assignment,
    audit: ["AUD-EXCEPTION-EXPIRED"],
    alert: "roleAssignedOutsidePim",
    config: true,
  },
  {
    id: "ACTIVATION-POLICY",
    pillar: "jit",
    guarantee: 3,
    title: "Every managed role's activation: bounded, justified, ticketed, approved by someone else, notified",
    severity: "critical",
    controls: [
      "MS.AAD.7.6",
      "MS.AAD.7.7",
      "MS.AAD.7.8",
      "MS.AAD.7.9",
      "ZTA 21817",
      "ZTA 21818",
      "ZTA 21819",
      "ZTA 21820",
    ],
    pack: policyNames.activationPolicy,
    audit: ["AUD-PIM-POLICY-MISSING", "AUD-PIM-POLICY-WEAKENED", "AUD-PIM-POLICY-DRIFT", "AUD-GROUP-POLICY-WEAKENED"],
    config: true,
  },
  {
    id: "ACTIVATION-FRESH-MFA",
    pillar: "conditionalAccess",
    guarantee: 3,
    title:
      "Activation demands a fresh MFA of the configured strength: the context's CA policy is the model's canonical form",
    severity: "high",
    controls: ["MS.AAD.3.6", "MS.AAD.7.6", "ZTA 21817"],
    pack: policyNames.activationPolicy,
    audit: ["AUD-ACTIVATION-CONTEXT-NOT-ENFORCED"],
  },
  {
    id: "ELIGIBLE-PRINCIPALS",
    pillar: "jit",
    title: "Eligibility only for users and role-assignable groups, never for an emergency account; as declared",
    severity: "high",
    controls: ["MS.AAD.7.4", ...EMERGENCY_ACCESS],
    pack: policyNames.eligibleAssignmentPrincipals,
    audit: ["AUD-BREAKGLASS-ELIGIBLE", "AUD-ELIGIBLE-UNMANAGED", "AUD-ELIGIBLE-MISSING"],
    config: true,
  },
  {
    id: "GA-COUNT",
    pillar: "jit",
    title: "Two to eight Global Administrators, eligible plus active, through every path",
    severity: "high",
    controls: ["MS.AAD.7.1", "ZTA 21812", "MT.1032"],
    pack: policyNames.globalAdminCount,
    audit: ["AUD-GA-COUNT"],
    config: true,
  },
  {
    id: "BREAKGLASS-ACCOUNTS",
    pillar: "breakglass",
    title: "At least two cloud-only emergency accounts: enabled, permanent GA, 256-character secret, protected, FIDO2",
    severity: "critical",
    controls: ["MS.AAD.7.3", "MS.AAD.3.6", ...EMERGENCY_ACCESS],
    pack: policyNames.breakglassAccounts,
    audit: [
      "AUD-BREAKGLASS-MISSING",
      "AUD-BREAKGLASS-DISABLED",
      "AUD-BREAKGLASS-SYNCED",
      "AUD-BREAKGLASS-DOMAIN",
      "AUD-BREAKGLASS-NO-PERMANENT-GA",
      "AUD-BREAKGLASS-NO-FIDO2",
      "AUD-BREAKGLASS-WEAK-METHODS",
    ],
    alert: "breakglassAccountChanged",
    config: true,
  },
  {
    id: "EXCLUSION-GROUP-EXACT",
    pillar: "breakglass",
    guarantee: 4,
    title:
      "One role-assignable exclusion group whose members are exactly the emergency accounts and owners exactly the declared ones",
    severity: "critical",
    controls: ["MT.1005", ...EMERGENCY_ACCESS],
    pack: policyNames.exclusionGroup,
    audit: [
      "AUD-BREAKGLASS-GROUP-MISSING",
      "AUD-BREAKGLASS-GROUP-MEMBERSHIP",
      "AUD-BREAKGLASS-GROUP-NOT-ROLE-ASSIGNABLE",
      "AUD-EXCLUSION-GROUP-NOT-EXACT",
    ],
    alert: "breakglassAccountChanged",
  },
  {
    id: "CA-EXCLUDES-BREAKGLASS",
    pillar: "conditionalAccess",
    guarantee: 4,
    title: "Every CA policy that can apply to users, in any state, excludes the emergency accounts",
    severity: "critical",
    controls: ["MT.1005", "MT.1034", ...EMERGENCY_ACCESS],
    pack: policyNames.caPoliciesExcludeBreakglass,
    audit: ["AUD-CA-NO-BREAKGLASS-EXCLUSION", "AUD-CA-TARGETS-BREAKGLASS"],
  },
  {
    id: "TRIPWIRE-FIRES",
    pillar: "tripwire",
    guarantee: 5,
    title:
      "For each sign-in table, the canonical tripwire: enabled, Sev 0, every minute, on the receiving workspace, heard",
    severity: "critical",
    controls: [...EMERGENCY_ACCESS, "MS.AAD.7.8"],
    pack: policyNames.breakglassTripwire,
    audit: ["AUD-TRIPWIRE-MISSING", "AUD-TRIPWIRE-WEAK"],
  },
  {
    id: "SENTINEL-MATCHES-TRIPWIRE",
    pillar: "tripwire",
    title:
      "With Sentinel enabled, each tripwire also runs as a Sentinel rule that matches the log alert: same canonical query, High, unsuppressed, creating incidents",
    severity: "high",
    controls: [...EMERGENCY_ACCESS],
    pack: policyNames.sentinelTripwire,
    audit: ["AUD-SENTINEL-TRIPWIRE"],
  },
  {
    id: "LOGS-ARRIVE-AND-STAY",
    pillar: "tripwire",
    guarantee: 6,
    title:
      "The tripwires' workspace receives the sign-in and audit logs, uncapped, untransformed, kept at least 90 days",
    severity: "high",
    controls: ["MS.AAD.4.1", "ZTA 21860"],
    pack: policyNames.entraDiagnosticSetting,
    audit: ["AUD-DIAGNOSTICS-MISSING", "AUD-LOGS-AT-RISK", "AUD-LOGS-ELSEWHERE"],
    config: true,
  },
  {
    id: "FIDO2-KEEPS-KEYS",
    pillar: "breakglass",
    guarantee: 7,
    title: "The FIDO2 policy is enabled for the exclusion group with the declared models and attestation",
    severity: "high",
    controls: ["MS.AAD.3.6", ...EMERGENCY_ACCESS],
    pack: policyNames.fido2MethodPolicy,
    audit: ["AUD-FIDO2-POLICY", "AUD-BREAKGLASS-KEY-MODEL"],
    config: true,
  },
  {
    id: "NO-FOREIGN-WRITERS",
    pillar: "conditionalAccess",
    guarantee: 8,
    title: "Nothing but the model's own resources writes the Graph objects it owns; no object has two writers",
    severity: "critical",
    controls: [],
    pack: policyNames.noForeignWriters,
    audit: [],
  },
  {
    id: "LIMITS-ONLY-TIGHTEN",
    pillar: "conditionalAccess",
    guarantee: 9,
    title: "A stack file or pack config may tighten the model's bounds, never loosen them",
    severity: "critical",
    controls: ["MS.AAD.7.1"],
    audit: [],
    config: true,
  },
  {
    id: "CUSTOM-TIER0",
    pillar: "jit",
    title: "Custom roles with Tier-0 permissions are Tier-0: reported for review, their holders judged like Tier-0",
    severity: "medium",
    controls: ["MS.AAD.7.4"],
    pack: policyNames.noStandingTier0Assignment,
    audit: ["AUD-CUSTOM-ROLE-TIER0"],
  },
  {
    id: "ADVISORIES",
    pillar: "conditionalAccess",
    title: "Sound but below the recommendation: activation below phishing-resistant MFA, kept emergency passwords",
    severity: "low",
    controls: ["MS.AAD.3.6"],
    pack: policyNames.advisories,
    audit: [],
  },
] as const satisfies readonly CatalogueEntry[];

export type CatalogueId = (typeof CATALOGUE)[number]["id"];

export function catalogueEntry(id: CatalogueId): CatalogueEntry {
  return CATALOGUE.find((e) => e.id === id)!;
}

/** The catalogue entries a pack rule enforces. */
export function entriesOfPackRule(rule: PolicyName): CatalogueEntry[] {
  return CATALOGUE.filter((e) => (e as CatalogueEntry).pack === rule);
}

/** The catalogue entry an audit finding kind reports. */
export function entryOfFinding(findingId: string): CatalogueEntry | undefined {
  return (CATALOGUE as readonly CatalogueEntry[]).find((e) => e.audit.includes(findingId));
}
