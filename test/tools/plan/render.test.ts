/**
 * The plan's tree says what the FIDO2 resource changes for everyone: the Breakglass component under the plan's own
 * mocks and recorder (src/tools/plan/mocks.ts, src/tools/engine/runProgram.ts), rendered by the plan's renderer.
 */
import { describe, expect, it } from "vitest";
import { Breakglass } from "../../../src/components/breakglass";
import type { BaselineConfig } from "../../../src/config/validate";
import { runProgram } from "../../../src/tools/engine/runProgram";
import { planMocks } from "../../../src/tools/plan/mocks";
import { renderTree } from "../../../src/tools/plan/render";
import { validConfig } from "../../support/stack";

async function tree(config: BaselineConfig): Promise<string[]> {
  const run = await runProgram({
    project: "entra-baseline",
    stack: "test",
    config: {},
    mocks: planMocks(config),
    program: () => {
      new Breakglass("breakglass", {
        breakglass: config.breakglass,
        tenant: config.tenant,
        endpoints: config.endpoints,
      });
    },
  });
  const lines = renderTree(run.resources, run.stack.urn).split("\n");
  const start = lines.findIndex((l) =>
    /breakglass-fido2 {2}pulumi-nodejs:dynamic\/breakglass:Fido2MethodPolicy/.test(l),
  );
  expect(start).toBeGreaterThan(0);
  const end = lines.findIndex((l, i) => i > start && /[├└]── /.test(l));
  return lines.slice(start, end < 0 ? undefined : end);
}

const notes = (lines: string[]) => lines.filter((l) => l.includes("note: ")).map((l) => l.replace(/^.*note: /, ""));

describe("plan tree: the FIDO2 resource", () => {
  it("says that only the emergency group is added when nothing tenant-wide is declared", async () => {
    expect(notes(await tree(validConfig()))).toEqual([
      'in tenants with passkey profiles, the emergency group gets its own profile "Emergency access keys"; nobody else\'s settings change',
      "in tenants without passkey profiles, these tenant-wide settings apply to every FIDO2 user: none: only the emergency group is added",
      "in every tenant: FIDO2 enabled with self-service registration, for every target the policy already lists",
    ]);
  });

  it("lists the declared tenant-wide settings that apply to every FIDO2 user", async () => {
    const config = validConfig((c) => {
      c.breakglass.fido2.tenantWide = {
        enforceAttestation: true,
        aaguids: ["cb69481e-8ff7-4039-93ec-0a2729a154a8"],
        acknowledgeRestrictsEveryone: true,
      };
    });
    const lines = await tree(config);
    expect(notes(lines)[1]).toBe(
      "in tenants without passkey profiles, these tenant-wide settings apply to every FIDO2 user: attestation enforced; only the models cb69481e-8ff7-4039-93ec-0a2729a154a8",
    );
    // The notes sit with the resource's properties, in the tree's indentation.
    expect(lines.at(-1)).toMatch(/^[│ ]+ {5}note: in every tenant:/);
    const off = validConfig((c) => (c.breakglass.fido2.tenantWide = { aaguids: [] }));
    expect(notes(await tree(off))[1]).toBe(
      "in tenants without passkey profiles, these tenant-wide settings apply to every FIDO2 user: no model restriction (the allow-list is switched off)",
    );
  });
});
