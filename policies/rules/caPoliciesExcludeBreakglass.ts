/**
 * ca-policies-exclude-breakglass — severity critical, mandatory (a CA policy that catches the emergency accounts
 * can lock the tenant out).
 * Controls: Maester MT.1005 (every CA policy, any state, excludes the emergency user or group), MT.1034,
 * ZTA 21835 (emergency accounts excluded from all CA policies).
 *
 * Applies to azuread.ConditionalAccessPolicy (`conditions.users.excludedGroups/excludedUsers`) and our Graph-written
 * policy (`conditions.users.excludeGroups/excludeUsers`). The shared definition is src/model/breakglassExclusion.ts.
 *
 * Preview: the exclusion group's id is unknown when the group is created in the same update. The policy then passes
 * when its `conditions` came from the breakglass group (propertyDependencies) and the unknown id sits in the
 * exclusion list (not in an inclusion list); likewise for per-user exclusions. Anything else unknown is rejected.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  breakglassExclusionGaps,
  dynamicTypeToken,
  excludesBreakglassGroup,
  policyNames,
  providerTypes,
} from "@entra-baseline/model";
import { breakglassView, objectIdOf, type BreakglassView } from "../lib/breakglass";
import {
  breakglassGroupNameSchema,
  breakglassObjectIdsSchema,
  breakglassUpnsSchema,
  policyConfig,
  schema,
} from "../lib/config";
import { dependenciesOf, describeResource, indexStack } from "../lib/stack";
import { UNKNOWN, read, readArray, readString } from "../lib/values";

export interface CaPoliciesExcludeBreakglassConfig {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  breakglassGroupName: string;
  breakglassGroupObjectIds: string[];
}

/** Resources whose ids can be a group or user in a CA policy's conditions (and so stand in for the breakglass ones). */
const PRINCIPAL_TYPES = new Set<string>([
  providerTypes.group,
  providerTypes.user,
  "azuread:index/servicePrincipal:ServicePrincipal",
  "random:index/randomUuid:RandomUuid",
]);

/** Where each CA policy shape keeps its user conditions. */
const shapes = [
  {
    type: providerTypes.conditionalAccessPolicy,
    excludeGroups: "excludedGroups",
    excludeUsers: "excludedUsers",
    includeGroups: "includedGroups",
    includeUsers: "includedUsers",
  },
  {
    type: dynamicTypeToken("graphConditionalAccessPolicy"),
    excludeGroups: "excludeGroups",
    excludeUsers: "excludeUsers",
    includeGroups: "includeGroups",
    includeUsers: "includeUsers",
  },
];

export const caPoliciesExcludeBreakglass: StackValidationPolicy = {
  name: policyNames.caPoliciesExcludeBreakglass,
  description:
    "Every Conditional Access policy, in any state, excludes the breakglass group or every breakglass account (Maester MT.1005, ZTA 21835).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    breakglassGroupName: breakglassGroupNameSchema,
    breakglassGroupObjectIds: {
      type: "array",
      items: { type: "string" },
      default: [],
      description: "Object ids of an exclusion group not declared in this stack.",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<CaPoliciesExcludeBreakglassConfig>(args, caPoliciesExcludeBreakglass.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    for (const id of cfg.breakglassGroupObjectIds) view.groupObjectIds.add(id.toLowerCase());
    const policies = shapes.flatMap((shape) => index.of(shape.type).map((r) => ({ r, shape })));
    if (policies.length === 0) return;
    if (
      view.users.length === 0 &&
      view.objectIds.size === 0 &&
      view.groups.length === 0 &&
      view.groupObjectIds.size === 0
    ) {
      reportViolation(
        `No breakglass account or exclusion group is known (breakglassUpns, breakglassObjectIds, breakglassGroupName), so none of the ${policies.length} Conditional Access policies can be shown to exclude them.`,
      );
      return;
    }
    for (const { r, shape } of policies) {
      const problem = exclusionProblem(r, shape, view);
      if (problem) reportViolation(`${describeResource(r)} ${problem}`, r.urn);
    }
  },
};

function exclusionProblem(r: PolicyResource, shape: (typeof shapes)[number], view: BreakglassView): string | undefined {
  const users = read(r.props, "conditions", "users");
  if (users === UNKNOWN) {
    return "has conditions that are unknown at preview, so its breakglass exclusion cannot be verified; build `conditions` from plain values and Outputs, not inside apply().";
  }
  const list = (key: string): unknown[] => {
    const v = readArray(users, key);
    return v === UNKNOWN ? [UNKNOWN] : (v ?? []);
  };
  const excludedGroups = list(shape.excludeGroups);
  const excludedUsers = list(shape.excludeUsers);

  // Known ids (update, stack export): the shared definition decides.
  if (excludesBreakglassGroup({ excludedGroupIds: excludedGroups.filter(isString) }, [...view.groupObjectIds]))
    return undefined;
  const knownUserIds = [...view.objectIds];
  const gaps = breakglassExclusionGaps(
    { excludedGroupIds: excludedGroups.filter(isString), excludedUserIds: excludedUsers.filter(isString) },
    { groupIds: [...view.groupObjectIds], userIds: knownUserIds },
  );

  // Preview: an unknown id is trusted only when `conditions` came from the breakglass resource and the unknown
  // cannot be an inclusion.
  const deps = dependenciesOf(r, "conditions");
  const sources = new Set(deps.map((d) => d.urn));
  // propertyDependencies are per top-level property: `conditions` depending on the breakglass group says nothing
  // about *which* unknown came from it. An unknown exclusion is trusted only when no other principal whose id is
  // still unknown feeds `conditions` — else `excludedGroups: [otherGroup.objectId]` next to the breakglass group's
  // id anywhere else in `conditions` would pass.
  const otherUnknownPrincipals = deps.filter(
    (d) =>
      PRINCIPAL_TYPES.has(d.type) &&
      !view.groupUrns.has(d.urn) &&
      !view.userUrns.has(d.urn) &&
      !isString(d.type.startsWith("random:") ? readString(d.props, "result") : objectIdOf(d)),
  );
  const unknownIncluded =
    [...list(shape.includeGroups), ...list(shape.includeUsers)].includes(UNKNOWN) || otherUnknownPrincipals.length > 0;
  if (!unknownIncluded && excludedGroups.includes(UNKNOWN) && view.groups.some((g) => sources.has(g.urn)))
    return undefined;

  const unknownIdUsers = view.users.filter((u) => !isString(objectIdOf(u)));
  const unknownExcluded = excludedUsers.filter((u) => u === UNKNOWN).length;
  const exposed = [
    ...gaps.map((id) => view.users.find((u) => objectIdOf(u) === id)?.name ?? id),
    ...unknownIdUsers
      .filter((u) => unknownIncluded || !sources.has(u.urn) || unknownExcluded < unknownIdUsers.length)
      .map((u) => u.name),
  ];
  const accounts = knownUserIds.length + unknownIdUsers.length;
  if (accounts > 0 && exposed.length === 0) return undefined;
  return `does not exclude the breakglass group${exposed.length > 0 ? ` nor breakglass account(s) ${exposed.join(", ")}` : ""}; a policy that catches the emergency accounts can lock the tenant out (Maester MT.1005).`;
}

function isString(v: unknown): v is string {
  return typeof v === "string";
}
