/**
 * A fake of PIM for directory roles on top of the loopback Graph: per-role policies with the 17 documented rules in
 * the shapes Graph returns (microsoft-graph-docs-contrib, "List roleManagementPolicyAssignments" example 2: rules in
 * that order, `operations: ["all"]` lower-case, approvers with `isBackup`/`id`/`description`), the assignment
 * lookup (with its mandatory `$filter`, `$expand=policy($expand=rules)` and optional paging), single-rule GET and
 * PATCH (→ 204, body checked for the derived `@odata.type`, `id` and `target`).
 *
 * Fault hooks for tests: `dropPatches` (Graph answers 204 but keeps the old value), `setRule` (an out-of-band change
 * in the portal), `pages`/`extraAssignments` (paging and ambiguous lookups). The audit tests reuse the builder.
 */
import { GLOBAL_ADMINISTRATOR, type PolicyRule } from "@entra-baseline/model";
import { graphError, type FakeGraph, type FakeRequest, type FakeResponse } from "./graphServer";

export const FAKE_TENANT_ID = "cab01047-8ad9-4792-8e42-569340767f1b";

type Json = Record<string, unknown>;

function target(caller: string, level: string): PolicyRule["target"] {
  return {
    caller: caller as PolicyRule["target"]["caller"],
    operations: ["all"],
    level: level as PolicyRule["target"]["level"],
    inheritableSettings: [],
    enforcedSettings: [],
  };
}

const T = "#microsoft.graph.unifiedRoleManagementPolicy";

function notification(recipient: string, caller: string, level: string): PolicyRule {
  return {
    "@odata.type": `${T}NotificationRule`,
    id: `Notification_${recipient}_${caller}_${level}`,
    notificationType: "Email",
    recipientType: recipient,
    notificationLevel: "All",
    isDefaultRecipientsEnabled: true,
    notificationRecipients: [],
    target: target(caller, level),
  };
}

/**
 * The 17 rules of a directory role's policy as a fresh tenant has them (documented example): eligibility may be
 * permanent, active assignment may be permanent, activation up to 8 h with MFA + justification, no approval, no
 * authentication context, default notifications only.
 */
export function defaultPolicyRules(): PolicyRule[] {
  return [
    {
      "@odata.type": `${T}ExpirationRule`,
      id: "Expiration_Admin_Eligibility",
      isExpirationRequired: false,
      maximumDuration: "P365D",
      target: target("Admin", "Eligibility"),
    },
    {
      "@odata.type": `${T}EnablementRule`,
      id: "Enablement_Admin_Eligibility",
      enabledRules: [],
      target: target("Admin", "Eligibility"),
    },
    notification("Admin", "Admin", "Eligibility"),
    notification("Requestor", "Admin", "Eligibility"),
    notification("Approver", "Admin", "Eligibility"),
    {
      "@odata.type": `${T}ExpirationRule`,
      id: "Expiration_Admin_Assignment",
      isExpirationRequired: false,
      maximumDuration: "P180D",
      target: target("Admin", "Assignment"),
    },
    {
      "@odata.type": `${T}EnablementRule`,
      id: "Enablement_Admin_Assignment",
      enabledRules: ["Justification"],
      target: target("Admin", "Assignment"),
    },
    notification("Admin", "Admin", "Assignment"),
    notification("Requestor", "Admin", "Assignment"),
    notification("Approver", "Admin", "Assignment"),
    {
      "@odata.type": `${T}ExpirationRule`,
      id: "Expiration_EndUser_Assignment",
      isExpirationRequired: true,
      maximumDuration: "PT8H",
      target: target("EndUser", "Assignment"),
    },
    {
      "@odata.type": `${T}EnablementRule`,
      id: "Enablement_EndUser_Assignment",
      enabledRules: ["MultiFactorAuthentication", "Justification"],
      target: target("EndUser", "Assignment"),
    },
    {
      "@odata.type": `${T}ApprovalRule`,
      id: "Approval_EndUser_Assignment",
      target: target("EndUser", "Assignment"),
      setting: {
        isApprovalRequired: false,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: "SingleStage",
        approvalStages: [
          {
            approvalStageTimeOutInDays: 1,
            isApproverJustificationRequired: true,
            escalationTimeInMinutes: 0,
            isEscalationEnabled: false,
            primaryApprovers: [],
            escalationApprovers: [],
          },
        ],
      },
    },
    {
      "@odata.type": `${T}AuthenticationContextRule`,
      id: "AuthenticationContext_EndUser_Assignment",
      isEnabled: false,
      claimValue: null,
      target: target("EndUser", "Assignment"),
    },
    notification("Admin", "EndUser", "Assignment"),
    notification("Requestor", "EndUser", "Assignment"),
    notification("Approver", "EndUser", "Assignment"),
  ];
}

