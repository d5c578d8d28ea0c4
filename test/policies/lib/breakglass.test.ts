/**
 * Which resources are the emergency accounts and the exclusion group, and whether a reference is one: by known id,
 * else by where it came from — strictly (only from emergency accounts) to grant, loosely (from one at all) to refuse.
 */
import { describe, expect, it } from "vitest";
import { providerTypes } from "@entra-baseline/model";
import { breakglassView, isBreakglassUpn, mayBeBreakglass, principalVerdict } from "../../../policies/lib/breakglass";
import { StackIndex } from "../../../policies/lib/stack";
import { policyResources } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { dependsOn, resource } from "../../support/world/stack";

const BG_ID = "3e51fb47-f7df-52c0-94d6-6be4c366fee9";

describe("emergency account references", () => {
  it("matches a full UPN exactly (any case), and a bare name only on a *.onmicrosoft.com domain", () => {
    expect(isBreakglassUpn("BreakGlass-01@Contoso.onmicrosoft.com", ["breakglass-01@contoso.onmicrosoft.com"])).toBe(
      true,
    );
    expect(isBreakglassUpn("breakglass-01@contoso.onmicrosoft.com", ["breakglass-01"])).toBe(true);
    expect(isBreakglassUpn("breakglass-01@contoso.com", ["breakglass-01"])).toBe(false);
    expect(isBreakglassUpn("x-breakglass-01@contoso.onmicrosoft.com", ["breakglass-01"])).toBe(false);
  });
});

describe("breakglassView", () => {
  const bg = resource(providerTypes.user, "bg", {
    userPrincipalName: "breakglass-01@contoso.onmicrosoft.com",
    objectId: BG_ID.toUpperCase(),
  });
  const pending = resource(providerTypes.user, "bg2", {
    userPrincipalName: "breakglass-02@contoso.onmicrosoft.com",
    objectId: unknownStringValue,
  });
  const other = resource(providerTypes.user, "other", {
    userPrincipalName: "other@contoso.com",
    objectId: unknownStringValue,
  });
  const group = resource(providerTypes.group, "g", {
    displayName: "EMERGENCY access accounts",
    objectId: "9a000000-0000-4000-8000-00000000009a",
  });
  const ref = (name: string, value: string, ...sources: (typeof bg)[]) =>
    dependsOn(
      resource(providerTypes.directoryRoleAssignment, name, { principalObjectId: value }),
      "principalObjectId",
      ...sources,
    );
  const resources = [
    bg,
    pending,
    other,
    group,
    ref("known", BG_ID),
    ref("from-bg", unknownStringValue, pending),
    ref("mixed", unknownStringValue, pending, other),
    ref("from-other", unknownStringValue, other),
    ref("known-computed", "aaaaaaaa-0000-4000-8000-000000000001", pending),
  ];
  const index = new StackIndex(policyResources(resources));
  const view = breakglassView(index, {
    breakglassUpns: ["breakglass-01", "breakglass-02@contoso.onmicrosoft.com"],
    breakglassObjectIds: ["AAAAAAAA-0000-4000-8000-0000000000EE"],
    breakglassGroupName: "Emergency access accounts",
  });
  const at = (name: string) => index.resources.find((r) => r.name === name)!;

  it("finds the declared accounts by UPN and the group by name, with their known ids lower-case", () => {
    expect(view.users.map((u) => u.name)).toEqual(["bg", "bg2"]);
    expect([...view.objectIds]).toEqual(["aaaaaaaa-0000-4000-8000-0000000000ee", BG_ID]);
    expect(view.groups.map((g) => g.name)).toEqual(["g"]);
    expect([...view.groupObjectIds]).toEqual(["9a000000-0000-4000-8000-00000000009a"]);
  });

  it("grants only by a known id, or an unknown one that came from emergency accounts alone", () => {
    expect(principalVerdict(at("known"), "principalObjectId", view)).toBe("breakglass");
    expect(principalVerdict(at("from-bg"), "principalObjectId", view)).toBe("breakglass");
    expect(principalVerdict(at("mixed"), "principalObjectId", view)).toBe("unknown");
    expect(principalVerdict(at("from-other"), "principalObjectId", view)).toBe("unknown");
    expect(principalVerdict(at("known-computed"), "principalObjectId", view)).toBe("other");
  });

  it("refuses on a known id, or an unknown one that came from an emergency account at all", () => {
    expect(mayBeBreakglass(at("known"), "principalObjectId", view)).toBe(true);
    expect(mayBeBreakglass(at("mixed"), "principalObjectId", view)).toBe(true);
    expect(mayBeBreakglass(at("from-other"), "principalObjectId", view)).toBe(false);
    expect(mayBeBreakglass(at("known-computed"), "principalObjectId", view)).toBe(false);
  });
});
