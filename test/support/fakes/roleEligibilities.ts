/**
 * A fake of PIM eligibilities for directory roles on top of the loopback Graph, in the documented v1.0 shapes
 * (docs/references.md, "Microsoft Graph", docs/references.md, "Role assignments, eligibilities, schedules" and §10; learn.microsoft.com unifiedRoleEligibilityScheduleRequest / unifiedRoleEligibilitySchedule):
 *
 * - `GET /roleManagement/directory/roleEligibilitySchedules?$filter=principalId eq '…'` (a filter is required here;
 *   `roleDefinitionId` and `directoryScopeId` may be added), paged by `pageSize`;
 * - `POST /roleManagement/directory/roleEligibilityScheduleRequests` with `adminAssign`, `adminUpdate` or `adminRemove`:
 *   201 with the request (`status` Provisioned / Revoked); unknown body keys, a missing `scheduleInfo.expiration.type`
 *   or an `afterDuration` without `duration` are 400; a duplicate assign is 400 RoleAssignmentExists, a removal of
 *   what is not there 400 RoleAssignmentDoesNotExist (docs/references.md, "Microsoft Graph": unconfirmed by Microsoft's docs, reported upstream);
 * - `GET /roleManagement/directory/roleEligibilityScheduleRequests/{id}`: the request, until `purgeRequests()` —
 *   Graph keeps requests for about 45 days — after which it is 404 RoleAssignmentRequestNotFound (docs/references.md),
 *   what azuread's request resource reads before it deletes.
 *
 * How a schedule made with `afterDuration` reads back is not documented: `expirationShape` chooses between the
 * computed end (`afterDateTime` + `endDateTime`, the default) and the request's own `afterDuration` + `duration`.
 * Fault hooks: `dropNext` (Graph answers 201 and does not apply the request), `add` (an eligibility made outside the
 * stack: the portal, an earlier azuread request), `setEnd` (someone changed its expiry in the portal).
 */
import { randomUUID } from "node:crypto";
import { durationSeconds } from "@entra-baseline/model";
import { graphError, type FakeGraph, type FakeRequest, type FakeResponse } from "./graphServer";

type Json = Record<string, unknown>;

const RM = "/v1.0/roleManagement/directory";
export const ELIGIBILITY_ROUTES = {
  schedules: `${RM}/roleEligibilitySchedules`,
  requests: `${RM}/roleEligibilityScheduleRequests`,
  request: /^\/v1\.0\/roleManagement\/directory\/roleEligibilityScheduleRequests\/[^/]+$/,
} as const;

const REQUEST_KEYS = [
  "action",
  "appScopeId",
  "directoryScopeId",
  "isValidationOnly",
  "justification",
  "principalId",
  "roleDefinitionId",
  "scheduleInfo",
  "targetScheduleId",
  "ticketInfo",
];
const ACTIONS = ["adminassign", "adminupdate", "adminremove"];
const EXPIRATION_TYPES = ["notSpecified", "noExpiration", "afterDateTime", "afterDuration"];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : undefined);
const bad = (message: string, code = "BadRequest"): FakeResponse => ({ status: 400, body: graphError(code, message) });

export interface EligibilityRef {
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId?: string;
}

export interface FakeEligibilityOptions {
  expirationShape?: "afterDateTime" | "afterDuration";
  pageSize?: number;
}

export class FakeRoleEligibilities {
  /** The eligibility schedules, as Graph returns them. */
  readonly schedules: Json[] = [];
  /** Requests Graph still keeps (purged ones are gone). */
  readonly requests: Json[] = [];
  /** Every request body received, in order (purging does not forget these). */
  readonly received: Json[] = [];
  /** Principals that are service principals: Graph refuses to make them eligible. */
  readonly servicePrincipals = new Set<string>();
  private drops = 0;

  constructor(private readonly options: FakeEligibilityOptions = {}) {}

