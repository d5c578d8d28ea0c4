/**
 * activation-policy — severity critical, mandatory (0.1.x: ga-activation-policy).
 * Controls: CISA MS.AAD.7.6 (approval for privileged roles), MS.AAD.7.7–7.9 (assignment and activation alerts),
 * MS.AAD.3.6 (phishing-resistant MFA for privileged roles), ZTA 21817–21820, Microsoft365DSC AADRoleSetting.
 * Catalogue: ACTIVATION-POLICY-WEAK, ACTIVATION-POLICY-MISSING, ACTIVATION-CONTEXT-NOT-ENFORCED (src/model/catalogue.ts).
 *
 * Every managed role's activation policy meets the role's requirement (src/model/activationPolicy.ts): Global
 * Administrator always, every role the stack config manages (pack config `roles`), and every Tier-0 role the stack
 * makes anyone eligible for or declares a policy for — PIM's defaults (8 hours, no approval) are no policy at all.
 * A Tier-0 role is held to the model's bounds whatever the config says. Approval needs an approver other than each
 * requester, counting approver groups through the members the stack declares. The authentication context the policy
 * requires must be declared, available, and carry a CA policy in the model's canonical form (src/model/caPolicy.ts)
 * for the role's strength and its requesters. PIM-for-Groups groups that hold a managed role are held to the same
 * requirement through their own member (and, when owners are eligible, owner) policy.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  ACTIVATION_STRENGTHS,
  activationContextGaps,
  activationPolicyWeaknesses,
  GLOBAL_ADMINISTRATOR,
  MODEL_BOUNDS,
  policyNames,
  roleName,
  STRENGTH_NAMES,
  strengthAtLeast,
  tier0Requirement,
  effectiveRequirement,
  type ActivationRequirement,
  type ActivationStrength,
} from "@entra-baseline/model";
import {
  AUTHENTICATION_CONTEXT_TYPE,
  contextIdOf,
  stackActivationPolicies,
  type StackActivationPolicy,
} from "../lib/activationPolicies";
import { breakglassView, type BreakglassView } from "../lib/breakglass";
import { breakglassKeys, stackCaPolicies } from "../lib/caPolicies";
import {
  activationStrengthSchema,
  breakglassGroupNameSchema,
  breakglassObjectIdsSchema,
  breakglassUpnsSchema,
  maxActivationMinutesSchema,
  pimGroupsSchema,
  policyConfig,
  schema,
  tier0RoleIdsSchema,
  type ConfigProperty,
} from "../lib/config";
import { groupEligibilities, roleEligibilities } from "../lib/eligibilities";
import { declaredGroupMembers, groupGrants } from "../lib/holdings";
import { canonicalId, tier0Set } from "../lib/roles";
import { describeResource, indexStack, type StackIndex } from "../lib/stack";
import { readBoolean } from "../lib/values";

/** One managed role's requirement as `npm run plan` derives it from the stack config (pim, pim.roles, templates). */
export interface RoleRequirementConfig {
  roleDefinitionId: string;
  maxActivationMinutes: number;
  requireJustification: boolean;
  requireTicket: boolean;
  requireApproval: boolean;
  /** The context activation must require: "c1"…, "" for any, absent for none. */
  authenticationContextId?: string;
  activationStrength: ActivationStrength;
  requireNotifications: boolean;
}

export interface ActivationPolicyConfig {
  roles: RoleRequirementConfig[];
  maxActivationMinutes: number;
  activationStrength: ActivationStrength;
  tier0RoleIds: string[];
  pimGroups: { group: string; roles: string[] }[];
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  breakglassGroupName: string;
}

