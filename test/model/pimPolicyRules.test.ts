/** The pure rule mapping: settings ↔ Graph rules, and the normalizing comparison. */
import { describe, expect, it } from "vitest";
import {
  type ActivationPolicySettings,
  desiredRules,
  GLOBAL_ADMINISTRATOR,
  OWNED_RULE_IDS,
  patchBody,
  patchOrder,
  policyDifferences,
  type PolicyRule,
  ruleDifferences,
  settingsDifferences,
  settingsFromRules,
} from "@entra-baseline/model";
import { defaultPolicyRules } from "../support/fakes/pimPolicy";
import { activationSettings, APPROVER_GROUP, APPROVER_USER } from "../support/builders/activationSettings";

const USER = APPROVER_USER;
const GROUP = APPROVER_GROUP;

const settings: ActivationPolicySettings = activationSettings();

const byId = (rules: PolicyRule[]) => new Map(rules.map((r) => [r.id, r]));
const desired = (id: string, s: ActivationPolicySettings = settings) => byId(desiredRules(s)).get(id)!;
/** A rule as Graph returns it: operations lower-case, arrays in another order, ids/emails in another case. */
const asReturned = (rule: PolicyRule, fields: Record<string, unknown> = {}): PolicyRule =>
  ({ ...structuredClone(rule), target: { ...rule.target, operations: ["all"] }, ...fields }) as PolicyRule;

describe("desiredRules", () => {
  it("owns 15 of the 17 rules: everything but the two admin enablement rules", () => {
    const ids = desiredRules(settings).map((r) => r.id);
    expect(new Set(ids)).toEqual(new Set(OWNED_RULE_IDS));
    expect(ids).toHaveLength(15);
    const all = defaultPolicyRules().map((r) => r.id);
    expect(all.filter((id) => !ids.includes(id))).toEqual([
      "Enablement_Admin_Eligibility",
      "Enablement_Admin_Assignment",
    ]);
  });

  it("sends MFA on activation only when no authentication context is required", () => {
    expect(desired("Enablement_EndUser_Assignment").enabledRules).toEqual(["Justification", "Ticketing"]);
    const noContext = { ...settings, requireMfa: true, authenticationContextId: null };
    expect(desired("Enablement_EndUser_Assignment", noContext).enabledRules).toEqual([
      "MultiFactorAuthentication",
      "Justification",
      "Ticketing",
    ]);
    expect(desired("AuthenticationContext_EndUser_Assignment", noContext)).toMatchObject({
      isEnabled: false,
      claimValue: null,
    });
  });

  it("puts the security recipients on the three Admin alerts and keeps defaults on the others", () => {
    for (const rule of desiredRules(settings).filter((r) => r.id.startsWith("Notification_"))) {
      expect(rule).toMatchObject({
        notificationLevel: "All",
        isDefaultRecipientsEnabled: true,
        notificationType: "Email",
      });
      expect(rule.notificationRecipients).toEqual(
        rule.recipientType === "Admin" ? settings.notificationRecipients : [],
      );
    }
  });
});

describe("ruleDifferences", () => {
  it.each([
    ["operations come back lower-case", "Expiration_EndUser_Assignment", {}],
    ["a duration written another way", "Expiration_EndUser_Assignment", { maximumDuration: "PT240M" }],
    ["maximumDuration when expiry is not required", "Expiration_Admin_Eligibility", { maximumDuration: "P365D" }],
    [
      "enabled rules in another order and case",
      "Enablement_EndUser_Assignment",
      { enabledRules: ["ticketing", "Justification"] },
    ],
    ["the claim value's case", "AuthenticationContext_EndUser_Assignment", { claimValue: "C1" }],
    [
      "recipients in another order and case",
      "Notification_Admin_EndUser_Assignment",
      { notificationRecipients: ["Identity-Team@contoso.com", "secops@contoso.com"] },
    ],
  ])("ignores %s", (_what, id, fields) => {
    expect(ruleDifferences(desired(id), asReturned(desired(id), fields))).toEqual([]);
  });

  it("ignores the fields Graph adds to approvers and their order", () => {
    const rule = desired("Approval_EndUser_Assignment");
    const setting = structuredClone(rule.setting) as { approvalStages: { primaryApprovers: unknown[] }[] };
    setting.approvalStages[0]!.primaryApprovers = [
      {
        "@odata.type": "#microsoft.graph.groupMembers",
        groupId: GROUP.toUpperCase(),
        isBackup: false,
        id: null,
        description: null,
      },
      { "@odata.type": "#microsoft.graph.singleUser", userId: USER, isBackup: false, id: null, description: null },
    ];
    expect(ruleDifferences(rule, asReturned(rule, { setting }))).toEqual([]);
  });

  it.each([
    ["Expiration_EndUser_Assignment", { maximumDuration: "PT8H" }, "maximumDuration"],
    ["Expiration_Admin_Assignment", { isExpirationRequired: true }, "isExpirationRequired"],
    ["Enablement_EndUser_Assignment", { enabledRules: ["Justification"] }, "enabledRules"],
    ["AuthenticationContext_EndUser_Assignment", { claimValue: "c2" }, "claimValue"],
    ["AuthenticationContext_EndUser_Assignment", { isEnabled: false }, "isEnabled"],
    [
      "Notification_Admin_Admin_Eligibility",
      { notificationRecipients: ["secops@contoso.com"] },
      "notificationRecipients",
    ],
    ["Notification_Approver_EndUser_Assignment", { notificationLevel: "Critical" }, "notificationLevel"],
    ["Notification_Requestor_Admin_Assignment", { isDefaultRecipientsEnabled: false }, "isDefaultRecipientsEnabled"],
  ])("finds %s changed in %j", (id, fields, field) => {
    expect(ruleDifferences(desired(id), asReturned(desired(id), fields)).map((d) => d.field)).toEqual([field]);
  });

  it("treats an approver kind this project never sets as a difference", () => {
    const rule = desired("Approval_EndUser_Assignment");
    const setting = structuredClone(rule.setting) as { approvalStages: { primaryApprovers: unknown[] }[] };
    setting.approvalStages[0]!.primaryApprovers.push({
      "@odata.type": "#microsoft.graph.requestorManager",
      managerLevel: 1,
    });
    expect(ruleDifferences(rule, asReturned(rule, { setting })).map((d) => d.field)).toEqual([
      "setting.approvalStages[0].primaryApprovers",
    ]);
  });

  it("reports a missing rule", () => {
    const live = desiredRules(settings).filter((r) => r.id !== "Approval_EndUser_Assignment");
    expect(policyDifferences(desiredRules(settings), live)).toEqual([
      { ruleId: "Approval_EndUser_Assignment", field: "(rule)", wanted: "present", live: undefined },
    ]);
  });
});

