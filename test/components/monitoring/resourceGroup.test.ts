/**
 * monitoring.existingResourceGroup: true uses the named group as is — nothing declared, so nothing this stack does
 * can delete it; false declares it, retained on delete (switching the flag, or a destroy, never deletes the group
 * and whatever else it holds). Under mocks, through the program's own component.
 */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { providerTypes } from "@entra-baseline/model";
import { promiseOf, runProgram } from "../../support/pulumiMocks";
import { validConfig } from "../../support/stack";

const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";

async function plan(existingResourceGroup: boolean) {
  const config = validConfig((raw) => {
    raw.monitoring.resourceGroupName = "rg-soc-shared";
    raw.monitoring.existingResourceGroup = existingResourceGroup;
  });
  let resourceGroupName: pulumi.Output<string> | undefined;
  const run = await runProgram(async () => {
    const { Monitoring } = await import("../../../src/components/monitoring");
    const monitoring = new Monitoring("monitoring", {
      monitoring: config.monitoring,
      pim: config.pim,
      breakglass: {
        userPrincipalNames: pulumi.output(["breakglass-01@contoso.onmicrosoft.com"]),
        objectIds: pulumi.output(["0b1c2d3e-1111-4aaa-8bbb-000000000001"]),
        groupObjectId: pulumi.output("0b1c2d3e-3333-4aaa-8bbb-000000000003"),
      },
    });
    resourceGroupName = monitoring.resourceGroupName;
  });
  return { run, resourceGroupName: await promiseOf(resourceGroupName!) };
}

describe("monitoring.existingResourceGroup", () => {
  it("true: no resource group is declared; every resource uses the configured name as is", async () => {
    const { run, resourceGroupName } = await plan(true);
    expect(run.ofType(RESOURCE_GROUP)).toEqual([]);
    expect(resourceGroupName).toBe("rg-soc-shared");
    const grouped = run.registered.filter((r) => "resourceGroupName" in r.inputs);
    expect(grouped.map((r) => r.type).sort()).toEqual(
      [
        providerTypes.workspace,
        providerTypes.actionGroup,
        providerTypes.workbook,
        ...Array.from({ length: 5 }, () => providerTypes.scheduledQueryRule),
      ].sort(),
    );
    for (const r of grouped) expect(r.inputs.resourceGroupName, r.name).toBe("rg-soc-shared");
  });

  it("false: the group is declared with the configured name and location, and retained on delete", async () => {
    const { run, resourceGroupName } = await plan(false);
    const [group, ...more] = run.ofType(RESOURCE_GROUP);
    expect(more).toEqual([]);
    expect(group!.inputs).toEqual({ resourceGroupName: "rg-soc-shared", location: "westeurope" });
    expect(resourceGroupName).toBe("rg-soc-shared");
    const constructed = run.constructed.find((c) => c.type === RESOURCE_GROUP)!;
    expect(constructed.opts.retainOnDelete).toBe(true);
    // Its children wait for it: the name they get is carried through the group's id.
    const workspace = run.constructed.find((c) => c.type === providerTypes.workspace)!;
    expect(workspace.props.resourceGroupName).toBeInstanceOf(pulumi.Output);
  });
});
