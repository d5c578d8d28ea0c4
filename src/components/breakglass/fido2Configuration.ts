/**
 * The FIDO2 configuration as data, for src/components/breakglass/fido2MethodPolicy.ts: the resource's props (Graph's
 * field names), the PATCH that brings a live configuration of either shape to them (`planFido2Write`), what the
 * read-back must show (`readBackGaps`), and the props a refresh stores (`fido2PropsFromLive`, `currentProps` for a
 * state written by 0.2). No I/O: the provider reads and writes; everything it decides is here.
 */
import { randomUUID } from "node:crypto";
import { differences, type GraphConnection, type GraphResourceProps } from "../../graph/dynamicProvider";
import { passkeyTypesFlags, passkeyTypesOf, type Fido2PolicyShape } from "@entra-baseline/model";

export const FIDO2_POLICY_PATH = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";
export const FIDO2_ODATA_TYPE = "#microsoft.graph.fido2AuthenticationMethodConfiguration";

/** Graph `fido2KeyRestrictions`. */
export interface KeyRestrictions {
  isEnforced: boolean;
  enforcementType?: "allow" | "block";
  aaGuids?: string[];
}

/** The emergency group's own passkey profile, in Graph's `passkeyProfile` field names (without the id). */
export interface PasskeyProfileSettings {
  /** How the profile is found again when its id is not in the state (a retried create, an import). */
  name: string;
  attestationEnforcement: "disabled" | "registrationOnly";
  /** Graph flags, comma-joined: `deviceBound`, `synced` or `deviceBound,synced`. */
  passkeyTypes: string;
  keyRestrictions: KeyRestrictions;
}

/**
 * Tenant-wide settings of a tenant without passkey profiles, in Graph's field names. Only the keys present are
 * owned; `keyRestrictions: { isEnforced: false }` switches restrictions off and leaves the tenant's list in place.
 */
export interface TenantWideFido2Settings {
  isAttestationEnforced?: boolean;
  keyRestrictions?: KeyRestrictions;
}

export interface Fido2MethodPolicyProps extends GraphResourceProps {
  /** Always "enabled"; kept as a prop so that a refresh shows a policy someone turned off. */
  state: "enabled" | "disabled";
  /** Object id of the group that must be able to register keys (the breakglass group). */
  targetGroupId: string;
  isSelfServiceRegistrationAllowed: boolean;
  /** Applies in passkey-profile tenants. Read back as null when the group has no profile of its own. */
  profile: PasskeyProfileSettings | null;
  /** Applies in tenant-wide tenants. */
  tenantWide: TenantWideFido2Settings;
  /** Output: the shape the tenant had at the last write or refresh. */
  tenantShape?: Fido2PolicyShape;
  /** Output: the id of the group's passkey profile ("" in a tenant-wide tenant). */
  profileId?: string;
}

type Json = Record<string, unknown>;

/** The configuration as Graph answers it; only the fields this resource reads or writes are named. */
export interface Fido2Configuration {
  "@odata.type"?: string;
  state?: string;
  isSelfServiceRegistrationAllowed?: boolean;
  isAttestationEnforced?: boolean;
  keyRestrictions?: KeyRestrictions | null;
  defaultPasskeyProfile?: string | null;
  includeTargets?: Json[];
  excludeTargets?: Json[];
  passkeyProfiles?: Json[];
  [field: string]: unknown;
}

/** A checked live answer: its shape, and the configuration to merge into. */
export interface LivePolicy {
  shape: Fido2PolicyShape;
  raw: Fido2Configuration;
}

/** The PATCH that brings the live policy to the props, if one is needed. */
export interface Fido2Plan {
  /** Where the live policy falls short (empty: no write). */
  gaps: string[];
  body: Fido2Configuration;
  /** The group's passkey profile id ("" in a tenant-wide tenant). */
  profileId: string;
}

const sameId = (a: unknown, b: unknown) =>
  typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
/** Profile names as a person reads them: case and surrounding spaces do not make another profile. */
const sameName = (a: unknown, b: string) => typeof a === "string" && a.trim().toLowerCase() === b.trim().toLowerCase();

/** An object as sent back to Graph: every property but instance annotations (`@odata.context`, `x@odata.…`). */
function withoutAnnotations(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !k.includes("@") || k === "@odata.type"));
}

