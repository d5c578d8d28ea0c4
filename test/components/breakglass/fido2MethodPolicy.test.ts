/**
 * The FIDO2 authentication-method policy against the loopback Graph: the exact PATCH body (§4 shape), merging our
 * group into targets the tenant already has, read-back, no write when compliant, and delete leaving the policy.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  FIDO2_POLICY_PATH,
  fido2MethodPolicyProvider,
  type Fido2Configuration,
  type Fido2MethodPolicyProps,
} from "../../../src/components/breakglass/fido2MethodPolicy";
import { graphError } from "../../support/fakes/graphServer";
import { loopbackConnection, useLoopbackGraph } from "../../support/fakes/loopbackGraph";

const GROUP = "5d1f7c3a-2b4e-4f6a-8c9d-0e1f2a3b4c5d";
const YUBIKEY_5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const YUBIKEY_5_NFC = "ee882879-721c-4913-9775-3dfcce97072a";

const graph = useLoopbackGraph();
let live: Fido2Configuration;
/** When set, the PATCH answers 204 without storing this field. */
let dropOnPatch: string | undefined;

beforeAll(async () => {
  graph.route("GET", FIDO2_POLICY_PATH, () => ({
    body: {
      "@odata.context": "…/authenticationMethodConfigurations/$entity",
      "includeTargets@odata.context": "…/includeTargets",
      ...structuredClone(live),
    },
  }));
  graph.route("PATCH", FIDO2_POLICY_PATH, (req) => {
    const patch = { ...(req.body as Fido2Configuration) };
    delete patch["@odata.type"];
    if (dropOnPatch) delete patch[dropOnPatch];
    live = { ...live, ...patch };
    return { status: 204 };
  });
});
beforeEach(() => {
  graph.requests.length = 0;
  dropOnPatch = undefined;
  // A tenant where FIDO2 is already on for everyone, without attestation or restrictions.
  live = {
    "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
    id: "Fido2",
    state: "enabled",
    isSelfServiceRegistrationAllowed: true,
    isAttestationEnforced: false,
    keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] },
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
    excludeTargets: [],
  };
});

function props(overrides: Partial<Fido2MethodPolicyProps> = {}): Fido2MethodPolicyProps {
  return {
    ...loopbackConnection(graph.url),
    state: "enabled",
    targetGroupId: GROUP,
    isAttestationEnforced: true,
    isSelfServiceRegistrationAllowed: true,
    aaGuids: [YUBIKEY_5, YUBIKEY_5_NFC],
    ...overrides,
  };
}

