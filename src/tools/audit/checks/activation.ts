/**
 * Guarantee 3 in the live tenant, for every managed role and every Tier-0 role someone is eligible for: the role's
 * PIM policy (rules → settings, src/model/pimPolicyRules.ts) judged by the model's `activationPolicyWeaknesses`
 * against the role's requirement, with approval counted per eligible admin through approver groups' members; every
 * owned rule field that differs from what the stack writes (drift); the authentication context's CA policy judged by
 * `activationContextGaps` (the model's canonical form) for the role's strength and eligible admins; and the member
 * and owner policies of PIM-for-Groups groups holding the role, held to the same requirement.
 */
import {
  activationContextGaps,
  activationPolicyWeaknesses,
  caPolicyFromGraph,
  desiredRules,
  policyDifferences,
  roleName,
  settingsFromRules,
  tier0Requirement,
  type ActivationPolicySettings,
  type ActivationRequirement,
  type ActivationStrength,
  type ApproverRef,
  type BreakglassKeys,
  type PolicyRule,
} from "@entra-baseline/model";
import { roleActivationSettings, roleRequirement } from "../../../config/activationSettings";
import type { ManagedRole } from "../../../config/managedRoles";
import { asRecord, lower, principalTypeOf, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";
import { breakglassKeysOf } from "./conditionalAccess";

interface JudgedRole {
  roleId: string;
  name: string;
  requirement: ActivationRequirement;
  strength: ActivationStrength;
  managed?: ManagedRole;
}

/** The roles whose policy the audit judges: the managed ones, and unmanaged Tier-0 roles someone is eligible for. */
function judgedRoles(ctx: AuditContext): JudgedRole[] {
  const out: JudgedRole[] = ctx.roles.map((r) => ({
    roleId: r.roleDefinitionId,
    name: r.name,
    requirement: roleRequirement(r, ctx.maxActivationSeconds),
    strength: r.rules.activationStrength,
    managed: r,
  }));
  for (const i of ctx.snapshot.sources.roleEligibilityScheduleInstances ?? []) {
    const roleId = lower(i.roleDefinitionId) ?? "";
    if (!ctx.tier0.has(roleId) || out.some((r) => r.roleId === roleId)) continue;
    out.push({
      roleId,
      name: roleName(roleId),
      requirement: tier0Requirement(roleId, ctx.maxActivationSeconds),
      strength: ctx.config.pim.activationStrength,
    });
  }
  return out;
}

/** Eligible principals of a role (users and groups), and the people who may request it (groups through members). */
function requestersOf(ctx: AuditContext, roleId: string): { keys: string[]; people: string[] } {
  const keys = new Set<string>();
  const people = new Set<string>();
  for (const i of ctx.snapshot.sources.roleEligibilityScheduleInstances ?? []) {
    if (lower(i.roleDefinitionId) !== roleId) continue;
    const id = lower(i.principalId);
    if (!id) continue;
    keys.add(id);
    const members = principalTypeOf(i.principal) === "group" ? ctx.groupMembers(id) : undefined;
    if (members) members.forEach((m) => typeof m.id === "string" && people.add(m.id.toLowerCase()));
    else people.add(id);
  }
  return { keys: [...keys], people: [...people] };
}

function approverGroupMembers(ctx: AuditContext, settings: ActivationPolicySettings): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of settings.approval.approvers) {
    if (a.kind !== "group") continue;
    const members = ctx.groupMembers(a.id);
    if (members)
      out.set(
        a.id.toLowerCase(),
        members.map((m) => String(m.id).toLowerCase()),
      );
  }
  return out;
}

function rulesOf(assignment: RawObject | undefined): PolicyRule[] | undefined {
  const rules = asRecord(assignment?.policy).rules;
  return Array.isArray(rules) ? (rules as PolicyRule[]) : undefined;
}

