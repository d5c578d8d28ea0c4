/**
 * The RoleEligibility dynamic provider end to end against the loopback Graph: real HTTP, the production credential
 * chain (only `az` is a fake), PIM eligibilities in the documented shapes (test/support/fakes/roleEligibilities.ts).
 * What azuread's request resource cannot do is what is proven here: remove an eligibility whose request Graph
 * purged, adopt one that exists, make one time-bound, and show on refresh that one is gone or its expiry changed.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  isoDuration,
  liveDuration,
  roleEligibilityProvider,
  roleEligibilityProviderWith,
  type RoleEligibilityInputs,
  type RoleEligibilityOutputs,
} from "../../../src/components/pim/eligibilityProvider";
import { GLOBAL_ADMINISTRATOR, PRIVILEGED_ROLE_ADMINISTRATOR } from "@entra-baseline/model";
import { graphError } from "../../support/fakes/graphServer";
import { loopbackConnection, useLoopbackGraph } from "../../support/fakes/loopbackGraph";
import { ELIGIBILITY_ROUTES, FakeRoleEligibilities } from "../../support/fakes/roleEligibilities";

const graph = useLoopbackGraph();
afterEach(() => {
  graph.requests.length = 0;
});

const ADMIN = "3f1a6c2e-7b44-4a51-9d7e-0c2b8e5f9a10";
const OTHER = "4e2b7d3f-8c55-4b62-8e8f-1d3c9f6a0b21";
type Provider = ReturnType<typeof roleEligibilityProviderWith>;

/** The provider's methods with the results typed as this provider always returns them (outs and props set). */
function typed(p: Provider) {
  return {
    create: async (i: RoleEligibilityInputs) => {
      const r = await p.create(i);
      return { id: r.id, outs: r.outs! };
    },
    update: async (id: string, olds: RoleEligibilityOutputs, news: RoleEligibilityInputs) => ({
      outs: (await p.update!(id, olds, news)).outs!,
    }),
    read: async (id: string, props: RoleEligibilityOutputs) => {
      const r = await p.read!(id, props);
      return r as { id?: string; props: RoleEligibilityOutputs };
    },
    delete: (id: string, props: RoleEligibilityOutputs) => p.delete!(id, props),
    diff: (id: string, olds: RoleEligibilityOutputs, news: RoleEligibilityInputs) => p.diff!(id, olds, news),
  };
}

/** The provider with short read-back waits, for the cases where Graph does not apply a request. */
const quick = typed(roleEligibilityProviderWith([10, 10]));
const provider = typed(roleEligibilityProvider);

function inputs(overrides: Partial<RoleEligibilityInputs> = {}): RoleEligibilityInputs {
  return {
    roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
    principalId: ADMIN,
    directoryScopeId: "/",
    justification: "Eligible Privileged Role Administrator managed by entra-baseline",
    duration: null,
    ...loopbackConnection(graph.url),
    ...overrides,
  };
}

function tenant(options?: ConstructorParameters<typeof FakeRoleEligibilities>[0]): FakeRoleEligibilities {
  return new FakeRoleEligibilities(options).install(graph);
}

const posts = () => graph.requestsTo("POST", ELIGIBILITY_ROUTES.requests);
const ref = { principalId: ADMIN, roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR };

async function failure(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!result) throw new Error("expected the call to fail");
  return result;
}

