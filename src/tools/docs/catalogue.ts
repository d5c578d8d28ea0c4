/**
 * Generates the rule tables of docs/policy-pack.md and docs/audit.md from the model's catalogue, the policy pack as
 * the Pulumi CLI sees it (GetAnalyzerInfo over the analyzer protocol: names, enforcement levels, descriptions, config
 * schemas) and the audit's finding kinds — so the docs cannot name a rule, a control or a default the enforcers do
 * not have. `npm run docs:catalogue` rewrites the marked blocks; `-- --check` fails when one is stale (a test runs it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CATALOGUE, entryOfFinding, type CatalogueEntry } from "@entra-baseline/model";
import { FINDING_KINDS, type FindingId } from "../audit/findings";
import { openPack, type PackPolicyInfo } from "../engine/analyzer";

const ROOT = path.resolve(__dirname, "../../..");
export const GENERATED_DOCS = {
  packRules: { file: "docs/policy-pack.md", block: "pack-rules" },
  packConfig: { file: "docs/policy-pack.md", block: "pack-config" },
  catalogue: { file: "docs/policy-pack.md", block: "catalogue" },
  findings: { file: "docs/audit.md", block: "audit-findings" },
} as const;

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (text: string) => `\`${text}\``;

export function catalogueTable(): string {
  const rows = (CATALOGUE as readonly CatalogueEntry[]).map((e) =>
    [
      code(e.id),
      e.guarantee ? String(e.guarantee) : "—",
      cell(e.title),
      e.severity,
      e.pack ? code(e.pack) : "—",
      e.audit.length ? e.audit.map(code).join(", ") : "—",
      e.alert ? code(e.alert) : "—",
      e.config ? "yes" : "—",
      e.controls.join(", ") || "—",
    ].join(" | "),
  );
  return [
    "| Rule | Guarantee | What holds | Severity | Pack rule | Audit findings | Alert | Config validation | Controls |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r} |`),
  ].join("\n");
}

export function packRulesTable(policies: readonly PackPolicyInfo[]): string {
  const rows = policies.map((p) => {
    const entries = (CATALOGUE as readonly CatalogueEntry[]).filter((e) => e.pack === p.name);
    const controls = [...new Set(entries.flatMap((e) => e.controls))];
    return `| ${code(p.name)} | ${p.enforcementLevel} | ${cell(p.description)} | ${entries.map((e) => code(e.id)).join(", ") || "—"} | ${controls.join(", ") || "—"} |`;
  });
  return [
    "| Pack rule | Enforcement | What it enforces | Catalogue | Controls |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function describeSchema(schema: Record<string, unknown>): string {
  const bounds = [
    schema.minimum !== undefined ? `≥ ${String(schema.minimum)}` : "",
    schema.maximum !== undefined ? `≤ ${String(schema.maximum)}` : "",
    Array.isArray(schema.enum) ? `one of ${schema.enum.map((v) => code(String(v))).join(", ")}` : "",
  ].filter(Boolean);
  const description = typeof schema.description === "string" ? schema.description : "";
  return cell([description, bounds.length ? `(${bounds.join(", ")})` : ""].filter(Boolean).join(" "));
}

export function packConfigTable(policies: readonly PackPolicyInfo[]): string {
  const rows: string[] = [];
  for (const p of policies) {
    for (const [key, raw] of Object.entries(p.configSchema ?? {})) {
      const schema = raw as Record<string, unknown>;
      const def = schema.default === undefined ? "—" : code(JSON.stringify(schema.default).slice(0, 80));
      rows.push(
        `| ${code(p.name)} | ${code(key)} | ${String(schema.type ?? "")} | ${def} | ${describeSchema(schema)} |`,
      );
    }
  }
  return ["| Pack rule | Key | Type | Default | Meaning and bounds |", "|---|---|---|---|---|", ...rows].join("\n");
}

export function findingsTable(): string {
  const rows = (Object.keys(FINDING_KINDS) as FindingId[]).map((id) => {
    const kind = FINDING_KINDS[id];
    const entry = entryOfFinding(id);
    return `| ${code(id)} | ${kind.severity} | ${entry ? code(entry.id) : "—"} | ${cell(kind.title)} | ${entry?.controls.join(", ") || "—"} | ${cell(kind.remediation)} |`;
  });
  return [
    "| Finding | Severity | Rule | What it means | Controls | Remediation |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** `text` with the block between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` replaced. */
export function replaceBlock(text: string, block: string, content: string, file: string): string {
  const start = `<!-- generated:${block} (npm run docs:catalogue) -->`;
  const end = `<!-- /generated:${block} -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`${file} has no block ${start} … ${end}`);
  return `${text.slice(0, i + start.length)}\n${content}\n${text.slice(j)}`;
}

export async function generatedDocs(): Promise<Map<string, string>> {
  const session = await openPack();
  let policies: PackPolicyInfo[];
  try {
    policies = session.info.policies;
  } finally {
    session.close();
  }
  const blocks: Record<keyof typeof GENERATED_DOCS, string> = {
    packRules: packRulesTable(policies),
    packConfig: packConfigTable(policies),
    catalogue: catalogueTable(),
    findings: findingsTable(),
  };
  const files = new Map<string, string>();
  for (const [key, { file, block }] of Object.entries(GENERATED_DOCS)) {
    const current = files.get(file) ?? fs.readFileSync(path.join(ROOT, file), "utf8");
    files.set(file, replaceBlock(current, block, blocks[key as keyof typeof GENERATED_DOCS], file));
  }
  return files;
}

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const [file, text] of await generatedDocs()) {
    const full = path.join(ROOT, file);
    if (fs.readFileSync(full, "utf8") === text) continue;
    if (check) stale.push(file);
    else fs.writeFileSync(full, text);
  }
  if (stale.length > 0) {
    process.stderr.write(`stale: ${stale.join(", ")} (run npm run docs:catalogue)\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
