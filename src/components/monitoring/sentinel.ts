/**
 * Microsoft Sentinel, in addition to the Azure Monitor log alerts (which stay the guarantee the pack and the audit
 * require): with `monitoring.sentinel.enabled` the workspace is onboarded and every alert is also a Sentinel analytics
 * rule built from the same KQL definition the log alert renders (src/model/kql), a watchlist names the emergency
 * accounts, and an automation rule adds the runbook to every incident these rules raise (and runs the configured
 * playbooks): Sentinel notifies through incidents and automation, not action groups. docs/monitoring.md, "Microsoft
 * Sentinel".
 *
 * - Tripwires: near-real-time rules (every minute over the records ingested in the minute before, on a 2-minute
 *   delay; docs/references.md) through the ARM API's preview version (sentinelNrtRule.ts: azure-native 3.28 has no NRT
 *   resource), or with `nearRealTime: false` scheduled rules every 5 minutes over the tripwire's 15-minute window.
 *   Either runs the canonical tripwire query itself, with no time filter of its own.
 * - The AuditLogs rules: scheduled rules on the log alert's window, evaluated every 5 minutes at the fastest (Sentinel's
 *   minimum). Their "ingested since the last run" filter counts Sentinel's built-in 5-minute delay in (the run
 *   happens 5 minutes after its scheduled time, and ago() is relative to the run): `ingestion_time() > ago(11m)` for a
 *   5-minute rule, a rare duplicate rather than a gap — the same trade the log alerts make.
 * - Incidents: every rule creates them, alert per result, grouped by the account and the outcome as the log alerts
 *   split, so a second account, or the first success after failures, opens a new incident. Never suppressed.
 * - Onboarding is retained on delete: disabling Sentinel here never offboards a workspace (and its other content).
 */
import * as pulumi from "@pulumi/pulumi";
import * as securityinsights from "@pulumi/azure-native/securityinsights";
import type { MonitoringConfig } from "../../config/schema";
import type { ArmConnection } from "../../graph/dynamicProvider";
import {
  ALERT_RULE_KEYS,
  ALERT_RULES,
  type AlertRuleKey,
  breakglassAccountChangedDefinition,
  type BreakglassPrincipals,
  durationSeconds,
  type KqlQuery,
  roleAssignedOutsidePimDefinition,
  renderKql,
  SENTINEL_ALERT_RULE_IDS,
  SENTINEL_AUTOMATION_RULE_ID,
  SENTINEL_TRIPWIRE,
  SENTINEL_WATCHLIST,
  sentinelSeverity,
  type StandingException,
  TRIPWIRE_RULE_KEYS,
  type TripwireRuleKey,
} from "@entra-baseline/model";
import { ALERT_RULE_SCHEDULES } from "./alertRules";
import { SentinelNrtRule } from "./sentinelNrtRule";
import { type IncidentConfiguration, type SentinelNrtRuleProperties } from "./sentinelNrtRuleProvider";

/** Where the runbook is when `monitoring.sentinel.runbookUrl` is not set. */
export const DEFAULT_RUNBOOK_REFERENCE =
  "docs/operations.md in the baseline's repository, 'Runbook: responding to a tripwire alert'";

/** Sentinel's built-in delay of a scheduled rule (docs/references.md). */
const SCHEDULED_DELAY_MINUTES = 5;

/** MITRE ATT&CK tactics and techniques of each rule (AttackTactic enum of the securityinsights API). */
const ATTACK: Readonly<Record<AlertRuleKey, { tactics: string[]; techniques: string[] }>> = {
  breakglassSignIn: { tactics: ["InitialAccess", "PrivilegeEscalation"], techniques: ["T1078"] },
  breakglassNonInteractiveSignIn: { tactics: ["InitialAccess", "PrivilegeEscalation"], techniques: ["T1078"] },
  breakglassAccountChanged: { tactics: ["Persistence"], techniques: ["T1098"] },
  roleAssignedOutsidePim: { tactics: ["PrivilegeEscalation", "Persistence"], techniques: ["T1098"] },
  routineJitUse: { tactics: ["PrivilegeEscalation"], techniques: ["T1078"] },
};

