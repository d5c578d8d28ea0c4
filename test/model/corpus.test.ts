/**
 * The adversarial corpus through the real entry points: every case of the table written as files
 * (test/support/world/corpus.ts), the stack exports read by `npm run check`'s reader and judged by the policy pack
 * over its real analyzer gRPC protocol (one pack process, configured per stack as the Pulumi CLI does), a sample of
 * them through the check CLI itself, and every snapshot through the audit CLI (`--snapshot`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogueEntry, type CatalogueEntry } from "@entra-baseline/model";
import { memoryIo } from "../../src/cli/io";
import { runCommand } from "../../src/cli/run";
import { derivePackConfig } from "../../src/config/packConfig";
import { loadStackConfig } from "../../src/config/stackConfig";
import { main as auditMain } from "../../src/tools/audit/cli";
import { main as checkMain } from "../../src/tools/check/cli";
import { openPack, type PackSession } from "../../src/tools/engine/analyzer";
import { parseStackExport } from "../../src/tools/engine/stackExport";
import { CORPUS_STACK, writeCorpus, type CorpusEntry } from "../support/world/corpus";

let root: string;
let entries: CorpusEntry[] = [];
let pack: PackSession;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "entra-baseline-corpus-"));
  entries = await writeCorpus(root);
  pack = await openPack();
}, 600_000);

afterAll(() => {
  pack?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

function configOf(e: CorpusEntry) {
  const loaded = loadStackConfig(e.dir, CORPUS_STACK);
  if (!loaded.ok) throw new Error(`${e.dir}: ${JSON.stringify(loaded)}`);
  return loaded.config;
}

describe("the adversarial corpus", () => {
  it("holds at least 60 dangerous changes and 20 legitimate variations, as files", () => {
    const dangerous = entries.filter((e) => e.case.verdict === "violation");
    const legit = entries.filter((e) => e.case.verdict === "clean");
    expect(dangerous.length).toBeGreaterThanOrEqual(60);
    expect(legit.length).toBeGreaterThanOrEqual(20);
    expect(entries.filter((e) => e.exportFile).length).toBeGreaterThanOrEqual(60);
    expect(entries.filter((e) => e.snapshotFile).length).toBeGreaterThanOrEqual(60);
  });

  it("every stack export: the pack over its analyzer protocol gives the table's verdict", async () => {
    const wrong: string[] = [];
    for (const e of entries.filter((x) => x.exportFile)) {
      const resources = parseStackExport(fs.readFileSync(e.exportFile!, "utf8"), e.exportFile!);
      const run = await pack.analyze(resources, derivePackConfig(configOf(e)));
      const entry = catalogueEntry(e.case.rule) as CatalogueEntry;
      const mandatory = run.violations.filter((v) => v.enforcementLevel === "mandatory");
      const ok =
        e.case.verdict === "violation"
          ? run.violations.some((v) => v.policyName === entry.pack)
          : mandatory.length === 0;
      if (!ok) wrong.push(`${e.case.name}: ${JSON.stringify(run.violations.map((v) => [v.policyName, v.message]))}`);
    }
    expect(wrong).toEqual([]);
  }, 600_000);

  it("through the check CLI: a dangerous export exits 1 naming its rule, a legitimate one exits 0", async () => {
    const dangerous = entries.find(
      (e) => e.exportFile && e.case.verdict === "violation" && e.case.rule === "TIER0-NO-STANDING",
    )!;
    const legit = entries.find((e) => e.exportFile && e.case.verdict === "clean" && e.case.config)!;
    const io = memoryIo({ cwd: dangerous.dir });
    expect(await runCommand(checkMain, ["--stack", CORPUS_STACK, "stack-export.json"], io)).toBe(1);
    expect(io.out).toContain("no-standing-tier0-assignment");
    const io2 = memoryIo({ cwd: legit.dir });
    expect(await runCommand(checkMain, ["--stack", CORPUS_STACK, "stack-export.json"], io2), io2.out + io2.err).toBe(0);
  }, 300_000);

  it("every snapshot: the audit CLI gives the table's verdict (exit code and findings)", async () => {
    const wrong: string[] = [];
    for (const e of entries.filter((x) => x.snapshotFile)) {
      const io = memoryIo({ cwd: e.dir });
      const code = await runCommand(
        auditMain,
        ["--stack", CORPUS_STACK, "--snapshot", "audit-snapshot.json", "--json", "--fail-on", "low"],
        io,
      );
      const entry = catalogueEntry(e.case.rule) as CatalogueEntry;
      let ids: string[];
      try {
        ids = (JSON.parse(io.out) as { findings: { id: string }[] }).findings.map((f) => f.id);
      } catch {
        wrong.push(`${e.case.name}: exit ${code}, no JSON: ${io.err}`);
        continue;
      }
      const ok =
        e.case.verdict === "violation"
          ? code === 1 && ids.some((id) => (entry.audit as readonly string[]).includes(id))
          : code === 0;
      if (!ok) wrong.push(`${e.case.name}: exit ${code}, findings ${ids.join(", ")} ${io.err}`);
    }
    expect(wrong).toEqual([]);
  }, 600_000);
});
