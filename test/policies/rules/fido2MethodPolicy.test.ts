/**
 * fido2-method-policy: the stack's one FIDO2 method policy, read as the configuration it will leave in the tenant, is
 * enabled for the exclusion group and at least as strict as breakglass.fido2 declares, letting the declared key models
 * register (src/model/fido2.ts) — in the tenant's shape once the resource has read it (`tenantShape`), in both shapes
 * before (a passkey profile of the group's own, or the tenant-wide settings every FIDO2 user shares).
 */
import { describe, expect, it } from "vitest";
import { dynamicTypeToken } from "@entra-baseline/model";
import { fido2MethodPolicy } from "../../../policies/rules/fido2MethodPolicy";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { ruleOnWorld } from "../../support/pack/harness";
import { unknownStringValue } from "../../support/pack/unknowns";
import { byName, dependsOn, ids, resource, type Mode } from "../../support/world/stack";

const world = ruleOnWorld(fido2MethodPolicy);
const { run, stack } = world;
const TYPE = dynamicTypeToken("fido2MethodPolicy");
const NAME = "breakglass-fido2";
const YUBIKEY_51 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const YUBIKEY_NFC = "ee882879-721c-4913-9775-3dfcce97072a";
const OTHER_GROUP = "0b000000-0000-4000-8000-0000000000b0";
const PROFILE = `passkey profile "Emergency access keys" (declared-profile)`;
const say = (message: string) => `Fido2MethodPolicy "${NAME}": ${message}.`;

/** The world with its FIDO2 policy changed (and, optionally, the shape the resource read from the tenant). */
function fido2(mode: Mode, change: (inputs: Record<string, any>) => void, shape?: string): PlannedResource[] {
  return stack(mode, (x) => {
    const r = byName(x, NAME);
    change(r.inputs as Record<string, any>);
    if (shape) r.inputs.tenantShape = shape;
  });
}

