/**
 * The one place the stack configuration is read and validated.
 *
 * Validation is complete before a single resource is declared and reports every problem at once, each naming the
 * key path, quoting the offending value and saying what is expected. The checks that relate keys to each other
 * (a breakglass account listed as eligible, self-approval, limits) run even when other keys are broken, so a user
 * fixes their stack file in one pass.
 */
import type { z } from "zod";
import { UserInputError } from "../cli/errors";
import {
  CONFIG_KEYS,
  REQUIRED_CONFIG_KEYS,
  configSchemas,
  type BreakglassConfig,
  type ConditionalAccessConfig,
  type ConfigKey,
  type GraphConfig,
  type LimitsConfig,
  type MonitoringConfig,
  type PimConfig,
  type TenantConfig,
} from "./schema";
import { describeSeconds, durationSeconds, GUID, REQUIRED_LOG_CATEGORIES, UPN_MAX_LENGTH } from "@entra-baseline/model";

export const CONFIG_NAMESPACE = "entra-baseline";

/** One problem with the configuration. `path` is a key path such as `pim.eligibleAdmins[2]`. */
export interface ConfigIssue {
  path: string;
  message: string;
}

export interface BreakglassAccount {
  /** Local part of the UPN. */
  name: string;
  displayName: string;
}

export interface BaselineConfig {
  tenant: TenantConfig;
  graph: GraphConfig;
  pim: PimConfig;
  breakglass: Omit<BreakglassConfig, "accounts"> & { accounts: BreakglassAccount[] };
  conditionalAccess: ConditionalAccessConfig;
  monitoring: MonitoringConfig;
  limits: LimitsConfig;
}