const isTripwire = (key: AlertRuleKey): key is TripwireRuleKey =>
  (TRIPWIRE_RULE_KEYS as readonly string[]).includes(key);

/** How often and over what a rule runs in Sentinel: NRT (no schedule of its own) or scheduled. */
export type SentinelSchedule =
  { kind: "NRT" } | { kind: "Scheduled"; queryFrequency: string; queryPeriod: string; frequencyMinutes: number };

export function sentinelSchedule(key: AlertRuleKey, monitoring: MonitoringConfig): SentinelSchedule {
  if (isTripwire(key)) {
    if (monitoring.sentinel.nearRealTime) return { kind: "NRT" };
    return {
      kind: "Scheduled",
      queryFrequency: SENTINEL_TRIPWIRE.scheduledFrequency,
      queryPeriod: SENTINEL_TRIPWIRE.minPeriod,
      frequencyMinutes: durationSeconds(SENTINEL_TRIPWIRE.scheduledFrequency)! / 60,
    };
  }
  const log = ALERT_RULE_SCHEDULES[key];
  const fastest = durationSeconds(SENTINEL_TRIPWIRE.scheduledFrequency)!;
  const frequency = Math.max(durationSeconds(log.evaluationFrequency)!, fastest);
  const queryFrequency = frequency === durationSeconds(log.evaluationFrequency) ? log.evaluationFrequency : "PT5M";
  return { kind: "Scheduled", queryFrequency, queryPeriod: log.windowSize, frequencyMinutes: frequency / 60 };
}

/**
 * The query a rule runs in Sentinel: the log alert's own definition. The tripwires' is the canonical query as is; the
 * AuditLogs rules' "ingested since the last run" span also covers the scheduled rules' built-in delay (see the top).
 */
export function sentinelQuery(
  key: AlertRuleKey,
  breakglass: BreakglassPrincipals,
  monitoring: MonitoringConfig,
  exceptions: readonly StandingException[],
): string {
  const schedule = sentinelSchedule(key, monitoring);
  if (isTripwire(key) || key === "routineJitUse")
    return ALERT_RULE_SCHEDULES[key].query(breakglass, monitoring, exceptions);
  const minutes = schedule.kind === "Scheduled" ? schedule.frequencyMinutes + SCHEDULED_DELAY_MINUTES : 1;
  return renderKql(sentinelAuditDefinition(key, breakglass, exceptions, minutes));
}

/** The AuditLogs definitions take the span their "ingested since" filter covers; the log alert passes its frequency. */
function sentinelAuditDefinition(
  key: AlertRuleKey,
  breakglass: BreakglassPrincipals,
  exceptions: readonly StandingException[],
  minutes: number,
): KqlQuery {
  if (key === "breakglassAccountChanged") return breakglassAccountChangedDefinition(breakglass, minutes);
  if (key === "roleAssignedOutsidePim") return roleAssignedOutsidePimDefinition(breakglass, minutes, exceptions);
  throw new Error(`sentinelAuditDefinition: ${key} is not an AuditLogs rule with an ingestion filter`);
}

/** The incident every rule raises: one per account and outcome (the log alerts' split), never suppressed. */
export function sentinelIncidentConfiguration(key: AlertRuleKey): IncidentConfiguration {
  if (!isTripwire(key)) return { createIncident: true };
  return {
    createIncident: true,
    groupingConfiguration: {
      enabled: true,
      reopenClosedIncident: false,
      lookbackDuration: "PT1H",
      matchingMethod: "Selected",
      groupByEntities: ["Account"],
      groupByCustomDetails: ["Outcome"],
    },
  };
}

/** The sign-in tripwires map the account (Entra object id and UPN) and carry the outcome as a custom detail. */
function entityMappings(key: AlertRuleKey) {
  if (!isTripwire(key)) return [];
  return [
    {
      entityType: "Account",
      fieldMappings: [
        { identifier: "AadUserId", columnName: "UserId" },
        { identifier: "FullName", columnName: "UserPrincipalName" },
      ],
    },
  ];
}

