/**
 * `npm run adopt` from the outside: its entry point (in-process, real files), offline from a snapshot and live
 * against the loopback fake tenant. What it writes into --out, what it prints (table, --json, --markdown), its exit
 * codes, and bad input: exit 2, one message, nothing written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryIo } from "../../../src/cli/io";
import { runCommand } from "../../../src/cli/run";
import { main } from "../../../src/tools/adopt/cli";
import { brownfieldFido2, BROWNFIELD_TENANT_ID } from "../../support/fakes/brownfield";
import { healthyTenant, startFakeTenant, testConfig, type TenantData } from "../../support/fakes/tenant";
import { useFakeAzureCliInFile } from "../../support/audit/harness";
import { tempDir } from "../../support/cli";
import { BROWNFIELD_SNAPSHOT } from "../../support/adopt/harness";

async function adoptCli(args: string[], cwd = tempDir("adopt-cwd")) {
  const io = memoryIo({ cwd, columns: 160 });
  const code = await runCommand(main, args, io);
  return { code, out: io.out, err: io.err, cwd };
}

const list = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe("npm run adopt, offline from a snapshot", () => {
  it("writes the stack file and the import file, prints the report and exits 1 on lock-out risks", async () => {
    const out = path.join(tempDir("adopt-out"), "proposal");
    const res = await adoptCli(["--stack", "prod", "--out", out, "--snapshot", BROWNFIELD_SNAPSHOT]);
    expect(res.err).toBe("");
    expect(res.code).toBe(1);
    expect(list(out)).toEqual(["Pulumi.prod.yaml", "import.json"]);
    expect(res.out).toMatch(
      /^Adopt of stack "prod" — tenant f4b1c0de-7a2e-4c3b-9d8e-0a1b2c3d4e5f, read at 2025-06-02T07:30:00.000Z/,
    );
    expect(res.out).toMatch(/Preflight: \d+ lock-out risks found \(exit 1\)/);
    // Adopted in create: the FIDO2 policy, each managed role's PIM policy (six) and the eligibilities Fabrikam already
    // has for the roles besides Global Administrator, which RoleEligibility takes over instead of requesting again.
    expect(res.out).toContain("Adoption: 10 to import (pulumi import --file import.json), 11 adopted in create");
    expect(fs.readFileSync(path.join(out, "Pulumi.prod.yaml"), "utf8")).toContain(
      "objectId: b9000000-0000-4000-8000-000000000001",
    );
  }, 60_000);

  it("--json carries the same import file and every risk; --markdown is a pull-request summary", async () => {
    const out = tempDir("adopt-json");
    const json = await adoptCli(["--stack", "prod", "--out", out, "--snapshot", BROWNFIELD_SNAPSHOT, "--json"]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out);
    expect(report.imports.file).toEqual(JSON.parse(fs.readFileSync(path.join(out, "import.json"), "utf8")));
    expect(report.preflight.lockOutRisks).toBe(report.preflight.risks.length);
    expect(new Set(report.preflight.risks.map((r: any) => r.kind))).toEqual(
      new Set([
        "activation",
        "approvers",
        "emergencyExposure",
        "emergencyPath",
        "globalAdminCount",
        "adoptedPolicy",
        "adoption",
      ]),
    );
    const md = await adoptCli(["--stack", "prod", "--out", out, "--snapshot", BROWNFIELD_SNAPSHOT, "--markdown"]);
    expect(md.out).toMatch(/^## Adopt of stack "prod"/);
    expect(md.out).toContain("| Kind | Object | Problem | Fix |");
    expect(md.out).toContain("### To do before the first up");
  }, 60_000);

  it("merges into the stack file in --cwd and leaves that file untouched", async () => {
    const cwd = tempDir("adopt-existing");
    const text = `# ours\nconfig:\n  entra-baseline:tenant:\n    tenantId: ${BROWNFIELD_TENANT_ID} # pinned\n`;
    fs.writeFileSync(path.join(cwd, "Pulumi.prod.yaml"), text);
    const out = path.join(cwd, "adopted");
    const res = await adoptCli(["--stack", "prod", "--out", out, "--snapshot", BROWNFIELD_SNAPSHOT], cwd);
    expect(res.code).toBe(1);
    expect(fs.readFileSync(path.join(cwd, "Pulumi.prod.yaml"), "utf8")).toBe(text);
    const merged = fs.readFileSync(path.join(out, "Pulumi.prod.yaml"), "utf8");
    expect(merged).toMatch(/^# ours\n/);
    expect(merged).toContain(`tenantId: ${BROWNFIELD_TENANT_ID} # pinned`);
  }, 60_000);

  it.each([
    [
      "a snapshot of another tenant",
      (cwd: string) =>
        fs.writeFileSync(
          path.join(cwd, "Pulumi.prod.yaml"),
          "config:\n  entra-baseline:tenant:\n    tenantId: 11111111-2222-3333-4444-555555555555\n",
        ),
      [],
      `is of tenant ${BROWNFIELD_TENANT_ID}, but the stack governs tenant 11111111-2222-3333-4444-555555555555 (tenant.tenantId): nothing was written`,
    ],
    [
      "a stack file it cannot merge",
      (cwd: string) =>
        fs.writeFileSync(path.join(cwd, "Pulumi.prod.yaml"), "config:\n  entra-baseline:breakglass: [one, two]\n"),
      [],
      "Pulumi.prod.yaml: cannot merge the proposal into this stack file: breakglass is not a map; nothing was written",
    ],
    [
      "a stack file that is not YAML",
      (cwd: string) => fs.writeFileSync(path.join(cwd, "Pulumi.prod.yaml"), "config:\n  entra-baseline:pim: [x\n"),
      [],
      "Pulumi.prod.yaml: is not valid YAML",
    ],
    [
      "a recipient that is no email",
      () => undefined,
      ["--recipient", "secops"],
      '--recipient "secops" is not an email address',
    ],
  ])(
    "exits 2 on %s, writing nothing",
    async (_what, prepare, extra, message) => {
      const cwd = tempDir("adopt-bad");
      prepare(cwd);
      const out = path.join(cwd, "out");
      const res = await adoptCli(["--stack", "prod", "--out", out, "--snapshot", BROWNFIELD_SNAPSHOT, ...extra], cwd);
      expect(res.code).toBe(2);
      expect(res.err).toContain(message);
      expect(res.err).not.toMatch(/\n\s+at /); // no stack trace
      expect(list(out)).toEqual([]);
      expect(res.out).toBe("");
    },
    60_000,
  );

  it("exits 2 on a malformed adopt part of a snapshot, naming the path", async () => {
    const cwd = tempDir("adopt-bad-snapshot");
    const snapshot = JSON.parse(fs.readFileSync(BROWNFIELD_SNAPSHOT, "utf8"));
    snapshot.adopt.sources.registrationDetails = ["not keyed"];
    fs.writeFileSync(path.join(cwd, "s.json"), JSON.stringify(snapshot));
    const res = await adoptCli(["--stack", "prod", "--out", "out", "--snapshot", "s.json"], cwd);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/s\.json: has a malformed adopt part .*\n {2}- adopt\.sources\.registrationDetails: /);
    expect(list(path.join(cwd, "out"))).toEqual([]);
  });

  it("needs --stack and --out", async () => {
    expect((await adoptCli(["--out", "x", "--snapshot", BROWNFIELD_SNAPSHOT])).err).toContain(
      "--stack <name> is required",
    );
    const noOut = await adoptCli(["--stack", "prod", "--snapshot", BROWNFIELD_SNAPSHOT]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain("required option '--out <dir>' not specified");
  });
});

/** A tenant the test stack fits, with what adopt reads on top of the audit's. */
function smallTenant(): TenantData {
  const config = testConfig();
  const data = healthyTenant(config);
  data.organization = {
    id: config.tenant.tenantId,
    displayName: "Contoso",
    verifiedDomains: [{ name: "contoso.onmicrosoft.com", isInitial: true, isDefault: true }],
  };
  data.fido2Policy = brownfieldFido2();
  data.registrationDetails = Object.fromEntries(
    data.users.map((u) => [
      String(u.id),
      { id: u.id, userPrincipalName: u.userPrincipalName, methodsRegistered: ["microsoftAuthenticatorPush"] },
    ]),
  );
  return data;
}

