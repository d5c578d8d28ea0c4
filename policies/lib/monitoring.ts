/**
 * The stack's logging and alerting as the model's facts (src/model/logging.ts, src/model/tripwire.ts): Entra
 * diagnostic settings, workspaces (with their tables and transformation rules), scheduled query rules and action
 * groups. ARM ids are known after deployment and unknown at preview; a declared resource is therefore keyed by its
 * URN, and an id in a property is resolved to the declared resource it names (or came from) when there is one.
 */
import type { PolicyResource } from "@pulumi/policy";
import type {
  ActionGroupFacts,
  DiagnosticSettingFacts,
  LoggingFacts,
  SentinelRuleFacts,
  TripwireRuleFacts,
  WorkspaceFacts,
} from "@entra-baseline/model";
import { dynamicTypeToken, providerTypes } from "@entra-baseline/model";
import type { BreakglassAccountRef } from "@entra-baseline/model";
import { objectIdOf, type BreakglassView } from "./breakglass";
import { PRINCIPAL_RESOURCE_TYPES } from "./principals";
import { dependenciesOf, type StackIndex } from "./stack";
import {
  UNKNOWN,
  containsUnknown,
  isUnknown,
  raw,
  read,
  readArray,
  readBoolean,
  readNumber,
  readString,
} from "./values";

const TABLE_TYPE = "azure-native:operationalinsights:Table";
const DCR_TYPE = "azure-native:monitor:DataCollectionRule";

/** The ARM resource type (`Microsoft.OperationalInsights/workspaces`) of each declared type whose id a property names. */
const ARM_TYPES: Readonly<Record<string, string>> = {
  [providerTypes.workspace]: "microsoft.operationalinsights/workspaces",
  [providerTypes.actionGroup]: "microsoft.insights/actiongroups",
  [DCR_TYPE]: "microsoft.insights/datacollectionrules",
};

/**
 * The declared resource of `type` an ARM id names: the same resource type and name, and the same resource group when
 * the declaration says which (ARM compares all three case-insensitively). A workspace of the same name in another
 * resource group, or another kind of resource of that name, is not it.
 */
