/**
 * "Breakglass account or exclusion group changed" over audit records shaped like the documented ones: any event
 * whose target is a breakglass account (id or UPN) or the exclusion group, also when the group is named only in a
 * member's modified properties; nobody else's changes.
 */
import { describe, expect, it } from "vitest";
import { breakglassAccountChangedDefinition, evaluateKql } from "@entra-baseline/model";
import { ADMIN_ACTOR, breakglassOf, logTables, type LogRecord } from "../../support/kqlFixtures";

const NOW = new Date("2025-06-09T12:00:00Z");
const TIME = "2025-06-09T11:58:00Z";
const bg = breakglassOf(2);

function changes(records: LogRecord[]) {
  return evaluateKql(breakglassAccountChangedDefinition(bg, 5), logTables({ AuditLogs: records }), { now: NOW }).rows;
}

function userManagement(operation: string, targets: unknown[], category = "UserManagement"): LogRecord {
  return {
    TimeGenerated: TIME,
    OperationName: operation,
    Category: category,
    Result: "success",
    LoggedByService: "Core Directory",
    CorrelationId: "c0c0c0c0-0000-4000-8000-000000000001",
    InitiatedBy: { user: { ...ADMIN_ACTOR.user, ipAddress: "203.0.113.7" }, app: null },
    TargetResources: targets,
  };
}

describe("breakglass account changed", () => {
  it("a password reset of an emergency account alerts, classified, naming the account and the actor", () => {
    const rows = changes([
      userManagement("Reset user password", [
        { id: bg.objectIds[0], type: "User", userPrincipalName: bg.userPrincipalNames[0], modifiedProperties: [] },
      ]),
    ]);
    expect(rows).toEqual([
      expect.objectContaining({
        OperationName: "Reset user password",
        Change: "password",
        Actor: "it.admin@contoso.com",
        BreakglassTargets: bg.userPrincipalNames[0],
      }),
    ]);
  });

  it("a membership change naming the exclusion group only in the member's modified properties alerts", () => {
    const member = {
      id: "6b6b6b6b-0000-4000-8000-000000000001",
      type: "User",
      userPrincipalName: "megan.bowen@contoso.com",
      modifiedProperties: [
        { displayName: "Group.ObjectID", oldValue: null, newValue: JSON.stringify(bg.groupObjectId) },
        { displayName: "Group.DisplayName", oldValue: null, newValue: '"Emergency access accounts"' },
      ],
    };
    const rows = changes([userManagement("Add member to group", [member], "GroupManagement")]);
    expect(rows.map((r) => [r.Change, r.BreakglassTargets])).toEqual([["group membership", "megan.bowen@contoso.com"]]);
  });

  it("matches the UPN whatever its casing; other accounts' changes do not alert", () => {
    const rows = changes([
      userManagement("Update user", [
        { id: "", type: "User", userPrincipalName: bg.userPrincipalNames[1]!.toUpperCase() },
      ]),
      userManagement("Update user", [
        { id: "6b6b6b6b-0000-4000-8000-000000000001", type: "User", userPrincipalName: "megan.bowen@contoso.com" },
      ]),
    ]);
    expect(rows.map((r) => r.Change)).toEqual(["update"]);
  });
});
