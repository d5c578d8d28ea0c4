/**
 * The emergency path as the model's facts, from what the audit reader read: the configured accounts found live,
 * whether the model judges one of their holdings to be the emergency accounts' permanent Global Administrator, their
 * groups, their registered FIDO2 keys, the exclusion group and every CA policy. The verdict is the model's
 * (`emergencyPathHealth`, `exclusionGroupProblems`).
 */
import {
  caPolicyFromGraph,
  exclusionGroupProblems,
  judgeHolding,
  type CaPolicyFacts,
  type EmergencyPathFacts,
  type ExclusionGroupProblem,
} from "@entra-baseline/model";
import { breakglassLabel, lower, type AuditContext } from "../audit/context";
import { liveHoldings } from "../audit/checks/standing";

const FIDO2 = "#microsoft.graph.fido2authenticationmethod";

/** The standing-judgement context the audit uses, from the audit context. */
export function standingContext(ctx: AuditContext) {
  return { tier0: ctx.tier0, maxActivationSeconds: ctx.maxActivationSeconds, exceptions: ctx.exceptions, now: ctx.now };
}

/** `policies` replaces the live policies, e.g. with the ones a remediation will leave. */
export function emergencyPathFacts(ctx: AuditContext, policies?: readonly CaPolicyFacts[]): EmergencyPathFacts {
  const s = ctx.snapshot.sources;
  const judged = standingContext(ctx);
  const permanentGa = new Set(
    liveHoldings(ctx)
      .filter((h) => {
        const v = judgeHolding(h, judged);
        return v.kind === "allowed" && v.why === "breakglassGlobalAdministrator";
      })
      .map((h) => h.principal.objectId),
  );
  return {
    accounts: ctx.breakglass.map((b) => {
      const id = lower(b.user?.id);
      const methods = id ? ((s.authenticationMethods ?? {})[String(b.user!.id)] ?? []) : [];
      return {
        name: breakglassLabel(b),
        key: id,
        memberOf: id ? ((s.transitiveMemberOf ?? {})[String(b.user!.id)] ?? []).map((g) => lower(g.id) ?? "") : [],
        enabled: b.user?.accountEnabled === true ? true : b.user?.accountEnabled === false ? false : undefined,
        permanentGlobalAdministrator: id !== undefined && permanentGa.has(id),
        fido2KeyRegistered: methods.some((m) => lower(m["@odata.type"]) === FIDO2),
      };
    }),
    groupKeys: ctx.breakglassGroups.map((g) => lower(g.id) ?? "").filter(Boolean),
    policies: policies ?? (s.caPolicies ?? []).map((p) => caPolicyFromGraph(p)),
  };
}

/** The model's verdict on the exclusion group(s): one group, exactly the emergency accounts, the declared owners. */
export function exclusionGroupState(ctx: AuditContext): ExclusionGroupProblem[] {
  const s = ctx.snapshot.sources;
  const accounts = ctx.breakglass
    .filter((b) => typeof b.user?.id === "string")
    .map((b) => ({ key: String(b.user!.id).toLowerCase(), name: breakglassLabel(b) }));
  const declared = ctx.config.breakglass.groupOwners;
  const owners = declared && declared.length > 0 ? declared.map((o) => ({ key: o.toLowerCase(), name: o })) : accounts;
  const ids = (list: readonly Record<string, unknown>[] | undefined) =>
    (list ?? []).map((m) => lower(m.id) ?? "(no id)");
  const groups = ctx.breakglassGroups.map((g) => {
    const id = lower(g.id) ?? "";
    const members = (s.groupMembers ?? {})[id];
    const groupOwners = (s.groupOwners ?? {})[id];
    return {
      name: `"${String(g.displayName ?? ctx.config.breakglass.groupName)}"`,
      key: id,
      roleAssignable: typeof g.isAssignableToRole === "boolean" ? g.isAssignableToRole : undefined,
      securityEnabled: typeof g.securityEnabled === "boolean" ? g.securityEnabled : undefined,
      members: { keys: ids(members), complete: members !== undefined },
      owners: { keys: ids(groupOwners), complete: groupOwners !== undefined },
    };
  });
  return exclusionGroupProblems(groups, { groupName: ctx.config.breakglass.groupName, accounts, owners });
}
