/**
 * Who may own the breakglass exclusion group. An owner can change the group's members, and every member is exempt
 * from every Conditional Access policy: an undeclared owner is a way around all of them. The stack declares the
 * owners (config `breakglass.groupOwners`, by default the emergency accounts themselves, which hold Global
 * Administrator anyway); the deploying identity is never a default owner. One definition for the policy pack (the
 * declared `azuread.Group` `owners`) and the audit (`GET /groups/{id}/owners`).
 */

export interface GroupOwnerFacts {
  /** Object id of the owner. */
  id: string;
  /** `#microsoft.graph.user`, `#microsoft.graph.servicePrincipal`, … when known. */
  type?: string;
  displayName?: string | null;
}

/**
 * The owners the stack declares: `breakglass.groupOwners` when set, else the emergency accounts' object ids.
 * Lower case, without repeats (Graph answers lower case; azuread's `owners` is a set).
 */
export function declaredExclusionGroupOwners(
  groupOwners: readonly string[] | undefined,
  emergencyAccountIds: readonly string[],
): string[] {
  return [...new Set((groupOwners ?? emergencyAccountIds).map((id) => id.toLowerCase()))];
}

/**
 * Every owner of the exclusion group that the stack does not declare (empty: compliant). Contract: the pack calls it
 * with the group's declared `owners` (unknown ids at preview are the adapter's to resolve, e.g. through
 * propertyDependencies on the emergency users), the audit with the live owners; both with
 * `declaredExclusionGroupOwners(config)`. Fewer owners than declared is not a finding: only an extra owner can add
 * someone to the group.
 */
export function exclusionGroupOwnerProblems(
  owners: readonly GroupOwnerFacts[],
  declaredOwnerIds: readonly string[],
): string[] {
  const declared = new Set(declaredOwnerIds.map((id) => id.toLowerCase()));
  return owners
    .filter((o) => !declared.has(o.id.toLowerCase()))
    .map((o) => {
      const what = [
        o.displayName ? `"${o.displayName}"` : "",
        o.id,
        o.type ? `(${o.type.replace(/^#microsoft\.graph\./, "")})` : "",
      ]
        .filter(Boolean)
        .join(" ");
      return `${what} owns the breakglass exclusion group but is not a declared owner (breakglass.groupOwners, default the emergency accounts): an owner can add anyone to the group and so exempt them from every Conditional Access policy`;
    });
}
