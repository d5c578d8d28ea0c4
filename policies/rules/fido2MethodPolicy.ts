/**
 * fido2-method-policy — severity high, mandatory.
 * Controls: CISA MS.AAD.3.6, ZTA 21835 (emergency accounts sign in with FIDO2 keys).
 * Catalogue: FIDO2-KEEPS-KEYS (src/model/catalogue.ts).
 *
 * Adapter only: the stack's one FIDO2 method policy (the model's pulumi-nodejs:dynamic/breakglass:Fido2MethodPolicy)
 * is read as the configuration it will leave in the tenant — in either of Graph's shapes, since the tenant's shape is
 * only known once the resource has read it (its `tenantShape` output) — and judged by src/model/fido2.ts
 * `fido2PolicyProblems` against what the stack config declares for the emergency keys: enabled, targeting the
 * exclusion group, the group's profile (or the tenant-wide settings) at least as strict as declared and letting the
 * declared models register. Whether each account's keys are of those models is the audit's part (it reads the keys).
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  dynamicTypeToken,
  fido2PolicyProblems,
  passkeyTypesOf,
  policyNames,
  type DeclaredFido2,
  type Fido2PolicyFacts,
  type Fido2PolicyShape,
  type KeyRestrictionFacts,
} from "@entra-baseline/model";
import { breakglassView } from "../lib/breakglass";
import { breakglassGroupNameSchema, breakglassUpnsSchema, policyConfig, schema } from "../lib/config";
import { principalAt } from "../lib/principals";
import { describeResource, indexStack } from "../lib/stack";
import { containsUnknown, raw, read, readString } from "../lib/values";

export interface Fido2MethodPolicyConfig {
  breakglassUpns: string[];
  breakglassGroupName: string;
  profile: DeclaredFido2["profile"];
  tenantWide: DeclaredFido2["tenantWide"];
}

const TYPE = dynamicTypeToken("fido2MethodPolicy");
const DECLARED_PROFILE = "declared-profile";

function restrictions(value: unknown): KeyRestrictionFacts | null {
  const r = raw(value) as Record<string, unknown> | null | undefined;
  if (!r || typeof r !== "object") return null;
  return {
    isEnforced: r.isEnforced === true,
    enforcementType: typeof r.enforcementType === "string" ? r.enforcementType.toLowerCase() : "allow",
    aaGuids: Array.isArray(r.aaGuids)
      ? r.aaGuids.filter((a): a is string => typeof a === "string").map((a) => a.toLowerCase())
      : [],
  };
}

/** The tenant's FIDO2 configuration as the resource will leave it, in the given shape. */
function factsAfterWrite(r: PolicyResource, groupKey: string, shape: Fido2PolicyShape): Fido2PolicyFacts {
  const profile = raw(read(r.props, "profile")) as Record<string, unknown> | null | undefined;
  const wide = (raw(read(r.props, "tenantWide")) ?? {}) as Record<string, unknown>;
  const state = readString(r.props, "state");
  return {
    shape,
    state: typeof state === "string" ? state : "",
    isSelfServiceRegistrationAllowed: null,
    includeTargets: [
      {
        id: groupKey,
        targetType: "group",
        allowedPasskeyProfiles: shape === "passkeyProfiles" && profile ? [DECLARED_PROFILE] : [],
      },
    ],
    excludeTargetIds: [],
    defaultPasskeyProfile: null,
    profiles:
      shape === "passkeyProfiles" && profile
        ? [
            {
              id: DECLARED_PROFILE,
              name: String(profile.name ?? ""),
              attestationEnforcement: String(profile.attestationEnforcement ?? ""),
              passkeyTypes: passkeyTypesOf(profile.passkeyTypes),
              keyRestrictions: restrictions(profile.keyRestrictions),
            },
          ]
        : [],
    // Keys the stack does not declare stay as the tenant has them: judged as unrestricted here, by the audit live.
    tenantWide: {
      isAttestationEnforced: typeof wide.isAttestationEnforced === "boolean" ? wide.isAttestationEnforced : null,
      keyRestrictions: restrictions(wide.keyRestrictions),
    },
  };
}

export const fido2MethodPolicy: StackValidationPolicy = {
  name: policyNames.fido2MethodPolicy,
  description:
    "One FIDO2 method policy, enabled for the exclusion group, whose passkey profile (or tenant-wide settings) is at least as strict as the stack declares and lets the declared key models register (CISA MS.AAD.3.6, ZTA 21835).",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassGroupName: breakglassGroupNameSchema,
    profile: {
      type: "object",
      default: { enforceAttestation: true, aaguids: [], passkeyTypes: ["deviceBound"] },
      description: "breakglass.fido2.profile: what the emergency keys must be (attestation, models, passkey types).",
      additionalProperties: false,
      properties: {
        enforceAttestation: { type: "boolean" },
        aaguids: { type: "array", items: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" } },
        passkeyTypes: { type: "array", items: { type: "string", enum: ["deviceBound", "synced"] } },
      },
    },
    tenantWide: {
      type: "object",
      default: {},
      description:
        "breakglass.fido2.tenantWide: the tenant-wide settings the stack owns in a tenant without passkey profiles.",
      additionalProperties: false,
      properties: {
        enforceAttestation: { type: "boolean" },
        aaguids: { type: "array", items: { type: "string", pattern: "^[0-9a-fA-F-]{36}$" } },
      },
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<Fido2MethodPolicyConfig>(args, fido2MethodPolicy.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    const policies = index.of(TYPE);
    if (policies.length === 0) {
      reportViolation(
        `No FIDO2 method policy is declared (${TYPE}): nothing holds the emergency accounts' keys usable.`,
      );
      return;
    }
    if (policies.length > 1) {
      reportViolation(
        `${policies.length} resources write the one FIDO2 method policy (${policies.map((p) => p.name).join(", ")}); they would overwrite each other.`,
      );
    }
    for (const r of policies) {
      const unknown = ["state", "profile", "tenantWide"].filter((k) => containsUnknown(read(r.props, k)));
      for (const field of unknown)
        reportViolation(
          `${describeResource(r)}: ${field} is unknown at preview, so the FIDO2 policy cannot be verified; declare it from config.`,
          r.urn,
        );
      if (unknown.length > 0) continue;
      const target = principalAt(r, "targetGroupId", index, view);
      const groupKeys = [...view.groupObjectIds, ...view.groups.map((g) => g.urn)].map((k) => k.toLowerCase());
      const targetKey = target?.key.toLowerCase();
      if (!targetKey || !groupKeys.includes(targetKey)) {
        reportViolation(
          `${describeResource(r)} targets ${target?.label ?? "no group"}, not the exclusion group "${cfg.breakglassGroupName}": the emergency accounts' keys would not be governed by it.`,
          r.urn,
        );
        continue;
      }
      const shape = readString(r.props, "tenantShape");
      const shapes: Fido2PolicyShape[] =
        shape === "passkeyProfiles" || shape === "tenantWide" ? [shape] : ["passkeyProfiles", "tenantWide"];
      const declared: DeclaredFido2 = { groupId: targetKey, profile: cfg.profile, tenantWide: cfg.tenantWide };
      const problems = new Set(shapes.flatMap((s) => fido2PolicyProblems(factsAfterWrite(r, targetKey, s), declared)));
      for (const problem of problems) reportViolation(`${describeResource(r)}: ${problem}.`, r.urn);
    }
  },
};
