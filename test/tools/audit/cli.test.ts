/**
 * `npm run audit` end to end, in process: stack file → config → (fake tenant | snapshot) → output and exit code.
 * The live runs use the production credential chain against the fake `az` and the loopback fakes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../src/cli/exitCodes";
import { memoryIo } from "../../../src/cli/io";
import { runCommand } from "../../../src/cli/run";
import { main } from "../../../src/tools/audit/cli";
import { FAKE_TOKEN, OTHER_TENANT_ID, TEST_TENANT_ID, withAzureCliTenant } from "../../support/fakes/azureCli";
import { loopbackStackDir, STACK_DIR, stackText } from "../../support/stack";
import { graphError } from "../../support/fakes/graphServer";
import { KEYED_SOURCES, LIST_SOURCES } from "../../../src/tools/audit/snapshot";
import { exampleSnapshotJson } from "../../support/audit/exampleSnapshot";
import { ROOT, SUBSCRIPTION_ID, caPolicy, guid, healthyTenant, testConfig } from "../../support/fakes/tenant";
import { useFakeTenant } from "../../support/audit/harness";

const EXAMPLE = path.join(ROOT, "examples/audit-snapshot.json");
/**
 * The examples' own stack (examples/Pulumi.example.yaml), the one the example snapshot is of, as docs/audit.md runs
 * it: never the bundled Pulumi.prod.yaml, which is the user's to point at their own tenant.
 */
const OWN_STACK = ["--cwd", "examples"];