/** Our profile in the form compared: flags in Graph's order, so "synced,deviceBound" is not a change. */
function comparableProfile(p: Json | PasskeyProfileSettings): Json {
  return { ...p, passkeyTypes: passkeyTypesFlags(passkeyTypesOf(p.passkeyTypes)) };
}

function profileSettings(p: PasskeyProfileSettings): Json {
  return {
    name: p.name,
    attestationEnforcement: p.attestationEnforcement,
    passkeyTypes: p.passkeyTypes,
    keyRestrictions: { ...p.keyRestrictions },
  };
}

/** The group's profile in the live policy: the one the state names, else the one of the configured name. */
function findOwnProfile(raw: Fido2Configuration, settings: PasskeyProfileSettings, knownId?: string): Json | undefined {
  const profiles = raw.passkeyProfiles ?? [];
  if (knownId) {
    const known = profiles.find((p) => sameId(p.id, knownId));
    if (known) return known;
  }
  const namesakes = profiles.filter((p) => sameName(p.name, settings.name));
  if (namesakes.length > 1) {
    throw new Error(
      `${namesakes.length} passkey profiles are named "${settings.name}" (${namesakes.map((p) => String(p.id)).join(", ")}); rename the extra ones or choose another breakglass.fido2.profile.name (nothing was changed)`,
    );
  }
  const found = namesakes[0];
  if (found && sameId(found.id, raw.defaultPasskeyProfile)) {
    throw new Error(
      `the tenant's default passkey profile (${String(found.id)}) is named "${settings.name}": it applies to everyone it targets and is never changed by this stack; choose another breakglass.fido2.profile.name (nothing was changed)`,
    );
  }
  return found;
}

/** The include targets other than the group that use a profile. */
function otherUsers(raw: Fido2Configuration, profileId: string, groupId: string): string[] {
  return (raw.includeTargets ?? [])
    .filter((t) => !sameId(t.id, groupId))
    .filter(
      (t) => Array.isArray(t.allowedPasskeyProfiles) && t.allowedPasskeyProfiles.some((p) => sameId(p, profileId)),
    )
    .map((t) => String(t.id));
}

function groupTarget(raw: Fido2Configuration, groupId: string): Json | undefined {
  return (raw.includeTargets ?? []).find((t) => sameId(t.id, groupId));
}

function isExcluded(raw: Fido2Configuration, groupId: string): boolean {
  return (raw.excludeTargets ?? []).some((t) => sameId(t.id, groupId));
}

/** Gaps every shape shares: state, self-service registration, the group's exclusion. */
function commonGaps(props: Fido2MethodPolicyProps, raw: Fido2Configuration): string[] {
  const gaps: string[] = [];
  if (raw.state !== props.state) gaps.push("state");
  if (raw.isSelfServiceRegistrationAllowed !== props.isSelfServiceRegistrationAllowed)
    gaps.push("isSelfServiceRegistrationAllowed");
  if (isExcluded(raw, props.targetGroupId)) gaps.push("excludeTargets");
  return gaps;
}

function commonBody(props: Fido2MethodPolicyProps, raw: Fido2Configuration): Fido2Configuration {
  const body: Fido2Configuration = {
    "@odata.type": FIDO2_ODATA_TYPE,
    state: props.state,
    isSelfServiceRegistrationAllowed: props.isSelfServiceRegistrationAllowed,
  };
  if (isExcluded(raw, props.targetGroupId)) {
    body.excludeTargets = (raw.excludeTargets ?? [])
      .filter((t) => !sameId(t.id, props.targetGroupId))
      .map(withoutAnnotations);
  }
  return body;
}

/**
 * Passkey-profile tenant: the group's own profile and a target naming exactly it. Throws, before anything is
 * written, when the profile this stack would change is the default profile or also applies to another target.
 */
