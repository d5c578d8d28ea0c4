/**
 * The facts every check needs, derived once from the snapshot and the stack config: which live users are the
 * breakglass accounts, the exclusion group, and the object ids of the admins and approvers the config names.
 */
import type { BaselineConfig } from "../../config/validate";
import { GUID } from "@entra-baseline/model";
import type { AuditSnapshot, RawObject } from "./snapshot";

export interface BreakglassAccountState {
  /** Configured local part (breakglass.accounts[].name). */
  name: string;
  /** The UPN the stack declares: name@breakglass.domain (undefined when the domain is unknown). */
  expectedUpn?: string;
  /** The live user: matched by UPN, else by mail nickname (a renamed account is still found). */
  user?: RawObject;
}

export interface AuditContext {
  config: BaselineConfig;
  snapshot: AuditSnapshot;
  breakglass: BreakglassAccountState[];
  /** Object ids of the breakglass accounts found live, lower-case. */
  breakglassIds: Set<string>;
  /** The exclusion group(s): groups named breakglass.groupName. */
  breakglassGroups: RawObject[];
  /** A config reference (UPN or object id) → the live user's object id, lower-case; undefined when not found. */
  resolveUser(ref: string): string | undefined;
}

export function buildContext(snapshot: AuditSnapshot, config: BaselineConfig): AuditContext {
  const users = snapshot.sources.users ?? [];
  const domain = config.breakglass.domain?.toLowerCase();
  const breakglass = config.breakglass.accounts.map((account): BreakglassAccountState => {
    const expectedUpn = domain ? `${account.name}@${domain}`.toLowerCase() : undefined;
    const byUpn = expectedUpn ? users.find((u) => lower(u.userPrincipalName) === expectedUpn) : undefined;
    const byNickname = users.filter((u) => lower(u.mailNickname) === account.name.toLowerCase());
    return { name: account.name, expectedUpn, user: byUpn ?? byNickname[0] };
  });
  const breakglassIds = new Set(breakglass.flatMap((b) => (b.user ? [lower(b.user.id)!] : [])));
  return {
    config,
    snapshot,
    breakglass,
    breakglassIds,
    breakglassGroups: snapshot.sources.breakglassGroups ?? [],
    resolveUser(ref: string) {
      const r = ref.toLowerCase();
      if (GUID.test(r)) return users.some((u) => lower(u.id) === r) ? r : undefined;
      const user = users.find((u) => lower(u.userPrincipalName) === r);
      return user ? lower(user.id) : undefined;
    },
  };
}

export function lower(value: unknown): string | undefined {
  return typeof value === "string" ? value.toLowerCase() : undefined;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** "user adele.vance@contoso.com (id)", "servicePrincipal Deploy app (id)", "group Tier-0 admins (id)". */
export function describePrincipal(principal: unknown, fallbackId?: unknown): string {
  const p = asRecord(principal);
  const type =
    typeof p["@odata.type"] === "string" ? p["@odata.type"].replace(/^#?microsoft\.graph\./i, "") : "principal";
  const name = p.userPrincipalName ?? p.displayName ?? p.appId;
  const id = p.id ?? fallbackId;
  return `${type} ${typeof name === "string" ? name : "(unknown name)"}${typeof id === "string" ? ` (${id})` : ""}`;
}

export function breakglassLabel(b: BreakglassAccountState): string {
  const upn = b.user?.userPrincipalName;
  return typeof upn === "string" ? upn : (b.expectedUpn ?? b.name);
}
