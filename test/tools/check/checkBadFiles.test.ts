/** `npm run check` on files that are not usable stack exports: exit 2, naming the file and the problem. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../../support/cli";

const dir = tempDir("check-bad");
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}
const resource = {
  urn: "urn:pulumi:prod::entra-baseline::azuread:index/group:Group::g",
  custom: true,
  type: "azuread:index/group:Group",
  inputs: {},
};
const manifest = { time: "2026-01-01T00:00:00Z", magic: "", version: "v3.200.0" };

const cases: { name: string; text: string; problem: RegExp }[] = [
  { name: "not-json.json", text: "{ this is not json", problem: /not JSON/ },
  { name: "array.json", text: "[]", problem: /top level is not a JSON object/ },
  {
    name: "no-version.json",
    text: JSON.stringify({ deployment: { manifest, resources: [] } }),
    problem: /"version" is missing/,
  },
  {
    name: "version-2.json",
    text: JSON.stringify({ version: 2, deployment: { manifest, resources: [] } }),
    problem: /"version" is 2; npm run check reads deployment version 3/,
  },
  { name: "no-deployment.json", text: JSON.stringify({ version: 3 }), problem: /"deployment" is missing/ },
  {
    name: "no-resources.json",
    text: JSON.stringify({ version: 3, deployment: { manifest } }),
    problem: /"deployment.resources" is missing/,
  },
  {
    name: "resources-object.json",
    text: JSON.stringify({ version: 3, deployment: { manifest, resources: {} } }),
    problem: /"deployment.resources" is not a list/,
  },
  {
    name: "no-urn.json",
    text: JSON.stringify({
      version: 3,
      deployment: { manifest, resources: [resource, { custom: true, type: "azuread:index/user:User" }] },
    }),
    problem: /deployment\.resources\[1\]: "urn" is missing/,
  },
  {
    name: "no-type.json",
    text: JSON.stringify({ version: 3, deployment: { manifest, resources: [{ urn: resource.urn, custom: true }] } }),
    problem:
      /deployment\.resources\[0\] \(urn:pulumi:prod::entra-baseline::azuread:index\/group:Group::g\): "type" is missing/,
  },
  {
    name: "bad-urn.json",
    text: JSON.stringify({ version: 3, deployment: { manifest, resources: [{ ...resource, urn: "group-g" }] } }),
    problem: /"urn" is not a Pulumi URN/,
  },
  {
    name: "bad-deps.json",
    text: JSON.stringify({
      version: 3,
      deployment: { manifest, resources: [{ ...resource, propertyDependencies: { members: "x" } }] },
    }),
    problem: /"propertyDependencies" is not a map of property name to a list of URNs/,
  },
];

describe("npm run check on a bad file", () => {
  for (const c of cases) {
    it(`${c.name}: exit 2 naming the file and the problem`, async () => {
      const p = file(c.name, c.text);
      const res = await runCli("check", [p]);
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(p);
      expect(res.stderr).toMatch(c.problem);
      expect(res.stdout).toBe("");
    });
  }

  it("a missing file: exit 2 naming it", async () => {
    const res = await runCli("check", [path.join(dir, "absent.json")]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/absent\.json: cannot read the stack export: no such file or directory\n$/);
  });

  it("no file argument: exit 2 with usage", async () => {
    const res = await runCli("check", []);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("missing required argument");
  });
});
