/**
 * A Microsoft Sentinel near-real-time (NRT) analytics rule, as a dynamic resource over the ARM API: azure-native
 * 3.28 declares only Scheduled, Fusion and Microsoft-security rules (`NrtAlertRule` exists there only as an alias of
 * preview versions), and NRT is a kind of the preview API versions only (src/model/sentinel.ts).
 *
 * - create/update: `PUT {workspace}/providers/Microsoft.SecurityInsights/alertRules/{ruleId}` with
 *   `{ kind: "NRT", properties }` (ARM's create-or-update), then a read-back that must show the rule enabled, with
 *   our severity, suppression, incident setting and — token for token — our query.
 * - read: the live rule (absent → the resource is gone), so that `pulumi refresh` shows a rule someone changed.
 * - delete: deletes the rule (404 is fine). It is a detector in addition to the log-alert tripwire, which stays.
 *
 * Like every dynamic provider here it captures nothing: where it acts (the ARM host and login authority of the stack's
 * cloud, and the tenant) are props (`ArmConnection`), never a default; the client and the credential chain
 * (DefaultAzureCredential) are built inside each method.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GraphClient } from "../../graph/client";
import { GraphError } from "../../graph/client";
import {
  armClientFor,
  armConnectionOf,
  type ArmConnection,
  diffProps,
  during,
  expectObject,
  isNotFound,
  notPersisted,
} from "../../graph/dynamicProvider";
import { normalizedQuery, SENTINEL_NRT_API_VERSION, type SentinelSeverity } from "@entra-baseline/model";

export interface EntityMapping {
  entityType: string;
  fieldMappings: { identifier: string; columnName: string }[];
}

export interface IncidentConfiguration {
  createIncident: boolean;
  groupingConfiguration?: {
    enabled: boolean;
    reopenClosedIncident: boolean;
    lookbackDuration: string;
    matchingMethod: "AllEntities" | "AnyAlert" | "Selected";
    groupByEntities?: string[];
    groupByAlertDetails?: string[];
    groupByCustomDetails?: string[];
  };
}

/** The NRT rule's property bag as the 2024-10-01-preview spec names it (NrtAlertRuleProperties). */
export interface SentinelNrtRuleProperties {
  displayName: string;
  description: string;
  severity: SentinelSeverity;
  enabled: boolean;
  query: string;
  suppressionEnabled: boolean;
  suppressionDuration: string;
  tactics: string[];
  techniques: string[];
  incidentConfiguration: IncidentConfiguration;
  eventGroupingSettings: { aggregationKind: "SingleAlert" | "AlertPerResult" };
  entityMappings: EntityMapping[];
  customDetails: Record<string, string>;
  alertDetailsOverride?: { alertDisplayNameFormat?: string; alertDescriptionFormat?: string };
}

export interface SentinelNrtRuleProps extends SentinelNrtRuleProperties, ArmConnection {
  /** ARM resource id of the Log Analytics workspace onboarded to Sentinel. */
  workspaceId: string;
  /** The rule id (its resource name): src/model/sentinel.ts SENTINEL_ALERT_RULE_IDS. */
  ruleId: string;
}

export type SentinelNrtRuleArgs = { [K in keyof SentinelNrtRuleProps]: pulumi.Input<SentinelNrtRuleProps[K]> };

/** The rule's ARM id (the dynamic resource's id). */
export function nrtRuleId(workspaceId: string, ruleId: string): string {
  return `${workspaceId.replace(/\/+$/, "")}/providers/Microsoft.SecurityInsights/alertRules/${encodeURIComponent(ruleId)}`;
}

const RESOURCE = "SentinelNrtAlertRule";

function withVersion(id: string): string {
  return `${id}?api-version=${SENTINEL_NRT_API_VERSION}`;
}

/** The PUT body: what this resource owns. */
export function nrtRuleBody(props: SentinelNrtRuleProps): { kind: "NRT"; properties: SentinelNrtRuleProperties } {
  const {
    armEndpoint: _arm,
    loginEndpoint: _login,
    tenantId: _tenant,
    workspaceId: _ws,
    ruleId: _id,
    ...properties
  } = props;
  return { kind: "NRT", properties };
}