describe("RoleEligibility provider: create", () => {
  it("asks for a never-expiring eligibility with the documented request body, then reads the schedule back", async () => {
    const fake = tenant();
    const before = Date.now();
    const { id, outs } = await provider.create(inputs());
    expect(posts()).toHaveLength(1);
    const body = posts()[0]!.body as Record<string, any>;
    expect(Object.keys(body).sort()).toEqual(
      ["action", "directoryScopeId", "justification", "principalId", "roleDefinitionId", "scheduleInfo"].sort(),
    );
    expect(body).toMatchObject({
      action: "adminAssign",
      principalId: ADMIN,
      roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
      directoryScopeId: "/",
      justification: "Eligible Privileged Role Administrator managed by entra-baseline",
      scheduleInfo: { expiration: { type: "noExpiration" } },
    });
    expect(Date.parse(body.scheduleInfo.startDateTime)).toBeGreaterThanOrEqual(before - 1000);
    const [schedule] = fake.find(ref);
    expect(id).toBe(schedule!.id);
    expect(outs).toMatchObject({ scheduleId: schedule!.id, duration: null, endDateTime: null, origin: "created" });
    // Read back through the schedules, listed by the documented principalId filter.
    const reads = graph.requestsTo("GET", ELIGIBILITY_ROUTES.schedules);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads.every((r) => r.url.searchParams.get("$filter") === `principalId eq '${ADMIN}'`)).toBe(true);
  });

  it.each(["afterDateTime", "afterDuration"] as const)(
    "makes a time-bound eligibility with scheduleInfo.expiration afterDuration (read back as %s)",
    async (shape) => {
      const fake = tenant({ expirationShape: shape });
      const { outs } = await provider.create(inputs({ duration: "P365D" }));
      expect((posts()[0]!.body as any).scheduleInfo.expiration).toEqual({ type: "afterDuration", duration: "P365D" });
      expect(fake.find(ref)).toHaveLength(1);
      expect(outs.duration).toBe("P365D");
      expect(Date.parse(outs.endDateTime!) - Date.parse(outs.startDateTime!)).toBe(365 * 86_400_000);
    },
  );

  it("adopts an eligibility that already exists: no request, the live schedule is the resource", async () => {
    const fake = tenant();
    const existing = fake.add(ref);
    const { id, outs } = await provider.create(inputs());
    expect(posts()).toEqual([]);
    expect(id).toBe(existing.id);
    expect(outs.origin).toBe("adopted");
  });

  it("adopts one whose request Graph already purged (an old azuread request's eligibility)", async () => {
    const fake = tenant();
    await provider.create(inputs());
    fake.purgeRequests();
    graph.requests.length = 0;
    const { outs } = await provider.create(inputs());
    expect(posts()).toEqual([]);
    expect(outs.origin).toBe("adopted");
    expect(graph.requestsTo("GET", ELIGIBILITY_ROUTES.request)).toEqual([]);
  });

  it("adopts an existing eligibility and sets the asked expiry with adminUpdate", async () => {
    const fake = tenant();
    fake.add(ref);
    const { outs } = await provider.create(inputs({ duration: "P90D" }));
    expect(posts().map((p) => (p.body as any).action)).toEqual(["adminUpdate"]);
    expect((posts()[0]!.body as any).scheduleInfo.expiration).toEqual({ type: "afterDuration", duration: "P90D" });
    expect(outs).toMatchObject({ origin: "adopted", duration: "P90D" });
  });

  it("settles a race (RoleAssignmentExists) by reading the schedules again", async () => {
    const fake = tenant();
    fake.add(ref);
    // The first read misses the eligibility someone else is creating at that moment.
    graph.failNext("GET", ELIGIBILITY_ROUTES.schedules, { body: { value: [] } });
    const { outs } = await provider.create(inputs());
    expect(posts()).toHaveLength(1);
    expect(fake.find(ref)).toHaveLength(1);
    expect(outs.scheduleId).toBe(fake.find(ref)[0]!.id);
  });

  it("does not adopt an eligibility inherited through a group, nor another role's or another principal's", async () => {
    const fake = tenant();
    fake.add(ref, { memberType: "Group" });
    fake.add({ principalId: ADMIN, roleDefinitionId: GLOBAL_ADMINISTRATOR });
    fake.add({ principalId: OTHER, roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR });
    const { outs } = await provider.create(inputs());
    expect(posts()).toHaveLength(1);
    expect(outs.origin).toBe("created");
  });

  it("fails, naming the eligibility, when Graph accepts the request and no eligibility appears", async () => {
    tenant().dropNext();
    const error = await failure(quick.create(inputs()));
    expect(error.message).toBe(
      `RoleEligibility: Graph accepted the request for the eligibility of ${ADMIN} for role ${PRIVILEGED_ROLE_ADMINISTRATOR} at scope /, but reading the eligibility schedules back shows no eligibility; run the update again, and look for a PIM policy that forbids it (Expiration_Admin_Eligibility) if it persists`,
    );
  });

  it("keeps Graph's refusal and names the permission the write needs", async () => {
    tenant();
    graph.failNext("POST", ELIGIBILITY_ROUTES.requests, {
      status: 403,
      body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    });
    const error = await failure(provider.create(inputs()));
    expect(error.message).toContain(`RoleEligibility: sending adminAssign for the eligibility of ${ADMIN}`);
    expect(error.message).toContain("RoleEligibilitySchedule.ReadWrite.Directory");
  });

  it("refuses a service principal as Graph does (only users and groups can be eligible)", async () => {
    const fake = tenant();
    fake.servicePrincipals.add(ADMIN);
    const error = await failure(provider.create(inputs()));
    expect(error.message).toContain("Only users and role-assignable groups can be made eligible.");
    expect(fake.schedules).toEqual([]);
  });

  it("refuses a duration that is not ISO 8601 before sending anything", async () => {
    tenant();
    const error = await failure(provider.create(inputs({ duration: "1 year" })));
    expect(error.message).toBe('RoleEligibility: duration "1 year" is not an ISO 8601 duration. Nothing was changed.');
    expect(graph.requests).toEqual([]);
  });
});

