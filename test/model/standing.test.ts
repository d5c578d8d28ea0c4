/**
 * judgeHolding: the one definition of standing Tier-0 access, over every holding path, with declared exceptions.
 */
import { describe, expect, it } from "vitest";
import {
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS,
  GLOBAL_ADMINISTRATOR,
  HOLDING_PATHS,
  judgeHolding,
  PRIVILEGED_ROLE_ADMINISTRATOR,
  TIER0_ROLE_IDS,
  type ActiveHolding,
  type StandingException,
} from "@entra-baseline/model";

const now = new Date("2026-12-01T12:00:00Z");
const SP = "de000000-0000-4000-8000-0000000000de";
const exceptions: StandingException[] = [
  {
    principal: SP,
    principalType: "servicePrincipal",
    roles: [PRIVILEGED_ROLE_ADMINISTRATOR],
    reason: "deploys PIM policies",
    owner: "platform",
    expires: "2026-12-31",
  },
  {
    principal: "5c000000-0000-4000-8000-00000000005c",
    principalType: "user",
    roles: [DIRECTORY_SYNCHRONIZATION_ACCOUNTS],
    reason: "Entra Connect sync",
    owner: "identity",
    expires: "2026-11-30",
  },
];
const ctx = { tier0: new Set(TIER0_ROLE_IDS), maxActivationSeconds: 4 * 3600, exceptions, now };

function holding(extra: Partial<ActiveHolding>): ActiveHolding {
  return {
    principal: { key: "u1", objectId: "u1", type: "user", label: "adele", breakglass: false },
    role: GLOBAL_ADMINISTRATOR,
    scope: "/",
    path: "directAssignment",
    source: "test",
    ...extra,
  };
}

describe("judgeHolding", () => {
  it.each(HOLDING_PATHS.filter((p) => !p.endsWith("Activation")))("a Tier-0 holding by %s is standing", (path) => {
    expect(judgeHolding(holding({ path }), ctx).kind).toBe("standing");
  });

  it("a bounded activation backed by an eligibility is allowed; unbacked, open-ended or too long is standing", () => {
    const start = "2026-12-01T10:00:00Z";
    expect(
      judgeHolding(
        holding({ path: "pimActivation", start, end: "2026-12-01T14:00:00Z", backedByEligibility: true }),
        ctx,
      ).kind,
    ).toBe("allowed");
    expect(
      judgeHolding(
        holding({ path: "groupPimActivation", start, end: "2026-12-01T11:00:00Z", backedByEligibility: true }),
        ctx,
      ).kind,
    ).toBe("allowed");
    expect(
      judgeHolding(
        holding({ path: "pimActivation", start, end: "2026-12-01T14:00:01Z", backedByEligibility: true }),
        ctx,
      ).kind,
    ).toBe("standing");
    expect(judgeHolding(holding({ path: "pimActivation", start, backedByEligibility: true }), ctx).kind).toBe(
      "standing",
    );
    expect(
      judgeHolding(
        holding({ path: "pimActivation", start, end: "2026-12-01T11:00:00Z", backedByEligibility: false }),
        ctx,
      ).kind,
    ).toBe("standing");
  });

  it("fails closed on a role it cannot resolve and a path it does not know", () => {
    expect(judgeHolding(holding({ role: undefined }), ctx)).toMatchObject({ kind: "standing", severity: "critical" });
    expect(judgeHolding(holding({ path: undefined, role: "4a5d8f65-41da-4de4-8968-e035b65339cf" }), ctx).kind).toBe(
      "allowed",
    );
    expect(judgeHolding(holding({ path: undefined }), ctx).kind).toBe("standing");
  });

  it("allows an emergency account's permanent direct Global Administrator at the directory scope, and nothing else", () => {
    const bg = { key: "bg", objectId: "bg", type: "user" as const, label: "bg", breakglass: true };
    expect(judgeHolding(holding({ principal: bg }), ctx)).toEqual({
      kind: "allowed",
      why: "breakglassGlobalAdministrator",
    });
    expect(judgeHolding(holding({ principal: bg, scope: "/administrativeUnits/x" }), ctx).kind).toBe("standing");
    expect(judgeHolding(holding({ principal: bg, role: PRIVILEGED_ROLE_ADMINISTRATOR }), ctx).kind).toBe("standing");
    expect(judgeHolding(holding({ principal: bg, path: "pimAssignment", end: "2027-01-01T00:00:00Z" }), ctx).kind).toBe(
      "standing",
    );
    expect(judgeHolding(holding({ principal: bg, path: "groupMembership" }), ctx).kind).toBe("standing");
  });

  it("honours an unexpired exception for exactly that principal, type and role, through direct paths only", () => {
    const sp = { key: SP, objectId: SP, type: "servicePrincipal" as const, label: "deployer", breakglass: false };
    expect(judgeHolding(holding({ principal: sp, role: PRIVILEGED_ROLE_ADMINISTRATOR }), ctx).kind).toBe("excepted");
    expect(judgeHolding(holding({ principal: sp, role: GLOBAL_ADMINISTRATOR }), ctx).kind).toBe("standing");
    expect(
      judgeHolding(holding({ principal: { ...sp, type: "user" }, role: PRIVILEGED_ROLE_ADMINISTRATOR }), ctx),
    ).toMatchObject({ kind: "standing", message: expect.stringMatching(/declared for a servicePrincipal/) });
    expect(
      judgeHolding(
        holding({ principal: sp, role: PRIVILEGED_ROLE_ADMINISTRATOR, path: "groupMembership", viaGroup: "g" }),
        ctx,
      ).kind,
    ).toBe("standing");
    expect(
      judgeHolding(holding({ principal: sp, role: PRIVILEGED_ROLE_ADMINISTRATOR }), {
        ...ctx,
        now: new Date("2027-01-01T00:00:00Z"),
      }),
    ).toMatchObject({ kind: "standing", message: expect.stringMatching(/expired/) });
  });

  it("takes a principal of unknown type (a bare id in a stack) as its exception declares it", () => {
    const bare = { key: SP, objectId: SP, type: "unknown" as const, label: SP, breakglass: false };
    expect(judgeHolding(holding({ principal: bare, role: PRIVILEGED_ROLE_ADMINISTRATOR }), ctx).kind).toBe("excepted");
  });

  it("reports an expired exception as standing with the reason", () => {
    const sync = {
      key: "5c000000-0000-4000-8000-00000000005c",
      objectId: "5c000000-0000-4000-8000-00000000005c",
      type: "user" as const,
      label: "sync",
      breakglass: false,
    };
    expect(judgeHolding(holding({ principal: sync, role: DIRECTORY_SYNCHRONIZATION_ACCOUNTS }), ctx)).toMatchObject({
      kind: "standing",
      message: expect.stringMatching(/exception expired/),
    });
  });
});
