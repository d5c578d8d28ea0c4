/**
 * Receiver URLs of the wrong kind: a Teams or Slack URL given as a plain webhook (which receives the common alert
 * schema those services do not render) is an error that says where it belongs; a URL in `teams` or `slack` that is
 * not that service's is an error; a retired Office 365 connector in `teams` is a warning. No message shows more of
 * a URL than its origin, through validateConfig and through the stack loader every CLI uses.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../src/config/stackConfig";
import { formatIssue, validateConfig } from "../../src/config/validate";
import { tempDir } from "../support/cli";
import { rawConfig, STACK, stackText } from "../support/stack";

const SECRET = "sig-Zm9vYmFy0123";
const TEAMS_WORKFLOW = `https://default0123.ab.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/0123456789abcdef0123456789abcdef/triggers/manual/paths/invoke?api-version=1&sig=${SECRET}`;
const TEAMS_LOGIC = `https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${SECRET}`;
const CONNECTOR = `https://contoso.webhook.office.com/webhookb2/1111@2222/IncomingWebhook/${SECRET}/3333`;
const SLACK = `https://hooks.slack.com/services/T0123456789/B0123456789/${SECRET}`;
const SLACK_WORKFLOW = `https://hooks.slack.com/workflows/T0123/A0123/${SECRET}`;

function messages(lists: { webhooks?: string[]; teams?: string[]; slack?: string[] }) {
  const raw = rawConfig();
  Object.assign(raw.monitoring.actionGroup, lists);
  const result = validateConfig(raw);
  return { errors: result.errors.map(formatIssue), warnings: result.warnings.map(formatIssue) };
}

describe("receiver URLs of the wrong kind", () => {
  it.each([
    [
      "a Slack webhook",
      SLACK,
      /monitoring\.actionGroup\.webhooks\[0\]: https:\/\/hooks\.slack\.com\/… is a Slack webhook.*move it to monitoring\.actionGroup\.slack/,
    ],
    [
      "an Office 365 connector",
      CONNECTOR,
      /webhooks\[0\]: https:\/\/contoso\.webhook\.office\.com\/… is a Teams .*monitoring\.actionGroup\.teams/,
    ],
  ])("rejects %s given as a plain webhook, saying where it belongs", (_name, url, expected) => {
    const { errors } = messages({ webhooks: [url] });
    expect(errors).toContainEqual(expect.stringMatching(expected));
  });

  it("warns about a Power Automate URL as a plain webhook, and keeps a Logic App one (it may take the schema)", () => {
    const { errors, warnings } = messages({ webhooks: [TEAMS_WORKFLOW, TEAMS_LOGIC] });
    expect(errors).toEqual([]);
    expect(warnings).toContainEqual(
      expect.stringMatching(/webhooks\[0\]: .* Power Automate .*move it to monitoring\.actionGroup\.teams/),
    );
    expect(warnings.filter((w) => w.includes("webhooks[1]"))).toEqual([]);
  });

  it("accepts Teams workflow URLs in teams and a Slack incoming webhook in slack", () => {
    const { errors, warnings } = messages({ teams: [TEAMS_WORKFLOW, TEAMS_LOGIC], slack: [SLACK] });
    expect(errors).toEqual([]);
    expect(warnings.filter((w) => w.includes("actionGroup"))).toEqual([]);
  });

  it("rejects a URL in teams that is no Teams workflow, and names a Slack one as such", () => {
    const { errors } = messages({ teams: ["https://example.com/hook", SLACK] });
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^monitoring\.actionGroup\.teams\[0\]: https:\/\/example\.com\/… is not a Teams workflow URL/,
      ),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(/teams\[1\]: .* it is a Slack webhook: move it to monitoring\.actionGroup\.slack/),
    );
  });

  it("rejects a URL in slack that is no incoming webhook (another host, or a Slack workflow webhook)", () => {
    const { errors } = messages({ slack: [TEAMS_LOGIC, SLACK_WORKFLOW] });
    expect(errors).toContainEqual(
      expect.stringMatching(
        /slack\[0\]: .* is not a Slack incoming webhook .*it is a Teams URL: move it to monitoring\.actionGroup\.teams/,
      ),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(/slack\[1\]: .*Slack workflow webhooks take their own variables/),
    );
  });

  it("warns that an Office 365 connector in teams is retired", () => {
    const { errors, warnings } = messages({ teams: [CONNECTOR] });
    expect(errors).toEqual([]);
    expect(warnings).toContainEqual(expect.stringMatching(/teams\[0\]: .* retired Office 365 connector/));
  });

  it("never shows a URL's secret part, in its own messages or in the schema's", () => {
    const all = messages({
      webhooks: [SLACK, CONNECTOR, TEAMS_WORKFLOW],
      teams: [SLACK, CONNECTOR],
      slack: [TEAMS_LOGIC],
    });
    expect([...all.errors, ...all.warnings].length).toBeGreaterThanOrEqual(6);
    for (const m of [...all.errors, ...all.warnings]) expect(m).not.toContain(SECRET);

    // The schema's own message (http, not https) quotes the value; the stack loader redacts it for every list.
    const dir = tempDir("receivers");
    const text = stackText().replace(
      "      webhooks: []",
      `      webhooks: []\n      teams:\n        - "http://prod-1.westeurope.logic.azure.com/workflows/x?sig=${SECRET}"\n      slack:\n        - "http://hooks.slack.com/services/T/B/${SECRET}"`,
    );
    fs.writeFileSync(path.join(dir, `Pulumi.${STACK}.yaml`), text);
    const loaded = loadStackConfig(dir, STACK);
    expect(loaded.ok).toBe(false);
    const shown = loaded.ok ? [] : loaded.errors.map(formatIssue);
    expect(shown).toContainEqual(expect.stringMatching(/^monitoring\.actionGroup\.teams\[0\]: .*https/));
    expect(shown).toContainEqual(expect.stringMatching(/^monitoring\.actionGroup\.slack\[0\]: /));
    for (const m of shown) expect(m).not.toContain(SECRET);
  });
});
