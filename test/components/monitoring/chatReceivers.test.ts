/**
 * Teams and Slack receivers under Pulumi mocks: each configured URL becomes a consumption Logic App posting the
 * card or message, and a logicAppReceivers entry of the action group with the trigger's callback URL. The target URL
 * and the callback URL are Pulumi secrets; neither appears in the workflow definition or in any output.
 */
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import { providerTypes } from "@entra-baseline/model";
import {
  chatWorkflowDefinition,
  CHAT_TRIGGER_NAME,
  TARGET_URL_PARAMETER,
} from "../../../src/components/monitoring/chatReceivers";
import { callbackUrl, runProgram, type ProgramRun } from "../../support/pulumiMocks";
import { validConfig } from "../../support/stack";

const WORKFLOW = "azure-native:logic:Workflow";
const TEAMS =
  "https://default01.ab.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/0a/triggers/manual/paths/invoke?api-version=1&sig=TEAMS-SECRET";
const SLACK = "https://hooks.slack.com/services/T0123/B0123/SLACK-SECRET";
const RUNBOOK = "https://github.com/contoso/entra-baseline/blob/main/docs/operations.md";

let run: ProgramRun;
let outputs: Record<string, unknown>;

const isSecret = (value: unknown) => (pulumi.output(value) as unknown as { isSecret: Promise<boolean> }).isSecret;
const resolve = <T>(value: unknown) =>
  new Promise<T>((done) => pulumi.output(value as pulumi.Input<T>).apply((v) => done(v as T)));

async function declareMonitoring(name: string, lists: { teams: string[]; slack: string[] }) {
  const config = validConfig((raw) => {
    Object.assign(raw.monitoring.actionGroup, lists);
    raw.monitoring.sentinel = { runbookUrl: RUNBOOK };
  });
  const { Monitoring } = await import("../../../src/components/monitoring");
  const breakglass = {
    userPrincipalNames: pulumi.output(["breakglass-01@contoso.onmicrosoft.com"]),
    objectIds: pulumi.output(["0b1c2d3e-1111-4aaa-8bbb-000000000001"]),
    groupObjectId: pulumi.output("0b1c2d3e-3333-4aaa-8bbb-000000000003"),
  };
  return new Monitoring(name, { monitoring: config.monitoring, pim: config.pim, breakglass, cloud: "usGovernment" });
}

beforeAll(async () => {
  let component: Awaited<ReturnType<typeof declareMonitoring>> | undefined;
  run = await runProgram(async () => {
    component = await declareMonitoring("monitoring", { teams: [TEAMS], slack: [SLACK] });
    // A second stack config without chat receivers, in the same run (the mocks are process-global).
    await declareMonitoring("bare", { teams: [], slack: [] });
  });
  const c = component!;
  outputs = await resolve({
    workspaceId: c.workspaceId,
    tripwireRuleId: c.tripwireRuleId,
    nonInteractiveTripwireRuleId: c.nonInteractiveTripwireRuleId,
    alertRuleIds: c.alertRuleIds,
    actionGroupId: c.actionGroupId,
    resourceGroupName: c.resourceGroupName,
    workbookId: c.workbookId,
  });
});

