/**
 * The model's FIDO2 judgements: which shape a live configuration has, the verdict on the policy in both shapes (one
 * compliant case, then one mutation per problem), and the verdict on the emergency accounts' keys.
 */
import { describe, expect, it } from "vitest";
import {
  breakglassKeyProblems,
  fido2PolicyFacts,
  fido2PolicyProblems,
  fido2ShapeOf,
  passkeyTypesFlags,
  passkeyTypesOf,
  type DeclaredFido2,
  type Fido2KeyFacts,
  type Fido2PolicyFacts,
} from "@entra-baseline/model";
import {
  DEFAULT_PROFILE_ID,
  profileConfiguration,
  tenantWideConfiguration,
  YUBIKEY_5,
  YUBIKEY_5_NFC,
} from "../support/fakes/fido2Policy";

const GROUP = "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d";
const OWN_PROFILE = "3c9e1b2a-7d4f-4e8a-9b1c-2d3e4f5a6b7c";
const OTHER_MODEL = "dd4ec289-e01d-41c9-bb89-70fa845d4bf2";

type Json = Record<string, any>;

const declared = (overrides: Partial<DeclaredFido2["profile"]> = {}, tenantWide: DeclaredFido2["tenantWide"] = {}) => ({
  groupId: GROUP.toUpperCase(),
  profile: {
    enforceAttestation: true,
    aaguids: [YUBIKEY_5, YUBIKEY_5_NFC],
    passkeyTypes: ["deviceBound"],
    ...overrides,
  },
  tenantWide,
});

function facts(live: Json): Fido2PolicyFacts {
  const result = fido2PolicyFacts(live);
  if ("error" in result) throw new Error(JSON.stringify(result.error));
  return result.facts;
}

/** A profile tenant where the emergency group is bound to a profile of its own that matches `declared()`. */
function profileTenant(mutate: (c: Json) => void = () => undefined): Json {
  const c = profileConfiguration();
  c.passkeyProfiles.push({
    id: OWN_PROFILE,
    name: "Emergency access keys",
    passkeyTypes: "deviceBound",
    attestationEnforcement: "registrationOnly",
    keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5_NFC, YUBIKEY_5.toUpperCase()] },
  });
  c.includeTargets.push({
    targetType: "group",
    id: GROUP,
    isRegistrationRequired: false,
    allowedPasskeyProfiles: [OWN_PROFILE],
  });
  mutate(c);
  return c;
}

/** A tenant-wide tenant where the emergency group is included and nothing is restricted. */
function wideTenant(mutate: (c: Json) => void = () => undefined): Json {
  const c = tenantWideConfiguration();
  c.includeTargets.push({ targetType: "group", id: GROUP });
  mutate(c);
  return c;
}

const own = (c: Json) => c.passkeyProfiles.find((p: Json) => p.id === OWN_PROFILE);

describe("passkey type flags", () => {
  it("joins in Graph's member order and splits any spacing", () => {
    expect(passkeyTypesFlags(["synced", "deviceBound", "synced"])).toBe("deviceBound,synced");
    expect(passkeyTypesFlags(["deviceBound"])).toBe("deviceBound");
    expect(passkeyTypesOf("deviceBound, synced")).toEqual(["deviceBound", "synced"]);
    expect(passkeyTypesOf(null)).toEqual([]);
  });
});

