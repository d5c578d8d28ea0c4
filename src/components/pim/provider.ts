/**
 * The dynamic provider behind RoleManagementPolicy: owns the Global Administrator role's PIM policy rules through
 * Microsoft Graph (docs/references.md, "PIM for directory roles"). There is one policy per role, it cannot be created or deleted, and its rules are
 * changed with PATCH only, so "create" and "update" both mean: converge the owned rules, then prove they stuck.
 *
 * Pulumi serializes this object into the state and runs it in a separate process: it captures no client, token or
 * secret, and builds a GraphClient (default credential chain) inside every method from the props' connection (the
 * stack's Graph host, login authority and tenant: src/graph/dynamicProvider.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GraphClient } from "../../graph/client";
import {
  connectionChanges,
  connectionOf,
  during as duringStep,
  expectObject,
  graphClientFor,
  type GraphConnection,
  unexpectedAnswer,
} from "../../graph/dynamicProvider";
import {
  type ActivationPolicySettings,
  describeDifference,
  desiredRules,
  patchBody,
  patchOrder,
  policyDifferences,
  type PolicyRule,
  type RuleDifference,
  ruleDifferences,
  settingsDifferences,
  settingsFromRules,
} from "@entra-baseline/model";

/** The resource's inputs: exactly the settings shape the policy pack and the audit read, plus where to act. */
export interface RoleManagementPolicyInputs extends ActivationPolicySettings, GraphConnection {}

export interface RoleManagementPolicyOutputs extends RoleManagementPolicyInputs {
  /** The tenant's policy id (`DirectoryRole_{tenantId}_{guid}`), looked up by role; also the resource id. */
  policyId: string;
  /**
   * Owned rule fields that differ from what the settings imply but have no settings field of their own (an approval
   * stage timeout, a notification level, extra recipients on one alert…). Empty after every create/update; a
   * refresh that finds some makes the next `pulumi up` repair them.
   */
  ruleDrift: string[];
}

interface PolicyAssignment {
  id?: string;
  policyId?: string;
  roleDefinitionId?: string;
  policy?: { id?: string; rules?: PolicyRule[] };
}

const GUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const RESOURCE = "RoleManagementPolicy";

/** Runs `step`, prefixing any failure with what the resource was doing (Graph's message, with the permission, stays). */
function during<T>(what: string, step: () => Promise<T>): Promise<T> {
  return duringStep(RESOURCE, what, step);
}

/** Rules as Graph listed them, checked to be rules (an object with a string id) before anything is compared or written. */
function asRules(value: unknown, call: string): PolicyRule[] {
  if (!Array.isArray(value)) throw unexpectedAnswer(call, "a list of rules", value);
  return value.map((rule, i) => {
    const r = expectObject(rule, `${call} (rule ${i})`);
    if (typeof r.id !== "string" || typeof r["@odata.type"] !== "string")
      throw unexpectedAnswer(`${call} (rule ${i})`, "a rule with an id and an @odata.type", rule);
    return r as PolicyRule;
  });
}

/** The role's one policy assignment, found by role (policy ids differ per tenant: never hard-coded). */
async function findPolicy(
  client: GraphClient,
  roleDefinitionId: string,
): Promise<{ policyId: string; rules: PolicyRule[] }> {
  if (!GUID_SHAPE.test(roleDefinitionId))
    throw new Error(`roleDefinitionId "${roleDefinitionId}" is not a role template id (GUID)`);
  const filter = `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roleDefinitionId}'`;
  const assignments = await during(`looking up the PIM policy of role ${roleDefinitionId}`, () =>
    client.list<PolicyAssignment>(
      `/v1.0/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(filter)}&$expand=policy($expand=rules)`,
    ),
  );
  if (assignments.length !== 1) {
    const found = assignments
      .map((a) => (a as PolicyAssignment | null)?.policyId ?? (a as PolicyAssignment | null)?.id)
      .join(", ");
    throw new Error(
      `RoleManagementPolicy: expected exactly one PIM policy assignment for role ${roleDefinitionId} at scope "/", found ${assignments.length}` +
        (found ? ` (${found})` : ". PIM for directory roles needs Entra ID P2 (or ID Governance) in the tenant") +
        ". Nothing was changed.",
    );
  }
  const lookup = "GET /v1.0/policies/roleManagementPolicyAssignments";
  const assignment = expectObject(assignments[0], lookup) as PolicyAssignment;
  const policyId = assignment.policyId ?? assignment.policy?.id;
  if (typeof policyId !== "string" || policyId === "") {
    throw new Error(
      `RoleManagementPolicy: the policy assignment of role ${roleDefinitionId} names no policy id (${lookup} answered ${JSON.stringify(assignment).slice(0, 200)}). Nothing was changed.`,
    );
  }
  const rulesPath = `/v1.0/policies/roleManagementPolicies/${encodeURIComponent(policyId)}/rules`;
  const rules = await during(`reading the rules of policy ${policyId}`, async () =>
    assignment.policy?.rules !== undefined
      ? asRules(assignment.policy.rules, `${lookup} ($expand=policy($expand=rules))`)
      : asRules(await client.list<unknown>(rulesPath), `GET ${rulesPath}`),
  );
  return { policyId, rules };
}

function outputsFrom(
  inputs: GraphConnection & Pick<RoleManagementPolicyInputs, "roleDefinitionId">,
  policyId: string,
  rules: PolicyRule[],
): RoleManagementPolicyOutputs {
  let settings: ActivationPolicySettings;
  try {
    settings = settingsFromRules(inputs.roleDefinitionId, rules);
  } catch (e) {
    throw new Error(`${RESOURCE}: reading policy ${policyId}: ${(e as Error).message}`, { cause: e });
  }
  return {
    ...settings,
    graphEndpoint: inputs.graphEndpoint,
    loginEndpoint: inputs.loginEndpoint,
    tenantId: inputs.tenantId,
    policyId,
    ruleDrift: policyDifferences(desiredRules(settings), rules).map(describeDifference),
  };
}