  /** An eligibility that already exists (made in the portal, or by an earlier azuread request). */
  add(ref: EligibilityRef, options: { start?: string; end?: string | null; memberType?: string } = {}): Json {
    const id = randomUUID();
    const start = options.start ?? "2024-01-01T00:00:00Z";
    const schedule: Json = {
      "@odata.type": "#microsoft.graph.unifiedRoleEligibilitySchedule",
      id,
      principalId: ref.principalId.toLowerCase(),
      roleDefinitionId: ref.roleDefinitionId.toLowerCase(),
      directoryScopeId: ref.directoryScopeId ?? "/",
      appScopeId: null,
      createdUsing: id,
      createdDateTime: start,
      modifiedDateTime: null,
      status: "Provisioned",
      memberType: options.memberType ?? "Direct",
      scheduleInfo: {
        startDateTime: start,
        recurrence: null,
        expiration: options.end
          ? { type: "afterDateTime", endDateTime: options.end, duration: null }
          : { type: "noExpiration", endDateTime: null, duration: null },
      },
    };
    this.schedules.push(schedule);
    return schedule;
  }

  /** The direct eligibilities of a principal for a role at `/`. */
  find(ref: EligibilityRef): Json[] {
    return this.schedules.filter(
      (s) =>
        lower(s.principalId) === ref.principalId.toLowerCase() &&
        lower(s.roleDefinitionId) === ref.roleDefinitionId.toLowerCase() &&
        s.directoryScopeId === (ref.directoryScopeId ?? "/") &&
        lower(s.memberType) === "direct",
    );
  }

  /** Someone changed the eligibility's end in the portal. */
  setEnd(ref: EligibilityRef, end: string | null): this {
    for (const s of this.find(ref)) {
      const info = s.scheduleInfo as Json;
      info.expiration = end
        ? { type: "afterDateTime", endDateTime: end, duration: null }
        : { type: "noExpiration", endDateTime: null, duration: null };
      s.modifiedDateTime = new Date().toISOString();
    }
    return this;
  }

  /** Graph forgets its requests (after about 45 days); the eligibilities stay. */
  purgeRequests(): this {
    this.requests.length = 0;
    return this;
  }

  /** The next `count` requests are answered 201 and not applied. */
  dropNext(count = 1): this {
    this.drops += count;
    return this;
  }

  install(graph: FakeGraph): this {
    graph.route("GET", ELIGIBILITY_ROUTES.schedules, (req) => this.list(graph, req));
    graph.route("POST", ELIGIBILITY_ROUTES.requests, (req) => this.request(req));
    graph.route("GET", ELIGIBILITY_ROUTES.request, (req) => {
      const id = decodeURIComponent(req.url.pathname.split("/").pop()!);
      const found = this.requests.find((r) => r.id === id);
      return found
        ? { body: found }
        : {
            status: 404,
            body: graphError("RoleAssignmentRequestNotFound", "The role assignment request was not found."),
          };
    });
    return this;
  }

