import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configJsonSchema, renderConfigReference, renderPulumiYamlTemplate } from "../../src/config/docs";
import { CONFIG_KEYS } from "../../src/config/schema";
import { ROOT } from "../support/stack";

describe("configuration reference", () => {
  it("docs/configuration.md is generated from the current schema", () => {
    expect(fs.readFileSync(path.join(ROOT, "docs", "configuration.md"), "utf8")).toBe(renderConfigReference());
  });

  it("Pulumi.yaml describes every config key with the schema's description, and writes no default", () => {
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    expect(text).toBe(renderPulumiYamlTemplate(text));
    const project = parse(text) as {
      name: string;
      runtime: { name: string };
      template: { config: Record<string, { description: string; default?: unknown }> };
    };
    expect(project.name).toBe("entra-baseline");
    expect(project.runtime.name).toBe("nodejs");
    for (const key of CONFIG_KEYS) {
      const entry = project.template.config[`entra-baseline:${key}`];
      expect(entry, key).toEqual({ description: configJsonSchema(key).description });
    }
  });

  it("documents every leaf key of the schema", () => {
    const doc = renderConfigReference();
    for (const key of [
      "pim.maxActivationDuration",
      "breakglass.fido2.profile.aaguids",
      "monitoring.actionGroup.shortName",
      "limits.globalAdmins.max",
    ]) {
      expect(doc).toContain(`\`${key}\``);
    }
  });
});

describe("npm run docs:config", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "src", "config", "docs.ts"), ...args], {
      cwd: ROOT,
      encoding: "utf8",
    });

  it("--check passes on the committed files and --help changes nothing", () => {
    const before = fs.statSync(path.join(ROOT, "docs", "configuration.md")).mtimeMs;
    expect(run("--check").status).toBe(0);
    const help = run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: npm run docs:config [-- --check]");
    expect(fs.statSync(path.join(ROOT, "docs", "configuration.md")).mtimeMs).toBe(before);
  });

  it("refuses an unknown argument instead of regenerating", () => {
    const bad = run("--chek");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("error: unknown argument --chek");
  });
});
