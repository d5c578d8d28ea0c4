/**
 * exclusion-group: the group every CA policy's exclusion rests on is exactly one role-assignable security group of
 * the configured name, protected, whose members are exactly the emergency accounts and whose owners are exactly the
 * declared ones (src/model/exclusionGroup.ts) — at preview by the principals each unknown entry came from.
 */
import { describe, expect, it } from "vitest";
import { providerTypes } from "@entra-baseline/model";
import { exclusionGroup } from "../../../policies/rules/exclusionGroup";
import { ruleOnWorld } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { byName, dependsOn, ids, resource, urnOf, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(exclusionGroup);
const { run, stack } = world;
const GROUP = "breakglass-group";
const BG1_ID = ids.user("breakglass-01");
const BG2_ID = ids.user("breakglass-02");
const EVIL_ID = "aaaaaaaa-0000-4000-8000-00000000e711";
const OWNER_ID = "0a000000-0000-4000-8000-0000000000a0";
const say = (mode: Mode, message: string) =>
  `Breakglass exclusion group Group "${GROUP}" (${mode === "update" ? ids.group : urnOf(providerTypes.group, GROUP)}) ${message}.`;

describe("exclusion-group", () => {
  it.each(["update", "preview"] as Mode[])("passes the compliant group (%s)", async (mode) => {
    expect(await run(stack(mode))).toEqual([]);
  });

  it.each(["update", "preview"] as Mode[])(
    "rejects a group that is not role-assignable, or misses an account (%s)",
    async (mode) => {
      const s = stack(mode, (x) => {
        const g = byName(x, GROUP);
        g.inputs.assignableToRole = false;
        g.inputs.members = (g.inputs.members as string[]).slice(0, 1);
        g.propertyDependencies.members = g.propertyDependencies.members!.slice(0, 1);
      });
      expect(await run(s)).toEqual([
        say(mode, "is not role-assignable, so a Groups or User Administrator can change its members"),
        say(mode, "does not contain emergency account breakglass-02@contoso.onmicrosoft.com"),
      ]);
    },
  );

  it("rejects someone else in the group, inline or by a GroupMember resource", async () => {
    const inline = stack("update", (x) => (byName(x, GROUP).inputs.members as string[]).push(EVIL_ID));
    expect(await run(inline)).toEqual([
      say("update", `also contains ${EVIL_ID}, who would be exempt from every Conditional Access policy`),
    ]);
    const member = stack("update", (x) =>
      x.push(resource(providerTypes.groupMember, "evil-member", { groupObjectId: ids.group, memberObjectId: EVIL_ID })),
    );
    expect(await run(member)).toEqual([
      say("update", `also contains ${EVIL_ID}, who would be exempt from every Conditional Access policy`),
    ]);
  });

  it("at preview, rejects a GroupMember whose member cannot be identified, and one that came from another user", async () => {
    const s = stack("preview", (x) => {
      const evil = resource(providerTypes.user, "evil", {
        userPrincipalName: "evil@contoso.com",
        objectId: unknownStringValue,
      });
      x.push(evil);
      x.push(
        dependsOn(
          dependsOn(
            resource(providerTypes.groupMember, "evil-member", {
              groupObjectId: unknownStringValue,
              memberObjectId: unknownStringValue,
            }),
            "groupObjectId",
            byName(x, GROUP),
          ),
          "memberObjectId",
          evil,
        ),
      );
    });
    expect(await run(s)).toEqual([
      say(
        "preview",
        `also contains ${urnOf(providerTypes.user, "evil")}, who would be exempt from every Conditional Access policy`,
      ),
    ]);
  });

  it("does not mistake at preview a user whose resource name differs from an emergency account's only in case", async () => {
    const s = stack("preview", (x) => {
      // new azuread.User("BREAKGLASS-breakglass-01", { userPrincipalName: "mallory-alt@contoso.com", … }), put in the
      // group next to both accounts: its URN equals the account's but for case.
      const twin = resource(providerTypes.user, "BREAKGLASS-breakglass-01", {
        userPrincipalName: "mallory-alt@contoso.com",
        objectId: unknownStringValue,
      });
      x.push(twin);
      const g = byName(x, GROUP);
      (g.inputs.members as string[]).push(unknownStringValue);
      dependsOn(g, "members", twin);
    });
    expect(await run(s)).toEqual([
      say(
        "preview",
        `also contains ${urnOf(providerTypes.user, "BREAKGLASS-breakglass-01")}, who would be exempt from every Conditional Access policy`,
      ),
    ]);
  });

  it("rejects members unknown at preview that came from anything but principals", async () => {
    const s = stack("preview", (x) => {
      const g = byName(x, GROUP);
      g.propertyDependencies.members = [...g.propertyDependencies.members!, byName(x, "monitoring-workspace").urn];
    });
    expect(await run(s)).toEqual([
      say(
        "preview",
        "has members that cannot be verified (unknown at preview or unread), so it may exempt someone else",
      ),
    ]);
  });

  it("rejects an extra owner, and a group declared without owners (azuread makes the deployer its owner)", async () => {
    const extra = stack("update", (x) => (byName(x, GROUP).inputs.owners as string[]).push(EVIL_ID));
    expect(await run(extra)).toEqual([
      say("update", `is also owned by ${EVIL_ID}: an owner can add anyone, exempting them from every CA policy`),
    ]);
    const none = stack("update", (x) => delete byName(x, GROUP).inputs.owners);
    expect(await run(none)).toEqual([
      say(
        "update",
        "is not owned by breakglass-01@contoso.onmicrosoft.com, breakglass-02@contoso.onmicrosoft.com (the declared owners)",
      ),
      `Breakglass exclusion Group "${GROUP}" declares no owners: azuread makes the deploying identity its owner, who could add anyone and exempt them from every CA policy; set owners to the emergency accounts (or breakglass.groupOwners).`,
    ]);
  });

  it("takes the declared owners from config (breakglass.groupOwners) instead of the accounts", async () => {
    const cfg = { ...world.packConfig, groupOwners: [OWNER_ID] };
    expect(await run(stack("update"), cfg)).toEqual([
      say(
        "update",
        `is also owned by ${BG1_ID}, ${BG2_ID}: an owner can add anyone, exempting them from every CA policy`,
      ),
      say("update", `is not owned by ${OWNER_ID} (the declared owners)`),
    ]);
    const owned = stack("update", (x) => (byName(x, GROUP).inputs.owners = [OWNER_ID.toUpperCase()]));
    expect(await run(owned, cfg)).toEqual([]);
  });

  it("rejects a group that is not a security group", async () => {
    const s = stack("update", (x) => (byName(x, GROUP).inputs.securityEnabled = false));
    expect(await run(s)).toEqual([say("update", "is not a security group")]);
  });

  it("rejects a missing group, and a second group of the same name", async () => {
    expect(await run(stack("update").filter((r) => r.name !== GROUP))).toEqual([
      'Breakglass exclusion no group named "Emergency access accounts" exists: every CA policy\'s exclusion of the emergency accounts rests on it.',
    ]);
    const twin = stack("update", (x) => {
      const copy = structuredClone(byName(x, GROUP));
      copy.name = "namesake";
      copy.urn = urnOf(copy.type, copy.name);
      copy.inputs.objectId = "9c000000-0000-4000-8000-00000000009c";
      x.push(copy);
    });
    expect((await run(twin))[0]).toBe(
      `Breakglass exclusion 2 groups are named "Emergency access accounts" (${ids.group}, 9c000000-0000-4000-8000-00000000009c): an exclusion may point at the wrong one; keep exactly one.`,
    );
  });

  it("rejects an exclusion group without protect (deleting it removes every exclusion)", async () => {
    const s = stack("update", (x) => (byName(x, GROUP).protect = false));
    expect(await run(s)).toEqual([
      `Breakglass exclusion Group "${GROUP}" is not protected (protect: true): deleting it removes the exclusion every Conditional Access policy relies on.`,
    ]);
  });

  it("finds the group by its configured name (case-insensitive), and counts an account it does not declare by object id", async () => {
    const renamed = ruleOnWorld(exclusionGroup, (raw) => (raw.breakglass.groupName = "Break Glass"));
    expect(await renamed.run(stack("update"))).toEqual([
      'Breakglass exclusion no group named "Break Glass" exists: every CA policy\'s exclusion of the emergency accounts rests on it.',
    ]);
    const upper = stack("update", (x) => (byName(x, GROUP).inputs.displayName = "EMERGENCY ACCESS ACCOUNTS"));
    expect(await run(upper)).toEqual([]);
    expect(await run(stack("update"), { ...world.packConfig, breakglassObjectIds: [EVIL_ID] })).toEqual([
      say("update", `does not contain emergency account ${EVIL_ID}`),
      say("update", `is not owned by ${EVIL_ID} (the declared owners)`),
    ]);
  });
});
