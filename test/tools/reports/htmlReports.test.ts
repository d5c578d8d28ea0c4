/**
 * The HTML reports as a reader sees them, in a real Chromium (test/support/browser.ts): `npm run audit -- --html`
 * (with a trend from --history) and `npm run review -- --html`, run in process through their CLIs from the bundled
 * offline inputs. The page makes no request but its own (a content security policy forbids any), shows every
 * finding, and its charts carry the numbers of the result objects. Bad history is exit 2 before anything is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../../src/cli/exitCodes";
import { memoryIo } from "../../../src/cli/io";
import { runCommand } from "../../../src/cli/run";
import { main as audit } from "../../../src/tools/audit/cli";
import { main as review } from "../../../src/tools/review/cli";
import { useBrowser } from "../../support/browser";
import { tempDir } from "../../support/cli";
import { ROOT } from "../../support/stack";

const EXAMPLE = path.join(ROOT, "examples/audit-snapshot.json");
const ROWS = path.join(ROOT, "examples/pim-activations.sample.json");
// The example snapshot is of the examples' own stack (examples/Pulumi.example.yaml): judged by it, it shows exactly
// its deliberate changes.
const STACK_ARGS = ["--stack", "example", "--cwd", path.join(ROOT, "examples")];

/** Runs where no stack file is: every run names its stack (STACK_ARGS), never the bundled Pulumi.prod.yaml. */
async function cli(main: typeof audit, args: string[]) {
  const io = memoryIo({ cwd: tempDir("reports-cwd") });
  const code = await runCommand(main, args, io);
  return { code, stdout: io.out, stderr: io.err };
}

const example = () => JSON.parse(fs.readFileSync(EXAMPLE, "utf8")) as Record<string, any>;

/** Earlier runs: the example tenant before the hand-made CA policy (one finding fewer), and a clean one. */
function writeHistory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const before = example();
  before.takenAt = "2025-05-26T07:30:00.000Z";
  before.sources.caPolicies = before.sources.caPolicies.filter(
    (p: { displayName: string }) => p.displayName !== "Require compliant device (hand-made)",
  );
  fs.writeFileSync(path.join(dir, "2025-05-26.json"), JSON.stringify(before));
  const older = example();
  older.takenAt = "2025-05-19T07:30:00.000Z";
  fs.writeFileSync(path.join(dir, "2025-05-19.json"), JSON.stringify(older));
  fs.writeFileSync(path.join(dir, "notes.txt"), "not a snapshot: ignored");
}

const browser = useBrowser();

/** Texts of the value labels of a chart, by category (and series). */
async function chartValues(page: import("playwright-core").Page, chart: string) {
  return page.locator(`[data-chart="${chart}"] text.value`).evaluateAll((nodes) =>
    nodes.map((n) => ({
      series: n.getAttribute("data-series"),
      category: n.getAttribute("data-category"),
      text: n.textContent,
    })),
  );
}

