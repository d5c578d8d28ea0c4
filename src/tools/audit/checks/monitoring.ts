/**
 * Audit integrity in the live subscription: an Entra diagnostic setting that streams the required log categories to
 * a Log Analytics workspace (MS.AAD.4.1, ZTA 21860), and the two breakglass tripwires (src/model/tripwire.ts) —
 * present, enabled, naming every account, and as strong as the model.
 */
import {
  ALERT_RULES,
  missingIdentifiers,
  REQUIRED_LOG_CATEGORIES,
  TRIPWIRE,
  TRIPWIRE_RULE_KEYS,
  type TripwireCondition,
  tripwireCriteriaProblems,
  tripwireRuleKey,
  tripwireRuleProblems,
} from "@entra-baseline/model";
import { asRecord, breakglassLabel, type AuditContext } from "../context";
import { finding, type Finding } from "../findings";
import type { RawObject } from "../snapshot";

export function diagnosticSettingFindings(ctx: AuditContext): Finding[] {
  // ARM answers `workspaceId: ""` for a setting that streams elsewhere only (storage, event hub): that is not a workspace.
  const streaming = (ctx.snapshot.sources.diagnosticSettings ?? []).filter((s) => {
    const workspaceId = asRecord(s.properties).workspaceId;
    return typeof workspaceId === "string" && workspaceId.trim() !== "";
  });
  const required = [...REQUIRED_LOG_CATEGORIES];
  if (streaming.length === 0) {
    return [
      finding("AUD-DIAGNOSTICS-MISSING", {
        object: "Entra diagnostic settings (microsoft.aadiam)",
        expected: `a setting streaming ${required.join(", ")} to a Log Analytics workspace`,
        actual: `${(ctx.snapshot.sources.diagnosticSettings ?? []).length} settings, none sending to a workspace`,
      }),
    ];
  }
  const enabled = new Set<string>();
  for (const s of streaming) {
    for (const log of Array.isArray(asRecord(s.properties).logs) ? (asRecord(s.properties).logs as unknown[]) : []) {
      const l = asRecord(log);
      if (l.enabled === true && typeof l.category === "string") enabled.add(l.category.toLowerCase());
    }
  }
  const names = streaming.map((s) => String(s.name ?? s.id)).join(", ");
  const out: Finding[] = [];
  const configured = ctx.config.monitoring.logCategories;
  for (const category of new Set([...required, ...configured])) {
    if (enabled.has(category.toLowerCase())) continue;
    const isRequired = (required as string[]).includes(category);
    out.push(
      finding(
        "AUD-DIAGNOSTICS-CATEGORY",
        {
          object: `Entra diagnostic setting(s) ${names}: category ${category}`,
          expected: isRequired
            ? "enabled (required: the tripwire and the PIM review read it)"
            : "enabled (monitoring.logCategories)",
          actual: "not streamed to any workspace",
        },
        { severity: isRequired ? "high" : "medium" },
      ),
    );
  }
  return out;
}

function ruleFacts(rule: RawObject) {
  const p = asRecord(rule.properties);
  const criteria = Array.isArray(asRecord(p.criteria).allOf)
    ? (asRecord(p.criteria).allOf as unknown[]).map(asRecord)
    : [];
  return {
    query: criteria.map((c) => (typeof c.query === "string" ? c.query : "")).join("\n"),
    severity: typeof p.severity === "number" ? p.severity : undefined,
    enabled: typeof p.enabled === "boolean" ? p.enabled : undefined,
    evaluationFrequency: typeof p.evaluationFrequency === "string" ? p.evaluationFrequency : undefined,
    actionGroups: Array.isArray(asRecord(p.actions).actionGroups)
      ? (asRecord(p.actions).actionGroups as unknown[])
      : [],
    displayName: p.displayName,
    conditions: criteria as TripwireCondition[],
    muteActionsDuration: p.muteActionsDuration,
    scopes: Array.isArray(p.scopes) ? (p.scopes as unknown[]).filter((sc): sc is string => typeof sc === "string") : [],
  };
}

