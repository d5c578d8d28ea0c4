/**
 * ga-activation-policy — severity critical, mandatory.
 * Controls: CISA MS.AAD.7.6 (GA activation requires approval), MS.AAD.7.7/7.8 (assignment/activation alerts),
 * MS.AAD.3.6 (phishing-resistant MFA for privileged roles), ZTA 21817 (GA approval), 21818–21820 (notifications),
 * Microsoft365DSC AADRoleSetting. Beyond them: activation duration, ticket, and a *fresh* MFA challenge.
 *
 * The Global Administrator PIM policy (our `pim:RoleManagementPolicy` dynamic resource) must exist and must not be
 * weakened — the "weakened" definition is src/model/activationPolicy.ts, shared with the live-tenant audit. The
 * authentication context it requires must be declared (available) and targeted by an enabled Conditional Access
 * policy that forces sign-in every time and grants only with the phishing-resistant MFA authentication strength, or
 * "fresh phishing-resistant MFA" is only a label (src/model/activationContextPolicy.ts, shared with the audit).
 *
 * Preview: the authentication context id may be unknown when wired from the AuthenticationContext resource; it is
 * then taken from that resource (propertyDependencies). Any other unknown setting is reported, never skipped.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  activationContextPolicyGaps,
  type ActivationPolicySettings,
  activationPolicyWeaknesses,
  type ApproverRef,
  dynamicTypeToken,
  GLOBAL_ADMINISTRATOR,
  policyNames,
  providerTypes,
  ACTIVATION_STRENGTHS,
  STRENGTH_PHRASES,
  type ActivationStrength,
} from "@entra-baseline/model";
import { policyConfig, schema } from "../lib/config";
import { dependenciesOf, describeResource, indexStack, type StackIndex } from "../lib/stack";
import { UNKNOWN, containsUnknown, raw, read, readArray, readBoolean, readString } from "../lib/values";

export interface GaActivationPolicyConfig {
  maxActivationDuration: string;
  /** The authentication context the activation must require ("" = any). */
  authenticationContextId: string;
  /** Also require an enabled CA policy forcing sign-in every time with phishing-resistant MFA on that context. */
  requireFreshSignIn: boolean;
  /** The strength the context's CA policy must demand at least (pim.activationStrength). */
  activationStrength: ActivationStrength;
}

const types = {
  policy: dynamicTypeToken("roleManagementPolicy"),
  authenticationContext: dynamicTypeToken("authenticationContext"),
  graphCaPolicy: dynamicTypeToken("graphConditionalAccessPolicy"),
  eligibility: providerTypes.directoryRoleEligibilityScheduleRequest,
};

export const gaActivationPolicy: StackValidationPolicy = {
  name: policyNames.gaActivationPolicy,
  description:
    "The Global Administrator activation policy exists and is not weakened: bounded duration, justification, ticket, authentication context with a fresh sign-in, approval by someone other than the requester, notifications (CISA MS.AAD.7.6–7.8).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    maxActivationDuration: {
      type: "string",
      default: "PT4H",
      description: "Longest allowed GA activation (ISO 8601); limits.activationDuration.max.",
    },
    authenticationContextId: {
      type: "string",
      default: "",
      description: "Authentication context (c1…c99) the activation must require; empty = any.",
    },
    activationStrength: {
      type: "string",
      enum: [...ACTIVATION_STRENGTHS],
      default: "mfa",
      description:
        "Authentication strength the activation context's CA policy must demand at least (pim.activationStrength).",
    },
    requireFreshSignIn: {
      type: "boolean",
      default: true,
      description:
        "Require an enabled CA policy with sign-in frequency 'every time' and phishing-resistant MFA on that context.",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<GaActivationPolicyConfig>(args, gaActivationPolicy.configSchema);
    const index = indexStack(args);
    const gaPolicies = index.of(types.policy).filter((p) => {
      const role = readString(p.props, "roleDefinitionId");
      return role === UNKNOWN || role?.toLowerCase() === GLOBAL_ADMINISTRATOR;
    });
    if (gaPolicies.length === 0) {
      reportViolation(
        `No Global Administrator activation policy (${types.policy} with roleDefinitionId ${GLOBAL_ADMINISTRATOR}) is declared; PIM defaults allow 8-hour activations without approval.`,
      );
      return;
    }
    if (gaPolicies.length > 1) {
      reportViolation(
        `${gaPolicies.length} resources manage the one Global Administrator activation policy (${gaPolicies.map((p) => p.name).join(", ")}); they would overwrite each other.`,
      );
    }
    const requesterIds = index
      .of(types.eligibility)
      .filter((e) => readString(e.props, "roleDefinitionId")?.toString().toLowerCase() === GLOBAL_ADMINISTRATOR)
      .map((e) => readString(e.props, "principalId"))
      .filter((id): id is string => typeof id === "string");

    for (const policy of gaPolicies) {
      const { settings, unknowns } = readSettings(policy);
      for (const field of unknowns) {
        reportViolation(
          `${describeResource(policy)}: ${field} is unknown at preview, so the activation policy cannot be verified; declare it from config.`,
          policy.urn,
        );
      }
      if (!settings) continue;
      for (const problem of activationPolicyWeaknesses(
        settings,
        { maxActivationDuration: cfg.maxActivationDuration },
        requesterIds,
      )) {
        reportViolation(`${describeResource(policy)}: ${problem}.`, policy.urn);
      }
      const context = settings.authenticationContextId;
      if (context && cfg.authenticationContextId && context !== cfg.authenticationContextId) {
        reportViolation(
          `${describeResource(policy)}: activation requires authentication context "${context}", not the configured "${cfg.authenticationContextId}".`,
          policy.urn,
        );
      }
      if (context && cfg.requireFreshSignIn) {
        for (const problem of contextProblems(context, index, cfg.activationStrength))
          reportViolation(`${describeResource(policy)}: ${problem}.`, policy.urn);
      }
    }
  },
};

