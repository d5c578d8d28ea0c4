/**
 * The audit proper: snapshot + stack config → findings. Pure (no I/O), so the live run and `--snapshot` audit
 * through exactly the same code. A check runs only when every source it reads was read: a failed read becomes an
 * AUD-READ-FAILED finding (critical), never an empty result that would look clean.
 */
import type { BaselineConfig } from "../../config/validate";
import { activationPolicyFindings } from "./checks/activation";
import { breakglassAccountFindings, breakglassMethodFindings, breakglassRoleFindings } from "./checks/breakglass";
import { caExclusionFindings, caTargetsBreakglassFindings } from "./checks/conditionalAccess";
import { breakglassEligibilityFindings, eligibilityFindings, globalAdminCountFindings } from "./checks/eligibility";
import { exclusionGroupFindings } from "./checks/exclusionGroup";
import { breakglassKeyFindings, fido2PolicyFindings } from "./checks/fido2";
import { loggingFindings, sentinelTripwireFindings, tripwireFindings } from "./checks/monitoring";
import { customRoleFindings, outsidePimFindings, standingFindings } from "./checks/standing";
import type { Pillar } from "@entra-baseline/model";
import { buildContext, type AuditContext } from "./context";
import { finding, sortFindings, type Finding } from "./findings";
import { KEYED_SOURCES, LIST_SOURCES, SnapshotError, type AuditSnapshot, type SourceName } from "./snapshot";

export interface Check {
  name: string;
  /** The pillars its findings belong to (a failed read of its sources leaves them not fully checked). */
  pillars: readonly Pillar[];
  /** Sources the check reads; it is skipped (and the failed read reported) when one of them failed. */
  reads: readonly SourceName[];
  run(ctx: AuditContext): Finding[];
}

const HOLDERS = [
  "users",
  "roleDefinitions",
  "roleAssignmentScheduleInstances",
  "roleAssignmentSchedules",
  "roleEligibilityScheduleInstances",
] as const;
const GROUP_PATHS = [
  "groupMembers",
  "groupOwners",
  "groupAssignmentScheduleInstances",
  "groupEligibilityScheduleInstances",
] as const;

