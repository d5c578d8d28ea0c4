/**
 * The FIDO2 / passkey method policy and the emergency accounts' keys, as the model judges them. One definition of
 * "which shape is this tenant's policy" for the dynamic resource (src/components/breakglass/fido2MethodPolicy.ts) and
 * the enforcers, and one verdict each for the policy and the keys, shared by the policy pack and the audit.
 *
 * Graph v1.0 has two shapes of the one tenant-wide FIDO2 configuration (docs/references.md, "Microsoft Graph"):
 * - **passkey profiles**: `passkeyProfiles` is a non-empty list; each include target names the profiles that apply to
 *   it (`allowedPasskeyProfiles`, profile ids). Microsoft creates the non-deletable default profile
 *   (`defaultPasskeyProfile`) when a tenant migrates, mirroring the old tenant-wide settings.
 * - **tenant-wide** (legacy): no profiles; `isAttestationEnforced` and `keyRestrictions` apply to every FIDO2 user.
 *   Both are deprecated since 2025-10-15 and stop returning data on 2027-10-15.
 * A migrated tenant still returns the deprecated properties (mirroring its default profile), so the shape is decided
 * by the profiles, never by the absence of the old properties.
 *
 * Profiles are cumulative: a user in several targets may register any passkey one of their profiles allows. The
 * emergency accounts are usually also in `all_users`, so their own profile cannot narrow what they may register; the
 * keys they actually hold are judged by `breakglassKeyProblems` (the audit's part).
 */

export const PASSKEY_TYPES = ["deviceBound", "synced"] as const;
export type PasskeyType = (typeof PASSKEY_TYPES)[number];

/** Graph `attestationEnforcement` values (enum, docs/references.md, "Microsoft Graph"); `registrationOnly` admits attested keys only. */
export const ATTESTATION_ENFORCEMENT = { enforced: "registrationOnly", off: "disabled" } as const;

export type Fido2PolicyShape = "passkeyProfiles" | "tenantWide";

export interface KeyRestrictionFacts {
  isEnforced: boolean;
  /** `allow` | `block` (Graph `fido2RestrictionEnforcementType`). */
  enforcementType: string;
  /** Lower case. */
  aaGuids: string[];
}

export interface PasskeyProfileFacts {
  id: string;
  name: string;
  /** `disabled` | `registrationOnly`. */
  attestationEnforcement: string;
  /** The members of Graph's `passkeyTypes` flags. */
  passkeyTypes: string[];
  keyRestrictions: KeyRestrictionFacts | null;
}

export interface Fido2TargetFacts {
  /** A group object id (lower case) or `all_users`. */
  id: string;
  targetType: string;
  /** Profile ids (lower case); empty in tenant-wide tenants. */
  allowedPasskeyProfiles: string[];
}

/** The tenant's FIDO2 configuration, whichever shape it has. Build it with `fido2PolicyFacts` from a Graph answer. */
export interface Fido2PolicyFacts {
  shape: Fido2PolicyShape;
  /** `enabled` | `disabled`. */
  state: string;
  isSelfServiceRegistrationAllowed: boolean | null;
  includeTargets: Fido2TargetFacts[];
  /** Lower case. */
  excludeTargetIds: string[];
  defaultPasskeyProfile: string | null;
  /** Empty in tenant-wide tenants. */
  profiles: PasskeyProfileFacts[];
  /** The deprecated tenant-wide settings (in a profile tenant they mirror the default profile and govern nothing). */
  tenantWide: { isAttestationEnforced: boolean | null; keyRestrictions: KeyRestrictionFacts | null };
}

/** What the stack declares (config `breakglass.fido2` and the exclusion group's object id). */
export interface DeclaredFido2 {
  /** Object id of the emergency (exclusion) group. */
  groupId: string;
  /** `breakglass.fido2.profile`: what the emergency keys must be. */
  profile: { enforceAttestation: boolean; aaguids: readonly string[]; passkeyTypes: readonly string[] };
  /** `breakglass.fido2.tenantWide`: set keys are owned for every FIDO2 user of a tenant-wide tenant. */
  tenantWide: { enforceAttestation?: boolean; aaguids?: readonly string[] };
}

