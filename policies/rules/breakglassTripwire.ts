/**
 * breakglass-tripwire — severity critical, mandatory.
 * Controls: Microsoft Learn emergency-access monitoring (alert on any sign-in of the accounts, Sev 0, action group),
 * Azure-Sentinel breakglass hunting queries, ZTA 21835. The facts (names, Sev 0, frequency, coverage by object id
 * *and* UPN, what Azure Monitor accepts in the query) are src/model/tripwire.ts, shared with the monitoring program
 * and the audit.
 *
 * Every tripwire rule (interactive and non-interactive sign-ins, identified by its ruleName or displayName) must be
 * declared, enabled, severity 0, evaluated at least every `maxEvaluationFrequency`, wired to an action group, and
 * name every breakglass account. Preview: the query is unknown when built from the accounts' object ids; coverage
 * is then proven by provenance (the rule's `criteria` came from every breakglass user), never skipped.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  ALERT_RULES,
  type BreakglassAccountRef,
  IDENTITY_COLUMNS,
  missingIdentifiers,
  policyNames,
  providerTypes,
  TRIPWIRE_RULE_KEYS,
  type TripwireCondition,
  tripwireCriteriaProblems,
  tripwireRuleKey,
  type TripwireRuleKey,
  tripwireRuleProblems,
} from "@entra-baseline/model";
import { breakglassView, objectIdOf } from "../lib/breakglass";
import { breakglassObjectIdsSchema, breakglassUpnsSchema, policyConfig, schema } from "../lib/config";
import { dependenciesOf, describeResource, indexStack, type StackIndex } from "../lib/stack";
import { UNKNOWN, containsUnknown, raw, read, readArray, readBoolean, readNumber, readString } from "../lib/values";

export interface BreakglassTripwireConfig {
  breakglassUpns: string[];
  breakglassObjectIds: string[];
  maxEvaluationFrequency: string;
  requiredTripwires: string[];
}

export const breakglassTripwire: StackValidationPolicy = {
  name: policyNames.breakglassTripwire,
  description:
    "The breakglass sign-in tripwires exist, are enabled, severity 0, evaluated at least every 5 minutes, have an action group, and their queries name every breakglass account.",
  enforcementLevel: "mandatory",
  configSchema: schema({
    breakglassUpns: breakglassUpnsSchema,
    breakglassObjectIds: breakglassObjectIdsSchema,
    maxEvaluationFrequency: {
      type: "string",
      default: "PT5M",
      description: "Slowest allowed evaluation (limits.tripwireMaxEvaluationFrequency).",
    },
    requiredTripwires: {
      type: "array",
      items: { type: "string", enum: [...TRIPWIRE_RULE_KEYS] },
      default: [...TRIPWIRE_RULE_KEYS],
      description: "Which tripwires must exist (src/model/tripwire.ts TRIPWIRE_RULE_KEYS).",
    },
  }),
  validateStack: (args, reportViolation) => {
    const cfg = policyConfig<BreakglassTripwireConfig>(args, breakglassTripwire.configSchema);
    const index = indexStack(args);
    const view = breakglassView(index, cfg);
    const tripwires = new Map<TripwireRuleKey, PolicyResource[]>();
    for (const rule of index.of(providerTypes.scheduledQueryRule)) {
      const key = tripwireRuleKey({
        ruleName: readString(rule.props, "ruleName") ?? readString(rule.props, "name"),
        displayName: readString(rule.props, "displayName"),
      });
      if (key) tripwires.set(key, [...(tripwires.get(key) ?? []), rule]);
    }
    for (const key of cfg.requiredTripwires as TripwireRuleKey[]) {
      if (!tripwires.has(key)) {
        reportViolation(
          `The "${ALERT_RULES[key].displayName}" tripwire (scheduled query rule "${ALERT_RULES[key].ruleName}") is not declared: a breakglass sign-in would go unnoticed.`,
        );
      }
    }
    // Accounts this rule must see named: declared breakglass users plus configured external object ids.
    const declared = view.users.map((u) => ({
      user: u,
      upn: String(readString(u.props, "userPrincipalName")),
      objectId: objectIdOf(u),
    }));
    const known: BreakglassAccountRef[] = declared
      .filter((a) => typeof a.objectId === "string")
      .map((a) => ({ upn: a.upn, objectId: a.objectId as string }));
    const pending = declared.filter((a) => typeof a.objectId !== "string");

    const logs = entraLogDestinations(index);
    for (const [key, rules] of tripwires) {
      for (const rule of rules) {
        const problems = [
          ...ruleProblems(key, rule, known, pending, cfg),
          ...criteriaProblems(rule),
          ...scopeProblems(rule, logs),
        ];
        for (const problem of problems) reportViolation(`${describeResource(rule)}: ${problem}.`, rule.urn);
      }
    }
  },
};

/** A query of the tripwire's shape that reads the right table and names nobody (coverage is judged apart). */
function standInQuery(key: TripwireRuleKey): string {
  return `${ALERT_RULES[key].table} | where ${IDENTITY_COLUMNS.objectId} in~ ("")`;
}