const rolesSchema: ConfigProperty = {
  type: "array",
  default: [] as unknown[],
  description:
    "The roles the stack manages and what each activation requires (derived by `npm run plan` from pim, pim.roles and pim.templates). Tier-0 roles are held to the model's bounds whatever is given here.",
  items: {
    type: "object",
    required: ["roleDefinitionId", "maxActivationMinutes", "activationStrength"],
    additionalProperties: false,
    properties: {
      roleDefinitionId: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
      maxActivationMinutes: {
        type: "integer",
        minimum: MODEL_BOUNDS.minActivationSeconds / 60,
        maximum: MODEL_BOUNDS.maxActivationSeconds / 60,
      },
      requireJustification: { type: "boolean", default: true },
      requireTicket: { type: "boolean", default: true },
      requireApproval: { type: "boolean", default: true },
      authenticationContextId: { type: "string", pattern: "^(c([1-9]|[1-9][0-9]))?$" },
      activationStrength: { type: "string", enum: [...ACTIVATION_STRENGTHS] },
      requireNotifications: { type: "boolean", default: true },
    },
  },
};

interface Managed {
  requirement: ActivationRequirement;
  strength: ActivationStrength;
  /** Why the role is managed, for the "no policy" message. */
  why: string;
}

/** The requirement of every role the stack must manage. */
function managedRoles(
  cfg: ActivationPolicyConfig,
  index: StackIndex,
  view: BreakglassView,
  tier0: ReadonlySet<string>,
  policies: StackActivationPolicy[],
): Map<string, Managed> {
  const tier0Seconds = Math.min(cfg.maxActivationMinutes * 60, MODEL_BOUNDS.tier0MaxActivationSeconds);
  const floor = (role: string, why: string): Managed => ({
    requirement: tier0Requirement(role, tier0Seconds),
    strength: cfg.activationStrength,
    why,
  });
  const managed = new Map<string, Managed>([
    [GLOBAL_ADMINISTRATOR, floor(GLOBAL_ADMINISTRATOR, "Global Administrator is always managed")],
  ]);
  for (const r of cfg.roles) {
    const id = canonicalId(r.roleDefinitionId);
    const isTier0 = tier0.has(id);
    const declared: ActivationRequirement = {
      roleDefinitionId: id,
      tier0: isTier0,
      maxActivationSeconds: r.maxActivationMinutes * 60,
      requireJustification: r.requireJustification !== false,
      requireTicket: r.requireTicket !== false,
      requireApproval: r.requireApproval !== false,
      authenticationContextId: r.authenticationContextId === undefined ? null : r.authenticationContextId,
      requireNotifications: r.requireNotifications !== false,
    };
    const requirement = effectiveRequirement(
      isTier0 ? { ...declared, maxActivationSeconds: Math.min(declared.maxActivationSeconds, tier0Seconds) } : declared,
    );
    // A config may ask for more than the floor strength, never less.
    const strength = strengthAtLeast(r.activationStrength, cfg.activationStrength)
      ? r.activationStrength
      : cfg.activationStrength;
    managed.set(id, { requirement, strength, why: "the stack config manages it" });
  }
  for (const e of roleEligibilities(index, view)) {
    if (e.role !== undefined && tier0.has(e.role) && !managed.has(e.role))
      managed.set(e.role, floor(e.role, `${describeResource(e.resource)} makes someone eligible for it`));
  }
  for (const p of policies) {
    const role = p.target.kind === "role" ? p.target.roleDefinitionId : undefined;
    if (role !== undefined && tier0.has(role) && !managed.has(role))
      managed.set(role, floor(role, `${describeResource(p.resource)} declares its policy`));
  }
  return managed;
}

