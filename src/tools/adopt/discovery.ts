/**
 * The config adopt reads the tenant by before there is a stack to read it by: the audit's reader (readTenant) takes a
 * validated config to know which users, groups and roles to read. Adopt needs only what the config names — the
 * tenant, the emergency accounts and their group name, the managed roles — so it starts from a minimal valid config
 * for the tenant and takes each section of an existing stack file that validates. The proposal never comes from
 * this config: only from what was read.
 */
import { GUID } from "@entra-baseline/model";
import { validateConfig, type BaselineConfig } from "../../config/validate";

/** Stand-ins that make the minimal config valid; they name nobody (example.invalid never resolves). */
const DISCOVERY_BASE = (tenantId: string): Record<string, unknown> => ({
  tenant: { tenantId },
  pim: {
    eligibleAdmins: ["adopt-discovery-1@example.invalid"],
    approvers: { users: ["adopt-discovery-2@example.invalid"], groups: [] },
    notificationRecipients: ["adopt-discovery@example.invalid"],
  },
  monitoring: { actionGroup: { emails: ["adopt-discovery@example.invalid"] } },
});

const SECTIONS = ["tenant", "breakglass", "pim", "exceptions", "conditionalAccess", "monitoring", "limits"] as const;

export function discoveryConfig(tenantId: string, existing?: Record<string, unknown>): BaselineConfig {
  const base = DISCOVERY_BASE(tenantId);
  const raw: Record<string, unknown> = { ...base };
  for (const section of SECTIONS) {
    if (existing?.[section] === undefined) continue;
    const candidate = { ...raw, [section]: existing[section] };
    // The tenant stays the one read: a stack of another tenant is refused before this is used.
    if (section === "tenant") candidate.tenant = { ...(existing.tenant as object), tenantId };
    if (validateConfig(candidate).config) Object.assign(raw, { [section]: candidate[section] });
  }
  const result = validateConfig(raw);
  return result.config ?? validateConfig(base).config!;
}

/**
 * The users an existing stack names (eligible admins, approvers, members of PIM groups), as written (UPNs or object
 * ids): adopt reads them too, so that the preflight judges the merged stack's people, not only the tenant's holders.
 */
export function configuredUserRefs(
  existing: Record<string, unknown> | undefined,
  which: "all" | "eligible" = "all",
): string[] {
  const out = new Set<string>();
  const pim = record(existing?.pim);
  const take = (v: unknown) => {
    if (Array.isArray(v))
      for (const x of v) if (typeof x === "string" && x.trim() !== "") out.add(x.trim().toLowerCase());
  };
  take(pim.eligibleAdmins);
  for (const r of list(pim.roles)) take(record(r).eligibleUsers);
  for (const g of list(pim.groups)) take(record(g).eligibleMembers);
  if (which === "all") {
    take(record(pim.approvers).users);
    for (const r of list(pim.roles)) take(record(record(r).approvers).users);
    for (const t of Object.values(record(pim.templates))) take(record(record(t).approvers).users);
  }
  return [...out].sort();
}

export function splitRefs(refs: readonly string[]): { ids: string[]; upns: string[] } {
  return { ids: refs.filter((r) => GUID.test(r)), upns: refs.filter((r) => !GUID.test(r)) };
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