async function cli(args: string[], options: { cwd?: string; tty?: boolean } = {}) {
  const io = memoryIo({ cwd: options.cwd ?? ROOT, stderrIsTTY: options.tty ?? false });
  const code = await runCommand(main, args, io);
  return { code, stdout: io.out, stderr: io.err };
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "audit-cli-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the bundled example snapshot", () => {
  it("is what the example generator produces (regenerate it when the reader changes)", async () => {
    expect(fs.readFileSync(EXAMPLE, "utf8")).toBe(await exampleSnapshotJson());
  });

  it("audits offline with the examples' own stack: the five deliberate changes, exit 1", async () => {
    const { code, stdout } = await cli([...OWN_STACK, "--snapshot", "examples/audit-snapshot.json", "--json"]);
    expect(code).toBe(EXIT.findings);
    const report = JSON.parse(stdout) as { complete: boolean; findings: { id: string; object: string }[] };
    expect(report.complete).toBe(true);
    expect([...new Set(report.findings.map((f) => f.id))].sort()).toEqual([
      "AUD-BREAKGLASS-NO-FIDO2",
      "AUD-BREAKGLASS-WEAK-METHODS",
      "AUD-CA-NO-BREAKGLASS-EXCLUSION",
      "AUD-LOGS-AT-RISK",
      "AUD-OUTSIDE-PIM",
      "AUD-PERMANENT-TIER0",
      "AUD-PIM-POLICY-DRIFT",
      "AUD-PIM-POLICY-WEAKENED",
      "AUD-TRIPWIRE-WEAK",
    ]);
    // Change 5 (NonInteractiveUserSignInLogs off) is what blinds the non-interactive tripwire, and nothing else.
    const blind = report.findings.filter((f) => f.id === "AUD-TRIPWIRE-WEAK").map((f) => f.object);
    expect(blind).toEqual([
      expect.stringMatching(/^scheduled query rule breakglass-non-interactive-sign-in-tripwire /),
    ]);
  });

  it("audits offline with the examples' own stack whatever Pulumi.prod.yaml holds: here, another tenant's", async () => {
    const project = fs.mkdtempSync(path.join(tmp, "edited-"));
    const edited = stackText().replaceAll(TEST_TENANT_ID, OTHER_TENANT_ID).replaceAll("contoso", "fabrikam");
    fs.writeFileSync(path.join(project, "Pulumi.prod.yaml"), edited);
    // The edited stack is the one a run without --cwd takes: it governs another tenant, so it refuses the example.
    const bare = await cli(["--snapshot", EXAMPLE], { cwd: project });
    expect(bare.code).toBe(EXIT.invalidInput);
    expect(bare.stderr).toContain(`but stack prod governs tenant ${OTHER_TENANT_ID}`);
    const own = await cli(["--cwd", path.join(ROOT, "examples"), "--snapshot", EXAMPLE, "--json"], { cwd: project });
    expect(own.code).toBe(EXIT.findings);
    expect((JSON.parse(own.stdout) as { tenantId: string }).tenantId).toBe(TEST_TENANT_ID);
  });

  it("renders a table by default and Markdown on request", async () => {
    const table = await cli([...OWN_STACK, "--snapshot", "examples/audit-snapshot.json"]);
    expect(table.stdout).toMatch(/^SEVERITY\s+FINDING\s+OBJECT\s+ACTUAL$/m);
    expect(table.stdout).toMatch(/^CRITICAL\s+AUD-PERMANENT-TIER0\s+user it-ops@contoso\.com/m);
    const md = await cli([...OWN_STACK, "--snapshot", "examples/audit-snapshot.json", "--markdown"]);
    expect(md.stdout).toContain("| Severity | Finding | Object | Expected | Actual | Controls |");
    expect(md.stdout).toMatch(
      /\| critical \| AUD-PERMANENT-TIER0 .*\| MS\.AAD\.7\.4, MS\.AAD\.7\.5, ZTA 21815, ZTA 21816, MT\.1025, MT\.1026, MT\.1027, MT\.1028, MT\.1031 \|$/m,
    );
  });

  it("--fail-on decides the exit code", async () => {
    expect(
      (await cli([...OWN_STACK, "--snapshot", "examples/audit-snapshot.json", "--fail-on", "critical"])).code,
    ).toBe(EXIT.findings);
    // Without the three changes that make critical findings (the permanent GA, the hand-made CA policy, and the
    // non-interactive sign-in logs switched off, which blinds their tripwire), only high and lower findings remain.
    const trimmed = JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as {
      sources: {
        caPolicies: { displayName: string }[];
        roleAssignmentScheduleInstances: { principal?: { userPrincipalName?: string } }[];
        diagnosticSettings: { properties: { logs: { category: string; enabled: boolean }[] } }[];
      };
    };
    trimmed.sources.caPolicies = trimmed.sources.caPolicies.filter((p) => !p.displayName.includes("hand-made"));
    trimmed.sources.roleAssignmentScheduleInstances = trimmed.sources.roleAssignmentScheduleInstances.filter(
      (i) => i.principal?.userPrincipalName !== "it-ops@contoso.com",
    );
    const logs = trimmed.sources.diagnosticSettings[0]!.properties.logs;
    logs.find((l) => l.category === "NonInteractiveUserSignInLogs")!.enabled = true;
    const file = path.join(tmp, "no-critical.json");
    fs.writeFileSync(file, JSON.stringify(trimmed));
    expect((await cli([...OWN_STACK, "--snapshot", file, "--fail-on", "critical"])).code).toBe(EXIT.ok);
    expect((await cli([...OWN_STACK, "--snapshot", file])).code).toBe(EXIT.findings);
    expect((await cli([...OWN_STACK, "--snapshot", file, "--fail-on", "low"])).code).toBe(EXIT.findings);
  });
});

