/**
 * Teams and Slack receivers that deliver a message people can read. An action group posts Azure Monitor's common
 * alert schema, which neither service renders; so each configured Teams or Slack URL gets a consumption Logic App
 * that the action group calls (a logicAppReceivers entry) and that posts the alert as an Adaptive Card (Teams) or a
 * Slack message (chatMessages.ts) to the URL.
 *
 * Secrets: the target URL carries its own signature or token, and the trigger's callback URL carries the Logic App's
 * SAS signature. The target URL is a SecureString workflow parameter, given as a Pulumi secret (never in plain state
 * or output; Logic Apps does not return SecureString values on read); the HTTP action's inputs are secured in run
 * history (runtimeConfiguration.secureData), since they hold the URL; the callback URL is read with
 * listWorkflowTriggerCallbackUrl and kept a secret in the action group.
 */
import * as pulumi from "@pulumi/pulumi";
import * as logic from "@pulumi/azure-native/logic";
import { commonAlertFields, slackMessage, teamsMessage, type MessageOptions } from "./chatMessages";

export type ChatKind = "teams" | "slack";
export const CHAT_KINDS: readonly ChatKind[] = ["teams", "slack"];

/** The Request trigger's name in every chat workflow (listWorkflowTriggerCallbackUrl names it). */
export const CHAT_TRIGGER_NAME = "manual";
/** The workflow parameter that holds the target URL. */
export const TARGET_URL_PARAMETER = "targetUrl";
const WDL_SCHEMA =
  "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#";

/** The Logic App (workflow) name of the `index`-th (0-based) URL of `kind`: `<action group name>-<kind>-<n>`. */
export function chatWorkflowName(actionGroupName: string, kind: ChatKind, index: number): string {
  return `${actionGroupName}-${kind}-${index + 1}`;
}

/**
 * The workflow: a Request trigger (the action group's POST of the common alert schema) and one HTTP action that
 * posts the message built from it to the target URL parameter.
 */
export function chatWorkflowDefinition(
  kind: ChatKind,
  options: MessageOptions & { portalUrl: string },
): Record<string, unknown> {
  const fields = commonAlertFields(options.portalUrl);
  const message = { runbookUrl: options.runbookUrl };
  return {
    $schema: WDL_SCHEMA,
    contentVersion: "1.0.0.0",
    parameters: { [TARGET_URL_PARAMETER]: { type: "SecureString" } },
    triggers: { [CHAT_TRIGGER_NAME]: { type: "Request", kind: "Http", inputs: { schema: {} } } },
    actions: {
      post_message: {
        type: "Http",
        runAfter: {},
        inputs: {
          method: "POST",
          uri: `@parameters('${TARGET_URL_PARAMETER}')`,
          headers: { "Content-Type": "application/json" },
          body: kind === "teams" ? teamsMessage(fields, message) : slackMessage(fields, message),
        },
        runtimeConfiguration: { secureData: { properties: ["inputs"] } },
      },
    },
    outputs: {},
  };
}

export interface ChatReceiver {
  workflow: logic.Workflow;
  /** The action group's logicAppReceivers entry; callbackUrl is a secret. */
  receiver: {
    name: string;
    resourceId: pulumi.Output<string>;
    callbackUrl: pulumi.Output<string>;
    useCommonAlertSchema: true;
  };
}

export function declareChatReceivers(
  name: string,
  args: {
    actionGroupName: string;
    teams: readonly string[];
    slack: readonly string[];
    resourceGroupName: pulumi.Input<string>;
    location: string;
    portalUrl: string;
    runbookUrl?: string;
  },
  parent: pulumi.Resource,
): ChatReceiver[] {
  return CHAT_KINDS.flatMap((kind) =>
    args[kind].map((url, i): ChatReceiver => {
      const workflowName = chatWorkflowName(args.actionGroupName, kind, i);
      const workflow = new logic.Workflow(
        `${name}-${kind}-${i + 1}`,
        {
          workflowName,
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          state: "Enabled",
          definition: chatWorkflowDefinition(kind, { portalUrl: args.portalUrl, runbookUrl: args.runbookUrl }),
          parameters: pulumi.secret({ [TARGET_URL_PARAMETER]: { type: "SecureString", value: url } }),
        },
        { parent, additionalSecretOutputs: ["parameters"] },
      );
      const callback = logic.listWorkflowTriggerCallbackUrlOutput(
        // The configured name, carried through the workflow's id so the call waits for the workflow to exist.
        {
          resourceGroupName: args.resourceGroupName,
          workflowName: workflow.id.apply(() => workflowName),
          triggerName: CHAT_TRIGGER_NAME,
        },
        { parent },
      );
      return {
        workflow,
        receiver: {
          name: `${kind}-${i + 1}`,
          resourceId: workflow.id,
          callbackUrl: pulumi.secret(callback.value),
          useCommonAlertSchema: true,
        },
      };
    }),
  );
}
