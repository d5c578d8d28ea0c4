/**
 * The audit snapshot: the raw Graph and ARM answers one run read, keyed by logical source, so that a run can be
 * saved (`--save-snapshot`) and audited again offline (`--snapshot`). Objects are kept as Graph/ARM sent them;
 * only the envelope is validated here, and the checks read every field defensively. Format: docs/audit.md.
 */
import { z } from "zod";
import { UserInputError } from "../../cli/errors";
import { readJsonFile, writeTextFile } from "../../cli/files";

/**
 * 2: `tenantId` is required and is the tenant the tokens that read the snapshot were issued for. (Version 1 wrote the
 * stack's configured tenant, which proves nothing about where the answers came from.)
 */
export const SNAPSHOT_VERSION = 2;

/** A raw Graph or ARM object: at least an id (a name for ARM resources without one is tolerated). */
export type RawObject = Record<string, unknown>;

/** Sources read once per tenant, each a list of raw objects. */
export const LIST_SOURCES = [
  "users",
  "breakglassGroups",
  "caPolicies",
  "authenticationContexts",
  "fido2Policy",
  "roleDefinitions",
  "roleAssignmentScheduleInstances",
  "roleAssignmentSchedules",
  "roleEligibilityScheduleInstances",
  "roleManagementPolicyAssignments",
  "diagnosticSettings",
  "workspaces",
  "dataCollectionRules",
  "scheduledQueryRules",
  "actionGroups",
] as const;
/**
 * Sources read per object: per breakglass account (user object id), per group (group object id: the exclusion
 * group, groups holding a Tier-0 role, PIM-for-Groups groups, approver groups), per workspace (resource id, lower-case).
 */
export const KEYED_SOURCES = [
  "transitiveMemberOf",
  "authenticationMethods",
  "groupMembers",
  "groupOwners",
  "groupAssignmentScheduleInstances",
  "groupEligibilityScheduleInstances",
  "groupPolicyAssignments",
  "workspaceTables",
] as const;

/**
 * Sources read only when the stack config asks for them: the Sentinel analytics rules of the workspaces the settings
 * send to, with `monitoring.sentinel.enabled` (a snapshot without them is complete for a stack without Sentinel).
 */
export const CONDITIONAL_SOURCES = ["sentinelAlertRules"] as const;

export type ListSource = (typeof LIST_SOURCES)[number] | (typeof CONDITIONAL_SOURCES)[number];
export type KeyedSource = (typeof KEYED_SOURCES)[number];
export type SourceName = ListSource | KeyedSource;

export interface SnapshotSources {
  /** Users named by the stack config: breakglass accounts (by UPN and mail nickname), eligible admins, approvers. */
  users?: RawObject[];
  /** Groups whose displayName is breakglass.groupName. */
  breakglassGroups?: RawObject[];
  /** Every Conditional Access policy of the tenant, any state. */
  caPolicies?: RawObject[];
  /** Every authentication context class reference. */
  authenticationContexts?: RawObject[];
  /** The FIDO2 authentication-method configuration (one object), in whichever shape the tenant has. */
  fido2Policy?: RawObject[];
  /** The tenant's own (custom) role definitions: Tier-0 equivalents are read from their permissions. */
  roleDefinitions?: RawObject[];
  /** Active assignments of every Tier-0 role and privileged custom role (`$expand=principal`). */
  roleAssignmentScheduleInstances?: RawObject[];
  /** Assignment schedules of the same roles (`createdUsing` tells PIM from outside-PIM grants). */
  roleAssignmentSchedules?: RawObject[];
  /** Eligibilities of every Tier-0 role, managed role and privileged custom role (`$expand=principal`). */
  roleEligibilityScheduleInstances?: RawObject[];
  /** The policy assignment of every Tier-0 and managed role, with `policy.rules`. */
  roleManagementPolicyAssignments?: RawObject[];
  /** ARM: Entra (aadiam) diagnostic settings. */
  diagnosticSettings?: RawObject[];
  /** ARM: the Log Analytics workspaces the diagnostic settings send to. */
  workspaces?: RawObject[];
  /** ARM: the workspace-transformation data collection rules those workspaces name. */
  dataCollectionRules?: RawObject[];
  /** ARM: scheduled query rules of the monitoring subscription(s). */
  scheduledQueryRules?: RawObject[];
  /** ARM: the action groups those rules name. */
  actionGroups?: RawObject[];
  /** ARM: the Sentinel analytics rules of those workspaces (read with monitoring.sentinel.enabled). */
  sentinelAlertRules?: RawObject[];
  /** Per breakglass account (user object id): its groups, transitively. */
  transitiveMemberOf?: Record<string, RawObject[]>;
  /** Per breakglass account (user object id): its registered authentication methods. */
  authenticationMethods?: Record<string, RawObject[]>;
  /** Per group (object id): its members, transitively. */
  groupMembers?: Record<string, RawObject[]>;
  /** Per exclusion group (object id): its owners. */
  groupOwners?: Record<string, RawObject[]>;
  /** Per group holding a Tier-0 role (object id): PIM-for-Groups active memberships and ownerships. */
  groupAssignmentScheduleInstances?: Record<string, RawObject[]>;
  /** Per group holding a Tier-0 role (object id): PIM-for-Groups eligible memberships and ownerships. */
  groupEligibilityScheduleInstances?: Record<string, RawObject[]>;
  /** Per PIM-for-Groups group (object id): its member and owner policy assignments, with `policy.rules`. */
  groupPolicyAssignments?: Record<string, RawObject[]>;
  /** Per workspace (resource id, lower-case): its sign-in and audit tables. */
  workspaceTables?: Record<string, RawObject[]>;
}