describe("Fido2MethodPolicy provider", () => {
  it("patches the documented body, keeping the tenant's other targets, and reads it back", async () => {
    const created = await fido2MethodPolicyProvider.create(props());
    expect(created.id).toBe("fido2");
    const patches = graph.requestsTo("PATCH", FIDO2_POLICY_PATH);
    expect(patches).toHaveLength(1);
    expect(patches[0]!.body).toEqual({
      "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
      state: "enabled",
      isAttestationEnforced: true,
      isSelfServiceRegistrationAllowed: true,
      keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5, YUBIKEY_5_NFC] },
      includeTargets: [
        { targetType: "group", id: "all_users", isRegistrationRequired: false },
        { targetType: "group", id: GROUP, isRegistrationRequired: false },
      ],
    });
    expect(graph.requests.map((r) => r.method)).toEqual(["GET", "PATCH", "GET"]);
  });

  it("sends no key restriction when the allow-list is empty", async () => {
    await fido2MethodPolicyProvider.create(props({ aaGuids: [] }));
    const body = graph.requestsTo("PATCH", FIDO2_POLICY_PATH)[0]!.body as Fido2Configuration;
    expect(body.keyRestrictions).toEqual({ isEnforced: false, enforcementType: "allow", aaGuids: [] });
  });

  it("does not write when the tenant already complies (AAGUID case and order do not matter)", async () => {
    live.isAttestationEnforced = true;
    live.keyRestrictions = {
      isEnforced: true,
      enforcementType: "allow",
      aaGuids: [YUBIKEY_5_NFC, YUBIKEY_5.toUpperCase()],
    };
    live.includeTargets!.push({ targetType: "group", id: GROUP, isRegistrationRequired: true });
    await fido2MethodPolicyProvider.update!("fido2", props(), props());
    expect(graph.requests.map((r) => r.method)).toEqual(["GET"]);
  });

  it("takes the breakglass group out of the exclusions (an exclusion beats an inclusion) and keeps the others", async () => {
    live.isAttestationEnforced = true;
    live.keyRestrictions = { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_5, YUBIKEY_5_NFC] };
    live.includeTargets!.push({ targetType: "group", id: GROUP });
    live.excludeTargets = [
      { targetType: "group", id: GROUP.toUpperCase() },
      { targetType: "group", id: "0a0b0c0d-1111-2222-3333-444455556666" },
    ];
    await fido2MethodPolicyProvider.update!("fido2", props(), props());
    const body = graph.requestsTo("PATCH", FIDO2_POLICY_PATH)[0]!.body as Fido2Configuration;
    expect(body.excludeTargets).toEqual([{ targetType: "group", id: "0a0b0c0d-1111-2222-3333-444455556666" }]);
    expect(live.excludeTargets).toEqual([{ targetType: "group", id: "0a0b0c0d-1111-2222-3333-444455556666" }]);
  });

  it("reads the live policy, showing a group that lost its target as drift", async () => {
    live.state = "disabled";
    const read = await fido2MethodPolicyProvider.read!("fido2", props());
    expect(read.props).toEqual({
      ...loopbackConnection(graph.url),
      state: "disabled",
      targetGroupId: "",
      isAttestationEnforced: false,
      isSelfServiceRegistrationAllowed: true,
      aaGuids: [],
    });
    expect(await fido2MethodPolicyProvider.diff!("fido2", read.props!, props())).toMatchObject({
      changes: true,
      detailedKeys: ["state", "targetGroupId", "isAttestationEnforced", "aaGuids"],
    });
  });

  it("fails when Graph accepts the PATCH but does not persist it", async () => {
    dropOnPatch = "isAttestationEnforced";
    await expect(fido2MethodPolicyProvider.create(props())).rejects.toThrow(
      /FIDO2 authentication-method policy: Graph accepted the write but reading it back shows different isAttestationEnforced/,
    );
  });

  it("names the permission when Graph denies the write", async () => {
    graph.failNext("PATCH", FIDO2_POLICY_PATH, {
      status: 403,
      body: graphError("accessDenied", "Request Authorization failed"),
    });
    await expect(fido2MethodPolicyProvider.create(props())).rejects.toThrow(/Policy\.ReadWrite\.AuthenticationMethod/);
  });

  it("writes nothing when the live policy comes without its targets: a merge would take FIDO2 from everyone else", async () => {
    delete live.includeTargets;
    await expect(fido2MethodPolicyProvider.create(props())).rejects.toThrow(
      /^Fido2MethodPolicy: reading the tenant's FIDO2 policy \(nothing was changed\): GET \/v1\.0\/policies\/authenticationMethodsPolicy\/authenticationMethodConfigurations\/fido2 answered nothing, where Microsoft Graph documents includeTargets as a list of targets with ids/,
    );
    (live as Record<string, unknown>).includeTargets = [{ targetType: "group" }];
    await expect(fido2MethodPolicyProvider.update!("fido2", props(), props())).rejects.toThrow(
      /answered \[\{"targetType":"group"\}\], where Microsoft Graph documents includeTargets/,
    );
    expect(graph.requestsTo("PATCH", FIDO2_POLICY_PATH)).toEqual([]);
  });

  it("leaves the tenant's FIDO2 policy in place on delete", async () => {
    await fido2MethodPolicyProvider.delete!("fido2", props());
    expect(graph.requests).toEqual([]);
  });
});