describe("fido2PolicyFacts", () => {
  it("reads a tenant without profiles as tenant-wide, ids in lower case", () => {
    const f = facts(
      wideTenant(
        (c) => (c.keyRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5.toUpperCase()] }),
      ),
    );
    expect(f).toMatchObject({
      shape: "tenantWide",
      state: "enabled",
      profiles: [],
      defaultPasskeyProfile: null,
      tenantWide: {
        isAttestationEnforced: false,
        keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5] },
      },
    });
    expect(f.includeTargets.map((t) => t.id)).toEqual(["all_users", GROUP]);
  });

  it("reads a migrated tenant as passkey profiles, although it still returns the deprecated settings", () => {
    const f = facts(profileTenant());
    expect(f.shape).toBe("passkeyProfiles");
    expect(f.defaultPasskeyProfile).toBe(DEFAULT_PROFILE_ID);
    expect(f.profiles.map((p) => [p.name, p.passkeyTypes])).toEqual([
      ["Default passkey profile", ["deviceBound", "synced"]],
      ["synced", ["synced"]],
      ["Emergency access keys", ["deviceBound"]],
    ]);
    expect(f.includeTargets.at(-1)).toEqual({ id: GROUP, targetType: "group", allowedPasskeyProfiles: [OWN_PROFILE] });
  });

  it.each<[string, (c: Json) => void, RegExp]>([
    ["no includeTargets", (c) => delete c.includeTargets, /includeTargets as a list of targets with ids/],
    ["a target without id", (c) => c.includeTargets.push({ targetType: "group" }), /includeTargets as a list/],
    ["an exclusion without id", (c) => (c.excludeTargets = [{}]), /excludeTargets as a list/],
    [
      "a default profile but no list",
      (c) => delete c.passkeyProfiles,
      /the passkeyProfiles the configuration refers to/,
    ],
    [
      "targets bound to profiles but an empty list",
      (c) => {
        c.passkeyProfiles = [];
        c.defaultPasskeyProfile = null;
      },
      /the passkeyProfiles the configuration refers to/,
    ],
    [
      "a profile without id",
      (c) => c.passkeyProfiles.push({ name: "x" }),
      /passkeyProfiles as a list of profiles with ids/,
    ],
    [
      "a repeated profile id",
      (c) => c.passkeyProfiles.push({ ...c.passkeyProfiles[0], id: DEFAULT_PROFILE_ID.toUpperCase() }),
      /distinct ids \("00000000-0000-0000-0000-000000000001" repeats\)/,
    ],
  ])("refuses an answer with %s", (_name, mutate, expected) => {
    const live = profileTenant();
    mutate(live);
    const result = fido2PolicyFacts(live);
    expect("error" in result && result.error.expected).toMatch(expected);
  });

  it("refuses what is not an object, and calls a bare configuration ambiguous only when it names profiles", () => {
    expect(fido2PolicyFacts(null)).toEqual({ error: { field: "(body)", expected: "an object", value: null } });
    expect(fido2ShapeOf({ includeTargets: [] })).toBe("tenantWide");
    expect(fido2ShapeOf({ defaultPasskeyProfile: DEFAULT_PROFILE_ID })).toBe("ambiguous");
  });
});

describe("fido2PolicyProblems in a tenant with passkey profiles", () => {
  it("accepts the group bound to a profile at least as strict as declared, whatever other targets allow", () => {
    expect(fido2PolicyProblems(facts(profileTenant()), declared())).toEqual([]);
  });

  it.each<[string, (c: Json) => void, string]>([
    [
      "a disabled method",
      (c) => (c.state = "disabled"),
      'the FIDO2 method is "disabled": the emergency accounts cannot use their keys',
    ],
    [
      "the group excluded",
      (c) => c.excludeTargets.push({ targetType: "group", id: GROUP }),
      `the emergency group ${GROUP} is excluded from the FIDO2 method (an exclusion wins over any inclusion)`,
    ],
    [
      "the group not targeted",
      (c) => c.includeTargets.pop(),
      `the emergency group ${GROUP} is not a target of the FIDO2 method`,
    ],
    [
      "a target naming no profile",
      (c) => (c.includeTargets.at(-1).allowedPasskeyProfiles = []),
      "the emergency group's FIDO2 target names no passkey profile",
    ],
    [
      "a target naming a missing profile",
      (c) => (c.passkeyProfiles = c.passkeyProfiles.filter((p: Json) => p.id !== OWN_PROFILE)),
      `the emergency group's FIDO2 target names passkey profile ${OWN_PROFILE}, which does not exist`,
    ],
    [
      "synced passkeys allowed",
      (c) => (own(c).passkeyTypes = "deviceBound,synced"),
      `passkey profile "Emergency access keys" (${OWN_PROFILE}) allows synced passkeys; the emergency keys are declared deviceBound (breakglass.fido2.profile.passkeyTypes)`,
    ],
    [
      "attestation off",
      (c) => (own(c).attestationEnforcement = "disabled"),
      `passkey profile "Emergency access keys" (${OWN_PROFILE}) does not enforce attestation (attestationEnforcement "disabled"); the emergency keys are declared attested (breakglass.fido2.profile.enforceAttestation)`,
    ],
    [
      "no allow-list",
      (c) => (own(c).keyRestrictions.isEnforced = false),
      `passkey profile "Emergency access keys" (${OWN_PROFILE}) does not restrict models to an allow-list; the emergency keys are declared to be ${YUBIKEY_5}, ${YUBIKEY_5_NFC} (breakglass.fido2.profile.aaguids)`,
    ],
    [
      "an undeclared model allowed",
      (c) => own(c).keyRestrictions.aaGuids.push(OTHER_MODEL),
      `passkey profile "Emergency access keys" (${OWN_PROFILE}) allows models that are not declared: ${OTHER_MODEL}`,
    ],
    [
      "the permissive default profile added to the group's target (profiles add up)",
      (c) => c.includeTargets.at(-1).allowedPasskeyProfiles.push(DEFAULT_PROFILE_ID),
      `passkey profile "Default passkey profile" (${DEFAULT_PROFILE_ID}) allows synced passkeys; the emergency keys are declared deviceBound (breakglass.fido2.profile.passkeyTypes)`,
    ],
  ])("reports %s", (_name, mutate, expected) => {
    expect(fido2PolicyProblems(facts(profileTenant(mutate)), declared())).toContain(expected);
  });

  it("reports a declared model no profile of the group lets register", () => {
    const narrower = profileTenant((c) => (own(c).keyRestrictions.aaGuids = [YUBIKEY_5]));
    expect(fido2PolicyProblems(facts(narrower), declared())).toEqual([
      `no passkey profile of the emergency group lets declared model ${YUBIKEY_5_NFC} register (breakglass.fido2.profile.aaguids)`,
    ]);
  });

  it("reports a profile that lets no key register when no model is declared, and a blocked declared model", () => {
    const empty = profileTenant(
      (c) => (own(c).keyRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: [] }),
    );
    expect(fido2PolicyProblems(facts(empty), declared({ aaguids: [] }))).toEqual([
      "the emergency group's passkey profiles enforce empty allow-lists: no key can be registered",
    ]);
    const blocked = profileTenant(
      (c) => (own(c).keyRestrictions = { isEnforced: true, enforcementType: "block", aaGuids: [YUBIKEY_5] }),
    );
    expect(fido2PolicyProblems(facts(blocked), declared({ aaguids: [YUBIKEY_5] }))).toContain(
      `no passkey profile of the emergency group lets declared model ${YUBIKEY_5} register (breakglass.fido2.profile.aaguids)`,
    );
  });

  it("does not judge the tenant-wide settings of a profile tenant: they govern nothing there", () => {
    expect(
      fido2PolicyProblems(facts(profileTenant()), declared({}, { enforceAttestation: true, aaguids: [YUBIKEY_5] })),
    ).toEqual([]);
  });
});

