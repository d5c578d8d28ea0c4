/**
 * `npm run drill` end to end, in process, against loopback fakes of ARM (the workspace, Alerts Management) and the
 * Log Analytics query API that speak the documented shapes (test/support/fakes/azureMonitor.ts), with the
 * production credential chain pointed at the fake `az`. The guidance, the live read and judgement, the recording
 * and its offline replay, the evidence (the HTML in Chromium), and every kind of bad input (exit 2).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXIT } from "../../../src/cli/exitCodes";
import { memoryIo } from "../../../src/cli/io";
import { runCommand } from "../../../src/cli/run";
import { main } from "../../../src/tools/drill/cli";
import { drillSignInsQuery } from "../../../src/tools/drill/query";
import { FAKE_TOKEN, useFakeAzureCli } from "../../support/fakes/azureCli";
import {
  CUSTOMER_ID,
  ruleId,
  serveAzureMonitor,
  SUBSCRIPTION,
  WORKSPACE_ID,
  type FakeAlert,
  type FakeSignIn,
} from "../../support/fakes/azureMonitor";
import { graphError, startFakeGraph, type FakeGraph } from "../../support/fakes/graphServer";
import { useBrowser } from "../../support/browser";
import { tempDir } from "../../support/cli";
import { STACK, stackText } from "../../support/stack";

const NOW = new Date("2026-05-12T09:30:00Z");
const BG1 = "breakglass-01@contoso.onmicrosoft.com";
const BG2 = "breakglass-02@contoso.onmicrosoft.com";
const BG1_ID = "0b1c2d3e-1111-4aaa-8bbb-000000000001";
const SIGN_IN: FakeSignIn = {
  createdAt: "2026-05-12T09:00:00Z",
  receivedAt: "2026-05-12T09:01:30Z",
  ingestedAt: "2026-05-12T09:02:10Z",
  upn: BG1,
  userId: BG1_ID,
};
const FIRED: FakeAlert = { ruleName: "breakglass-sign-in-tripwire", startDateTime: "2026-05-12T09:03:05Z", upn: BG1 };

let arm: FakeGraph;
let logAnalytics: FakeGraph;
let restoreCli: () => void;
let stackDir: string;

function writeStack(dir: string, extra = ""): void {
  const text = stackText()
    .replace(
      "  azure-native:location: westeurope",
      `  azure-native:location: westeurope\n  azure-native:subscriptionId: ${SUBSCRIPTION}`,
    )
    .replace(
      "    cloud: public",
      `    cloud: public\n    endpoints:\n      arm: ${arm.url}\n      logAnalytics: ${logAnalytics.url}${extra}`,
    );
  fs.writeFileSync(path.join(dir, `Pulumi.${STACK}.yaml`), text);
}

beforeAll(async () => {
  restoreCli = useFakeAzureCli();
  arm = await startFakeGraph();
  logAnalytics = await startFakeGraph();
  stackDir = tempDir("drill-stack");
  writeStack(stackDir);
});
afterAll(async () => {
  restoreCli();
  await arm.close();
  await logAnalytics.close();
});

function serve(signIns: FakeSignIn[], alerts: FakeAlert[]): void {
  arm.requests.length = 0;
  logAnalytics.requests.length = 0;
  serveAzureMonitor(arm, logAnalytics, { signIns, alerts });
}

async function drill(args: string[], now: Date = NOW) {
  const io = memoryIo({ cwd: stackDir });
  const code = await runCommand((argv, cliIo) => main(argv, cliIo, () => now), ["--stack", STACK, ...args], io);
  return { code, stdout: io.out, stderr: io.err };
}

const LIVE = ["--account", BG1, "--since", "2026-05-12T08:55:00Z"];

describe("step 1: the guidance", () => {
  it("says which account, where to sign in, what to expect and the command to run next; reads nothing", async () => {
    serve([], []);
    const { code, stdout } = await drill(["--account", "breakglass-02"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain(`Account to drill: ${BG2}`);
    expect(stdout).toContain(`the others: ${BG1}`);
    expect(stdout).toContain(`sign in at https://portal.azure.com as ${BG2}`);
    expect(stdout).toMatch(
      /severity 0 alert "Breakglass sign-in \(tripwire\)" from action group ag-entra-baseline-prod/,
    );
    expect(stdout).toContain("within about 13 minutes of the sign-in (the target, not a promise)");
    expect(stdout).toContain(`npm run drill -- --stack ${STACK} --account ${BG2} --since 2026-05-12T09:30:00Z`);
    expect([...arm.requests, ...logAnalytics.requests]).toEqual([]);
  });
});

describe("step 2: reading and judging the drill", () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir("drill");
  });

  it("passes when the tripwire fired within the targets: times per stage, evidence written, exit 0", async () => {
    // Another account's alert on the same rule, first in the list: the account's own is the one matched.
    serve([SIGN_IN], [{ ...FIRED, upn: BG2, startDateTime: "2026-05-12T09:02:30Z" }, FIRED]);
    const { code, stdout, stderr } = await drill([
      ...LIVE,
      "--json",
      "--record",
      path.join(dir, "rec.json"),
      "--out",
      path.join(dir, "evidence"),
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(EXIT.ok);
    const report = JSON.parse(stdout);
    expect(report.passed).toBe(true);
    const [account] = report.accounts;
    expect(account).toMatchObject({
      upn: BG1,
      objectId: BG1_ID,
      rule: "breakglassSignIn",
      alert: { firedAt: "2026-05-12T09:03:05.000Z", matchedBy: "account" },
      firedInTime: true,
    });
    expect(account.signIn).toMatchObject({
      createdAt: "2026-05-12T09:00:00.000Z",
      receivedAt: "2026-05-12T09:01:30.000Z",
      ingestedAt: "2026-05-12T09:02:10.000Z",
      conditionalAccessStatus: "notApplied",
    });
    expect(account.stages.map((s: any) => [s.stage, s.seconds, s.targetSeconds, s.met])).toEqual([
      ["ingestion", 130, 600, true],
      ["alert", 55, 180, true],
      ["notification", undefined, 300, undefined],
      ["endToEnd", 185, 780, true],
    ]);
    expect(account.notificationSource).toMatch(/not available from the API/);
    expect(report.notDrilled).toEqual([]);
    expect(fs.readdirSync(path.join(dir, "evidence")).sort()).toEqual([
      "drill-2026-05-12.html",
      "drill-2026-05-12.json",
      "drill-2026-05-12.md",
    ]);
    expect(fs.readFileSync(path.join(dir, "evidence", "drill-2026-05-12.md"), "utf8")).toContain("**PASSED");
  });

  it("asks the documented APIs with the read identity's token, for the window and the tripwire rules", async () => {
    serve([SIGN_IN], [FIRED]);
    await drill(LIVE);
    expect(arm.requestsTo("GET", WORKSPACE_ID)).toHaveLength(1);
    const [query] = logAnalytics.requestsTo("POST", `/v1/workspaces/${CUSTOMER_ID}/query`);
    expect(query!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    const body = query!.body as { query: string; timespan: string };
    expect(body.query).toBe(
      drillSignInsQuery({
        upns: [BG1],
        objectIds: [],
        since: "2026-05-12T08:55:00.000Z",
        until: NOW.toISOString(),
      }),
    );
    expect(body.timespan).toBe("2026-05-12T08:55:00.000Z/2026-05-12T10:30:00.000Z");
    const alerts = arm.requestsTo("GET", `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts`);
    expect(alerts.map((r) => r.url.searchParams.get("alertRule"))).toEqual([
      ruleId("breakglass-sign-in-tripwire"),
      ruleId("breakglass-non-interactive-sign-in-tripwire"),
    ]);
    expect(alerts[0]!.url.searchParams.get("customTimeRange")).toBe(`2026-05-12T08:55:00.000Z/${NOW.toISOString()}`);
  });

  it("follows nextLink through every page of fired alerts", async () => {
    const others = [1, 2, 3].map((m) => ({ ...FIRED, upn: BG2, startDateTime: `2026-05-12T09:0${m}:00Z` }));
    serve([SIGN_IN], [...others, { ...FIRED, startDateTime: "2026-05-12T09:04:00Z" }]);
    const { code, stdout } = await drill([...LIVE, "--json"]);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(stdout).accounts[0].alert.firedAt).toBe("2026-05-12T09:04:00.000Z");
    expect(
      arm.requestsTo("GET", `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts`).length,
    ).toBe(3);
  });

  it("fails (exit 1) when the alert fired too late, and says which stage missed", async () => {
    serve([SIGN_IN], [{ ...FIRED, startDateTime: "2026-05-12T09:20:00Z" }]);
    const { code, stdout } = await drill([...LIVE, "--markdown"]);
    expect(code).toBe(EXIT.findings);
    expect(stdout).toContain(
      "**FAILED: the tripwire did not fire within 13 minutes for breakglass-01@contoso.onmicrosoft.com",
    );
    expect(stdout).toMatch(/\| Ingested → alert fired \| 17 min 50 s \| ≤ 3 minutes \| MISSED \|/);
    expect(stdout).toMatch(/\| Sign-in → alert fired \(end to end\) \| 20 min 0 s \| ≤ 13 minutes \| MISSED \|/);
  });

  it("fails (exit 1) when the tripwire never fired", async () => {
    serve([SIGN_IN], []);
    const { code, stdout } = await drill([...LIVE, "--json"]);
    expect(code).toBe(EXIT.findings);
    const [account] = JSON.parse(stdout).accounts;
    expect(account.alert).toBeUndefined();
    expect(account.stages.find((s: any) => s.stage === "endToEnd").met).toBe(false);
  });

  it("records the notification time a person gives, and judges it", async () => {
    serve([SIGN_IN], [FIRED]);
    const { stdout } = await drill([...LIVE, "--json", "--notified-at", "2026-05-12T09:04:05Z"]);
    const [account] = JSON.parse(stdout).accounts;
    expect(account.stages.find((s: any) => s.stage === "notification")).toMatchObject({ seconds: 60, met: true });
    expect(account.notificationSource).toMatch(/--notified-at/);
  });

  it("replays a recording offline with the same verdict, reading nothing", async () => {
    serve([SIGN_IN], [FIRED]);
    const rec = path.join(dir, "rec.json");
    const live = await drill([...LIVE, "--json", "--record", rec]);
    serve([], []);
    const replay = await drill(["--from", rec, "--json"], new Date("2030-01-01T00:00:00Z"));
    expect(replay.code).toBe(EXIT.ok);
    expect(JSON.parse(replay.stdout)).toEqual(JSON.parse(live.stdout));
    expect([...arm.requests, ...logAnalytics.requests]).toEqual([]);
  });
});

describe("bad input is exit 2 with one clear message", () => {
  it.each([
    [
      "an empty window (no sign-in)",
      () => serve([], [FIRED]),
      LIVE,
      /empty window: no sign-in of breakglass-01@contoso\.onmicrosoft\.com between 2026-05-12T08:55:00\.000Z and/,
    ],
    [
      "a window that starts in the future",
      () => serve([], []),
      ["--since", "2026-05-12T10:00:00Z"],
      /empty window: --since 2026-05-12T10:00:00\.000Z is not before now/,
    ],
    [
      "a window beyond the alert list's 30 days",
      () => serve([], []),
      ["--since", "2026-03-01T00:00:00Z"],
      /more than 30 days ago/,
    ],
    [
      "a --since that is no date-time",
      () => serve([], []),
      ["--since", "yesterday"],
      /--since "yesterday" is not an ISO 8601 date-time/,
    ],
    [
      "an unknown account",
      () => serve([], []),
      ["--account", "adele.vance@contoso.com"],
      /--account adele\.vance@contoso\.com: not a breakglass account of this stack \(breakglass-01@contoso\.onmicrosoft\.com, breakglass-02@contoso\.onmicrosoft\.com\)/,
    ],
    [
      "--from with --since",
      () => serve([], []),
      ["--from", "x.json", "--since", "2026-05-12T08:55:00Z"],
      /--from replays a recording: --since and --record belong to a live run/,
    ],
    [
      "a sign-in too recent to judge",
      () => serve([{ ...SIGN_IN, createdAt: "2026-05-12T09:25:00Z", ingestedAt: "2026-05-12T09:27:00Z" }], []),
      LIVE,
      /too early to judge: .* run the same command again after 2026-05-12T09:38:00\.000Z/,
    ],
  ])("%s", async (_name, setUp, args, message) => {
    setUp();
    const { code, stderr, stdout } = await drill(args);
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toMatch(message);
    expect(stdout).toBe("");
  });

  it("a recording of another tenant", async () => {
    serve([SIGN_IN], [FIRED]);
    const rec = path.join(tempDir("drill-other"), "rec.json");
    await drill([...LIVE, "--record", rec]);
    const other = JSON.parse(fs.readFileSync(rec, "utf8"));
    other.tenantId = "99999999-2222-3333-4444-555555555555";
    fs.writeFileSync(rec, JSON.stringify(other));
    const { code, stderr } = await drill(["--from", rec]);
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toMatch(
      /a drill recording of tenant 99999999-2222-3333-4444-555555555555, not of 11111111-2222-3333-4444-555555555555/,
    );
  });

  it("a file that is no recording", async () => {
    const rec = path.join(tempDir("drill-bad"), "rec.json");
    fs.writeFileSync(rec, JSON.stringify({ version: 1, tenantId: "x" }));
    const { code, stderr } = await drill(["--from", rec]);
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toMatch(/rec\.json: is not a drill recording .*\n {2}- recordedAt: /);
  });

  it("a read identity without the right to read alerts", async () => {
    serve([SIGN_IN], [FIRED]);
    arm.failNext("GET", `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts`, {
      status: 403,
      body: graphError("AuthorizationFailed", "The client does not have authorization to perform action"),
    });
    const { code, stderr } = await drill(LIVE);
    expect(code).toBe(EXIT.invalidInput);
    expect(stderr).toMatch(
      /could not read fired alerts \(Monitoring Reader on the subscription\): GET .*alerts answered 403 AuthorizationFailed/,
    );
  });
});

describe("the HTML evidence in a browser", () => {
  const browser = useBrowser();

  it("shows the verdict, each time and each stage against its target", async () => {
    serve([SIGN_IN], [FIRED]);
    const file = path.join(tempDir("drill-html"), "drill.html");
    expect((await drill([...LIVE, "--html", file])).code).toBe(EXIT.ok);
    const { page, requests } = await browser.open(file);
    expect(await page.locator("[data-verdict]").innerText()).toMatch(/^PASSED: the tripwire fired within 13 minutes/);
    const times = await page.locator(`[data-account="${BG1}"] [data-table="times"] tbody tr`).allInnerTexts();
    expect(times.map((t) => t.replace(/\s+/g, " ").trim())).toEqual([
      "Sign-in (CreatedDateTime) 2026-05-12T09:00:00.000Z",
      "Received (_TimeReceived) 2026-05-12T09:01:30.000Z",
      "Ingested (ingestion_time()) 2026-05-12T09:02:10.000Z",
      expect.stringMatching(/^Alert fired \(startDateTime\) 2026-05-12T09:03:05\.000Z/),
      expect.stringMatching(/^Notified not available from the API/),
    ]);
    const bars = await page
      .locator(`[data-account="${BG1}"] figure text.value`)
      .evaluateAll((nodes) => nodes.map((n) => n.textContent));
    expect(bars).toEqual([
      "130 s (target 10 minutes, met)",
      "55 s (target 3 minutes, met)",
      "0 s (target 5 minutes, not observable)",
      "185 s (target 13 minutes, met)",
    ]);
    expect(requests).toEqual([`file://${file}`]);
  });
});
