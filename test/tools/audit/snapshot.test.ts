/**
 * snapshot.ts: snapshot format 2 (docs/audit.md). Only the envelope is validated — version, time, the known sources
 * with their shapes (lists, and per-object maps of lists), recorded errors — and each problem is named by its path.
 * A version 1 snapshot is refused with a message that says how to get a new one.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  KEYED_SOURCES,
  LIST_SOURCES,
  parseSnapshot,
  readSnapshotFile,
  SnapshotError,
  writeSnapshotFile,
} from "../../../src/tools/audit/snapshot";
import { tempDir } from "../../support/cli";

function snapshot(extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    version: 2,
    takenAt: "2025-06-02T07:30:00.000Z",
    tenantId: "11111111-2222-3333-4444-555555555555",
    sources: {
      ...Object.fromEntries(LIST_SOURCES.map((s) => [s, []])),
      ...Object.fromEntries(KEYED_SOURCES.map((s) => [s, {}])),
    },
    ...extra,
  };
}

function problems(value: unknown): string {
  try {
    parseSnapshot(value, "s.json");
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    return (e as Error).message;
  }
  throw new Error("accepted");
}

describe("parseSnapshot", () => {
  it("accepts format 2 with every source, objects kept as sent", () => {
    const value = snapshot();
    value.sources.users = [{ id: "u1", anything: { nested: [1] } }];
    value.sources.workspaceTables = { "/subscriptions/x/workspaces/w": [{ name: "SigninLogs" }] };
    value.errors = { caPolicies: "GET … failed with 503" };
    expect(parseSnapshot(value)).toEqual(value);
  });

  it("refuses a version 1 snapshot, saying why and what to do", () => {
    expect(problems(snapshot({ version: 1 }))).toBe(
      "s.json: is not an audit snapshot (format: docs/audit.md):\n  - version: is 1: a version 1 snapshot lacks the reads this audit judges by, and records the stack's configured tenant, not the tenant it was read from, so it cannot be audited against a stack; take a new one with --save-snapshot",
    );
  });

  it("names every problem by its path", () => {
    const value = snapshot({ takenAt: "yesterday", extra: true });
    value.sources.caPolicies = "all";
    value.sources.groupOwners = [];
    value.sources.groupMembers = { g: [null] };
    value.sources.userz = [];
    value.errors = { nope: "x" };
    const message = problems(value);
    for (const p of [
      "takenAt: must be an ISO 8601 date-time",
      "sources.caPolicies",
      "sources.groupOwners",
      "sources.groupMembers.g.0",
      "sources: Unrecognized key",
      "errors",
      "(root): Unrecognized key",
    ])
      expect(message).toContain(p);
  });

  it("is not an object at all", () => {
    expect(problems([])).toMatch(/\(root\)/);
  });
});

describe("snapshot files", () => {
  it("round-trip through --save-snapshot and --snapshot", () => {
    const file = path.join(tempDir("snapshot"), "s.json");
    const value = parseSnapshot(snapshot());
    writeSnapshotFile(file, value);
    expect(fs.readFileSync(file, "utf8").endsWith("}\n")).toBe(true);
    expect(readSnapshotFile(file)).toEqual(value);
  });

  it("a file that is not JSON names the file", () => {
    const file = path.join(tempDir("snapshot"), "bad.json");
    fs.writeFileSync(file, "{ nope");
    expect(() => readSnapshotFile(file)).toThrow(/bad\.json: .*is not valid JSON/);
  });
});
