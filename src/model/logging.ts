/**
 * Guarantee 6, the logs arrive and stay — judged per workspace, never as a union over settings that send to
 * different places: the workspace the tripwires and the review read receives every required category; no two
 * declarations manage the same diagnostic setting or workspace; no daily cap can stop ingestion; the sign-in and
 * audit tables keep their rows at least the minimum, table by table; no ingestion-time transformation rewrites or
 * drops their rows.
 */
import { LOG_CATEGORY_TABLES, REQUIRED_LOG_CATEGORIES, type LogCategory } from "./logCategories";

export interface DiagnosticSettingFacts {
  /** The setting's name (what ARM keys it by). */
  name: string;
  /** Key of the destination workspace (its resource id, lower-case, or a preview stand-in); undefined: none. */
  workspace: string | undefined;
  /** Categories streamed (enabled). */
  categories: readonly string[];
  /** False when a field that decides was unknown (preview) or unread. */
  complete: boolean;
  /** Other destinations (storage, event hub), for the report only. */
  elsewhere?: boolean;
}

export interface TableFacts {
  name: string;
  /** Interactive retention in days; -1 or undefined: the workspace's. */
  retentionInDays?: number;
}

export interface WorkspaceFacts {
  key: string;
  name: string;
  retentionInDays: number | undefined;
  /** workspaceCapping.dailyQuotaGb; -1 or undefined: no cap. */
  dailyQuotaGb: number | undefined;
  tables: readonly TableFacts[];
  /** Tables an ingestion-time transformation applies to (workspace transformation DCR data flows). */
  transformedTables: readonly string[];
  /** A transformation rule is attached that cannot be read here: fails closed. */
  transformationsUnknown: boolean;
  /** The workspace is governed elsewhere (an existing workspace the stack only points at): retention is not judged. */
  external?: boolean;
}

export interface LoggingFacts {
  settings: readonly DiagnosticSettingFacts[];
  workspaces: readonly WorkspaceFacts[];
  /** Names declared more than once (pack) — a setting or a workspace with two writers. */
  duplicateSettings?: readonly string[];
  duplicateWorkspaces?: readonly string[];
}

export interface LoggingRequirement {
  categories?: readonly LogCategory[];
  minRetentionInDays: number;
}

export interface LoggingVerdict {
  /** Workspaces receiving every required category (the ones the tripwires and the review may read). */
  receiving: string[];
  problems: string[];
  /** Informational: settings that send the categories elsewhere too. */
  notes: string[];
}

/** The workspaces (keys) that receive `category` from some setting. */
export function workspacesReceiving(settings: readonly DiagnosticSettingFacts[], category: string): string[] {
  const c = category.toLowerCase();
  return [
    ...new Set(
      settings
        .filter((s) => s.workspace && s.categories.some((x) => x.toLowerCase() === c))
        .map((s) => s.workspace!.toLowerCase()),
    ),
  ];
}

export function loggingVerdict(facts: LoggingFacts, req: LoggingRequirement): LoggingVerdict {
  const categories = req.categories ?? REQUIRED_LOG_CATEGORIES;
  const problems: string[] = [];
  const notes: string[] = [];
  for (const name of facts.duplicateSettings ?? [])
    problems.push(`diagnostic setting "${name}" is declared more than once: two writers overwrite each other`);
  for (const name of facts.duplicateWorkspaces ?? [])
    problems.push(`workspace "${name}" is declared more than once: two writers overwrite each other`);
  if (facts.settings.length === 0)
    problems.push("no Entra diagnostic setting streams the sign-in and audit logs anywhere: the tripwire never fires");

  const perWorkspace = new Map<string, Set<string>>();
  for (const s of facts.settings) {
    if (!s.workspace) continue;
    const set = perWorkspace.get(s.workspace.toLowerCase()) ?? new Set<string>();
    s.categories.forEach((c) => set.add(c.toLowerCase()));
    perWorkspace.set(s.workspace.toLowerCase(), set);
  }
  const receiving = [...perWorkspace.entries()]
    .filter(([, got]) => categories.every((c) => got.has(c.toLowerCase())))
    .map(([w]) => w);
  if (facts.settings.length > 0 && receiving.length === 0) {
    const seen = [...perWorkspace.entries()].map(([w, got]) => `${w}: ${[...got].join(", ") || "nothing"}`);
    problems.push(
      `no workspace receives all of ${categories.join(", ")} (${seen.length > 0 ? seen.join("; ") : "no setting sends to a workspace"}): the tripwires and the review read one workspace`,
    );
  }
  const incomplete = facts.settings.filter((s) => !s.complete);
  if (receiving.length === 0 && incomplete.length > 0) {
    problems.push(
      `diagnostic setting${incomplete.length > 1 ? "s" : ""} ${incomplete.map((s) => `"${s.name}"`).join(", ")} cannot be verified (unknown at preview or unread)`,
    );
  }

  const required = new Set(categories.map((c) => LOG_CATEGORY_TABLES[c].toLowerCase()));
  for (const key of receiving) {
    const w = facts.workspaces.find((x) => x.key.toLowerCase() === key);
    if (!w || w.external) continue;
    if (w.dailyQuotaGb !== undefined && w.dailyQuotaGb !== -1) {
      problems.push(
        `workspace ${w.name} caps ingestion at ${w.dailyQuotaGb} GB a day: once reached, sign-ins stop arriving and the tripwire goes blind`,
      );
    }
    if (w.retentionInDays === undefined || w.retentionInDays < req.minRetentionInDays) {
      problems.push(
        `workspace ${w.name} keeps logs ${w.retentionInDays ?? "the default 30"} days; at least ${req.minRetentionInDays} are required`,
      );
    }
    for (const t of w.tables) {
      if (!required.has(t.name.toLowerCase())) continue;
      if (t.retentionInDays !== undefined && t.retentionInDays !== -1 && t.retentionInDays < req.minRetentionInDays) {
        problems.push(
          `table ${t.name} of workspace ${w.name} keeps rows ${t.retentionInDays} days; at least ${req.minRetentionInDays} are required`,
        );
      }
    }
    const transformed = w.transformedTables.filter((t) => required.has(t.toLowerCase()));
    if (transformed.length > 0) {
      problems.push(
        `an ingestion-time transformation rewrites ${transformed.join(", ")} in workspace ${w.name}: it can drop or change the rows the tripwire reads`,
      );
    }
    if (w.transformationsUnknown) {
      problems.push(
        `workspace ${w.name} has a transformation rule that cannot be read, so its effect on the sign-in and audit tables cannot be verified`,
      );
    }
  }
  for (const s of facts.settings) {
    if (s.elsewhere)
      notes.push(`diagnostic setting "${s.name}" also sends ${s.categories.join(", ")} outside Log Analytics`);
    // "Another" workspace only beside one that receives everything: with none, the problem above already says where
    // each category goes, and every setting would be noted as sending elsewhere.
    if (
      receiving.length > 0 &&
      s.workspace &&
      !receiving.includes(s.workspace.toLowerCase()) &&
      s.categories.some((c) => categories.some((r) => r.toLowerCase() === c.toLowerCase()))
    ) {
      notes.push(
        `diagnostic setting "${s.name}" sends ${s.categories.join(", ")} to another workspace (${s.workspace})`,
      );
    }
  }
  return { receiving, problems, notes };
}
