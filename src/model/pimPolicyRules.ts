/**
 * The Global Administrator PIM policy as Graph rules: ActivationPolicySettings → the rule bodies this project owns,
 * live rules → ActivationPolicySettings, and a normalizing comparison that names the fields that differ.
 * Pure: the dynamic provider, the audit and the tests share it. Facts: docs/references.md, "PIM for directory roles" and the
 * documented GET shapes of `roleManagementPolicyAssignments?$expand=policy($expand=rules)`.
 */
import type { ActivationPolicySettings, ApproverRef } from "./activationPolicy";
import { durationSeconds } from "./duration";

export interface RuleTarget {
  caller: "None" | "Admin" | "EndUser";
  level: "Eligibility" | "Assignment";
  operations: string[];
  inheritableSettings: string[];
  enforcedSettings: string[];
}

/** A unifiedRoleManagementPolicyRule as Graph sends and accepts it (derived-type fields at the top level). */
export interface PolicyRule {
  "@odata.type": string;
  id: string;
  target: RuleTarget;
  [field: string]: unknown;
}

const TYPE = "#microsoft.graph.unifiedRoleManagementPolicy";
export const RULE_TYPES = {
  expiration: `${TYPE}ExpirationRule`,
  enablement: `${TYPE}EnablementRule`,
  authenticationContext: `${TYPE}AuthenticationContextRule`,
  approval: `${TYPE}ApprovalRule`,
  notification: `${TYPE}NotificationRule`,
} as const;

export const RULE_IDS = {
  activationExpiration: "Expiration_EndUser_Assignment",
  activationEnablement: "Enablement_EndUser_Assignment",
  activationAuthenticationContext: "AuthenticationContext_EndUser_Assignment",
  activationApproval: "Approval_EndUser_Assignment",
  eligibilityExpiration: "Expiration_Admin_Eligibility",
  activeAssignmentExpiration: "Expiration_Admin_Assignment",
  /** Not owned: the two admin enablement rules are left as the tenant has them (see docs/pim.md). */
  activeAssignmentEnablement: "Enablement_Admin_Assignment",
  eligibilityEnablement: "Enablement_Admin_Eligibility",
} as const;

export const RECIPIENT_TYPES = ["Admin", "Requestor", "Approver"] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];
const NOTIFICATION_SCOPES = [
  { suffix: "Admin_Eligibility", caller: "Admin", level: "Eligibility" },
  { suffix: "Admin_Assignment", caller: "Admin", level: "Assignment" },
  { suffix: "EndUser_Assignment", caller: "EndUser", level: "Assignment" },
] as const;

export function notificationRuleId(
  recipient: RecipientType,
  suffix: (typeof NOTIFICATION_SCOPES)[number]["suffix"],
): string {
  return `Notification_${recipient}_${suffix}`;
}

/** Every rule id this project writes, in the order they are patched (see `patchOrder`). */
export const OWNED_RULE_IDS: readonly string[] = [
  RULE_IDS.activationExpiration,
  RULE_IDS.activationEnablement,
  RULE_IDS.activationAuthenticationContext,
  RULE_IDS.activationApproval,
  RULE_IDS.eligibilityExpiration,
  RULE_IDS.activeAssignmentExpiration,
  ...NOTIFICATION_SCOPES.flatMap((s) => RECIPIENT_TYPES.map((r) => notificationRuleId(r, s.suffix))),
];

/** Approval stage constants: one stage, a day to decide, the approver must justify, no escalation. */
export const APPROVAL_STAGE = {
  approvalStageTimeOutInDays: 1,
  isApproverJustificationRequired: true,
  escalationTimeInMinutes: 0,
  isEscalationEnabled: false,
} as const;

function target(caller: RuleTarget["caller"], level: RuleTarget["level"]): RuleTarget {
  return { caller, level, operations: ["All"], inheritableSettings: [], enforcedSettings: [] };
}

function approverBody(a: ApproverRef): Record<string, string> {
  return a.kind === "user"
    ? { "@odata.type": "#microsoft.graph.singleUser", userId: a.id }
    : { "@odata.type": "#microsoft.graph.groupMembers", groupId: a.id };
}