export const activationPolicy: StackValidationPolicy = {
  name: policyNames.activationPolicy,
  description:
    "Every managed role's activation policy exists once and meets its requirement: bounded duration, justification, ticket, approval by someone other than each requester, an authentication context whose CA policy forces a fresh MFA of the configured strength, notifications (CISA MS.AAD.7.6–7.9); PIM-for-Groups groups holding those roles are held to the same rules.",
  enforcementLevel: "mandatory",
  configSchema: schema({
    roles: rolesSchema,
    maxActivationMinutes: maxActivationMinutesSchema,
    activationStrength: activationStrengthSchema,
    tier0RoleIds: tier0RoleIdsSchema,
    pimGroups: pimGroupsSchema,
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    breakglassGroupName: breakglassGroupNameSchema,
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<ActivationPolicyConfig>(args, activationPolicy.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    const tier0 = tier0Set(index, cfg.tier0RoleIds);
    const policies = stackActivationPolicies(index, view);
    const managed = managedRoles(cfg, index, view, tier0, policies);
    const members = declaredGroupMembers(index, view);
    const caPolicies = stackCaPolicies(index, view);
    const bgKeys = breakglassKeys(view);
    const eligibilities = roleEligibilities(index, view);
    const groupEligible = groupEligibilities(index, view);

    /** Who may activate `role`: its eligible principals, members of eligible groups, eligible members of PIM groups holding it. */
    const grants = groupGrants(
      index,
      view,
      new Map(cfg.pimGroups.map((g) => [g.group.toLowerCase(), g.roles.map(canonicalId)])),
    );
    const requestersOf = (role: string) => {
      const keys = new Set<string>();
      const people = new Set<string>();
      for (const e of eligibilities) {
        if (e.role !== role || !e.principal) continue;
        keys.add(e.principal.key);
        const inGroup = members.get(e.principal.key);
        if (inGroup) inGroup.forEach((m) => people.add(m));
        else people.add(e.principal.key);
      }
      for (const [groupKey, roles] of grants) {
        if (!roles.includes(role)) continue;
        for (const g of groupEligible) {
          if (g.group === groupKey && g.principal) {
            keys.add(g.principal.key);
            people.add(g.principal.key);
          }
        }
      }
      return { keys: [...keys], people: [...people] };
    };

    const judge = (p: StackActivationPolicy, role: string, m: Managed, what: string) => {
      for (const field of p.unknowns) {
        reportViolation(
          `${describeResource(p.resource)}: ${field} is unknown at preview, so ${what} cannot be verified; declare it from config.`,
          p.resource.urn,
        );
      }
      if (!p.settings) return;
      const { keys, people } = requestersOf(role);
      for (const problem of activationPolicyWeaknesses({ ...p.settings, roleDefinitionId: role }, m.requirement, {
        requesters: people,
        groupMembers: members,
      })) {
        reportViolation(`${describeResource(p.resource)} (${what}): ${problem}.`, p.resource.urn);
      }
      const context = p.settings.authenticationContextId;
      if (context && m.requirement.authenticationContextId !== null) {
        for (const problem of contextProblems(context, m.strength, keys, index, caPolicies, bgKeys)) {
          reportViolation(`${describeResource(p.resource)} (${what}): ${problem}.`, p.resource.urn);
        }
      }
    };

    const unresolved = policies.filter((p) => p.target.kind === "role" && p.target.roleDefinitionId === undefined);
    for (const [role, m] of managed) {
      const own = policies.filter((p) => p.target.kind === "role" && p.target.roleDefinitionId === role);
      if (own.length === 0) {
        if (unresolved.length > 0) continue; // reported below: it may be this role's.
        reportViolation(
          `No activation policy is declared for ${roleName(role)} (${role}), which must be managed (${m.why}): PIM's defaults allow 8-hour activations without approval.`,
        );
        continue;
      }
      if (own.length > 1) {
        reportViolation(
          `${own.length} resources manage the one ${roleName(role)} activation policy (${own.map((p) => p.resource.name).join(", ")}); they would overwrite each other.`,
        );
      }
      for (const p of own) judge(p, role, m, `the ${roleName(role)} activation policy`);
    }
    for (const p of unresolved) {
      reportViolation(
        `${describeResource(p.resource)}: its role cannot be resolved at preview, so no managed role can be shown to have its policy; declare roleDefinitionId from config.`,
        p.resource.urn,
      );
    }
    for (const p of policies) {
      if (p.target.kind !== "role" || p.target.roleDefinitionId === undefined || managed.has(p.target.roleDefinitionId))
        continue;
      const role = p.target.roleDefinitionId;
      // A role outside Tier-0 the config does not manage: held only to what PIM accepts.
      const loose: Managed = {
        requirement: {
          roleDefinitionId: role,
          tier0: false,
          maxActivationSeconds: MODEL_BOUNDS.maxActivationSeconds,
          requireJustification: false,
          requireTicket: false,
          requireApproval: false,
          authenticationContextId: null,
          requireNotifications: false,
        },
        strength: cfg.activationStrength,
        why: "",
      };
      judge(p, role, loose, `the ${roleName(role)} activation policy`);
    }

    // PIM for Groups: a group holding a managed role, with eligible members or owners, is held to the role's rules.
    const groupPolicies = policies.filter((p) => p.target.kind === "group");
    for (const [groupKey, roles] of grants) {
      const heldRoles = roles.filter((r): r is string => r !== undefined && managed.has(r));
      if (heldRoles.length === 0) continue;
      for (const access of ["member", "owner"]) {
        const eligible = groupEligible.filter((g) => g.group === groupKey && (g.access ?? "member") === access);
        const own = groupPolicies.filter(
          (p) => p.target.kind === "group" && p.target.groupKey === groupKey && p.target.access === access,
        );
        if (own.length === 0) {
          if (eligible.length > 0) {
            reportViolation(
              `Group ${groupKey} holds ${heldRoles.map(roleName).join(", ")} and ${eligible.length} principal(s) are eligible for its ${access}ship, but no GroupRoleManagementPolicy (roleId "${access}") governs that activation: reaching the role through the group would be weaker than activating it directly.`,
              eligible[0]!.resource.urn,
            );
          }
          continue;
        }
        if (own.length > 1)
          reportViolation(
            `${own.length} GroupRoleManagementPolicy resources manage the ${access} policy of group ${groupKey}; they would overwrite each other.`,
          );
        for (const p of own)
          for (const role of heldRoles)
            judge(
              p,
              role,
              managed.get(role)!,
              `the ${access} policy of group ${groupKey}, which holds ${roleName(role)}`,
            );
      }
    }
  },
};

/** The context must be declared, available, and carry the model's canonical CA policy for `strength`. */
function contextProblems(
  contextId: string,
  strength: ActivationStrength,
  requesters: readonly string[],
  index: StackIndex,
  caPolicies: ReturnType<typeof stackCaPolicies>,
  breakglass: ReturnType<typeof breakglassKeys>,
): string[] {
  const problems: string[] = [];
  const contexts = index.of(AUTHENTICATION_CONTEXT_TYPE).filter((c) => contextIdOf(c) === contextId);
  if (contexts.length === 0) {
    problems.push(
      `authentication context "${contextId}" is not declared in this stack (${AUTHENTICATION_CONTEXT_TYPE})`,
    );
  } else if (contexts.every((c: PolicyResource) => readBoolean(c.props, "isAvailable") === false)) {
    problems.push(
      `authentication context "${contextId}" is not available (isAvailable false), so no CA policy can target it`,
    );
  }
  const targeting = caPolicies.filter((p) => p.facts.applications.contexts.includes(contextId.toLowerCase()));
  if (targeting.length === 0) {
    problems.push(
      `no Conditional Access policy targets authentication context "${contextId}", so activation forces no fresh MFA`,
    );
    return problems;
  }
  const req = { contextId, strength, breakglass, requesters };
  const known = targeting.filter((p) => p.unresolved.length === 0);
  if (known.some((p) => activationContextGaps(p.facts, req).length === 0)) return problems;
  for (const p of targeting.filter((t) => t.unresolved.length > 0)) {
    problems.push(
      `${p.unresolved.join(", ")} of the Conditional Access policy ${p.resource.name} on authentication context "${contextId}" cannot be known at preview, so the fresh MFA on activation cannot be verified; declare it from config`,
    );
  }
  if (known.length > 0) {
    problems.push(
      `no Conditional Access policy on authentication context "${contextId}" is the model's activation policy for ${STRENGTH_NAMES[strength]}: ${known
        .map((p) => `${p.resource.name}: ${activationContextGaps(p.facts, req).join("; ")}`)
        .join(" | ")}`,
    );
  }
  return problems;
}