function declaredById(index: StackIndex, type: string, nameProperty: string, id: string): PolicyResource | undefined {
  const m = /\/resourcegroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/([^/]+)\/*$/i.exec(id.trim());
  if (!m || m[2]!.toLowerCase() !== ARM_TYPES[type]) return undefined;
  const [group, name] = [m[1]!.toLowerCase(), m[3]!.toLowerCase()];
  return index.of(type).find((r) => {
    const declared = readString(r.props, nameProperty) ?? readString(r.props, "name");
    const rg = readString(r.props, "resourceGroupName");
    return (
      typeof declared === "string" &&
      declared.toLowerCase() === name &&
      (typeof rg !== "string" || rg.toLowerCase() === group)
    );
  });
}

/**
 * Keys of the resources of `type` that `r.props[property]` names: declared ones by their index key (see
 * StackIndex.keyOf), others by their id, lower-case. Unknown ids are the declared resources they came from; an
 * unknown without such a source leaves the list incomplete.
 */
function keysAt(
  r: PolicyResource,
  property: string,
  value: unknown,
  index: StackIndex,
  type: string,
  nameProperty: string,
): { keys: string[]; complete: boolean } {
  const values = value === UNKNOWN ? [UNKNOWN] : Array.isArray(value) ? value : value === undefined ? [] : [value];
  const keys: string[] = [];
  let complete = true;
  const deps = dependenciesOf(r, property, type);
  let unknowns = 0;
  for (const v of values) {
    if (isUnknown(v)) unknowns++;
    else if (typeof v === "string" && v.trim() !== "") {
      const declared = declaredById(index, type, nameProperty, v);
      keys.push(declared ? index.keyOf(declared) : v.trim().toLowerCase());
    }
  }
  if (unknowns > 0) {
    if (deps.length === 0) complete = false;
    keys.push(...deps.map((d) => index.keyOf(d)));
  }
  return { keys: [...new Set(keys)], complete };
}

export function stackLogging(index: StackIndex): LoggingFacts {
  const settings: DiagnosticSettingFacts[] = index.of(providerTypes.diagnosticSetting).map((s) => {
    const logs = readArray(s.props, "logs");
    const categories =
      logs === UNKNOWN || logs === undefined
        ? []
        : logs
            .filter((l) => readBoolean(l, "enabled") === true)
            .map((l) => readString(l, "category"))
            .filter((c): c is string => typeof c === "string");
    const workspace = keysAt(
      s,
      "workspaceId",
      read(s.props, "workspaceId"),
      index,
      providerTypes.workspace,
      "workspaceName",
    );
    const name = readString(s.props, "name");
    return {
      name: typeof name === "string" ? name : s.name,
      workspace: workspace.keys[0],
      categories,
      complete: logs !== UNKNOWN && workspace.complete && !containsUnknown(logs),
      elsewhere: ["storageAccountId", "eventHubAuthorizationRuleId"].some(
        (k) => typeof readString(s.props, k) === "string",
      ),
    };
  });
  const workspaces: WorkspaceFacts[] = index.of(providerTypes.workspace).map((w) => {
    const tables = index
      .of(TABLE_TYPE)
      .filter(
        (t) =>
          dependenciesOf(t, "workspaceName", providerTypes.workspace).some((d) => d.urn === w.urn) ||
          readString(t.props, "workspaceName") === readString(w.props, "workspaceName"),
      )
      .map((t) => {
        const retention = readNumber(t.props, "retentionInDays");
        return {
          name: String(readString(t.props, "tableName") ?? t.name),
          ...(typeof retention === "number" ? { retentionInDays: retention } : {}),
        };
      });
    const dcrId = read(w.props, "defaultDataCollectionRuleResourceId");
    const dcrs =
      typeof dcrId === "string" || dcrId === UNKNOWN
        ? keysAt(w, "defaultDataCollectionRuleResourceId", dcrId, index, DCR_TYPE, "dataCollectionRuleName")
        : { keys: [], complete: true };
    const declared = dcrs.keys.map((k) => index.byKey(k)).filter((d): d is PolicyResource => d !== undefined);
    const transformedTables = declared.flatMap((dcr) =>
      ((readArray(dcr.props, "dataFlows") ?? []) as unknown[]).flatMap((flow) => {
        const streams = readArray(flow, "streams");
        const kql = readString(flow, "transformKql");
        if (!Array.isArray(streams) || kql === undefined || kql === "source") return [];
        return streams
          .filter((x): x is string => typeof x === "string")
          .map((x) => x.replace(/^Microsoft-Table-/i, ""));
      }),
    );
    const retention = readNumber(w.props, "retentionInDays");
    const cap = readNumber(raw(w.props), "workspaceCapping", "dailyQuotaGb");
    return {
      key: index.keyOf(w),
      name: String(readString(w.props, "workspaceName") ?? w.name),
      retentionInDays: typeof retention === "number" ? retention : undefined,
      dailyQuotaGb: typeof cap === "number" ? cap : cap === UNKNOWN ? 0 : undefined,
      tables,
      transformedTables,
      transformationsUnknown: !dcrs.complete || declared.length < dcrs.keys.length,
    };
  });
  const dup = (names: (string | undefined)[]) => [
    ...new Set(names.filter((n, i) => n !== undefined && names.indexOf(n) !== i) as string[]),
  ];
  return {
    settings,
    workspaces,
    duplicateSettings: dup(settings.map((s) => s.name.toLowerCase())),
    duplicateWorkspaces: dup(
      index.of(providerTypes.workspace).map((w) => {
        const name = readString(w.props, "workspaceName");
        const rg = readString(w.props, "resourceGroupName");
        return typeof name === "string"
          ? `${typeof rg === "string" ? rg.toLowerCase() : "?"}/${name.toLowerCase()}`
          : undefined;
      }),
    ),
  };
}

function receiverCount(ag: PolicyResource): number {
  return [
    "emailReceivers",
    "smsReceivers",
    "webhookReceivers",
    "logicAppReceivers",
    "voiceReceivers",
    "azureAppPushReceivers",
    "armRoleReceivers",
    "itsmReceivers",
    "eventHubReceivers",
    "azureFunctionReceivers",
    "automationRunbookReceivers",
  ]
    .map((k) => readArray(ag.props, k))
    .reduce<number>((n, list) => n + (list === UNKNOWN ? 1 : (list?.length ?? 0)), 0);
}

/** A scheduled query rule as tripwire facts. `fromAccounts` says whether an unknown query came from the emergency accounts alone. */
export function tripwireFacts(
  rule: PolicyResource,
  index: StackIndex,
  fromAccounts: (sources: PolicyResource[]) => boolean,
): TripwireRuleFacts {
  const p = rule.props;
  const allOf = readArray(p, "criteria", "allOf");
  const conditions =
    allOf === UNKNOWN || allOf === undefined
      ? []
      : allOf.map((c) => (c === UNKNOWN ? {} : (raw(c) as Record<string, unknown>)));
  const query = readString(p, "criteria", "allOf", 0, "query");
  const scopes = keysAt(rule, "scopes", read(p, "scopes"), index, providerTypes.workspace, "workspaceName");
  const groups = read(p, "actions", "actionGroups");
  const groupKeys = keysAt(
    rule,
    "actions",
    groups === UNKNOWN ? UNKNOWN : groups,
    index,
    providerTypes.actionGroup,
    "actionGroupName",
  );
  const actionGroups: ActionGroupFacts[] = groupKeys.keys.map((key) => {
    const ag = index.byKey(key);
    return ag
      ? { key, known: true, enabled: readBoolean(ag.props, "enabled"), receivers: receiverCount(ag) }
      : { key, known: false };
  });
  const value = (v: unknown) => (v === UNKNOWN ? "(unknown at preview)" : v);
  return {
    name: String(readString(p, "ruleName") ?? readString(p, "name") ?? rule.name),
    ...(typeof readString(p, "displayName") === "string"
      ? { displayName: readString(p, "displayName") as string }
      : {}),
    enabled: value(read(p, "enabled")),
    severity: value(read(p, "severity")),
    kind: value(read(p, "kind")),
    evaluationFrequency: value(read(p, "evaluationFrequency")),
    windowSize: value(read(p, "windowSize")),
    overrideQueryTimeRange: value(read(p, "overrideQueryTimeRange")),
    muteActionsDuration: value(read(p, "muteActionsDuration")),
    query: typeof query === "string" ? query : undefined,
    queryFromAccounts: query === UNKNOWN && fromAccounts(dependenciesOf(rule, "criteria")),
    conditions:
      allOf === UNKNOWN ? [{ operator: "(unknown at preview)" }] : conditions.map((c) => ({ ...c, query: undefined })),
    scopes: scopes.complete ? scopes.keys : [...scopes.keys, "(unknown at preview)"],
    actionGroups,
  };
}

/** The Sentinel analytics rules of the stack: NRT rules (dynamic resources) and scheduled rules. */
export const SENTINEL_RULE_TYPES = [dynamicTypeToken("sentinelNrtAlertRule"), providerTypes.sentinelScheduledAlertRule];

/**
 * The workspace a scheduled Sentinel rule is in, from its `workspaceName` and `resourceGroupName`: the declared
 * workspace of that name (or the one its name came from), else the ARM id among `known` that ends in that group and
 * name (an existing workspace the diagnostic setting names), else the group/name itself.
 */
function sentinelWorkspaceKey(rule: PolicyResource, index: StackIndex, known: readonly string[]): string | undefined {
  const name = readString(rule.props, "workspaceName");
  const rg = readString(rule.props, "resourceGroupName");
  if (name === UNKNOWN) {
    const deps = dependenciesOf(rule, "workspaceName", providerTypes.workspace);
    return deps.length === 1 ? index.keyOf(deps[0]!) : undefined;
  }
  if (typeof name !== "string" || typeof rg !== "string") return undefined;
  const declared = index
    .of(providerTypes.workspace)
    .find(
      (w) =>
        String(readString(w.props, "workspaceName")).toLowerCase() === name.toLowerCase() &&
        String(readString(w.props, "resourceGroupName")).toLowerCase() === rg.toLowerCase(),
    );
  if (declared) return index.keyOf(declared);
  const suffix = `/resourcegroups/${rg}/providers/microsoft.operationalinsights/workspaces/${name}`.toLowerCase();
  return known.find((k) => k.toLowerCase().endsWith(suffix)) ?? suffix;
}

/**
 * A Sentinel analytics rule as the model's facts. An NRT rule's kind is its resource type (the provider writes
 * `kind: "NRT"`); its workspace is the `workspaceId` it names. `fromAccounts` says whether an unknown query came from
 * the emergency accounts alone; `workspaces` are the keys the diagnostic settings send to.
 */
export function sentinelRuleFacts(
  rule: PolicyResource,
  index: StackIndex,
  fromAccounts: (sources: PolicyResource[]) => boolean,
  workspaces: readonly string[],
): SentinelRuleFacts {
  const p = rule.props;
  const nrt = rule.type === dynamicTypeToken("sentinelNrtAlertRule");
  const value = (v: unknown) => (v === UNKNOWN ? "(unknown at preview)" : v);
  const query = readString(p, "query");
  const workspace = nrt
    ? keysAt(rule, "workspaceId", read(p, "workspaceId"), index, providerTypes.workspace, "workspaceName").keys[0]
    : sentinelWorkspaceKey(rule, index, workspaces);
  const displayName = readString(p, "displayName");
  return {
    name: String(readString(p, "ruleId") ?? rule.name),
    ...(typeof displayName === "string" ? { displayName } : {}),
    kind: nrt ? "NRT" : value(read(p, "kind")),
    enabled: value(read(p, "enabled")),
    severity: value(read(p, "severity")),
    query: typeof query === "string" ? query : undefined,
    queryFromAccounts: query === UNKNOWN && fromAccounts(dependenciesOf(rule, "query")),
    queryFrequency: value(read(p, "queryFrequency")),
    queryPeriod: value(read(p, "queryPeriod")),
    triggerOperator: value(read(p, "triggerOperator")),
    triggerThreshold: value(read(p, "triggerThreshold")),
    suppressionEnabled: value(read(p, "suppressionEnabled")),
    createIncident: value(read(p, "incidentConfiguration", "createIncident")),
    workspace,
  };
}

/**
 * The emergency accounts a tripwire must name, as far as the stack knows them (UPN and object id), and whether the
 * sources of an unknown query are the accounts alone: every emergency account, and no other principal.
 */
export function tripwireAccounts(view: BreakglassView): {
  known: BreakglassAccountRef[];
  fromAccounts: (sources: { urn: string; type: string }[]) => boolean;
} {
  const known: BreakglassAccountRef[] = [];
  for (const u of view.users) {
    const id = objectIdOf(u);
    if (typeof id === "string") known.push({ upn: String(readString(u.props, "userPrincipalName")), objectId: id });
  }
  const accountUrns = new Set(view.users.map((u) => u.urn));
  const fromAccounts = (sources: { urn: string; type: string }[]) => {
    const principals = sources.filter((s) => PRINCIPAL_RESOURCE_TYPES[s.type] !== undefined);
    return (
      view.users.length > 0 && principals.length === accountUrns.size && principals.every((s) => accountUrns.has(s.urn))
    );
  };
  return { known, fromAccounts };
}