/** ARM's 401/403 name no Graph permission: say which Azure role writes Sentinel rules. */
function armDenied(error: unknown): unknown {
  if (!(error instanceof GraphError) || (error.status !== 401 && error.status !== 403) || error.method === "AUTH")
    return error;
  const detail = error.message.replace(/ (The deploying identity needs|Check the identity's Graph permissions).*$/, "");
  return new GraphError(
    `${detail} Writing Sentinel analytics rules needs the Azure role Microsoft Sentinel Contributor on the workspace or its resource group.`,
    error.status,
    error.method,
    error.path,
    error.code,
  );
}

async function getRule(client: GraphClient, id: string): Promise<Record<string, unknown> | undefined> {
  let answer: unknown;
  try {
    answer = await client.get<unknown>(withVersion(id));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw armDenied(e);
  }
  return expectObject(answer, `GET ${id}`);
}

function propertiesOf(live: Record<string, unknown>): Record<string, unknown> {
  const p = live.properties;
  return typeof p === "object" && p !== null && !Array.isArray(p) ? (p as Record<string, unknown>) : {};
}

/** What must hold after a write; the rest (grouping, mappings) the service may complete with defaults. */
function unpersisted(props: SentinelNrtRuleProps, live: Record<string, unknown> | undefined): string[] {
  if (!live) return ["(the rule)"];
  const p = propertiesOf(live);
  const incident = (p.incidentConfiguration ?? {}) as Record<string, unknown>;
  const wrong: string[] = [];
  if (live.kind !== "NRT") wrong.push("kind");
  if (p.enabled !== props.enabled) wrong.push("enabled");
  if (p.severity !== props.severity) wrong.push("severity");
  if (p.suppressionEnabled !== props.suppressionEnabled) wrong.push("suppressionEnabled");
  if (incident.createIncident !== props.incidentConfiguration.createIncident)
    wrong.push("incidentConfiguration.createIncident");
  if (typeof p.query !== "string" || normalizedQuery(p.query) !== normalizedQuery(props.query)) wrong.push("query");
  return wrong;
}

async function putRule(props: SentinelNrtRuleProps): Promise<string> {
  const client = armClientFor(props, RESOURCE);
  const id = nrtRuleId(props.workspaceId, props.ruleId);
  const what = `Sentinel NRT rule ${props.ruleId} (${props.displayName})`;
  const answer = await during(what, "writing", async () => {
    try {
      return await client.put<unknown>(withVersion(id), nrtRuleBody(props));
    } catch (e) {
      throw armDenied(e);
    }
  });
  expectObject(answer, `PUT ${id}`);
  const live = await during(what, "reading it back", () => getRule(client, id));
  const wrong = unpersisted(props, live);
  if (wrong.length > 0) throw notPersisted(what, wrong);
  return id;
}

export const sentinelNrtRuleProvider: pulumi.dynamic.ResourceProvider<SentinelNrtRuleProps, SentinelNrtRuleProps> = {
  async diff(_id, olds, news) {
    return diffProps(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, {
      replaceOn: ["workspaceId", "ruleId"],
    });
  },
  async create(inputs) {
    return { id: await putRule(inputs), outs: inputs };
  },
  async update(_id, _olds, news) {
    await putRule(news);
    return { outs: news };
  },
  async read(id, props) {
    // The connection comes from the props (an import without them is refused by armClientFor: no default cloud).
    const [workspaceId, ruleId] = id.split(/\/providers\/Microsoft\.SecurityInsights\/alertRules\//i);
    const connection = armConnectionOf(RESOURCE, props);
    const live = await getRule(armClientFor(connection, RESOURCE), id);
    if (!live) return {};
    const p = propertiesOf(live);
    const read = <K extends keyof SentinelNrtRuleProperties>(key: K): SentinelNrtRuleProperties[K] =>
      (p[key] ?? props?.[key]) as SentinelNrtRuleProperties[K];
    return {
      id,
      props: {
        ...connection,
        workspaceId: props?.workspaceId ?? workspaceId ?? "",
        ruleId: props?.ruleId ?? decodeURIComponent(ruleId ?? ""),
        displayName: read("displayName"),
        description: read("description"),
        severity: read("severity"),
        enabled: read("enabled"),
        query: read("query"),
        suppressionEnabled: read("suppressionEnabled"),
        suppressionDuration: read("suppressionDuration"),
        tactics: read("tactics"),
        techniques: read("techniques"),
        incidentConfiguration: read("incidentConfiguration"),
        eventGroupingSettings: read("eventGroupingSettings"),
        entityMappings: read("entityMappings"),
        customDetails: read("customDetails"),
        ...(p.alertDetailsOverride || props?.alertDetailsOverride
          ? { alertDetailsOverride: read("alertDetailsOverride") }
          : {}),
      },
    };
  },
  async delete(id, props) {
    const client = armClientFor(props, RESOURCE);
    await during(`Sentinel NRT rule ${props.ruleId}`, "deleting", async () => {
      try {
        await client.delete(withVersion(id));
      } catch (e) {
        if (!isNotFound(e)) throw armDenied(e);
      }
    });
  },
};
