/**
 * The messages an alert becomes in Teams and in Slack, built from the fields of Azure Monitor's common alert schema
 * (docs/monitoring.md, "Teams and Slack"). Pure: the Logic App passes Workflow Definition Language expressions as
 * the field values (COMMON_ALERT_FIELDS), the tests pass a documented sample alert's values and check the result
 * against the Adaptive Card schema and in a browser. One template, two users, so what is tested is what is posted.
 *
 * - Teams (Workflows, "Post to a channel when a webhook request is received") takes a Bot Framework message whose
 *   attachment is an Adaptive Card; version 1.4 renders on desktop and mobile.
 * - Slack incoming webhooks take `{ text, blocks }`; `text` is the notification fallback.
 */

/** The alert fields a message shows; each a plain string (a value, or a WDL string interpolation). */
export interface AlertFields {
  /** essentials.alertRule: the rule's name. */
  alertRule: string;
  /** essentials.severity: Sev0…Sev4. */
  severity: string;
  /** essentials.firedDateTime (ISO 8601 UTC). */
  firedDateTime: string;
  /** essentials.monitorCondition: Fired or Resolved. */
  monitorCondition: string;
  /** essentials.description: the rule's description. */
  description: string;
  /** alertContext.condition.allOf[0].linkToFilteredSearchResultsUI: the query's results in the portal. */
  resultsUrl: string;
}

export interface MessageOptions {
  /** Where the runbook is (an absolute URL): a button; without one the card names docs/operations.md in text. */
  runbookUrl?: string;
}

/** Where the runbook is when no URL is configured: the repository's operations guide and its sections. */
export const RUNBOOK_REFERENCE =
  "docs/operations.md in the baseline's repository: 'Runbook: responding to a tripwire alert' (and the 90-day drill)";

/** The common-alert-schema fields as WDL interpolations over the request the action group posts (triggerBody()). */
export function commonAlertFields(portalUrl: string): AlertFields {
  const essentials = (field: string) => `@{triggerBody()?['data']?['essentials']?['${field}']}`;
  return {
    alertRule: essentials("alertRule"),
    severity: essentials("severity"),
    firedDateTime: essentials("firedDateTime"),
    monitorCondition: essentials("monitorCondition"),
    description: essentials("description"),
    // Log search alerts (Log Alerts V2) carry the link on their first condition; a button needs a URL even when the
    // payload has none, so the portal's home stands in.
    resultsUrl: `@{coalesce(triggerBody()?['data']?['alertContext']?['condition']?['allOf']?[0]?['linkToFilteredSearchResultsUI'], '${portalUrl}')}`,
  };
}

function headline(fields: AlertFields): string {
  return `${fields.severity} alert ${fields.monitorCondition}: ${fields.alertRule}`;
}

/** An Adaptive Card 1.4 for the alert (the `content` of the Teams attachment). */
export function alertAdaptiveCard(fields: AlertFields, options: MessageOptions = {}): Record<string, unknown> {
  const actions: Record<string, unknown>[] = [
    { type: "Action.OpenUrl", title: "Open the query results", url: fields.resultsUrl },
  ];
  if (options.runbookUrl) actions.push({ type: "Action.OpenUrl", title: "Open the runbook", url: options.runbookUrl });
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    fallbackText: `${headline(fields)} at ${fields.firedDateTime}`,
    body: [
      { type: "TextBlock", text: headline(fields), size: "Large", weight: "Bolder", color: "Attention", wrap: true },
      { type: "TextBlock", text: fields.description, isSubtle: true, wrap: true },
      {
        type: "FactSet",
        facts: [
          { title: "Alert rule", value: fields.alertRule },
          { title: "Severity", value: fields.severity },
          { title: "Fired at (UTC)", value: fields.firedDateTime },
          { title: "Condition", value: fields.monitorCondition },
        ],
      },
      {
        type: "TextBlock",
        text: options.runbookUrl
          ? "A breakglass sign-in is a Sev 0 incident until proven planned: follow the runbook."
          : `A breakglass sign-in is a Sev 0 incident until proven planned: follow the runbook, ${RUNBOOK_REFERENCE}.`,
        wrap: true,
      },
    ],
    actions,
  };
}

/** The body a Teams workflow webhook takes: a message with the Adaptive Card as its attachment. */
export function teamsMessage(fields: AlertFields, options: MessageOptions = {}): Record<string, unknown> {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: alertAdaptiveCard(fields, options),
      },
    ],
  };
}

/** The body a Slack incoming webhook takes: fallback text and Block Kit blocks. */
export function slackMessage(fields: AlertFields, options: MessageOptions = {}): Record<string, unknown> {
  const field = (title: string, value: string) => ({ type: "mrkdwn", text: `*${title}*\n${value}` });
  const buttons: Record<string, unknown>[] = [
    { type: "button", text: { type: "plain_text", text: "Open the query results" }, url: fields.resultsUrl },
  ];
  if (options.runbookUrl)
    buttons.push({ type: "button", text: { type: "plain_text", text: "Open the runbook" }, url: options.runbookUrl });
  return {
    text: `${headline(fields)} at ${fields.firedDateTime}`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: headline(fields) } },
      { type: "section", text: { type: "mrkdwn", text: fields.description } },
      {
        type: "section",
        fields: [
          field("Alert rule", fields.alertRule),
          field("Severity", fields.severity),
          field("Fired at (UTC)", fields.firedDateTime),
          field("Condition", fields.monitorCondition),
        ],
      },
      { type: "actions", elements: buttons },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `A breakglass sign-in is a Sev 0 incident until proven planned: follow the runbook${options.runbookUrl ? "" : `, ${RUNBOOK_REFERENCE}`}.`,
          },
        ],
      },
    ],
  };
}
