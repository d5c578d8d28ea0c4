/**
 * The stack's Conditional Access policies as the model's facts (src/model/caPolicy.ts): azuread's
 * ConditionalAccessPolicy inputs (azuread field names) and the Graph-written policy's props (Graph's own JSON, read by
 * the model's caPolicyFromGraph). Ids unknown at preview are replaced by keys the model can compare:
 * - when every principal resource whose id is still unknown and that feeds `conditions` is an emergency account or
 *   the exclusion group, an unknown in an exclusion list is theirs (each list takes the keys of its own kind);
 * - otherwise an unknown stays an unknown key, which matches nothing: an exclusion cannot be shown, so the policy
 *   exposes the accounts (fail closed), and an unknown inclusion may be an emergency account.
 */
import type { PolicyResource } from "@pulumi/policy";
import {
  caPolicyFromGraph,
  dynamicTypeToken,
  providerTypes,
  type BreakglassKeys,
  type CaPolicyFacts,
} from "@entra-baseline/model";
import type { BreakglassView } from "./breakglass";
import { PRINCIPAL_RESOURCE_TYPES, principalOfResource } from "./principals";
import { dependenciesOf, type StackIndex } from "./stack";
import { UNKNOWN, containsUnknown, isUnknown, raw, read } from "./values";

/** Types that can feed a CA policy's `conditions` without yielding a user or group id (named locations). */
const NO_PRINCIPAL_ID_TYPES: ReadonlySet<string> = new Set(["azuread:index/namedLocation:NamedLocation"]);

export const CA_POLICY_TYPES = [
  providerTypes.conditionalAccessPolicy,
  dynamicTypeToken("graphConditionalAccessPolicy"),
] as const;

export interface StackCaPolicy {
  resource: PolicyResource;
  facts: CaPolicyFacts;
  /** Top-level fields that were unknown at preview and could not be resolved, for the message. */
  unresolved: string[];
}

/** The stack's emergency principals as the keys the CA facts use. */
export function breakglassKeys(view: BreakglassView): BreakglassKeys {
  return {
    groupKeys: [...view.groupObjectIds, ...view.groups.map((g) => g.urn)],
    accounts: view.users.map((u) => {
      const p = principalOfResource(u, view);
      return { name: p.label, key: p.key };
    }),
  };
}

/** Replaces unknowns in the id lists of `users` by keys, per the rule in the module comment. */
function resolveUserLists(
  r: PolicyResource,
  users: Record<string, unknown>,
  view: BreakglassView,
  names: Record<string, string>,
): Record<string, unknown> {
  // propertyDependencies are per top-level property: they say which resources fed `conditions`, not which unknown
  // came from which. So an unknown exclusion is taken as an emergency principal's only when every other source of
  // `conditions` provably yields no id there: a principal whose id is already known, or a type on the allow-list.
  const deps = dependenciesOf(r, "conditions");
  const emergency = (d: PolicyResource) => view.userUrns.has(d.urn) || view.groupUrns.has(d.urn);
  const pending = deps.filter(
    (d) => PRINCIPAL_RESOURCE_TYPES[d.type] !== undefined && principalOfResource(d, view).key === d.urn,
  );
  const onlyEmergency = deps.every(
    (d) =>
      emergency(d) ||
      (PRINCIPAL_RESOURCE_TYPES[d.type] !== undefined && principalOfResource(d, view).key !== d.urn) ||
      NO_PRINCIPAL_ID_TYPES.has(d.type),
  );
  const groupKeys = pending.filter((d) => view.groupUrns.has(d.urn)).map((d) => d.urn);
  const userKeys = pending.filter((d) => view.userUrns.has(d.urn)).map((d) => d.urn);
  const out: Record<string, unknown> = { ...users };
  for (const [graphName, field] of Object.entries(names)) {
    const value = users[field];
    const list = isUnknown(value)
      ? [UNKNOWN]
      : Array.isArray(value)
        ? value.map((v) => (isUnknown(v) ? UNKNOWN : v))
        : value;
    if (!Array.isArray(list)) {
      out[graphName] = list;
      continue;
    }
    const keys = graphName.endsWith("Groups") ? [...groupKeys] : graphName.endsWith("Users") ? [...userKeys] : [];
    const exclusion = graphName.startsWith("exclude");
    out[graphName] = list.map((v, i) => {
      if (v !== UNKNOWN) return v;
      // An unknown exclusion is an emergency principal only when nothing else unknown could be it.
      if (exclusion && onlyEmergency && keys.length > 0) return keys.shift()!;
      return `unknown:${r.urn}:${graphName}[${i}]`;
    });
  }
  return out;
}