function customDetails(key: AlertRuleKey): Record<string, string> {
  return isTripwire(key) ? { Outcome: "Outcome", IPAddress: "IPAddress", AppDisplayName: "AppDisplayName" } : {};
}

export function runbookReference(monitoring: MonitoringConfig): string {
  return monitoring.sentinel.runbookUrl ?? DEFAULT_RUNBOOK_REFERENCE;
}

/** What every rule of `key` says and does in Sentinel, whatever its kind (the NRT resource's property bag). */
export function sentinelRuleProperties(
  key: AlertRuleKey,
  query: string,
  monitoring: MonitoringConfig,
): SentinelNrtRuleProperties {
  const identity = ALERT_RULES[key];
  return {
    displayName: identity.displayName,
    description: `entra-baseline: ${identity.displayName}. Reads ${identity.table}; the Azure Monitor log alert ${identity.ruleName} is the same query. Runbook: ${runbookReference(monitoring)}.`,
    severity: isTripwire(key) ? SENTINEL_TRIPWIRE.severity : sentinelSeverity(monitoring.severities[key]),
    enabled: true,
    query,
    // Suppression would stop the rule after its first alert: a second account's sign-in would raise nothing.
    suppressionEnabled: false,
    suppressionDuration: "PT1H",
    tactics: ATTACK[key].tactics,
    techniques: ATTACK[key].techniques,
    incidentConfiguration: sentinelIncidentConfiguration(key),
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    entityMappings: entityMappings(key),
    customDetails: customDetails(key),
  };
}

/** The watchlist's content: a header and one row per account, UPN and object id (the search key). */
export function watchlistCsv(breakglass: Pick<BreakglassPrincipals, "userPrincipalNames" | "objectIds">): string {
  const { upn, objectId } = SENTINEL_WATCHLIST.columns;
  const rows = breakglass.userPrincipalNames.map((u, i) => `${u},${breakglass.objectIds[i] ?? ""}`);
  return [`${upn},${objectId}`, ...rows].join("\n") + "\n";
}

/** `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>` → rg, name. */
export function workspaceRef(resourceId: string): { resourceGroupName: string; workspaceName: string } {
  const m =
    /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/*$/i.exec(
      resourceId.trim(),
    );
  if (!m) throw new Error(`${resourceId} is not a Log Analytics workspace resource id`);
  return { resourceGroupName: m[1]!, workspaceName: m[2]! };
}

export interface SentinelArgs {
  monitoring: MonitoringConfig;
  exceptions: readonly StandingException[];
  /** ARM id of the workspace (created here, or monitoring.existingWorkspaceId): waits for it. */
  workspaceId: pulumi.Output<string>;
  breakglass: pulumi.Output<BreakglassPrincipals>;
  /** Where the NRT rules are written: the stack's cloud and tenant. */
  connection: ArmConnection;
  /** The Entra diagnostic setting: the rules read the tables it creates. */
  dependsOn: pulumi.Resource[];
}

export interface Sentinel {
  onboarding?: securityinsights.SentinelOnboardingState;
  rules: Record<AlertRuleKey, SentinelNrtRule | securityinsights.ScheduledAlertRule>;
  watchlist: securityinsights.Watchlist;
  automationRule: securityinsights.AutomationRule;
  /** Every rule's ARM id, by key. */
  ruleIds: pulumi.Output<Record<AlertRuleKey, string>>;
}