/**
 * Converges the owned rules: PATCH only those that differ, each with its full documented body, then read every
 * patched rule back. Graph has been seen to answer 204 to a PATCH it did not apply (msgraph provider #75); that
 * must fail the deployment with the rule and field named, not turn into a diff on every run.
 */
async function applyPolicy(inputs: RoleManagementPolicyInputs): Promise<RoleManagementPolicyOutputs> {
  const client = graphClientFor(inputs, RESOURCE);
  const { policyId, rules } = await findPolicy(client, inputs.roleDefinitionId);
  const live = new Map(rules.map((r) => [r.id, r]));
  const rulePath = (ruleId: string) =>
    `/v1.0/policies/roleManagementPolicies/${encodeURIComponent(policyId)}/rules/${encodeURIComponent(ruleId)}`;
  const desired = patchOrder(desiredRules(inputs), inputs);
  // Every owned rule must exist before the first write: stopping half-way would leave a mix of old and new rules.
  const missing = desired.filter((d) => !live.has(d.id)).map((d) => d.id);
  if (missing.length > 0) {
    throw new Error(
      `${RESOURCE}: policy ${policyId} has no rule ${missing.map((id) => `"${id}"`).join(", ")} (expected the 17 documented rules). Nothing was changed.`,
    );
  }
  const updated: string[] = [];
  const notPersisted: RuleDifference[] = [];
  for (const rule of desired) {
    const current = live.get(rule.id)!;
    if (ruleDifferences(rule, current).length === 0) continue;
    // A failure after some rules were written says which: the operator sees what the tenant now holds.
    const sofar = () =>
      updated.length > 0
        ? ` (already updated: ${updated.join(", ")}; the next run converges the rest)`
        : " (nothing was changed)";
    await during(`updating rule ${rule.id} of policy ${policyId}${sofar()}`, () =>
      client.patch(rulePath(rule.id), patchBody(rule, current)),
    );
    updated.push(rule.id);
    const readBack = await during(`reading back rule ${rule.id} of policy ${policyId}`, async () => {
      const answer = await client.get<unknown>(rulePath(rule.id));
      return asRules([answer], `GET ${rulePath(rule.id)}`)[0]!;
    });
    live.set(rule.id, readBack);
    notPersisted.push(...ruleDifferences(rule, readBack));
  }
  if (notPersisted.length > 0) {
    throw new Error(
      `RoleManagementPolicy: Graph accepted the update of policy ${policyId} but reading it back shows it did not persist:\n` +
        notPersisted.map((d) => `  - ${describeDifference(d)}`).join("\n") +
        "\nRetrying will not help until the cause is found (a conflicting setting, an Entra ID P2 limit, or a Graph fault); check the rule in the Entra portal.",
    );
  }
  return outputsFrom(inputs, policyId, [...live.values()]);
}

async function readPolicy(connection: GraphConnection, roleDefinitionId: string): Promise<RoleManagementPolicyOutputs> {
  const client = graphClientFor(connection, RESOURCE);
  const { policyId, rules } = await findPolicy(client, roleDefinitionId);
  return outputsFrom({ ...connection, roleDefinitionId }, policyId, rules);
}

export const roleManagementPolicyProvider: pulumi.dynamic.ResourceProvider<
  RoleManagementPolicyInputs,
  RoleManagementPolicyOutputs
> = {
  async diff(_id, olds, news) {
    // A different role is a different policy: replace (delete leaves the old rules in place).
    const replaces =
      String(olds.roleDefinitionId).toLowerCase() !== String(news.roleDefinitionId).toLowerCase()
        ? ["roleDefinitionId"]
        : [];
    const changed = settingsDifferences(olds, news);
    // A changed (or, in state written before tenant pinning, absent) connection updates without writing anything
    // the tenant already holds, so that refresh and delete run the program's connection and code (dynamicProvider.ts).
    const changes =
      replaces.length > 0 ||
      changed.length > 0 ||
      connectionChanges(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>).length >
        0 ||
      (olds.ruleDrift ?? []).length > 0;
    return { changes, replaces };
  },

  async create(inputs) {
    const outs = await applyPolicy(inputs);
    return { id: outs.policyId, outs };
  },

  async update(_id, _olds, news) {
    return { outs: await applyPolicy(news) };
  },

  /** The live rules mapped back to the settings shape, so that `pulumi refresh` shows out-of-band changes. */
  async read(id, props) {
    const connection = connectionOf(RESOURCE, props);
    if (!props?.roleDefinitionId)
      throw new Error(`${RESOURCE}: cannot read policy ${id} without roleDefinitionId in its state`);
    const outs = await readPolicy(connection, props.roleDefinitionId);
    return { id: outs.policyId, props: outs };
  },

  /**
   * Role management policies cannot be deleted and their rules have no "unset": the tenant keeps the last rules
   * written. Said on stderr because a dynamic provider has no engine connection for pulumi.log (the CLI shows
   * provider output since pulumi/pulumi#18253).
   */
  async delete(id) {
    console.warn(
      `RoleManagementPolicy: removed from the stack only. PIM policy ${id} keeps its current rules in the tenant ` +
        "(role management policies cannot be deleted); change them in Entra ID > PIM > Roles > Settings if needed.",
    );
  },
};
