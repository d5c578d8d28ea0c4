/**
 * The adopt snapshot: an audit snapshot (src/tools/audit/snapshot.ts, validated by the audit's own parser) plus the
 * reads only adopt and the preflight need, under `adopt`. Every adopt source is optional: an audit snapshot is an
 * adopt snapshot without them, and a check whose source is absent says so instead of passing. Format: docs/adopt.md.
 */
import { z } from "zod";
import { UserInputError } from "../../cli/errors";
import { readJsonFile, writeTextFile } from "../../cli/files";
import { parseSnapshot, SnapshotError, type AuditSnapshot, type RawObject } from "../audit/snapshot";

export const ADOPT_SNAPSHOT_VERSION = 1;

/** Read once per tenant. */
export const ADOPT_LIST_SOURCES = [
  /** `GET /organization`: the tenant's id and its initial domain. */
  "organization",
  /** Every user who holds, is eligible for or approves a Tier-0 role (by object id). */
  "holders",
  /** The FIDO2 authentication method configuration (one object). */
] as const;

/** Read per object id. */
export const ADOPT_KEYED_SOURCES = [
  /** Per emergency-account look-alike (user): its groups, transitively. */
  "holderGroups",
  /** Per emergency-account look-alike (user): its registered authentication methods. */
  "holderMethods",
  /** Per person adopt proposes as an eligible admin: their userRegistrationDetails (0 or 1 item). */
  "registrationDetails",
  /** Per group adopt reports on (the exclusion group it adopts, approver groups): its members, transitively. */
  "groupMembers",
  /** Per group adopt may adopt as the exclusion group: its owners. */
  "groupOwners",
] as const;

export type AdoptListSource = (typeof ADOPT_LIST_SOURCES)[number];
export type AdoptKeyedSource = (typeof ADOPT_KEYED_SOURCES)[number];
export type AdoptSourceName = AdoptListSource | AdoptKeyedSource;

export type AdoptSources = Partial<Record<AdoptListSource, RawObject[]>> &
  Partial<Record<AdoptKeyedSource, Record<string, RawObject[]>>>;

export interface AdoptReads {
  version: typeof ADOPT_SNAPSHOT_VERSION;
  sources: AdoptSources;
  /** Sources that could not be read, with the reason: the checks that need them report it. */
  errors?: Partial<Record<AdoptSourceName, string>>;
}

export interface AdoptSnapshot extends AuditSnapshot {
  adopt?: AdoptReads;
}

const rawObject = z.record(z.string(), z.unknown());
const rawList = z.array(rawObject);
const keyed = z.record(z.string(), rawList);

const adoptSchema = z.strictObject({
  version: z.literal(ADOPT_SNAPSHOT_VERSION, { error: `must be ${ADOPT_SNAPSHOT_VERSION}` }),
  sources: z.strictObject({
    ...Object.fromEntries(ADOPT_LIST_SOURCES.map((s) => [s, rawList.optional()])),
    ...Object.fromEntries(ADOPT_KEYED_SOURCES.map((s) => [s, keyed.optional()])),
  } as Record<AdoptSourceName, z.ZodOptional<typeof rawList> | z.ZodOptional<typeof keyed>>),
  errors: z.partialRecord(z.enum([...ADOPT_LIST_SOURCES, ...ADOPT_KEYED_SOURCES]), z.string()).optional(),
});

/** Validates a parsed snapshot: the audit part by the audit's parser, the adopt part here; problems name their path. */
export function parseAdoptSnapshot(value: unknown, file = "snapshot"): AdoptSnapshot {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SnapshotError(file, "is not an audit or adopt snapshot (a JSON object; format: docs/adopt.md)");
  }
  const { adopt, ...audit } = value as Record<string, unknown>;
  const snapshot: AdoptSnapshot = parseSnapshot(audit, file);
  if (adopt === undefined) return snapshot;
  const result = adoptSchema.safeParse(adopt);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - adopt.${i.path.join(".")}: ${i.message}`);
    throw new SnapshotError(file, `has a malformed adopt part (format: docs/adopt.md):\n${problems.join("\n")}`);
  }
  return { ...snapshot, adopt: result.data as AdoptReads };
}

export function readAdoptSnapshotFile(file: string): AdoptSnapshot {
  return parseAdoptSnapshot(readJsonFile(file, "the snapshot"), file);
}

export function adoptSnapshotText(snapshot: AdoptSnapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

export function writeAdoptSnapshotFile(file: string, snapshot: AdoptSnapshot, flag: string): void {
  writeTextFile(file, adoptSnapshotText(snapshot), flag);
}

/** The tenant a snapshot is of: the organization read (the tenant that answered), else the snapshot's own field. */
export function snapshotTenantId(snapshot: AdoptSnapshot): string | undefined {
  const org = snapshot.adopt?.sources.organization?.[0]?.id;
  return (typeof org === "string" ? org : snapshot.tenantId)?.toLowerCase();
}

/** A stack and a snapshot of another tenant are never judged together (exit 2, nothing written). */
export function assertSameTenant(stackTenantId: unknown, snapshot: AdoptSnapshot, source: string): void {
  const tenantId = snapshotTenantId(snapshot);
  if (!tenantId)
    throw new UserInputError(
      `${source} names no tenant (tenantId): it cannot be checked against the stack; take a new snapshot with npm run adopt`,
    );
  if (typeof stackTenantId === "string" && stackTenantId.trim().toLowerCase() !== tenantId) {
    throw new UserInputError(
      `${source} is of tenant ${tenantId}, but the stack governs tenant ${stackTenantId} (tenant.tenantId): nothing was written`,
    );
  }
}