export function planProfileTenant(props: Fido2MethodPolicyProps, raw: Fido2Configuration, knownId?: string): Fido2Plan {
  if (!props.profile) throw new Error("Fido2MethodPolicy: no passkey profile settings for a passkey-profile tenant");
  const settings = profileSettings(props.profile);
  const existing = findOwnProfile(raw, props.profile, knownId);
  const profileId = existing ? String(existing.id) : randomUUID();
  const gaps = commonGaps(props, raw);
  const profileGaps = existing ? differences(comparableProfile(settings), comparableProfile(existing)) : ["(missing)"];
  if (profileGaps.length > 0) {
    gaps.push(`passkeyProfiles["${props.profile.name}"]`);
    const others = existing ? otherUsers(raw, profileId, props.targetGroupId) : [];
    if (others.length > 0) {
      throw new Error(
        `passkey profile "${String(existing!.name)}" (${profileId}) also applies to ${others.join(", ")}: changing it would change their FIDO2 settings; give breakglass.fido2.profile.name a name of its own (nothing was changed)`,
      );
    }
  }
  const target = groupTarget(raw, props.targetGroupId);
  const bound = target?.allowedPasskeyProfiles;
  if (!target || !Array.isArray(bound) || bound.length !== 1 || !sameId(bound[0], profileId)) {
    gaps.push("includeTargets");
  }

  const ownProfile = { ...(existing ? withoutAnnotations(existing) : {}), id: profileId, ...settings };
  const profiles = (raw.passkeyProfiles ?? []).map((p) => (p === existing ? ownProfile : withoutAnnotations(p)));
  if (!existing) profiles.push(ownProfile);
  const ownTarget = {
    ...(target
      ? withoutAnnotations(target)
      : { targetType: "group", id: props.targetGroupId, isRegistrationRequired: false }),
    allowedPasskeyProfiles: [profileId],
  };
  const includes = (raw.includeTargets ?? []).map((t) => (t === target ? ownTarget : withoutAnnotations(t)));
  if (!target) includes.push(ownTarget);
  return {
    gaps,
    profileId,
    body: { ...commonBody(props, raw), includeTargets: includes, passkeyProfiles: profiles },
  };
}

/** Tenant-wide tenant: the group added to the targets, and only the declared tenant-wide settings. */
export function planTenantWide(props: Fido2MethodPolicyProps, raw: Fido2Configuration): Fido2Plan {
  const gaps = commonGaps(props, raw);
  const target = groupTarget(raw, props.targetGroupId);
  if (!target) gaps.push("includeTargets");
  const includes = (raw.includeTargets ?? []).map(withoutAnnotations);
  if (!target) includes.push({ targetType: "group", id: props.targetGroupId, isRegistrationRequired: false });
  const body: Fido2Configuration = { ...commonBody(props, raw), includeTargets: includes };
  const wide = props.tenantWide ?? {};
  if (wide.isAttestationEnforced !== undefined) {
    if (raw.isAttestationEnforced !== wide.isAttestationEnforced) gaps.push("isAttestationEnforced");
    body.isAttestationEnforced = wide.isAttestationEnforced;
  }
  if (wide.keyRestrictions !== undefined) {
    if (differences(wide.keyRestrictions, raw.keyRestrictions).length > 0) gaps.push("keyRestrictions");
    // The whole complex value is sent: switching enforcement off keeps the tenant's list and its type.
    body.keyRestrictions = {
      enforcementType: "allow",
      aaGuids: [],
      ...(raw.keyRestrictions ?? {}),
      ...wide.keyRestrictions,
    };
  }
  return { gaps, profileId: "", body };
}

export function planFido2Write(props: Fido2MethodPolicyProps, live: LivePolicy, knownProfileId?: string): Fido2Plan {
  return live.shape === "passkeyProfiles"
    ? planProfileTenant(props, live.raw, knownProfileId)
    : planTenantWide(props, live.raw);
}

/**
 * What the read-back must show after a write: the plan's gaps closed, and every target, exclusion and profile that
 * was not ours still there with all its properties.
 */
export function readBackGaps(
  props: Fido2MethodPolicyProps,
  before: LivePolicy,
  after: LivePolicy,
  profileId: string,
): string[] {
  if (after.shape !== before.shape) return [`the policy's shape (${before.shape} before, ${after.shape} after)`];
  const gaps = planFido2Write(props, after, profileId || undefined).gaps;
  const kept = (field: "includeTargets" | "excludeTargets" | "passkeyProfiles", isOurs: (item: Json) => boolean) => {
    for (const item of before.raw[field] ?? []) {
      if (isOurs(item)) continue;
      const now = (after.raw[field] ?? []).find((a) => sameId(a.id, item.id));
      if (!now || differences(withoutAnnotations(item), now).length > 0) gaps.push(`${field} (${String(item.id)})`);
    }
  };
  const ourTarget = (t: Json) => sameId(t.id, props.targetGroupId);
  kept("includeTargets", ourTarget);
  kept("excludeTargets", ourTarget);
  kept("passkeyProfiles", (p) => sameId(p.id, profileId));
  return gaps;
}