describe("settingsFromRules", () => {
  it("reads a fresh tenant's documented defaults", () => {
    expect(settingsFromRules(GLOBAL_ADMINISTRATOR, defaultPolicyRules())).toEqual({
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      maxActivationDuration: "PT8H",
      requireJustification: true,
      requireTicket: false,
      requireMfa: true,
      authenticationContextId: null,
      approval: { required: false, approvers: [] },
      eligibilityExpiration: { required: false, maximumDuration: null },
      activeAssignmentExpiration: { required: false, maximumDuration: null },
      notificationRecipients: [],
    });
  });

  it.each([
    ["the prod-like settings", settings],
    [
      "MFA instead of a context, expiring assignments",
      {
        ...settings,
        requireMfa: true,
        authenticationContextId: null,
        eligibilityExpiration: { required: true, maximumDuration: "P180D" },
        activeAssignmentExpiration: { required: true, maximumDuration: "P30D" },
      },
    ],
    ["no approval, no ticket", { ...settings, requireTicket: false, approval: { required: false, approvers: [] } }],
  ])("round-trips %s", (_what, s: ActivationPolicySettings) => {
    const back = settingsFromRules(
      GLOBAL_ADMINISTRATOR,
      desiredRules(s).map((r) => asReturned(r)),
    );
    expect(back).toEqual(s);
    expect(settingsDifferences(back, s)).toEqual([]);
  });

  it("drops a recipient that one Admin alert no longer reaches", () => {
    const rules = desiredRules(settings).map((r) =>
      r.id === "Notification_Admin_Admin_Assignment" ? { ...r, notificationRecipients: ["secops@contoso.com"] } : r,
    );
    expect(settingsFromRules(GLOBAL_ADMINISTRATOR, rules).notificationRecipients).toEqual(["secops@contoso.com"]);
  });
});

describe("patchOrder and patchBody", () => {
  it("removes MFA before adding the authentication context, and the reverse when dropping the context", () => {
    const order = (s: ActivationPolicySettings) =>
      patchOrder(desiredRules(s), s)
        .map((r) => r.id)
        .filter((id) => id === "Enablement_EndUser_Assignment" || id === "AuthenticationContext_EndUser_Assignment");
    expect(order(settings)).toEqual(["Enablement_EndUser_Assignment", "AuthenticationContext_EndUser_Assignment"]);
    expect(order({ ...settings, requireMfa: true, authenticationContextId: null })).toEqual([
      "AuthenticationContext_EndUser_Assignment",
      "Enablement_EndUser_Assignment",
    ]);
  });

  it("keeps the tenant's maximumDuration on an expiration rule that does not require expiry", () => {
    const rule = desired("Expiration_Admin_Eligibility");
    expect(patchBody(rule, { ...rule, maximumDuration: "P365D" })).toEqual({ ...rule, maximumDuration: "P365D" });
    expect(patchBody(rule, undefined)).toEqual(rule);
    const required = desired("Expiration_Admin_Eligibility", {
      ...settings,
      eligibilityExpiration: { required: true, maximumDuration: "P90D" },
    });
    expect(patchBody(required, { ...required, maximumDuration: "P365D" }).maximumDuration).toBe("P90D");
  });
});
