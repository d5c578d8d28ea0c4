/**
 * "Validation errors stop the program before any resource is declared": the Pulumi entry point (src/index.ts),
 * run under mocks inside a root stack as the Pulumi CLI runs it, with the stack config as the CLI hands it over.
 * For every row of the bad-input table it must throw ConfigError with the row's message and declare nothing;
 * with the bundled stack it must declare the baseline (so the "nothing" above can fail).
 *
 * The entry point declares at import time, so each case imports it fresh (vi.resetModules). @pulumi/pulumi is
 * external to vitest's module graph, so the mocks and config set here are the ones the fresh import sees.
 */
import { describe, expect, it, vi } from "vitest";
import { formatIssue, type ConfigError } from "../../src/config/validate";
import { componentTypes } from "@entra-baseline/model";
import { runProgram, setStackConfig, type ProgramRun } from "../support/pulumiMocks";
import { BAD_INPUTS } from "../support/config/badInputs";
import { rawConfig } from "../support/stack";

const STACK = "pulumi:pulumi:Stack";

/** The fresh import's ConfigError class is another class than this file's import: compare with the fresh one. */
async function runEntryPoint(
  raw: Record<string, unknown>,
): Promise<{ run: ProgramRun; error: unknown; ConfigErrorClass: typeof ConfigError }> {
  vi.resetModules();
  setStackConfig(raw);
  let error: unknown;
  const run = await runProgram(async () => {
    try {
      await import("../../src");
    } catch (e) {
      error = e;
    }
  });
  const { ConfigError: ConfigErrorClass } = await import("../../src/config/validate");
  return { run, error, ConfigErrorClass };
}

/** Everything the program declared: the root stack is the CLI's, not the program's. */
const declared = (run: ProgramRun) => ({
  constructed: run.constructed.map((c) => `${c.type}::${c.name}`),
  registered: run.registered.filter((r) => r.type !== STACK).map((r) => `${r.type}::${r.name}`),
});

describe("src/index.ts under mocks", () => {
  it("declares the baseline for the bundled Pulumi.prod.yaml", async () => {
    const { run, error } = await runEntryPoint(rawConfig());
    expect(error).toBeUndefined();
    const { constructed } = declared(run);
    for (const component of Object.values(componentTypes))
      expect(
        constructed.some((c) => c.startsWith(`${component}::`)),
        component,
      ).toBe(true);
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
