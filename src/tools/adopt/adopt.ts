/**
 * The adopt core: snapshot (+ the existing stack file) → the proposed stack file, the import file and the preflight
 * report. No tenant I/O: the live run and `--snapshot` go through exactly this. Every error is found before anything
 * is written — another tenant's snapshot, a stack file it cannot merge, a merged stack the config validation refuses
 * (except too many Global Administrators, which is written as found and reported) — and is a UserInputError.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UserInputError } from "../../cli/errors";
import { configSchemas } from "../../config/schema";
import { readStackFile, type StackFile } from "../../config/stackFile";
import { formatIssue, validateConfig, type BaselineConfig, type ConfigIssue } from "../../config/validate";
import { discoveryConfig } from "./discovery";
import { importPlan, type ImportPlan } from "./imports";
import { planProposed } from "./plan";
import { preflight, type PreflightReport } from "./preflight";
import { propose, type PasswordChoice, type Proposal } from "./propose";
import { assertSameTenant, type AdoptSnapshot } from "./snapshot";
import { mergeStackFile } from "./stackDocument";
import { tenantView } from "./view";

export interface ExistingStack {
  /** The file as written (comments and all). */
  text: string;
  /** Its path, for messages. */
  file: string;
  /** Our keys without the namespace, as the stack-file reader read them. */
  raw: Record<string, unknown>;
  /** Other namespaces' keys (`azure-native:subscriptionId`). */
  passthrough: Record<string, string>;
}

export interface AdoptInput {
  snapshot: AdoptSnapshot;
  stack: string;
  existing?: ExistingStack;
  password: PasswordChoice;
  recipients?: string[];
  approvers?: string[];
  now?: Date;
}

export interface AdoptResult {
  stackFileName: string;
  stackText: string;
  changes: string[];
  proposal: Proposal;
  config: BaselineConfig;
  /** Config problems written as found (DECISIONS): the Global Administrator count, a requester who is their role's only approver. */
  accepted: ConfigIssue[];
  warnings: ConfigIssue[];
  imports: ImportPlan;
  report: PreflightReport;
}

export async function adopt(input: AdoptInput): Promise<AdoptResult> {
  const existingTenant = (input.existing?.raw.tenant as Record<string, unknown> | undefined)?.tenantId;
  assertSameTenant(existingTenant, input.snapshot, "the snapshot");
  const view = tenantView(input.snapshot);
  const now = input.now ?? new Date();
  const discovery = discoveryConfig(view.tenantId!, input.existing?.raw);
  const proposal = propose(view, {
    discovery,
    existing: input.existing?.raw,
    password: input.password,
    recipients: input.recipients,
    approvers: input.approvers,
    now,
  });
  const stackFileName = `Pulumi.${input.stack}.yaml`;
  const header = ` Proposed by npm run adopt from tenant ${view.tenantId} (read at ${input.snapshot.takenAt}).
 Review every entry before the first deploy: docs/adopt.md says what each one was adopted from.`;
  const merged = mergeStackFile(input.existing?.text, input.existing?.file ?? stackFileName, proposal, view, header);
  const { config, accepted, warnings, stackFile } = validateMerged(
    merged.text,
    input.stack,
    input.existing?.file ?? stackFileName,
  );
  const run = await planProposed(
    stackFile,
    config,
    view,
    proposal.exclusionGroup?.adoptable ? proposal.exclusionGroup.id : undefined,
  );
  const imports = importPlan(run.resources, view, proposal);
  const report = preflight({ view, config, planned: run.resources, adoptedPolicies: proposal.adoptedPolicies });
  for (const conflict of imports.conflicts) {
    report.risks.push({
      kind: "adoption",
      object: conflict.split(":")[0]!,
      problem: conflict.slice(conflict.indexOf(":") + 1).trim(),
      fix: "resolve it before the first up",
    });
  }
  return {
    stackFileName,
    stackText: merged.text,
    changes: merged.changes,
    proposal,
    config,
    accepted,
    warnings,
    imports,
    report,
  };
}

