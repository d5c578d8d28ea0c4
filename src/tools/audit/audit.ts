/**
 * The audit proper: snapshot + stack config → findings. Pure (no I/O), so the live run and `--snapshot` audit
 * through exactly the same code. A check runs only when every source it reads was read: a failed read becomes an
 * AUD-READ-FAILED finding (critical), never an empty result that would look clean.
 */
import type { BaselineConfig } from "../../config/validate";
import {
  breakglassAccountFindings,
  breakglassGroupFindings,
  breakglassMethodFindings,
  breakglassRoleFindings,
} from "./checks/breakglass";
import {
  activationContextFindings,
  caExclusionFindings,
  caTargetsBreakglassFindings,
} from "./checks/conditionalAccess";
import { diagnosticSettingFindings, tripwireFindings } from "./checks/monitoring";
import { pimPolicyFindings } from "./checks/pimPolicy";
import {
  eligibilityFindings,
  globalAdminCountFindings,
  outsidePimFindings,
  permanentTier0Findings,
} from "./checks/roleAssignments";
import { buildContext, type AuditContext } from "./context";
import { finding, sortFindings, type Finding } from "./findings";
import { KEYED_SOURCES, LIST_SOURCES, SnapshotError, type AuditSnapshot, type SourceName } from "./snapshot";

export interface Check {
  name: string;
  /** Sources the check reads; it is skipped (and the failed read reported) when one of them failed. */
  reads: readonly SourceName[];
  run(ctx: AuditContext): Finding[];
}

export const CHECKS: readonly Check[] = [
  {
    name: "permanent Tier-0 assignments",
    reads: ["users", "roleAssignmentScheduleInstances"],
    run: permanentTier0Findings,
  },
  { name: "assignments outside PIM", reads: ["users", "roleAssignmentSchedules"], run: outsidePimFindings },
  {
    name: "Global Administrator count",
    reads: ["roleAssignmentScheduleInstances", "roleEligibilityScheduleInstances", "groupMembers"],
    run: globalAdminCountFindings,
  },
  {
    name: "Global Administrator eligibilities",
    reads: ["users", "roleEligibilityScheduleInstances"],
    run: eligibilityFindings,
  },
  {
    name: "Global Administrator PIM policy",
    reads: ["users", "roleManagementPolicyAssignments"],
    run: pimPolicyFindings,
  },
  {
    name: "activation authentication context enforcement",
    reads: ["roleManagementPolicyAssignments", "caPolicies"],
    run: activationContextFindings,
  },
  {
    name: "CA breakglass exclusion",
    reads: ["users", "breakglassGroups", "caPolicies", "transitiveMemberOf"],
    run: caExclusionFindings,
  },
  {
    name: "CA targeting breakglass",
    reads: ["users", "breakglassGroups", "caPolicies"],
    run: caTargetsBreakglassFindings,
  },
  { name: "breakglass accounts", reads: ["users"], run: breakglassAccountFindings },
  {
    name: "breakglass roles",
    reads: ["users", "roleAssignmentScheduleInstances", "roleEligibilityScheduleInstances"],
    run: breakglassRoleFindings,
  },
  {
    name: "breakglass authentication methods",
    reads: ["users", "authenticationMethods"],
    run: breakglassMethodFindings,
  },
  {
    name: "breakglass exclusion group",
    reads: ["users", "breakglassGroups", "transitiveMemberOf"],
    run: breakglassGroupFindings,
  },
  { name: "Entra diagnostic setting", reads: ["diagnosticSettings"], run: diagnosticSettingFindings },
  { name: "breakglass tripwire", reads: ["users", "scheduledQueryRules"], run: tripwireFindings },
];

/** Sources a complete snapshot must hold (or list under `errors`); groupMembers only exists when a group holds GA. */
export const REQUIRED_SOURCES: readonly SourceName[] = [
  ...LIST_SOURCES,
  ...KEYED_SOURCES.filter((s) => s !== "groupMembers"),
];

export interface AuditResult {
  findings: Finding[];
  /** False when a read failed: some checks did not run. */
  complete: boolean;
  skippedChecks: string[];
  snapshot: Pick<AuditSnapshot, "takenAt" | "tenantId">;
}

export function auditSnapshot(snapshot: AuditSnapshot, config: BaselineConfig, file = "snapshot"): AuditResult {
  const errors = snapshot.errors ?? {};
  const absent = REQUIRED_SOURCES.filter((s) => snapshot.sources[s] === undefined && errors[s] === undefined);
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