describe("RoleEligibility provider: delete", () => {
  it("removes an eligibility whose request Graph purged (where azuread answers RoleAssignmentRequestNotFound)", async () => {
    const fake = tenant();
    const { id, outs } = await provider.create(inputs());
    fake.purgeRequests();
    graph.requests.length = 0;
    await provider.delete(id, outs);
    expect(fake.find(ref)).toEqual([]);
    expect(posts().map((p) => p.body)).toEqual([
      {
        action: "adminRemove",
        principalId: ADMIN,
        roleDefinitionId: PRIVILEGED_ROLE_ADMINISTRATOR,
        directoryScopeId: "/",
        justification: "Eligible Privileged Role Administrator managed by entra-baseline",
      },
    ]);
    // It never asks for the original request.
    expect(graph.requestsTo("GET", ELIGIBILITY_ROUTES.request)).toEqual([]);
  });

  it("is done when the eligibility is already gone (no request sent)", async () => {
    const fake = tenant();
    const { id, outs } = await provider.create(inputs());
    fake.schedules.length = 0;
    graph.requests.length = 0;
    await provider.delete(id, outs);
    expect(posts()).toEqual([]);
  });

  it("does not take RoleAssignmentDoesNotExist at its word: still there on reading back is an error", async () => {
    const fake = tenant();
    const { id, outs } = await quick.create(inputs());
    graph.failNext("POST", ELIGIBILITY_ROUTES.requests, {
      status: 400,
      body: graphError("RoleAssignmentDoesNotExist", "The Role assignment does not exist."),
    });
    const error = await failure(quick.delete(id, outs));
    expect(error.message).toContain("Graph accepted the removal of the eligibility");
    expect(error.message).toContain("is still there");
    expect(fake.find(ref)).toHaveLength(1);
  });

  it("takes a 404 on removal as done when the eligibility is gone on reading back", async () => {
    const fake = tenant();
    const { id, outs } = await quick.create(inputs());
    // Another writer removes it at the same moment; Graph answers this removal 404.
    graph.route("POST", ELIGIBILITY_ROUTES.requests, () => {
      fake.schedules.length = 0;
      return { status: 404, body: graphError("NotFound", "not found") };
    });
    await quick.delete(id, outs);
    expect(fake.find(ref)).toEqual([]);
  });
});