describe("npm run adopt, live against the fake tenant", () => {
  useFakeAzureCliInFile();

  it("reads the tenant, writes the snapshot it read too, and adopting that snapshot offline writes the same stack", async () => {
    const tenant = await startFakeTenant(smallTenant());
    try {
      const cwd = tempDir("adopt-live");
      const endpoints = [
        "--tenant",
        testConfig().tenant.tenantId,
        "--graph-endpoint",
        tenant.graph.url,
        "--arm-endpoint",
        tenant.arm.url,
      ];
      const live = await adoptCli(
        ["--stack", "test", "--out", "live", ...endpoints, "--subscription", "22222222-3333-4444-5555-666666666666"],
        cwd,
      );
      expect(live.err).toBe("");
      expect([0, 1]).toContain(live.code);
      expect(list(path.join(cwd, "live"))).toEqual(["Pulumi.test.yaml", "adopt-snapshot.json", "import.json"]);
      const offline = await adoptCli(
        ["--stack", "test", "--out", "offline", "--snapshot", "live/adopt-snapshot.json"],
        cwd,
      );
      expect(offline.code).toBe(live.code);
      const read = (dir: string) => fs.readFileSync(path.join(cwd, dir, "Pulumi.test.yaml"), "utf8");
      expect(read("offline")).toBe(read("live"));
      // Only reads: nothing but GET (and the $batch POSTs that carry GETs) reached the tenant.
      expect(tenant.graph.requests.filter((r) => r.method !== "GET" && !r.url.pathname.endsWith("/$batch"))).toEqual(
        [],
      );
      expect(tenant.graph.requests.filter((r) => r.batched && r.method !== "GET")).toEqual([]);
    } finally {
      await tenant.close();
    }
  }, 90_000);

  it("stops after the organization read when the sign-in is of another tenant than the stack's", async () => {
    const data = smallTenant();
    data.organization!.id = BROWNFIELD_TENANT_ID;
    const tenant = await startFakeTenant(data);
    try {
      const cwd = tempDir("adopt-live-other");
      fs.writeFileSync(
        path.join(cwd, "Pulumi.prod.yaml"),
        `config:\n  entra-baseline:tenant:\n    tenantId: ${testConfig().tenant.tenantId}\n`,
      );
      const res = await adoptCli(
        ["--stack", "prod", "--out", "out", "--graph-endpoint", tenant.graph.url, "--arm-endpoint", tenant.arm.url],
        cwd,
      );
      expect(res.code).toBe(2);
      expect(res.err).toBe(
        `error: the identity signed in to tenant ${BROWNFIELD_TENANT_ID}, but the stack governs tenant ${testConfig().tenant.tenantId} (tenant.tenantId): nothing was read or written; sign in to the stack's tenant\n`,
      );
      expect(tenant.graph.requests.map((r) => r.url.pathname)).toEqual(["/v1.0/organization"]);
      expect(tenant.arm.requests).toEqual([]);
      expect(list(path.join(cwd, "out"))).toEqual([]);
    } finally {
      await tenant.close();
    }
  });

  it("names the missing permission when the registration details are refused (exit 2, nothing written)", async () => {
    const tenant = await startFakeTenant(smallTenant());
    tenant.graph.route("GET", "/v1.0/reports/authenticationMethods/userRegistrationDetails", () => ({
      status: 403,
      body: {
        error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." },
      },
    }));
    try {
      const cwd = tempDir("adopt-live-403");
      const res = await adoptCli(
        [
          "--stack",
          "test",
          "--out",
          "out",
          "--tenant",
          testConfig().tenant.tenantId,
          "--graph-endpoint",
          tenant.graph.url,
          "--arm-endpoint",
          tenant.arm.url,
          "--subscription",
          "22222222-3333-4444-5555-666666666666",
        ],
        cwd,
      );
      expect(res.code).toBe(2);
      expect(res.err).toContain("was denied (403 Authorization_RequestDenied");
      expect(res.err).toContain("AuditLog.Read.All or UserAuthenticationMethod.Read.All");
      expect(list(path.join(cwd, "out"))).toEqual([]);
    } finally {
      await tenant.close();
    }
  }, 60_000);
});