export class ConfigError extends UserInputError {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      `Invalid entra-baseline configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}); nothing was declared:\n` +
        issues.map((i) => `  - ${formatIssue(i)}`).join("\n"),
    );
  }
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.path}: ${issue.message}`;
}

export interface ValidationResult {
  config?: BaselineConfig;
  errors: ConfigIssue[];
  /** Sound but not recommended settings (e.g. a single approver). */
  warnings: ConfigIssue[];
}

/** Validates raw config values keyed by their name without the namespace (`pim`, `breakglass`, …). */
export function validateConfig(raw: Record<string, unknown>): ValidationResult {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const parsed: Partial<Record<ConfigKey, unknown>> = {};
  const partial: Partial<Record<ConfigKey, unknown>> = {};

  for (const key of Object.keys(raw)) {
    if (!(CONFIG_KEYS as string[]).includes(key)) {
      errors.push({
        path: key,
        message: `unknown key${didYouMean(key, CONFIG_KEYS)} (expected one of: ${CONFIG_KEYS.join(", ")})`,
      });
    }
  }
  for (const key of CONFIG_KEYS) {
    const value = raw[key];
    if (value === undefined && REQUIRED_CONFIG_KEYS.includes(key)) {
      errors.push({ path: key, message: `is required (set ${CONFIG_NAMESPACE}:${key} in the stack file)` });
      continue;
    }
    const result = (configSchemas[key] as z.ZodType).safeParse(value);
    if (result.success) parsed[key] = result.data;
    else {
      errors.push(
        ...result.error.issues.flatMap((issue) => zodIssues(key, configSchemas[key] as z.ZodType, value, issue)),
      );
      partial[key] = salvage(configSchemas[key] as z.ZodType, value);
    }
  }

  // Sections with errors still take part in the cross-key checks with the fields that did parse.
  const c = parsed as Partial<BaselineConfig> & { breakglass?: BreakglassConfig };
  const p = partial as {
    pim?: Partial<PimConfig>;
    limits?: LimitsConfig;
    breakglass?: BreakglassConfig;
    monitoring?: Partial<MonitoringConfig>;
  };
  const bgSource = c.breakglass ?? p.breakglass;
  const breakglass = bgSource ? resolveBreakglass(bgSource, raw.breakglass, c.tenant, errors) : undefined;
  if (c.limits) checkLimits(c.limits, errors);
  const pim = c.pim ?? p.pim;
  if (pim) checkPim(pim, c.limits, breakglass, errors, warnings);
  if (c.conditionalAccess) checkConditionalAccess(c.conditionalAccess, warnings);
  if (c.monitoring) checkMonitoring(c.monitoring, c.limits, errors);
  if (c.pim && breakglass && c.limits && errors.length === 0) {
    const holders = c.pim.eligibleAdmins.length + breakglass.accounts.length;
    const { min, max } = c.limits.globalAdmins;
    if (holders < min || holders > max) {
      errors.push({
        path: "pim.eligibleAdmins",
        message: `${c.pim.eligibleAdmins.length} eligible + ${breakglass.accounts.length} breakglass = ${holders} Global Administrators; CISA MS.AAD.7.1 allows ${min}–${max} (limits.globalAdmins)`,
      });
    }
  }

  if (errors.length > 0) return { errors, warnings };
  return { config: { ...(c as BaselineConfig), breakglass: breakglass! }, errors, warnings };
}

/**
 * The fields of an invalid section that are valid on their own (defaults applied), so that the cross-key checks
 * can still report problems in them.
 */
function salvage(schema: z.ZodType, value: unknown): Record<string, unknown> | undefined {
  let inner: unknown = schema;
  while (
    inner &&
    typeof inner === "object" &&
    "unwrap" in inner &&
    typeof (inner as { unwrap: unknown }).unwrap === "function"
  ) {
    inner = (inner as { unwrap(): unknown }).unwrap();
  }
  const shape = (inner as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape || !isRecord(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [field, fieldSchema] of Object.entries(shape)) {
    const r = fieldSchema.safeParse(value[field]);
    if (r.success && r.data !== undefined) out[field] = r.data;
    else if (Array.isArray(value[field]) && (value[field] as unknown[]).every((v) => typeof v === "string"))
      out[field] = value[field];
    else if (isRecord(value[field])) out[field] = salvage(fieldSchema, value[field]);
  }
  return out;
}

function resolveBreakglass(
  bg: Partial<BreakglassConfig>,
  rawBg: unknown,
  tenant: TenantConfig | undefined,
  errors: ConfigIssue[],
): BaselineConfig["breakglass"] {
  const rawCount = isRecord(rawBg) ? rawBg.count : undefined;
  if (bg.accounts && rawCount !== undefined && rawCount !== bg.accounts.length) {
    errors.push({
      path: "breakglass.count",
      message: `${quote(rawCount)} disagrees with the ${bg.accounts.length} entries of breakglass.accounts (set one or the other)`,
    });
  }
  const count = typeof rawCount === "number" && rawCount > 0 && rawCount <= 10 ? rawCount : (bg.count ?? 2);
  const generated = Array.from({ length: count }, (_, i) => ({
    name: `${bg.namePrefix ?? "breakglass"}-${String(i + 1).padStart(2, "0")}`,
  }));
  const accounts: BreakglassAccount[] = (bg.accounts ?? generated).map((a: { name: string; displayName?: string }) => ({
    name: a.name,
    displayName: a.displayName ?? `Emergency access ${a.name}`,
  }));
  const seen = new Map<string, number>();
  accounts.forEach((a, i) => {
    const prior = seen.get(a.name.toLowerCase());
    if (prior !== undefined)
      errors.push({
        path: `breakglass.accounts[${i}].name`,
        message: `${quote(a.name)} is listed twice (also at [${prior}])`,
      });
    else seen.set(a.name.toLowerCase(), i);
  });
  if (bg.domain && tenant?.initialDomain && bg.domain.toLowerCase() !== tenant.initialDomain.toLowerCase()) {
    errors.push({
      path: "breakglass.domain",
      message: `${quote(bg.domain)} is not the tenant's initial domain ${quote(tenant.initialDomain)} (tenant.initialDomain)`,
    });
  }
  const domain = bg.domain ?? tenant?.initialDomain;
  if (domain) {
    accounts.forEach((a, i) => {
      const upn = `${a.name}@${domain}`;
      if (upn.length > UPN_MAX_LENGTH) {
        errors.push({
          path: `breakglass.accounts[${i}].name`,
          message: `${quote(upn)} is ${upn.length} characters; a user principal name has at most ${UPN_MAX_LENGTH}`,
        });
      }
    });
  }
  if (bg.fido2) duplicates(bg.fido2.aaguids, "breakglass.fido2.aaguids", errors);
  return { ...(bg as BreakglassConfig), domain, accounts };
}

/** The activation policy is what makes PIM ask for a fresh MFA; anything but "enabled" is a rollout step. */
function checkConditionalAccess(ca: ConditionalAccessConfig, warnings: ConfigIssue[]): void {
  if (ca.activationPolicyState !== "enabled") {
    warnings.push({
      path: "conditionalAccess.activationPolicyState",
      message: `${quote(ca.activationPolicyState)} does not enforce the activation policy: activating Global Administrator will not ask for a fresh phishing-resistant MFA (the policy pack's ga-activation-policy rejects it)`,
    });
  }
}