describe("usage errors exit 2", () => {
  it.each([
    [["--fail-on", "severe"], /Allowed choices are critical, high, medium, low, info/],
    [["--json", "--markdown"], /cannot be used with/],
    [["--stack", "nope"], /no such stack file/],
    [["--snapshot", "missing.json"], /missing\.json: cannot read the audit snapshot: no such file or directory/],
    [["--snapshot", "examples/audit-snapshot.json", "--save-snapshot", "x.json"], /exclude each other/],
  ])("%j", async (args, message) => {
    const { code, stderr } = await cli([...OWN_STACK, ...args]);
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toMatch(message);
  });

  it("a snapshot that is not JSON, or not a snapshot, or incomplete", async () => {
    const bad = path.join(tmp, "bad.json");
    fs.writeFileSync(bad, "{ nope");
    expect((await cli([...OWN_STACK, "--snapshot", bad])).stderr).toMatch(/is not valid JSON/);
    fs.writeFileSync(bad, JSON.stringify({ version: 3, takenAt: "yesterday", sources: { caPolicies: "all" } }));
    const wrong = await cli([...OWN_STACK, "--snapshot", bad]);
    expect(wrong.code).toBe(EXIT.invalidInput);
    expect(wrong.stderr).toMatch(/version: must be 2/);
    expect(wrong.stderr).toMatch(/takenAt: must be an ISO 8601 date-time/);
    expect(wrong.stderr).toMatch(/tenantId: must be the id of the tenant the snapshot was read from/);
    expect(wrong.stderr).toMatch(/sources\.caPolicies/);
    const partial = JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as { sources: Record<string, unknown> };
    delete partial.sources.caPolicies;
    fs.writeFileSync(bad, JSON.stringify(partial));
    const incomplete = await cli([...OWN_STACK, "--snapshot", bad]);
    expect(incomplete.code).toBe(EXIT.invalidInput);
    expect(incomplete.stderr).toMatch(/lacks source caPolicies/);
  });

  it("--cwd reads the stack file from another directory (as plan, check and review do); a missing one is named", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "project-"));
    fs.copyFileSync(path.join(ROOT, "examples", "Pulumi.example.yaml"), path.join(dir, "Pulumi.example.yaml"));
    const elsewhere = fs.mkdtempSync(path.join(tmp, "elsewhere-"));
    expect((await cli(["--cwd", dir, "--snapshot", EXAMPLE, "--json"], { cwd: elsewhere })).code).toBe(EXIT.findings);
    const missing = await cli(["--cwd", path.join(dir, "nope"), "--snapshot", EXAMPLE], { cwd: elsewhere });
    expect(missing.code).toBe(EXIT.invalidInput);
    expect(missing.stderr).toBe(
      `error: ${path.join(dir, "nope")}: no such directory (--cwd names the project directory)\n`,
    );
  });

  it("--help names the npm script and lists the exit codes", async () => {
    const { code, stdout } = await cli(["--help"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^Usage: npm run audit -- \[options\]/);
    expect(stdout).toMatch(/Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 {2}bad input.*\n {2}3 {2}the audit itself failed/);
  });

  it("options npm took for itself (npm run audit --json, without --) are an error, not silently ignored", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { npm_lifecycle_event: "audit", npm_config_json: "true" });
    try {
      const { code, stdout, stderr } = await cli([...OWN_STACK, "--snapshot", EXAMPLE]);
      expect(code).toBe(EXIT.invalidInput);
      expect(stdout).toBe("");
      expect(stderr).toContain(
        "npm took --json as its own option, so audit never saw it: put -- before the command's options, e.g. npm run audit -- --json",
      );
    } finally {
      for (const k of ["npm_lifecycle_event", "npm_config_json"]) if (saved[k] === undefined) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it("an invalid stack config names the key", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "stack-"));
    fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  entra-baseline:pim:\n    eligibleAdmins: []\n");
    const { code, stderr } = await cli(["--stack", "bad", "--snapshot", EXAMPLE], { cwd: dir });
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toMatch(
      /^error: \S*Pulumi\.bad\.yaml: invalid entra-baseline configuration \(\d+ problems?\)(\n {2}- .*)*\n {2}- pim\.eligibleAdmins/,
    );
  });
});

