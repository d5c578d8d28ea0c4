/**
 * `npm run custody`: each breakglass password out of a stack export, exactly, one 0600 file per account, never in a
 * log. The export is the plan's own `--export` of the test stack (the `pulumi stack export` format, secrets as
 * ciphertext) and the same with the secrets wrapped as `--show-secrets` writes them (plaintext JSON text), holding
 * the plan's stand-in passwords.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { providerTypes } from "@entra-baseline/model";
import { memoryIo } from "../../../src/cli/io";
import { runCommand } from "../../../src/cli/run";
import { main } from "../../../src/tools/custody/cli";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../../src/tools/engine/secrets";
import type { StackExportV3 } from "../../../src/tools/engine/stackExport";
import { planPassword } from "../../../src/tools/plan/mocks";
import { exportPlan, loadStackConfig, planBaseline } from "../../../src/tools/plan/plan";
import { runCli, tempDir } from "../../support/cli";
import { STACK, STACK_DIR } from "../../support/stack";

const ACCOUNTS = ["breakglass-01@contoso.onmicrosoft.com", "breakglass-02@contoso.onmicrosoft.com"];
/** What the plan's mocks generate for each account's RandomPassword (`<component>-<account>-password`). */
const PASSWORDS = ["breakglass-01", "breakglass-02"].map((a) => planPassword(`breakglass-${a}-password`, 256));
/** No CI variable: the tests run in CI, custody refuses to. */
const NOT_CI = { CI: "", GITHUB_ACTIONS: "", TF_BUILD: "", BUILD_BUILDID: "" };

let encrypted: StackExportV3;
let plaintext: StackExportV3;
const dir = tempDir("custody");

const wrapped = (value: string) => ({ [SECRET_SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) });

/** The export as `--show-secrets` writes it: every password secret of the accounts and their RandomPasswords in clear. */
function showSecrets(exported: StackExportV3, passwordOf: (account: string) => string): StackExportV3 {
  const copy = structuredClone(exported);
  for (const r of copy.deployment.resources) {
    if (r.type === providerTypes.randomPassword) {
      const account = ACCOUNTS.find((a) => r.urn.endsWith(`-${a.split("@")[0]}-password`))!;
      r.outputs!.result = wrapped(passwordOf(account));
    }
    if (r.type === providerTypes.user) {
      const account = r.outputs!.userPrincipalName as string;
      r.inputs!.password = wrapped(passwordOf(account));
      r.outputs!.password = wrapped(passwordOf(account));
    }
  }
  return copy;
}

function write(name: string, exported: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof exported === "string" ? exported : JSON.stringify(exported));
  return file;
}

async function custody(args: string[], opts: { stdoutIsTTY?: boolean; env?: Record<string, string> } = {}) {
  const io = memoryIo({ cwd: dir, env: opts.env ?? NOT_CI, stdoutIsTTY: opts.stdoutIsTTY });
  const code = await runCommand(main, args, io);
  return { code, out: io.out, err: io.err };
}

beforeAll(async () => {
  const stack = loadStackConfig(STACK_DIR, STACK);
  if (!stack.ok) throw new Error(JSON.stringify(stack.errors));
  encrypted = exportPlan(await planBaseline(stack.stackFile, stack.config));
  plaintext = showSecrets(encrypted, (a) => PASSWORDS[ACCOUNTS.indexOf(a)]!);
}, 120_000);

