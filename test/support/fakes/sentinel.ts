/**
 * Microsoft Sentinel's analytics rules on a loopback ARM (a FakeGraph on its own origin), in the documented shapes of
 * Azure/azure-rest-api-specs specification/securityinsights …/preview/2024-10-01-preview/AlertRules.json and its
 * examples (CreateNrtAlertRule.json, GetAllAlertRules.json):
 * - `PUT {workspace}/providers/Microsoft.SecurityInsights/alertRules/{ruleId}?api-version=…` with `{ kind, properties }`
 *   answers 201 (created) or 200 (updated) with `{ id, name, type, kind, etag, properties }`, the properties as sent
 *   plus `lastModifiedUtc` and `alertRuleTemplateName: null`;
 * - `GET …/alertRules/{ruleId}` the rule (404 `NotFound` when absent); `GET …/alertRules` `{ value: [...] }`;
 *   `DELETE …/alertRules/{ruleId}` 200, or 204 when there was none.
 * It answers 400 to an NRT rule written with a version that does not know the kind (the stable versions' kind enum is
 * Scheduled, Fusion, MicrosoftSecurityIncidentCreation), and to a body without the NRT properties the spec requires.
 */
import type { FakeGraph, FakeRequest, FakeResponse } from "./graphServer";
import { graphError } from "./graphServer";

type Json = Record<string, any>;

export const SENTINEL_RULE_ROUTE =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+)\/providers\/Microsoft\.SecurityInsights\/alertRules\/([^/]+)$/i;
const LIST_PATH =
  /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+)\/providers\/Microsoft\.SecurityInsights\/alertRules$/i;

/** Versions whose AlertRule kind enum has NRT (preview), as far as this fake knows. */
const NRT_VERSIONS = /-preview$/;
const NRT_REQUIRED = ["displayName", "enabled", "query", "severity", "suppressionDuration", "suppressionEnabled"];

export class FakeSentinel {
  /** Rules by lower-case ARM id. */
  readonly rules = new Map<string, Json>();
  /** Properties the service drops from the next PUT's stored rule (a write acknowledged but not persisted). */
  dropOnPut: string[] | undefined;

  install(arm: FakeGraph): this {
    arm.route("PUT", SENTINEL_RULE_ROUTE, (req) => this.put(req));
    arm.route("GET", SENTINEL_RULE_ROUTE, (req) => this.get(req));
    arm.route("DELETE", SENTINEL_RULE_ROUTE, (req) => this.delete(req));
    arm.route("GET", LIST_PATH, (req) => this.list(req));
    return this;
  }

  /** Seeds a rule (as another writer, e.g. the portal, left it). */
  seed(workspaceId: string, ruleId: string, rule: { kind: string; properties: Json }): Json {
    const stored = this.stored(workspaceId, ruleId, rule.kind, rule.properties);
    this.rules.set(stored.id.toLowerCase(), stored);
    return stored;
  }

  private stored(workspaceId: string, ruleId: string, kind: string, properties: Json): Json {
    return {
      id: `${workspaceId}/providers/Microsoft.SecurityInsights/alertRules/${ruleId}`,
      name: ruleId,
      type: "Microsoft.SecurityInsights/alertRules",
      kind,
      etag: `"${(this.rules.size + 1).toString(16).padStart(8, "0")}-0000-0000-0000-000000000000"`,
      properties: { alertRuleTemplateName: null, ...properties, lastModifiedUtc: "2026-12-01T10:00:00Z" },
    };
  }

  private version(req: FakeRequest): string | FakeResponse {
    const version = req.url.searchParams.get("api-version");
    if (!version)
      return {
        status: 400,
        body: graphError("MissingApiVersionParameter", "The api-version query parameter is required"),
      };
    return version;
  }

  private put(req: FakeRequest): FakeResponse {
    const version = this.version(req);
    if (typeof version !== "string") return version;
    const [, workspaceId, ruleId] = SENTINEL_RULE_ROUTE.exec(req.url.pathname)!;
    const body = (req.body ?? {}) as Json;
    if (typeof body.kind !== "string" || typeof body.properties !== "object" || body.properties === null)
      return { status: 400, body: graphError("BadRequest", "The request body needs kind and properties") };
    if (body.kind === "NRT") {
      if (!NRT_VERSIONS.test(version))
        return {
          status: 400,
          body: graphError("BadRequest", `Alert rule kind 'NRT' is not supported in api-version ${version}`),
        };
      const missing = NRT_REQUIRED.filter((k) => body.properties[k] === undefined);
      if (missing.length > 0)
        return { status: 400, body: graphError("BadRequest", `Missing required properties: ${missing.join(", ")}`) };
    }
    const key = req.url.pathname.toLowerCase();
    const existed = this.rules.has(key);
    const properties = { ...body.properties };
    for (const k of this.dropOnPut ?? []) delete properties[k];
    this.dropOnPut = undefined;
    const stored = this.stored(workspaceId!, decodeURIComponent(ruleId!), body.kind, properties);
    this.rules.set(key, stored);
    return { status: existed ? 200 : 201, body: stored };
  }

  private get(req: FakeRequest): FakeResponse {
    const version = this.version(req);
    if (typeof version !== "string") return version;
    const rule = this.rules.get(req.url.pathname.toLowerCase());
    return rule ? { status: 200, body: rule } : { status: 404, body: graphError("NotFound", "Alert rule not found") };
  }

  private delete(req: FakeRequest): FakeResponse {
    const version = this.version(req);
    if (typeof version !== "string") return version;
    const existed = this.rules.delete(req.url.pathname.toLowerCase());
    return { status: existed ? 200 : 204 };
  }

  private list(req: FakeRequest): FakeResponse {
    const version = this.version(req);
    if (typeof version !== "string") return version;
    const prefix = `${req.url.pathname.toLowerCase()}/`;
    // A stable version does not know NRT: this fake leaves those rules out of its answers (unconfirmed; the audit
    // reads with the preview version for that reason).
    const value = [...this.rules.entries()]
      .filter(([id, r]) => id.startsWith(prefix) && (r.kind !== "NRT" || NRT_VERSIONS.test(version)))
      .map(([, r]) => r);
    return { status: 200, body: { value } };
  }
}