describe("a snapshot is audited only by its own tenant's stack", () => {
  it("refuses a snapshot of another tenant (exit 2, naming both), and prints no report", async () => {
    const other = JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as { tenantId: string };
    other.tenantId = OTHER_TENANT_ID;
    const file = path.join(tmp, "other-tenant.json");
    fs.writeFileSync(file, JSON.stringify(other));
    const { code, stdout, stderr } = await cli([...OWN_STACK, "--snapshot", file, "--json"]);
    expect(code).toBe(EXIT.invalidInput);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `error: ${file}: is a snapshot of tenant ${OTHER_TENANT_ID}, but stack example governs tenant ${TEST_TENANT_ID} (tenant.tenantId): audit it with the stack of tenant ${OTHER_TENANT_ID} (--stack), or take a snapshot of tenant ${TEST_TENANT_ID}\n`,
    );
  });

  it("refuses a version 1 snapshot: it recorded the stack's configured tenant, not the one read", async () => {
    const old = JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as { version: number };
    old.version = 1;
    const file = path.join(tmp, "version-1.json");
    fs.writeFileSync(file, JSON.stringify(old));
    const { code, stderr } = await cli([...OWN_STACK, "--snapshot", file]);
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toContain(
      "version: is 1: a version 1 snapshot lacks the reads this audit judges by, and records the stack's configured tenant, not the tenant it was read from",
    );
  });

  it("no longer takes free endpoint flags: the hosts come from the stack's cloud", async () => {
    const { code, stderr } = await cli([
      ...OWN_STACK,
      "--graph-endpoint",
      "https://graph.example.com",
      "--snapshot",
      EXAMPLE,
    ]);
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toMatch(/unknown option '--graph-endpoint'/);
  });
});

