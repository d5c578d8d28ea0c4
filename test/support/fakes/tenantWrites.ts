/**
 * The write side of the fake tenant (test/support/fakes/tenant.ts), for `transition` and `remediate`: it changes the
 * same `TenantData` the audit reads, speaking Graph's documented shapes (docs/references.md, "Microsoft Graph"–8, docs/references.md, "Role assignments, eligibilities, schedules"–3):
 *
 * - `GET /organization` (the tenant id), `GET /me` (delegated tokens only, as Graph answers app-only tokens 400);
 * - the role schedules filtered by `principalId` and/or `roleDefinitionId` (the reads of tenant.ts accept only the
 *   latter), `roleEligibilitySchedules` and the legacy `roleAssignments`, derived from the same instances;
 * - `POST roleEligibilityScheduleRequests` / `roleAssignmentScheduleRequests` with `adminAssign` / `adminRemove`
 *   (201 with the request; 400 RoleAssignmentExists on a duplicate, 400 RoleAssignmentDoesNotExist when there is
 *   nothing to remove; only users and groups can be eligible), the legacy `POST` / `DELETE roleAssignments`;
 * - `GET` / `PATCH /identity/conditionalAccess/policies/{id}`, where a Microsoft-managed policy accepts changes to its
 *   state and exclusions only (the Entra docs' words), and PATCH merges the condition sets it is sent;
 * - `userRegistrationDetails` filtered by `id eq … or id eq …`.
 *
 * Faults on top of the server's own (`failNext`): `loseNextAnswer` applies a write and then answers too late for the
 * client, which times out and retries, as when an answer is lost on the way back. Every write is time-stamped.
 */
import { randomUUID } from "node:crypto";
import { graphError, type FakeRequest, type FakeResponse } from "./graphServer";
import { pageOf, type FakeTenant, type Json } from "./tenant";

const RM = "/v1.0/roleManagement/directory";
const ACTIONS = [
  "adminAssign",
  "adminUpdate",
  "adminRemove",
  "selfActivate",
  "selfDeactivate",
  "adminExtend",
  "adminRenew",
  "selfExtend",
  "selfRenew",
];
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
const EXPIRATION_TYPES = ["notSpecified", "noExpiration", "afterDateTime", "afterDuration"];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WriteRecord {
  method: string;
  path: string;
  at: number;
}

const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : undefined);
const bad = (message: string, code = "BadRequest"): FakeResponse => ({ status: 400, body: graphError(code, message) });

export class FakeTenantWrites {
  /** userRegistrationDetails.methodsRegistered by user id; a user not here has no registration record. */
  registrations: Record<string, string[]> = {};
  /** Ids of Microsoft-managed CA policies. */
  readonly managedPolicies = new Set<string>();
  /** The signed-in user `GET /me` answers with; undefined: the token is app-only (400). */
  me?: Json;
  readonly writes: WriteRecord[] = [];
  /** Schedule requests received, as stored (the latest last). */
  readonly scheduleRequests: Json[] = [];
  private lose: { method: string; pattern: RegExp; count: number }[] = [];
  private faults: { method: string; pattern: RegExp; pass: number; answer: FakeResponse; times: number }[] = [];
  /** How late a lost answer comes: longer than the client's timeout. */
  lostAnswerDelayMs = 1_500;
  private usersIndex?: { length: number; byId: Map<string, Json> };

  constructor(
    readonly tenant: FakeTenant,
    /** What `GET /organization` answers (a test may change it). */
    public tenantId: string,
  ) {
    this.install();
  }

  /** The next `count` matching writes are applied, and their answers come after the client gave up. */
  loseNextAnswer(method: string, pattern: RegExp, count = 1): this {
    this.lose.push({ method: method.toUpperCase(), pattern, count });
    return this;
  }

  /**
   * After `pass` matching writes went through, the next `times` are answered with `answer` and not applied (a
   * server failing part way through a run); later ones go through again.
   */
  failAfter(method: string, pattern: RegExp, pass: number, answer: FakeResponse, times = Infinity): this {
    this.faults.push({ method: method.toUpperCase(), pattern, pass, answer, times });
    return this;
  }

