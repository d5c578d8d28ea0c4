/**
 * The emergency accounts and their exclusion group as the design requires them (ZTA 21835, Microsoft's emergency
 * access guidance): present, enabled, cloud-only on *.onmicrosoft.com, permanent Global Administrator, a FIDO2 key
 * or passkey registered. Eligibility is eligibility.ts's, the exclusion group exclusionGroup.ts's.
 */
import { GLOBAL_ADMINISTRATOR, isOnMicrosoftDomain } from "@entra-baseline/model";
import { breakglassLabel, lower, type AuditContext, type BreakglassAccountState } from "../context";
import { finding, type Finding } from "../findings";

const FIDO2 = "#microsoft.graph.fido2authenticationmethod";
/** Methods that do not weaken an emergency account: FIDO2/passkeys, certificates (CBA) and the password itself. */
const STRONG_OR_PASSWORD = new Set([
  FIDO2,
  "#microsoft.graph.x509certificateauthenticationmethod",
  "#microsoft.graph.passwordauthenticationmethod",
]);

function label(b: BreakglassAccountState): string {
  return `breakglass account ${breakglassLabel(b)}`;
}

export function breakglassAccountFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  for (const b of ctx.breakglass) {
    const user = b.user;
    if (!user) {
      out.push(
        finding("AUD-BREAKGLASS-MISSING", {
          object: label(b),
          expected: `user ${b.expectedUpn ?? b.name} exists`,
          actual: "no such user (by UPN or mail nickname)",
        }),
      );
      continue;
    }
    if (user.accountEnabled !== true) {
      out.push(
        finding("AUD-BREAKGLASS-DISABLED", {
          object: label(b),
          expected: "accountEnabled = true",
          actual: `accountEnabled = ${JSON.stringify(user.accountEnabled ?? null)}`,
        }),
      );
    }
    if (
      user.onPremisesSyncEnabled === true ||
      (typeof user.onPremisesImmutableId === "string" && user.onPremisesImmutableId !== "")
    ) {
      out.push(
        finding("AUD-BREAKGLASS-SYNCED", {
          object: label(b),
          expected: "cloud-only (onPremisesSyncEnabled null or false, no onPremisesImmutableId)",
          actual: `onPremisesSyncEnabled = ${JSON.stringify(user.onPremisesSyncEnabled ?? null)}, onPremisesImmutableId = ${JSON.stringify(user.onPremisesImmutableId ?? null)}`,
        }),
      );
    }
    const upn = typeof user.userPrincipalName === "string" ? user.userPrincipalName : "";
    if (!isOnMicrosoftDomain(upn) || (b.expectedUpn && upn.toLowerCase() !== b.expectedUpn)) {
      out.push(
        finding("AUD-BREAKGLASS-DOMAIN", {
          object: label(b),
          expected: b.expectedUpn ?? "<name>@<tenant>.onmicrosoft.com",
          actual: upn || "(no UPN)",
        }),
      );
    }
  }
  return out;
}

/** Each account holds Global Administrator permanently and directly (any other role it holds is standing access). */
export function breakglassRoleFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const active = ctx.snapshot.sources.roleAssignmentScheduleInstances ?? [];
  for (const b of ctx.breakglass) {
    const id = lower(b.user?.id);
    if (!id) continue;
    const mine = (i: Record<string, unknown>) =>
      lower(i.principalId) === id && lower(i.roleDefinitionId) === GLOBAL_ADMINISTRATOR;
    const permanent = (i: Record<string, unknown>) =>
      lower(i.assignmentType) === "assigned" &&
      (i.endDateTime === null || i.endDateTime === undefined) &&
      (i.memberType === undefined || lower(i.memberType) === "direct") &&
      (lower(i.directoryScopeId) ?? "/") === "/";
    if (!active.some((i) => mine(i) && permanent(i))) {
      const other = active
        .filter(mine)
        .map(
          (i) =>
            `${String(i.assignmentType)} until ${String(i.endDateTime ?? "never")} (${String(i.memberType ?? "Direct")}, scope ${String(i.directoryScopeId ?? "/")})`,
        );
      out.push(
        finding("AUD-BREAKGLASS-NO-PERMANENT-GA", {
          object: label(b),
          expected: "permanent active Global Administrator, assigned directly at the directory scope",
          actual: other.length > 0 ? other.join("; ") : "no active Global Administrator assignment",
        }),
      );
    }
  }
  return out;
}

export function breakglassMethodFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const methods = ctx.snapshot.sources.authenticationMethods ?? {};
  for (const b of ctx.breakglass) {
    if (typeof b.user?.id !== "string") continue;
    const registered = (methods[b.user.id] ?? []).map((m) =>
      typeof m["@odata.type"] === "string" ? m["@odata.type"] : "(unknown)",
    );
    const types = registered.map((t) => t.toLowerCase());
    if (!types.includes(FIDO2)) {
      out.push(
        finding("AUD-BREAKGLASS-NO-FIDO2", {
          object: label(b),
          expected: "at least one FIDO2 security key or passkey (fido2AuthenticationMethod)",
          actual:
            registered.length > 0
              ? `registered: ${registered.map(shortType).join(", ")}`
              : "no authentication method registered",
        }),
      );
    }
    const weak = registered.filter((t) => !STRONG_OR_PASSWORD.has(t.toLowerCase()));
    if (weak.length > 0) {
      out.push(
        finding("AUD-BREAKGLASS-WEAK-METHODS", {
          object: label(b),
          expected: "FIDO2 (or certificate) methods only",
          actual: `also registered: ${weak.map(shortType).join(", ")}`,
        }),
      );
    }
  }
  return out;
}

function shortType(type: string): string {
  return type.replace(/^#microsoft\.graph\./i, "").replace(/AuthenticationMethod$/i, "");
}