/** Why a Graph answer cannot be judged: the field, what Graph documents for it, and what came. */
export interface Fido2AnswerError {
  field: string;
  expected: string;
  value: unknown;
}

const lower = (s: string) => s.toLowerCase();

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Graph's `passkeyTypes` flags value for a set of types, members in Graph's order: `deviceBound,synced`. */
export function passkeyTypesFlags(types: readonly string[]): string {
  return PASSKEY_TYPES.filter((t) => types.includes(t)).join(",");
}

/** The members of a `passkeyTypes` flags value (`"deviceBound, synced"` → both); anything else → []. */
export function passkeyTypesOf(flags: unknown): string[] {
  if (typeof flags !== "string") return [];
  return flags
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

function restrictionsOf(value: unknown): KeyRestrictionFacts | null {
  if (!isRecord(value)) return null;
  return {
    isEnforced: value.isEnforced === true,
    enforcementType: typeof value.enforcementType === "string" ? value.enforcementType : "",
    aaGuids: Array.isArray(value.aaGuids) ? value.aaGuids.filter((a) => typeof a === "string").map(lower) : [],
  };
}

function targetsWithIds(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.every((t) => isRecord(t) && typeof t.id === "string" && t.id !== "");
}

/**
 * Which shape a live configuration has, or `ambiguous` when it refers to passkey profiles (a default profile, a
 * target bound to profiles) without listing them: writing to it would have to guess the profiles it does not show.
 */
export function fido2ShapeOf(live: Record<string, unknown>): Fido2PolicyShape | "ambiguous" {
  const profiles = live.passkeyProfiles;
  if (Array.isArray(profiles) && profiles.length > 0) return "passkeyProfiles";
  const namesDefault = typeof live.defaultPasskeyProfile === "string" && live.defaultPasskeyProfile !== "";
  const bound =
    Array.isArray(live.includeTargets) &&
    live.includeTargets.some(
      (t) => isRecord(t) && Array.isArray(t.allowedPasskeyProfiles) && t.allowedPasskeyProfiles.length > 0,
    );
  return namesDefault || bound ? "ambiguous" : "tenantWide";
}

/**
 * The facts of a live `GET …/authenticationMethodConfigurations/fido2` answer, or what makes it unusable: targets
 * without ids, profiles without ids or with a repeated id, or a configuration that refers to profiles it does not list.
 */
export function fido2PolicyFacts(live: unknown): { facts: Fido2PolicyFacts } | { error: Fido2AnswerError } {
  if (!isRecord(live)) return { error: { field: "(body)", expected: "an object", value: live } };
  if (!targetsWithIds(live.includeTargets)) {
    return {
      error: {
        field: "includeTargets",
        expected: "includeTargets as a list of targets with ids",
        value: live.includeTargets,
      },
    };
  }
  if (live.excludeTargets !== undefined && live.excludeTargets !== null && !targetsWithIds(live.excludeTargets)) {
    return {
      error: {
        field: "excludeTargets",
        expected: "excludeTargets as a list of targets with ids",
        value: live.excludeTargets,
      },
    };
  }
  const shape = fido2ShapeOf(live);
  if (shape === "ambiguous") {
    return {
      error: {
        field: "passkeyProfiles",
        expected: "the passkeyProfiles the configuration refers to (defaultPasskeyProfile, allowedPasskeyProfiles)",
        value: live.passkeyProfiles,
      },
    };
  }
  const rawProfiles = shape === "passkeyProfiles" ? (live.passkeyProfiles as unknown[]) : [];
  if (!targetsWithIds(rawProfiles)) {
    return {
      error: {
        field: "passkeyProfiles",
        expected: "passkeyProfiles as a list of profiles with ids",
        value: rawProfiles,
      },
    };
  }
  const ids = rawProfiles.map((p) => lower(String(p.id)));
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) {
    return {
      error: {
        field: "passkeyProfiles",
        expected: `passkeyProfiles with distinct ids ("${repeated}" repeats)`,
        value: ids,
      },
    };
  }
  return {
    facts: {
      shape,
      state: typeof live.state === "string" ? live.state : "",
      isSelfServiceRegistrationAllowed:
        typeof live.isSelfServiceRegistrationAllowed === "boolean" ? live.isSelfServiceRegistrationAllowed : null,
      includeTargets: live.includeTargets.map((t) => ({
        id: lower(String(t.id)),
        targetType: typeof t.targetType === "string" ? t.targetType : "",
        allowedPasskeyProfiles: Array.isArray(t.allowedPasskeyProfiles)
          ? t.allowedPasskeyProfiles.filter((p) => typeof p === "string").map(lower)
          : [],
      })),
      excludeTargetIds: ((live.excludeTargets as Record<string, unknown>[] | undefined | null) ?? []).map((t) =>
        lower(String(t.id)),
      ),
      defaultPasskeyProfile:
        typeof live.defaultPasskeyProfile === "string" && live.defaultPasskeyProfile !== ""
          ? lower(live.defaultPasskeyProfile)
          : null,
      profiles: rawProfiles.map((p) => ({
        id: lower(String(p.id)),
        name: typeof p.name === "string" ? p.name : "",
        attestationEnforcement: typeof p.attestationEnforcement === "string" ? p.attestationEnforcement : "",
        passkeyTypes: passkeyTypesOf(p.passkeyTypes),
        keyRestrictions: restrictionsOf(p.keyRestrictions),
      })),
      tenantWide: {
        isAttestationEnforced: typeof live.isAttestationEnforced === "boolean" ? live.isAttestationEnforced : null,
        keyRestrictions: restrictionsOf(live.keyRestrictions),
      },
    },
  };
}