describe("RoleEligibility provider: read (refresh) and update", () => {
  it("reports a live eligibility unchanged", async () => {
    tenant();
    const { id, outs } = await provider.create(inputs({ duration: "P365D" }));
    const read = await provider.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(outs);
  });

  it("reports an eligibility that is gone: the resource leaves the state", async () => {
    const fake = tenant();
    const { id, outs } = await provider.create(inputs());
    fake.schedules.length = 0;
    expect(await provider.read(id, outs)).toEqual({});
  });

  it("reports a changed expiry as a different duration, which the next update sets back with adminUpdate", async () => {
    const fake = tenant();
    const { id, outs } = await provider.create(inputs({ duration: "P30D" }));
    const start = Date.parse(outs.startDateTime!);
    fake.setEnd(ref, new Date(start + 400 * 86_400_000).toISOString());
    const read = await provider.read(id, outs);
    expect(read.props.duration).toBe("P400D");
    const diff = await provider.diff(id, read.props, inputs({ duration: "P30D" }));
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    graph.requests.length = 0;
    const { outs: fixed } = await provider.update(id, read.props, inputs({ duration: "P30D" }));
    expect(posts().map((p) => (p.body as any).action)).toEqual(["adminUpdate"]);
    expect(fixed.duration).toBe("P30D");

    fake.setEnd(ref, null);
    expect((await provider.read(id, fixed)).props.duration).toBeNull();
  });

  it("refuses state without a connection: no fall-back to the public cloud", async () => {
    tenant();
    const { tenantId: _t, ...old } = inputs();
    const error = await failure(provider.read("x", old as RoleEligibilityOutputs));
    expect(error.message).toContain("RoleEligibility: its props record no tenantId");
    expect(graph.requests).toEqual([]);
  });
});

describe("RoleEligibility provider: diff", () => {
  const olds = () => ({
    ...inputs(),
    scheduleId: "s",
    startDateTime: null,
    endDateTime: null,
    origin: "created" as const,
  });

  it("never diffs on the justification (history) or the outputs", async () => {
    expect(await provider.diff("s", olds(), inputs({ justification: "another reason" }))).toMatchObject({
      changes: false,
    });
  });

  it.each([
    ["principalId", OTHER],
    ["roleDefinitionId", GLOBAL_ADMINISTRATOR],
    ["directoryScopeId", "/administrativeUnits/x"],
  ])("replaces on %s (another eligibility)", async (key, value) => {
    expect(await provider.diff("s", olds(), inputs({ [key]: value }))).toMatchObject({
      changes: true,
      replaces: [key],
    });
  });

  it("updates in place on a new duration, and treats GUID case as the same principal", async () => {
    expect(await provider.diff("s", olds(), inputs({ duration: "P90D" }))).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await provider.diff("s", olds(), inputs({ principalId: ADMIN.toUpperCase() }))).toMatchObject({
      changes: false,
    });
  });
});

describe("durations", () => {
  it("reads a schedule's span against the asked duration", () => {
    const schedule = (end: string | null, type = end ? "afterDateTime" : "noExpiration") => ({
      scheduleInfo: { startDateTime: "2026-01-01T00:00:00Z", expiration: { type, endDateTime: end } },
    });
    expect(liveDuration(schedule(null), "P30D")).toBeNull();
    expect(liveDuration(schedule("2026-01-31T00:05:00Z"), "P30D")).toBe("P30D");
    expect(liveDuration(schedule("2026-03-02T00:00:00Z"), "P30D")).toBe("P60D");
    expect(liveDuration(schedule("2026-01-31T00:00:00Z"), null)).toBe("P30D");
    expect(isoDuration(90)).toBe("PT90S");
  });
});
