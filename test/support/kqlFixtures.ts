/**
 * Breakglass identities and review options used by the KQL tests (shapes as the program resolves them), and log
 * records shaped like the documented ones (R4: AuditLogs §1–§3, sign-in tables §4), to evaluate the queries over.
 *
 * Record shapes, with their sources:
 * - TargetResources items `{id, displayName, type, userPrincipalName, modifiedProperties[{displayName, oldValue,
 *   newValue}], administrativeUnits}`; modified values are JSON-encoded strings (`"\"Global Administrator\""`).
 * - Core Directory "Add member to role": the role in the principal target's modifiedProperties (Role.ObjectID,
 *   Role.DisplayName, Role.TemplateId, Role.WellKnownObjectName; service principals also
 *   TargetId.ServicePrincipalNames), then a Role target with a null displayName and no properties.
 * - PIM records: LoggedByService "PIM", targets Role (display name, TemplateId property), Request, User (display
 *   name, no UPN in the captured record), Directory, Other; AdditionalDetails key/value pairs with the
 *   justification under "Justification", copied into ResultReason.
 * - Sign-ins: ResultType a string ("0" = success); LocationDetails dynamic in SigninLogs, a JSON string in
 *   AADNonInteractiveUserSignInLogs.
 */
import {
  type BreakglassPrincipals,
  GLOBAL_ADMINISTRATOR,
  type KqlTable,
  PIM_OPERATIONS,
  type PimEvent,
  PRIVILEGED_ROLE_ADMINISTRATOR,
} from "@entra-baseline/model";
import { TABLES } from "./kusto";

export function breakglassOf(count: number): BreakglassPrincipals {
  const n = (i: number) => String(i + 1).padStart(2, "0");
  return {
    userPrincipalNames: Array.from({ length: count }, (_, i) => `breakglass-${n(i)}@contoso.onmicrosoft.com`),
    objectIds: Array.from(
      { length: count },
      (_, i) => `${String(i + 1).repeat(8)}-aaaa-4bbb-8ccc-${String(i + 1).repeat(12)}`,
    ),
    groupObjectId: "99999999-eeee-4fff-8aaa-999999999999",
  };
}

/** Review options as the program resolves them for a stack managing Global Administrator and one more role. */
export const REVIEW_OPTIONS = {
  roles: ["Global Administrator", "Privileged Role Administrator"],
  ticketPattern: "(INC|CHG)[0-9]{6,}",
  minActiveDays: 4,
  workingHours: { start: 8, end: 18, utcOffsetHours: 5.5 },
};

export type LogRecord = Record<string, unknown>;

/** Records as tables typed by the documented schemas the analyzer uses (test/support/kusto.ts). */
export function logTables(records: Partial<Record<keyof typeof TABLES, LogRecord[]>>): Record<string, KqlTable> {
  return Object.fromEntries(
    Object.entries(TABLES).map(([name, columns]) => [
      name,
      { columns: columns as KqlTable["columns"], rows: records[name as keyof typeof TABLES] ?? [] },
    ]),
  );
}

let sequence = 0;
const guid = (prefix: string) => {
  sequence++;
  return `${prefix.padEnd(8, "0").slice(0, 8)}-0000-4000-8000-${String(sequence).padStart(12, "0")}`;
};
const quoted = (value: string) => JSON.stringify(value);
const property = (displayName: string, newValue: string | null, oldValue: string | null = null) => ({
  displayName,
  oldValue,
  newValue,
});

export interface Actor {
  user?: { id: string; userPrincipalName: string; displayName?: string };
  app?: { appId?: string; displayName: string; servicePrincipalId: string };
}

export const ADMIN_ACTOR: Actor = {
  user: {
    id: "a0a0a0a0-0000-4000-8000-000000000001",
    userPrincipalName: "it.admin@contoso.com",
    displayName: "IT Admin",
  },
};

function initiatedBy(actor: Actor) {
  return {
    user: actor.user ? { ipAddress: "203.0.113.7", displayName: actor.user.displayName ?? null, ...actor.user } : null,
    app: actor.app ? { appId: actor.app.appId ?? null, servicePrincipalName: null, ...actor.app } : null,
  };
}

/** Well-known object names Core Directory logs with Role.WellKnownObjectName (values as in captured records). */
const WELL_KNOWN_NAMES: Record<string, string> = { [GLOBAL_ADMINISTRATOR]: "TenantAdmins" };

export interface Grantee {
  id: string;
  type: "User" | "ServicePrincipal" | "Group";
  /** A user's UPN (null for other types). */
  userPrincipalName?: string;
  displayName?: string;
}

export interface RoleRefFixture {
  templateId: string;
  name: string;
}

