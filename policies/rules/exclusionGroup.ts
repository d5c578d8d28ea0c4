/**
 * exclusion-group — severity critical, mandatory.
 * Controls: Maester MT.1005 (the exclusion every CA policy relies on), ZTA 21835, Microsoft Learn emergency-access
 * guidance (a role-assignable group, so only a Privileged Role Administrator can change it).
 * Catalogue: EXCLUSION-GROUP-EXACT (src/model/catalogue.ts).
 *
 * Adapter only: the declared group(s) named breakglass.groupName become the model's facts and are judged by
 * src/model/exclusionGroup.ts (allow-list: exactly one role-assignable security group whose members are exactly the
 * emergency accounts and whose owners are exactly the declared ones). Members come from the inline `members` list
 * and GroupMember resources; owners from the inline `owners` list, which must be given — left out, azuread makes the
 * deploying identity the owner, who could then exempt anyone from every CA policy. Preview: an unknown entry is
 * identified by the principal resources it came from; one that came from anything else cannot be verified.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  exclusionGroupProblems,
  policyNames,
  providerTypes,
  type ExclusionGroupFacts,
  type MemberSet,
} from "@entra-baseline/model";
import { breakglassView, type BreakglassView } from "../lib/breakglass";
import {
  breakglassGroupNameSchema,
  breakglassObjectIdsSchema,
  breakglassUpnsSchema,
  policyConfig,
  schema,
} from "../lib/config";
import { PRINCIPAL_RESOURCE_TYPES, principalAt, principalOfResource } from "../lib/principals";
import { dependenciesOf, describeResource, indexStack, type StackIndex } from "../lib/stack";
import { UNKNOWN, readArray, readBoolean, readString } from "../lib/values";

export interface ExclusionGroupConfig {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  breakglassGroupName: string;
  groupOwners: string[];
}

/** An inline id list (`members`, `owners`) as keys: known ids, and for unknown entries the principals they came from. */
function listSet(group: PolicyResource, property: string, view: BreakglassView): MemberSet {
  const list = readArray(group.props, property);
  if (list === undefined) return { keys: [], complete: true };
  const entries = list === UNKNOWN ? [UNKNOWN] : list;
  const keys = entries.filter((v): v is string => typeof v === "string").map((v) => v.trim().toLowerCase());
  if (!entries.includes(UNKNOWN)) return { keys, complete: true };
  const deps = dependenciesOf(group, property);
  const principals = deps.filter((d) => PRINCIPAL_RESOURCE_TYPES[d.type] !== undefined);
  // Keys as principalOfResource gives them: a known object id lower-case, else the URN exactly (never case-folded:
  // a resource whose name differs from an emergency account's only in case must not pass for it).
  return {
    keys: [...keys, ...principals.map((d) => principalOfResource(d, view).key)],
    complete: principals.length > 0 && principals.length === deps.length,
  };
}

function groupFacts(group: PolicyResource, index: StackIndex, view: BreakglassView): ExclusionGroupFacts {
  const key = principalOfResource(group, view).key;
  const members = listSet(group, "members", view);
  const keys = [...members.keys];
  let complete = members.complete;
  for (const m of index.of(providerTypes.groupMember)) {
    const value = readString(m.props, "groupObjectId");
    const mine =
      typeof value === "string"
        ? value.trim().toLowerCase() === key.toLowerCase()
        : value === UNKNOWN && dependenciesOf(m, "groupObjectId").some((d) => d.urn === group.urn);
    if (!mine) continue;
    const p = principalAt(m, "memberObjectId", index, view);
    if (!p || p.key.startsWith("unknown:")) complete = false;
    else keys.push(p.key);
  }
  const assignable = readBoolean(group.props, "assignableToRole");
  const security = readBoolean(group.props, "securityEnabled");
  return {
    name: describeResource(group),
    key,
    roleAssignable: assignable === UNKNOWN ? undefined : assignable,
    securityEnabled: security === UNKNOWN ? undefined : security === true,
    members: { keys, complete },
    owners: listSet(group, "owners", view),
  };
}

export const exclusionGroup: StackValidationPolicy = {
  name: policyNames.exclusionGroup,
  description:
    "Exactly one breakglass exclusion group: role-assignable, security-enabled, protected, whose members are exactly the emergency accounts and whose owners are exactly the declared ones (Maester MT.1005, ZTA 21835).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    breakglassGroupName: breakglassGroupNameSchema,
    groupOwners: {
      type: "array",
      items: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" },
      default: [] as string[],
      description:
        "Declared owners of the exclusion group (breakglass.groupOwners); empty: the emergency accounts themselves.",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<ExclusionGroupConfig>(args, exclusionGroup.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    const accounts = [
      ...view.users.map((u) => {
        const p = principalOfResource(u, view);
        return { key: p.key, name: p.label };
      }),
      ...[...view.objectIds]
        .filter((id) => !view.users.some((u) => principalOfResource(u, view).key === id))
        .map((id) => ({ key: id, name: id })),
    ];
    const owners =
      cfg.groupOwners.length > 0 ? cfg.groupOwners.map((o) => ({ key: o.toLowerCase(), name: o })) : accounts;
    const groups = view.groups.map((g) => groupFacts(g, index, view));
    for (const problem of exclusionGroupProblems(groups, { groupName: cfg.breakglassGroupName, accounts, owners })) {
      reportViolation(
        `Breakglass exclusion ${problem.message}.`,
        view.groups.length === 1 ? view.groups[0]!.urn : undefined,
      );
    }
    for (const g of view.groups) {
      if (readArray(g.props, "owners") === undefined) {
        reportViolation(
          `Breakglass exclusion ${describeResource(g)} declares no owners: azuread makes the deploying identity its owner, who could add anyone and exempt them from every CA policy; set owners to the emergency accounts (or breakglass.groupOwners).`,
          g.urn,
        );
      }
      if (!g.opts?.protect) {
        reportViolation(
          `Breakglass exclusion ${describeResource(g)} is not protected (protect: true): deleting it removes the exclusion every Conditional Access policy relies on.`,
          g.urn,
        );
      }
    }
  },
};