/** The dynamic resource's props as ActivationPolicySettings; fields unknown at preview are listed, not guessed. */
function readSettings(policy: PolicyResource): { settings?: ActivationPolicySettings; unknowns: string[] } {
  const p = policy.props;
  const unknowns: string[] = [];
  const known = <T>(field: string, value: T | typeof UNKNOWN): T | undefined => {
    if (value === UNKNOWN || containsUnknown(value)) {
      unknowns.push(field);
      return undefined;
    }
    return value;
  };
  let contextId = readString(p, "authenticationContextId");
  if (contextId === UNKNOWN) {
    const source = dependenciesOf(policy, "authenticationContextId", types.authenticationContext)[0];
    const fromSource = source ? contextIdOf(source) : undefined;
    contextId = fromSource ?? UNKNOWN;
  }
  const approvers = read(p, "approval", "approvers");
  const settings: ActivationPolicySettings = {
    roleDefinitionId: known("roleDefinitionId", readString(p, "roleDefinitionId")) ?? GLOBAL_ADMINISTRATOR,
    maxActivationDuration: known("maxActivationDuration", readString(p, "maxActivationDuration")) ?? "",
    requireJustification: known("requireJustification", readBoolean(p, "requireJustification")) ?? false,
    requireTicket: known("requireTicket", readBoolean(p, "requireTicket")) ?? false,
    requireMfa: known("requireMfa", readBoolean(p, "requireMfa")) ?? false,
    authenticationContextId: known("authenticationContextId", contextId) ?? null,
    approval: {
      required: known("approval.required", readBoolean(p, "approval", "required")) ?? false,
      approvers: (known("approval.approvers", approvers) as ApproverRef[] | undefined) ?? [],
    },
    eligibilityExpiration: { required: false, maximumDuration: null },
    activeAssignmentExpiration: { required: false, maximumDuration: null },
    notificationRecipients:
      (known("notificationRecipients", readArray(p, "notificationRecipients")) as string[] | undefined) ?? [],
  };
  return { settings: unknowns.length > 0 ? undefined : settings, unknowns };
}

function contextIdOf(resource: PolicyResource): string | undefined {
  for (const key of ["id", "contextId", "authenticationContextId", "claimValue"]) {
    const v = readString(resource.props, key);
    if (typeof v === "string") return v;
  }
  return undefined;
}

/** The context must exist, be available, and be targeted by an enabled CA policy forcing fresh phishing-resistant MFA. */
function contextProblems(contextId: string, index: StackIndex, strength: ActivationStrength): string[] {
  const problems: string[] = [];
  const contexts = index.of(types.authenticationContext).filter((c) => contextIdOf(c) === contextId);
  if (contexts.length === 0) {
    problems.push(
      `authentication context "${contextId}" is not declared in this stack (${types.authenticationContext})`,
    );
  } else if (contexts.every((c) => readBoolean(c.props, "isAvailable") === false)) {
    problems.push(
      `authentication context "${contextId}" is not available (isAvailable false), so no CA policy can target it`,
    );
  }
  const targeting = index.of(types.graphCaPolicy).filter((ca) => {
    const refs = readArray(ca.props, "conditions", "applications", "includeAuthenticationContextClassReferences");
    return Array.isArray(refs) && refs.includes(contextId);
  });
  if (targeting.length === 0) {
    problems.push(
      `no Conditional Access policy targets authentication context "${contextId}", so activation forces no fresh MFA`,
    );
    return problems;
  }
  // One enforcing policy is enough (every applicable CA policy applies). A policy whose deciding fields are unknown
  // at preview can be neither counted nor dismissed: it is reported as unverifiable, never assumed to enforce.
  const unknownFields = (ca: PolicyResource) =>
    ["state", "sessionControls", "grantControls"].filter(
      (key) => read(ca.props, key) === UNKNOWN || containsUnknown(read(ca.props, key)),
    );
  const known = targeting.filter((ca) => unknownFields(ca).length === 0);
  if (known.some((ca) => activationContextPolicyGaps(raw(ca.props), strength).length === 0)) return problems;
  for (const ca of targeting.filter((t) => !known.includes(t))) {
    problems.push(
      `${unknownFields(ca).join(", ")} of the Conditional Access policy ${ca.name} on authentication context "${contextId}" ${unknownFields(ca).length > 1 ? "are" : "is"} unknown at preview, so the fresh MFA on activation cannot be verified; declare it from config`,
    );
  }
  if (known.length > 0) {
    problems.push(
      `no Conditional Access policy on authentication context "${contextId}" is enabled with sign-in frequency "everyTime" and a grant of ${STRENGTH_PHRASES[strength]}, so activation does not force a fresh ${STRENGTH_PHRASES[strength]}: ${known
        .map((ca) => `${ca.name}: ${activationContextPolicyGaps(raw(ca.props), strength).join("; ")}`)
        .join(" | ")}`,
    );
  }
  return problems;
}
