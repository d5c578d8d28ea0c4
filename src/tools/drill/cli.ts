/**
 * `npm run drill`: the 90-day validation of the emergency access path as a command (docs/operations.md).
 *
 *   npm run drill -- --stack prod --account breakglass-01@contoso.onmicrosoft.com            # step 1: the guidance
 *   npm run drill -- --stack prod --account … --since <ISO> --record rec.json --out evidence/ # step 2: read, judge
 *   npm run drill -- --stack prod --from rec.json --html drill.html                           # offline, replayed
 *
 * Exit codes: 0 the tripwire fired in time for every drilled account (or the guidance was printed); 1 it did not
 * fire, or not within the target; 2 bad input (flags, stack file, recording of another tenant, an empty window, an
 * unknown account, missing rights); 3 the drill itself failed.
 */
import * as path from "node:path";
import { Command, Option } from "commander";
import { ALERT_RULES, drillTargets, TRIPWIRE_RULE_KEYS, type TripwireRuleKey } from "@entra-baseline/model";
import { configureCommand, parseArguments } from "../../cli/command";
import { UserInputError } from "../../cli/errors";
import { EXIT } from "../../cli/exitCodes";
import { writeTextFile } from "../../cli/files";
import type { CliIo } from "../../cli/io";
import { runCli } from "../../cli/run";
import { addStackOptions, type StackFlags } from "../../cli/stackOptions";
import { requireStackConfig } from "../../config/stackConfig";
import { resolveStackName } from "../../config/stackFile";
import type { BaselineConfig } from "../../config/validate";
import { createGraphClient } from "../../graph/client";
import { judgeDrill, type DrillAccount, type DrillReport } from "./drill";
import { renderDrillHtml, renderDrillJson, renderDrillMarkdown } from "./evidence";
import { drillGuidance } from "./guidance";
import { drillSignInsQuery } from "./query";
import { readDrill } from "./read";
import { readRecordingFile, writeRecordingFile, type DrillRecording } from "./recording";

interface DrillFlags extends StackFlags {
  account?: string;
  since?: string;
  from?: string;
  record?: string;
  out?: string;
  json?: boolean;
  markdown?: boolean;
  html?: string;
  notifiedAt?: string;
  subscription?: string;
  timeout: string;
}

/** Alerts Management's customTimeRange reaches 30 days back. */
const MAX_WINDOW_DAYS = 30;

function program(io: CliIo): Command {
  return configureCommand(
    addStackOptions(new Command(), "names the breakglass accounts, the workspace and the tripwire rules")
      .description(
        "The 90-day breakglass drill: guidance, then the tripwire's timings as evidence (docs/operations.md).",
      )
      .option("--account <upn>", "the breakglass account drilled (default: every account with a sign-in in the window)")
      .option(
        "--since <iso>",
        "read the sign-ins and alerts from this time on (the guidance prints it); without it, print the guidance",
      )
      .option("--from <file>", "judge a recording offline (--record of an earlier run) instead of reading Azure")
      .option("--record <file>", "save the answers read (the recording --from replays)")
      .option("--out <dir>", "write the evidence to <dir>: drill-<date>.json, .md and .html")
      .addOption(new Option("--json", "print the evidence as JSON").conflicts("markdown"))
      .addOption(new Option("--markdown", "print the evidence as Markdown").conflicts("json"))
      .option("--html <file>", "write the evidence as one self-contained HTML page")
      .option("--notified-at <iso>", "when the first receiver got the alert (Azure Monitor does not report it)")
      .option(
        "--subscription <id>",
        "subscription of the tripwire rules (default: the stack's azure-native:subscriptionId)",
      )
      .option("--timeout <seconds>", "per-request timeout", "30"),
    "drill",
    `  0  the tripwire fired in time for every drilled account (or: the guidance was printed)
  1  the tripwire did not fire, or not within the target
  2  bad input: flags, the stack file, a recording of another tenant, an empty window, an unknown account, missing rights
  3  the drill itself failed`,
    io,
  );
}