function checkLimits(limits: LimitsConfig, errors: ConfigIssue[]): void {
  const min = durationSeconds(limits.activationDuration.min)!;
  const max = durationSeconds(limits.activationDuration.max)!;
  if (min > max) {
    errors.push({
      path: "limits.activationDuration",
      message: `min ${quote(limits.activationDuration.min)} is longer than max ${quote(limits.activationDuration.max)}`,
    });
  }
  if (max > 24 * 3600) {
    errors.push({
      path: "limits.activationDuration.max",
      message: `${quote(limits.activationDuration.max)} is longer than the 24 hours PIM allows`,
    });
  }
  if (limits.globalAdmins.min > limits.globalAdmins.max) {
    errors.push({
      path: "limits.globalAdmins",
      message: `min ${limits.globalAdmins.min} is greater than max ${limits.globalAdmins.max}`,
    });
  }
  if (limits.globalAdmins.min < 2) {
    errors.push({
      path: "limits.globalAdmins.min",
      message: `${limits.globalAdmins.min} is below 2: the breakglass accounts alone are two Global Administrators`,
    });
  }
}

function checkPim(
  pim: Partial<PimConfig>,
  limits: LimitsConfig | undefined,
  breakglass: BaselineConfig["breakglass"] | undefined,
  errors: ConfigIssue[],
  warnings: ConfigIssue[],
): void {
  const eligibleAdmins = pim.eligibleAdmins ?? [];
  const approverUsers = pim.approvers?.users ?? [];
  const approverGroups = pim.approvers?.groups ?? [];
  if (limits && pim.maxActivationDuration) {
    const seconds = durationSeconds(pim.maxActivationDuration)!;
    const max = durationSeconds(limits.activationDuration.max)!;
    const min = durationSeconds(limits.activationDuration.min)!;
    if (seconds > max) {
      errors.push({
        path: "pim.maxActivationDuration",
        message: `${quote(pim.maxActivationDuration)} is longer than the allowed ${describeSeconds(max)} (limits.activationDuration.max)`,
      });
    } else if (seconds < min) {
      errors.push({
        path: "pim.maxActivationDuration",
        message: `${quote(pim.maxActivationDuration)} is shorter than the allowed ${describeSeconds(min)} (limits.activationDuration.min)`,
      });
    }
  }
  duplicates(eligibleAdmins, "pim.eligibleAdmins", errors);
  duplicates(approverUsers, "pim.approvers.users", errors);
  duplicates(approverGroups, "pim.approvers.groups", errors);
  duplicates(pim.notificationRecipients ?? [], "pim.notificationRecipients", errors);

  const approverCount = approverUsers.length + approverGroups.length;
  if (!pim.approvers) {
    // Missing or malformed: already reported by the schema.
  } else if (approverCount === 0) {
    errors.push({
      path: "pim.approvers",
      message: "lists no approver: every activation needs a second person's approval (CISA MS.AAD.7.6)",
    });
  } else if (approverGroups.length === 0) {
    const approvers = new Set(approverUsers.map((u) => u.toLowerCase()));
    eligibleAdmins.forEach((admin, i) => {
      const others = [...approvers].filter((a) => a !== admin.toLowerCase());
      if (others.length === 0) {
        errors.push({
          path: `pim.eligibleAdmins[${i}]`,
          message: `${quote(admin)} is the only approver of their own activation; a requester can never approve themselves, so add another approver (Microsoft recommends two)`,
        });
      }
    });
    if (approverCount === 1 && errors.length === 0) {
      warnings.push({
        path: "pim.approvers",
        message: "has a single approver; Microsoft recommends at least two so activation never waits on one person",
      });
    }
  }

  if (breakglass) {
    const domain = breakglass.domain?.toLowerCase();
    const names = new Map(breakglass.accounts.map((a) => [a.name.toLowerCase(), a.name]));
    const check = (values: string[], path: string, role: string) =>
      values.forEach((value, i) => {
        if (GUID.test(value)) return;
        const [local, upnDomain] = value.toLowerCase().split("@");
        if (names.has(local) && (!domain || upnDomain === domain)) {
          errors.push({
            path: `${path}[${i}]`,
            message: `${quote(value)} is breakglass account ${quote(names.get(local))}: emergency accounts hold permanent Global Administrator and must never be ${role}`,
          });
        }
      });
    check(eligibleAdmins, "pim.eligibleAdmins", "PIM-eligible");
    check(approverUsers, "pim.approvers.users", "PIM approvers");
  }
}