describe("fido2-method-policy", () => {
  it.each(["update", "preview"] as Mode[])("passes the world's policy, in both shapes (%s)", async (mode) => {
    expect(await run(stack(mode))).toEqual([]);
    for (const shape of ["passkeyProfiles", "tenantWide"])
      expect(await run(fido2(mode, () => undefined, shape)), shape).toEqual([]);
  });

  describe("dangerous, in either shape", () => {
    it("rejects no FIDO2 method policy at all, and two writers of the one policy", async () => {
      expect(await run(stack("update", (x) => x.splice(x.indexOf(byName(x, NAME)), 1)))).toEqual([
        `No FIDO2 method policy is declared (${TYPE}): nothing holds the emergency accounts' keys usable.`,
      ]);
      const two = stack("update", (x) => {
        const copy = structuredClone(byName(x, NAME));
        x.push({ ...copy, name: "fido2-copy", urn: copy.urn.replace(/::breakglass-fido2$/, "::fido2-copy") });
      });
      expect(await run(two)).toEqual([
        `2 resources write the one FIDO2 method policy (${NAME}, fido2-copy); they would overwrite each other.`,
      ]);
    });

    it.each(["passkeyProfiles", "tenantWide"])("rejects the method disabled (%s)", async (shape) => {
      expect(await run(fido2("update", (i) => (i.state = "disabled"), shape))).toEqual([
        say('the FIDO2 method is "disabled": the emergency accounts cannot use their keys'),
      ]);
    });

    it.each(["update", "preview"] as Mode[])("rejects a policy targeting another group (%s)", async (mode) => {
      const s = stack(mode, (x) => {
        const r = byName(x, NAME);
        r.inputs.targetGroupId = OTHER_GROUP;
        r.propertyDependencies = {};
        r.dependencies = [];
      });
      expect(await run(s)).toEqual([
        `Fido2MethodPolicy "${NAME}" targets ${OTHER_GROUP}, not the exclusion group "Emergency access accounts": the emergency accounts' keys would not be governed by it.`,
      ]);
    });
  });

  describe("dangerous in the profile shape: the group's passkey profile looser than declared", () => {
    it("rejects attestation off, synced passkeys allowed, and no model allow-list", async () => {
      const s = fido2(
        "update",
        (i) => {
          i.profile.attestationEnforcement = "disabled";
          i.profile.passkeyTypes = "deviceBound,synced";
          i.profile.keyRestrictions = { isEnforced: false, enforcementType: "allow", aaGuids: [] };
        },
        "passkeyProfiles",
      );
      expect(await run(s)).toEqual([
        say(
          `${PROFILE} allows synced passkeys; the emergency keys are declared deviceBound (breakglass.fido2.profile.passkeyTypes)`,
        ),
        say(
          `${PROFILE} does not enforce attestation (attestationEnforcement "disabled"); the emergency keys are declared attested (breakglass.fido2.profile.enforceAttestation)`,
        ),
        say(
          `${PROFILE} does not restrict models to an allow-list; the emergency keys are declared to be ${YUBIKEY_51}, ${YUBIKEY_NFC} (breakglass.fido2.profile.aaguids)`,
        ),
      ]);
    });

    it("rejects an allow-list that leaves out a declared model, so that key cannot register", async () => {
      const s = fido2("update", (i) => (i.profile.keyRestrictions.aaGuids = [YUBIKEY_51]), "passkeyProfiles");
      expect(await run(s)).toEqual([
        say(
          `no passkey profile of the emergency group lets declared model ${YUBIKEY_NFC} register (breakglass.fido2.profile.aaguids)`,
        ),
      ]);
    });

    it("judges an unread tenant in both shapes: a profile problem is found before the shape is known", async () => {
      const s = fido2("update", (i) => (i.profile.attestationEnforcement = "disabled"));
      expect(await run(s)).toEqual([
        say(
          `${PROFILE} does not enforce attestation (attestationEnforcement "disabled"); the emergency keys are declared attested (breakglass.fido2.profile.enforceAttestation)`,
        ),
      ]);
    });
  });

  describe("dangerous in the tenant-wide shape: the settings every FIDO2 user shares", () => {
    it("rejects tenant-wide restrictions that block a declared model, unless the tenant has passkey profiles", async () => {
      const block = (i: Record<string, any>) =>
        (i.tenantWide = { keyRestrictions: { isEnforced: true, enforcementType: "block", aaGuids: [YUBIKEY_NFC] } });
      const problem = say(
        `the tenant-wide FIDO2 key restrictions do not let declared model ${YUBIKEY_NFC} register (breakglass.fido2.profile.aaguids)`,
      );
      expect(await run(fido2("update", block, "tenantWide"))).toEqual([problem]);
      // Not read yet: the tenant may be either shape, so the tenant-wide reading is judged too.
      expect(await run(fido2("update", block))).toEqual([problem]);
      // A tenant with passkey profiles: the group's own profile decides, the tenant-wide settings do not apply.
      expect(await run(fido2("update", block, "passkeyProfiles"))).toEqual([]);
    });

    it("rejects tenant-wide settings other than the stack declares for them (breakglass.fido2.tenantWide)", async () => {
      const owned = ruleOnWorld(fido2MethodPolicy, (raw) => {
        raw.breakglass.fido2.tenantWide = {
          enforceAttestation: true,
          aaguids: [YUBIKEY_51, YUBIKEY_NFC],
          acknowledgeRestrictsEveryone: true,
        };
      });
      const s = owned.stack("update", (x) => {
        byName(x, NAME).inputs.tenantShape = "tenantWide";
        byName(x, NAME).inputs.tenantWide = {
          isAttestationEnforced: false,
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_51] },
        };
      });
      expect(await owned.run(s)).toEqual([
        say(
          `the tenant-wide FIDO2 key restrictions do not let declared model ${YUBIKEY_NFC} register (breakglass.fido2.profile.aaguids)`,
        ),
        say(
          "tenant-wide attestation is not enforced; breakglass.fido2.tenantWide.enforceAttestation declares enforced",
        ),
        say(
          `the tenant-wide FIDO2 allow-list is ${YUBIKEY_51}; breakglass.fido2.tenantWide.aaguids declares ${YUBIKEY_51}, ${YUBIKEY_NFC}`,
        ),
      ]);
    });
  });

  describe("legitimate", () => {
    it("accepts a profile stricter than declared: attestation enforced though not required, fewer models", async () => {
      const loose = ruleOnWorld(fido2MethodPolicy, (raw) => {
        raw.breakglass.fido2.profile.enforceAttestation = false;
        raw.breakglass.fido2.profile.passkeyTypes = ["deviceBound", "synced"];
        raw.breakglass.fido2.profile.aaguids = [];
      });
      const s = loose.stack("update", (x) => {
        byName(x, NAME).inputs.tenantShape = "passkeyProfiles";
        (byName(x, NAME).inputs.profile as Record<string, unknown>).attestationEnforcement = "registrationOnly";
      });
      expect(await loose.run(s)).toEqual([]);
    });

    it("accepts the tenant-wide settings the stack declares, in a tenant without passkey profiles", async () => {
      const owned = ruleOnWorld(fido2MethodPolicy, (raw) => {
        raw.breakglass.fido2.tenantWide = {
          enforceAttestation: true,
          aaguids: [YUBIKEY_NFC, YUBIKEY_51],
          acknowledgeRestrictsEveryone: true,
        };
      });
      const s = owned.stack("update", (x) => {
        byName(x, NAME).inputs.tenantShape = "tenantWide";
        byName(x, NAME).inputs.tenantWide = {
          isAttestationEnforced: true,
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: [YUBIKEY_51, YUBIKEY_NFC] },
        };
      });
      expect(await owned.run(s)).toEqual([]);
    });

    it("accepts the group's id unknown at preview when it comes from the exclusion group itself", async () => {
      const s = stack("preview");
      expect(byName(s, NAME).inputs.targetGroupId).toBe(unknownStringValue);
      expect(await run(s)).toEqual([]);
    });
  });

  describe("preview unknowns", () => {
    it.each(["state", "profile", "tenantWide"])(
      "rejects %s unknown at preview: nothing can be verified",
      async (key) => {
        const s = fido2("preview", (i) => (i[key] = unknownStringValue));
        expect(await run(s)).toEqual([
          say(`${key} is unknown at preview, so the FIDO2 policy cannot be verified; declare it from config`),
        ]);
      },
    );

    it("rejects a target unknown at preview that does not come from the exclusion group", async () => {
      const s = stack("preview", (x) => {
        const r = byName(x, NAME);
        const other = resource("azuread:index/group:Group", "other-group", { displayName: "Other" });
        x.push(other);
        r.propertyDependencies = {};
        r.dependencies = [];
        dependsOn(r, "targetGroupId", other);
      });
      const [message, ...rest] = await run(s);
      expect(rest).toEqual([]);
      expect(message).toMatch(
        /^Fido2MethodPolicy "breakglass-fido2" targets .+, not the exclusion group "Emergency access accounts": the emergency accounts' keys would not be governed by it\.$/,
      );
      expect(message).not.toContain(ids.group);
    });
  });
});