describe("live runs against the fake tenant", () => {
  const config = testConfig();
  const tenant = useFakeTenant(() => healthyTenant(config));
  /** The test stack with tenant.endpoints on this test's loopback Graph and ARM (the public login host stays). */
  const stackDir = (config: Record<string, unknown> = {}) =>
    loopbackStackDir(
      { graph: tenant().graph.url, arm: tenant().arm.url },
      { dir: fs.mkdtempSync(path.join(tmp, "live-")), config },
    );
  const live = (extra: string[] = []) => ["--cwd", stackDir(), "--subscription", SUBSCRIPTION_ID, ...extra];

  it("a matching tenant exits 0; --save-snapshot writes what was read, and auditing it offline agrees", async () => {
    const file = path.join(tmp, "saved.json");
    const run = await cli(live(["--save-snapshot", file]));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain("No findings");
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain(FAKE_TOKEN);
    const saved = JSON.parse(text) as { version: number; tenantId: string; sources: { caPolicies: unknown[] } };
    expect(saved.version).toBe(2);
    // The tenant the tokens were issued for (the fake az's tid), which is the stack's: a token of another is refused.
    expect(saved.tenantId).toBe(TEST_TENANT_ID);
    expect(saved.sources.caPolicies).toHaveLength(4);
    tenant().data.caPolicies.push(caPolicy(40, []));
    expect((await cli(["--cwd", STACK_DIR, "--snapshot", file])).code).toBe(EXIT.ok);
  });

  it("a saved snapshot audited offline gives exactly the live report, whatever the tenant does afterwards", async () => {
    const file = path.join(tmp, "saved-findings.json");
    tenant().data.caPolicies.push(caPolicy(41, []));
    const run = await cli(live(["--save-snapshot", file, "--json"]));
    expect(run.code).toBe(EXIT.findings);
    expect((JSON.parse(run.stdout) as { findings: { id: string }[] }).findings.map((f) => f.id)).toEqual([
      "AUD-CA-NO-BREAKGLASS-EXCLUSION",
    ]);
    tenant().data.caPolicies.pop();
    const offline = await cli(["--cwd", STACK_DIR, "--snapshot", file, "--json"]);
    expect(offline.code).toBe(EXIT.findings);
    expect(offline.stdout).toBe(run.stdout);
  });

  describe("without --subscription, the tripwire's subscription", () => {
    const saved = {
      ARM_SUBSCRIPTION_ID: process.env.ARM_SUBSCRIPTION_ID,
      AZURE_SUBSCRIPTION_ID: process.env.AZURE_SUBSCRIPTION_ID,
    };
    afterEach(() => {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    });
    const endpoints = () => ["--cwd", stackDir()];
    const listedSubscriptions = () => tenant().arm.requests.filter((r) => r.url.pathname === "/subscriptions").length;

    it("is the stack's azure-native:subscriptionId when the stack file names it", async () => {
      process.env.ARM_SUBSCRIPTION_ID = guid(9, "99999999"); // the stack file wins over the environment
      const run = await cli(["--cwd", stackDir({ "azure-native:subscriptionId": SUBSCRIPTION_ID })]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(EXIT.ok);
      expect(listedSubscriptions()).toBe(0);
    });

    it("is ARM_SUBSCRIPTION_ID, as the pipelines set it for the providers", async () => {
      process.env.ARM_SUBSCRIPTION_ID = SUBSCRIPTION_ID;
      delete process.env.AZURE_SUBSCRIPTION_ID;
      expect((await cli(endpoints())).code).toBe(EXIT.ok);
      expect(listedSubscriptions()).toBe(0);
    });

    it("is found among the readable subscriptions when nothing names it", async () => {
      delete process.env.ARM_SUBSCRIPTION_ID;
      delete process.env.AZURE_SUBSCRIPTION_ID;
      expect((await cli(endpoints())).code).toBe(EXIT.ok);
      expect(listedSubscriptions()).toBe(1);
    });
  });

  it("draws progress on stderr only on a terminal", async () => {
    const run = await cli(live(), { tty: true });
    const sources = LIST_SOURCES.length + KEYED_SOURCES.length;
    expect(run.stderr).toMatch(new RegExp(`Reading the tenant: \\d+/${sources} sources, \\d+ requests`));
    expect(run.stderr).toContain(`Reading the tenant: ${sources}/${sources} sources`);
  });

  it("a credential signed in to another tenant exits 2 naming both tenants; nothing reaches Graph or ARM", async () => {
    const run = await withAzureCliTenant(OTHER_TENANT_ID, () => cli(live(["--json"])));
    expect(run.code).toBe(EXIT.invalidInput);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(
      `The credential signed in to tenant ${OTHER_TENANT_ID}, but this stack governs tenant ${TEST_TENANT_ID} (tenant.tenantId)`,
    );
    expect(tenant().graph.requests).toEqual([]);
    expect(tenant().arm.requests).toEqual([]);
  });

  it("an ARM nextLink to another origin is a failed read, never followed", async () => {
    const elsewhere = "http://127.0.0.2:9"; // nothing listens there, and nothing may be sent there
    tenant().arm.route("GET", "/providers/microsoft.aadiam/diagnosticSettings", () => ({
      body: { value: [], nextLink: `${elsewhere}/providers/microsoft.aadiam/diagnosticSettings?page=2` },
    }));
    const run = await cli(live(["--json"]));
    expect(run.code).toBe(EXIT.findings);
    const report = JSON.parse(run.stdout) as {
      complete: boolean;
      findings: { id: string; object: string; actual: string }[];
    };
    expect(report.complete).toBe(false);
    const failed = report.findings.filter((f) => f.id === "AUD-READ-FAILED");
    expect(failed.find((f) => f.object === "source diagnosticSettings")!.actual).toContain(
      `points to ${elsewhere}, not ${tenant().arm.url}`,
    );
    // What is read through the settings (the workspaces they send to) is not read either, and says why.
    expect(failed.find((f) => f.object === "source workspaces")!.actual).toBe(
      "not read: the diagnostic settings could not be read",
    );
  });

  it("a 403 exits 2 naming the missing permission, with no report", async () => {
    tenant().graph.route("GET", "/v1.0/roleManagement/directory/roleEligibilityScheduleInstances", () => ({
      status: 403,
      body: graphError("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
    }));
    const run = await cli(live(["--json"]));
    expect(run.code).toBe(EXIT.invalidInput);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/RoleEligibilitySchedule\.Read\.Directory or RoleManagement\.Read\.Directory/);
    // The bearer token the client sent is never part of an error.
    expect(run.stderr).not.toContain(FAKE_TOKEN);
  });

  it("a read that keeps failing is never a clean report, even with --fail-on critical", async () => {
    tenant().graph.route("GET", "/v1.0/groups", () => ({ rawBody: "<html>gateway</html>", status: 200 }));
    const run = await cli(live(["--fail-on", "critical", "--json"]));
    expect(run.code).toBe(EXIT.findings);
    const report = JSON.parse(run.stdout) as { complete: boolean; findings: { id: string }[] };
    expect(report.complete).toBe(false);
    expect(report.findings[0]!.id).toBe("AUD-READ-FAILED");
  });
});
