/**
 * The five log search alert rules: what each evaluates, how often, over which window, and how each avoids both
 * missing late records and notifying twice for one event.
 *
 * Timing of the tripwires (breakglass sign-ins, interactive and non-interactive):
 * - evaluationFrequency PT1M, the fastest Azure Monitor offers. At that frequency the query may not use
 *   `ingestion_time()`, so the usual de-duplication (wide window + "ingested since the last run") is not
 *   available.
 * - windowSize PT15M: Entra sign-in records are typically queryable ~2 min (P95) and ~5 min (P99) after the
 *   sign-in (docs/references.md, "Azure Resource Manager"). A record is caught if it becomes queryable within windowSize − frequency = 14 min of
 *   its TimeGenerated: three times the P99 figure. A 1-minute window would miss every record that arrives more than
 *   a minute late, i.e. most of them.
 * - No storm: the rule is stateful (autoMitigate: true) and split by account and outcome (dimensions
 *   UserPrincipalName, UserId, Outcome). The ~14 evaluations that see the same record belong to one fired alert,
 *   which notifies once; it resolves after 15 quiet minutes. A second account, or the first *success* after
 *   failures, is a new dimension combination and notifies at once. A password spray against one account notifies
 *   once per outcome, not once per attempt.
 * - muteActionsDuration is deliberately not used: it would silence the whole rule after the first notification,
 *   hiding a second account's sign-in.
 * - Worst case from sign-in to notification: ingestion (≈2 min P95, ≈5 min P99) + up to 1 min until the next
 *   evaluation + action group delivery; i.e. at most 1 minute beyond ingestion.
 *
 * The AuditLogs rules run every 5 minutes over a 1-hour window and count only records ingested since the previous
 * run (`ingestion_time() > ago(6m)`, allowed at that frequency): late records are caught for up to an hour, each
 * is notified once (a record ingested in the one-minute overlap may notify twice: a duplicate is preferred to a
 * gap). These rules are stateless (autoMitigate: false) so that every new event notifies.
 *
 * Routine JIT use is a daily rule over the longest lookback Azure Monitor allows: windowSize P2D, one evaluation
 * period. A log alert's lookback (windowSize × numberOfEvaluationPeriods, at most 6 periods) and
 * overrideQueryTimeRange may not exceed 48 hours, so a "7 daily periods" rule would be rejected by ARM (or, if
 * clamped, would never see 7 days). The seven-day "activated on N days" count is the weekly review's; the alert
 * flags ticketless requests and activations on consecutive days (src/model/kql/routineJitUse.ts).
 *
 * All rules skip ARM's query validation: in a new workspace the Entra tables do not exist until the diagnostic
 * setting has delivered the first records, and validation would fail the deploy. The queries are instead parsed
 * and analyzed offline against the documented schemas, and evaluated over documented-shape records (test/model/kql).
 *
 * Every rule runs as itself: a system-assigned identity holding Log Analytics Reader on the workspace. Without an
 * identity a rule queries with the rights the last principal who edited it had at that time, so it would stop
 * working when the deploying identity's rights change (docs/references.md, "Azure Resource Manager", Learn "Create a log search alert rule", managed
 * identity). Adding the identity to a deployed rule is an in-place update: `identity` carries no
 * x-ms-mutability in the scheduledQueryRules spec (it is also in the PATCH body), and azure-native replaces only on
 * create-only properties and its forceNew list, which has no entry for this resource (docs/monitoring.md).
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import type { MonitoringConfig } from "../../config/schema";
import {
  ACCOUNT_CHANGED_DIMENSIONS,
  ALERT_RULES,
  type AlertRuleKey,
  alertRuleResourceName,
  breakglassAccountChangedDefinition,
  type BreakglassPrincipals,
  durationSeconds,
  type KqlQuery,
  OUTSIDE_PIM_DIMENSIONS,
  renderKql,
  roleAssignedOutsidePimDefinition,
  ROUTINE_JIT_DIMENSIONS,
  ROUTINE_JIT_LOOKBACK_DAYS,
  routineJitUseDefinition,
  SIGN_IN_ALERT_DIMENSIONS,
  type StandingException,
  TRIPWIRE,
  tripwireQueryDefinition,
} from "@entra-baseline/model";
import { stableUuid } from "./stableUuid";

export interface AlertRuleSchedule {
  evaluationFrequency: string;
  windowSize: string;
  /** Stateful (true): one notification per fired alert instance; stateless (false): one per evaluation that matches. */
  autoMitigate: boolean;
  failingPeriods: { numberOfEvaluationPeriods: number; minFailingPeriodsToAlert: number };
  dimensions: readonly string[];
  /** The query's definition, from the resolved breakglass identities, config and the declared exceptions. */
  definition(
    breakglass: BreakglassPrincipals,
    monitoring: MonitoringConfig,
    exceptions: readonly StandingException[],
  ): KqlQuery;
  /** The query text the rule runs: the definition, rendered. */
  query(
    breakglass: BreakglassPrincipals,
    monitoring: MonitoringConfig,
    exceptions?: readonly StandingException[],
  ): string;
}

