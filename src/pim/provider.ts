/**
 * The dynamic provider behind RoleManagementPolicy: owns the Global Administrator role's PIM policy rules through
 * Microsoft Graph (reference §1). There is one policy per role, it cannot be created or deleted, and its rules are
 * changed with PATCH only, so "create" and "update" both mean: converge the owned rules, then prove they stuck.
 *
 * Pulumi serializes this object into the state and runs it in a separate process: it captures no client, token or
 * secret, and builds a GraphClient (default credential chain) inside every method from `props.graphEndpoint`.
 */
import type * as pulumi from "@pulumi/pulumi";
import { createGraphClient, type GraphClient } from "../graph/client";
import type { ActivationPolicySettings } from "../model/activationPolicy";
import {
  describeDifference,
  desiredRules,
  patchBody,
  patchOrder,
  policyDifferences,
  ruleDifferences,
  settingsDifferences,
  settingsFromRules,
  type PolicyRule,
  type RuleDifference,
} from "./rules";

/** The resource's inputs: exactly the settings shape the policy pack and the audit read, plus where Graph is. */
export interface RoleManagementPolicyInputs extends ActivationPolicySettings {
  /** Graph base URL without version (config `graph.endpoint`). */
  graphEndpoint: string;
}

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

/** Runs `step`, prefixing any failure with what the resource was doing (Graph's message, with the permission, stays). */
async function during<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const error = e as Error;
    const wrapped = new Error(`RoleManagementPolicy: ${what}: ${error.message}`);
    (wrapped as Error & { cause?: unknown }).cause = error;
    throw wrapped;
  }
}

/** The role's one policy assignment, found by role (policy ids differ per tenant: never hard-coded). */
async function findPolicy(client: GraphClient, roleDefinitionId: string): Promise<{ policyId: string; rules: PolicyRule[] }> {
  if (!GUID_SHAPE.test(roleDefinitionId)) throw new Error(`roleDefinitionId "${roleDefinitionId}" is not a role template id (GUID)`);
  const filter = `scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roleDefinitionId}'`;
  const assignments = await during(`looking up the PIM policy of role ${roleDefinitionId}`, () =>
    client.list<PolicyAssignment>(`/v1.0/policies/roleManagementPolicyAssignments?$filter=${encodeURIComponent(filter)}&$expand=policy($expand=rules)`),
  );
  if (assignments.length !== 1) {
    const found = assignments.map((a) => a.policyId ?? a.id).join(", ");
    throw new Error(
      `RoleManagementPolicy: expected exactly one PIM policy assignment for role ${roleDefinitionId} at scope "/", found ${assignments.length}` +
        (found ? ` (${found})` : ". PIM for directory roles needs Entra ID P2 (or ID Governance) in the tenant") +
        ". Nothing was changed.",
    );
  }
  const assignment = assignments[0]!;
  const policyId = assignment.policyId ?? assignment.policy?.id;
  if (!policyId) throw new Error(`RoleManagementPolicy: the policy assignment of role ${roleDefinitionId} names no policy id. Nothing was changed.`);
  const rules =
    assignment.policy?.rules ??
    (await during(`reading the rules of policy ${policyId}`, () =>
      client.list<PolicyRule>(`/v1.0/policies/roleManagementPolicies/${encodeURIComponent(policyId)}/rules`),
    ));
  return { policyId, rules };
}

function outputsFrom(inputs: Pick<RoleManagementPolicyInputs, "graphEndpoint" | "roleDefinitionId">, policyId: string, rules: PolicyRule[]): RoleManagementPolicyOutputs {
  const settings = settingsFromRules(inputs.roleDefinitionId, rules);
  return {
    ...settings,
    graphEndpoint: inputs.graphEndpoint,
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
  const client = createGraphClient(inputs.graphEndpoint);
  const { policyId, rules } = await findPolicy(client, inputs.roleDefinitionId);
  const live = new Map(rules.map((r) => [r.id, r]));
  const rulePath = (ruleId: string) => `/v1.0/policies/roleManagementPolicies/${encodeURIComponent(policyId)}/rules/${encodeURIComponent(ruleId)}`;
  const notPersisted: RuleDifference[] = [];
  for (const desired of patchOrder(desiredRules(inputs), inputs)) {
    const current = live.get(desired.id);
    if (!current) throw new Error(`RoleManagementPolicy: policy ${policyId} has no rule "${desired.id}" (expected the 17 documented rules). Nothing more was changed.`);
    if (ruleDifferences(desired, current).length === 0) continue;
    await during(`updating rule ${desired.id} of policy ${policyId}`, () => client.patch(rulePath(desired.id), patchBody(desired, current)));
    const readBack = await during(`reading back rule ${desired.id} of policy ${policyId}`, () => client.get<PolicyRule>(rulePath(desired.id)));
    live.set(desired.id, readBack);
    notPersisted.push(...ruleDifferences(desired, readBack));
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

async function readPolicy(graphEndpoint: string, roleDefinitionId: string): Promise<RoleManagementPolicyOutputs> {
  const client = createGraphClient(graphEndpoint);
  const { policyId, rules } = await findPolicy(client, roleDefinitionId);
  return outputsFrom({ graphEndpoint, roleDefinitionId }, policyId, rules);
}

export const roleManagementPolicyProvider: pulumi.dynamic.ResourceProvider<RoleManagementPolicyInputs, RoleManagementPolicyOutputs> = {
  async diff(_id, olds, news) {
    // A different role is a different policy: replace (delete leaves the old rules in place).
    const replaces = String(olds.roleDefinitionId).toLowerCase() !== String(news.roleDefinitionId).toLowerCase() ? ["roleDefinitionId"] : [];
    const changed = settingsDifferences(olds, news);
    const changes =
      replaces.length > 0 || changed.length > 0 || olds.graphEndpoint !== news.graphEndpoint || (olds.ruleDrift ?? []).length > 0;
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
    if (!props?.graphEndpoint || !props.roleDefinitionId) {
      throw new Error(`RoleManagementPolicy: cannot read policy ${id} without graphEndpoint and roleDefinitionId in its state`);
    }
    const outs = await readPolicy(props.graphEndpoint, props.roleDefinitionId);
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
