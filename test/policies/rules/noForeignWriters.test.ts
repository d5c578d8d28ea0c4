/**
 * no-foreign-writers: only the model's own resources write the Graph objects the model owns; a resource of any other
 * kind whose inputs (or serialized provider code) name those Graph paths, or name an emergency principal next to a
 * Graph address, is rejected, and so are two of the model's writers of one object.
 */
import { describe, expect, it } from "vitest";
import { dynamicTypeToken, providerTypes } from "@entra-baseline/model";
import { noForeignWriters } from "../../../policies/rules/noForeignWriters";
import { ruleOnWorld } from "../../support/pack/harness";
import { byName, ids, resource, untypedResource, urnOf, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(noForeignWriters);
const { run, stack } = world;

describe("no-foreign-writers", () => {
  it.each(["update", "preview"] as Mode[])("passes the model's own writers (%s)", async (mode) => {
    expect(await run(stack(mode))).toEqual([]);
  });

  it("rejects a dynamic resource of the user's own whose provider code writes a PIM policy", async () => {
    const s = stack("update", (x) =>
      x.push(
        untypedResource("pulumi-nodejs:dynamic:Resource", "quick-fix", {
          roleId: "62e90394-69f5-4237-9190-012177145e10",
          __provider:
            'exports.handler = { create: async (i) => fetch(`https://graph.microsoft.com/v1.0/policies/roleManagementPolicies/${i.id}/rules`, { method: "PATCH" }) }',
        }),
      ),
    );
    expect(await run(s)).toEqual([
      'Resource "quick-fix" (pulumi-nodejs:dynamic:Resource) names the Graph path "roleManagementPolicies" the model owns: only the model\'s own resources write PIM policies, CA policies, authentication contexts and the authentication methods policy; declare the change through the baseline\'s config instead.',
    ]);
  });

  it("rejects a command that edits Conditional Access or the authentication methods policy", async () => {
    const s = stack("update", (x) =>
      x.push(
        untypedResource("command:local:Command", "ca-tweak", {
          create:
            "az rest --method PATCH --url https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies/abc --body @off.json",
        }),
        untypedResource("command:local:Command", "fido-tweak", {
          create: "az rest --method PATCH --url https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy",
        }),
      ),
    );
    const out = await run(s);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(
      /^Command "ca-tweak" \(command:local:Command\) names the Graph path "identity\/conditionalAccess"/i,
    );
    expect(out[1]).toMatch(
      /^Command "fido-tweak" \(command:local:Command\) names the Graph path "authenticationMethodsPolicy"/,
    );
  });

  it("rejects a script of a judged provider that addresses Graph about an emergency account", async () => {
    const s = stack("update", (x) =>
      x.push(
        resource("azure-native:automation:Runbook", "reset-bg", {
          description: `Invoke-MgGraphRequest -Method PATCH https://graph.microsoft.com/v1.0/users/${ids.user("breakglass-01")} -Body @{ accountEnabled = $false }`,
        }),
        resource("azure-native:automation:Runbook", "upn-bg", {
          description:
            "Invoke-MgGraphRequest https://graph.microsoft.com/v1.0/users/breakglass-02@contoso.onmicrosoft.com",
        }),
      ),
    );
    expect(await run(s)).toEqual([
      `Runbook "reset-bg" (azure-native:automation:Runbook) addresses Microsoft Graph and names emergency principal ${ids.user("breakglass-01")}: nothing but the baseline changes the emergency accounts or their group.`,
      'Runbook "upn-bg" (azure-native:automation:Runbook) addresses Microsoft Graph and names emergency principal breakglass-02@contoso.onmicrosoft.com: nothing but the baseline changes the emergency accounts or their group.',
    ]);
  });

  it("rejects a foreign writer of the exclusion group by its object id", async () => {
    const s = stack("update", (x) =>
      x.push(
        untypedResource("command:local:Command", "group-add", {
          create: `curl -X POST https://graph.microsoft.com/v1.0/groups/${ids.group}/members/$ref`,
        }),
      ),
    );
    expect(await run(s)).toEqual([
      `Command "group-add" (command:local:Command) addresses Microsoft Graph and names emergency principal ${ids.group}: nothing but the baseline changes the emergency accounts or their group.`,
    ]);
  });

  it("leaves alone resources that touch none of it, and provider resources the other rules judge", async () => {
    const s = stack("update", (x) =>
      x.push(
        untypedResource("command:local:Command", "hello", {
          create: "curl https://graph.microsoft.com/v1.0/organization",
        }),
        untypedResource("pulumi-nodejs:dynamic:Resource", "unrelated", { __provider: "exports.handler = {}" }),
        resource(providerTypes.conditionalAccessPolicy, "extra-ca", {
          displayName: "Extra",
          conditions: {
            clientAppTypes: ["all"],
            applications: { includedApplications: ["All"] },
            users: { includedUsers: ["All"], excludedGroups: [ids.group] },
          },
        }),
      ),
    );
    expect(await run(s)).toEqual([]);
  });

  it("rejects two writers of one CA policy, one authentication context, or the FIDO2 method policy", async () => {
    const s = stack("update", (x) => {
      const ca = structuredClone(byName(x, "ca-1"));
      ca.name = "ca-1-copy";
      ca.urn = urnOf(ca.type, ca.name);
      const context = structuredClone(byName(x, "activation-context-c1"));
      context.name = "context-copy";
      context.urn = urnOf(context.type, context.name);
      (ca.inputs as Record<string, unknown>).displayName = " ENTRA-BASELINE: MFA for all users ";
      x.push(ca, context);
      // The world declares the baseline's own (breakglass-fido2): one more is a second writer.
      x.push(
        resource(dynamicTypeToken("fido2MethodPolicy"), "fido2-copy", { tenantWide: { isAttestationEnforced: true } }),
      );
    });
    expect(await run(s)).toEqual([
      '2 resources write the Conditional Access policy named "entra-baseline: mfa for all users" (ca-1, ca-1-copy); they would overwrite each other.',
      "2 resources write authentication context c1 (activation-context-c1, context-copy); they would overwrite each other.",
      "2 resources write the tenant's FIDO2 method policy (breakglass-fido2, fido2-copy); they would overwrite each other.",
    ]);
  });
});