const AUDIT_FREQUENCY = "PT5M";
const AUDIT_FREQUENCY_MINUTES = durationSeconds(AUDIT_FREQUENCY)! / 60;
const SINGLE_PERIOD = { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 };

type ScheduleSpec = Omit<AlertRuleSchedule, "query">;

const SPECS: Readonly<Record<AlertRuleKey, ScheduleSpec>> = {
  breakglassSignIn: {
    evaluationFrequency: TRIPWIRE.evaluationFrequency,
    windowSize: TRIPWIRE.windowSize,
    autoMitigate: true,
    failingPeriods: SINGLE_PERIOD,
    dimensions: SIGN_IN_ALERT_DIMENSIONS,
    definition: (bg) => tripwireQueryDefinition("SigninLogs", bg),
  },
  breakglassNonInteractiveSignIn: {
    evaluationFrequency: TRIPWIRE.evaluationFrequency,
    windowSize: TRIPWIRE.windowSize,
    autoMitigate: true,
    failingPeriods: SINGLE_PERIOD,
    dimensions: SIGN_IN_ALERT_DIMENSIONS,
    definition: (bg) => tripwireQueryDefinition("AADNonInteractiveUserSignInLogs", bg),
  },
  breakglassAccountChanged: {
    evaluationFrequency: AUDIT_FREQUENCY,
    windowSize: "PT1H",
    autoMitigate: false,
    failingPeriods: SINGLE_PERIOD,
    dimensions: ACCOUNT_CHANGED_DIMENSIONS,
    definition: (bg) => breakglassAccountChangedDefinition(bg, AUDIT_FREQUENCY_MINUTES),
  },
  roleAssignedOutsidePim: {
    evaluationFrequency: AUDIT_FREQUENCY,
    windowSize: "PT1H",
    autoMitigate: false,
    failingPeriods: SINGLE_PERIOD,
    dimensions: OUTSIDE_PIM_DIMENSIONS,
    definition: (bg, _monitoring, exceptions) =>
      roleAssignedOutsidePimDefinition(bg, AUDIT_FREQUENCY_MINUTES, exceptions),
  },
  routineJitUse: {
    evaluationFrequency: "P1D",
    // The 48-hour maximum lookback as one period (ROUTINE_JIT_LOOKBACK_DAYS); see the comment at the top.
    windowSize: `P${ROUTINE_JIT_LOOKBACK_DAYS}D`,
    autoMitigate: false,
    failingPeriods: SINGLE_PERIOD,
    dimensions: ROUTINE_JIT_DIMENSIONS,
    definition: (_bg, monitoring) => routineJitUseDefinition(monitoring.routineJitUse),
  },
};

export const ALERT_RULE_SCHEDULES: Readonly<Record<AlertRuleKey, AlertRuleSchedule>> = Object.fromEntries(
  Object.entries(SPECS).map(([key, spec]) => [
    key,
    { ...spec, query: (bg, monitoring, exceptions = []) => renderKql(spec.definition(bg, monitoring, exceptions)) },
  ]),
) as Record<AlertRuleKey, AlertRuleSchedule>;

/** Built-in Azure role "Log Analytics Reader" (docs/references.md, "Azure Resource Manager"): read access plus the workspace query and search actions. */
export const LOG_ANALYTICS_READER_ROLE_ID = "73c42c96-874c-492b-b04d-ab87d138a893";

/** The subscription a resource id is in (a role definition id must be under the scope's subscription). */
export function subscriptionOf(resourceId: string): string {
  const m = /^\/subscriptions\/([^/]+)\//i.exec(resourceId);
  if (!m) throw new Error(`${resourceId} is not an ARM resource id (/subscriptions/<id>/…)`);
  return m[1]!;
}