function expirationRule(
  id: string,
  t: RuleTarget,
  e: { required: boolean; maximumDuration: string | null },
): PolicyRule {
  const rule: PolicyRule = { "@odata.type": RULE_TYPES.expiration, id, isExpirationRequired: e.required, target: t };
  if (e.maximumDuration) rule.maximumDuration = e.maximumDuration;
  return rule;
}

/**
 * The rules implied by `settings`, keyed by rule id. MFA and the authentication context are alternatives in the
 * portal; `requireMfa` is taken as given here (the component sets it false when a context is required).
 */
export function desiredRules(settings: ActivationPolicySettings): PolicyRule[] {
  const enabledRules = [
    ...(settings.requireMfa ? ["MultiFactorAuthentication"] : []),
    ...(settings.requireJustification ? ["Justification"] : []),
    ...(settings.requireTicket ? ["Ticketing"] : []),
  ];
  const rules: PolicyRule[] = [
    expirationRule(RULE_IDS.activationExpiration, target("EndUser", "Assignment"), {
      required: true,
      maximumDuration: settings.maxActivationDuration,
    }),
    {
      "@odata.type": RULE_TYPES.enablement,
      id: RULE_IDS.activationEnablement,
      enabledRules,
      target: target("EndUser", "Assignment"),
    },
    {
      "@odata.type": RULE_TYPES.authenticationContext,
      id: RULE_IDS.activationAuthenticationContext,
      isEnabled: settings.authenticationContextId !== null,
      claimValue: settings.authenticationContextId,
      target: target("EndUser", "Assignment"),
    },
    {
      "@odata.type": RULE_TYPES.approval,
      id: RULE_IDS.activationApproval,
      target: target("EndUser", "Assignment"),
      setting: {
        "@odata.type": "#microsoft.graph.approvalSettings",
        isApprovalRequired: settings.approval.required,
        isApprovalRequiredForExtension: false,
        isRequestorJustificationRequired: true,
        approvalMode: "SingleStage",
        approvalStages: [
          {
            ...APPROVAL_STAGE,
            primaryApprovers: settings.approval.approvers.map(approverBody),
            escalationApprovers: [],
          },
        ],
      },
    },
    expirationRule(RULE_IDS.eligibilityExpiration, target("Admin", "Eligibility"), settings.eligibilityExpiration),
    expirationRule(
      RULE_IDS.activeAssignmentExpiration,
      target("Admin", "Assignment"),
      settings.activeAssignmentExpiration,
    ),
  ];
  for (const scope of NOTIFICATION_SCOPES) {
    for (const recipient of RECIPIENT_TYPES) {
      rules.push({
        "@odata.type": RULE_TYPES.notification,
        id: notificationRuleId(recipient, scope.suffix),
        notificationType: "Email",
        recipientType: recipient,
        notificationLevel: "All",
        isDefaultRecipientsEnabled: true,
        // The security recipients get the "Admin" alerts (role assignment / activation alerts); requestor and approver
        // mails keep their default recipients so that approvers are not outnumbered by bystanders.
        notificationRecipients: recipient === "Admin" ? [...settings.notificationRecipients] : [],
        target: target(scope.caller, scope.level),
      });
    }
  }
  return rules;
}

/**
 * PATCH order. MFA and the authentication context may be mutually exclusive (unconfirmed): the rule that removes
 * one goes before the rule that adds the other, so no intermediate state carries both.
 */
export function patchOrder(rules: readonly PolicyRule[], settings: ActivationPolicySettings): PolicyRule[] {
  const contextFirst = settings.authenticationContextId === null;
  const rank = (id: string) =>
    id === RULE_IDS.activationEnablement
      ? contextFirst
        ? 1
        : 0
      : id === RULE_IDS.activationAuthenticationContext
        ? contextFirst
          ? 0
          : 1
        : 2;
  return [...rules].sort((a, b) => rank(a.id) - rank(b.id));
}

/**
 * The body to PATCH: the desired rule, except that an expiration rule that does not require expiry keeps the
 * tenant's `maximumDuration` (Graph reports it even then; sending none might be read as clearing it — unconfirmed).
 */