export async function main(argv: string[], io: CliIo, now: () => Date = () => new Date()): Promise<number> {
  const cmd = program(io);
  const answered = await parseArguments(cmd, argv, io);
  if (answered !== undefined) return answered;
  const flags = cmd.opts<DrillFlags>();
  if (flags.from && (flags.since || flags.record))
    throw new UserInputError("--from replays a recording: --since and --record belong to a live run");
  const notifiedAt = flags.notifiedAt === undefined ? undefined : isoTime(flags.notifiedAt, "--notified-at");
  const cwd = path.resolve(io.cwd, flags.cwd ?? ".");
  const loaded = requireStackConfig(cwd, flags.stack);
  const { config } = loaded;
  const all = breakglassAccounts(config);
  let chosen = flags.account ? [pickAccount(all, flags.account)] : all;
  const targets = drillTargets();

  let recording: DrillRecording;
  let judgedAt: Date;
  if (flags.from) {
    const file = path.resolve(io.cwd, flags.from);
    recording = readRecordingFile(file);
    if (recording.tenantId.toLowerCase() !== config.tenant.tenantId.toLowerCase())
      throw new UserInputError(
        `${flags.from}: a drill recording of tenant ${recording.tenantId}, not of ${config.tenant.tenantId} (the stack's tenant.tenantId)`,
      );
    judgedAt = new Date(recording.recordedAt);
    // The accounts the recorded query asked for: the others were not read, so not drilled.
    const recorded = recording.accounts.map((a) => a.toLowerCase());
    chosen = chosen.filter((a) => recorded.includes(a.upn));
    if (chosen.length === 0)
      throw new UserInputError(
        `${flags.from}: the recording does not cover ${flags.account} (it read ${recording.accounts.join(", ")})`,
      );
  } else if (!flags.since) {
    const account = chosen[0]!.upn;
    io.stdout(
      drillGuidance({
        config,
        stack: resolveStackName(cwd, flags.stack),
        account,
        others: all.map((a) => a.upn).filter((u) => u !== account),
        since: now()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
        targets,
      }),
    );
    return EXIT.ok;
  } else {
    judgedAt = now();
    const since = isoTime(flags.since, "--since");
    const window = checkedWindow(since, judgedAt);
    const timeoutSeconds = Number(flags.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
      throw new UserInputError(`--timeout ${JSON.stringify(flags.timeout)} is not a positive number of seconds`);
    const subscription = flags.subscription ?? loaded.stackFile.passthrough["azure-native:subscriptionId"]?.trim();
    if (!subscription)
      throw new UserInputError(
        "no subscription for the tripwire rules: pass --subscription <id> or set azure-native:subscriptionId in the stack file",
      );
    if (io.stderrIsTTY) io.stderr("Reading the workspace's sign-ins and Azure Monitor's fired alerts…\n");
    const client = (service: "arm" | "logAnalytics") =>
      createGraphClient(
        { service, endpoints: config.endpoints, tenantId: config.tenant.tenantId },
        { timeoutMs: timeoutSeconds * 1000 },
      );
    recording = await readDrill({
      arm: client("arm"),
      logAnalytics: client("logAnalytics"),
      tenantId: config.tenant.tenantId,
      subscription,
      workspaceResourceId: workspaceResourceId(config, subscription),
      rules: ruleIds(config, subscription),
      accounts: chosen.map((a) => a.upn),
      query: drillSignInsQuery({
        upns: chosen.map((a) => a.upn),
        objectIds: chosen.flatMap((a) => (a.objectId ? [a.objectId] : [])),
        ...window,
      }),
      window,
      now: judgedAt,
    });
    if (flags.record) writeRecordingFile(path.resolve(io.cwd, flags.record), recording);
  }

  const report = judgeDrill(recording, chosen, { notifiedAt, targets });
  const pending = report.accounts.filter(
    (a) => !a.alert && judgedAt.getTime() - Date.parse(a.signIn!.createdAt) < targets.endToEndSeconds * 1000,
  );
  if (pending.length > 0) {
    const due = new Date(
      Math.max(...pending.map((a) => Date.parse(a.signIn!.createdAt))) + targets.endToEndSeconds * 1000,
    );
    throw new UserInputError(
      `too early to judge: the end-to-end target for ${pending.map((a) => a.upn).join(", ")} has not passed yet; run the same command again after ${due.toISOString()}`,
    );
  }
  writeEvidence(report, flags, io);
  return report.passed ? EXIT.ok : EXIT.findings;
}

function writeEvidence(report: DrillReport, flags: DrillFlags, io: CliIo): void {
  if (flags.out) {
    const dir = path.resolve(io.cwd, flags.out);
    const stem = `drill-${report.accounts[0]!.signIn!.createdAt.slice(0, 10)}`;
    writeTextFile(path.join(dir, `${stem}.json`), renderDrillJson(report), "--out");
    writeTextFile(path.join(dir, `${stem}.md`), renderDrillMarkdown(report), "--out");
    writeTextFile(path.join(dir, `${stem}.html`), renderDrillHtml(report), "--out");
  }
  if (flags.html) writeTextFile(path.resolve(io.cwd, flags.html), renderDrillHtml(report), "--html");
  if (flags.json) io.stdout(renderDrillJson(report));
  else if (flags.markdown) io.stdout(renderDrillMarkdown(report));
  else io.stdout(summary(report));
}

function summary(report: DrillReport): string {
  const lines = [renderDrillMarkdown(report).split("\n")[2]!.replace(/\*\*/g, ""), ""];
  for (const a of report.accounts) {
    lines.push(`${a.upn}:`);
    for (const s of a.stages)
      lines.push(
        `  ${s.stage.padEnd(13)} ${s.seconds === undefined ? "—".padStart(8) : `${Math.round(s.seconds)} s`.padStart(8)}  target ≤ ${s.targetSeconds} s  ${s.met === undefined ? "not observable" : s.met ? "met" : "MISSED"}`,
      );
  }
  lines.push("", "Evidence: --out DIR (JSON, Markdown, HTML), --json, --markdown or --html FILE.");
  return `${lines.join("\n")}\n`;
}

function breakglassAccounts(config: BaselineConfig): DrillAccount[] {
  const domain = config.breakglass.domain;
  if (!domain)
    throw new UserInputError("breakglass.domain (or tenant.initialDomain) is needed to name the breakglass accounts");
  return config.breakglass.accounts.map((a) => ({
    upn: `${a.name}@${domain}`.toLowerCase(),
    ...(a.objectId ? { objectId: a.objectId } : {}),
  }));
}

function pickAccount(accounts: readonly DrillAccount[], wanted: string): DrillAccount {
  const w = wanted.toLowerCase();
  const found = accounts.find((a) => a.upn === w || a.upn.split("@")[0] === w || a.objectId === w);
  if (!found)
    throw new UserInputError(
      `--account ${wanted}: not a breakglass account of this stack (${accounts.map((a) => a.upn).join(", ")})`,
    );
  return found;
}

function isoTime(value: string, flag: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new UserInputError(
      `${flag} ${JSON.stringify(value)} is not an ISO 8601 date-time (e.g. 2026-05-12T09:00:00Z)`,
    );
  return new Date(t).toISOString();
}

function checkedWindow(since: string, now: Date): { since: string; until: string } {
  const start = Date.parse(since);
  if (start >= now.getTime())
    throw new UserInputError(`empty window: --since ${since} is not before now (${now.toISOString()})`);
  if (now.getTime() - start > MAX_WINDOW_DAYS * 86_400_000)
    throw new UserInputError(
      `--since ${since} is more than ${MAX_WINDOW_DAYS} days ago: Azure Monitor's alert list reaches back ${MAX_WINDOW_DAYS} days`,
    );
  return { since, until: now.toISOString() };
}

function workspaceResourceId(config: BaselineConfig, subscription: string): string {
  const m = config.monitoring;
  return (
    m.existingWorkspaceId ??
    `/subscriptions/${subscription}/resourceGroups/${m.resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/${m.workspaceName}`
  );
}

function ruleIds(config: BaselineConfig, subscription: string): Record<TripwireRuleKey, string> {
  return Object.fromEntries(
    TRIPWIRE_RULE_KEYS.map((k) => [
      k,
      `/subscriptions/${subscription}/resourceGroups/${config.monitoring.resourceGroupName}/providers/Microsoft.Insights/scheduledQueryRules/${ALERT_RULES[k].ruleName}`,
    ]),
  ) as Record<TripwireRuleKey, string>;
}

if (require.main === module) runCli(main);