describe("npm run audit -- --html", () => {
  let dir: string;
  let json: { findings: { id: string; severity: string; controls: string[]; remediation: string }[] };
  let file: string;

  beforeAll(async () => {
    dir = tempDir("audit-html");
    writeHistory(path.join(dir, "history"));
    file = path.join(dir, "report", "audit.html");
    const run = await cli(audit, [
      ...STACK_ARGS,
      "--snapshot",
      EXAMPLE,
      "--json",
      "--html",
      file,
      "--history",
      path.join(dir, "history"),
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.findings);
    json = JSON.parse(run.stdout);
  });

  it("lists every finding with its severity, control ids and remediation", async () => {
    const { page, requests } = await browser.open(file);
    const shown = await page.locator("article.finding").evaluateAll((nodes) =>
      nodes.map((n) => ({
        id: n.getAttribute("data-finding"),
        severity: n.querySelector(".badge")?.textContent,
        controls: n.querySelector('[data-field="controls"]')?.textContent,
        remediation: n.querySelector('[data-field="remediation"]')?.textContent,
      })),
    );
    expect(shown.map((f) => f.id).sort()).toEqual(json.findings.map((f) => f.id).sort());
    for (const f of json.findings) {
      const s = shown.find((x) => x.id === f.id)!;
      expect(s.severity).toBe(f.severity);
      expect(s.controls).toBe(f.controls.join(", "));
      expect(s.remediation).toBe(f.remediation);
    }
    await expect(page.locator("article.finding").first().isVisible()).resolves.toBe(true);
    expect(requests).toEqual([`file://${file}`]);
  });

  it("shows each pillar's posture at a glance", async () => {
    const { page } = await browser.open(file);
    const cards = await page
      .locator(".card[data-pillar]")
      .evaluateAll((nodes) =>
        Object.fromEntries(
          nodes.map((n) => [n.getAttribute("data-pillar"), (n as unknown as { innerText: string }).innerText]),
        ),
      );
    expect(Object.keys(cards)).toEqual(["jit", "breakglass", "tripwire", "conditionalAccess"]);
    expect(cards.jit).toMatch(/CRITICAL[\s\S]*1 critical, 2 high, 1 medium[\s\S]*AUD-PERMANENT-TIER0/);
    expect(cards.breakglass).toMatch(/HIGH[\s\S]*1 high, 1 low[\s\S]*AUD-BREAKGLASS-NO-FIDO2/);
    // The non-interactive sign-in logs switched off: the logs at risk, and the tripwire on them blind.
    expect(cards.tripwire).toMatch(/CRITICAL[\s\S]*1 critical, 1 high[\s\S]*AUD-TRIPWIRE-WEAK/);
    expect(cards.tripwire).toContain("AUD-LOGS-AT-RISK");
    expect(cards.conditionalAccess).toMatch(/CRITICAL[\s\S]*AUD-CA-NO-BREAKGLASS-EXCLUSION/);
  });

  it("charts the findings per severity with the result's counts", async () => {
    const { page } = await browser.open(file);
    const counts = (s: string) => String(json.findings.filter((f) => f.severity === s).length);
    const values = await chartValues(page, "severity");
    expect(values.map((v) => [v.category, v.text])).toEqual(
      ["critical", "high", "medium", "low", "info"].map((s) => [s, counts(s)]),
    );
    expect(values.map((v) => v.text)).toEqual(["3", "4", "1", "1", "0"]);
  });

  it("draws the trend over the earlier runs and this one", async () => {
    const { page } = await browser.open(file);
    const values = await chartValues(page, "trend");
    const of = (series: string) => values.filter((v) => v.series === series).map((v) => [v.category, v.text]);
    // 19 May: as today; 26 May: before the hand-made CA policy (no critical CA finding); 2 June: this run.
    expect(of("critical")).toEqual([
      ["2025-05-19", "3"],
      ["2025-05-26", "2"],
      ["2025-06-02", "3"],
    ]);
    expect(of("high")).toEqual([
      ["2025-05-19", "4"],
      ["2025-05-26", "4"],
      ["2025-06-02", "4"],
    ]);
    const rows = await page.locator('[data-table="trend"] tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
  });

  it("escapes tenant data: markup in a policy name is shown as text, never run", async () => {
    const snapshot = example();
    const hostile = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`;
    snapshot.sources.caPolicies.find(
      (p: { displayName: string }) => p.displayName === "Require compliant device (hand-made)",
    ).displayName = hostile;
    const input = path.join(tempDir("audit-hostile"), "snapshot.json");
    fs.writeFileSync(input, JSON.stringify(snapshot));
    const out = path.join(path.dirname(input), "audit.html");
    expect((await cli(audit, [...STACK_ARGS, "--snapshot", input, "--html", out])).code).toBe(EXIT.findings);
    const { page } = await browser.open(out);
    expect(await page.title()).toBe("Entra baseline audit");
    expect(await page.locator("img, script").count()).toBe(0);
    expect(await page.locator('[data-finding="AUD-CA-NO-BREAKGLASS-EXCLUSION"]').innerText()).toContain(hostile);
  });

  it.each([
    [
      "a snapshot of another tenant",
      (d: string) => {
        const other = example();
        other.tenantId = "99999999-2222-3333-4444-555555555555";
        fs.writeFileSync(path.join(d, "other.json"), JSON.stringify(other));
      },
      /other\.json is a snapshot of tenant 99999999-2222-3333-4444-555555555555, not of 11111111-2222-3333-4444-555555555555/,
    ],
    ["no snapshot at all", () => undefined, /holds no snapshot \(\*\.json\) files/],
    [
      "a file that is no snapshot",
      (d: string) => fs.writeFileSync(path.join(d, "broken.json"), '{"version": 7}'),
      /broken\.json: is not an audit snapshot/,
    ],
  ])("refuses a history with %s: exit 2, nothing written", async (_name, fill, message) => {
    const d = tempDir("history-bad");
    fill(d);
    const out = path.join(d, "never.html");
    const run = await cli(audit, [...STACK_ARGS, "--snapshot", EXAMPLE, "--html", out, "--history", d]);
    expect(run.code).toBe(EXIT.invalidInput);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe("");
    expect(fs.existsSync(out)).toBe(false);
  });

  it("refuses --history without --html", async () => {
    const run = await cli(audit, [...STACK_ARGS, "--snapshot", EXAMPLE, "--history", tempDir("h")]);
    expect(run.code).toBe(EXIT.invalidInput);
    expect(run.stderr).toMatch(/--history draws a trend in the HTML report: give --html <file> too/);
  });
});

describe("npm run review -- --html", () => {
  let file: string;
  let data: {
    activations: { role: string; admin: string; activatedAt: string; approvalMinutes: number | null; ticket: string }[];
    perRole: { role: string; activations: number }[];
    perAdmin: { admin: string; activeDays: number; routine: boolean; withoutTicket: number }[];
  };

  beforeAll(async () => {
    const dir = tempDir("review-html");
    file = path.join(dir, "review.html");
    const run = await cli(review, [...STACK_ARGS, "--rows", ROWS, "--json", "--html", file]);
    expect(run.code).toBe(EXIT.ok);
    data = JSON.parse(run.stdout);
  });

  it("charts activations per admin per day, with the days' totals", async () => {
    const { page, requests } = await browser.open(file);
    const values = await chartValues(page, "per-day");
    const totals = values.filter((v) => v.series === null).map((v) => [v.category, v.text]);
    const expected = (day: string) => String(data.activations.filter((a) => a.activatedAt.startsWith(day)).length);
    expect(totals).toEqual(
      ["2025-06-02", "2025-06-03", "2025-06-04", "2025-06-05", "2025-06-06", "2025-06-07", "2025-06-08"].map((d) => [
        d,
        expected(d),
      ]),
    );
    expect(totals.map((t) => t[1])).toEqual(["1", "1", "2", "2", "0", "2", "0"]);
    const cells = (await chartValues(page, "admin-day")).map((v) => `${v.series} ${v.category} ${v.text}`);
    expect(cells).toEqual([
      "adele.vance@contoso.com 06-02 1",
      "adele.vance@contoso.com 06-03 1",
      "adele.vance@contoso.com 06-04 1",
      "adele.vance@contoso.com 06-05 1",
      "megan.bowen@contoso.com 06-04 1",
      "megan.bowen@contoso.com 06-07 2",
      "nestor.wilke@contoso.com 06-05 1",
    ]);
    expect(requests).toEqual([`file://${file}`]);
  });

  it("flags routine use against the threshold, and charts approval times and requests without a ticket", async () => {
    const { page } = await browser.open(file);
    const activeDays = (await chartValues(page, "active-days")).map((v) => [v.category, v.text]);
    expect(activeDays).toEqual(
      data.perAdmin.map((a) => [a.admin, `${a.activeDays} day(s)${a.routine ? " (routine)" : ""}`]),
    );
    expect(activeDays[0]).toEqual(["adele.vance@contoso.com", "4 day(s) (routine)"]);
    expect(await page.locator('[data-chart="active-days"] text.threshold').textContent()).toBe("4 days");

    const approvals = (await chartValues(page, "approval-times")).map((v) => v.text);
    expect(approvals).toEqual(
      data.activations.filter((a) => a.approvalMinutes !== null).map((a) => `${a.approvalMinutes} min`),
    );
    expect(approvals).toContain("28 min");

    const noTicket = (await chartValues(page, "without-ticket")).map((v) => [v.category, v.text]);
    expect(noTicket).toEqual([
      ["adele.vance@contoso.com", "1"],
      ["megan.bowen@contoso.com", "0"],
      ["nestor.wilke@contoso.com", "0"],
    ]);
    expect(await page.locator('[data-summary="without-ticket"] .value').innerText()).toBe(
      String(data.activations.filter((a) => !a.ticket).length),
    );
    expect(await page.locator('[data-table="without-ticket"] tbody tr').allInnerTexts()).toEqual([
      expect.stringContaining("urgent fix for the payroll app consent"),
    ]);
  });

  it("charts and tabulates every managed role, and each activation's role", async () => {
    const { page } = await browser.open(file);
    expect(await page.locator("[data-roles]").innerText()).toBe(
      "Roles reviewed: Global Administrator, Privileged Role Administrator, Privileged Authentication Administrator.",
    );
    const perRole = (await chartValues(page, "per-role")).map((v) => [v.category, v.text]);
    expect(perRole).toEqual(data.perRole.map((r) => [r.role, String(r.activations)]));
    expect(perRole).toEqual([
      ["Global Administrator", "5"],
      ["Privileged Role Administrator", "2"],
      ["Privileged Authentication Administrator", "1"],
    ]);
    const cells = (table: string) =>
      page
        .locator(`[data-table="${table}"] tbody tr`)
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
    expect(await cells("per-role")).toEqual([
      ["Global Administrator", "5", "2", "1", "1", "1"],
      ["Privileged Role Administrator", "2", "1", "0", "0", "0"],
      ["Privileged Authentication Administrator", "1", "1", "0", "1", "0"],
    ]);
    expect((await cells("per-role-admin")).map((r) => r.slice(0, 4))).toEqual([
      ["Global Administrator", "adele.vance@contoso.com", "4", "4"],
      ["Global Administrator", "megan.bowen@contoso.com", "1", "1"],
      ["Privileged Role Administrator", "megan.bowen@contoso.com", "2", "2"],
      ["Privileged Authentication Administrator", "nestor.wilke@contoso.com", "1", "1"],
    ]);
    expect((await cells("activations")).map((r) => [r[1], r[2]])).toEqual(
      data.activations.map((a) => [a.role, a.admin]),
    );
  });
});
