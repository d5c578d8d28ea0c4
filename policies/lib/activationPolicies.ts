/**
 * The stack's PIM activation policies as the model's ActivationPolicySettings (src/model/activationPolicy.ts):
 * - the model's own pim:RoleManagementPolicy dynamic resource (one per managed directory role), whose props are
 *   exactly those settings;
 * - azuread.GroupRoleManagementPolicy (PIM for Groups: the member or owner policy of a role-assignable group), whose
 *   azuread inputs are translated here.
 * A field unknown at preview is listed, never guessed (the authentication context is resolved from the context
 * resource it came from); an absent field of a GroupRoleManagementPolicy leaves Microsoft's default in place, which
 * the translation takes as not required (fails closed).
 */
import type { PolicyResource } from "@pulumi/policy";
import {
  dynamicTypeToken,
  providerTypes,
  type ActivationPolicySettings,
  type ApproverRef,
} from "@entra-baseline/model";
import { principalAt } from "./principals";
import type { BreakglassView } from "./breakglass";
import { canonicalId } from "./roles";
import { dependenciesOf, type StackIndex } from "./stack";
import { UNKNOWN, containsUnknown, raw, read, readArray, readBoolean, readString } from "./values";

export const ROLE_POLICY_TYPE = dynamicTypeToken("roleManagementPolicy");
export const AUTHENTICATION_CONTEXT_TYPE = dynamicTypeToken("authenticationContext");

export type PolicyTarget =
  | { kind: "role"; roleDefinitionId: string | undefined }
  | { kind: "group"; groupKey: string | undefined; access: string | undefined };

export interface StackActivationPolicy {
  resource: PolicyResource;
  target: PolicyTarget;
  /** Undefined when a deciding field was unknown at preview (listed in `unknowns`). */
  settings?: ActivationPolicySettings;
  unknowns: string[];
}

/** The id of a declared authentication context resource. */
export function contextIdOf(resource: PolicyResource): string | undefined {
  for (const key of ["id", "contextId", "authenticationContextId", "claimValue"]) {
    const v = readString(resource.props, key);
    if (typeof v === "string") return v;
  }
  return undefined;
}

/** `r.props[property]` as an authentication context id: known, or taken from the context resource it came from. */
function contextAt(r: PolicyResource, ...path: string[]): string | null | typeof UNKNOWN {
  const value = readString(r.props, ...path);
  if (typeof value === "string") return value.trim() === "" ? null : value.trim();
  if (value === undefined) return null;
  const source = dependenciesOf(r, path[0]!, AUTHENTICATION_CONTEXT_TYPE)[0];
  return (source && contextIdOf(source)) ?? UNKNOWN;
}

function tracker() {
  const unknowns: string[] = [];
  const known = <T>(field: string, value: T | typeof UNKNOWN): T | undefined => {
    if (value === UNKNOWN || containsUnknown(value)) {
      unknowns.push(field);
      return undefined;
    }
    return value;
  };
  return { unknowns, known };
}

function rolePolicy(r: PolicyResource): StackActivationPolicy {
  const p = r.props;
  const { unknowns, known } = tracker();
  const role = readString(p, "roleDefinitionId");
  const approvers = read(p, "approval", "approvers");
  const settings: ActivationPolicySettings = {
    roleDefinitionId: typeof role === "string" ? canonicalId(role) : "",
    maxActivationDuration: known("maxActivationDuration", readString(p, "maxActivationDuration")) ?? "",
    requireJustification: known("requireJustification", readBoolean(p, "requireJustification")) ?? false,
    requireTicket: known("requireTicket", readBoolean(p, "requireTicket")) ?? false,
    requireMfa: known("requireMfa", readBoolean(p, "requireMfa")) ?? false,
    authenticationContextId: known("authenticationContextId", contextAt(r, "authenticationContextId")) ?? null,
    approval: {
      required: known("approval.required", readBoolean(p, "approval", "required")) ?? false,
      approvers: ((known("approval.approvers", approvers) as unknown[] | undefined) ?? []).map(
        (a) => raw(a) as ApproverRef,
      ),
    },
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients: (
      (known("notificationRecipients", readArray(p, "notificationRecipients")) as unknown[] | undefined) ?? []
    ).filter((x): x is string => typeof x === "string"),
  };
  if (role === UNKNOWN) unknowns.push("roleDefinitionId");
  return {
    resource: r,
    target: { kind: "role", roleDefinitionId: typeof role === "string" ? canonicalId(role) : undefined },
    ...(unknowns.length === 0 ? { settings } : {}),
    unknowns,
  };
}

/** Recipients every one of the three admin notifications reaches (the model's one list). */
function commonAdminRecipients(p: unknown, known: ReturnType<typeof tracker>["known"]): string[] {
  const lists = ["eligibleAssignments", "activeAssignments", "eligibleActivations"].map((rule) => {
    const list = known(
      `notificationRules.${rule}.adminNotifications`,
      readArray(p, "notificationRules", rule, "adminNotifications", "additionalRecipients"),
    );
    return (list ?? []).filter((x): x is string => typeof x === "string").map((x) => x.trim().toLowerCase());
  });
  return lists[0]!.filter((r) => lists.every((l) => l.includes(r)));
}

function groupPolicy(r: PolicyResource, index: StackIndex, view: BreakglassView): StackActivationPolicy {
  const p = r.props;
  const { unknowns, known } = tracker();
  const group = principalAt(r, "groupId", index, view);
  const access = readString(p, "roleId");
  const rules = (field: string) => known(`activationRules.${field}`, read(p, "activationRules", field));
  const approvers = (
    known("activationRules.approvalStage", readArray(p, "activationRules", "approvalStage", "primaryApprovers")) ?? []
  ).map((a) => {
    const type = readString(a, "type");
    const id = readString(a, "objectId");
    return { kind: type === "groupMembers" ? "group" : "user", id: typeof id === "string" ? id : "" } as ApproverRef;
  });
  const duration = rules("maximumDuration");
  const settings: ActivationPolicySettings = {
    roleDefinitionId: "",
    maxActivationDuration: typeof duration === "string" ? duration : "",
    requireJustification: rules("requireJustification") === true,
    requireTicket: rules("requireTicketInfo") === true,
    requireMfa: rules("requireMultifactorAuthentication") === true,
    authenticationContextId:
      known(
        "activationRules.requiredConditionalAccessAuthenticationContext",
        contextAt(r, "activationRules", "requiredConditionalAccessAuthenticationContext"),
      ) ?? null,
    approval: { required: rules("requireApproval") === true, approvers },
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients: commonAdminRecipients(p, known),
  };
  if (access === UNKNOWN) unknowns.push("roleId");
  if (group === undefined || group.key.startsWith("unknown:")) unknowns.push("groupId");
  return {
    resource: r,
    target: {
      kind: "group",
      groupKey: group?.key,
      access: typeof access === "string" ? access.toLowerCase() : undefined,
    },
    ...(unknowns.length === 0 ? { settings } : {}),
    unknowns,
  };
}

/** Every activation policy the stack declares. */
export function stackActivationPolicies(index: StackIndex, view: BreakglassView): StackActivationPolicy[] {
  return [
    ...index.of(ROLE_POLICY_TYPE).map(rolePolicy),
    ...index.of(providerTypes.groupRoleManagementPolicy).map((r) => groupPolicy(r, index, view)),
  ];
}