/** A direct role grant as Core Directory logs it ("Add member to role"). */
export function coreDirectoryRoleGrant(options: {
  time: string;
  grantee: Grantee;
  role: RoleRefFixture;
  actor?: Actor;
  /** The token's identity: the caller's display name, or PIM's service identity when PIM made the change. */
  identity?: string;
  ingested?: string;
}): LogRecord {
  const roleObjectId = guid("0b0e0000");
  const { grantee, role } = options;
  const actor = options.actor ?? ADMIN_ACTOR;
  const principal = {
    id: grantee.id,
    displayName: grantee.type === "User" ? null : (grantee.displayName ?? null),
    type: grantee.type,
    userPrincipalName: grantee.type === "User" ? (grantee.userPrincipalName ?? null) : null,
    modifiedProperties: [
      property("Role.ObjectID", quoted(roleObjectId)),
      property("Role.DisplayName", quoted(role.name)),
      property("Role.TemplateId", quoted(role.templateId)),
      property("Role.WellKnownObjectName", quoted(WELL_KNOWN_NAMES[role.templateId] ?? role.name.replace(/ /g, ""))),
      ...(grantee.type === "ServicePrincipal"
        ? [property("TargetId.ServicePrincipalNames", quoted(`${grantee.id};api://${grantee.id}`))]
        : []),
    ],
    administrativeUnits: [],
  };
  return {
    TimeGenerated: options.time,
    ActivityDateTime: options.time,
    ...(options.ingested ? { $ingestionTime: options.ingested } : {}),
    Id: `Directory_${guid("d1")}_ABCDE_${sequence}`,
    OperationName: "Add member to role",
    ActivityDisplayName: "Add member to role",
    Category: "RoleManagement",
    AADOperationType: "Assign",
    Result: "success",
    LoggedByService: "Core Directory",
    Identity: options.identity ?? actor.user?.displayName ?? actor.app?.displayName ?? "",
    CorrelationId: guid("c0"),
    InitiatedBy: initiatedBy(actor),
    TargetResources: [
      principal,
      { id: roleObjectId, displayName: null, type: "Role", modifiedProperties: [], administrativeUnits: [] },
    ],
    AdditionalDetails: [],
  };
}

/** PIM's Role target: display name, id and its origin/template properties (values JSON-quoted, old values ""). */
function pimRoleTarget(role: RoleRefFixture) {
  return {
    id: role.templateId,
    displayName: role.name,
    type: "Role",
    modifiedProperties: [
      property("RoleDefinitionOriginId", quoted(role.templateId), quoted("")),
      property("RoleDefinitionOriginType", quoted("BuiltInRole"), quoted("")),
      property("TemplateId", quoted(role.templateId), quoted("")),
    ],
    administrativeUnits: [],
  };
}

function pimTargets(role: RoleRefFixture, principal: Grantee) {
  return [
    pimRoleTarget(role),
    { id: guid("4e9"), type: "Request", modifiedProperties: [], administrativeUnits: [] },
    {
      id: principal.id,
      displayName: principal.displayName ?? null,
      type: principal.type,
      ...(principal.userPrincipalName ? { userPrincipalName: principal.userPrincipalName } : {}),
      modifiedProperties: [],
      administrativeUnits: [],
    },
    { id: "11111111-2222-3333-4444-555555555555", displayName: "Contoso", type: "Directory", modifiedProperties: [] },
    { id: guid("07e"), type: "Other", modifiedProperties: [] },
  ];
}

/** PIM's record of an assignment it found made outside PIM ("Add member to role outside of PIM (permanent)"). */
export function pimOutsidePimRecord(options: {
  time: string;
  grantee: Grantee;
  role: RoleRefFixture;
  actor?: Actor;
}): LogRecord {
  return {
    TimeGenerated: options.time,
    ActivityDateTime: options.time,
    Id: `PIM_${guid("e1")}_${guid("e2")}_1`,
    OperationName: "Add member to role outside of PIM (permanent)",
    ActivityDisplayName: "Add member to role outside of PIM (permanent)",
    Category: "RoleManagement",
    AADOperationType: "Assign",
    Result: "success",
    LoggedByService: "PIM",
    Identity: "MS-PIM",
    CorrelationId: guid("c0"),
    InitiatedBy: initiatedBy(options.actor ?? { app: { displayName: "MS-PIM", servicePrincipalId: guid("5e") } }),
    TargetResources: pimTargets(options.role, options.grantee),
    AdditionalDetails: [
      { key: "RoleDefinitionOriginId", value: options.role.templateId },
      { key: "RoleDefinitionOriginType", value: "BuiltInRole" },
      { key: "TemplateId", value: options.role.templateId },
    ],
  };
}

export const GLOBAL_ADMIN_ROLE: RoleRefFixture = { templateId: GLOBAL_ADMINISTRATOR, name: "Global Administrator" };
export const PRIVILEGED_ROLE_ADMIN_ROLE: RoleRefFixture = {
  templateId: PRIVILEGED_ROLE_ADMINISTRATOR,
  name: "Privileged Role Administrator",
};

