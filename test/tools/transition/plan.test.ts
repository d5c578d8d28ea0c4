/**
 * `npm run transition` before any write: the plan (offline from a snapshot, and live as a dry run), and every reason
 * it refuses to start — an unhealthy emergency path, an admin who could not activate afterwards — and the identity
 * running it, which it never moves.
 */
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GLOBAL_ADMINISTRATOR } from "@entra-baseline/model";
import { writeSnapshotFile } from "../../../src/tools/audit/snapshot";
import { main } from "../../../src/tools/transition/cli";
import {
  AUTOMATION,
  brownfieldConfig,
  CONTRACTOR,
  DEPLOYER,
  MANAGED_POLICY,
  SCOPED,
  SYNC,
  TENANT_ID,
  UNLISTED,
  unsignedJwt,
} from "../../support/fakes/rolloutTenant";
import { readFake } from "../../support/fakes/tenantReads";
import { journalsIn, startBrownfield, type BrownfieldHarness } from "../../support/writes/harness";

let h: BrownfieldHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const holds = (harness: BrownfieldHarness, principalId: string, roleId: string) =>
  harness.tenant.data.assignmentInstances.some(
    (i) => i.principalId === principalId && i.roleDefinitionId === roleId && i.assignmentType === "Assigned",
  );

describe("the plan", () => {
  it("offline from an audit snapshot: every listed standing admin moves, by the path its assignment was made; nothing is sent to Graph", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    const file = path.join(h.dir, "snapshot.json");
    writeSnapshotFile(file, await readFake(h.tenant, brownfieldConfig()));
    const before = h.tenant.graph.requests.length;

    const r = await h.run(main, ["--stack", h.stack, "--snapshot", "snapshot.json", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(h.tenant.graph.requests.length).toBe(before);
    expect(h.writes.writes).toEqual([]);
    expect(journalsIn(h.dir)).toEqual([]);
    const report = r.report!;
    expect(report).toMatchObject({ mode: "plan", outcome: "planned", tenantId: TENANT_ID });
    expect(report.source).toMatch(/^snapshot snapshot\.json \(taken /);

    const listed = h.brownfield.listed;
    expect(listed).toHaveLength(36);
    expect(report.actions).toHaveLength(72);
    for (const l of listed) {
      const mine = report.actions.filter((a) => a.step.endsWith(`/${l.principalId}/${l.roleId}`));
      expect(
        mine.map((a) => a.action),
        l.upn,
      ).toEqual([
        "make eligible",
        l.path === "pim" ? "remove standing (PIM request)" : "remove standing (legacy endpoint)",
      ]);
      expect(mine.every((a) => a.status === "planned")).toBe(true);
    }
    // What it reports and leaves alone: unlisted holders, group paths, a scoped assignment, the declared exceptions.
    const noted = (kind: string) => report.notes.filter((n) => n.kind === kind).map((n) => n.object);
    expect(noted("unlisted")).toEqual([
      ...UNLISTED.map((u) => `user ${u.upn} (${u.id}) → Global Administrator`),
      `servicePrincipal ${AUTOMATION.displayName} (${AUTOMATION.id}) → Privileged Role Administrator`,
    ]);
    expect(noted("group")).toEqual([
      expect.stringMatching(/^user sec\.admin1@contoso\.com .* → Global Administrator$/),
      `user ${CONTRACTOR.upn} (${CONTRACTOR.id}) → Global Administrator`,
    ]);
    expect(report.notes.find((n) => n.kind === "group")!.detail).toMatch(
      /through role-assignable group Tier0 legacy admins .*: not converted/,
    );
    expect(noted("scoped")).toEqual([`user ${SCOPED.upn} (${SCOPED.id}) → User Administrator`]);
    expect(noted("untouched")).toHaveLength(4);
    expect(noted("untouched").every((o) => o.includes(DEPLOYER.id) || o.includes(SYNC.id))).toBe(true);
    // Emergency accounts and exceptions never appear in an action.
    const untouchable = [
      ...h.tenant.data.users
        .filter((u) => String(u.userPrincipalName).startsWith("breakglass"))
        .map((u) => String(u.id)),
      DEPLOYER.id,
      SYNC.id,
    ];
    expect(report.actions.filter((a) => untouchable.some((id) => a.step.includes(id)))).toEqual([]);

    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ["emergency path", true],
      ["activation path", false],
    ]);
    expect(report.checks[1]!.summary).toMatch(/^not checked offline: the 36 admins' registered methods are read live/);
  });

  it("live without --apply: reads, checks, prints the plan, writes nothing and journals nothing", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    const r = await h.run(main, ["--stack", h.stack, "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(r.report).toMatchObject({ mode: "dryRun", outcome: "planned", writes: 0 });
    expect(r.report!.message).toBe("72 steps would run; nothing was written (add --apply)");
    expect(r.report!.checks.every((c) => c.ok)).toBe(true);
    expect(r.report!.checks[1]!.summary).toBe("each of the 36 admins moved can activate the role afterwards");
    expect(h.writes.writes).toEqual([]);
    expect(h.tenant.graph.requests.filter((q) => q.method !== "GET" && !q.url.pathname.endsWith("$batch"))).toEqual([]);
    expect(journalsIn(h.dir)).toEqual([]);
    expect(r.report!.caller).toBe(`servicePrincipal ${DEPLOYER.appId} (${DEPLOYER.id})`);
  });

  it("prints Markdown for a pull request, and a table by default", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    const md = await h.run(main, ["--stack", h.stack, "--markdown"]);
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^## `transition` — stack `brownfield`: dry run/);
    expect(md.out).toContain("| planned | make eligible | adele.vance@contoso.com → Global Administrator |  |");
    expect(md.out).toContain("### Reported, not changed (11)");
    const table = await h.run(main, ["--stack", h.stack]);
    expect(table.out).toMatch(/ok {3}emergency path: healthy: 2 emergency accounts/);
    expect(table.out).toMatch(/PLANNED: 72 steps would run/);
  });
});

describe("refusals before any write", () => {
  it("an unhealthy emergency path: exit 1, naming the policy that does not exclude the accounts and the account without a key", async () => {
    h = await startBrownfield({ emergencyPath: "unhealthy" });
    const r = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
    expect(r.code).toBe(1);
    expect(r.report!.outcome).toBe("refused");
    expect(r.report!.message).toMatch(
      /^refused before any write: emergency path \(unhealthy: no emergency account can sign in and act/,
    );
    const emergency = r.report!.checks.find((c) => c.name === "emergency path")!;
    expect(emergency).toMatchObject({ ok: false, blocking: true });
    expect(emergency.problems).toEqual(
      expect.arrayContaining([
        `breakglass-01@contoso.onmicrosoft.com is not excluded from enabled CA policy "Multifactor authentication for admins accessing Microsoft Admin Portals" (${MANAGED_POLICY})`,
        "breakglass-02@contoso.onmicrosoft.com has no FIDO2 security key or passkey registered",
      ]),
    );
    expect(h.writes.writes).toEqual([]);
    expect(journalsIn(h.dir)).toEqual([]);
    // The dry run says the same, and fails the same way (a CI job shows it).
    const dry = await h.run(main, ["--stack", h.stack, "--json"]);
    expect(dry.code).toBe(1);
    expect(dry.report!.message).toMatch(/^--apply would refuse: emergency path is not healthy; nothing was written/);
  });

  it("an admin who could not activate afterwards: exit 1, naming the admin and the method missing", async () => {
    h = await startBrownfield({ emergencyPath: "healthy", weakAdmin: "grady.archie@contoso.com" });
    const r = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
    expect(r.code).toBe(1);
    const activation = r.report!.checks.find((c) => c.name === "activation path")!;
    expect(activation).toMatchObject({
      ok: false,
      summary: "1 of the 36 admins moved could not activate the role afterwards",
    });
    expect(activation.problems).toEqual([
      "grady.archie@contoso.com → Global Administrator: grady.archie@contoso.com has no registered method that satisfies Multifactor authentication (registered: email)",
    ]);
    expect(h.writes.writes).toEqual([]);
  });

  it("a role whose PIM policy is not as declared: exit 1, naming the role", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    // The GA policy allows 8 hours where the stack declares 4.
    const ga = (h.tenant.data.pimRules as { id: string; maximumDuration?: string }[]).find(
      (x) => x.id === "Expiration_EndUser_Assignment",
    )!;
    ga.maximumDuration = "PT8H";
    h.tenant.reindex();
    const r = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
    expect(r.code).toBe(1);
    const problems = r.report!.checks.find((c) => c.name === "activation path")!.problems;
    expect(problems).toContain(
      "adele.vance@contoso.com → Global Administrator: the Global Administrator PIM policy is not what the stack declares (maxActivationDuration differ)",
    );
    expect(problems.some((p) => p.startsWith("pra.admin1@contoso.com"))).toBe(false);
    expect(h.writes.writes).toEqual([]);
  });
});

describe("the identity running it", () => {
  it("is never moved: a listed admin running it (delegated token) is named and left standing; the others move", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    const adele = h.brownfield.id("adele.vance@contoso.com");
    h.signIn(
      unsignedJwt({
        tid: TENANT_ID,
        oid: adele,
        scp: "RoleManagement.ReadWrite.Directory",
        upn: "adele.vance@contoso.com",
      }),
    );
    const r = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(r.report!.caller).toBe(`user adele.vance@contoso.com (${adele})`);
    expect(r.report!.notes.filter((n) => n.kind === "refused")).toEqual([
      {
        kind: "refused",
        object: `user adele.vance@contoso.com (${adele}) → Global Administrator`,
        detail:
          "it is the identity running this command: moving it would cut the run off half way; run it as another identity",
      },
    ]);
    expect(r.report!.actions.some((a) => a.step.includes(adele))).toBe(false);
    expect(holds(h, adele, GLOBAL_ADMINISTRATOR)).toBe(true);
    expect(h.tenant.data.eligibilityInstances.some((e) => e.principalId === adele)).toBe(false);
    const megan = h.brownfield.id("megan.bowen@contoso.com");
    expect(holds(h, megan, GLOBAL_ADMINISTRATOR)).toBe(false);
  });

  it("must be named by the token (its oid): a token that names none, or is not a JWT, is refused, writing nothing", async () => {
    h = await startBrownfield({ emergencyPath: "healthy" });
    h.signIn(unsignedJwt({ tid: TENANT_ID, idtyp: "app", roles: ["RoleManagement.ReadWrite.Directory"] }));
    const noOid = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
    expect(noOid.code).toBe(2);
    expect(noOid.err).toMatch(
      /^error: cannot tell which identity runs this command: its Microsoft Graph token .* names no object id/,
    );
    expect(noOid.out).toBe("");
    const requestsBefore = h.tenant.graph.requests.length;
    h.signIn("opaque-token");
    const opaque = await h.run(main, ["--stack", h.stack, "--apply", "--json"]);
    expect(opaque.code).toBe(2);
    expect(opaque.err).toMatch(
      /^error: cannot confirm the tenant: The credential's Microsoft Graph token .* does not say which tenant it is for/,
    );
    expect(h.tenant.graph.requests.length, "a token that cannot be shown to be the tenant's is never sent").toBe(
      requestsBefore,
    );
    expect(h.writes.writes).toEqual([]);
    expect(journalsIn(h.dir)).toEqual([]);
  });
});
