/**
 * The dynamic provider behind RoleEligibility: one principal's PIM eligibility for one directory role, owned through
 * the schedule API of Microsoft Graph (docs/references.md, "Role assignments, eligibilities, schedules" and §10, docs/references.md, "Microsoft Graph"):
 *
 * - the eligibility *is* its schedule (`GET /roleManagement/directory/roleEligibilitySchedules`); requests
 *   (`POST …/roleEligibilityScheduleRequests`, action `adminAssign` / `adminUpdate` / `adminRemove`) are only how it
 *   is changed. Nothing here reads a request back by id: Graph purges requests after about 45 days, which is what
 *   makes azuread's DirectoryRoleEligibilityScheduleRequest fail with RoleAssignmentRequestNotFound on delete or
 *   replace (docs/references.md). This resource never needs the request again.
 * - create adopts an eligibility that already exists (no duplicate request), asks for one otherwise, and reads the
 *   schedule back until it is there;
 * - read (`pulumi refresh`) reports an eligibility that is gone (the resource leaves the state, the next `pulumi up`
 *   grants it again) and one whose expiry changed (as a different `duration`, which the next `up` sets back);
 * - delete asks for `adminRemove`; an eligibility already gone is done; it reads back that it is gone;
 * - optional time-bound: `duration` (ISO 8601) becomes `scheduleInfo.expiration` `{type: afterDuration, duration}`;
 *   null asks for `noExpiration`.
 *
 * Schedules are listed by `principalId` (documented filterable); role, scope and member type are matched here,
 * because a `roleDefinitionId` filter on schedules is not documented (docs/references.md, "Microsoft Graph"). Closure-serialized like every provider
 * here (src/graph/dynamicProvider.ts): no captured client, a GraphClient per call from the props' connection.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GraphClient } from "../../graph/client";
import {
  connectionOf,
  diffProps,
  during as duringStep,
  graphClientFor,
  unexpectedAnswer,
  type GraphConnection,
} from "../../graph/dynamicProvider";
import { durationSeconds } from "@entra-baseline/model";

export interface RoleEligibilityInputs extends GraphConnection {
  /** Template id of a built-in role (or id of a custom role). */
  roleDefinitionId: string;
  /** Object id of the user or role-assignable group made eligible. */
  principalId: string;
  /** `/` for the whole directory. */
  directoryScopeId: string;
  /** Recorded on the requests this resource sends. History, not a setting: a change never makes a diff. */
  justification: string;
  /** ISO 8601 duration after which the eligibility expires (`P365D`); null: it never expires. */
  duration: string | null;
}

export interface RoleEligibilityOutputs extends RoleEligibilityInputs {
  /** The live eligibility schedule's id; also the resource id. */
  scheduleId: string;
  /** When the live eligibility started and ends (null: never), as Graph reports them. */
  startDateTime: string | null;
  endDateTime: string | null;
  /** Whether this resource found the eligibility in place (`adopted`) or asked for it (`created`). */
  origin: "adopted" | "created";
}

export type RawSchedule = Record<string, unknown>;

const RESOURCE = "RoleEligibility";
const RM = "/v1.0/roleManagement/directory";
/** How long to wait between read-backs of a request Graph accepted (a schedule appears within seconds). */
const READ_BACK_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000];
/** A live end within this much of start + duration is the duration asked for (Graph rounds, clocks differ). */
const END_TOLERANCE_SECONDS = 600;
/** Request statuses that mean PIM will not do it (docs/references.md, "Microsoft Graph": request.status). */
const REFUSED_STATUSES: readonly string[] = ["canceled", "denied", "failed"];

function during<T>(what: string, step: () => Promise<T>): Promise<T> {
  return duringStep(RESOURCE, what, step);
}

const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : undefined);

function describe(t: Pick<RoleEligibilityInputs, "principalId" | "roleDefinitionId" | "directoryScopeId">): string {
  return `the eligibility of ${t.principalId} for role ${t.roleDefinitionId} at scope ${t.directoryScopeId}`;
}

