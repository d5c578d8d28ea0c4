/**
 * The drill's query and targets on their own: the KQL is checked by Microsoft's parser and analyzer against the
 * declared sign-in tables (loading the analyzer takes seconds, hence a file of its own), and the targets are the
 * model's documented numbers.
 */
import { describe, expect, it } from "vitest";
import { drillTargets } from "@entra-baseline/model";
import { drillSignInsQuery } from "../../../src/tools/drill/query";
import { analyzeKql } from "../../support/kusto";

const BG1 = "breakglass-01@contoso.onmicrosoft.com";
const BG1_ID = "0b1c2d3e-1111-4aaa-8bbb-000000000001";

describe("the drill query", () => {
  it(
    "is valid KQL over the sign-in tables; its one undeclared column is the standard _TimeReceived",
    { timeout: 120_000 },
    () => {
      const query = drillSignInsQuery({
        upns: [BG1],
        objectIds: [BG1_ID],
        since: "2026-05-12T08:55:00Z",
        until: "2026-05-12T09:30:00.000Z",
      });
      const { errors } = analyzeKql(query);
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e.message).toContain("_TimeReceived");
      const { errors: without, columns } = analyzeKql(query.replace("_TimeReceived", "TimeGenerated"));
      expect(without).toEqual([]);
      expect(columns.find((c) => c.name === "IngestedAt")?.type).toBe("datetime");
    },
  );

  it("the targets are the model's: 10 minutes' ingestion, one evaluation plus 2 minutes, 13 minutes end to end", () => {
    expect(drillTargets()).toEqual({
      ingestionSeconds: 600,
      alertSeconds: 180,
      notificationSeconds: 300,
      endToEndSeconds: 780,
      latestCaughtSeconds: 840,
    });
  });
});