/**
 * The config problems adopt writes as found, for the user to decide (never trimmed or filled in silently): too many
 * Global Administrators (the count check of validate.ts), and a user eligible for a role (or a PIM group's membership)
 * whose only approver is themselves (the live policies' approvers as they are). The preflight reports both.
 */
const DECISIONS: readonly { test: (i: ConfigIssue) => boolean; relax: (raw: Raw) => void }[] = [
  {
    // For any role or PIM group: the roles adopt proposes keep the live policy's approvers as well.
    test: (i) =>
      /^pim\.(eligibleAdmins|roles\[\d+\]\.eligibleUsers|groups\[\d+\]\.eligibleMembers)\[\d+\]$/.test(i.path) &&
      /is the only approver of their own activation/.test(i.message),
    relax: (raw) => {
      const withPlaceholder = (approvers: unknown) => {
        const a = (approvers ?? { users: [] }) as { users?: string[] };
        return { ...a, users: [...(a.users ?? []), PLACEHOLDER_APPROVER] };
      };
      const pim = raw.pim as {
        approvers?: unknown;
        roles?: { approvers?: unknown }[];
        templates?: Record<string, { approvers?: unknown }>;
      };
      pim.approvers = withPlaceholder(pim.approvers);
      for (const holder of [...(pim.roles ?? []), ...Object.values(pim.templates ?? {})])
        if (holder.approvers) holder.approvers = withPlaceholder(holder.approvers);
    },
  },
  {
    test: (i) => i.path === "pim.eligibleAdmins" && /breakglass = \d+ Global Administrators/.test(i.message),
    relax: (raw) => {
      raw.pim!.eligibleAdmins = (raw.pim!.eligibleAdmins as string[]).slice(0, 1);
    },
  },
];

type Raw = Record<string, Record<string, unknown>>;

/** Stands in for "someone else" while a stack whose live approvers are the requesters themselves is validated. */
const PLACEHOLDER_APPROVER = "adopt-placeholder-approver@example.invalid";

/**
 * The merged file, read back the way every command reads a stack file and validated by the project's config
 * validation. The problems left to the user (DECISIONS) are accepted: the stack is validated again with each relaxed
 * (some checks run only once the others pass, so this repeats), and the config then carries the values as written.
 */
function validateMerged(
  text: string,
  stack: string,
  file: string,
): { config: BaselineConfig; accepted: ConfigIssue[]; warnings: ConfigIssue[]; stackFile: StackFile } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-baseline-adopt-"));
  let stackFile: StackFile;
  try {
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    stackFile = readStackFile(dir, stack);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const refuse = (issues: ConfigIssue[]) =>
    new UserInputError(
      `${file}: the stack adopt would write is not a valid entra-baseline configuration (${issues.length} problem${issues.length === 1 ? "" : "s"}); nothing was written:\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`,
    );
  if (stackFile.errors.length > 0) throw refuse(stackFile.errors);
  const raw = structuredClone(stackFile.raw) as Raw;
  const accepted: ConfigIssue[] = [];
  for (let pass = 0; pass <= DECISIONS.length; pass++) {
    const result = validateConfig(raw);
    if (result.config) {
      // The pim section as written, not as relaxed: the plan and the preflight judge the stack the user gets. The
      // relaxations change only what the cross-key checks judge, so the written section parses on its own.
      const pim = configSchemas.pim.parse((stackFile.raw as Raw).pim);
      return { config: { ...result.config, pim }, accepted, warnings: result.warnings, stackFile };
    }
    const decisions = DECISIONS.filter((d) => result.errors.some(d.test));
    if (decisions.length === 0 || !result.errors.every((e) => DECISIONS.some((d) => d.test(e))))
      throw refuse(result.errors);
    accepted.push(...result.errors);
    for (const d of decisions) d.relax(raw);
  }
  throw refuse(accepted);
}
