/** The emergency accounts as the queries need them: plain values, resolved (inside `apply` when unknown at preview). */
export interface BreakglassPrincipals {
  userPrincipalNames: readonly string[];
  objectIds: readonly string[];
  /** The role-assignable group excluded from every Conditional Access policy. */
  groupObjectId: string;
}

/** A query that names no breakglass account would silently watch nothing: refuse to build it. */
export function assertAccounts(accounts: Pick<BreakglassPrincipals, "userPrincipalNames" | "objectIds">): void {
  if (accounts.userPrincipalNames.length === 0 || accounts.objectIds.length === 0) {
    throw new Error(
      `the breakglass queries need every emergency account's UPN and object id (got ${accounts.userPrincipalNames.length} UPNs, ${accounts.objectIds.length} object ids)`,
    );
  }
}
