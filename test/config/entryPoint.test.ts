/**
 * "Validation errors stop the program before any resource is declared": the Pulumi entry point (src/index.ts),
 * run under mocks inside a root stack as the Pulumi CLI runs it (require the module, call its exported function,
 * await the result: @pulumi/pulumi cmd/run/run.js), with the stack config as the CLI hands it over.
 * For every row of the bad-input table it must throw ConfigError with the row's message and declare nothing;
 * when a provider is signed in to another tenant it must throw TenantMismatchError naming the three ids and declare
 * nothing; with the test stack it must declare the baseline (so the "nothing" above can fail).
 *
 * Each case imports the entry point fresh (vi.resetModules). @pulumi/pulumi is external to vitest's module graph,
 * so the mocks and config set here are the ones the fresh import sees.
 */
import { describe, expect, it, vi } from "vitest";
import { formatIssue, type ConfigError } from "../../src/config/validate";
import { componentTypes } from "@entra-baseline/model";
import { runProgram, setStackConfig, type MockOptions, type ProgramRun } from "../support/pulumiMocks";
import { OTHER_TENANT_ID, TEST_TENANT_ID } from "../support/fakes/azureCli";
import { BAD_INPUTS } from "../support/config/badInputs";
import { rawConfig } from "../support/stack";

const STACK = "pulumi:pulumi:Stack";

/** The fresh import's ConfigError class is another class than this file's import: compare with the fresh one. */
async function runEntryPoint(
  raw: Record<string, unknown>,
  mocks: MockOptions = {},
): Promise<{ run: ProgramRun; error: unknown; outputs: unknown; ConfigErrorClass: typeof ConfigError }> {
  vi.resetModules();
  setStackConfig(raw);
  let error: unknown;
  let outputs: unknown;
  const run = await runProgram(async () => {
    try {
      const program = (await import("../../src")).default;
      outputs = await program();
    } catch (e) {
      error = e;
    }
  }, mocks);
  const { ConfigError: ConfigErrorClass } = await import("../../src/config/validate");
  return { run, error, outputs, ConfigErrorClass };
}

/** Everything the program declared: the root stack is the CLI's, not the program's. */
const declared = (run: ProgramRun) => ({
  constructed: run.constructed.map((c) => `${c.type}::${c.name}`),
  registered: run.registered.filter((r) => r.type !== STACK).map((r) => `${r.type}::${r.name}`),
});

describe("src/index.ts under mocks", () => {
  it("declares the baseline for the test stack, once both providers report its tenant", async () => {
    const { run, error, outputs } = await runEntryPoint(rawConfig());
    expect(error).toBeUndefined();
    // The tenant check asked both providers before anything was declared.
    const tokens = run.calls.map((c) => c.token);
    expect(tokens.slice(0, 2).sort()).toEqual([
      "azure-native:authorization:getClientConfig",
      "azuread:index/getClientConfig:getClientConfig",
    ]);
    // The stack outputs are the exported function's result, under the names they always had.
    expect(Object.keys(outputs as object).sort()).toEqual([
      "breakglassGroupObjectId",
      "breakglassObjectIds",
      "breakglassUserPrincipalNames",
      "eligibleGlobalAdminObjectIds",
      "tripwireRuleId",
      "workspaceId",
    ]);
    const { constructed } = declared(run);
    for (const component of Object.values(componentTypes))
      expect(
        constructed.some((c) => c.startsWith(`${component}::`)),
        component,
      ).toBe(true);
  }, 120_000); // the first run loads every provider SDK: slow on a busy machine

  it.each([
    ["azuread", { azuread: OTHER_TENANT_ID }],
    ["azure-native", { azureNative: OTHER_TENANT_ID }],
    ["both", { azuread: OTHER_TENANT_ID, azureNative: OTHER_TENANT_ID.toUpperCase() }],
  ] as const)(
    "a provider signed in to another tenant (%s): names every id and declares nothing",
    async (_n, tenants) => {
      const { run, error } = await runEntryPoint(rawConfig(), { clientTenants: tenants });
      expect((error as Error)?.name).toBe("TenantMismatchError");
      const message = (error as Error).message;
      expect(message).toContain(`The stack governs tenant ${TEST_TENANT_ID} (tenant.tenantId)`);
      expect(message).toContain(`azuread reports tenant ${"azuread" in tenants ? tenants.azuread : TEST_TENANT_ID}`);
      expect(message).toContain(
        `azure-native reports tenant ${"azureNative" in tenants ? tenants.azureNative : TEST_TENANT_ID}`,
      );
      expect(message).toContain("Nothing was declared.");
      expect(declared(run)).toEqual({ constructed: [], registered: [] });
    },
  );

  it("a tenant id that differs only in case is the same tenant", async () => {
    const { error, run } = await runEntryPoint(rawConfig(), {
      clientTenants: { azuread: TEST_TENANT_ID.toUpperCase(), azureNative: TEST_TENANT_ID },
    });
    expect(error).toBeUndefined();
    expect(declared(run).constructed.length).toBeGreaterThan(0);
  });

  it.each(BAD_INPUTS)(
    "%s: throws ConfigError with the message and declares nothing",
    async (_name, mutate, expected) => {
      const raw = rawConfig();
      mutate(raw);
      const { run, error, ConfigErrorClass } = await runEntryPoint(raw);
      expect(error).toBeInstanceOf(ConfigErrorClass);
      const messages = (error as ConfigError).issues.map(formatIssue);
      expect(
        messages.some((m) => expected.test(m)),
        `no message matched ${expected}; got:\n${messages.join("\n")}`,
      ).toBe(true);
      expect((error as ConfigError).message).toMatch(/nothing was declared/);
      expect(declared(run)).toEqual({ constructed: [], registered: [] });
    },
  );
});