/**
 * What Graph stores and returns for a PATCH body: only the fields a rule type has, `operations` lower-cased, the
 * `@odata.type` annotations of nested objects dropped, approvers with the extra fields Graph adds.
 */
function asStored(current: PolicyRule, body: Json): PolicyRule {
  const next: Json = structuredClone(current);
  for (const [key, value] of Object.entries(body)) {
    if (key === "@odata.type" || key === "id" || !(key in current)) continue;
    next[key] = structuredClone(value);
  }
  const t = next.target as Json;
  delete t["@odata.type"];
  t.operations = (t.operations as string[]).map((o) => o.toLowerCase());
  if (next.setting && typeof next.setting === "object") {
    const setting = next.setting as Json;
    delete setting["@odata.type"];
    for (const stage of (setting.approvalStages as Json[]) ?? []) {
      delete stage["@odata.type"];
      for (const key of ["primaryApprovers", "escalationApprovers"]) {
        stage[key] = ((stage[key] as Json[]) ?? []).map((a) => ({
          ...a,
          isBackup: a.isBackup ?? false,
          id: a.id ?? null,
          description: a.description ?? null,
        }));
      }
    }
  }
  return next as PolicyRule;
}

export interface FakePimOptions {
  /** Roles with a policy; Global Administrator by default. A second role proves the lookup filters by role. */
  roles?: string[];
  /** Split the assignment lookup over this many pages (the leading ones empty), linked by @odata.nextLink. */
  pages?: number;
  /** Extra assignments returned for a role, e.g. to make the lookup ambiguous. */
  extraAssignments?: { roleDefinitionId: string; policyId: string }[];
}

/** Route patterns, exported so tests can queue faults on them with `graph.failNext(method, pattern, …)`. */
export const PIM_ROUTES = {
  assignments: "/v1.0/policies/roleManagementPolicyAssignments",
  rules: /^\/v1\.0\/policies\/roleManagementPolicies\/[^/]+\/rules$/,
  rule: /^\/v1\.0\/policies\/roleManagementPolicies\/[^/]+\/rules\/[^/]+$/,
} as const;

export class FakePimPolicies {
  /** policyId → ruleId → rule (as Graph stores it). */
  readonly policies = new Map<string, Map<string, PolicyRule>>();
  readonly policyIdByRole = new Map<string, string>();
  /** PIM-for-Groups policies: group id → access ("member" | "owner") → rules. */
  readonly groupPolicies = new Map<string, Record<string, PolicyRule[]>>();
  /** `${policyId}/${ruleId}` → fields whose PATCH Graph acknowledges and drops ("*" = the whole rule). */
  private readonly dropped = new Map<string, Set<string>>();

  constructor(private readonly options: FakePimOptions = {}) {
    for (const [i, role] of (options.roles ?? [GLOBAL_ADMINISTRATOR]).entries()) {
      const policyId = `DirectoryRole_${FAKE_TENANT_ID}_${(70_000_000 + i).toString(16).padStart(8, "0")}-0d35-4863-a0ba-07888e99d448`;
      this.policyIdByRole.set(role.toLowerCase(), policyId);
      this.policies.set(policyId, new Map(defaultPolicyRules().map((r) => [r.id, r])));
    }
  }

  /** Adds a role with its default policy (a tenant has one policy per role). */
  addRole(roleDefinitionId: string): this {
    const role = roleDefinitionId.toLowerCase();
    if (this.policyIdByRole.has(role)) return this;
    const policyId = `DirectoryRole_${FAKE_TENANT_ID}_${(70_000_000 + this.policyIdByRole.size).toString(16).padStart(8, "0")}-0d35-4863-a0ba-07888e99d448`;
    this.policyIdByRole.set(role, policyId);
    this.policies.set(policyId, new Map(defaultPolicyRules().map((r) => [r.id, r])));
    return this;
  }

