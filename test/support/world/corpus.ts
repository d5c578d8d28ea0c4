/**
 * The adversarial corpus: every case of the table (./cases.ts) written as the files a user would hand the real entry
 * points — a stack file (Pulumi.corpus.yaml) for the case's config, the stack export `pulumi stack export` would give
 * after the change (for `npm run check`), and the audit snapshot the production reader takes of the changed tenant
 * (for `npm run audit -- --snapshot`). test/model/corpus.test.ts runs them; `npm run corpus -- DIR` writes them for
 * people to try by hand.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../../src/tools/engine/analyzer";
import { rawConfig } from "../stack";
import { CASES, type GuaranteeCase } from "./cases";
import { worldConfig, worldExceptions } from "./config";
import { readWorldTenant } from "./run";
import { worldStack } from "./stack";
import { worldTenant } from "./tenant";

export const CORPUS_STACK = "corpus";

export interface CorpusEntry {
  case: GuaranteeCase;
  dir: string;
  exportFile?: string;
  snapshotFile?: string;
}

export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 80);
}

/** The stack file of a case: the test stack with the world's additions and the case's change. */
function stackFile(c: GuaranteeCase): string {
  const raw = rawConfig();
  raw.pim.roles = [{ role: "Privileged Role Administrator", eligibleUsers: ["nestor.wilke@contoso.com"] }];
  raw.exceptions = worldExceptions();
  c.config?.(raw);
  const config: Record<string, unknown> = { "azure-native:location": "westeurope" };
  for (const [k, v] of Object.entries(raw)) config[`entra-baseline:${k}`] = v;
  return `# Adversarial corpus: ${c.name} (${c.verdict} of ${c.rule})\n${stringify({ config })}`;
}

/** A planned stack as `pulumi stack export` writes it (version 3): secrets encrypted, outputs as state. */
export function stackExportOf(resources: PlannedResource[]): unknown {
  const encrypt = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(encrypt);
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o[SECRET_SIG_KEY] === SECRET_SIG) return { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "v1:corpus" };
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, encrypt(x)]));
    }
    return v;
  };
  const stackUrn = `urn:pulumi:${CORPUS_STACK}::entra-baseline::pulumi:pulumi:Stack::entra-baseline-${CORPUS_STACK}`;
  // The world's resources carry its own stack in their URNs; an export is of one stack, and check refuses an export
  // whose resources belong to another (another tenant's), so they move to the corpus stack, references and all.
  const moved = (urn: string) => urn.replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${CORPUS_STACK}::`);
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-12-01T00:00:00Z", magic: "corpus", version: "v3.200.0" },
      resources: [
        { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack" },
        ...resources.map((r) => ({
          urn: moved(r.urn),
          custom: r.custom,
          type: r.type,
          id: `id-${r.name}`,
          inputs: encrypt(r.inputs),
          outputs: encrypt(r.outputs ?? r.inputs),
          parent: stackUrn,
          ...(r.protect ? { protect: true } : {}),
          ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
          dependencies: r.dependencies.map(moved),
          propertyDependencies: Object.fromEntries(
            Object.entries(r.propertyDependencies).map(([k, urns]) => [k, urns.map(moved)]),
          ),
        })),
      ],
    },
  };
}

export async function writeCorpus(root: string, cases: readonly GuaranteeCase[] = CASES): Promise<CorpusEntry[]> {
  const out: CorpusEntry[] = [];
  for (const c of cases) {
    const dir = path.join(root, `${c.verdict === "violation" ? "dangerous" : "legit"}`, slugOf(c.name));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `Pulumi.${CORPUS_STACK}.yaml`), stackFile(c));
    const config = worldConfig(c.config);
    const entry: CorpusEntry = { case: c, dir };
    const packSide = c.stack !== undefined || c.both === true;
    if (packSide && (c.modes ?? ["update", "preview"]).includes("update")) {
      const stack = worldStack(config, "update");
      c.stack?.(stack, config, "update");
      entry.exportFile = path.join(dir, "stack-export.json");
      fs.writeFileSync(entry.exportFile, `${JSON.stringify(stackExportOf(stack), null, 1)}\n`);
    }
    if (c.tenant !== undefined || c.both === true) {
      const data = worldTenant(config);
      c.tenant?.(data, config);
      entry.snapshotFile = path.join(dir, "audit-snapshot.json");
      fs.writeFileSync(entry.snapshotFile, `${JSON.stringify(await readWorldTenant(data, config), null, 1)}\n`);
    }
    out.push(entry);
  }
  return out;
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? "corpus");
  writeCorpus(dir).then((entries) => {
    const n = (v: string) => entries.filter((e) => e.case.verdict === v).length;
    process.stdout.write(
      `wrote ${entries.length} cases (${n("violation")} dangerous, ${n("clean")} legitimate) to ${dir}\n`,
    );
  });
}