function checkMonitoring(monitoring: MonitoringConfig, limits: LimitsConfig | undefined, errors: ConfigIssue[]): void {
  duplicates(monitoring.logCategories, "monitoring.logCategories", errors);
  for (const required of REQUIRED_LOG_CATEGORIES) {
    if (!monitoring.logCategories.includes(required)) {
      errors.push({
        path: "monitoring.logCategories",
        message: `${quote(monitoring.logCategories)} is missing ${required}, which the tripwire and the PIM review read`,
      });
    }
  }
  if (limits && !monitoring.existingWorkspaceId && monitoring.retentionInDays < limits.minRetentionInDays) {
    errors.push({
      path: "monitoring.retentionInDays",
      message: `${monitoring.retentionInDays} is below the required ${limits.minRetentionInDays} days (limits.minRetentionInDays)`,
    });
  }
  const ag = monitoring.actionGroup;
  if (ag.emails.length + ag.sms.length + ag.webhooks.length === 0) {
    errors.push({
      path: "monitoring.actionGroup",
      message: "has no receiver: a tripwire nobody hears is no tripwire (add emails, sms or webhooks)",
    });
  }
  if (monitoring.workingHours.start >= monitoring.workingHours.end) {
    errors.push({
      path: "monitoring.workingHours",
      message: `start ${monitoring.workingHours.start} is not before end ${monitoring.workingHours.end}`,
    });
  }
}

function duplicates(values: string[], path: string, errors: ConfigIssue[]): void {
  const seen = new Map<string, number>();
  values.forEach((value, i) => {
    const prior = seen.get(value.toLowerCase());
    if (prior !== undefined)
      errors.push({ path: `${path}[${i}]`, message: `${quote(value)} is listed twice (also at [${prior}])` });
    else seen.set(value.toLowerCase(), i);
  });
}

function zodIssues(key: string, schema: z.ZodType, root: unknown, issue: z.core.$ZodIssue): ConfigIssue[] {
  const segments = issue.path as PropertyKey[];
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(schema, segments);
    return issue.keys.map((unknown) => ({
      path: formatPath([key, ...segments, unknown]),
      message: `unknown key${didYouMean(unknown, known)} (expected one of: ${known.join(", ")})`,
    }));
  }
  return [zodIssue(key, root, issue, segments)];
}

function zodIssue(key: string, root: unknown, issue: z.core.$ZodIssue, segments: PropertyKey[]): ConfigIssue {
  const path = formatPath([key, ...segments]);
  const value = valueAt(root, segments);
  if (value === undefined) return { path, message: "is required" };
  let message = issue.message;
  if (issue.code === "invalid_type") message = `must be ${article(issue.expected)}`;
  else if (issue.code === "too_small" && issue.origin === "array" && !/^must/.test(message))
    message = `must have at least ${issue.minimum} entries`;
  else if (issue.code === "too_small" || issue.code === "too_big") {
    if (!/^must/.test(message))
      message = `must be ${issue.code === "too_small" ? "at least" : "at most"} ${String((issue as { minimum?: unknown; maximum?: unknown }).minimum ?? (issue as { maximum?: unknown }).maximum)}`;
  }
  return { path, message: `${quote(value)} ${message}` };
}

/** The keys an object schema accepts at `segments` (through defaults, optionals and list elements). */
function knownKeysAt(schema: z.ZodType, segments: PropertyKey[]): string[] {
  let node: unknown = schema;
  const unwrap = () => {
    for (;;) {
      if (
        node &&
        typeof node === "object" &&
        "unwrap" in node &&
        typeof (node as { unwrap: unknown }).unwrap === "function"
      )
        node = (node as { unwrap(): unknown }).unwrap();
      else if (node && typeof node === "object" && "element" in node) node = (node as { element: unknown }).element;
      else return;
    }
  };
  for (const segment of segments) {
    unwrap();
    if (typeof segment === "number") continue;
    node = (node as { shape?: Record<string, unknown> }).shape?.[String(segment)];
  }
  unwrap();
  return Object.keys((node as { shape?: Record<string, unknown> } | undefined)?.shape ?? {});
}

/** ` (did you mean "x"?)` when one known key is a small edit away from `key`. */
function didYouMean(key: string, known: readonly string[]): string {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length]!;
  };
  const lower = key.toLowerCase();
  // An abbreviation ("blockLegacyAuth") is as likely a slip as a typo.
  const scored = known
    .map((k) => ({
      k,
      d: k.toLowerCase().startsWith(lower) && lower.length >= 4 ? 1 : distance(lower, k.toLowerCase()),
    }))
    .sort((x, y) => x.d - y.d);
  const best = scored[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean "${best.k}"?)` : "";
}

function article(type: string): string {
  if (type === "array") return "a list";
  if (type === "object") return "a map of keys";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function valueAt(root: unknown, segments: PropertyKey[]): unknown {
  let v: unknown = root;
  for (const s of segments) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[s];
  }
  return v;
}

export function formatPath(segments: PropertyKey[]): string {
  return segments.reduce<string>(
    (acc, s) => (typeof s === "number" ? `${acc}[${s}]` : acc ? `${acc}.${String(s)}` : String(s)),
    "",
  );
}

function quote(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