export interface AuditSnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** ISO 8601 time the reads finished. */
  takenAt: string;
  /** The tenant read: the `tid` of the access tokens the reads used, not the stack's config. */
  tenantId: string;
  /** Where the answers came from (informational). */
  endpoints?: { graph?: string; arm?: string };
  sources: SnapshotSources;
  /** Sources that could not be read, with the reason. A failed source is reported, never treated as empty. */
  errors?: Partial<Record<SourceName, string>>;
}

const rawObject = z.record(z.string(), z.unknown());
const rawList = z.array(rawObject);
const keyed = z.record(z.string(), rawList);

const sourcesSchema = z.strictObject({
  ...Object.fromEntries([...LIST_SOURCES, ...CONDITIONAL_SOURCES].map((s) => [s, rawList.optional()])),
  ...Object.fromEntries(KEYED_SOURCES.map((s) => [s, keyed.optional()])),
} as Record<SourceName, z.ZodOptional<typeof rawList> | z.ZodOptional<typeof keyed>>);

const snapshotSchema = z.strictObject({
  version: z.literal(SNAPSHOT_VERSION, {
    error: (issue) =>
      issue.input === 1
        ? `is 1: a version 1 snapshot lacks the reads this audit judges by, and records the stack's configured tenant, not the tenant it was read from, so it cannot be audited against a stack; take a new one with --save-snapshot`
        : `must be ${SNAPSHOT_VERSION} (the only snapshot format this audit reads)`,
  }),
  takenAt: z.string().refine((t) => !Number.isNaN(Date.parse(t)), "must be an ISO 8601 date-time"),
  tenantId: z
    .string({ error: "must be the id of the tenant the snapshot was read from (a GUID)" })
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a tenant id (GUID)"),
  endpoints: z.strictObject({ graph: z.string().optional(), arm: z.string().optional() }).optional(),
  sources: sourcesSchema,
  errors: z.partialRecord(z.enum([...LIST_SOURCES, ...CONDITIONAL_SOURCES, ...KEYED_SOURCES]), z.string()).optional(),
});

export class SnapshotError extends UserInputError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** Validates a parsed snapshot; every problem is named by its path. */
export function parseSnapshot(value: unknown, file = "snapshot"): AuditSnapshot {
  const result = snapshotSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
    throw new SnapshotError(file, `is not an audit snapshot (format: docs/audit.md):\n${problems.join("\n")}`);
  }
  return result.data as AuditSnapshot;
}

/**
 * A snapshot is audited only against the stack of the tenant it was read from: another tenant's answers judged by
 * this stack's model would report findings (or their absence) about the wrong directory.
 */
export function assertSnapshotTenant(snapshot: AuditSnapshot, tenantId: string, file: string, stack: string): void {
  if (snapshot.tenantId.toLowerCase() === tenantId.toLowerCase()) return;
  throw new SnapshotError(
    file,
    `is a snapshot of tenant ${snapshot.tenantId.toLowerCase()}, but stack ${stack} governs tenant ${tenantId.toLowerCase()} (tenant.tenantId): audit it with the stack of tenant ${snapshot.tenantId.toLowerCase()} (--stack), or take a snapshot of tenant ${tenantId.toLowerCase()}`,
  );
}

export function readSnapshotFile(file: string): AuditSnapshot {
  return parseSnapshot(readJsonFile(file, "the audit snapshot"), file);
}

export function writeSnapshotFile(file: string, snapshot: AuditSnapshot): void {
  writeTextFile(file, `${JSON.stringify(snapshot, null, 2)}\n`, "--save-snapshot");
}