/** The principal's direct eligibility schedules for the role at the scope. */
async function findSchedules(client: GraphClient, t: RoleEligibilityInputs): Promise<RawSchedule[]> {
  const filter = encodeURIComponent(`principalId eq '${t.principalId.toLowerCase()}'`);
  const path = `${RM}/roleEligibilitySchedules?$filter=${filter}`;
  const all = await during(`reading ${describe(t)}`, () => client.list<unknown>(path));
  return all
    .map((s, i) => {
      if (typeof s !== "object" || s === null || Array.isArray(s))
        throw unexpectedAnswer(`GET ${RM}/roleEligibilitySchedules (item ${i})`, "an eligibility schedule", s);
      return s as RawSchedule;
    })
    .filter(
      (s) =>
        lower(s.principalId) === t.principalId.toLowerCase() &&
        lower(s.roleDefinitionId) === t.roleDefinitionId.toLowerCase() &&
        (lower(s.directoryScopeId) ?? "/") === t.directoryScopeId.toLowerCase() &&
        // Inherited through a group the principal is in: that group's eligibility, not this one.
        (s.memberType === undefined || s.memberType === null || lower(s.memberType) === "direct"),
    );
}

/** The schedule's `scheduleInfo`, with the fields this resource reads. */
function scheduleInfo(s: RawSchedule): { start: string | null; end: string | null; type: string | undefined } {
  const info = (typeof s.scheduleInfo === "object" && s.scheduleInfo !== null ? s.scheduleInfo : {}) as Record<
    string,
    unknown
  >;
  const expiration = (typeof info.expiration === "object" && info.expiration !== null ? info.expiration : {}) as Record<
    string,
    unknown
  >;
  const start = typeof info.startDateTime === "string" ? info.startDateTime : null;
  let end = typeof expiration.endDateTime === "string" ? expiration.endDateTime : null;
  const duration = typeof expiration.duration === "string" ? durationSeconds(expiration.duration) : undefined;
  if (end === null && start !== null && duration !== undefined && lower(expiration.type) === "afterduration")
    end = new Date(Date.parse(start) + duration * 1000).toISOString();
  return { start, end, type: typeof expiration.type === "string" ? expiration.type : undefined };
}

/** An ISO 8601 duration for a number of seconds, in days when it is whole days. */
export function isoDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s % 86_400 === 0 ? `P${s / 86_400}D` : `PT${s}S`;
}

/**
 * The `duration` a live schedule stands for, judged against the one asked for: null when it never ends, the asked
 * duration when its end is start + that duration (within a tolerance), else the live span (a drift refresh shows).
 */
export function liveDuration(s: RawSchedule, wanted: string | null): string | null {
  const { start, end, type } = scheduleInfo(s);
  if (end === null || lower(type) === "noexpiration") return null;
  if (start === null) return wanted ?? "unknown";
  const span = (Date.parse(end) - Date.parse(start)) / 1000;
  if (!Number.isFinite(span)) return "unknown";
  const asked = wanted === null ? undefined : durationSeconds(wanted);
  return asked !== undefined && Math.abs(span - asked) <= END_TOLERANCE_SECONDS ? wanted : isoDuration(span);
}

function outputs(
  inputs: RoleEligibilityInputs,
  s: RawSchedule,
  origin: RoleEligibilityOutputs["origin"],
): RoleEligibilityOutputs {
  if (typeof s.id !== "string" || s.id === "")
    throw unexpectedAnswer(`GET ${RM}/roleEligibilitySchedules`, "an eligibility schedule with an id", s);
  const { start, end } = scheduleInfo(s);
  return {
    graphEndpoint: inputs.graphEndpoint,
    loginEndpoint: inputs.loginEndpoint,
    tenantId: inputs.tenantId,
    roleDefinitionId: inputs.roleDefinitionId,
    principalId: inputs.principalId,
    directoryScopeId: inputs.directoryScopeId,
    justification: inputs.justification,
    duration: liveDuration(s, inputs.duration),
    scheduleId: s.id,
    startDateTime: start,
    endDateTime: end,
    origin,
  };
}