describe("fido2PolicyProblems in a tenant without passkey profiles", () => {
  it("accepts the group included and tenant-wide settings that let the declared models register", () => {
    expect(fido2PolicyProblems(facts(wideTenant()), declared())).toEqual([]);
    const allowing = wideTenant(
      (c) =>
        (c.keyRestrictions = {
          isEnforced: true,
          enforcementType: "allow",
          aaGuids: [YUBIKEY_5, YUBIKEY_5_NFC, OTHER_MODEL],
        }),
    );
    expect(fido2PolicyProblems(facts(allowing), declared())).toEqual([]);
  });

  it.each<[string, (c: Json) => void, DeclaredFido2, string]>([
    [
      "an allow-list without a declared model",
      (c) => (c.keyRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5] }),
      declared(),
      `the tenant-wide FIDO2 key restrictions do not let declared model ${YUBIKEY_5_NFC} register (breakglass.fido2.profile.aaguids)`,
    ],
    [
      "a block list naming a declared model",
      (c) =>
        (c.keyRestrictions = { isEnforced: true, enforcementType: "block", aaGuids: [YUBIKEY_5_NFC.toUpperCase()] }),
      declared(),
      `the tenant-wide FIDO2 key restrictions do not let declared model ${YUBIKEY_5_NFC} register (breakglass.fido2.profile.aaguids)`,
    ],
    [
      "an enforced empty allow-list",
      (c) => (c.keyRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: [] }),
      declared({ aaguids: [] }),
      "the tenant-wide FIDO2 key restrictions enforce an empty allow-list: no key can be registered",
    ],
    [
      "attestation other than declared",
      () => undefined,
      declared({}, { enforceAttestation: true }),
      "tenant-wide attestation is not enforced; breakglass.fido2.tenantWide.enforceAttestation declares enforced",
    ],
    [
      "an allow-list other than declared",
      (c) =>
        (c.keyRestrictions = {
          isEnforced: true,
          enforcementType: "allow",
          aaGuids: [YUBIKEY_5, YUBIKEY_5_NFC, OTHER_MODEL],
        }),
      declared({}, { aaguids: [YUBIKEY_5_NFC, YUBIKEY_5] }),
      `the tenant-wide FIDO2 allow-list is ${[YUBIKEY_5, YUBIKEY_5_NFC, OTHER_MODEL].sort().join(", ")}; breakglass.fido2.tenantWide.aaguids declares ${[YUBIKEY_5, YUBIKEY_5_NFC].sort().join(", ")}`,
    ],
    [
      "a block list where no restriction is declared",
      (c) => (c.keyRestrictions = { isEnforced: true, enforcementType: "block", aaGuids: [OTHER_MODEL] }),
      declared({}, { aaguids: [] }),
      "the tenant-wide FIDO2 allow-list is a block list; breakglass.fido2.tenantWide.aaguids declares none (no restriction)",
    ],
  ])("reports %s", (_name, mutate, decl, expected) => {
    expect(fido2PolicyProblems(facts(wideTenant(mutate)), decl)).toContain(expected);
  });

  it("accepts the declared tenant-wide settings when they hold", () => {
    const live = wideTenant((c) => {
      c.isAttestationEnforced = true;
      c.keyRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5_NFC, YUBIKEY_5] };
    });
    expect(
      fido2PolicyProblems(facts(live), declared({}, { enforceAttestation: true, aaguids: [YUBIKEY_5, YUBIKEY_5_NFC] })),
    ).toEqual([]);
    // An enforcement that is off is "no restriction", whatever list it keeps.
    const off = wideTenant(
      (c) => (c.keyRestrictions = { isEnforced: false, enforcementType: "block", aaGuids: [OTHER_MODEL] }),
    );
    expect(fido2PolicyProblems(facts(off), declared({}, { aaguids: [] }))).toEqual([]);
  });
});

