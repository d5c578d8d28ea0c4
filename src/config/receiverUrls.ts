/**
 * Which chat service an action-group receiver URL belongs to, from its host and path alone. An action group posts
 * Azure Monitor's common alert schema to a plain webhook, which Teams and Slack do not render (docs/monitoring.md,
 * "Teams and Slack"): their URLs belong in `actionGroup.teams` / `actionGroup.slack`, which post a readable message
 * through a Logic App. Messages about a URL name its origin only: the rest is the URL's secret (a signature, a
 * Slack token).
 *
 * Hosts (docs/references.md): Teams Workflows ("When a Teams webhook request is received") URLs are on
 * `*.environment.api.powerplatform.com` (new) or `*.logic.azure.com` (older); the retired Office 365 connectors on
 * `*.webhook.office.com` (earlier `outlook.office.com/webhook/…`); Slack incoming webhooks are
 * `https://hooks.slack.com/services/…`. A Logic App on `*.logic.azure.com` may just as well be any workflow that
 * takes the common schema, so as a plain webhook it is not questioned.
 */
import type { ConfigIssue } from "./issues";

export type ReceiverUrlKind = "teamsWorkflow" | "powerAutomate" | "teamsConnector" | "slack" | "slackOther" | "other";

/** The kind of a receiver URL; "other" for anything unparsable or unknown. */
export function receiverUrlKind(value: string): ReceiverUrlKind {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "other";
  }
  const host = url.hostname.toLowerCase();
  const path = url.pathname.toLowerCase();
  if (host === "hooks.slack.com") return path.startsWith("/services/") ? "slack" : "slackOther";
  if (host.endsWith(".webhook.office.com") || (host === "outlook.office.com" && path.startsWith("/webhook")))
    return "teamsConnector";
  if (host.endsWith(".environment.api.powerplatform.com")) return "powerAutomate";
  if (host.endsWith(".logic.azure.com")) return "teamsWorkflow";
  return "other";
}

/** `https://host/…`: what a message may show of a receiver URL. */
export function redactedUrl(value: string): string {
  try {
    return `${new URL(value).origin}/…`;
  } catch {
    return "(not a URL)";
  }
}

interface ReceiverLists {
  webhooks: readonly string[];
  teams: readonly string[];
  slack: readonly string[];
}

/** Errors and warnings for receiver URLs of the wrong kind; paths are `monitoring.actionGroup.<list>[i]`. */
export function receiverUrlIssues(lists: ReceiverLists): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const at = (list: keyof ReceiverLists, i: number) => `monitoring.actionGroup.${list}[${i}]`;
  lists.webhooks.forEach((url, i) => {
    const shown = redactedUrl(url);
    switch (receiverUrlKind(url)) {
      case "slack":
      case "slackOther":
        errors.push({
          path: at("webhooks", i),
          message: `${shown} is a Slack webhook: Slack does not render the common alert schema a plain webhook receives; move it to monitoring.actionGroup.slack, which posts a Slack message through a Logic App`,
        });
        break;
      case "teamsConnector":
        errors.push({
          path: at("webhooks", i),
          message: `${shown} is a Teams (Office 365 connector) webhook: Teams does not render the common alert schema, and these connectors are retired; create a Teams workflow ("When a Teams webhook request is received") and put its URL in monitoring.actionGroup.teams`,
        });
        break;
      case "powerAutomate":
        warnings.push({
          path: at("webhooks", i),
          message: `${shown} is a Power Automate (Teams Workflows) URL: if it posts to a Teams channel, move it to monitoring.actionGroup.teams, since Teams does not render the common alert schema a plain webhook receives`,
        });
        break;
      default:
    }
  });
  lists.teams.forEach((url, i) => {
    const kind = receiverUrlKind(url);
    if (kind === "teamsConnector") {
      warnings.push({
        path: at("teams", i),
        message: `${redactedUrl(url)} is a retired Office 365 connector webhook: Microsoft is retiring these connectors, so replace it with a Teams workflow URL ("When a Teams webhook request is received", on *.environment.api.powerplatform.com or *.logic.azure.com)`,
      });
    } else if (kind !== "teamsWorkflow" && kind !== "powerAutomate") {
      errors.push({
        path: at("teams", i),
        message: `${redactedUrl(url)} is not a Teams workflow URL (expected a host under environment.api.powerplatform.com or logic.azure.com, from the workflow "When a Teams webhook request is received")${kind === "slack" || kind === "slackOther" ? "; it is a Slack webhook: move it to monitoring.actionGroup.slack" : ""}`,
      });
    }
  });
  lists.slack.forEach((url, i) => {
    const kind = receiverUrlKind(url);
    if (kind !== "slack") {
      errors.push({
        path: at("slack", i),
        message: `${redactedUrl(url)} is not a Slack incoming webhook (expected https://hooks.slack.com/services/…)${kind === "slackOther" ? ": Slack workflow webhooks take their own variables, not a message" : ""}${kind === "teamsWorkflow" || kind === "powerAutomate" || kind === "teamsConnector" ? "; it is a Teams URL: move it to monitoring.actionGroup.teams" : ""}`,
      });
    }
  });
  return { errors, warnings };
}