/** The request body: the documented unifiedRoleEligibilityScheduleRequest fields (docs/references.md, "Role assignments, eligibilities, schedules"). */
export function requestBody(
  action: "adminAssign" | "adminUpdate" | "adminRemove",
  inputs: RoleEligibilityInputs,
  now: Date = new Date(),
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    action,
    principalId: inputs.principalId.toLowerCase(),
    roleDefinitionId: inputs.roleDefinitionId.toLowerCase(),
    directoryScopeId: inputs.directoryScopeId,
    justification: inputs.justification,
  };
  if (action !== "adminRemove") {
    body.scheduleInfo = {
      startDateTime: now.toISOString(),
      expiration: inputs.duration ? { type: "afterDuration", duration: inputs.duration } : { type: "noExpiration" },
    };
  }
  return body;
}

function errorCode(e: unknown): string | undefined {
  const cause = (e as { cause?: unknown })?.cause ?? e;
  const code = (cause as { code?: unknown })?.code;
  return typeof code === "string" ? code : undefined;
}

function statusOf(e: unknown): number | undefined {
  const cause = (e as { cause?: unknown })?.cause ?? e;
  const status = (cause as { status?: unknown })?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * Sends one schedule request. Graph's "already so" answers (400 RoleAssignmentExists on assign, 400
 * RoleAssignmentDoesNotExist or 404 on remove: unconfirmed by Microsoft's docs, docs/references.md, "Microsoft Graph") are not taken at their word:
 * the caller reads the schedules again either way.
 */
async function send(client: GraphClient, body: Record<string, unknown>, tolerated: string): Promise<void> {
  const what = `sending ${String(body.action)} for ${describe(body as unknown as RoleEligibilityInputs)}`;
  try {
    const answer = await during(what, () => client.post<unknown>(`${RM}/roleEligibilityScheduleRequests`, body));
    const status = lower((answer as Record<string, unknown> | undefined)?.status);
    if (status && REFUSED_STATUSES.includes(status))
      throw new Error(
        `${RESOURCE}: PIM answered the ${String(body.action)} request for ${describe(body as unknown as RoleEligibilityInputs)} with status ${String((answer as Record<string, unknown>).status)}. Nothing else was changed.`,
      );
  } catch (e) {
    if (errorCode(e) === tolerated || (tolerated === "RoleAssignmentDoesNotExist" && statusOf(e) === 404)) return;
    throw e;
  }
}

/** Reads the schedules until `done` holds (Graph applies a request within seconds); the last read either way. */
async function readBack(
  client: GraphClient,
  inputs: RoleEligibilityInputs,
  done: (found: RawSchedule[]) => boolean,
  delaysMs: readonly number[],
): Promise<RawSchedule[]> {
  let found = await findSchedules(client, inputs);
  for (const delay of delaysMs) {
    if (done(found)) break;
    await new Promise((r) => setTimeout(r, delay));
    found = await findSchedules(client, inputs);
  }
  return found;
}

/** Whether a live schedule holds the expiry asked for. */
function expiryMatches(s: RawSchedule, wanted: string | null): boolean {
  return liveDuration(s, wanted) === wanted;
}

/**
 * Makes the eligibility exist with the asked expiry: adopt what is there, request what is not, fix a different
 * expiry with `adminUpdate`, and prove each write by reading the schedule back.
 */
async function ensureEligibility(
  inputs: RoleEligibilityInputs,
  delaysMs: readonly number[],
): Promise<RoleEligibilityOutputs> {
  const client = graphClientFor(inputs, RESOURCE);
  if (inputs.duration !== null && durationSeconds(inputs.duration) === undefined)
    throw new Error(`${RESOURCE}: duration "${inputs.duration}" is not an ISO 8601 duration. Nothing was changed.`);
  const existing = await findSchedules(client, inputs);
  let origin: RoleEligibilityOutputs["origin"] = "adopted";
  if (existing.length === 0) {
    origin = "created";
    await send(client, requestBody("adminAssign", inputs), "RoleAssignmentExists");
  } else if (!existing.some((s) => expiryMatches(s, inputs.duration))) {
    await send(client, requestBody("adminUpdate", inputs), "RoleAssignmentExists");
  } else {
    return outputs(
      inputs,
      existing.find((s) => expiryMatches(s, inputs.duration))!,
      origin,
    );
  }
  const after = await readBack(client, inputs, (f) => f.some((s) => expiryMatches(s, inputs.duration)), delaysMs);
  const match = after.find((s) => expiryMatches(s, inputs.duration));
  if (!match) {
    const seen = after.map((s) => `${String(s.id)} (${liveDuration(s, inputs.duration) ?? "no expiry"})`);
    throw new Error(
      `${RESOURCE}: Graph accepted the request for ${describe(inputs)}, but reading the eligibility schedules back shows ` +
        (seen.length === 0 ? "no eligibility" : `${seen.join(", ")} instead of ${inputs.duration ?? "no expiry"}`) +
        `; run the update again, and look for a PIM policy that forbids it (Expiration_Admin_Eligibility) if it persists`,
    );
  }
  return outputs(inputs, match, origin);
}

async function removeEligibility(inputs: RoleEligibilityInputs, delaysMs: readonly number[]): Promise<void> {
  const client = graphClientFor(inputs, RESOURCE);
  const existing = await findSchedules(client, inputs);
  if (existing.length === 0) return;
  await send(client, requestBody("adminRemove", inputs), "RoleAssignmentDoesNotExist");
  const after = await readBack(client, inputs, (f) => f.length === 0, delaysMs);
  if (after.length > 0)
    throw new Error(
      `${RESOURCE}: Graph accepted the removal of ${describe(inputs)}, but the eligibility schedule ${after.map((s) => String(s.id)).join(", ")} is still there; run the update again`,
    );
}

/** The provider, with the read-back delays as a parameter (tests shorten them; the stack uses the defaults). */
export function roleEligibilityProviderWith(
  delaysMs: readonly number[],
): pulumi.dynamic.ResourceProvider<RoleEligibilityInputs, RoleEligibilityOutputs> {
  return {
    async diff(_id, olds, news) {
      return diffProps(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>, {
        replaceOn: ["roleDefinitionId", "principalId", "directoryScopeId"],
        ignore: ["justification", "scheduleId", "startDateTime", "endDateTime", "origin"],
      });
    },

    async create(inputs) {
      const outs = await ensureEligibility(inputs, delaysMs);
      return { id: outs.scheduleId, outs };
    },

    async update(_id, _olds, news) {
      return { outs: await ensureEligibility(news, delaysMs) };
    },

    /** The live schedule: gone → the resource leaves the state; a different expiry → a different `duration`. */
    async read(id, props) {
      const connection = connectionOf(RESOURCE, props);
      if (!props?.principalId || !props.roleDefinitionId)
        throw new Error(
          `${RESOURCE}: cannot read eligibility ${id} without principalId and roleDefinitionId in its state`,
        );
      const inputs: RoleEligibilityInputs = {
        ...connection,
        roleDefinitionId: props.roleDefinitionId,
        principalId: props.principalId,
        directoryScopeId: props.directoryScopeId ?? "/",
        justification: props.justification ?? "",
        duration: props.duration ?? null,
      };
      const found = await findSchedules(graphClientFor(connection, RESOURCE), inputs);
      if (found.length === 0) return {};
      const live = found.find((s) => expiryMatches(s, inputs.duration)) ?? found[0]!;
      const outs = outputs(inputs, live, props.origin ?? "adopted");
      return { id: outs.scheduleId, props: outs };
    },

    async delete(_id, props) {
      await removeEligibility({ ...props, ...connectionOf(RESOURCE, props) }, delaysMs);
    },
  };
}

export const roleEligibilityProvider = roleEligibilityProviderWith(READ_BACK_DELAYS_MS);