/** `/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<id>`, the form ARM's examples use. */
export function roleDefinitionIdFor(scope: string, roleId: string): string {
  return `/subscriptions/${subscriptionOf(scope)}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

/**
 * The rule's identity may query the workspace: Log Analytics Reader there. The name is a GUID from the scope, the
 * principal and the role, so a re-run keeps it and a re-created rule (a new principal) gets a new one.
 */
export function declareRuleReader(
  resourceName: string,
  ruleName: string,
  rule: monitor.ScheduledQueryRule,
  workspaceId: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): authorization.RoleAssignment {
  const principalId = rule.identity.apply((identity) => {
    if (!identity?.principalId) throw new Error(`${resourceName}: the alert rule has no system-assigned identity`);
    return identity.principalId;
  });
  return new authorization.RoleAssignment(
    `${resourceName}-log-analytics-reader`,
    {
      roleAssignmentName: pulumi
        .all([workspaceId, principalId])
        .apply(([scope, principal]) =>
          stableUuid(`${scope.toLowerCase()}|${principal}|${LOG_ANALYTICS_READER_ROLE_ID}`),
        ),
      scope: workspaceId,
      principalId,
      // A managed identity is a service principal; the SDK's default ("User") would be wrong, and saying so avoids
      // failures while a new identity replicates (docs/references.md, "Azure Resource Manager").
      principalType: "ServicePrincipal",
      roleDefinitionId: pulumi
        .output(workspaceId)
        .apply((scope) => roleDefinitionIdFor(scope, LOG_ANALYTICS_READER_ROLE_ID)),
      description: `entra-baseline: the log alert rule ${ruleName} queries the workspace as itself.`,
    },
    opts,
  );
}

export interface AlertRulesArgs {
  monitoring: MonitoringConfig;
  /** Declared exceptions: the outside-PIM rule excludes their live principal/role pairs. */
  exceptions: readonly StandingException[];
  resourceGroupName: pulumi.Input<string>;
  workspaceId: pulumi.Input<string>;
  actionGroupId: pulumi.Input<string>;
  breakglass: {
    userPrincipalNames: pulumi.Input<string[]>;
    objectIds: pulumi.Input<string[]>;
    groupObjectId: pulumi.Input<string>;
  };
}

export interface AlertRules {
  rules: Record<AlertRuleKey, monitor.ScheduledQueryRule>;
  /** Each rule's Log Analytics Reader assignment on the workspace. */
  readers: Record<AlertRuleKey, authorization.RoleAssignment>;
}

export function declareAlertRules(name: string, args: AlertRulesArgs, opts: pulumi.CustomResourceOptions): AlertRules {
  // Breakglass object ids are unknown until the users exist: the query text is an Output built inside apply;
  // only strings are computed there, never resources.
  const breakglass = pulumi
    .all([args.breakglass.userPrincipalNames, args.breakglass.objectIds, args.breakglass.groupObjectId])
    .apply(([userPrincipalNames, objectIds, groupObjectId]): BreakglassPrincipals => ({
      userPrincipalNames,
      objectIds,
      groupObjectId,
    }));

  const rules = {} as Record<AlertRuleKey, monitor.ScheduledQueryRule>;
  const readers = {} as Record<AlertRuleKey, authorization.RoleAssignment>;
  for (const key of Object.keys(ALERT_RULE_SCHEDULES) as AlertRuleKey[]) {
    const schedule = ALERT_RULE_SCHEDULES[key];
    const identity = ALERT_RULES[key];
    const resourceName = alertRuleResourceName(name, key);
    rules[key] = new monitor.ScheduledQueryRule(
      resourceName,
      {
        ruleName: identity.ruleName,
        displayName: identity.displayName,
        description: `entra-baseline: ${identity.displayName}. Reads ${identity.table}. Runbook: docs/monitoring.md.`,
        resourceGroupName: args.resourceGroupName,
        location: args.monitoring.location,
        kind: "LogAlert",
        // The rule queries as itself (Log Analytics Reader below), not with its last editor's rights.
        identity: { type: "SystemAssigned" },
        enabled: true,
        severity: args.monitoring.severities[key],
        scopes: [args.workspaceId],
        evaluationFrequency: schedule.evaluationFrequency,
        windowSize: schedule.windowSize,
        autoMitigate: schedule.autoMitigate,
        skipQueryValidation: true,
        criteria: {
          allOf: [
            {
              query: breakglass.apply((bg) => schedule.query(bg, args.monitoring, args.exceptions)),
              timeAggregation: "Count",
              // The ARM spec value. Not monitor.ConditionOperator: in azure-native 3.28 that enum holds another resource's values ("gt").
              operator: "GreaterThan",
              threshold: 0,
              dimensions: schedule.dimensions.map((dimension) => ({
                name: dimension,
                operator: "Include",
                values: ["*"],
              })),
              failingPeriods: schedule.failingPeriods,
            },
          ],
        },
        actions: {
          actionGroups: [args.actionGroupId],
          customProperties: { "entra-baseline-rule": key },
        },
      },
      opts,
    );
    readers[key] = declareRuleReader(resourceName, identity.ruleName, rules[key], args.workspaceId, {
      parent: opts.parent,
    });
  }
  return { rules, readers };
}
