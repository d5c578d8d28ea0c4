/** One index over the stack's resources: by type, by URN, and keys that stay unique when lower-cased. */
import { describe, expect, it } from "vitest";
import { providerTypes } from "@entra-baseline/model";
import { dependenciesOf, describeResource, StackIndex } from "../../../policies/lib/stack";
import { policyResources } from "../../support/pack/harness";
import { dependsOn, resource } from "../../support/world/stack";

describe("StackIndex", () => {
  const a = resource(providerTypes.workspace, "logs", {});
  const twin = resource(providerTypes.workspace, "LOGS", {});
  const third = resource(providerTypes.workspace, "Logs", {});
  const natural = resource(providerTypes.workspace, "logs#2", {});
  const user = dependsOn(resource(providerTypes.user, "u", {}), "password", a);
  const index = new StackIndex(policyResources([a, twin, natural, third, user]));

  it("finds resources by type and URN", () => {
    expect(index.of(providerTypes.workspace).map((r) => r.name)).toEqual(["logs", "LOGS", "logs#2", "Logs"]);
    expect(index.byUrn.get(user.urn)?.name).toBe("u");
    expect(dependenciesOf(index.byUrn.get(user.urn)!, "password", providerTypes.workspace).map((r) => r.name)).toEqual([
      "logs",
    ]);
    expect(dependenciesOf(index.byUrn.get(user.urn)!, "password", providerTypes.user)).toEqual([]);
    expect(describeResource(index.byUrn.get(user.urn)!)).toBe('User "u"');
  });

  it("keys each resource by its URN, and a later twin (same URN but for case) by a free #n, unique once lower-cased", () => {
    const keys = [a, twin, natural, third].map((r) => index.keyOf(r));
    expect(keys).toEqual([a.urn, `${twin.urn}#3`, natural.urn, `${third.urn}#4`]);
    expect(new Set(keys.map((k) => k.toLowerCase())).size).toBe(4);
    for (const r of [a, twin, natural, third]) expect(index.byKey(index.keyOf(r).toUpperCase())?.name).toBe(r.name);
    expect(index.byKey("urn:none")).toBeUndefined();
  });
});