export function activationPolicyFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const assignments = ctx.snapshot.sources.roleManagementPolicyAssignments ?? [];
  for (const role of judgedRoles(ctx)) {
    const object = `${role.name} PIM policy`;
    const assignment = assignments.find(
      (a) => lower(a.roleDefinitionId) === role.roleId && (a.scopeId === undefined || a.scopeId === "/"),
    );
    const rules = rulesOf(assignment);
    if (!assignment || !rules) {
      out.push(
        finding("AUD-PIM-POLICY-MISSING", {
          object,
          expected: `a role management policy assignment for ${role.name} at scope / with its rules`,
          actual: assignment ? "the policy came back without rules" : "no policy assignment returned",
        }),
      );
      continue;
    }
    let live: ActivationPolicySettings | undefined;
    try {
      live = settingsFromRules(role.roleId, rules);
    } catch (e) {
      out.push(
        finding("AUD-PIM-POLICY-WEAKENED", { object, expected: "the documented rules", actual: (e as Error).message }),
      );
      continue;
    }
    const { keys, people } = requestersOf(ctx, role.roleId);
    for (const weakness of activationPolicyWeaknesses(live, role.requirement, {
      requesters: people,
      groupMembers: approverGroupMembers(ctx, live),
    })) {
      out.push(
        finding("AUD-PIM-POLICY-WEAKENED", {
          object,
          expected: `the ${role.managed ? `rules of ${role.managed.path}` : "model's Tier-0 rules"} (docs/pim.md)`,
          actual: weakness,
        }),
      );
    }
    if (role.managed) out.push(...driftFindings(ctx, role.managed, rules, object));
    out.push(...contextFindings(ctx, live, role, keys, object));
  }
  out.push(...groupPolicyFindings(ctx, judgedRoles(ctx)));
  return out;
}

function driftFindings(ctx: AuditContext, role: ManagedRole, rules: PolicyRule[], object: string): Finding[] {
  const out: Finding[] = [];
  const approvers: ApproverRef[] = [];
  for (const ref of role.rules.approvers.users) {
    const id = ctx.resolveUser(ref);
    if (id) approvers.push({ kind: "user", id });
    else {
      out.push(
        finding("AUD-PIM-POLICY-DRIFT", {
          object: `${object}: approver ${ref}`,
          expected: "the configured approver is an existing user",
          actual: "no such user in the tenant, so this approver cannot be in the live rule",
        }),
      );
    }
  }
  for (const id of role.rules.approvers.groups) approvers.push({ kind: "group", id: id.toLowerCase() });
  const desired = roleActivationSettings(role, approvers);
  for (const d of policyDifferences(desiredRules(desired), rules)) {
    out.push(
      finding("AUD-PIM-POLICY-DRIFT", {
        object: `${object}: rule ${d.ruleId} ${d.field}`,
        expected: JSON.stringify(d.wanted) ?? "absent",
        actual: JSON.stringify(d.live) ?? "absent",
      }),
    );
  }
  return out;
}

function contextFindings(
  ctx: AuditContext,
  live: ActivationPolicySettings,
  role: JudgedRole,
  requesters: string[],
  object: string,
): Finding[] {
  const contextId = live.authenticationContextId;
  if (!contextId || role.requirement.authenticationContextId === null) return [];
  const policies = (ctx.snapshot.sources.caPolicies ?? []).map((p) => caPolicyFromGraph(p));
  const targeting = policies.filter((p) => p.applications.contexts.includes(contextId.toLowerCase()));
  const req = { contextId, strength: role.strength, breakglass: harmlessExclusions(ctx), requesters };
  if (targeting.some((p) => activationContextGaps(p, req).length === 0)) return [];
  const context = (ctx.snapshot.sources.authenticationContexts ?? []).find(
    (c) => lower(c.id) === contextId.toLowerCase(),
  );
  const problems = [
    ...(context === undefined
      ? [`authentication context ${contextId} does not exist`]
      : context.isAvailable === false
        ? [`authentication context ${contextId} is not available`]
        : []),
    ...(targeting.length === 0
      ? [`no Conditional Access policy targets authentication context ${contextId}, so activation forces no fresh MFA`]
      : targeting.map((p) => `${p.name}: ${activationContextGaps(p, req).join("; ")}`)),
  ];
  return [
    finding("AUD-ACTIVATION-CONTEXT-NOT-ENFORCED", {
      object: `${object}: authentication context ${contextId}`,
      expected: `an enabled CA policy on ${contextId} for all users but the emergency accounts, no narrowing condition, a grant only ${role.strength} or stronger meets, sign-in frequency every time`,
      actual: problems.join(" | "),
    }),
  ];
}

/**
 * Who the context's CA policy may leave out: the emergency accounts, and a group of the exclusion group's name whose
 * members were read and are all emergency accounts (it exempts nobody else from the fresh MFA, even when an account
 * is missing from it — the exclusion group check reports that). Any other excluded group lets its members activate
 * without the challenge.
 */
