/**
 * The FIDO2 / passkey method policy against the loopback Graph (test/support/fakes/fido2Policy.ts), in both shapes:
 * the exact PATCH bodies, every other target, exclusion and profile carried whole, the emergency group's own passkey
 * profile (created, found again, updated — only when it is ours), no migration of a tenant-wide tenant, read-back,
 * refresh, the diff of a state written by 0.2, and delete leaving the policy.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  FIDO2_POLICY_PATH,
  fido2MethodPolicyProvider,
  type Fido2Configuration,
  type Fido2MethodPolicyProps,
} from "../../../src/components/breakglass/fido2MethodPolicyProvider";
import {
  DEFAULT_PROFILE_ID,
  FakeFido2Policy,
  profileConfiguration,
  tenantWideConfiguration,
  YUBIKEY_5,
  YUBIKEY_5_NFC,
} from "../../support/fakes/fido2Policy";
import { graphError } from "../../support/fakes/graphServer";
import { loopbackConnection, useLoopbackGraph } from "../../support/fakes/loopbackGraph";

const GROUP = "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d";
const OTHER_GROUP = "7b1d9c55-0c0e-4bd5-9a64-3c3f4d5e6f70";
const SYNCED_PROFILE = "e47a833c-5dfa-45f1-9471-bb0cf0eb425b";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const graph = useLoopbackGraph();
const fake = new FakeFido2Policy();
beforeAll(() => {
  fake.install(graph);
});
beforeEach(() => {
  graph.requests.length = 0;
  fake.config = tenantWideConfiguration();
  fake.dropOnPatch = undefined;
  fake.omitOnGet = undefined;
});

function props(overrides: Partial<Fido2MethodPolicyProps> = {}): Fido2MethodPolicyProps {
  return {
    ...loopbackConnection(graph.url),
    state: "enabled",
    targetGroupId: GROUP,
    isSelfServiceRegistrationAllowed: true,
    profile: {
      name: "Emergency access keys",
      attestationEnforcement: "registrationOnly",
      passkeyTypes: "deviceBound",
      keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5, YUBIKEY_5_NFC] },
    },
    tenantWide: {},
    ...overrides,
  };
}

const patches = () => graph.requestsTo("PATCH", FIDO2_POLICY_PATH).map((r) => r.body as Fido2Configuration);
const methods = () => graph.requests.map((r) => r.method);

describe("Fido2MethodPolicy in a tenant without passkey profiles", () => {
  it("adds the group and changes nothing tenant-wide it was not told to", async () => {
    const created = await fido2MethodPolicyProvider.create(props());
    expect(created.id).toBe("fido2");
    expect(patches()).toEqual([
      {
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        state: "enabled",
        isSelfServiceRegistrationAllowed: true,
        includeTargets: [
          { targetType: "group", id: "all_users", isRegistrationRequired: false },
          { targetType: "group", id: GROUP, isRegistrationRequired: false },
        ],
      },
    ]);
    expect(methods()).toEqual(["GET", "PATCH", "GET"]);
    expect(created.outs!).toMatchObject({ tenantShape: "tenantWide", profileId: "" });
    // Never migrated: no profile, no profile binding, the tenant-wide settings as they were.
    expect(fake.config.passkeyProfiles).toBeUndefined();
    expect(fake.config).toMatchObject({
      isAttestationEnforced: false,
      keyRestrictions: tenantWideConfiguration().keyRestrictions,
    });
  });

  it("sends every existing target back with all its properties, without annotations", async () => {
    fake.config.includeTargets = [
      {
        targetType: "group",
        id: "all_users",
        isRegistrationRequired: true,
        futureSetting: { a: 1 },
        "x@odata.type": "#y",
      },
      { "@odata.type": "#microsoft.graph.passkeyAuthenticationMethodTarget", targetType: "group", id: OTHER_GROUP },
    ];
    await fido2MethodPolicyProvider.create(props());
    expect(patches()[0]!.includeTargets).toEqual([
      { targetType: "group", id: "all_users", isRegistrationRequired: true, futureSetting: { a: 1 } },
      { "@odata.type": "#microsoft.graph.passkeyAuthenticationMethodTarget", targetType: "group", id: OTHER_GROUP },
      { targetType: "group", id: GROUP, isRegistrationRequired: false },
    ]);
  });

  it("writes the tenant-wide attestation and allow-list only when declared, and reads them back", async () => {
    const declared = props({
      tenantWide: {
        isAttestationEnforced: true,
        keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5] },
      },
    });
    await fido2MethodPolicyProvider.create(declared);
    expect(patches()[0]).toMatchObject({
      isAttestationEnforced: true,
      keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5] },
    });
    expect(fake.config.keyRestrictions).toEqual({ isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5] });
    expect(patches()[0]).not.toHaveProperty("passkeyProfiles");
  });

  it("switches restrictions off, when declared so, keeping the tenant's list and its type", async () => {
    fake.config.keyRestrictions = { isEnforced: true, enforcementType: "block", aaGuids: [YUBIKEY_5] };
    fake.config.includeTargets.push({ targetType: "group", id: GROUP });
    await fido2MethodPolicyProvider.update!(
      "fido2",
      props(),
      props({ tenantWide: { keyRestrictions: { isEnforced: false } } }),
    );
    expect(patches()[0]!.keyRestrictions).toEqual({
      isEnforced: false,
      enforcementType: "block",
      aaGuids: [YUBIKEY_5],
    });
  });

  it("does not write when the tenant already complies (AAGUID case and order do not matter)", async () => {
    fake.config.keyRestrictions = {
      isEnforced: true,
      enforcementType: "allow",
      aaGuids: [YUBIKEY_5_NFC, YUBIKEY_5.toUpperCase()],
    };
    fake.config.includeTargets.push({ targetType: "group", id: GROUP, isRegistrationRequired: true });
    const declared = props({
      tenantWide: {
        keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5, YUBIKEY_5_NFC] },
      },
    });
    await fido2MethodPolicyProvider.update!("fido2", declared, declared);
    expect(methods()).toEqual(["GET"]);
  });

  it("takes the group out of the exclusions (an exclusion beats an inclusion) and keeps the others", async () => {
    fake.config.includeTargets.push({ targetType: "group", id: GROUP });
    fake.config.excludeTargets = [
      { targetType: "group", id: GROUP.toUpperCase() },
      { targetType: "group", id: "0a0b0c0d-1111-2222-3333-444455556666" },
    ];
    await fido2MethodPolicyProvider.update!("fido2", props(), props());
    expect(patches()[0]!.excludeTargets).toEqual([{ targetType: "group", id: "0a0b0c0d-1111-2222-3333-444455556666" }]);
    expect(fake.config.excludeTargets).toEqual([{ targetType: "group", id: "0a0b0c0d-1111-2222-3333-444455556666" }]);
  });

  it("reads the live policy, showing a disabled method and a group that lost its target as drift", async () => {
    fake.config.state = "disabled";
    const declared = props({ tenantWide: { isAttestationEnforced: true } });
    const read = await fido2MethodPolicyProvider.read!("fido2", {
      ...declared,
      tenantShape: "tenantWide",
      profileId: "",
    });
    expect(read.props).toEqual({
      ...loopbackConnection(graph.url),
      state: "disabled",
      targetGroupId: "",
      isSelfServiceRegistrationAllowed: true,
      profile: declared.profile,
      tenantWide: { isAttestationEnforced: false },
      tenantShape: "tenantWide",
      profileId: "",
    });
    expect(await fido2MethodPolicyProvider.diff!("fido2", read.props!, declared)).toMatchObject({
      changes: true,
      replaces: [],
      detailedKeys: ["state", "targetGroupId", "tenantWide"],
    });
  });

  it("fails when Graph accepts the PATCH but does not persist it", async () => {
    fake.dropOnPatch = "isAttestationEnforced";
    await expect(
      fido2MethodPolicyProvider.create(props({ tenantWide: { isAttestationEnforced: true } })),
    ).rejects.toThrow(
      /FIDO2 authentication-method policy: Graph accepted the write but reading it back shows different isAttestationEnforced/,
    );
  });

  it("fails when the write loses another target", async () => {
    // A Graph that stores the targets sent minus all_users: the read-back must notice what was lost.
    graph.route("PATCH", FIDO2_POLICY_PATH, (req) => {
      const sent = (req.body as Fido2Configuration).includeTargets!;
      fake.config.includeTargets = sent.filter((t) => t.id !== "all_users");
      return { status: 204 };
    });
    try {
      await expect(fido2MethodPolicyProvider.create(props())).rejects.toThrow(
        /reading it back shows different includeTargets \(all_users\)/,
      );
    } finally {
      fake.install(graph);
    }
  });

  it("names the permission when Graph denies the write", async () => {
    graph.failNext("PATCH", FIDO2_POLICY_PATH, {
      status: 403,
      body: graphError("accessDenied", "Request Authorization failed"),
    });
    await expect(fido2MethodPolicyProvider.create(props())).rejects.toThrow(/Policy\.ReadWrite\.AuthenticationMethod/);
  });

  it("writes nothing when the live policy comes without its targets: a merge would take FIDO2 from everyone else", async () => {
    fake.omitOnGet = "includeTargets";
    await expect(fido2MethodPolicyProvider.create(props())).rejects.toThrow(
      /^Fido2MethodPolicy: reading the tenant's FIDO2 policy \(nothing was changed\): GET \/v1\.0\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\/fido2 answered nothing, where Microsoft Graph documents includeTargets as a list of targets with ids/,
    );
    fake.omitOnGet = undefined;
    fake.config.includeTargets = [{ targetType: "group" }];
    await expect(fido2MethodPolicyProvider.update!("fido2", props(), props())).rejects.toThrow(
      /answered \[\{"targetType":"group"\}\], where Microsoft Graph documents includeTargets/,
    );
    expect(patches()).toEqual([]);
  });

  it("leaves the tenant's FIDO2 policy in place on delete", async () => {
    await fido2MethodPolicyProvider.delete!("fido2", props());
    expect(graph.requests).toEqual([]);
  });
});

describe("Fido2MethodPolicy in a tenant with passkey profiles", () => {
  beforeEach(() => {
    fake.config = profileConfiguration();
  });

  it("gives the group a profile of its own, keeping every other target, exclusion and profile whole", async () => {
    const before = profileConfiguration();
    const created = await fido2MethodPolicyProvider.create(props());
    const profileId = created.outs!.profileId!;
    expect(profileId).toMatch(GUID);
    expect(created.outs!.tenantShape).toBe("passkeyProfiles");
    const [body] = patches();
    expect(body).toEqual({
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      state: "enabled",
      isSelfServiceRegistrationAllowed: true,
      includeTargets: [
        ...before.includeTargets,
        { targetType: "group", id: GROUP, isRegistrationRequired: false, allowedPasskeyProfiles: [profileId] },
      ],
      passkeyProfiles: [
        ...before.passkeyProfiles,
        {
          id: profileId,
          name: "Emergency access keys",
          attestationEnforcement: "registrationOnly",
          passkeyTypes: "deviceBound",
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5, YUBIKEY_5_NFC] },
        },
      ],
    });
    // The deprecated tenant-wide settings are not written; the default profile and the exclusions are as they were.
    expect(body).not.toHaveProperty("isAttestationEnforced");
    expect(body).not.toHaveProperty("keyRestrictions");
    expect(fake.config.passkeyProfiles[0]).toEqual(before.passkeyProfiles[0]);
    expect(fake.config.excludeTargets).toEqual(before.excludeTargets);
    expect(methods()).toEqual(["GET", "PATCH", "GET"]);
  });

  it("updates its own profile in place, and writes nothing once it complies", async () => {
    const created = await fido2MethodPolicyProvider.create(props());
    graph.requests.length = 0;
    const looser = props({
      profile: { ...props().profile!, keyRestrictions: { isEnforced: false, enforcementType: "allow", aaGuids: [] } },
    });
    await fido2MethodPolicyProvider.update!("fido2", created.outs!, looser);
    expect(fake.config.passkeyProfiles).toHaveLength(3);
    expect(fake.config.passkeyProfiles[2]).toMatchObject({
      id: created.outs!.profileId,
      keyRestrictions: { isEnforced: false, enforcementType: "allow", aaGuids: [] },
    });
    graph.requests.length = 0;
    await fido2MethodPolicyProvider.update!("fido2", created.outs!, looser);
    expect(methods()).toEqual(["GET"]);
  });

  it("finds its profile again by name when the state has no id (a retried create), without a duplicate", async () => {
    const first = await fido2MethodPolicyProvider.create(props());
    graph.requests.length = 0;
    const again = await fido2MethodPolicyProvider.create(props());
    expect(again.outs!.profileId).toBe(first.outs!.profileId);
    expect(methods()).toEqual(["GET"]);
  });

  it("rebinds the group's existing target to its profile only, keeping the target's other properties", async () => {
    fake.config.includeTargets.push({
      targetType: "group",
      id: GROUP.toUpperCase(),
      isRegistrationRequired: true,
      allowedPasskeyProfiles: [DEFAULT_PROFILE_ID],
    });
    const created = await fido2MethodPolicyProvider.create(props());
    expect(patches()[0]!.includeTargets!.at(-1)).toEqual({
      targetType: "group",
      id: GROUP.toUpperCase(),
      isRegistrationRequired: true,
      allowedPasskeyProfiles: [created.outs!.profileId],
    });
  });

  it("never changes a profile another target uses, nor the default profile", async () => {
    fake.config.passkeyProfiles[1].name = "Emergency access keys";
    await expect(fido2MethodPolicyProvider.create(props())).rejects.toThrow(
      `passkey profile "Emergency access keys" (${SYNCED_PROFILE}) also applies to ${OTHER_GROUP}: changing it would change their FIDO2 settings; give breakglass.fido2.profile.name a name of its own (nothing was changed)`,
    );
    fake.config = profileConfiguration();
    await expect(
      fido2MethodPolicyProvider.create(props({ profile: { ...props().profile!, name: "default PASSKEY profile" } })),
    ).rejects.toThrow(/the tenant's default passkey profile \(00000000-0000-0000-0000-000000000001\) is named/);
    expect(patches()).toEqual([]);
  });

  it("refuses a configuration that refers to profiles it does not list", async () => {
    fake.omitOnGet = "passkeyProfiles";
    await expect(fido2MethodPolicyProvider.create(props())).rejects.toThrow(
      /nothing was changed\): GET .* answered nothing, where Microsoft Graph documents the passkeyProfiles the configuration refers to/,
    );
    expect(patches()).toEqual([]);
  });

  it("fails when Graph does not persist the profile", async () => {
    fake.dropOnPatch = "passkeyProfiles";
    // The fake refuses targets naming a profile it does not store; the drop happens after that check.
    await expect(fido2MethodPolicyProvider.create(props())).rejects.toThrow(
      /reading it back shows different passkeyProfiles\["Emergency access keys"\], includeTargets/,
    );
  });

  it("reads the group's profile back, null when the group is not bound to it alone", async () => {
    const created = await fido2MethodPolicyProvider.create(props());
    const read = await fido2MethodPolicyProvider.read!("fido2", created.outs!);
    expect(read.props).toEqual({ ...created.outs!, graphEndpoint: graph.url });
    expect(await fido2MethodPolicyProvider.diff!("fido2", read.props!, props())).toMatchObject({ changes: false });
    // Someone adds the default profile to the group's target: profiles add up, so it is no longer the group's alone.
    fake.config.includeTargets.at(-1).allowedPasskeyProfiles.push(DEFAULT_PROFILE_ID);
    const drifted = await fido2MethodPolicyProvider.read!("fido2", created.outs!);
    expect(drifted.props!.profile).toBeNull();
    expect(await fido2MethodPolicyProvider.diff!("fido2", drifted.props!, props())).toMatchObject({
      changes: true,
      detailedKeys: ["profile"],
    });
  });
});

describe("Fido2MethodPolicy diff", () => {
  /** What 0.2 stored: the tenant-wide settings it wrote, and the Graph host only (it predates tenant pinning). */
  const oldState = () => ({
    graphEndpoint: graph.url,
    state: "enabled",
    targetGroupId: GROUP,
    isAttestationEnforced: true,
    isSelfServiceRegistrationAllowed: true,
    aaGuids: [YUBIKEY_5, YUBIKEY_5_NFC],
  });

  it("diffs a 0.2 state as one update of the unknown profile and the missing connection, never a replace", async () => {
    const diff = await fido2MethodPolicyProvider.diff!("fido2", oldState() as never, props());
    expect(diff).toEqual({ changes: true, replaces: [], detailedKeys: ["profile", "loginEndpoint", "tenantId"] });
    // Declaring the same tenant-wide settings it wrote is no change; declaring others is.
    const same = props({
      tenantWide: {
        isAttestationEnforced: true,
        keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5_NFC, YUBIKEY_5] },
      },
    });
    expect(await fido2MethodPolicyProvider.diff!("fido2", oldState() as never, same)).toMatchObject({
      detailedKeys: ["profile", "loginEndpoint", "tenantId"],
    });
    const other = props({ tenantWide: { isAttestationEnforced: false } });
    expect(await fido2MethodPolicyProvider.diff!("fido2", oldState() as never, other)).toMatchObject({
      detailedKeys: ["profile", "tenantWide", "loginEndpoint", "tenantId"],
      replaces: [],
    });
  });

  it("upgrades a 0.2 state in a tenant without profiles by one update that writes nothing; then nothing diffs", async () => {
    fake.config.includeTargets.push({ targetType: "group", id: GROUP });
    const updated = await fido2MethodPolicyProvider.update!("fido2", oldState() as never, props());
    expect(methods()).toEqual(["GET"]);
    expect(updated.outs).toMatchObject({ ...loopbackConnection(graph.url), tenantShape: "tenantWide", profileId: "" });
    expect(updated.outs).not.toHaveProperty("aaGuids");
    expect(await fido2MethodPolicyProvider.diff!("fido2", updated.outs!, props())).toMatchObject({ changes: false });
    // A refresh after the upgrade reads the same tenant, and still nothing diffs.
    const read = await fido2MethodPolicyProvider.read!("fido2", updated.outs!);
    expect(await fido2MethodPolicyProvider.diff!("fido2", read.props!, props())).toMatchObject({ changes: false });
    expect(patches()).toEqual([]);
  });

  it("refuses to refresh a 0.2 state with this provider, naming what is missing and the fix; nothing is sent", async () => {
    // The engine refreshes a 0.2 state with 0.2's own serialized provider; this one will not guess the tenant.
    await expect(fido2MethodPolicyProvider.read!("fido2", oldState() as never)).rejects.toThrow(
      /^Fido2MethodPolicy: its props record no loginEndpoint, tenantId, .* run `pulumi up` with the current program/,
    );
    expect(graph.requests).toEqual([]);
  });

  it("ignores the settings of the shape the tenant does not have", async () => {
    const wideState = { ...props(), tenantShape: "tenantWide" as const, profileId: "" };
    const renamed = props({ profile: { ...props().profile!, name: "Renamed" } });
    expect(await fido2MethodPolicyProvider.diff!("fido2", wideState, renamed)).toMatchObject({ changes: false });
    const profileState = { ...props(), tenantShape: "passkeyProfiles" as const, profileId: SYNCED_PROFILE };
    const wide = props({ tenantWide: { isAttestationEnforced: true } });
    expect(await fido2MethodPolicyProvider.diff!("fido2", profileState, wide)).toMatchObject({ changes: false });
    expect(await fido2MethodPolicyProvider.diff!("fido2", profileState, renamed)).toMatchObject({
      detailedKeys: ["profile"],
    });
  });
});
