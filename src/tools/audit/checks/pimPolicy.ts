/**
 * The Global Administrator activation policy: weakened below the shared model (activationPolicyWeaknesses), and
 * every owned rule field that differs from what the stack config would write (src/model/pimPolicyRules.ts).
 */
import type { BaselineConfig } from "../../../config/validate";
import {
  type ActivationPolicySettings,
  activationPolicyWeaknesses,
  type ApproverRef,
  desiredRules,
  GLOBAL_ADMINISTRATOR,
  policyDifferences,
  type PolicyRule,
  settingsFromRules,
} from "@entra-baseline/model";
import { activationPolicySettings } from "../../../config/activationSettings";
import { asRecord, lower, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";

const OBJECT = "Global Administrator PIM policy";

/** The settings the stack declares (src/config/activationSettings.ts, shared with the PIM component), approver UPNs resolved to ids. */
export function desiredActivationSettings(
  config: BaselineConfig,
  resolveUser: (ref: string) => string | undefined,
): { settings: ActivationPolicySettings; unresolved: string[] } {
  const unresolved: string[] = [];
  const approvers: ApproverRef[] = [];
  for (const ref of config.pim.approvers.users) {
    const id = resolveUser(ref);
    if (id) approvers.push({ kind: "user", id });
    else unresolved.push(ref);
  }
  for (const id of config.pim.approvers.groups) approvers.push({ kind: "group", id: id.toLowerCase() });
  return { unresolved, settings: activationPolicySettings(config.pim, approvers) };
}

/** The live Global Administrator policy assignment at scope "/" (its `policy.rules` expanded), if read. */
export function gaPolicyAssignment(ctx: AuditContext): RawObject | undefined {
  return (ctx.snapshot.sources.roleManagementPolicyAssignments ?? []).find(
    (a) => lower(a.roleDefinitionId) === GLOBAL_ADMINISTRATOR && (a.scopeId === undefined || a.scopeId === "/"),
  );
}

/** The live activation settings, or undefined when the policy or its rules are missing or malformed (reported by pimPolicyFindings). */
export function liveActivationSettings(ctx: AuditContext): ActivationPolicySettings | undefined {
  const rules = asRecord(gaPolicyAssignment(ctx)?.policy).rules;
  if (!Array.isArray(rules)) return undefined;
  try {
    return settingsFromRules(GLOBAL_ADMINISTRATOR, rules as PolicyRule[]);
  } catch {
    return undefined;
  }
}

export function pimPolicyFindings(ctx: AuditContext): Finding[] {
  const assignment = gaPolicyAssignment(ctx);
  const rawRules = asRecord(assignment?.policy).rules;
  if (!assignment || !Array.isArray(rawRules)) {
    return [
      finding("AUD-PIM-POLICY-MISSING", {
        object: OBJECT,
        expected: "a role management policy assignment for Global Administrator at scope / with its 17 rules",
        actual: assignment ? "the policy came back without rules" : "no policy assignment returned",
      }),
    ];
  }
  const rules = rawRules as PolicyRule[];
  const out: Finding[] = [];
  const { settings: desired, unresolved } = desiredActivationSettings(ctx.config, (r) => ctx.resolveUser(r));
  for (const ref of unresolved) {
    out.push(
      finding("AUD-PIM-POLICY-DRIFT", {
        object: `${OBJECT}: approver ${ref}`,
        expected: "pim.approvers.users names an existing user",
        actual: "no such user in the tenant, so this approver cannot be in the live rule",
      }),
    );
  }

  let live: ActivationPolicySettings | undefined;
  try {
    live = settingsFromRules(GLOBAL_ADMINISTRATOR, rules);
  } catch (e) {
    out.push(
      finding("AUD-PIM-POLICY-WEAKENED", {
        object: OBJECT,
        expected: "the 17 documented rules",
        actual: (e as Error).message,
      }),
    );
  }
  if (live) {
    const requesters = ctx.config.pim.eligibleAdmins
      .map((r) => ctx.resolveUser(r))
      .filter((id): id is string => id !== undefined);
    for (const weakness of activationPolicyWeaknesses(
      live,
      { maxActivationDuration: ctx.config.limits.activationDuration.max },
      requesters,
    )) {
      out.push(
        finding("AUD-PIM-POLICY-WEAKENED", {
          object: OBJECT,
          expected: `activation ≤ ${ctx.config.limits.activationDuration.max}, justification, ticket, authentication context, approval by someone else, notification recipients (docs/pim.md)`,
          actual: weakness,
        }),
      );
    }
  }
  for (const d of policyDifferences(desiredRules(desired), rules)) {
    out.push(
      finding("AUD-PIM-POLICY-DRIFT", {
        object: `${OBJECT}: rule ${d.ruleId} ${d.field}`,
        expected: JSON.stringify(d.wanted) ?? "absent",
        actual: JSON.stringify(d.live) ?? "absent",
      }),
    );
  }
  return out;
}