function harmlessExclusions(ctx: AuditContext): BreakglassKeys {
  const keys = breakglassKeysOf(ctx);
  const accounts = new Set(keys.accounts.map((a) => a.key));
  const onlyAccounts = ctx.breakglassGroups
    .map((g) => lower(g.id) ?? "")
    .filter((id) => {
      const members = ctx.groupMembers(id);
      return id !== "" && members !== undefined && members.every((m) => accounts.has(lower(m.id) ?? ""));
    });
  return { ...keys, groupKeys: [...new Set([...keys.groupKeys, ...onlyAccounts])] };
}

/** Member (and owner) policies of PIM-for-Groups groups that hold a judged role. */
function groupPolicyFindings(ctx: AuditContext, roles: JudgedRole[]): Finding[] {
  const out: Finding[] = [];
  const s = ctx.snapshot.sources;
  const holdingGroups = new Map<string, string[]>();
  for (const i of s.roleAssignmentScheduleInstances ?? []) {
    if (principalTypeOf(i.principal) !== "group") continue;
    const g = lower(i.principalId) ?? "";
    holdingGroups.set(g, [...(holdingGroups.get(g) ?? []), lower(i.roleDefinitionId) ?? ""]);
  }
  for (const g of ctx.config.pim.groups) {
    const id = g.group.toLowerCase();
    for (const r of g.roles) {
      const role = roles.find((x) => x.roleId === r.toLowerCase() || x.name.toLowerCase() === r.toLowerCase());
      if (role) holdingGroups.set(id, [...(holdingGroups.get(id) ?? []), role.roleId]);
    }
  }
  for (const [groupId, roleIds] of holdingGroups) {
    // A Tier-0 role the stack does not manage is still Tier-0: reaching it through the group is held to the model's
    // Tier-0 rules, as an eligibility for it would be.
    const held = [
      ...roles.filter((r) => roleIds.includes(r.roleId)),
      ...[...new Set(roleIds)]
        .filter((id) => ctx.tier0.has(id) && !roles.some((r) => r.roleId === id))
        .map((id): JudgedRole => ({
          roleId: id,
          name: roleName(id),
          requirement: tier0Requirement(id, ctx.maxActivationSeconds),
          strength: ctx.config.pim.activationStrength,
        })),
    ];
    if (held.length === 0) continue;
    const eligible = (s.groupEligibilityScheduleInstances ?? {})[groupId] ?? [];
    const policies = (s.groupPolicyAssignments ?? {})[groupId];
    for (const access of ["member", "owner"]) {
      const requesters = eligible
        .filter((e) => (lower(e.accessId) ?? "member") === access)
        .map((e) => lower(e.principalId) ?? "");
      if (requesters.length === 0) continue;
      const object = `PIM-for-Groups ${access} policy of group ${groupId}`;
      if (policies === undefined) {
        out.push(
          finding("AUD-GROUP-POLICY-WEAKENED", {
            object,
            expected: `the group's ${access} policy is read and meets ${held.map((r) => r.name).join(", ")}'s rules`,
            actual: `${requesters.length} eligible ${access}(s), and the policy was not read (declare the group in pim.groups)`,
          }),
        );
        continue;
      }
      const assignment = policies.find((p) => lower(p.roleDefinitionId) === access);
      const rules = rulesOf(assignment);
      if (!rules) {
        out.push(
          finding("AUD-GROUP-POLICY-WEAKENED", {
            object,
            expected: "a policy with its rules",
            actual: "no policy assignment returned",
          }),
        );
        continue;
      }
      let live: ActivationPolicySettings;
      try {
        live = settingsFromRules(groupId, rules);
      } catch (e) {
        out.push(
          finding("AUD-GROUP-POLICY-WEAKENED", {
            object,
            expected: "the documented rules",
            actual: (e as Error).message,
          }),
        );
        continue;
      }
      for (const role of held) {
        for (const weakness of activationPolicyWeaknesses(live, role.requirement, {
          requesters,
          groupMembers: approverGroupMembers(ctx, live),
        })) {
          out.push(
            finding("AUD-GROUP-POLICY-WEAKENED", {
              object,
              expected: `at least ${role.name}'s activation rules: the group holds it`,
              actual: weakness,
            }),
          );
        }
      }
    }
  }
  return out;
}