describe("custody --out-dir", () => {
  it("writes each account's password, exactly and nothing else, into its own 0600 file in a 0700 directory", async () => {
    const out = path.join(dir, "sealed");
    const result = await custody(["--export", write("plain.json", plaintext), "--out-dir", out]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(out).sort()).toEqual(ACCOUNTS.map((a) => `${a}.password`));
    ACCOUNTS.forEach((account, i) => {
      const file = path.join(out, `${account}.password`);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, "utf8")).toBe(PASSWORDS[i]); // no newline, no quotes
      expect(PASSWORDS[i]).toHaveLength(256);
    });
    for (const p of PASSWORDS) expect(result.out).not.toContain(p);
    expect(result.out).toMatch(/Wrote 2 breakglass passwords/);
    expect(result.out).toContain("256 characters");
  });

  it("decodes the plaintext JSON text exactly: quotes, backslashes and non-ASCII survive", async () => {
    const odd = 'a"b\\c/d\u00e9\u2603{}[]';
    const out = path.join(dir, "odd");
    const result = await custody([
      "--export",
      write(
        "odd.json",
        showSecrets(encrypted, () => odd),
      ),
      "--out-dir",
      out,
    ]);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(out, `${ACCOUNTS[0]}.password`), "utf8")).toBe(odd);
  });

  it("refuses an export without --show-secrets (ciphertext only), saying how to export, and writes nothing", async () => {
    const out = path.join(dir, "never");
    const result = await custody(["--export", write("encrypted.json", encrypted), "--out-dir", out]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/are encrypted \(the export holds their ciphertext, not their value\)/);
    expect(result.err).toContain("pulumi stack export --stack <stack> --show-secrets");
    expect(fs.existsSync(out)).toBe(false);
  });

  it("refuses a password on the account that is not its RandomPassword's (an update that did not finish)", async () => {
    const broken = structuredClone(plaintext);
    const user = broken.deployment.resources.find((r) => r.outputs?.userPrincipalName === ACCOUNTS[1])!;
    user.outputs!.password = wrapped("the-old-password");
    const out = path.join(dir, "mismatch");
    const result = await custody(["--export", write("mismatch.json", broken), "--out-dir", out]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      new RegExp(`${ACCOUNTS[1]}: the password set on the account differs from its RandomPassword .*re-run the deploy`),
    );
    expect(result.err).not.toContain("the-old-password");
    for (const p of PASSWORDS) expect(result.err).not.toContain(p);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("never overwrites a password file, and then writes none of the others either", async () => {
    const out = path.join(dir, "taken");
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, `${ACCOUNTS[1]}.password`), "sealed last year");
    const result = await custody(["--export", write("plain2.json", plaintext), "--out-dir", out]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/already exists; custody never overwrites a password file/);
    expect(fs.readdirSync(out)).toEqual([`${ACCOUNTS[1]}.password`]);
    expect(fs.readFileSync(path.join(out, `${ACCOUNTS[1]}.password`), "utf8")).toBe("sealed last year");
  });

  it("says what is wrong with an export that is not one, without quoting it", async () => {
    const broken = `{"deployment": {"resources": [{"outputs": {"result": "${PASSWORDS[0]}"`;
    const invalid = await custody(["--export", write("broken.json", broken), "--out-dir", path.join(dir, "x")]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toMatch(/is not valid JSON/);
    expect(invalid.err).not.toContain(PASSWORDS[0]!.slice(0, 20));
    const empty = { version: 3, deployment: { manifest: {}, resources: [encrypted.deployment.resources[0]] } };
    const none = await custody(["--export", write("none.json", empty), "--out-dir", path.join(dir, "y")]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/has no breakglass account .*is it the export of the stack that declares the baseline/);
  });
});

describe("custody --show", () => {
  it("prints exactly the one account's password to a terminal, and its length and fingerprint to stderr", async () => {
    const result = await custody(["--export", write("plain3.json", plaintext), "--show", ACCOUNTS[1]!], {
      stdoutIsTTY: true,
    });
    expect(result.code).toBe(0);
    expect(result.out).toBe(`${PASSWORDS[1]}\n`);
    expect(result.err).not.toContain(PASSWORDS[1]);
    expect(result.err).toMatch(/256 characters, sha256 [0-9a-f]{16}…; clear this terminal/);
  });

  it("refuses to print into a pipe or a file", async () => {
    const result = await custody(["--export", write("plain4.json", plaintext), "--show", ACCOUNTS[0]!]);
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toMatch(/--show prints a password only to a terminal/);
  });
});

describe("custody refuses", () => {
  it.each([
    ["CI", { ...NOT_CI, CI: "true" }],
    ["TF_BUILD", { ...NOT_CI, TF_BUILD: "True" }],
  ])("to run in CI (%s set), before reading anything", async (_name, env) => {
    const out = path.join(dir, "ci");
    const result = await custody(["--export", write("plain5.json", plaintext), "--out-dir", out], { env });
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/never in CI/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("without --export or a destination", async () => {
    expect((await custody(["--out-dir", dir])).err).toMatch(/--export FILE is required/);
    expect((await custody(["--export", "x.json"])).err).toMatch(/--out-dir DIR .* or --show ACCOUNT/);
  });
});

describe("npm run custody as a process", () => {
  it("reads the export from stdin (--export -), so the plaintext never touches the disk but for the sealed files", async () => {
    const out = path.join(dir, "stdin");
    const result = await runCli("custody", ["--export", "-", "--out-dir", out], {
      input: JSON.stringify(plaintext),
      env: NOT_CI,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(out, `${ACCOUNTS[0]}.password`), "utf8")).toBe(PASSWORDS[0]);
    for (const p of PASSWORDS) expect(result.stdout).not.toContain(p);
  });
});

describe("the custody runbooks", () => {
  const doc = (name: string) => fs.readFileSync(path.join(__dirname, "../../../docs", name), "utf8");

  it.each(["breakglass.md", "operations.md"])("%s seals with npm run custody, never a jq extraction", (name) => {
    expect(doc(name)).toContain("pulumi stack export --stack prod --show-secrets");
    expect(doc(name)).toMatch(/npm run --silent custody -- --export - --out-dir /);
    expect(doc(name)).not.toMatch(/\| *jq -r/);
  });

  it("the first rollout seals the passwords after the first deploy, before the first drill", () => {
    const rollout = doc("operations.md").split("## First rollout")[1]!.split("\n## ")[0]!;
    const seal = rollout.indexOf("**Seal the passwords**");
    expect(seal).toBeGreaterThan(rollout.indexOf("**Report-only first.**"));
    expect(seal).toBeLessThan(rollout.indexOf("**Prove the breakglass path**"));
  });
});
