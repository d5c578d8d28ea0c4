/**
 * Principals as the model's facts need them: a key (the object id when known, else the URN of the resource the
 * value came from, which is what identifies the principal at preview), its type, a label and whether it is an
 * emergency account. The model compares keys only; this module is the one place a stack's property is turned into
 * one, so every rule resolves preview-time unknowns the same way.
 */
import type { PolicyResource } from "@pulumi/policy";
import { providerTypes, type PrincipalFacts } from "@entra-baseline/model";
import { objectIdOf, type BreakglassView } from "./breakglass";
import { dependenciesOf, type StackIndex } from "./stack";
import { UNKNOWN, isUnknown, readString } from "./values";

/** Resource types whose object id is a principal, and what kind. */
export const PRINCIPAL_RESOURCE_TYPES: Readonly<Record<string, PrincipalFacts["type"]>> = {
  [providerTypes.user]: "user",
  [providerTypes.group]: "group",
  [providerTypes.servicePrincipal]: "servicePrincipal",
};

function labelOf(r: PolicyResource): string {
  const upn = readString(r.props, "userPrincipalName");
  const name = readString(r.props, "displayName");
  return typeof upn === "string" ? upn : typeof name === "string" ? name : r.name;
}

/** The facts of a principal resource declared in the stack. */
export function principalOfResource(r: PolicyResource, view: BreakglassView): PrincipalFacts {
  const id = objectIdOf(r);
  return {
    key: typeof id === "string" ? id : r.urn,
    ...(typeof id === "string" ? { objectId: id } : {}),
    type: PRINCIPAL_RESOURCE_TYPES[r.type] ?? "unknown",
    label: labelOf(r),
    breakglass: view.userUrns.has(r.urn),
  };
}

/** Each stack's principal resources by known object id (the first of each id, in PRINCIPAL_RESOURCE_TYPES order). */
const principalsByObjectId = new WeakMap<StackIndex, Map<string, PolicyResource>>();

/**
 * The principal resource of the stack whose known object id is `id`. Indexed once per stack: a rule asks this for
 * every eligibility and assignment, and a scan per question made large stacks quadratic.
 */
export function resourceWithObjectId(index: StackIndex, id: string): PolicyResource | undefined {
  let byId = principalsByObjectId.get(index);
  if (!byId) {
    byId = new Map();
    for (const type of Object.keys(PRINCIPAL_RESOURCE_TYPES))
      for (const r of index.of(type)) {
        const objectId = objectIdOf(r);
        if (typeof objectId === "string" && !byId.has(objectId)) byId.set(objectId, r);
      }
    principalsByObjectId.set(index, byId);
  }
  return byId.get(id.trim().toLowerCase());
}

/**
 * The principal `r.props[property]` names. Known value: by object id (a declared resource gives its type). Unknown
 * value: by provenance, when it came from exactly one principal resource; from several, or from none, it cannot be
 * told who it is (and, for breakglass, fails closed as "unknown").
 */
export function principalAt(
  r: PolicyResource,
  property: string,
  index: StackIndex,
  view: BreakglassView,
): PrincipalFacts | undefined {
  const value = readString(r.props, property);
  if (typeof value === "string" && !isUnknown(value)) {
    const id = value.trim().toLowerCase();
    const declared = resourceWithObjectId(index, id);
    if (declared) return { ...principalOfResource(declared, view), key: id, objectId: id };
    return { key: id, objectId: id, type: "unknown", label: id, breakglass: view.objectIds.has(id) };
  }
  if (value !== UNKNOWN) return undefined;
  const sources = dependenciesOf(r, property).filter((d) => PRINCIPAL_RESOURCE_TYPES[d.type] !== undefined);
  if (sources.length === 1) return principalOfResource(sources[0]!, view);
  const anyBreakglass = sources.some((s) => view.userUrns.has(s.urn));
  return {
    key: `unknown:${r.urn}:${property}`,
    type: "unknown",
    label: `a principal unknown at preview (${r.name}.${property})`,
    breakglass: anyBreakglass ? "unknown" : false,
  };
}