/** The props of 0.2 and before: the tenant-wide settings this resource then owned. */
export interface LegacyProps {
  isAttestationEnforced?: boolean;
  aaGuids?: string[];
}

/** State of any version in today's shape: an old state's tenant-wide settings become `tenantWide`. */
export function currentProps(state: Partial<Fido2MethodPolicyProps> & LegacyProps): Partial<Fido2MethodPolicyProps> {
  if (state.tenantWide !== undefined || (state.isAttestationEnforced === undefined && state.aaGuids === undefined))
    return state;
  const { isAttestationEnforced, aaGuids, ...rest } = state;
  const list = (aaGuids ?? []).map((a) => a.toLowerCase());
  return {
    ...rest,
    tenantWide: {
      ...(isAttestationEnforced !== undefined ? { isAttestationEnforced } : {}),
      keyRestrictions: { isEnforced: list.length > 0, enforcementType: "allow", aaGuids: list },
    },
  };
}

/** `live` cut down to the shape of `owned`: what refresh stores for the tenant-wide keys this stack declares. */
function projectOnto(owned: Json, live: Json | null | undefined): Json {
  return Object.fromEntries(Object.keys(owned).map((k) => [k, live?.[k] ?? null]));
}

/** The live policy as this resource's props (what refresh stores). */
export function fido2PropsFromLive(
  connection: GraphConnection,
  state: Partial<Fido2MethodPolicyProps>,
  live: LivePolicy,
): Fido2MethodPolicyProps {
  const groupId = state.targetGroupId ?? "";
  const raw = live.raw;
  const included = groupTarget(raw, groupId) !== undefined;
  const declaredWide = state.tenantWide ?? {};
  const props: Fido2MethodPolicyProps = {
    ...connection,
    state: raw.state === "enabled" ? "enabled" : "disabled",
    // A group that is not (effectively) targeted reads back as "", so the next update puts it back.
    targetGroupId: included && !isExcluded(raw, groupId) ? groupId : "",
    isSelfServiceRegistrationAllowed: raw.isSelfServiceRegistrationAllowed === true,
    profile: state.profile ?? null,
    tenantWide: declaredWide,
    tenantShape: live.shape,
    profileId: "",
  };
  if (live.shape === "tenantWide") {
    props.tenantWide = {
      ...(declaredWide.isAttestationEnforced !== undefined
        ? { isAttestationEnforced: raw.isAttestationEnforced === true }
        : {}),
      ...(declaredWide.keyRestrictions !== undefined
        ? {
            keyRestrictions: projectOnto(
              declaredWide.keyRestrictions as unknown as Json,
              raw.keyRestrictions as Json | null,
            ) as unknown as KeyRestrictions,
          }
        : {}),
    };
    return props;
  }
  // A profile tenant: the group's own profile as it is, or null when it is missing or not (only) the group's.
  const own = state.profile
    ? ((raw.passkeyProfiles ?? []).find((p) => sameId(p.id, state.profileId)) ??
      (raw.passkeyProfiles ?? []).find(
        (p) => sameName(p.name, state.profile!.name) && !sameId(p.id, raw.defaultPasskeyProfile),
      ))
    : undefined;
  const bound = groupTarget(raw, groupId)?.allowedPasskeyProfiles;
  const onlyOurs = own && Array.isArray(bound) && bound.length === 1 && sameId(bound[0], own.id);
  props.profile = onlyOurs
    ? {
        name: String(own.name ?? ""),
        attestationEnforcement: own.attestationEnforcement as PasskeyProfileSettings["attestationEnforcement"],
        passkeyTypes: String(own.passkeyTypes ?? ""),
        keyRestrictions: (own.keyRestrictions ?? { isEnforced: false }) as KeyRestrictions,
      }
    : null;
  props.profileId = own ? String(own.id) : "";
  return props;
}