export const CHECKS: readonly Check[] = [
  { name: "standing Tier-0 access", pillars: ["jit"], reads: [...HOLDERS, ...GROUP_PATHS], run: standingFindings },
  { name: "assignments outside PIM", pillars: ["jit"], reads: HOLDERS, run: outsidePimFindings },
  {
    name: "custom roles with Tier-0 permissions",
    pillars: ["jit"],
    reads: ["roleDefinitions"],
    run: customRoleFindings,
  },
  {
    name: "Global Administrator count",
    pillars: ["jit"],
    reads: [...HOLDERS, ...GROUP_PATHS],
    run: globalAdminCountFindings,
  },
  { name: "eligibilities", pillars: ["jit"], reads: [...HOLDERS, "groupMembers"], run: eligibilityFindings },
  {
    name: "breakglass eligibility",
    pillars: ["breakglass"],
    reads: ["users", "breakglassGroups", "roleEligibilityScheduleInstances", "transitiveMemberOf"],
    run: breakglassEligibilityFindings,
  },
  {
    name: "activation policies",
    pillars: ["jit", "conditionalAccess"],
    reads: [
      ...HOLDERS,
      "roleManagementPolicyAssignments",
      "caPolicies",
      "authenticationContexts",
      "breakglassGroups",
      "transitiveMemberOf",
      ...GROUP_PATHS,
      "groupPolicyAssignments",
    ],
    run: activationPolicyFindings,
  },
  {
    name: "CA breakglass exclusion",
    pillars: ["conditionalAccess"],
    reads: ["users", "breakglassGroups", "caPolicies", "transitiveMemberOf"],
    run: caExclusionFindings,
  },
  {
    name: "CA targeting breakglass",
    pillars: ["conditionalAccess"],
    reads: ["users", "breakglassGroups", "caPolicies", "transitiveMemberOf"],
    run: caTargetsBreakglassFindings,
  },
  { name: "breakglass accounts", pillars: ["breakglass"], reads: ["users"], run: breakglassAccountFindings },
  {
    name: "breakglass Global Administrator",
    pillars: ["breakglass"],
    reads: ["users", "roleAssignmentScheduleInstances"],
    run: breakglassRoleFindings,
  },
  {
    name: "breakglass authentication methods",
    pillars: ["breakglass"],
    reads: ["users", "authenticationMethods"],
    run: breakglassMethodFindings,
  },
  {
    name: "breakglass exclusion group",
    pillars: ["breakglass"],
    reads: ["users", "breakglassGroups", "groupMembers", "groupOwners"],
    run: exclusionGroupFindings,
  },
  {
    name: "FIDO2 method policy",
    pillars: ["breakglass"],
    reads: ["breakglassGroups", "fido2Policy"],
    run: fido2PolicyFindings,
  },
  {
    name: "breakglass keys",
    pillars: ["breakglass"],
    reads: ["users", "authenticationMethods"],
    run: breakglassKeyFindings,
  },
  {
    name: "Entra logs",
    pillars: ["tripwire"],
    reads: ["diagnosticSettings", "workspaces", "workspaceTables", "dataCollectionRules"],
    run: loggingFindings,
  },
  {
    name: "breakglass tripwire",
    pillars: ["tripwire"],
    reads: ["users", "diagnosticSettings", "scheduledQueryRules", "actionGroups"],
    run: tripwireFindings,
  },
  {
    // Reports nothing unless monitoring.sentinel.enabled (then its source is required, see requiredSources).
    name: "Sentinel tripwire",
    pillars: ["tripwire"],
    reads: ["users", "diagnosticSettings", "sentinelAlertRules"],
    run: sentinelTripwireFindings,
  },
];

/** Sources a complete snapshot must hold (or list under `errors`): every one, even when empty. */
export const REQUIRED_SOURCES: readonly SourceName[] = [...LIST_SOURCES, ...KEYED_SOURCES];

/** What a snapshot audited against `config` must hold: every source, and Sentinel's rules when it is enabled. */
export function requiredSources(config: BaselineConfig): readonly SourceName[] {
  return config.monitoring.sentinel.enabled ? [...REQUIRED_SOURCES, "sentinelAlertRules"] : REQUIRED_SOURCES;
}

export interface AuditResult {
  findings: Finding[];
  /** False when a read failed: some checks did not run. */
  complete: boolean;
  skippedChecks: string[];
  snapshot: Pick<AuditSnapshot, "takenAt" | "tenantId">;
}

export function auditSnapshot(snapshot: AuditSnapshot, config: BaselineConfig, file = "snapshot"): AuditResult {
  const errors = snapshot.errors ?? {};
  const absent = requiredSources(config).filter((s) => snapshot.sources[s] === undefined && errors[s] === undefined);
  if (absent.length > 0) {
    throw new SnapshotError(
      file,
      `lacks source${absent.length > 1 ? "s" : ""} ${absent.join(", ")} (neither read nor recorded under "errors")`,
    );
  }
  const ctx = buildContext(snapshot, config);
  const findings: Finding[] = [];
  for (const [source, message] of Object.entries(errors)) {
    findings.push(
      finding("AUD-READ-FAILED", {
        object: `source ${source}`,
        expected: "read completely",
        actual: message ?? "failed",
      }),
    );
  }
  const skippedChecks: string[] = [];
  for (const check of CHECKS) {
    if (check.reads.some((s) => errors[s] !== undefined)) {
      skippedChecks.push(check.name);
      continue;
    }
    findings.push(...check.run(ctx));
  }
  return {
    findings: sortFindings(findings),
    complete: Object.keys(errors).length === 0,
    skippedChecks,
    snapshot: { takenAt: snapshot.takenAt, tenantId: snapshot.tenantId },
  };
}