describe("breakglassKeyProblems", () => {
  const key = (overrides: Fido2KeyFacts = {}): Fido2KeyFacts => ({
    id: "k1",
    displayName: "BG01-A",
    aaGuid: YUBIKEY_5_NFC,
    passkeyType: "deviceBound",
    attestationLevel: "attested",
    ...overrides,
  });
  const account = (...keys: Fido2KeyFacts[]) => [{ account: "breakglass-01@contoso.onmicrosoft.com", keys }];

  it("accepts attested, device-bound keys of a declared model", () => {
    expect(breakglassKeyProblems(account(key(), key({ aaGuid: YUBIKEY_5.toUpperCase() })), declared().profile)).toEqual(
      [],
    );
  });

  it.each<[string, Fido2KeyFacts[], string]>([
    ["no key", [], "breakglass account breakglass-01@contoso.onmicrosoft.com has no FIDO2 key or passkey registered"],
    [
      "a key of another model",
      [key({ aaGuid: OTHER_MODEL })],
      `key "BG01-A" of breakglass account breakglass-01@contoso.onmicrosoft.com is model ${OTHER_MODEL}, not one of the declared ${YUBIKEY_5}, ${YUBIKEY_5_NFC} (breakglass.fido2.profile.aaguids)`,
    ],
    [
      "a key of no reported model",
      [key({ aaGuid: null })],
      `key "BG01-A" of breakglass account breakglass-01@contoso.onmicrosoft.com is of no reported model, not one of the declared ${YUBIKEY_5}, ${YUBIKEY_5_NFC} (breakglass.fido2.profile.aaguids)`,
    ],
    [
      "a synced passkey",
      [key({ passkeyType: "synced" })],
      'key "BG01-A" of breakglass account breakglass-01@contoso.onmicrosoft.com is a synced passkey; the emergency keys are declared deviceBound (breakglass.fido2.profile.passkeyTypes)',
    ],
    [
      "a key that is not attested",
      [key({ attestationLevel: "notAttested" })],
      'key "BG01-A" of breakglass account breakglass-01@contoso.onmicrosoft.com is "notAttested", not attested (breakglass.fido2.profile.enforceAttestation)',
    ],
  ])("reports %s", (_name, keys, expected) => {
    expect(breakglassKeyProblems(account(...keys), declared().profile)).toEqual([expected]);
  });

  it("holds keys only to what is declared", () => {
    const loose = declared({ enforceAttestation: false, aaguids: [], passkeyTypes: ["deviceBound", "synced"] }).profile;
    expect(
      breakglassKeyProblems(
        account(key({ aaGuid: OTHER_MODEL, passkeyType: "synced", attestationLevel: "notAttested" })),
        loose,
      ),
    ).toEqual([]);
    // A key Graph reports without passkeyType predates synced passkeys.
    expect(breakglassKeyProblems(account(key({ passkeyType: undefined })), declared().profile)).toEqual([]);
  });
});
