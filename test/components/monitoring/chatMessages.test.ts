/**
 * The Teams and Slack messages, checked the three ways we can without Teams or Slack:
 * - the workflow's expressions, evaluated against a documented Log Alerts V2 payload (common alert schema), give the
 *   message the template makes from that payload's values: the fields exist where the expressions look;
 * - the Teams card holds to the published Adaptive Card 1.4 schema (and a broken one does not);
 * - Microsoft's HTML renderer shows the card's text and buttons in a real browser.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  alertAdaptiveCard,
  RUNBOOK_REFERENCE,
  slackMessage,
  teamsMessage,
  type AlertFields,
} from "../../../src/components/monitoring/chatMessages";
import { chatWorkflowDefinition, TARGET_URL_PARAMETER } from "../../../src/components/monitoring/chatReceivers";
import { ADAPTIVE_CARDS_BUNDLE, adaptiveCardSchemaErrors } from "../../support/adaptiveCards";
import { useBrowser } from "../../support/browser";
import { tempDir } from "../../support/cli";
import { evaluateWdl } from "../../support/wdl";
import sample from "../../support/fixtures/alerts/logAlertV2.json";

const PORTAL = "https://portal.azure.com";
const RUNBOOK = "https://github.com/contoso/entra-baseline/blob/main/docs/operations.md";
const TARGET = "https://hooks.example/target";

/** The sample's values, read by hand from the documented payload shape. */
const SAMPLE_FIELDS: AlertFields = {
  alertRule: sample.data.essentials.alertRule,
  severity: sample.data.essentials.severity,
  firedDateTime: sample.data.essentials.firedDateTime,
  monitorCondition: sample.data.essentials.monitorCondition,
  description: sample.data.essentials.description,
  resultsUrl: sample.data.alertContext.condition.allOf[0]!.linkToFilteredSearchResultsUI,
};

function posted(kind: "teams" | "slack", payload: unknown, runbookUrl?: string) {
  const action = (chatWorkflowDefinition(kind, { portalUrl: PORTAL, runbookUrl }).actions as Record<string, any>)
    .post_message;
  return evaluateWdl(action.inputs, { triggerBody: payload, parameters: { [TARGET_URL_PARAMETER]: TARGET } }) as {
    uri: string;
    body: Record<string, any>;
  };
}

describe("the workflow's message, from the common alert schema", () => {
  it.each(["teams", "slack"] as const)("%s: the expressions read the documented payload's fields", (kind) => {
    const { uri, body } = posted(kind, sample, RUNBOOK);
    expect(uri).toBe(TARGET);
    const expected = kind === "teams" ? teamsMessage : slackMessage;
    expect(body).toEqual(expected(SAMPLE_FIELDS, { runbookUrl: RUNBOOK }));
    expect(JSON.stringify(body)).toContain("breakglass-sign-in-tripwire");
    expect(JSON.stringify(body)).toContain("2026-05-12T09:06:41.2843712Z");
  });

  it("falls back to the cloud's portal when the payload has no results link", () => {
    const without = structuredClone(sample) as any;
    delete without.data.alertContext.condition.allOf[0].linkToFilteredSearchResultsUI;
    const card = posted("teams", without).body.attachments[0].content;
    expect(card.actions[0]).toEqual({ type: "Action.OpenUrl", title: "Open the query results", url: PORTAL });
  });

  it("names the runbook in text when no runbook URL is configured", () => {
    const card = posted("teams", sample).body.attachments[0].content;
    expect(card.actions).toHaveLength(1);
    expect(JSON.stringify(card.body)).toContain(RUNBOOK_REFERENCE);
  });

  it("is the Bot Framework message Teams workflows take, with the card as its one attachment", () => {
    const message = teamsMessage(SAMPLE_FIELDS);
    expect(message).toMatchObject({
      type: "message",
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null }],
    });
    expect((message.attachments as unknown[]).length).toBe(1);
  });

  it("gives Slack a fallback text and Block Kit blocks with the buttons' URLs", () => {
    const message = slackMessage(SAMPLE_FIELDS, { runbookUrl: RUNBOOK }) as { text: string; blocks: any[] };
    expect(message.text).toBe("Sev0 alert Fired: breakglass-sign-in-tripwire at 2026-05-12T09:06:41.2843712Z");
    const buttons = message.blocks.find((b) => b.type === "actions").elements;
    expect(buttons.map((b: any) => b.url)).toEqual([SAMPLE_FIELDS.resultsUrl, RUNBOOK]);
    // Block Kit limits: a header's plain text ≤ 150 characters, a section's text ≤ 3000.
    expect(message.blocks[0].text.text.length).toBeLessThanOrEqual(150);
  });
});

describe("the Teams card against the Adaptive Card 1.4 schema", () => {
  it("is valid, with and without the runbook button, and its URLs are absolute", () => {
    for (const options of [{}, { runbookUrl: RUNBOOK }]) {
      const card = alertAdaptiveCard(SAMPLE_FIELDS, options);
      expect(adaptiveCardSchemaErrors(card)).toEqual([]);
      for (const action of card.actions as { url: string }[]) expect(new URL(action.url).protocol).toBe("https:");
    }
  });

  it("rejects a card the schema does not allow (so the check can fail)", () => {
    const card = alertAdaptiveCard(SAMPLE_FIELDS) as any;
    card.body[2].facts[0].label = "not a Fact property";
    delete card.actions[0].url;
    const errors = adaptiveCardSchemaErrors(card);
    expect(errors).toContain("/body/2/facts/0: must NOT have additional properties");
    expect(errors).toContain("/actions/0: must have required property 'url'");
  });
});

describe("the Teams card in a browser (Microsoft's Adaptive Cards renderer)", () => {
  const browser = useBrowser();

  it("shows the headline, the facts and the buttons", async () => {
    const page = path.join(tempDir("card"), "card.html");
    fs.writeFileSync(page, "<!doctype html><html><body><div id=card></div></body></html>");
    const { page: tab, requests } = await browser.open(page);
    await tab.addScriptTag({ path: ADAPTIVE_CARDS_BUNDLE });
    const card = alertAdaptiveCard(SAMPLE_FIELDS, { runbookUrl: RUNBOOK });
    const parseErrors = await tab.evaluate((json) => {
      // Runs in the page: its globals, which Node's type library does not declare.
      const page = globalThis as any;
      const AC = page.AdaptiveCards;
      const context = new AC.SerializationContext();
      const adaptive = new AC.AdaptiveCard();
      adaptive.parse(json, context);
      page.document.getElementById("card").appendChild(adaptive.render());
      const events = [];
      for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
      return events;
    }, card);
    expect(parseErrors).toEqual([]);
    const text = await tab.locator("#card").innerText();
    expect(text).toContain("Sev0 alert Fired: breakglass-sign-in-tripwire");
    for (const fact of ["Alert rule", "Severity", "Fired at (UTC)", "Condition", "2026-05-12T09:06:41.2843712Z"])
      expect(text).toContain(fact);
    const buttons = await tab.locator("#card button").allInnerTexts();
    expect(buttons.map((b) => b.trim())).toEqual(["Open the query results", "Open the runbook"]);
    expect(requests.filter((r) => !r.startsWith("file:"))).toEqual([]);
  });
});
