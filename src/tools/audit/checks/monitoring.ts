/**
 * Guarantees 5 and 6 in the live subscription. The Entra diagnostic settings, the workspaces they send to (tables,
 * daily cap, workspace-transformation rule) become the model's logging facts, judged per workspace by
 * `loggingVerdict`; the scheduled query rules and the action groups they name become tripwire facts, judged by
 * `tripwireVerdicts` (the allow-list: the canonical rule for each sign-in table, for exactly the emergency accounts,
 * on the workspace that receives that table, heard by an enabled action group with a receiver). With
 * `monitoring.sentinel.enabled`, the Sentinel analytics rules of those workspaces are held to the same tripwire by
 * `sentinelTripwireVerdicts` (src/model/sentinel.ts); the log-alert tripwire stays required whatever Sentinel holds.
 */
import {
  LOG_CATEGORY_TABLES,
  loggingVerdict,
  REQUIRED_LOG_CATEGORIES,
  sentinelTripwireVerdicts,
  type SentinelRuleFacts,
  tripwireVerdicts,
  workspacesReceiving,
  type ActionGroupFacts,
  type BreakglassAccountRef,
  type DiagnosticSettingFacts,
  type SignInTable,
  type TripwireRuleFacts,
  type WorkspaceFacts,
} from "@entra-baseline/model";
import { asRecord, lower, stringList, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";

/** ARM answers `workspaceId: ""` for a setting that streams elsewhere only (storage, event hub): no workspace. */
function settingFacts(s: RawObject): DiagnosticSettingFacts {
  const p = asRecord(s.properties);
  const workspace =
    typeof p.workspaceId === "string" && p.workspaceId.trim() !== "" ? p.workspaceId.trim().toLowerCase() : undefined;
  const logs = Array.isArray(p.logs) ? p.logs.map(asRecord) : [];
  return {
    name: String(s.name ?? s.id ?? "(no name)"),
    workspace,
    categories: logs.filter((l) => l.enabled === true && typeof l.category === "string").map((l) => String(l.category)),
    complete: true,
    elsewhere: ["storageAccountId", "eventHubAuthorizationRuleId", "serviceBusRuleId"].some(
      (k) => typeof p[k] === "string" && (p[k] as string) !== "",
    ),
  };
}

function workspaceFacts(ctx: AuditContext, w: RawObject): WorkspaceFacts {
  const p = asRecord(w.properties);
  const id = lower(w.id) ?? "";
  const tables = ((ctx.snapshot.sources.workspaceTables ?? {})[id] ?? []).map((t) => {
    const tp = asRecord(t.properties);
    return {
      name: String(t.name ?? ""),
      ...(typeof tp.retentionInDays === "number" ? { retentionInDays: tp.retentionInDays } : {}),
    };
  });
  const dcrId = lower(p.defaultDataCollectionRuleResourceId);
  const dcr = dcrId ? (ctx.snapshot.sources.dataCollectionRules ?? []).find((d) => lower(d.id) === dcrId) : undefined;
  const flows = Array.isArray(asRecord(dcr?.properties).dataFlows)
    ? (asRecord(dcr!.properties).dataFlows as unknown[]).map(asRecord)
    : [];
  const transformedTables = flows.flatMap((f) =>
    typeof f.transformKql === "string" && f.transformKql.trim() !== "source"
      ? stringList(f.streams).map((x) => x.replace(/^Microsoft-Table-/i, ""))
      : [],
  );
  const cap = asRecord(p.workspaceCapping).dailyQuotaGb;
  return {
    key: id,
    name: String(w.name ?? id),
    retentionInDays: typeof p.retentionInDays === "number" ? p.retentionInDays : undefined,
    dailyQuotaGb: typeof cap === "number" ? cap : undefined,
    tables,
    transformedTables,
    transformationsUnknown: dcrId !== undefined && dcr === undefined,
  };
}

/**
 * The stack's other categories (monitoring.logCategories beyond the model's three): what it declares, so one missing
 * from the receiving workspace is drift, not a blind tripwire. They are kept out of the model's requirement, as the
 * pack keeps them out: a missing risk log must not make the tripwires' workspace count as receiving nothing.
 */
function configuredExtras(ctx: AuditContext): string[] {
  return ctx.config.monitoring.logCategories.filter((c) => !(REQUIRED_LOG_CATEGORIES as readonly string[]).includes(c));
}

export function loggingFindings(ctx: AuditContext): Finding[] {
  const s = ctx.snapshot.sources;
  const settings = (s.diagnosticSettings ?? []).map(settingFacts);
  const readWorkspaces = (s.workspaces ?? []).map((w) => workspaceFacts(ctx, w));
  const sent = [...new Set(settings.flatMap((x) => (x.workspace ? [x.workspace] : [])))];
  const missing = sent.filter((k) => !readWorkspaces.some((w) => w.key === k));
  const verdict = loggingVerdict(
    { settings, workspaces: readWorkspaces },
    { categories: [...REQUIRED_LOG_CATEGORIES], minRetentionInDays: ctx.config.limits.minRetentionInDays },
  );
  const object = "Entra diagnostic settings (microsoft.aadiam)";
  const out: Finding[] = [];
  if (!settings.some((x) => x.workspace)) {
    out.push(
      finding("AUD-DIAGNOSTICS-MISSING", {
        object,
        expected: `a setting streaming ${[...REQUIRED_LOG_CATEGORIES, ...configuredExtras(ctx)].join(", ")} to a Log Analytics workspace`,
        actual: `${settings.length} settings, none sending to a workspace`,
      }),
    );
    return out;
  }
  for (const key of missing.filter((k) => verdict.receiving.includes(k))) {
    out.push(
      finding("AUD-LOGS-AT-RISK", {
        object: `workspace ${key}`,
        expected: "exists and can be read",
        actual: "not found (deleted, or in a subscription the identity cannot read)",
      }),
    );
  }
  for (const problem of verdict.problems) {
    out.push(
      finding("AUD-LOGS-AT-RISK", {
        object,
        expected: "the required logs reach the tripwires' workspace and stay there",
        actual: problem,
      }),
    );
  }
  const receivers = verdict.receiving.length > 0 ? verdict.receiving : sent;
  for (const category of configuredExtras(ctx)) {
    if (receivers.some((w) => workspacesReceiving(settings, category).includes(w))) continue;
    out.push(
      finding(
        "AUD-LOGS-AT-RISK",
        {
          object: `${object}: category ${category}`,
          expected: `streamed to the tripwires' workspace (monitoring.logCategories)`,
          actual: "no setting streams it there",
        },
        { severity: "medium", title: "A configured log category is not streamed to the tripwires' workspace" },
      ),
    );
  }
  for (const note of verdict.notes)
    out.push(finding("AUD-LOGS-ELSEWHERE", { object, expected: "noted", actual: note }));
  return out;
}

function actionGroupFacts(ctx: AuditContext, id: string): ActionGroupFacts {
  const ag = (ctx.snapshot.sources.actionGroups ?? []).find((a) => lower(a.id) === id);
  if (!ag) return { key: id, known: false };
  const p = asRecord(ag.properties);
  const receivers = Object.entries(p)
    .filter(([k, v]) => k.endsWith("Receivers") && Array.isArray(v))
    .reduce((n, [, v]) => n + (v as unknown[]).length, 0);
  return { key: id, known: true, enabled: p.enabled, receivers };
}

function ruleFacts(ctx: AuditContext, rule: RawObject): TripwireRuleFacts {
  const p = asRecord(rule.properties);
  const allOf = Array.isArray(asRecord(p.criteria).allOf)
    ? (asRecord(p.criteria).allOf as unknown[]).map(asRecord)
    : [];
  return {
    name: String(rule.name ?? rule.id ?? "(no name)"),
    ...(typeof p.displayName === "string" ? { displayName: p.displayName } : {}),
    enabled: p.enabled,
    severity: p.severity,
    kind: rule.kind,
    evaluationFrequency: p.evaluationFrequency,
    windowSize: p.windowSize,
    overrideQueryTimeRange: p.overrideQueryTimeRange,
    muteActionsDuration: p.muteActionsDuration,
    query:
      allOf.length === 1 && typeof allOf[0]!.query === "string"
        ? (allOf[0]!.query as string)
        : allOf.map((c) => String(c.query ?? "")).join("\n"),
    conditions: allOf.map((c) => ({ ...c, query: undefined })),
    scopes: stringList(p.scopes).map((x) => x.trim().toLowerCase()),
    actionGroups: stringList(asRecord(p.actions).actionGroups).map((id) =>
      actionGroupFacts(ctx, id.trim().toLowerCase()),
    ),
  };
}

/** The emergency accounts as read (empty unless every one was found) and the workspaces receiving each sign-in table. */
function tripwireExpectation(ctx: AuditContext) {
  const accounts: BreakglassAccountRef[] = ctx.breakglass.flatMap((b) =>
    b.user && typeof b.user.id === "string" && typeof b.user.userPrincipalName === "string"
      ? [{ upn: b.user.userPrincipalName, objectId: b.user.id.toLowerCase() }]
      : [],
  );
  const settings = (ctx.snapshot.sources.diagnosticSettings ?? []).map(settingFacts);
  const receiving = (table: SignInTable) => {
    const category = Object.entries(LOG_CATEGORY_TABLES).find(([, t]) => t === table)![0];
    return workspacesReceiving(settings, category);
  };
  return {
    accounts: accounts.length === ctx.breakglass.length ? accounts : [],
    workspaces: {
      SigninLogs: receiving("SigninLogs"),
      AADNonInteractiveUserSignInLogs: receiving("AADNonInteractiveUserSignInLogs"),
    },
  };
}

export function tripwireFindings(ctx: AuditContext): Finding[] {
  const s = ctx.snapshot.sources;
  const rules = (s.scheduledQueryRules ?? []).map((r) => ({ raw: r, facts: ruleFacts(ctx, r) }));
  const verdicts = tripwireVerdicts(
    rules.map((r) => r.facts),
    tripwireExpectation(ctx),
  );
  const out: Finding[] = [];
  for (const v of verdicts) {
    if (v.holding.length > 0) continue;
    if (v.candidates.length === 0) {
      out.push(
        finding("AUD-TRIPWIRE-MISSING", {
          object: `tripwire for ${v.table}`,
          expected: "an enabled scheduled query rule that is the model's tripwire for that table",
          actual: `none among ${rules.length} scheduled query rules`,
        }),
      );
      continue;
    }
    for (const c of v.candidates) {
      const raw = rules.find((r) => r.facts.name === c.name)?.raw;
      out.push(
        finding("AUD-TRIPWIRE-WEAK", {
          object: `scheduled query rule ${c.name} (${String(raw?.id ?? "no id")})`,
          expected: `the model's tripwire for ${v.table} (src/model/tripwire.ts)`,
          actual: c.gaps.join("; "),
        }),
      );
    }
  }
  return out;
}

/** A Sentinel analytics rule as ARM answers it; its workspace is the part of its id before the Sentinel provider. */
function sentinelFacts(rule: RawObject): SentinelRuleFacts {
  const p = asRecord(rule.properties);
  const id = typeof rule.id === "string" ? rule.id : "";
  const workspace = /^(.*)\/providers\/Microsoft\.SecurityInsights\/alertRules\/[^/]+$/i.exec(id)?.[1]?.toLowerCase();
  return {
    name: String(rule.name ?? (id || "(no name)")),
    ...(typeof p.displayName === "string" ? { displayName: p.displayName } : {}),
    kind: rule.kind,
    enabled: p.enabled,
    severity: p.severity,
    query: typeof p.query === "string" ? p.query : "",
    queryFrequency: p.queryFrequency,
    queryPeriod: p.queryPeriod,
    triggerOperator: p.triggerOperator,
    triggerThreshold: p.triggerThreshold,
    suppressionEnabled: p.suppressionEnabled,
    createIncident: asRecord(p.incidentConfiguration).createIncident,
    workspace,
  };
}

/**
 * With monitoring.sentinel.enabled: each tripwire also runs as a Sentinel rule that matches the log alert. Nothing
 * otherwise — a workspace's own Sentinel content is the SOC's business, and the log alert is the guarantee.
 */
export function sentinelTripwireFindings(ctx: AuditContext): Finding[] {
  if (!ctx.config.monitoring.sentinel.enabled) return [];
  const rules = (ctx.snapshot.sources.sentinelAlertRules ?? []).map((r) => ({ raw: r, facts: sentinelFacts(r) }));
  const verdicts = sentinelTripwireVerdicts(
    rules.map((r) => r.facts),
    tripwireExpectation(ctx),
  );
  const out: Finding[] = [];
  for (const v of verdicts) {
    if (v.holding.length > 0) continue;
    if (v.candidates.length === 0) {
      out.push(
        finding("AUD-SENTINEL-TRIPWIRE", {
          object: `Sentinel tripwire for ${v.table}`,
          expected: "a Sentinel analytics rule that matches the log-alert tripwire for that table",
          actual: `none among ${rules.length} analytics rules of the receiving workspace(s)`,
        }),
      );
      continue;
    }
    for (const c of v.candidates) {
      const raw = rules.find((r) => r.facts.name === c.name)?.raw;
      out.push(
        finding("AUD-SENTINEL-TRIPWIRE", {
          object: `Sentinel analytics rule ${c.name} (${String(raw?.id ?? "no id")})`,
          expected: `the log-alert tripwire for ${v.table} (src/model/sentinel.ts)`,
          actual: c.gaps.join("; "),
        }),
      );
    }
  }
  return out;
}