/** Whether a key restriction lets a key of this model register (no enforced restriction: every model). */
function permitsModel(restrictions: KeyRestrictionFacts | null, aaGuid: string): boolean {
  if (!restrictions?.isEnforced) return true;
  const listed = restrictions.aaGuids.includes(lower(aaGuid));
  return restrictions.enforcementType === "block" ? !listed : listed;
}

function permitsAnyModel(restrictions: KeyRestrictionFacts | null): boolean {
  if (!restrictions?.isEnforced) return true;
  return restrictions.enforcementType === "block" || restrictions.aaGuids.length > 0;
}

function profileLabel(p: PasskeyProfileFacts): string {
  return `passkey profile "${p.name}" (${p.id})`;
}

/** Where one profile bound to the emergency group is looser than the declared keys. */
function looserThanDeclared(p: PasskeyProfileFacts, declared: DeclaredFido2["profile"]): string[] {
  const problems: string[] = [];
  const extraTypes = p.passkeyTypes.filter((t) => !declared.passkeyTypes.includes(t));
  if (extraTypes.length > 0 || p.passkeyTypes.length === 0) {
    problems.push(
      `${profileLabel(p)} allows ${p.passkeyTypes.length === 0 ? "no known passkey type" : `${extraTypes.join(", ")} passkeys`}; the emergency keys are declared ${declared.passkeyTypes.join(", ")} (breakglass.fido2.profile.passkeyTypes)`,
    );
  }
  if (declared.enforceAttestation && p.attestationEnforcement !== ATTESTATION_ENFORCEMENT.enforced) {
    problems.push(
      `${profileLabel(p)} does not enforce attestation (attestationEnforcement "${p.attestationEnforcement}"); the emergency keys are declared attested (breakglass.fido2.profile.enforceAttestation)`,
    );
  }
  const models = declared.aaguids.map(lower);
  if (models.length > 0) {
    const r = p.keyRestrictions;
    if (!r?.isEnforced || r.enforcementType !== "allow") {
      problems.push(
        `${profileLabel(p)} does not restrict models to an allow-list; the emergency keys are declared to be ${models.join(", ")} (breakglass.fido2.profile.aaguids)`,
      );
    } else {
      const extra = r.aaGuids.filter((a) => !models.includes(a));
      if (extra.length > 0)
        problems.push(`${profileLabel(p)} allows models that are not declared: ${extra.join(", ")}`);
    }
  }
  return problems;
}

