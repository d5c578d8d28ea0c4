/**
 * The tenant's FIDO2 authentication-method configuration on the loopback Graph, in both documented shapes (docs/references.md, "Microsoft Graph"):
 * `GET …/authenticationMethodConfigurations/fido2` answers the configuration with its annotations; `PATCH` answers
 * 204 and stores each top-level property sent (a collection sent replaces the stored one: the stricter reading of an
 * undocumented point, under which anything a client leaves out is lost). It answers 400, as Graph documents the
 * fields as required, to a PATCH without `@odata.type`, to a profile tenant's target without `allowedPasskeyProfiles`
 * or naming a profile that does not exist, and to a profile list without the default profile (non-deletable).
 */
import type { FakeGraph } from "./graphServer";
import { graphError } from "./graphServer";

export const FIDO2_PATH = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";

type Json = Record<string, any>;

export const DEFAULT_PROFILE_ID = "00000000-0000-0000-0000-000000000001";
export const YUBIKEY_5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
export const YUBIKEY_5_NFC = "ee882879-721c-4913-9775-3dfcce97072a";

/** A tenant without passkey profiles where FIDO2 is on for everyone, without attestation or restrictions. */
export function tenantWideConfiguration(): Json {
  return {
    "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
    id: "Fido2",
    state: "enabled",
    isSelfServiceRegistrationAllowed: true,
    isAttestationEnforced: false,
    defaultPasskeyProfile: null,
    keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
    excludeTargets: [],
  };
}

/**
 * A migrated tenant (shape of a live answer: the default profile mirrors the old tenant-wide settings, which Graph
 * still returns; a second profile of another team for synced passkeys).
 */
export function profileConfiguration(): Json {
  return {
    "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
    id: "Fido2",
    state: "enabled",
    isSelfServiceRegistrationAllowed: true,
    isAttestationEnforced: false,
    defaultPasskeyProfile: DEFAULT_PROFILE_ID,
    keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
    includeTargets: [
      {
        targetType: "group",
        id: "all_users",
        isRegistrationRequired: false,
        allowedPasskeyProfiles: [DEFAULT_PROFILE_ID],
      },
      {
        targetType: "group",
        id: "7b1d9c55-0c0e-4bd5-9a64-3c3f4d5e6f70",
        isRegistrationRequired: true,
        allowedPasskeyProfiles: ["e47a833c-5dfa-45f1-9471-bb0cf0eb425b", DEFAULT_PROFILE_ID],
      },
    ],
    excludeTargets: [{ targetType: "group", id: "0a0b0c0d-1111-2222-3333-444455556666" }],
    passkeyProfiles: [
      {
        id: DEFAULT_PROFILE_ID,
        name: "Default passkey profile",
        passkeyTypes: "deviceBound,synced",
        attestationEnforcement: "disabled",
        keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
      },
      {
        id: "e47a833c-5dfa-45f1-9471-bb0cf0eb425b",
        name: "synced",
        passkeyTypes: "synced",
        attestationEnforcement: "disabled",
        keyRestrictions: {
          isEnforced: false,
          enforcementType: "allow",
          aaGuids: ["dd4ec289-e01d-41c9-bb89-70fa845d4bf2"],
        },
      },
    ],
  };
}

export class FakeFido2Policy {
  /** The stored configuration (tests arrange and inspect it). */
  config: Json;
  /** When set, a PATCH answers 204 but this top-level field is not stored (Graph's "accepted, not persisted"). */
  dropOnPatch?: string;
  /** When set, GETs leave this top-level field out of the answer. */
  omitOnGet?: string;

  constructor(config: Json = tenantWideConfiguration()) {
    this.config = structuredClone(config);
  }

  install(graph: FakeGraph): this {
    graph.route("GET", FIDO2_PATH, () => {
      const body: Json = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodConfigurations/$entity",
        "includeTargets@odata.context":
          "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations('Fido2')/microsoft.graph.fido2AuthenticationMethodConfiguration/includeTargets",
        ...structuredClone(this.config),
      };
      if (this.omitOnGet) delete body[this.omitOnGet];
      return { body };
    });
    graph.route("PATCH", FIDO2_PATH, (req) => {
      const patch = { ...(req.body as Json) };
      if (patch["@odata.type"] !== "#microsoft.graph.fido2AuthenticationMethodConfiguration") {
        return badRequest("@odata.type is required");
      }
      delete patch["@odata.type"];
      const next = { ...this.config, ...patch };
      const problem = this.profileProblem(next);
      if (problem) return badRequest(problem);
      if (this.dropOnPatch) delete patch[this.dropOnPatch];
      this.config = { ...this.config, ...structuredClone(patch) };
      return { status: 204 };
    });
    return this;
  }

  private profileProblem(next: Json): string | undefined {
    const profiles: Json[] | undefined = next.passkeyProfiles;
    if (!Array.isArray(profiles) || profiles.length === 0) return undefined;
    const ids = profiles.map((p) => String(p.id).toLowerCase());
    if (next.defaultPasskeyProfile && !ids.includes(String(next.defaultPasskeyProfile).toLowerCase()))
      return "The default passkey profile cannot be deleted";
    for (const t of next.includeTargets ?? []) {
      const allowed: unknown = t.allowedPasskeyProfiles;
      if (!Array.isArray(allowed) || allowed.length === 0) return `Target ${t.id}: allowedPasskeyProfiles is required`;
      const unknown = allowed.find((p) => !ids.includes(String(p).toLowerCase()));
      if (unknown) return `Target ${t.id}: passkey profile ${String(unknown)} does not exist`;
    }
    return undefined;
  }
}

function badRequest(message: string) {
  return { status: 400, body: graphError("BadRequest", message) };
}