  private list(graph: FakeGraph, req: FakeRequest): FakeResponse {
    const filter = req.url.searchParams.get("$filter") ?? "";
    const principal = /principalId eq '([^']+)'/.exec(filter)?.[1]?.toLowerCase();
    const role = /roleDefinitionId eq '([^']+)'/.exec(filter)?.[1]?.toLowerCase();
    const scope = /directoryScopeId eq '([^']+)'/.exec(filter)?.[1];
    if (!principal && !role)
      return bad("fake: roleEligibilitySchedules needs a principalId or roleDefinitionId filter");
    const value = this.schedules.filter(
      (s) =>
        (!principal || lower(s.principalId) === principal) &&
        (!role || lower(s.roleDefinitionId) === role) &&
        (!scope || s.directoryScopeId === scope),
    );
    const size = this.options.pageSize ?? 100;
    const skip = Number(req.url.searchParams.get("$skiptoken") ?? 0);
    const page = value.slice(skip, skip + size);
    const next = skip + size < value.length;
    const url = new URL(`${graph.url}${req.url.pathname}`);
    url.searchParams.set("$filter", filter);
    url.searchParams.set("$skiptoken", String(skip + size));
    return {
      body: {
        "@odata.context": `${graph.url}/v1.0/$metadata#roleManagement/directory/roleEligibilitySchedules`,
        value: structuredClone(page),
        ...(next ? { "@odata.nextLink": url.toString() } : {}),
      },
    };
  }

  private request(req: FakeRequest): FakeResponse {
    const b = req.body as Json;
    if (typeof b !== "object" || b === null) return bad("A request body is required");
    this.received.push(structuredClone(b));
    const unknown = Object.keys(b).filter((k) => !REQUEST_KEYS.includes(k));
    if (unknown.length > 0) return bad(`Invalid property '${unknown[0]}' on unifiedRoleEligibilityScheduleRequest`);
    const action = lower(b.action);
    if (!ACTIONS.includes(action ?? "")) return bad(`fake: action ${String(b.action)} is not simulated`);
    if (!GUID.test(String(b.principalId)) || typeof b.roleDefinitionId !== "string")
      return bad("principalId and roleDefinitionId are required");
    if (typeof b.directoryScopeId !== "string") return bad("directoryScopeId or appScopeId is required");
    const ref = {
      principalId: String(b.principalId),
      roleDefinitionId: b.roleDefinitionId,
      directoryScopeId: b.directoryScopeId,
    };
    const found = this.find(ref);
    let end: string | null = null;
    const info = b.scheduleInfo as Json | undefined;
    if (action !== "adminremove") {
      const expiration = (info?.expiration ?? {}) as Json;
      if (!EXPIRATION_TYPES.includes(String(expiration.type))) return bad("scheduleInfo.expiration.type is required");
      if (expiration.type === "afterDuration") {
        const seconds = typeof expiration.duration === "string" ? durationSeconds(expiration.duration) : undefined;
        if (seconds === undefined) return bad("scheduleInfo.expiration.duration is required for afterDuration");
        const start = typeof info?.startDateTime === "string" ? Date.parse(info.startDateTime) : Date.now();
        end = new Date(start + seconds * 1000).toISOString();
      }
      if (expiration.type === "afterDateTime") {
        if (typeof expiration.endDateTime !== "string")
          return bad("scheduleInfo.expiration.endDateTime is required for afterDateTime");
        end = expiration.endDateTime;
      }
      if (this.servicePrincipals.has(ref.principalId.toLowerCase()))
        return bad("Only users and role-assignable groups can be made eligible.", "InvalidPrincipal");
    }
    if (action === "adminassign" && found.length > 0)
      return bad("The Role assignment already exists.", "RoleAssignmentExists");
    if ((action === "adminremove" || action === "adminupdate") && found.length === 0)
      return bad("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");

    const id = randomUUID();
    const stored: Json = {
      "@odata.type": "#microsoft.graph.unifiedRoleEligibilityScheduleRequest",
      id,
      status: action === "adminremove" ? "Revoked" : "Provisioned",
      action: b.action,
      principalId: b.principalId,
      roleDefinitionId: b.roleDefinitionId,
      directoryScopeId: b.directoryScopeId,
      appScopeId: null,
      isValidationOnly: false,
      targetScheduleId: action === "adminremove" ? null : id,
      justification: b.justification ?? null,
      scheduleInfo: b.scheduleInfo ?? null,
      ticketInfo: b.ticketInfo ?? { ticketNumber: null, ticketSystem: null },
      createdDateTime: new Date().toISOString(),
      completedDateTime: new Date().toISOString(),
      approvalId: null,
      customData: null,
      createdBy: { user: null, application: { id: "fake-app" } },
    };
    this.requests.push(stored);
    const answer: FakeResponse = {
      status: 201,
      body: {
        "@odata.context": "…/$metadata#roleManagement/directory/roleEligibilityScheduleRequests/$entity",
        ...stored,
      },
    };
    if (this.drops > 0) {
      this.drops--;
      return answer;
    }
    if (action === "adminremove") {
      for (const s of found) this.schedules.splice(this.schedules.indexOf(s), 1);
      return answer;
    }
    const start = typeof info?.startDateTime === "string" ? info.startDateTime : new Date().toISOString();
    const expiration = (info!.expiration ?? {}) as Json;
    const shown =
      end === null
        ? { type: "noExpiration", endDateTime: null, duration: null }
        : this.options.expirationShape === "afterDuration" && expiration.type === "afterDuration"
          ? { type: "afterDuration", endDateTime: null, duration: expiration.duration }
          : { type: "afterDateTime", endDateTime: end, duration: null };
    if (action === "adminupdate") {
      for (const s of found) {
        s.scheduleInfo = { startDateTime: start, recurrence: null, expiration: shown };
        s.modifiedDateTime = new Date().toISOString();
      }
      return answer;
    }
    const schedule = this.add(ref, { start });
    schedule.createdUsing = id;
    (schedule.scheduleInfo as Json).expiration = shown;
    return answer;
  }
}