export function patchBody(desired: PolicyRule, live: PolicyRule | undefined): PolicyRule {
  if (
    desired["@odata.type"] === RULE_TYPES.expiration &&
    desired.isExpirationRequired === false &&
    desired.maximumDuration === undefined
  ) {
    const kept = live?.maximumDuration;
    if (typeof kept === "string" && kept !== "") return { ...desired, maximumDuration: kept };
  }
  return desired;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison

export interface RuleDifference {
  ruleId: string;
  /** Field path inside the rule, e.g. `setting.approvalStages[0].primaryApprovers`. */
  field: string;
  wanted: unknown;
  live: unknown;
}

export function describeDifference(d: RuleDifference): string {
  return `${d.ruleId}.${d.field} is ${JSON.stringify(d.live) ?? "absent"} (wanted ${JSON.stringify(d.wanted)})`;
}

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v);
const stringSet = (v: unknown) =>
  Array.isArray(v)
    ? [...new Set(v.map((x) => String(x).toLowerCase()))].sort()
    : v === null || v === undefined
      ? []
      : [String(v)];
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** "user:<id>", "group:<id>", or "other:<type>" for approver kinds this project never sets (they must show as drift). */
function approverKey(raw: unknown): string {
  const a = asRecord(raw);
  const type = String(a["@odata.type"] ?? "")
    .replace(/^#?microsoft\.graph\./i, "")
    .toLowerCase();
  if (type === "singleuser") return `user:${String(a.userId ?? a.id ?? "").toLowerCase()}`;
  if (type === "groupmembers") return `group:${String(a.groupId ?? a.id ?? "").toLowerCase()}`;
  return `other:${type}${a.id ? `:${String(a.id).toLowerCase()}` : ""}`;
}

/**
 * Fields of `live` that differ from `desired`, after normalizing what Graph legitimately rewrites: operations come
 * back lower-case, arrays are unordered sets, ids and emails are case-insensitive, durations compare by length, a
 * maximum duration only matters when expiry is required, a claim value only when the context is enabled.
 */
export function ruleDifferences(desired: PolicyRule, live: PolicyRule | undefined): RuleDifference[] {
  const out: RuleDifference[] = [];
  const differ = (field: string, wanted: unknown, actual: unknown, equal: boolean) => {
    if (!equal) out.push({ ruleId: desired.id, field, wanted, live: actual });
  };
  if (!live) return [{ ruleId: desired.id, field: "(rule)", wanted: "present", live: undefined }];
  differ(
    "@odata.type",
    desired["@odata.type"],
    live["@odata.type"],
    lower(desired["@odata.type"]) === lower(live["@odata.type"]),
  );

  const wt = desired.target;
  const lt = asRecord(live.target);
  differ("target.caller", wt.caller, lt.caller, lower(wt.caller) === lower(lt.caller));
  differ("target.level", wt.level, lt.level, lower(wt.level) === lower(lt.level));
  differ(
    "target.operations",
    wt.operations,
    lt.operations,
    sameJson(stringSet(wt.operations), stringSet(lt.operations)),
  );
  differ(
    "target.inheritableSettings",
    wt.inheritableSettings,
    lt.inheritableSettings,
    sameJson(stringSet(wt.inheritableSettings), stringSet(lt.inheritableSettings)),
  );
  differ(
    "target.enforcedSettings",
    wt.enforcedSettings,
    lt.enforcedSettings,
    sameJson(stringSet(wt.enforcedSettings), stringSet(lt.enforcedSettings)),
  );

  switch (desired["@odata.type"]) {
    case RULE_TYPES.expiration: {
      differ(
        "isExpirationRequired",
        desired.isExpirationRequired,
        live.isExpirationRequired,
        desired.isExpirationRequired === live.isExpirationRequired,
      );
      if (desired.isExpirationRequired) {
        const want = durationSeconds(String(desired.maximumDuration));
        const have = typeof live.maximumDuration === "string" ? durationSeconds(live.maximumDuration) : undefined;
        differ("maximumDuration", desired.maximumDuration, live.maximumDuration, want !== undefined && want === have);
      }
      break;
    }
    case RULE_TYPES.enablement:
      differ(
        "enabledRules",
        desired.enabledRules,
        live.enabledRules,
        sameJson(stringSet(desired.enabledRules), stringSet(live.enabledRules)),
      );
      break;
    case RULE_TYPES.authenticationContext:
      differ("isEnabled", desired.isEnabled, live.isEnabled, desired.isEnabled === live.isEnabled);
      if (desired.isEnabled)
        differ("claimValue", desired.claimValue, live.claimValue, lower(desired.claimValue) === lower(live.claimValue));
      break;
    case RULE_TYPES.approval: {
      const ws = asRecord(desired.setting);
      const ls = asRecord(live.setting);
      for (const f of ["isApprovalRequired", "isApprovalRequiredForExtension", "isRequestorJustificationRequired"]) {
        differ(`setting.${f}`, ws[f], ls[f], ws[f] === ls[f]);
      }
      differ(
        "setting.approvalMode",
        ws.approvalMode,
        ls.approvalMode,
        lower(ws.approvalMode) === lower(ls.approvalMode),
      );
      const wStages = Array.isArray(ws.approvalStages) ? ws.approvalStages.map(asRecord) : [];
      const lStages = Array.isArray(ls.approvalStages) ? ls.approvalStages.map(asRecord) : [];
      differ("setting.approvalStages.length", wStages.length, lStages.length, wStages.length === lStages.length);
      wStages.forEach((w, i) => {
        const l = lStages[i] ?? {};
        for (const f of Object.keys(APPROVAL_STAGE))
          differ(`setting.approvalStages[${i}].${f}`, w[f], l[f], w[f] === l[f]);
        for (const f of ["primaryApprovers", "escalationApprovers"]) {
          const want = (Array.isArray(w[f]) ? (w[f] as unknown[]) : []).map(approverKey).sort();
          const have = (Array.isArray(l[f]) ? (l[f] as unknown[]) : []).map(approverKey).sort();
          differ(`setting.approvalStages[${i}].${f}`, w[f], l[f], sameJson([...new Set(want)], [...new Set(have)]));
        }
      });
      break;
    }
    case RULE_TYPES.notification:
      for (const f of ["notificationType", "recipientType", "notificationLevel"])
        differ(f, desired[f], live[f], lower(desired[f]) === lower(live[f]));
      differ(
        "isDefaultRecipientsEnabled",
        desired.isDefaultRecipientsEnabled,
        live.isDefaultRecipientsEnabled,
        desired.isDefaultRecipientsEnabled === live.isDefaultRecipientsEnabled,
      );
      differ(
        "notificationRecipients",
        desired.notificationRecipients,
        live.notificationRecipients,
        sameJson(stringSet(desired.notificationRecipients), stringSet(live.notificationRecipients)),
      );
      break;
    default:
      throw new Error(`rules.ts does not know how to compare rule type ${desired["@odata.type"]}`);
  }
  return out;
}

/** Every difference between the desired rules and the live ones (rules missing from `live` included). */
export function policyDifferences(desired: readonly PolicyRule[], live: readonly PolicyRule[]): RuleDifference[] {
  const byId = new Map(live.map((r) => [r.id, r]));
  return desired.flatMap((d) => ruleDifferences(d, byId.get(d.id)));
}

// ---------------------------------------------------------------------------------------------------------------
// Live rules → settings

/**
 * Maps live rules back to the settings shape, so that `pulumi refresh`, the audit and the policy pack read one shape.
 * Approvers of kinds this project never sets are kept as `{kind: "user"|"group"}` only when they are users or groups;
 * anything else is dropped here and reported by `policyDifferences` instead.
 */
export function settingsFromRules(roleDefinitionId: string, rules: readonly PolicyRule[]): ActivationPolicySettings {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const rule = (id: string): PolicyRule => {
    const r = byId.get(id);
    if (!r) throw new Error(`the role management policy has no rule "${id}" (expected the 17 documented rules)`);
    return r;
  };
  const enabled = stringSet(rule(RULE_IDS.activationEnablement).enabledRules);
  const context = rule(RULE_IDS.activationAuthenticationContext);
  const approvalSetting = asRecord(rule(RULE_IDS.activationApproval).setting);
  const stages = Array.isArray(approvalSetting.approvalStages) ? approvalSetting.approvalStages.map(asRecord) : [];
  const approvers: ApproverRef[] = [];
  for (const stage of stages) {
    for (const raw of Array.isArray(stage.primaryApprovers) ? stage.primaryApprovers : []) {
      const [kind, id] = approverKey(raw).split(":");
      if ((kind === "user" || kind === "group") && id && !approvers.some((a) => a.kind === kind && a.id === id))
        approvers.push({ kind, id });
    }
  }
  const expiration = (id: string) => {
    const r = rule(id);
    const required = r.isExpirationRequired === true;
    return { required, maximumDuration: required && typeof r.maximumDuration === "string" ? r.maximumDuration : null };
  };
  const adminRecipients = NOTIFICATION_SCOPES.map(
    (s) => rule(notificationRuleId("Admin", s.suffix)).notificationRecipients,
  );
  // A recipient counts only when every Admin alert reaches them: removing one anywhere shows as a change.
  // Live order and spelling are kept (the activation alert's list), so a compliant read equals the inputs.
  const notificationRecipients = (Array.isArray(adminRecipients[2]) ? (adminRecipients[2] as unknown[]) : [])
    .map(String)
    .filter((email) => adminRecipients.every((list) => stringSet(list).includes(email.toLowerCase())));
  const activation = rule(RULE_IDS.activationExpiration);
  return {
    roleDefinitionId,
    maxActivationDuration: typeof activation.maximumDuration === "string" ? activation.maximumDuration : "",
    requireJustification: enabled.includes("justification"),
    requireTicket: enabled.includes("ticketing"),
    requireMfa: enabled.includes("multifactorauthentication"),
    authenticationContextId:
      context.isEnabled === true && typeof context.claimValue === "string" ? context.claimValue : null,
    approval: { required: approvalSetting.isApprovalRequired === true, approvers },
    eligibilityExpiration: expiration(RULE_IDS.eligibilityExpiration),
    activeAssignmentExpiration: expiration(RULE_IDS.activeAssignmentExpiration),
    notificationRecipients,
  };
}

/** The settings fields, in the order of ActivationPolicySettings: what diff() and the docs walk. */
export const SETTINGS_FIELDS = [
  "roleDefinitionId",
  "maxActivationDuration",
  "requireJustification",
  "requireTicket",
  "requireMfa",
  "authenticationContextId",
  "approval",
  "eligibilityExpiration",
  "activeAssignmentExpiration",
  "notificationRecipients",
] as const satisfies readonly (keyof ActivationPolicySettings)[];

/** Canonical form of one settings field for comparison (sets sorted, ids and emails lower-case, durations in seconds). */
export function canonicalSetting(field: (typeof SETTINGS_FIELDS)[number], value: unknown): string {
  const v = value as never;
  switch (field) {
    case "roleDefinitionId":
    case "authenticationContextId":
      return JSON.stringify(lower(v) ?? null);
    case "maxActivationDuration":
      return JSON.stringify(durationSeconds(String(v)) ?? v);
    case "approval": {
      const a = asRecord(v);
      const approvers = (Array.isArray(a.approvers) ? a.approvers : []).map(
        (x) => `${asRecord(x).kind}:${String(asRecord(x).id).toLowerCase()}`,
      );
      return JSON.stringify({ required: a.required === true, approvers: [...new Set(approvers)].sort() });
    }
    case "eligibilityExpiration":
    case "activeAssignmentExpiration": {
      const e = asRecord(v);
      const required = e.required === true;
      return JSON.stringify({
        required,
        seconds: required ? (durationSeconds(String(e.maximumDuration)) ?? e.maximumDuration) : null,
      });
    }
    case "notificationRecipients":
      return JSON.stringify(stringSet(v));
    default:
      return JSON.stringify(v ?? null);
  }
}

/** Settings fields whose canonical forms differ. */
export function settingsDifferences(
  a: Partial<ActivationPolicySettings>,
  b: Partial<ActivationPolicySettings>,
): string[] {
  return SETTINGS_FIELDS.filter((f) => canonicalSetting(f, a[f]) !== canonicalSetting(f, b[f]));
}
