/**
 * The onboarding tables in docs/operations.md are what operators grant. Keep them in step with the code: every
 * Graph call in src/graph/permissions.ts must be allowed to the identity that makes it (reads → read identity,
 * writes → write identity), and the docs must describe every pipeline file that exists.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLOUDS } from "@entra-baseline/model";
import { PERMISSION_RULES } from "../../src/graph/permissions";

const ROOT = join(__dirname, "..", "..");
const doc = readFileSync(join(ROOT, "docs", "operations.md"), "utf8");

/** Permissions named in the first column of the table that follows `heading`. */
function tablePermissions(heading: string): Set<string> {
  const start = doc.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  const rows = doc.slice(start).split("\n").slice(1);
  const table: string[] = [];
  for (const row of rows) {
    if (row.startsWith("|")) table.push(row);
    else if (table.length > 0) break;
  }
  const names = table.flatMap((row) => [...(row.split("|")[1] ?? "").matchAll(/`([A-Za-z]+(?:\.[A-Za-z]+)+)`/g)].map((m) => m[1]));
  return new Set(names);
}

const readTable = tablePermissions("**Read identity**");
const writeTable = tablePermissions("**Write identity**");

describe("docs/operations.md onboarding tables", () => {
  it("list permissions at all (the parser found both tables)", () => {
    expect(readTable.size).toBeGreaterThan(5);
    expect(writeTable.size).toBeGreaterThan(5);
  });

  it.each(PERMISSION_RULES.filter((r) => r.methods.includes("GET")).map((r) => [r.path.source, r.permissions]))(
    "grant the read identity a permission for GET %s",
    (_path, permissions) => {
      expect(permissions.some((p) => readTable.has(p)), `${permissions.join(" | ")} not in the read identity table`).toBe(true);
    },
  );

  it.each(PERMISSION_RULES.filter((r) => !r.methods.includes("GET")).map((r) => [r.path.source, r.permissions]))(
    "grant the write identity a permission for writes to %s",
    (_path, permissions) => {
      expect(permissions.some((p) => writeTable.has(p)), `${permissions.join(" | ")} not in the write identity table`).toBe(true);
    },
  );

  it("never give the read identity a write permission", () => {
    expect([...readTable].filter((p) => /ReadWrite/.test(p))).toEqual([]);
  });

  it("describe every pipeline file that exists", () => {
    const files = [
      ".github/workflows/preview.yml",
      ".github/workflows/deploy.yml",
      ".github/workflows/drift.yml",
      ".github/workflows/review.yml",
      "pipelines/azure-pipelines.yml",
      "scripts/publish-policy-pack.sh",
    ];
    for (const file of files) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
      expect(doc, file).toContain(file);
    }
  });
});

describe("docs/operations.md cloud table", () => {
  it("lists exactly the hosts tenant.cloud resolves to (src/model/clouds.ts)", () => {
    const start = doc.indexOf("| `tenant.cloud` |");
    expect(start).toBeGreaterThan(-1);
    const rows = doc
      .slice(start)
      .split("\n")
      .slice(2)
      .filter((_, i, all) => all.slice(0, i + 1).every((r) => r.startsWith("|")));
    const documented = Object.fromEntries(
      rows.map((row) => {
        const cells = row.split("|").slice(1, -1).map((c) => c.trim().replace(/`/g, ""));
        const name = cells[0]!.split(" ")[0]!;
        return [name, { graph: cells[1], arm: cells[2], login: cells[3], logAnalytics: cells[4] }];
      }),
    );
    expect(documented).toEqual(CLOUDS);
  });
});
