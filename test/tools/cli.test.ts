/** `entra-baseline <command>`: the library's binary picks a command and hands it the rest, with its own usage line. */
import { describe, expect, it } from "vitest";
import { memoryIo } from "../../src/cli/io";
import { runCommand } from "../../src/cli/run";
import { main } from "../../src/tools/cli";
import { readManifest } from "../../scripts/build-packages";
import { ROOT } from "../support/cli";

async function binary(args: string[]) {
  const io = memoryIo({ env: {} });
  const code = await runCommand(main, args, io);
  return { code, out: io.out, err: io.err };
}

describe("entra-baseline", () => {
  it("--help lists every command", async () => {
    const { code, out } = await binary(["--help"]);
    expect(code).toBe(0);
    for (const command of ["plan", "check", "audit", "review", "custody"])
      expect(out).toMatch(new RegExp(`^  ${command} `, "m"));
  });

  it("without a command, or with an unknown one, is exit 2 with the usage", async () => {
    expect((await binary([])).code).toBe(2);
    const unknown = await binary(["deploy"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^error: unknown command 'deploy'\nUsage: entra-baseline <command>/);
  });

  it("hands a command its arguments, and its usage names the binary instead of npm run", async () => {
    const { code, out } = await binary(["custody", "--help"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: entra-baseline custody \[options\]/);
    expect(out).not.toContain("npm run");
    const bad = await binary(["plan", "--no-such-flag"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/\(entra-baseline plan --help for usage\)/);
  });

  it("--version is the package's version", async () => {
    expect((await binary(["--version"])).out.trim()).toBe(readManifest(ROOT).version);
  });
});