/**
 * Every way the tenant's FIDO2 configuration fails the emergency accounts or the declaration (empty: compliant).
 *
 * Contract for the enforcers (the pack and the audit call this; they differ only in where the facts come from):
 * - always: FIDO2 `enabled`; the emergency group included and not excluded (an exclusion wins over an inclusion);
 * - passkey-profile tenants: the group's target names at least one profile, each named profile exists and is at
 *   least as strict as `declared.profile` (passkey types within the declared ones, attestation enforced when declared,
 *   an allow-list within the declared models when models are declared), and together they let every declared model
 *   register (with no models declared: some model). Profiles of other targets are not judged: they are other
 *   people's settings (see the module comment for why the keys are judged separately);
 * - tenant-wide tenants: the tenant-wide key restrictions let the declared models register (an enforced allow-list
 *   naming them, or no block of them; with no models declared, an allow-list that is not empty), and each
 *   `declared.tenantWide` key that is set holds (attestation as declared; the allow-list equal to the declared one,
 *   [] meaning no restriction). Undeclared tenant-wide settings are the tenant's.
 * Messages name the group, profile or AAGUID and the config key that declares it.
 */
export function fido2PolicyProblems(facts: Fido2PolicyFacts, declared: DeclaredFido2): string[] {
  const problems: string[] = [];
  const group = lower(declared.groupId);
  if (facts.state !== "enabled") {
    problems.push(
      `the FIDO2 method is ${facts.state ? `"${facts.state}"` : "not enabled"}: the emergency accounts cannot use their keys`,
    );
  }
  if (facts.excludeTargetIds.includes(group)) {
    problems.push(
      `the emergency group ${group} is excluded from the FIDO2 method (an exclusion wins over any inclusion)`,
    );
  }
  const target = facts.includeTargets.find((t) => t.id === group);
  if (!target) problems.push(`the emergency group ${group} is not a target of the FIDO2 method`);

  if (facts.shape === "passkeyProfiles") {
    if (target && target.allowedPasskeyProfiles.length === 0) {
      problems.push(`the emergency group's FIDO2 target names no passkey profile`);
    }
    const bound: PasskeyProfileFacts[] = [];
    for (const id of target?.allowedPasskeyProfiles ?? []) {
      const profile = facts.profiles.find((p) => p.id === id);
      if (profile) bound.push(profile);
      else problems.push(`the emergency group's FIDO2 target names passkey profile ${id}, which does not exist`);
    }
    // Each profile must be at least as strict as declared (profiles add up: the loosest one decides) …
    for (const profile of bound) problems.push(...looserThanDeclared(profile, declared.profile));
    if (bound.length === 0) return problems;
    // … and together they must let the declared keys register.
    for (const model of declared.profile.aaguids) {
      if (!bound.some((p) => permitsModel(p.keyRestrictions, model)))
        problems.push(
          `no passkey profile of the emergency group lets declared model ${lower(model)} register (breakglass.fido2.profile.aaguids)`,
        );
    }
    if (declared.profile.aaguids.length === 0 && !bound.some((p) => permitsAnyModel(p.keyRestrictions)))
      problems.push("the emergency group's passkey profiles enforce empty allow-lists: no key can be registered");
    return problems;
  }

  const restrictions = facts.tenantWide.keyRestrictions;
  for (const model of declared.profile.aaguids) {
    if (!permitsModel(restrictions, model))
      problems.push(
        `the tenant-wide FIDO2 key restrictions do not let declared model ${lower(model)} register (breakglass.fido2.profile.aaguids)`,
      );
  }
  if (declared.profile.aaguids.length === 0 && !permitsAnyModel(restrictions))
    problems.push("the tenant-wide FIDO2 key restrictions enforce an empty allow-list: no key can be registered");
  const wide = declared.tenantWide;
  if (wide.enforceAttestation !== undefined && facts.tenantWide.isAttestationEnforced !== wide.enforceAttestation) {
    problems.push(
      `tenant-wide attestation is ${facts.tenantWide.isAttestationEnforced === true ? "enforced" : "not enforced"}; breakglass.fido2.tenantWide.enforceAttestation declares ${wide.enforceAttestation ? "enforced" : "not enforced"}`,
    );
  }
  if (wide.aaguids !== undefined) {
    const want = [...new Set(wide.aaguids.map(lower))].sort();
    const have =
      restrictions?.isEnforced && restrictions.enforcementType === "allow"
        ? [...new Set(restrictions.aaGuids)].sort()
        : [];
    const restrictedOtherwise = restrictions?.isEnforced === true && restrictions.enforcementType !== "allow";
    if (restrictedOtherwise || want.join() !== have.join()) {
      problems.push(
        `the tenant-wide FIDO2 allow-list is ${restrictedOtherwise ? `a ${restrictions.enforcementType} list` : have.length > 0 ? have.join(", ") : "off"}; breakglass.fido2.tenantWide.aaguids declares ${want.length > 0 ? want.join(", ") : "none (no restriction)"}`,
      );
    }
  }
  return problems;
}

