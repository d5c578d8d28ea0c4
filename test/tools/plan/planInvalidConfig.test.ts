/**
 * `npm run plan` on stack files it must refuse: every config error printed with its key path and offending value,
 * exit 2, and nothing declared (the program is never loaded).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { stackText, runCli, tempDir } from "../../support/cli";

function stackDir(name: string, text: string): string {
  const dir = tempDir("plan");
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
  return dir;
}

describe("npm run plan with an invalid stack", () => {
  it("prints every error with key path and value, exits 2 and declares nothing", async () => {
    const text = stackText()
      .replace("maxActivationDuration: PT4H", "maxActivationDuration: PT9H")
      .replace("- megan.bowen@contoso.com", "- not-a-upn")
      .replace("retentionInDays: 180", "retentionInDays: 30");
    const dir = stackDir("broken", text);
    const res = await runCli("plan", ["--stack", "broken", "--cwd", dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      "Pulumi.broken.yaml: invalid entra-baseline configuration (3 problems); nothing was declared",
    );
    expect(res.stderr).toMatch(/pim\.maxActivationDuration: "PT9H" is longer than the allowed 4 hours/);
    expect(res.stderr).toMatch(/pim\.eligibleAdmins\[1\]: "not-a-upn" must be a user principal name/);
    expect(res.stderr).toMatch(/monitoring\.retentionInDays: 30 is below the required 90 days/);
    expect(res.stdout).toBe("");
  });

  it("with --json prints the errors as JSON and an empty resource list", async () => {
    const dir = stackDir("broken", stackText().replace("authenticationContextId: c1", "authenticationContextId: c100"));
    const res = await runCli("plan", ["--stack", "broken", "--cwd", dir, "--json"]);
    expect(res.code).toBe(2);
    const out = JSON.parse(res.stdout);
    expect(out.resources).toEqual([]);
    expect(out.errors).toEqual([{ path: "pim.authenticationContextId", message: expect.stringContaining('"c100"') }]);
  });

  it("refuses an encrypted secure: value of ours, naming the key, and ignores one of another namespace", async () => {
    const text = stackText()
      .replace(
        "  azure-native:location: westeurope",
        "  azure-native:location: westeurope\n  azure-native:clientSecret:\n    secure: v1:abc",
      )
      .replace("    shortName: entrabg-prod", "    shortName:\n        secure: v1:AAAABBBB");
    const dir = stackDir("enc", text);
    const res = await runCli("plan", ["--stack", "enc", "--cwd", dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      "monitoring.actionGroup.shortName: is an encrypted secure: value, which cannot be decrypted here",
    );
    expect(res.stderr).toContain("this key holds no secret, so set it in clear text");
    expect(res.stderr).not.toContain("clientSecret");
    expect(res.stderr).toContain("(1 problem)");
  });

  it("names the missing stack file and exits 2", async () => {
    const res = await runCli("plan", ["--stack", "nosuch", "--cwd", tempDir("plan")]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Pulumi\.nosuch\.yaml: no such stack file/);
  });

  it("names a stack file that is not YAML and exits 2", async () => {
    const dir = stackDir("garbled", "config:\n  entra-baseline:pim: [unclosed\n");
    const res = await runCli("plan", ["--stack", "garbled", "--cwd", dir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Pulumi\.garbled\.yaml: is not valid YAML/);
  });

  it("rejects an unknown flag with exit 2", async () => {
    const res = await runCli("plan", ["--no-such-flag"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("unknown option");
  });
});