export function declareSentinel(name: string, args: SentinelArgs, parent: pulumi.Resource): Sentinel {
  const { monitoring } = args;
  const ref = monitoring.existingWorkspaceId
    ? workspaceRef(monitoring.existingWorkspaceId)
    : { resourceGroupName: monitoring.resourceGroupName, workspaceName: monitoring.workspaceName };
  // Carried through the workspace's id, so that everything here waits for the workspace to exist.
  const workspaceName = args.workspaceId.apply(() => ref.workspaceName);
  const resourceGroupName = ref.resourceGroupName;

  const onboarding = monitoring.sentinel.onboard
    ? new securityinsights.SentinelOnboardingState(
        `${name}-sentinel-onboarding`,
        { resourceGroupName, workspaceName, sentinelOnboardingStateName: "default" },
        { parent, retainOnDelete: true },
      )
    : undefined;
  const after = { parent, dependsOn: [...args.dependsOn, ...(onboarding ? [onboarding] : [])] };

  const rules = {} as Sentinel["rules"];
  for (const key of ALERT_RULE_KEYS) {
    const schedule = sentinelSchedule(key, monitoring);
    const query = args.breakglass.apply((bg) => sentinelQuery(key, bg, monitoring, args.exceptions));
    const resourceName = `${name}-sentinel-${ALERT_RULES[key].ruleName}`;
    const properties = sentinelRuleProperties(key, "", monitoring);
    if (schedule.kind === "NRT") {
      rules[key] = new SentinelNrtRule(
        resourceName,
        {
          ...properties,
          query,
          ...args.connection,
          workspaceId: args.workspaceId,
          ruleId: SENTINEL_ALERT_RULE_IDS[key],
        },
        after,
      );
    } else {
      rules[key] = new securityinsights.ScheduledAlertRule(
        resourceName,
        {
          ...properties,
          query,
          kind: "Scheduled",
          resourceGroupName,
          workspaceName,
          ruleId: SENTINEL_ALERT_RULE_IDS[key],
          queryFrequency: schedule.queryFrequency,
          queryPeriod: schedule.queryPeriod,
          // The ARM spec value (TriggerOperator enum); fire on the first row.
          triggerOperator: "GreaterThan",
          triggerThreshold: 0,
        },
        after,
      );
    }
  }

  const watchlist = new securityinsights.Watchlist(
    `${name}-sentinel-breakglass-watchlist`,
    {
      resourceGroupName,
      workspaceName,
      watchlistAlias: SENTINEL_WATCHLIST.alias,
      displayName: SENTINEL_WATCHLIST.displayName,
      description:
        "entra-baseline: the emergency access accounts. Any sign-in by one is a Sev 0 incident until proven planned.",
      provider: "entra-baseline",
      source: "breakglass-accounts.csv",
      sourceType: "Local",
      contentType: "text/csv",
      numberOfLinesToSkip: 0,
      itemsSearchKey: SENTINEL_WATCHLIST.searchKey,
      rawContent: args.breakglass.apply(watchlistCsv),
    },
    { parent, dependsOn: onboarding ? [onboarding] : [] },
  );

  const ruleIds = pulumi.all(Object.fromEntries(ALERT_RULE_KEYS.map((key) => [key, rules[key].id]))) as pulumi.Output<
    Record<AlertRuleKey, string>
  >;
  const runbook = runbookReference(monitoring);
  const automationRule = new securityinsights.AutomationRule(
    `${name}-sentinel-runbook-automation`,
    {
      resourceGroupName,
      workspaceName,
      automationRuleId: SENTINEL_AUTOMATION_RULE_ID,
      displayName: "entra-baseline: runbook on every baseline incident",
      order: 1,
      triggeringLogic: {
        isEnabled: true,
        triggersOn: "Incidents",
        triggersWhen: "Created",
        conditions: [
          {
            conditionType: "Property",
            conditionProperties: {
              propertyName: "IncidentRelatedAnalyticRuleIds",
              operator: "Contains",
              propertyValues: ruleIds.apply((ids) => ALERT_RULE_KEYS.map((key) => ids[key])),
            },
          },
        ],
      },
      actions: [
        {
          order: 1,
          actionType: "AddIncidentTask",
          actionConfiguration: {
            title: "Follow the entra-baseline runbook",
            description: `Runbook: ${runbook}. A breakglass sign-in is a Sev 0 incident until proven planned; confirm with the account's custodians, then record the outcome on the drill or incident ticket.`,
          },
        },
        ...monitoring.sentinel.playbooks.map((logicAppResourceId, i) => ({
          order: i + 2,
          actionType: "RunPlaybook" as const,
          actionConfiguration: { logicAppResourceId, tenantId: args.connection.tenantId },
        })),
      ],
    },
    { parent, dependsOn: onboarding ? [onboarding] : [] },
  );

  return { ...(onboarding ? { onboarding } : {}), rules, watchlist, automationRule, ruleIds };
}
