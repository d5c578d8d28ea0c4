/** Breakglass identities and review options used by the KQL tests (shapes as the program resolves them). */
import type { BreakglassPrincipals } from "@entra-baseline/model";

export function breakglassOf(count: number): BreakglassPrincipals {
  const n = (i: number) => String(i + 1).padStart(2, "0");
  return {
    userPrincipalNames: Array.from({ length: count }, (_, i) => `breakglass-${n(i)}@contoso.onmicrosoft.com`),
    objectIds: Array.from(
      { length: count },
      (_, i) => `${String(i + 1).repeat(8)}-aaaa-4bbb-8ccc-${String(i + 1).repeat(12)}`,
    ),
    groupObjectId: "99999999-eeee-4fff-8aaa-999999999999",
  };
}

export const REVIEW_OPTIONS = {
  ticketPattern: "(INC|CHG)[0-9]{6,}",
  minActiveDays: 4,
  workingHours: { start: 8, end: 18, utcOffsetHours: 5.5 },
};
