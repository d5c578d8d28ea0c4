/** Reading `pulumi stack export` files as the pack sees them: what is skipped, and the three forms of a secret. */
import { describe, expect, it } from "vitest";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../../src/tools/engine/secrets";
import { nameOfUrn, readStackExport } from "../../../src/tools/engine/stackExport";

const sig = { [SECRET_SIG_KEY]: SECRET_SIG };
const urn = (type: string, name: string) => `urn:pulumi:prod::entra-baseline::${type}::${name}`;
const exportOf = (resources: unknown[]) => ({
  version: 3,
  deployment: { manifest: { time: "", magic: "", version: "" }, resources },
});

describe("readStackExport", () => {
  it("leaves out the root stack, providers and resources pending deletion, as the engine does", () => {
    const planned = readStackExport(
      exportOf([
        { urn: urn("pulumi:pulumi:Stack", "entra-baseline-prod"), custom: false, type: "pulumi:pulumi:Stack" },
        {
          urn: urn("pulumi:providers:azuread", "default_6_9_1"),
          custom: true,
          type: "pulumi:providers:azuread",
          id: "p1",
        },
        { urn: urn("azuread:index/group:Group", "old"), custom: true, type: "azuread:index/group:Group", delete: true },
        {
          urn: urn("azuread:index/group:Group", "kept"),
          custom: true,
          type: "azuread:index/group:Group",
          provider: `${urn("pulumi:providers:azuread", "default_6_9_1")}::p1`,
          dependencies: ["urn:x"],
          propertyDependencies: { members: ["urn:x"] },
          protect: true,
        },
      ]),
      "t",
    );
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({
      name: "kept",
      protect: true,
      retainOnDelete: false,
      dependencies: ["urn:x"],
      propertyDependencies: { members: ["urn:x"] },
      provider: `${urn("pulumi:providers:azuread", "default_6_9_1")}::p1`,
      inputs: {},
      outputs: undefined,
    });
  });

  it("reads encrypted, --show-secrets and wire-form secrets, at any depth", () => {
    const [r] = readStackExport(
      exportOf([
        {
          urn: urn("azuread:index/user:User", "u"),
          custom: true,
          type: "azuread:index/user:User",
          inputs: {
            password: { ...sig, ciphertext: "v1:AAAA" },
            nested: { list: [{ ...sig, plaintext: JSON.stringify({ a: 1 }) }] },
            wire: { ...sig, value: "x" },
            bare: { ...sig, plaintext: "not-json" },
          },
        },
      ]),
      "t",
    );
    expect(r!.inputs).toEqual({
      password: sig,
      nested: { list: [{ ...sig, value: { a: 1 } }] },
      wire: { ...sig, value: "x" },
      bare: { ...sig, value: "not-json" },
    });
  });

  it("reports every malformed resource at once", () => {
    expect(() =>
      readStackExport(exportOf([{ custom: true }, { urn: urn("a:b:C", "n"), type: 3, custom: "yes" }]), "f.json"),
    ).toThrow(
      /f\.json is not a usable pulumi stack export:\n {2}- deployment\.resources\[0\]: "urn" is missing\n {2}- deployment\.resources\[0\]: "type" is missing\n {2}- deployment\.resources\[1\] \(urn:pulumi:prod::entra-baseline::a:b:C::n\): "type" is not a string\n {2}- deployment\.resources\[1\] \(urn:pulumi:prod::entra-baseline::a:b:C::n\): "custom" is not true\/false$/,
    );
  });

  it("takes the name as everything after the type, even with :: inside", () => {
    expect(nameOfUrn("urn:pulumi:s::p::a:b:C$d:e:F::odd::name")).toBe("odd::name");
  });
});