describe("Teams and Slack receivers", () => {
  it("declares one enabled consumption Logic App per URL, beside the action group", () => {
    const workflows = run.ofType(WORKFLOW);
    // Both come from the first component: the second declares none.
    expect(workflows.map((w) => [w.name, w.inputs.workflowName])).toEqual([
      ["monitoring-teams-1", "ag-entra-baseline-prod-teams-1"],
      ["monitoring-slack-1", "ag-entra-baseline-prod-slack-1"],
    ]);
    for (const w of workflows)
      expect(w.inputs).toMatchObject({
        resourceGroupName: "rg-entra-baseline-prod",
        location: "westeurope",
        state: "Enabled",
      });
  });

  it("posts the card (Teams) or the message (Slack) to the URL parameter, from a Request trigger", () => {
    const [teams, slack] = run.ofType(WORKFLOW);
    // The government cloud's portal is the fallback link; the configured runbook is a button.
    expect(teams!.inputs.definition).toEqual(
      chatWorkflowDefinition("teams", { portalUrl: "https://portal.azure.us", runbookUrl: RUNBOOK }),
    );
    expect(slack!.inputs.definition).toEqual(
      chatWorkflowDefinition("slack", { portalUrl: "https://portal.azure.us", runbookUrl: RUNBOOK }),
    );
    const definition = teams!.inputs.definition;
    expect(definition.triggers[CHAT_TRIGGER_NAME]).toEqual({ type: "Request", kind: "Http", inputs: { schema: {} } });
    expect(definition.parameters).toEqual({ [TARGET_URL_PARAMETER]: { type: "SecureString" } });
    const action = definition.actions.post_message;
    expect(action).toMatchObject({
      type: "Http",
      inputs: { method: "POST", uri: `@parameters('${TARGET_URL_PARAMETER}')` },
      // The inputs hold the URL once evaluated: hidden from run history.
      runtimeConfiguration: { secureData: { properties: ["inputs"] } },
    });
    expect(action.inputs.body.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(slack!.inputs.definition.actions.post_message.inputs.body.blocks).toBeInstanceOf(Array);
  });

  it("gives the URL as a secret SecureString parameter, never in the definition", async () => {
    const constructed = run.constructed.filter((c) => c.type === WORKFLOW);
    expect(constructed).toHaveLength(2);
    for (const [c, url] of constructed.map((c, i) => [c, [TEAMS, SLACK][i]!] as const)) {
      expect(await isSecret(c.props.parameters)).toBe(true);
      expect(await resolve(c.props.parameters)).toEqual({
        [TARGET_URL_PARAMETER]: { type: "SecureString", value: url },
      });
      expect((c.opts as pulumi.CustomResourceOptions).additionalSecretOutputs).toContain("parameters");
      expect(JSON.stringify(c.props.definition)).not.toContain(new URL(url).host);
    }
  });

  it("adds a logicAppReceivers entry per Logic App with the trigger's callback URL, as a secret", async () => {
    const groups = run.ofType(providerTypes.actionGroup);
    const group = groups.find((g) => g.name === "monitoring-action-group");
    const bareGroup = groups.find((g) => g.name === "bare-action-group");
    const [teams, slack] = run.ofType(WORKFLOW);
    // What the engine receives: the whole list wrapped as a secret (it holds the callback URLs).
    expect(group!.inputs.logicAppReceivers[specialSigKey]).toBe(specialSecretSig);
    expect(group!.inputs.logicAppReceivers.value).toEqual([
      {
        name: "teams-1",
        resourceId: teams!.id,
        callbackUrl: callbackUrl("ag-entra-baseline-prod-teams-1", CHAT_TRIGGER_NAME),
        useCommonAlertSchema: true,
      },
      {
        name: "slack-1",
        resourceId: slack!.id,
        callbackUrl: callbackUrl("ag-entra-baseline-prod-slack-1", CHAT_TRIGGER_NAME),
        useCommonAlertSchema: true,
      },
    ]);
    const invokes = run.calls.filter((c) => c.token === "azure-native:logic:listWorkflowTriggerCallbackUrl");
    expect(invokes.map((c) => c.args)).toEqual([
      {
        resourceGroupName: "rg-entra-baseline-prod",
        workflowName: "ag-entra-baseline-prod-teams-1",
        triggerName: CHAT_TRIGGER_NAME,
      },
      {
        resourceGroupName: "rg-entra-baseline-prod",
        workflowName: "ag-entra-baseline-prod-slack-1",
        triggerName: CHAT_TRIGGER_NAME,
      },
    ]);
    const constructed = run.constructed.find(
      (c) => c.type === providerTypes.actionGroup && c.name === "monitoring-action-group",
    )!;
    const receivers = constructed.props.logicAppReceivers as { callbackUrl: unknown; resourceId: unknown }[];
    for (const r of receivers) {
      expect(await isSecret(r.callbackUrl)).toBe(true);
      expect(await isSecret(r.resourceId)).toBe(false);
    }
    expect(bareGroup!.inputs).not.toHaveProperty("logicAppReceivers");
    for (const w of [teams!, slack!]) expect(w.inputs.parameters[specialSigKey]).toBe(specialSecretSig);
  });

  it("keeps the target and callback URLs out of the component's outputs", () => {
    const text = JSON.stringify(outputs);
    expect(text).toContain("monitoring-action-group");
    for (const secret of ["TEAMS-SECRET", "SLACK-SECRET", "mock-callback-signature", "hooks.slack.com"])
      expect(text).not.toContain(secret);
  });
});