const AZUREAD_USER_FIELDS: Record<string, string> = {
  includeUsers: "includedUsers",
  excludeUsers: "excludedUsers",
  includeGroups: "includedGroups",
  excludeGroups: "excludedGroups",
  includeRoles: "includedRoles",
  excludeRoles: "excludedRoles",
};
const GRAPH_USER_FIELDS: Record<string, string> = Object.fromEntries(
  Object.keys(AZUREAD_USER_FIELDS).map((k) => [k, k]),
);

/** azuread ConditionalAccessPolicyArgs (plain) → Graph JSON, so one translation (the model's) makes the facts. */
function azureadToGraph(p: Record<string, unknown>, users: Record<string, unknown>): Record<string, unknown> {
  const c = (raw(p.conditions) ?? {}) as Record<string, any>;
  const apps = (c.applications ?? {}) as Record<string, unknown>;
  const g = (raw(p.grantControls) ?? undefined) as Record<string, unknown> | undefined;
  const s = (raw(p.sessionControls) ?? {}) as Record<string, unknown>;
  const strength = g?.authenticationStrengthPolicyId;
  const other = Object.fromEntries(
    Object.entries(c).filter(([k]) => !["users", "applications", "clientAppTypes", "clientApplications"].includes(k)),
  );
  return {
    displayName: p.displayName,
    state: p.state,
    conditions: {
      ...other,
      clientAppTypes: c.clientAppTypes,
      applications: {
        includeApplications: apps.includedApplications,
        excludeApplications: apps.excludedApplications,
        includeUserActions: apps.includedUserActions,
        applicationFilter: apps.filter,
      },
      users: {
        ...users,
        includeGuestsOrExternalUsers: (c.users as Record<string, unknown> | undefined)?.includedGuestsOrExternalUsers,
        excludeGuestsOrExternalUsers: (c.users as Record<string, unknown> | undefined)?.excludedGuestsOrExternalUsers,
      },
      clientApplications: c.clientApplications
        ? {
            includeServicePrincipals: c.clientApplications.includedServicePrincipals,
            excludeServicePrincipals: c.clientApplications.excludedServicePrincipals,
            servicePrincipalFilter: c.clientApplications.filter,
          }
        : undefined,
    },
    grantControls: g && {
      operator: g.operator,
      builtInControls: g.builtInControls,
      customAuthenticationFactors: g.customAuthenticationFactors,
      termsOfUse: g.termsOfUses,
      authenticationStrength: typeof strength === "string" ? { id: strength.split("/").pop() } : undefined,
    },
    sessionControls: {
      signInFrequency:
        s.signInFrequencyInterval !== undefined || s.signInFrequency !== undefined
          ? {
              isEnabled: true,
              frequencyInterval: s.signInFrequencyInterval ?? "timeBased",
              authenticationType: s.signInFrequencyAuthenticationType,
            }
          : undefined,
    },
  };
}

/** Every CA policy the stack declares, as facts (unknown top-level fields reported, not guessed). */
export function stackCaPolicies(index: StackIndex, view: BreakglassView): StackCaPolicy[] {
  const out: StackCaPolicy[] = [];
  for (const type of CA_POLICY_TYPES) {
    for (const r of index.of(type)) {
      const p = raw(r.props) as Record<string, unknown>;
      const graphShape = type === providerTypes.conditionalAccessPolicy;
      const usersRaw = (read(p, "conditions", "users") ?? {}) as Record<string, unknown> | typeof UNKNOWN;
      const unresolved: string[] = [];
      if (usersRaw === UNKNOWN) unresolved.push("conditions.users");
      const users = resolveUserLists(
        r,
        usersRaw === UNKNOWN ? {} : (raw(usersRaw) as Record<string, unknown>),
        view,
        graphShape ? AZUREAD_USER_FIELDS : GRAPH_USER_FIELDS,
      );
      const graph = graphShape
        ? azureadToGraph(p, users)
        : { ...p, conditions: { ...((raw(p.conditions) as Record<string, unknown>) ?? {}), users } };
      for (const field of ["state", "grantControls", "sessionControls"])
        if (containsUnknown(read(p, field))) unresolved.push(field);
      for (const field of ["applications", "clientAppTypes", "platforms", "locations", "devices"]) {
        if (containsUnknown(read(p, "conditions", field))) unresolved.push(`conditions.${field}`);
      }
      const facts = caPolicyFromGraph(graph);
      out.push({
        resource: r,
        facts: { ...facts, name: typeof p.displayName === "string" ? p.displayName : r.name },
        unresolved,
      });
    }
  }
  return out;
}