  /** The outage is over: every write goes through again. */
  clearFaults(): this {
    this.faults = [];
    return this;
  }

  /** The fault due for this request, if any (checked before the write is applied). */
  private fault(req: FakeRequest): FakeResponse | undefined {
    for (const f of this.faults) {
      if (f.method !== req.method || !f.pattern.test(req.url.pathname)) continue;
      if (f.pass > 0) {
        f.pass--;
        continue;
      }
      if (f.times <= 0) continue;
      f.times--;
      return f.answer;
    }
    return undefined;
  }

  /** Writes in any window of `windowMs` (the most). */
  maxWritesIn(windowMs: number): number {
    const times = this.writes.map((w) => w.at).sort((a, b) => a - b);
    let best = 0;
    let start = 0;
    for (let end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= windowMs) start++;
      best = Math.max(best, end - start + 1);
    }
    return best;
  }

  private get data() {
    return this.tenant.data;
  }

  private principal(id: string): Json | undefined {
    const users = this.data.users;
    if (!this.usersIndex || this.usersIndex.length !== users.length)
      this.usersIndex = { length: users.length, byId: new Map(users.map((u) => [String(u.id).toLowerCase(), u])) };
    const u = this.usersIndex.byId.get(id.toLowerCase());
    if (u) return u;
    const g = this.data.groups.find((x) => lower(x.id) === id.toLowerCase());
    if (g) {
      const { members: _m, owners: _o, ...rest } = g;
      return rest;
    }
    const sp = this.data.servicePrincipals.find((x) => lower(x.id) === id.toLowerCase());
    return sp ? { "@odata.type": "#microsoft.graph.servicePrincipal", ...sp } : undefined;
  }

  /** Wraps a write route: a due fault answers instead; otherwise the write is applied and time-stamped. */
  private write(handler: (req: FakeRequest) => FakeResponse): (req: FakeRequest) => FakeResponse {
    return (req) => this.fault(req) ?? this.written(req, handler(req));
  }

  private written(req: FakeRequest, answer: FakeResponse): FakeResponse {
    this.writes.push({ method: req.method, path: req.url.pathname, at: Date.now() });
    const i = this.lose.findIndex((l) => l.method === req.method && l.pattern.test(req.url.pathname));
    if (i < 0) return answer;
    const l = this.lose[i]!;
    if (--l.count <= 0) this.lose.splice(i, 1);
    return { ...answer, delayMs: this.lostAnswerDelayMs };
  }

  private install(): void {
    const g = this.tenant.graph;
    g.route("GET", "/v1.0/organization", () => ({
      body: { value: [{ id: this.tenantId, displayName: "Contoso" }] },
    }));
    g.route("GET", "/v1.0/me", () =>
      this.me ? { body: this.me } : bad("/me request is only valid with delegated authentication flow.", "BadRequest"),
    );

    const filtered = (name: string, items: () => Json[], expand: boolean) =>
      g.route("GET", `${RM}/${name}`, (req) => {
        const f = req.url.searchParams.get("$filter") ?? "";
        const principal = /principalId eq '([^']+)'/.exec(f)?.[1]?.toLowerCase();
        const role = /roleDefinitionId eq '([^']+)'/.exec(f)?.[1]?.toLowerCase();
        if (!principal && !role) return bad(`fake: ${name} needs a principalId or roleDefinitionId filter`);
        let value = items().filter(
          (i) => (!principal || lower(i.principalId) === principal) && (!role || lower(i.roleDefinitionId) === role),
        );
        if (expand && req.url.searchParams.get("$expand") === "principal")
          value = value.map((i) => ({ ...i, principal: this.principal(String(i.principalId)) ?? null }));
        return pageOf(g, req, value, this.tenant.options.rolePageSize ?? 100);
      });
    filtered("roleAssignmentScheduleInstances", () => this.data.assignmentInstances, true);
    filtered("roleAssignmentSchedules", () => this.data.assignmentSchedules, true);
    filtered("roleEligibilityScheduleInstances", () => this.data.eligibilityInstances, true);
    filtered("roleEligibilitySchedules", () => this.data.eligibilityInstances.map(eligibilitySchedule), true);
    filtered(
      "roleAssignments",
      () =>
        this.data.assignmentInstances
          .filter((i) => lower(i.memberType) === "direct" && lower(i.assignmentType) === "assigned")
          .map((i) => ({
            id: i.roleAssignmentOriginId,
            principalId: i.principalId,
            roleDefinitionId: i.roleDefinitionId,
            directoryScopeId: i.directoryScopeId,
            appScopeId: null,
            condition: null,
          })),
      false,
    );

    g.route(
      "POST",
      `${RM}/roleEligibilityScheduleRequests`,
      this.write((req) => this.scheduleRequest(req, "eligibility")),
    );
    g.route(
      "POST",
      `${RM}/roleAssignmentScheduleRequests`,
      this.write((req) => this.scheduleRequest(req, "assignment")),
    );
    g.route(
      "POST",
      `${RM}/roleAssignments`,
      this.write((req) => {
        const b = req.body as Json;
        if (
          !GUID.test(String(b?.principalId)) ||
          typeof b.roleDefinitionId !== "string" ||
          typeof b.directoryScopeId !== "string"
        )
          return bad("principalId, roleDefinitionId and directoryScopeId are required");
        if (this.active(b).length > 0) return bad("The Role assignment already exists.", "RoleAssignmentExists");
        const origin = randomUUID();
        this.addActive(b, null, origin);
        return { status: 201, body: { id: origin, ...b } };
      }),
    );
    g.route(
      "DELETE",
      new RegExp(`^${RM.replace(/\//g, "\\/")}\\/roleAssignments\\/[^/]+$`),
      this.write((req) => {
        const id = decodeURIComponent(req.url.pathname.split("/").pop()!);
        const i = this.data.assignmentInstances.findIndex((x) => lower(x.roleAssignmentOriginId) === id.toLowerCase());
        if (i < 0)
          return { status: 404, body: graphError("Request_ResourceNotFound", `Resource '${id}' does not exist.`) };
        this.removeActive([this.data.assignmentInstances[i]!]);
        return { status: 204 };
      }),
    );

    g.route("GET", /^\/v1\.0\/identity\/conditionalAccess\/policies\/[^/]+$/, (req) => {
      const p = this.data.caPolicies.find((x) => x.id === req.url.pathname.split("/").pop());
      return p
        ? { body: structuredClone(p) }
        : { status: 404, body: graphError("ResourceNotFound", "policy not found") };
    });
    g.route(
      "PATCH",
      /^\/v1\.0\/identity\/conditionalAccess\/policies\/[^/]+$/,
      this.write((req) => this.patchPolicy(req)),
    );

    g.route("GET", "/v1.0/reports/authenticationMethods/userRegistrationDetails", (req) => {
      const f = req.url.searchParams.get("$filter") ?? "";
      const ids = [...f.matchAll(/id eq '([^']+)'/g)].map((m) => m[1]!.toLowerCase());
      if (ids.length === 0) return bad("fake: userRegistrationDetails needs an id filter");
      const value = ids
        .filter((id) => this.registrations[id] !== undefined)
        .map((id) => ({
          id,
          userPrincipalName: this.principal(id)?.userPrincipalName ?? null,
          methodsRegistered: this.registrations[id],
          isMfaRegistered: this.registrations[id]!.length > 0,
        }));
      return { body: { value } };
    });
  }

  /** Active, admin-assigned instances of the body's principal, role and scope. */
  private active(b: Json): Json[] {
    return this.data.assignmentInstances.filter(
      (i) =>
        lower(i.principalId) === lower(b.principalId) &&
        lower(i.roleDefinitionId) === lower(b.roleDefinitionId) &&
        (lower(i.directoryScopeId) ?? "/") === (lower(b.directoryScopeId) ?? "/") &&
        lower(i.assignmentType) === "assigned",
    );
  }

  private eligible(b: Json): Json[] {
    return this.data.eligibilityInstances.filter(
      (i) =>
        lower(i.principalId) === lower(b.principalId) &&
        lower(i.roleDefinitionId) === lower(b.roleDefinitionId) &&
        (lower(i.directoryScopeId) ?? "/") === (lower(b.directoryScopeId) ?? "/"),
    );
  }

  private addActive(b: Json, createdUsing: string | null, origin = randomUUID(), end: string | null = null): void {
    const scheduleId = randomUUID();
    const start = new Date().toISOString();
    const base = {
      principalId: String(b.principalId).toLowerCase(),
      roleDefinitionId: String(b.roleDefinitionId).toLowerCase(),
      directoryScopeId: b.directoryScopeId,
      appScopeId: null,
    };
    this.data.assignmentInstances.push({
      ...base,
      id: randomUUID(),
      startDateTime: start,
      endDateTime: end,
      assignmentType: "Assigned",
      memberType: "Direct",
      roleAssignmentOriginId: origin,
      roleAssignmentScheduleId: scheduleId,
    });
    this.data.assignmentSchedules.push({
      ...base,
      id: scheduleId,
      createdUsing,
      createdDateTime: start,
      modifiedDateTime: null,
      status: "Provisioned",
      assignmentType: "Assigned",
      memberType: "Direct",
      scheduleInfo: {
        startDateTime: start,
        recurrence: null,
        expiration: end
          ? { type: "afterDateTime", endDateTime: end, duration: null }
          : { type: "noExpiration", endDateTime: null, duration: null },
      },
    });
  }

  private removeActive(instances: Json[]): void {
    const ids = new Set(instances.map((i) => i.id));
    const schedules = new Set(instances.map((i) => i.roleAssignmentScheduleId));
    this.data.assignmentInstances = this.data.assignmentInstances.filter((i) => !ids.has(i.id));
    this.data.assignmentSchedules = this.data.assignmentSchedules.filter((s) => !schedules.has(s.id));
  }

  private scheduleRequest(req: FakeRequest, kind: "eligibility" | "assignment"): FakeResponse {
    const b = req.body as Json;
    if (typeof b !== "object" || b === null) return bad("A request body is required");
    const unknown = Object.keys(b).filter((k) => !REQUEST_KEYS.includes(k));
    if (unknown.length > 0) return bad(`Invalid property '${unknown[0]}' on unifiedRoleScheduleRequest`);
    if (!ACTIONS.some((a) => a.toLowerCase() === lower(b.action))) return bad(`Invalid action '${String(b.action)}'`);
    if (!GUID.test(String(b.principalId)) || typeof b.roleDefinitionId !== "string")
      return bad("principalId and roleDefinitionId are required");
    if (typeof b.directoryScopeId !== "string" && typeof b.appScopeId !== "string")
      return bad("directoryScopeId or appScopeId is required");
    const action = lower(b.action);
    const id = randomUUID();
    const answer = (status: string): FakeResponse => {
      const stored = {
        id,
        status,
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
      this.scheduleRequests.push({ kind, ...stored });
      return {
        status: 201,
        body: {
          "@odata.context": `…/roleManagement/directory/role${kind === "eligibility" ? "Eligibility" : "Assignment"}ScheduleRequests/$entity`,
          ...stored,
        },
      };
    };
    if (action === "adminassign") {
      const info = b.scheduleInfo as Json | undefined;
      const expiration = (info?.expiration ?? {}) as Json;
      if (!EXPIRATION_TYPES.includes(String(expiration.type))) return bad("scheduleInfo.expiration.type is required");
      if (expiration.type === "afterDuration" && typeof expiration.duration !== "string")
        return bad("scheduleInfo.expiration.duration is required for afterDuration");
      if (expiration.type === "afterDateTime" && typeof expiration.endDateTime !== "string")
        return bad("scheduleInfo.expiration.endDateTime is required for afterDateTime");
      if (kind === "eligibility") {
        const p = this.principal(String(b.principalId));
        const type = lower(p?.["@odata.type"]);
        if (type !== "#microsoft.graph.user" && type !== "#microsoft.graph.group")
          return bad("Only users and role-assignable groups can be made eligible.", "InvalidPrincipal");
        if (this.eligible(b).length > 0) return bad("The Role assignment already exists.", "RoleAssignmentExists");
        const scheduleId = randomUUID();
        this.data.eligibilityInstances.push({
          id: randomUUID(),
          principalId: String(b.principalId).toLowerCase(),
          roleDefinitionId: String(b.roleDefinitionId).toLowerCase(),
          directoryScopeId: b.directoryScopeId,
          appScopeId: null,
          startDateTime: info?.startDateTime ?? new Date().toISOString(),
          endDateTime: null,
          memberType: "Direct",
          roleEligibilityScheduleId: scheduleId,
          createdUsing: id,
        });
        return answer("Provisioned");
      }
      if (this.active(b).length > 0) return bad("The Role assignment already exists.", "RoleAssignmentExists");
      this.addActive(b, id, randomUUID(), typeof expiration.endDateTime === "string" ? expiration.endDateTime : null);
      return answer("Provisioned");
    }
    if (action === "adminremove") {
      if (kind === "eligibility") {
        const found = this.eligible(b);
        if (found.length === 0) return bad("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
        this.data.eligibilityInstances = this.data.eligibilityInstances.filter((i) => !found.includes(i));
        return answer("Revoked");
      }
      const found = this.active(b);
      if (found.length === 0) return bad("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
      this.removeActive(found);
      return answer("Revoked");
    }
    return bad(`fake: action ${String(b.action)} is not simulated`);
  }

  private patchPolicy(req: FakeRequest): FakeResponse {
    const id = req.url.pathname.split("/").pop()!;
    const i = this.data.caPolicies.findIndex((x) => x.id === id);
    if (i < 0) return { status: 404, body: graphError("ResourceNotFound", "policy not found") };
    const current = this.data.caPolicies[i]!;
    const b = req.body as Json;
    if (typeof b !== "object" || b === null) return bad("A request body is required");
    if (this.managedPolicies.has(id)) {
      const allowed = Object.keys(b).every((k) => k === "state" || k === "conditions");
      const conditions = (b.conditions ?? {}) as Json;
      const onlyUsers = Object.keys(conditions).every((k) => k === "users");
      const before = ((current.conditions as Json)?.users ?? {}) as Json;
      const after = (conditions.users ?? before) as Json;
      const includesSame = ["includeUsers", "includeGroups", "includeRoles", "includeGuestsOrExternalUsers"].every(
        (k) => JSON.stringify(after[k] ?? null) === JSON.stringify(before[k] ?? null),
      );
      if (!allowed || !onlyUsers || !includesSame)
        return bad("Microsoft-managed policies: only the state and the exclusions can be changed.");
    }
    const conditions = { ...(current.conditions as Json), ...((b.conditions as Json | undefined) ?? {}) };
    this.data.caPolicies[i] = { ...current, ...b, conditions, modifiedDateTime: new Date().toISOString() };
    return { status: 204 };
  }
}

function eligibilitySchedule(i: Json): Json {
  return {
    id: i.roleEligibilityScheduleId,
    principalId: i.principalId,
    roleDefinitionId: i.roleDefinitionId,
    directoryScopeId: i.directoryScopeId,
    appScopeId: null,
    memberType: i.memberType ?? "Direct",
    status: "Provisioned",
    createdUsing: i.createdUsing ?? i.roleEligibilityScheduleId,
    createdDateTime: i.startDateTime,
    modifiedDateTime: null,
    scheduleInfo: {
      startDateTime: i.startDateTime,
      recurrence: null,
      expiration: i.endDateTime
        ? { type: "afterDateTime", endDateTime: i.endDateTime }
        : { type: "noExpiration", endDateTime: null },
    },
  };
}

/** Installs the write routes on a started fake tenant (after its read routes, so these win where both exist). */
export function installTenantWrites(tenant: FakeTenant, tenantId: string): FakeTenantWrites {
  return new FakeTenantWrites(tenant, tenantId);
}
