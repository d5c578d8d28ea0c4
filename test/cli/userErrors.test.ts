/**
 * The mistakes a new user makes with `npm run plan` and `npm run check`, run as child processes: each is exit 2
 * with one message that names the file, the key or the flag and what to do — never a stack trace, never a silent
 * success that ignored what the user asked for.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stackText, runCli, tempDir } from "../support/cli";

function stackDir(name: string, text: string): string {
  const dir = tempDir("usererr");
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
  return dir;
}

describe("stack file mistakes", () => {
  it("a missing stack names the stack files that exist", async () => {
    const dir = stackDir("prod", stackText());
    const res = await runCli("plan", ["--stack", "staging", "--cwd", dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      'Pulumi.staging.yaml: no such stack file (stack "staging" reads Pulumi.staging.yaml); stack files here: Pulumi.prod.yaml (--stack prod)',
    );
  });

  it("a --cwd that does not exist is named as the directory, not as a missing stack file", async () => {
    const nowhere = path.join(tempDir("usererr"), "nowhere");
    const res = await runCli("plan", ["--cwd", nowhere]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`error: ${nowhere}: no such directory (--cwd names the project directory)\n`);
  });

  it("a YAML syntax error gives line, column and the offending line", async () => {
    const dir = stackDir("garbled", stackText().replace("    count: 2\n", "    count: 2\n   namePrefix:: [x\n"));
    const res = await runCli("plan", ["--stack", "garbled", "--cwd", dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /Pulumi\.garbled\.yaml: is not valid YAML: line \d+, column \d+: .+\n {2}\d+ \| {4}namePrefix:: \[x\n +\^\n$/,
    );
  });

  it("a misspelt namespace or a key without one is named, instead of 'pim: is required'", async () => {
    const text = stackText()
      .replace("entra-baseline:pim:", "entra-baselin:pim:")
      .replace("entra-baseline:monitoring:", "monitoring:");
    const res = await runCli("plan", ["--stack", "ns", "--cwd", stackDir("ns", text)]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      'pim: is set as entra-baselin:pim, in namespace "entra-baselin": the project\'s keys are entra-baseline:pim (rename the key)',
    );
    expect(res.stderr).toContain(
      "monitoring: is set as monitoring, without a namespace: write entra-baseline:monitoring",
    );
    expect(res.stderr).not.toContain("is required");
  });

  it("a misspelt config: map is named instead of every required key", async () => {
    const res = await runCli("plan", [
      "--stack",
      "top",
      "--cwd",
      stackDir("top", stackText().replace(/^config:/m, "configs:")),
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /Pulumi\.top\.yaml: has no config: map \(found configs:; the stack's keys go under config:\)\n$/,
    );
  });

  it("an encrypted webhook URL is accepted (it holds a token) and planned as a secret; a bad one is reported without its token", async () => {
    const secure = stackText().replace(
      "      webhooks: []",
      "      webhooks:\n        - secure: v1:AAAAencryptedWebhookCiphertext==",
    );
    const ok = await runCli("plan", ["--stack", "wh", "--cwd", stackDir("wh", secure), "--json", "--no-policy"]);
    expect(ok.code).toBe(0);
    const group = JSON.parse(ok.stdout).resources.find((r: { type: string }) => r.type.endsWith(":ActionGroup"));
    expect(group.inputs.webhookReceivers).toEqual([
      { name: "webhook-1", serviceUri: "[secret]", useCommonAlertSchema: true },
    ]);
    expect(ok.stdout + ok.stderr).not.toMatch(/AAAAencrypted|encrypted-webhook\.invalid/);

    const plain = stackText().replace(
      "      webhooks: []",
      "      webhooks:\n        - http://hooks.slack.com/services/T000/B000/TOKENvalue",
    );
    const bad = await runCli("plan", ["--stack", "wh", "--cwd", stackDir("wh", plain)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('monitoring.actionGroup.webhooks[0]: "http://hooks.slack.com/…" must be an https URL');
    expect(bad.stderr).not.toContain("TOKENvalue");
  }, 120_000); // two plans in a row: slow on a busy machine
});

describe("flag and output mistakes", () => {
  it("npm run plan --json (without --): npm took the flag; say so instead of printing a tree", async () => {
    const res = await runCli("plan", [], { env: { npm_lifecycle_event: "plan", npm_config_json: "true" } });
    expect(res.code).toBe(2);
    expect(res.stdout).toBe("");
    expect(res.stderr).toBe(
      "error: npm took --json as its own option, so plan never saw it: put -- before the command's options, e.g. npm run plan -- --json\n",
    );
  });

  it("npm run check --stack staging FILE: the stray argument comes with the same explanation", async () => {
    const res = await runCli("check", ["staging", "plan.json"], {
      env: { npm_lifecycle_event: "check", npm_config_stack: "true" },
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("too many arguments");
    expect(res.stderr).toContain("npm took --stack as its own option, so check never saw it");
  });

  it("an output file that cannot be written is exit 2 naming the flag, not a stack trace (exit 3)", async () => {
    const dir = tempDir("usererr");
    const res = await runCli("plan", ["--write-policy-config", dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`error: --write-policy-config ${dir}: cannot be written: is a directory, not a file\n`);
  });

  it("--help names the npm script and lists the exit codes", async () => {
    for (const script of ["plan", "check"] as const) {
      const res = await runCli(script, ["--help"]);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(new RegExp(`^Usage: npm run ${script} -- \\[options\\]`));
      expect(res.stdout).toMatch(
        /Exit codes:\n {2}0 .*\n {2}1 .*mandatory violation.*\n {2}2 {2}bad input.*\n {2}3 .*failed to run/,
      );
    }
  });
});

// Four check processes in a row, each starting the pack: slow on a busy machine.
describe("check: pack config mistakes are bad input (exit 2), not a failed pack run (exit 3)", () => {
  it("a pack config naming an unknown policy or enforcement level", async () => {
    const dir = tempDir("usererr");
    const exported = path.join(dir, "plan.json");
    fs.writeFileSync(
      exported,
      JSON.stringify({
        version: 3,
        deployment: {
          resources: [
            {
              urn: "urn:pulumi:test::entra-baseline::pulumi:pulumi:Stack::entra-baseline-test",
              type: "pulumi:pulumi:Stack",
              custom: false,
            },
          ],
        },
      }),
    );
    const invalid = (file: string) =>
      `error: ${file}: invalid pack config (checked against the pack's configSchemas, as the Pulumi CLI does):\n  `;
    for (const [config, problem] of [
      [
        { "no-such-policy": {} },
        'policy "no-such-policy": the pack has no such policy (known: no-standing-tier0-assignment,',
      ],
      [
        { "global-admin-count": { enforcementLevel: "strict" } },
        'policy "global-admin-count": property "enforcementLevel" must be equal to one of the allowed values ("advisory", "mandatory", "disabled", "remediate"), got "strict"',
      ],
      [
        { "global-admin-count": { min: "two", minimum: 3 }, "activation-policy": { maxActivationMinutes: "4h" } },
        'policy "global-admin-count": unknown property "minimum" (the policy\'s properties: breakglassObjectIds, breakglassUpns, max, min, pimGroups, enforcementLevel)\n' +
          '  policy "global-admin-count": property "min" must be integer, got "two"\n' +
          '  policy "activation-policy": property "maxActivationMinutes" must be integer, got "4h"\n',
      ],
      [
        { "ga-activation-policy": { maxActivationDuration: "PT4H" } },
        'policy "ga-activation-policy": renamed "activation-policy" (entra-baseline 0.2.0); rename the key',
      ],
    ] as const) {
      const file = path.join(dir, "policy-config.json");
      fs.writeFileSync(file, JSON.stringify(config));
      const res = await runCli("check", [exported, "--policy-config", file]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(invalid(file) + problem);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
