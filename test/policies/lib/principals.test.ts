/**
 * How a stack's principal reference becomes the model's PrincipalFacts: by known object id (a declared resource gives
 * its type), else at preview by the one principal resource it came from; from several or none it is unknown, and an
 * emergency account among the sources makes "is it an emergency account?" unknown (fails closed).
 */
import { describe, expect, it } from "vitest";
import { providerTypes } from "@entra-baseline/model";
import { breakglassView } from "../../../policies/lib/breakglass";
import { principalAt, principalOfResource, resourceWithObjectId } from "../../../policies/lib/principals";
import { StackIndex } from "../../../policies/lib/stack";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { policyResources } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { dependsOn, resource, urnOf } from "../../support/world/stack";

const BG_ID = "3e51fb47-f7df-52c0-94d6-6be4c366fee9";
const SP_ID = "5b000000-0000-4000-8000-00000000005b";
const bgUser = (objectId: string) =>
  resource(providerTypes.user, "bg", { userPrincipalName: "breakglass-01@contoso.onmicrosoft.com", objectId });
const other = resource(providerTypes.user, "other", { displayName: "Other", objectId: unknownStringValue });
const sp = resource(providerTypes.servicePrincipal, "deployer", {
  displayName: "Deployer",
  objectId: SP_ID.toUpperCase(),
});

function world(extra: PlannedResource[], bgId = BG_ID) {
  const index = new StackIndex(policyResources([bgUser(bgId), other, sp, ...extra]));
  const view = breakglassView(index, {
    breakglassUpns: ["breakglass-01"],
    breakglassObjectIds: ["AAAAAAAA-0000-4000-8000-0000000000EE"],
  });
  const at = (name: string, property = "principalObjectId") =>
    principalAt(index.byUrn.get(urnOf(extra[0]!.type, name))!, property, index, view);
  return { index, view, at };
}

const assignment = (name: string, principalObjectId: string, ...sources: PlannedResource[]) =>
  dependsOn(
    resource(providerTypes.directoryRoleAssignment, name, { roleId: "x", principalObjectId }),
    "principalObjectId",
    ...sources,
  );

describe("principalOfResource", () => {
  it("keys a declared principal by its object id (lower-case) when known, else by its URN", () => {
    const { index, view } = world([]);
    expect(principalOfResource(index.byUrn.get(urnOf(providerTypes.user, "bg"))!, view)).toEqual({
      key: BG_ID,
      objectId: BG_ID,
      type: "user",
      label: "breakglass-01@contoso.onmicrosoft.com",
      breakglass: true,
    });
    expect(principalOfResource(index.byUrn.get(other.urn)!, view)).toEqual({
      key: other.urn,
      type: "user",
      label: "Other",
      breakglass: false,
    });
    expect(principalOfResource(index.byUrn.get(sp.urn)!, view)).toMatchObject({ key: SP_ID, type: "servicePrincipal" });
    expect(resourceWithObjectId(index, ` ${SP_ID} `)?.name).toBe("deployer");
  });
});

describe("principalAt", () => {
  it("takes a known id as that principal: a declared one with its type, an undeclared one as of unknown type", () => {
    const { at } = world([
      assignment("to-sp", SP_ID),
      assignment("to-bg", BG_ID.toUpperCase()),
      assignment("to-ext", "AAAAAAAA-0000-4000-8000-0000000000EE"),
    ]);
    expect(at("to-sp")).toMatchObject({ key: SP_ID, type: "servicePrincipal", label: "Deployer", breakglass: false });
    expect(at("to-bg")).toMatchObject({ key: BG_ID, type: "user", breakglass: true });
    expect(at("to-ext")).toEqual({
      key: "aaaaaaaa-0000-4000-8000-0000000000ee",
      objectId: "aaaaaaaa-0000-4000-8000-0000000000ee",
      type: "unknown",
      label: "aaaaaaaa-0000-4000-8000-0000000000ee",
      breakglass: true,
    });
  });

  it("at preview, takes an unknown id as the one principal resource it came from", () => {
    const { at } = world([assignment("from-bg", unknownStringValue, bgUser(unknownStringValue))], unknownStringValue);
    expect(at("from-bg")).toEqual({
      key: urnOf(providerTypes.user, "bg"),
      type: "user",
      label: "breakglass-01@contoso.onmicrosoft.com",
      breakglass: true,
    });
  });

  it("cannot tell who an unknown id from several principals (or none) is; an emergency account among them makes it unknown", () => {
    const bg = bgUser(unknownStringValue);
    const { at } = world(
      [assignment("mixed", unknownStringValue, bg, other), assignment("nowhere", unknownStringValue)],
      unknownStringValue,
    );
    expect(at("mixed")).toEqual({
      key: `unknown:${urnOf(providerTypes.directoryRoleAssignment, "mixed")}:principalObjectId`,
      type: "unknown",
      label: "a principal unknown at preview (mixed.principalObjectId)",
      breakglass: "unknown",
    });
    expect(at("nowhere")).toMatchObject({ type: "unknown", breakglass: false });
  });

  it("gives nothing for an absent or non-string reference", () => {
    // A number where the SDK takes a string: a shape no program declares, so put there past the builder's type.
    const none = resource(providerTypes.directoryRoleAssignment, "none", { roleId: "x" });
    none.inputs.principalObjectId = 7;
    const { at } = world([none]);
    expect(at("none")).toBeUndefined();
  });
});
