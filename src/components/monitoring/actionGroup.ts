/**
 * Who hears an alert: email, SMS and webhook receivers from config, and the Logic Apps that post to Teams and Slack
 * (chatReceivers.ts), in one action group.
 */
import * as pulumi from "@pulumi/pulumi";
import * as monitor from "@pulumi/azure-native/monitor";
import type { MonitoringConfig } from "../../config/schema";
import type { ChatReceiver } from "./chatReceivers";

export function declareActionGroup(
  name: string,
  args: {
    actionGroup: MonitoringConfig["actionGroup"];
    resourceGroupName: pulumi.Input<string>;
    chatReceivers?: readonly ChatReceiver[];
  },
  parent: pulumi.Resource,
): monitor.ActionGroup {
  const { actionGroup } = args;
  return new monitor.ActionGroup(
    `${name}-action-group`,
    {
      actionGroupName: actionGroup.name,
      groupShortName: actionGroup.shortName,
      resourceGroupName: args.resourceGroupName,
      // Action groups are global resources (docs/references.md, "Azure Resource Manager").
      location: "Global",
      enabled: true,
      emailReceivers: actionGroup.emails.map((emailAddress, i) => ({
        name: `email-${i + 1}`,
        emailAddress,
        useCommonAlertSchema: true,
      })),
      smsReceivers: actionGroup.sms.map((sms, i) => ({
        name: `sms-${i + 1}`,
        countryCode: sms.countryCode,
        phoneNumber: sms.phoneNumber,
      })),
      webhookReceivers: actionGroup.webhooks.map((serviceUri, i) => ({
        name: `webhook-${i + 1}`,
        // Webhook URLs often embed a signature or key: keep them out of plain-text state and output.
        serviceUri: pulumi.secret(serviceUri),
        useCommonAlertSchema: true,
      })),
      // Teams and Slack: the Logic App takes the common alert schema and posts a message those services render.
      // Left out when there are none, as before chat receivers existed: a stack without them upgrades without an
      // update of its tripwire's action group. Dropping the last one is still a diff (the input goes away).
      ...(args.chatReceivers?.length ? { logicAppReceivers: args.chatReceivers.map((c) => c.receiver) } : {}),
    },
    { parent },
  );
}