/** One registered key, as Graph's `fido2AuthenticationMethod` describes it (docs/references.md, "Microsoft Graph"). */
export interface Fido2KeyFacts {
  id?: string;
  displayName?: string | null;
  model?: string | null;
  aaGuid?: string | null;
  /** `deviceBound` | `synced`; absent on keys Graph reports without it. */
  passkeyType?: string | null;
  /** `attested` | `notAttested`. */
  attestationLevel?: string | null;
}

export interface BreakglassAccountKeys {
  /** How messages name the account (its UPN). */
  account: string;
  keys: readonly Fido2KeyFacts[];
}

/**
 * Every emergency account without a usable key, and every key that is not what `declared` (config
 * `breakglass.fido2.profile`) says the emergency keys are — in both tenant shapes: in a tenant-wide tenant nothing
 * else holds the group to its declaration, and in a profile tenant `all_users`' profile may let more through.
 *
 * Contract: the audit calls it with each account's `GET /users/{id}/authentication/fido2Methods` answer. An account
 * needs at least one key; each key must be of a declared model when models are declared (a key without an aaGuid
 * fails then), device-bound when synced passkeys are not declared (a key Graph reports without `passkeyType` predates
 * synced passkeys and passes), and attested when attestation is declared. The pack has no keys to judge.
 */
export function breakglassKeyProblems(
  accounts: readonly BreakglassAccountKeys[],
  declared: DeclaredFido2["profile"],
): string[] {
  const problems: string[] = [];
  const models = declared.aaguids.map(lower);
  for (const { account, keys } of accounts) {
    if (keys.length === 0) {
      problems.push(`breakglass account ${account} has no FIDO2 key or passkey registered`);
      continue;
    }
    for (const key of keys) {
      const label = `key "${key.displayName ?? key.model ?? key.id ?? "(unnamed)"}" of breakglass account ${account}`;
      const aaGuid = typeof key.aaGuid === "string" ? lower(key.aaGuid) : "";
      if (models.length > 0 && !models.includes(aaGuid)) {
        problems.push(
          `${label} is ${aaGuid ? `model ${aaGuid}` : "of no reported model"}, not one of the declared ${models.join(", ")} (breakglass.fido2.profile.aaguids)`,
        );
      }
      if (typeof key.passkeyType === "string" && !declared.passkeyTypes.includes(key.passkeyType)) {
        problems.push(
          `${label} is a ${key.passkeyType} passkey; the emergency keys are declared ${declared.passkeyTypes.join(", ")} (breakglass.fido2.profile.passkeyTypes)`,
        );
      }
      if (declared.enforceAttestation && key.attestationLevel !== "attested") {
        problems.push(
          `${label} is ${key.attestationLevel ? `"${key.attestationLevel}"` : "of no reported attestation level"}, not attested (breakglass.fido2.profile.enforceAttestation)`,
        );
      }
    }
  }
  return problems;
}
