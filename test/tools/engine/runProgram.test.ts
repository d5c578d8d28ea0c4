/**
 * The recorder under the plan, on a small program of our own (test/support/fixtures/tinyProgram.ts) whose shapes
 * are known: engine URNs for nested components, parents, inherited protect, retainOnDelete, dependsOn on a
 * component, secrets and the dependencies the SDK derives from Outputs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { planMocks, planPassword } from "../../../src/tools/plan/mocks";
import { runProgram, type ProgramRun, type RecordedResource } from "../../../src/tools/engine/runProgram";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../../src/tools/engine/secrets";
import { readStackExport, toStackExport } from "../../../src/tools/engine/stackExport";
import { declareTiny } from "../../support/fixtures/tinyProgram";
import { validConfig } from "../../support/stack";

// A validated config, as every caller of planMocks (plan, adopt) passes one.
const config = validConfig();
const base = "urn:pulumi:dev::entra-baseline::";
let run: ProgramRun;
const byName = (name: string): RecordedResource => {
  const r = run.resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name}`);
  return r;
};

beforeAll(async () => {
  run = await runProgram({
    project: "entra-baseline",
    stack: "dev",
    config: { "azure-native:location": "westeurope" },
    mocks: planMocks(config),
    program: () => {
      declareTiny();
    },
  });
});

describe("runProgram", () => {
  it("records every resource in program order under the root stack", () => {
    expect(run.stack.urn).toBe(`${base}pulumi:pulumi:Stack::entra-baseline-dev`);
    expect(run.resources.map((r) => r.name)).toEqual([
      "tiny",
      "tiny-password",
      "tiny-inner",
      "tiny-inner-user",
      "tiny-group",
      "tiny-setting",
      "standalone",
    ]);
  });

  it("computes URNs with the full parent type chain, as the engine does", () => {
    expect(byName("tiny").urn).toBe(`${base}fixture:tiny:Tiny::tiny`);
    expect(byName("tiny-inner-user").urn).toBe(
      `${base}fixture:tiny:Tiny$fixture:tiny:Inner$azuread:index/user:User::tiny-inner-user`,
    );
    expect(byName("tiny-inner-user").parent).toBe(byName("tiny-inner").urn);
    expect(byName("standalone").parent).toBe(run.stack.urn);
  });

  it("records protect (inherited from the parent), retainOnDelete and the declared dependsOn", () => {
    expect(byName("tiny-inner-user").options).toEqual({ protect: true, retainOnDelete: true, dependsOn: [] });
    expect(byName("tiny-group").options.protect).toBe(false);
    expect(byName("standalone").options.dependsOn).toEqual([byName("tiny").urn]);
  });

  it("expands a dependsOn on a component to its custom children in dependencies, as the SDK tells the engine", () => {
    expect(new Set(byName("standalone").dependencies)).toEqual(
      new Set(["tiny-password", "tiny-inner-user", "tiny-group", "tiny-setting"].map((n) => byName(n).urn)),
    );
  });

  it("derives propertyDependencies from the Outputs each input came from", () => {
    expect(byName("tiny-inner-user").propertyDependencies.password).toEqual([byName("tiny-password").urn]);
    expect(byName("tiny-group").propertyDependencies.members).toEqual([byName("tiny-inner-user").urn]);
    expect(byName("tiny-group").propertyDependencies.displayName).toEqual([]);
  });

  it("keeps secrets marked: the password input and the RandomPassword's secret outputs", () => {
    const secret = { [SECRET_SIG_KEY]: SECRET_SIG, value: planPassword("tiny-password", 256) };
    expect(byName("tiny-inner-user").inputs.password).toEqual(secret);
    expect(byName("tiny-password").outputs.result).toEqual(secret);
    expect(byName("tiny-group").inputs.members).toEqual([byName("tiny-inner-user").outputs.objectId]);
  });

  it("writes a stack export with no secret value and no dynamic provider code, read back unchanged in structure", () => {
    const exported = toStackExport(run, "test", new Date(0));
    const text = JSON.stringify(exported);
    expect(text).not.toContain(planPassword("tiny-password", 256).slice(0, 40));
    expect(text).not.toContain("create(inputs)");
    expect(exported.deployment.resources[0]!.type).toBe("pulumi:pulumi:Stack");
    const planned = readStackExport(JSON.parse(text), "test");
    // The stack is left out, as the engine leaves it out of what a pack sees.
    expect(planned.map((r) => r.name)).toEqual(run.resources.map((r) => r.name));
    const user = planned.find((r) => r.name === "tiny-inner-user")!;
    expect(user).toMatchObject({ protect: true, retainOnDelete: true, custom: true, parent: byName("tiny-inner").urn });
    expect(user.inputs.password).toEqual({ [SECRET_SIG_KEY]: SECRET_SIG });
    expect(user.propertyDependencies.password).toEqual([byName("tiny-password").urn]);
  });
});