function ruleProblems(
  key: TripwireRuleKey,
  rule: PolicyResource,
  known: BreakglassAccountRef[],
  pending: { user: PolicyResource; upn: string }[],
  cfg: BreakglassTripwireConfig,
): string[] {
  const p = rule.props;
  const facts = {
    severity: readNumber(p, "severity"),
    enabled: readBoolean(p, "enabled"),
    evaluationFrequency: readString(p, "evaluationFrequency"),
  };
  const problems: string[] = [];
  for (const [field, value] of Object.entries(facts))
    if (value === UNKNOWN) problems.push(`${field} is unknown at preview`);
  const query = readString(p, "criteria", "allOf", 0, "query");
  const plain = {
    severity: typeof facts.severity === "number" ? facts.severity : undefined,
    enabled: typeof facts.enabled === "boolean" ? facts.enabled : undefined,
    evaluationFrequency: typeof facts.evaluationFrequency === "string" ? facts.evaluationFrequency : undefined,
  };
  if (typeof query === "string") {
    problems.push(...tripwireRuleProblems(key, { ...plain, query }, known, cfg.maxEvaluationFrequency));
    for (const a of pending) {
      if (missingIdentifiers(query, { upn: a.upn, objectId: "" }).includes("upn"))
        problems.push(`the query does not name breakglass account ${a.upn}`);
    }
  } else {
    // The query is unknown at preview (built from object ids) or missing. The shared check still judges every
    // other fact against a stand-in query that only reads the right table; coverage is judged by provenance.
    problems.push(...tripwireRuleProblems(key, { ...plain, query: standInQuery(key) }, [], cfg.maxEvaluationFrequency));
    if (query === undefined) problems.push("has no query (criteria.allOf[0].query)");
    else {
      const sources = new Set(dependenciesOf(rule, "criteria").map((d) => d.urn));
      const uncovered = [...pending.map((a) => a.user), ...known.map((k) => k.upn)].filter((a) =>
        typeof a === "string" ? true : !sources.has(a.urn),
      );
      for (const a of uncovered) {
        problems.push(
          `its query is unknown at preview and does not come from breakglass ${typeof a === "string" ? `account ${a}` : describeResource(a)}`,
        );
      }
    }
  }
  const groups = readArray(p, "actions", "actionGroups");
  if (groups !== UNKNOWN && (groups === undefined || groups.length === 0) && read(p, "actions") !== UNKNOWN) {
    problems.push("has no action group, so nobody is told when it fires");
  }
  return problems;
}

/** Where the Entra diagnostic settings send the sign-in logs: known workspace ids, and workspaces they come from. */
function entraLogDestinations(index: StackIndex): { ids: Set<string>; workspaceUrns: Set<string> } {
  const ids = new Set<string>();
  const workspaceUrns = new Set<string>();
  for (const setting of index.of(providerTypes.diagnosticSetting)) {
    const id = readString(setting.props, "workspaceId");
    if (typeof id === "string" && id.trim() !== "") ids.add(id.trim().toLowerCase());
    for (const d of dependenciesOf(setting, "workspaceId", providerTypes.workspace)) workspaceUrns.add(d.urn);
  }
  return { ids, workspaceUrns };
}

/** A tripwire scoped to another workspace never sees the sign-ins: it must read where the Entra logs go. */
function scopeProblems(rule: PolicyResource, logs: { ids: Set<string>; workspaceUrns: Set<string> }): string[] {
  const scopes = readArray(rule.props, "scopes");
  if (scopes === UNKNOWN)
    return ["its scopes are unknown at preview, so it cannot be shown to read the Entra sign-in logs"];
  const list = scopes ?? [];
  const fromDeps = dependenciesOf(rule, "scopes").some((d) => logs.workspaceUrns.has(d.urn));
  const reads = list.some(
    (sc) => (typeof sc === "string" && logs.ids.has(sc.trim().toLowerCase())) || (sc === UNKNOWN && fromDeps),
  );
  if (reads) return [];
  return [
    `its scopes (${list.map((sc) => (sc === UNKNOWN ? "unknown" : String(sc))).join(", ") || "none"}) do not include the workspace the Entra diagnostic setting streams to, so it never sees a breakglass sign-in`,
  ];
}

/** The firing conditions (threshold, dimensions, periods, muting), with preview unknowns reported, never guessed. */
function criteriaProblems(rule: PolicyResource): string[] {
  const allOf = readArray(rule.props, "criteria", "allOf");
  if (allOf === UNKNOWN) return ["its conditions (criteria.allOf) are unknown at preview"];
  const conditions = (allOf ?? []).map((c) => (c === UNKNOWN ? {} : (raw(c) as TripwireCondition)));
  const unknownFields = conditions.flatMap((c) =>
    (["timeAggregation", "operator", "threshold", "dimensions", "failingPeriods"] as const).filter((k) =>
      containsUnknown(c[k]),
    ),
  );
  if (unknownFields.length > 0) return [`its firing conditions (${unknownFields.join(", ")}) are unknown at preview`];
  const mute = read(rule.props, "muteActionsDuration");
  if (mute === UNKNOWN) return ["muteActionsDuration is unknown at preview"];
  return tripwireCriteriaProblems(conditions, mute);
}