  policyIdOf(roleDefinitionId: string = GLOBAL_ADMINISTRATOR): string {
    const id = this.policyIdByRole.get(roleDefinitionId.toLowerCase());
    if (!id) throw new Error(`fake PIM: no policy for role ${roleDefinitionId}`);
    return id;
  }

  rule(ruleId: string, roleDefinitionId: string = GLOBAL_ADMINISTRATOR): PolicyRule {
    const rule = this.policies.get(this.policyIdOf(roleDefinitionId))!.get(ruleId);
    if (!rule) throw new Error(`fake PIM: no rule ${ruleId}`);
    return rule;
  }

  rules(roleDefinitionId: string = GLOBAL_ADMINISTRATOR): PolicyRule[] {
    return [...this.policies.get(this.policyIdOf(roleDefinitionId))!.values()];
  }

  /** An out-of-band change (someone in the portal): merges `fields` into the stored rule. */
  setRule(ruleId: string, fields: Json, roleDefinitionId: string = GLOBAL_ADMINISTRATOR): this {
    const policy = this.policies.get(this.policyIdOf(roleDefinitionId))!;
    policy.set(ruleId, {
      ...structuredClone(this.rule(ruleId, roleDefinitionId)),
      ...structuredClone(fields),
    } as PolicyRule);
    return this;
  }

  /** Replaces every rule, e.g. with rules already compliant with a configuration. */
  setRules(rules: PolicyRule[], roleDefinitionId: string = GLOBAL_ADMINISTRATOR): this {
    const policy = this.policies.get(this.policyIdOf(roleDefinitionId))!;
    for (const r of rules) policy.set(r.id, asStored(policy.get(r.id) ?? r, r as Json));
    return this;
  }

  /** Graph answers 204 to PATCHes of this rule but keeps the old value of `field` (or of the whole rule). */
  dropPatches(ruleId: string, field = "*", roleDefinitionId: string = GLOBAL_ADMINISTRATOR): this {
    const key = `${this.policyIdOf(roleDefinitionId)}/${ruleId}`;
    const set = this.dropped.get(key) ?? new Set<string>();
    set.add(field);
    this.dropped.set(key, set);
    return this;
  }

  /** Registers the Graph routes of PIM policies on the fake server. */
  install(graph: FakeGraph): this {
    graph.route("GET", PIM_ROUTES.assignments, (req) => this.listAssignments(graph, req));
    graph.route("GET", PIM_ROUTES.rules, (req) => {
      const policy = this.policies.get(segment(req, 4));
      return policy ? { body: { value: [...policy.values()] } } : notFound(req);
    });
    graph.route("GET", PIM_ROUTES.rule, (req) => {
      const rule = this.policies.get(segment(req, 4))?.get(segment(req, 6));
      if (!rule) return notFound(req);
      return {
        body: {
          "@odata.context": `${graph.url}/v1.0/$metadata#policies/roleManagementPolicies('${segment(req, 4)}')/rules/$entity`,
          ...rule,
        },
      };
    });
    graph.route("PATCH", PIM_ROUTES.rule, (req) => this.patch(req));
    return this;
  }

