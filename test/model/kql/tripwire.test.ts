/**
 * The tripwire's definition evaluated over sign-in records shaped like the documented ones: any attempt by a
 * breakglass account, success or failure, by object id or UPN in any casing, from either sign-in table; nobody
 * else. And its rendered text, the canonical form a deployed rule is compared with: deterministic, and accepted
 * by the model's tripwire judgement.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  evaluateKql,
  renderKql,
  type SignInTable,
  tripwireQueryDefinition,
  canonicalTripwireQuery,
  logAlertQueryViolations,
  normalizedQuery,
} from "@entra-baseline/model";
import { analyzeKql } from "../../support/kusto";
import { breakglassOf, logTables, signInRecord } from "../../support/kqlFixtures";

const bg = breakglassOf(2);

// Loading Kusto.Language takes seconds on a busy machine: do it once, outside the tests' time limit.
beforeAll(() => void analyzeKql("AuditLogs"), 120_000);
const [upn1, upn2] = bg.userPrincipalNames as [string, string];
const [id1, id2] = bg.objectIds as [string, string];
const NOW = new Date("2025-06-09T12:00:00Z");
const TABLES: SignInTable[] = ["SigninLogs", "AADNonInteractiveUserSignInLogs"];

function tripwire(table: SignInTable, records: Record<string, unknown>[]) {
  return evaluateKql(tripwireQueryDefinition(table, bg), logTables({ [table]: records }), { now: NOW }).rows;
}

describe.each(TABLES)("the tripwire over %s", (table) => {
  const time = "2025-06-09T11:59:00Z";

  it("catches a failed and a successful sign-in, telling them apart by the string ResultType", () => {
    const rows = tripwire(table, [
      signInRecord(table, { time, userPrincipalName: upn1, userId: id1, resultType: "50126" }),
      signInRecord(table, { time, userPrincipalName: upn1, userId: id1, resultType: "0" }),
    ]);
    expect(rows.map((r) => [r.UserPrincipalName, r.Outcome, r.ResultType])).toEqual([
      [upn1, "failure", "50126"],
      [upn1, "success", "0"],
    ]);
  });

  it("matches the UPN whatever its casing, and the object id alone after a rename", () => {
    const rows = tripwire(table, [
      signInRecord(table, { time, userPrincipalName: upn2.toUpperCase(), userId: "", resultType: "50034" }),
      signInRecord(table, { time, userPrincipalName: "renamed@contoso.onmicrosoft.com", userId: id1.toUpperCase() }),
    ]);
    expect(rows.map((r) => r.UserPrincipalName)).toEqual([upn2.toUpperCase(), "renamed@contoso.onmicrosoft.com"]);
  });

  it("ignores everyone else, including a UPN that merely contains a breakglass UPN", () => {
    const rows = tripwire(table, [
      signInRecord(table, {
        time,
        userPrincipalName: "megan.bowen@contoso.com",
        userId: "0c0c0c0c-0000-4000-8000-000000000001",
      }),
      signInRecord(table, { time, userPrincipalName: `x${upn1}`, userId: "0c0c0c0c-0000-4000-8000-000000000002" }),
    ]);
    expect(rows).toEqual([]);
  });

  it("reads the country from LocationDetails (dynamic in SigninLogs, a JSON string in the non-interactive table)", () => {
    const [row] = tripwire(table, [signInRecord(table, { time, userPrincipalName: upn1, userId: id1, country: "NL" })]);
    expect(row?.Country).toBe("NL");
    expect(typeof signInRecord(table, { time, userPrincipalName: upn1, userId: id1 }).LocationDetails).toBe(
      table === "SigninLogs" ? "object" : "string",
    );
  });
});

describe("the tripwire's canonical text", () => {
  it("depends on the set of accounts, not on their order, casing or repetition", () => {
    const reordered = {
      userPrincipalNames: [upn2.toUpperCase(), upn1, upn2],
      objectIds: [id2, ` ${id1.toUpperCase()} `],
    };
    for (const table of TABLES) {
      expect(renderKql(tripwireQueryDefinition(table, reordered))).toBe(renderKql(tripwireQueryDefinition(table, bg)));
    }
  });

  it("is the model's canonical tripwire, which the allow-list accepts, and analyzes cleanly", () => {
    const accounts = bg.userPrincipalNames.map((upn, i) => ({ upn, objectId: bg.objectIds[i]! }));
    for (const table of TABLES) {
      const query = renderKql(tripwireQueryDefinition(table, bg));
      expect(normalizedQuery(query)).toBe(normalizedQuery(canonicalTripwireQuery(table, accounts)));
      expect(logAlertQueryViolations(query, { evaluationFrequencySeconds: 60 })).toEqual([]);
      expect(analyzeKql(query).errors).toEqual([]);
    }
  });
});
