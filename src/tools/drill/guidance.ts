/** Step 1 of the drill: what to do, with which account, and what to expect (docs/operations.md, the drill runbook). */
import { ALERT_RULES, AZURE_PORTALS, describeSeconds, type DrillTargets } from "@entra-baseline/model";
import type { BaselineConfig } from "../../config/validate";

export function drillGuidance(options: {
  config: BaselineConfig;
  stack: string;
  account: string;
  others: readonly string[];
  since: string;
  targets: DrillTargets;
}): string {
  const { config, targets } = options;
  const portal = AZURE_PORTALS[config.tenant.cloud];
  const ag = config.monitoring.actionGroup;
  const receivers = [
    ag.emails.length ? `${ag.emails.length} email` : "",
    ag.sms.length ? `${ag.sms.length} SMS` : "",
    ag.webhooks.length ? `${ag.webhooks.length} webhook` : "",
    ag.teams.length ? `${ag.teams.length} Teams` : "",
    ag.slack.length ? `${ag.slack.length} Slack` : "",
  ].filter(Boolean);
  return `Breakglass tripwire drill: stack ${options.stack}, tenant ${config.tenant.tenantId} (${config.tenant.cloud} cloud)

Account to drill: ${options.account}${options.others.length > 0 ? `\n  (alternate between drills so each account is exercised at least every 180 days; the others: ${options.others.join(", ")})` : ""}

1. Open the drill ticket. Tell the SOC on-call it is a drill; do NOT suppress or mute the alert.
2. Take the account's FIDO2 key from its safe and log the access.
3. In a private browser window, sign in at ${portal} as ${options.account} with the key.
   Confirm Global Administrator is active, do nothing else, and sign out. Return the key and log it.
4. Expect a severity 0 alert "${ALERT_RULES.breakglassSignIn.displayName}" from action group ${ag.name}
   (${receivers.join(", ") || "no receiver"}) within about ${describeSeconds(targets.endToEndSeconds)} of the sign-in (the target, not a promise).
   Note when each receiver got it: Azure Monitor does not report delivery times of real notifications.
5. Then read and judge the drill (after ${describeSeconds(targets.endToEndSeconds)}), keeping the evidence with the ticket:

   npm run drill -- --stack ${options.stack} --account ${options.account} --since ${options.since} --record drill-recording.json --out drill-evidence

If the alert does not fire, treat it as a P1: the tripwire is broken (docs/operations.md, "Runbook: 90-day validation drill").
`;
}
