/** src/model/logging.ts: the notes beside the verdict (what is sent elsewhere) say something only where it is news. */
import { describe, expect, it } from "vitest";
import { loggingVerdict, type DiagnosticSettingFacts, type WorkspaceFacts } from "@entra-baseline/model";

const REQUIRED = ["AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs"];
const setting = (name: string, workspace: string, categories: string[]): DiagnosticSettingFacts => ({
  name,
  workspace,
  categories,
  complete: true,
});
const ws = (key: string): WorkspaceFacts => ({
  key,
  name: key,
  retentionInDays: 90,
  dailyQuotaGb: -1,
  tables: [],
  transformedTables: [],
  transformationsUnknown: false,
});

describe("loggingVerdict notes", () => {
  it("notes a setting that sends the logs to a workspace besides the one receiving them all", () => {
    const verdict = loggingVerdict(
      {
        settings: [setting("main", "w1", REQUIRED), setting("copy", "w2", ["SignInLogs"])],
        workspaces: [ws("w1"), ws("w2")],
      },
      { minRetentionInDays: 90 },
    );
    expect(verdict.problems).toEqual([]);
    expect(verdict.notes).toEqual(['diagnostic setting "copy" sends SignInLogs to another workspace (w2)']);
  });

  it("does not call the only workspace 'another' when none receives everything: the problem says where each goes", () => {
    const verdict = loggingVerdict(
      { settings: [setting("main", "w1", ["AuditLogs", "SignInLogs"])], workspaces: [ws("w1")] },
      { minRetentionInDays: 90 },
    );
    expect(verdict.receiving).toEqual([]);
    expect(verdict.problems).toEqual([expect.stringContaining("no workspace receives all of AuditLogs, SignInLogs")]);
    expect(verdict.notes).toEqual([]);
  });
});
