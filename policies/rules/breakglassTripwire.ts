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
  TRIPWIRE_RULE_KEYS,
  missingIdentifiers,
  tripwireRuleKey,
  tripwireRuleProblems,
  type BreakglassAccountRef,
  type TripwireRuleKey,
} from "../../src/model/tripwire";
import { providerTypes } from "../../src/model/typeTokens";
import { breakglassView, objectIdOf } from "../lib/breakglass";
import { breakglassObjectIdsSchema, breakglassUpnsSchema, policyConfig, schema } from "../lib/config";
import { policyNames } from "../lib/policyNames";
import { dependenciesOf, describeResource, indexStack } from "../lib/stack";
import { UNKNOWN, read, readArray, readBoolean, readNumber, readString } from "../lib/values";

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
    maxEvaluationFrequency: { type: "string", default: "PT5M", description: "Slowest allowed evaluation (limits.tripwireMaxEvaluationFrequency)." },
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
        reportViolation(`The "${ALERT_RULES[key].displayName}" tripwire (scheduled query rule "${ALERT_RULES[key].ruleName}") is not declared: a breakglass sign-in would go unnoticed.`);
      }
    }
    // Accounts this rule must see named: declared breakglass users plus configured external object ids.
    const declared = view.users.map((u) => ({ user: u, upn: String(readString(u.props, "userPrincipalName")), objectId: objectIdOf(u) }));
    const known: BreakglassAccountRef[] = declared.filter((a) => typeof a.objectId === "string").map((a) => ({ upn: a.upn, objectId: a.objectId as string }));
    const pending = declared.filter((a) => typeof a.objectId !== "string");

    for (const [key, rules] of tripwires) {
      for (const rule of rules) {
        for (const problem of ruleProblems(key, rule, known, pending, cfg)) reportViolation(`${describeResource(rule)}: ${problem}.`, rule.urn);
      }
    }
  },
};

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
  for (const [field, value] of Object.entries(facts)) if (value === UNKNOWN) problems.push(`${field} is unknown at preview`);
  const query = readString(p, "criteria", "allOf", 0, "query");
  const plain = {
    severity: typeof facts.severity === "number" ? facts.severity : undefined,
    enabled: typeof facts.enabled === "boolean" ? facts.enabled : undefined,
    evaluationFrequency: typeof facts.evaluationFrequency === "string" ? facts.evaluationFrequency : undefined,
  };
  if (typeof query === "string") {
    problems.push(...tripwireRuleProblems(key, { ...plain, query }, known, cfg.maxEvaluationFrequency));
    for (const a of pending) {
      if (missingIdentifiers(query, { upn: a.upn, objectId: "" }).includes("upn")) problems.push(`the query does not name breakglass account ${a.upn}`);
    }
  } else {
    // The query is unknown at preview (built from object ids) or missing. The shared check still judges every
    // other fact against a stand-in query that only reads the right table; coverage is judged by provenance.
    problems.push(...tripwireRuleProblems(key, { ...plain, query: ALERT_RULES[key].table }, [], cfg.maxEvaluationFrequency));
    if (query === undefined) problems.push("has no query (criteria.allOf[0].query)");
    else {
      const sources = new Set(dependenciesOf(rule, "criteria").map((d) => d.urn));
      const uncovered = [...pending.map((a) => a.user), ...known.map((k) => k.upn)].filter((a) =>
        typeof a === "string" ? true : !sources.has(a.urn),
      );
      for (const a of uncovered) {
        problems.push(`its query is unknown at preview and does not come from breakglass ${typeof a === "string" ? `account ${a}` : describeResource(a)}`);
      }
    }
  }
  const groups = readArray(p, "actions", "actionGroups");
  if (groups !== UNKNOWN && (groups === undefined || groups.length === 0) && read(p, "actions") !== UNKNOWN) {
    problems.push("has no action group, so nobody is told when it fires");
  }
  return problems;
}