/** One PIM activation event for a role (Global Administrator by default), as PIM logs it. */
export function pimActivationEvent(options: {
  event: PimEvent;
  time: string;
  admin: { id: string; upn: string; displayName?: string };
  /** Who acted: the admin for requests and activations, the approver for approvals and denials. */
  actor?: { id: string; upn: string };
  correlationId: string;
  justification?: string;
  /** A ticket in AdditionalDetails under this key (the keys PIM might use are unconfirmed). */
  ticket?: { key: string; value: string };
  /** Whether the User target carries the admin's UPN (unconfirmed: the captured record has only a display name). */
  targetUpn?: boolean;
  role?: RoleRefFixture;
  category?: string;
  loggedByService?: string;
  /** Set false to leave ResultReason empty (only AdditionalDetails then has the justification). */
  copyJustificationToResultReason?: boolean;
  /** Set false to log the justification in ResultReason only. */
  justificationInDetails?: boolean;
}): LogRecord {
  const role = options.role ?? GLOBAL_ADMIN_ROLE;
  const actor = options.actor ?? options.admin;
  const justification = options.justification ?? "";
  const details = [
    { key: "RoleDefinitionOriginId", value: role.templateId },
    { key: "RoleDefinitionOriginType", value: "BuiltInRole" },
    { key: "TemplateId", value: role.templateId },
    { key: "StartTime", value: options.time },
    ...(justification && options.justificationInDetails !== false
      ? [{ key: "Justification", value: justification }]
      : []),
    ...(options.ticket ? [{ key: options.ticket.key, value: options.ticket.value }] : []),
    { key: "RoleAssignmentRequestId", value: options.correlationId },
    ...(options.event === "activated" ? [{ key: "AuditType", value: "ActivateRole" }] : []),
  ];
  return {
    TimeGenerated: options.time,
    ActivityDateTime: options.time,
    Id: `PIM_${guid("e1")}_${guid("e2")}_1`,
    OperationName: PIM_OPERATIONS[options.event],
    ActivityDisplayName: PIM_OPERATIONS[options.event],
    Category: options.category ?? "RoleManagement",
    AADOperationType: options.event === "expired" ? "Unassign" : "Update",
    Result: "success",
    ResultReason: options.copyJustificationToResultReason === false ? "" : justification,
    LoggedByService: options.loggedByService ?? "PIM",
    Identity: "MS-PIM",
    CorrelationId: options.correlationId,
    InitiatedBy:
      options.event === "expired"
        ? {
            user: {
              displayName: "Azure AD PIM",
              id: "9dfd627f-0000-4000-8000-000000000000",
              userPrincipalName: null,
              ipAddress: null,
            },
            app: null,
          }
        : initiatedBy({ user: { id: actor.id, userPrincipalName: actor.upn } }),
    TargetResources: pimTargets(role, {
      id: options.admin.id,
      type: "User",
      displayName: options.admin.displayName ?? options.admin.upn.split("@")[0],
      ...(options.targetUpn ? { userPrincipalName: options.admin.upn } : {}),
    }),
    AdditionalDetails: details,
  };
}

/** A sign-in record of either sign-in table (the non-interactive table's detail columns are JSON strings). */
export function signInRecord(
  table: "SigninLogs" | "AADNonInteractiveUserSignInLogs",
  options: { time: string; userPrincipalName: string; userId: string; resultType?: string; country?: string },
): LogRecord {
  const resultType = options.resultType ?? "0";
  const location = {
    city: "Redmond",
    state: "Washington",
    countryOrRegion: options.country ?? "US",
    geoCoordinates: {},
  };
  const status =
    resultType === "0"
      ? { errorCode: 0 }
      : { errorCode: Number(resultType), failureReason: "Invalid username or password." };
  const detail = (v: unknown) => (table === "SigninLogs" ? v : JSON.stringify(v));
  return {
    TimeGenerated: options.time,
    CreatedDateTime: options.time,
    UserPrincipalName: options.userPrincipalName,
    UserId: options.userId,
    UserDisplayName: "Emergency access",
    ResultType: resultType,
    ResultDescription:
      resultType === "0" ? "" : "Invalid username or password or Invalid on-premise username or password.",
    IPAddress: "198.51.100.23",
    AppDisplayName: "Azure Portal",
    AppId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
    ClientAppUsed: "Browser",
    ConditionalAccessStatus: "notApplied",
    AuthenticationRequirement: "multiFactorAuthentication",
    LocationDetails: detail(location),
    DeviceDetail: detail({ browser: "Edge 120.0.0", operatingSystem: "Windows10" }),
    Status: detail(status),
    MfaDetail: detail({}),
    ConditionalAccessPolicies: detail([]),
    CorrelationId: guid("5c"),
    RiskLevelDuringSignIn: "none",
  };
}