export function tripwireFindings(ctx: AuditContext): Finding[] {
  const out: Finding[] = [];
  const rules = ctx.snapshot.sources.scheduledQueryRules ?? [];
  const accounts = ctx.breakglass.flatMap((b) =>
    b.user && typeof b.user.id === "string" && typeof b.user.userPrincipalName === "string"
      ? [{ label: breakglassLabel(b), ref: { upn: b.user.userPrincipalName, objectId: b.user.id } }]
      : [],
  );
  const logWorkspaces = new Set(
    (ctx.snapshot.sources.diagnosticSettings ?? []).flatMap((s) => {
      const id = asRecord(s.properties).workspaceId;
      return typeof id === "string" && id.trim() !== "" ? [id.trim().toLowerCase()] : [];
    }),
  );
  for (const key of TRIPWIRE_RULE_KEYS) {
    const { ruleName, displayName } = ALERT_RULES[key];
    const matching = rules.filter(
      (r) => tripwireRuleKey({ ruleName: r.name, displayName: asRecord(r.properties).displayName }) === key,
    );
    if (matching.length === 0) {
      out.push(
        finding("AUD-TRIPWIRE-MISSING", {
          object: `scheduled query rule ${ruleName} ("${displayName}")`,
          expected: "present in the monitoring subscription",
          actual: `not found among ${rules.length} scheduled query rules`,
        }),
      );
      continue;
    }
    for (const rule of matching) {
      const facts = ruleFacts(rule);
      const object = `scheduled query rule ${String(rule.name)} (${String(rule.id ?? "no id")})`;
      if (facts.enabled !== true) {
        out.push(
          finding("AUD-TRIPWIRE-DISABLED", {
            object,
            expected: "enabled = true",
            actual: `enabled = ${JSON.stringify(facts.enabled ?? null)}`,
          }),
        );
      }
      for (const account of accounts) {
        const missing = missingIdentifiers(facts.query, account.ref);
        if (missing.length > 0) {
          out.push(
            finding("AUD-TRIPWIRE-COVERAGE", {
              object,
              expected: `the query names ${account.label} by object id and UPN`,
              actual: `the query does not name it by ${missing.join(" and ")}`,
            }),
          );
        }
      }
      // Everything else the model requires (severity, frequency, table, query limits); enabled and accounts are above.
      for (const problem of tripwireRuleProblems(key, { ...facts, enabled: true }, [], TRIPWIRE.evaluationFrequency)) {
        out.push(
          finding("AUD-TRIPWIRE-WEAK", {
            object,
            expected: "as declared by the baseline (src/model/tripwire.ts)",
            actual: problem,
          }),
        );
      }
      for (const problem of tripwireCriteriaProblems(facts.conditions, facts.muteActionsDuration)) {
        out.push(
          finding(
            "AUD-TRIPWIRE-WEAK",
            {
              object,
              expected: "fires on the first matching sign-in (src/model/tripwire.ts)",
              actual: `the rule ${problem}`,
            },
            { severity: "high" },
          ),
        );
      }
      // A tripwire that reads another workspace never sees a sign-in: as bad as no tripwire.
      if (!facts.scopes.some((sc) => logWorkspaces.has(sc.trim().toLowerCase()))) {
        out.push(
          finding(
            "AUD-TRIPWIRE-WEAK",
            {
              object,
              expected: `scoped to the workspace the Entra diagnostic setting streams to (${[...logWorkspaces].join(", ") || "none streams to a workspace"})`,
              actual: `scopes: ${facts.scopes.join(", ") || "none"}`,
            },
            { severity: "critical" },
          ),
        );
      }
      if (facts.actionGroups.length === 0) {
        out.push(
          finding("AUD-TRIPWIRE-WEAK", {
            object,
            expected: "at least one action group",
            actual: "no action group: the alert notifies nobody",
          }),
        );
      }
    }
  }
  return out;
}