  private listAssignments(graph: FakeGraph, req: FakeRequest): FakeResponse {
    const filter = req.url.searchParams.get("$filter");
    if (!filter)
      return { status: 400, body: graphError("BadRequest", "The $filter query parameter is required for this API.") };
    const scopeId = /scopeId eq '([^']*)'/.exec(filter)?.[1];
    const scopeType = /scopeType eq '([^']*)'/.exec(filter)?.[1];
    const role = /roleDefinitionId eq '([^']*)'/.exec(filter)?.[1]?.toLowerCase();
    const expand = req.url.searchParams.get("$expand") === "policy($expand=rules)";
    if (scopeType === "Group" && scopeId) {
      // PIM for Groups: a group has policies only once onboarded; "member" and "owner" are its two role ids.
      const group = this.groupPolicies.get(scopeId.toLowerCase()) ?? {};
      const value = Object.entries(group)
        .filter(([access]) => role === undefined || access === role)
        .map(([access, rules]) => {
          const policyId = `Group_${scopeId}_${access === "member" ? "1" : "2"}${"0".repeat(7)}-0d35-4863-a0ba-07888e99d448`;
          return {
            id: `${policyId}_${access}`,
            policyId,
            scopeId,
            scopeType: "Group",
            roleDefinitionId: access,
            ...(expand ? { policy: { id: policyId, displayName: "Group", scopeId, scopeType: "Group", rules } } : {}),
          };
        });
      return { body: { value } };
    }
    if (scopeId !== "/" || (scopeType !== "DirectoryRole" && scopeType !== "Directory")) {
      return { status: 400, body: graphError("BadRequest", `Unsupported filter ${filter}`) };
    }
    const matching = [...this.policyIdByRole.entries()]
      .filter(([r]) => role === undefined || r === role)
      .map(([r, policyId]) => ({ roleDefinitionId: r, policyId }))
      .concat(
        (this.options.extraAssignments ?? []).filter(
          (a) => role === undefined || a.roleDefinitionId.toLowerCase() === role,
        ),
      );
    const value = matching.map(({ roleDefinitionId, policyId }) => ({
      id: `${policyId}_${roleDefinitionId}`,
      policyId,
      scopeId: "/",
      scopeType,
      roleDefinitionId,
      ...(expand
        ? {
            policy: {
              id: policyId,
              displayName: "DirectoryRole",
              description: "DirectoryRole",
              isOrganizationDefault: false,
              scopeId: "/",
              scopeType: "DirectoryRole",
              lastModifiedDateTime: null,
              lastModifiedBy: { displayName: null, id: null },
              rules: [...(this.policies.get(policyId)?.values() ?? defaultPolicyRules())],
            },
          }
        : {}),
    }));
    // Paging: pages before the last are empty and link on with an opaque token (as Graph may do).
    const pages = this.options.pages ?? 1;
    const page = Number(req.url.searchParams.get("$skiptoken") ?? 0);
    const context = `${graph.url}/v1.0/$metadata#policies/roleManagementPolicyAssignments`;
    if (page < pages - 1) {
      const next = new URL(`${graph.url}/v1.0/policies/roleManagementPolicyAssignments`);
      next.searchParams.set("$filter", filter);
      if (expand) next.searchParams.set("$expand", "policy($expand=rules)");
      next.searchParams.set("$skiptoken", String(page + 1));
      return { body: { "@odata.context": context, value: [], "@odata.nextLink": next.toString() } };
    }
    return { body: { "@odata.context": context, value } };
  }

  private patch(req: FakeRequest): FakeResponse {
    const policyId = segment(req, 4);
    const ruleId = segment(req, 6);
    const policy = this.policies.get(policyId);
    const current = policy?.get(ruleId);
    if (!policy || !current) return notFound(req);
    const body = req.body as Json;
    if (!body || typeof body !== "object") return badRequest("The request body is missing.");
    if (body["@odata.type"] !== current["@odata.type"]) {
      return badRequest(
        `The @odata.type of the rule must be ${current["@odata.type"]} (got ${String(body["@odata.type"])}).`,
      );
    }
    if (body.id !== ruleId)
      return badRequest(`The id in the body (${String(body.id)}) does not match the rule ${ruleId}.`);
    const t = body.target as Json | undefined;
    if (!t || t.caller !== current.target.caller || t.level !== current.target.level || !Array.isArray(t.operations)) {
      return badRequest(
        `The target of rule ${ruleId} must carry caller ${current.target.caller}, level ${current.target.level} and operations.`,
      );
    }
    const stored = asStored(current, body);
    const dropped = this.dropped.get(`${policyId}/${ruleId}`);
    if (dropped?.has("*")) return { status: 204 };
    for (const field of dropped ?? []) (stored as Json)[field] = structuredClone((current as Json)[field]);
    policy.set(ruleId, stored);
    return { status: 204 };
  }
}

function segment(req: FakeRequest, index: number): string {
  return decodeURIComponent(req.url.pathname.split("/")[index] ?? "");
}

function notFound(req: FakeRequest): FakeResponse {
  return { status: 404, body: graphError("ResourceNotFound", `No resource at ${req.url.pathname}`) };
}

function badRequest(message: string): FakeResponse {
  return { status: 400, body: graphError("BadRequest", message) };
}
