/**
 * The Breakglass component under Pulumi mocks: what it declares is exactly what the engine would receive.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  Breakglass,
  breakglassDomain,
  exclusionGroupOwners,
  tenantWideSettings,
} from "../../../src/components/breakglass";
import { PASSWORD_SYMBOLS } from "../../../src/components/breakglass/password";
import { validateConfig, type BaselineConfig } from "../../../src/config/validate";
import { dynamicTypeToken, GLOBAL_ADMINISTRATOR, providerTypes } from "@entra-baseline/model";
import { rawConfig } from "../../support/stack";
import { promiseOf, runProgram, type ProgramRun } from "../../support/pulumiMocks";
import { PUBLIC_CONNECTION } from "../../support/fakes/loopbackGraph";

function config(mutate: (raw: Record<string, any>) => void = () => undefined): BaselineConfig {
  const raw = rawConfig();
  mutate(raw);
  const result = validateConfig(raw);
  if (!result.config) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join("\n"));
  return result.config;
}

async function declare(cfg: BaselineConfig, domains?: { domainName: string; initial: boolean }[]) {
  let component!: Breakglass;
  const run = await runProgram(
    () => {
      component = new Breakglass("breakglass", {
        breakglass: cfg.breakglass,
        tenant: cfg.tenant,
        endpoints: cfg.endpoints,
      });
    },
    { domains },
  );
  return { run, component };
}

const PROTECTED_TYPES = [
  providerTypes.user,
  providerTypes.randomPassword,
  providerTypes.directoryRoleAssignment,
  providerTypes.group,
];

function userIds(run: ProgramRun): string[] {
  return run.ofType(providerTypes.user).map((u) => u.id);
}

describe("Breakglass component", () => {
  it("declares cloud-only users on the initial domain, passwords that never expire, no on-premises anchor", async () => {
    const { run } = await declare(config());
    const users = run.ofType(providerTypes.user);
    expect(users.map((u) => u.inputs.userPrincipalName)).toEqual([
      "breakglass-01@contoso.onmicrosoft.com",
      "breakglass-02@contoso.onmicrosoft.com",
    ]);
    for (const user of users) {
      expect(user.inputs).toMatchObject({
        accountEnabled: true,
        disablePasswordExpiration: true,
        forcePasswordChange: false,
        usageLocation: "US",
        mailNickname: expect.stringMatching(/^breakglass-0[12]$/),
        displayName: expect.stringMatching(/^Emergency access breakglass-0[12]$/),
      });
      expect(user.inputs).not.toHaveProperty("onpremisesImmutableId");
    }
  });

  it("generates 256-character passwords with every character class and only ASCII symbols Entra accepts", async () => {
    const { run } = await declare(config());
    const passwords = run.ofType(providerTypes.randomPassword);
    expect(passwords).toHaveLength(2);
    for (const p of passwords) {
      expect(p.inputs).toMatchObject({ length: 256, upper: true, lower: true, numeric: true, special: true });
      for (const min of ["minUpper", "minLower", "minNumeric", "minSpecial"])
        expect(p.inputs[min]).toBeGreaterThanOrEqual(1);
      expect(p.inputs.overrideSpecial).toBe(PASSWORD_SYMBOLS);
    }
    // Printable ASCII only, and nothing a person could mistype or a shell could eat.
    expect(PASSWORD_SYMBOLS).toMatch(/^[\x21-\x7e]+$/);
    expect(PASSWORD_SYMBOLS).not.toMatch(/[\s"'`\\A-Za-z0-9]/);
  });

  it("hands the users their password as a secret, never in an output", async () => {
    const { run, component } = await declare(config());
    const users = run.constructed.filter((c) => c.type === providerTypes.user);
    for (const user of users) {
      const password = user.props.password as pulumi.Output<string>;
      expect(pulumi.Output.isInstance(password)).toBe(true);
      expect(await pulumi.isSecret(password)).toBe(true);
    }
    for (const p of run.constructed.filter((c) => c.type === providerTypes.randomPassword)) {
      expect((p.opts as pulumi.CustomResourceOptions).additionalSecretOutputs).toEqual(
        expect.arrayContaining(["result"]),
      );
    }
    const outputs = await promiseOf(
      pulumi.all([component.userPrincipalNames, component.objectIds, component.groupObjectId]),
    );
    expect(JSON.stringify(outputs)).not.toMatch(/password|result/i);
    for (const o of [component.userPrincipalNames, component.objectIds, component.groupObjectId])
      expect(await pulumi.isSecret(o as pulumi.Output<unknown>)).toBe(false);
  });

  it("gives an adopted account that keeps its password neither a generator nor a password input", async () => {
    const adopted = "0b5e0000-0000-4000-8000-000000000001";
    const { run } = await declare(
      config((raw) => {
        delete raw.breakglass.count;
        raw.breakglass.accounts = [
          { name: "bg-kept", objectId: adopted }, // password defaults to keepExisting for an adopted account
          { name: "bg-rotated", objectId: "0b5e0000-0000-4000-8000-000000000002", password: "generate" },
        ];
      }),
    );
    const users = run.constructed.filter((c) => c.type === providerTypes.user);
    const kept = users.find((u) => u.name === "breakglass-bg-kept")!;
    const rotated = users.find((u) => u.name === "breakglass-bg-rotated")!;
    expect(kept.props.password).toBeUndefined();
    expect(run.ofType(providerTypes.user).find((u) => u.name === "breakglass-bg-kept")!.inputs).not.toHaveProperty(
      "password",
    );
    expect(await pulumi.isSecret(rotated.props.password as pulumi.Output<string>)).toBe(true);
    expect(run.ofType(providerTypes.randomPassword).map((p) => p.name)).toEqual(["breakglass-bg-rotated-password"]);
    // Still protected, retained and permanent Global Administrator.
    expect(kept.opts).toMatchObject({ protect: true, retainOnDelete: true });
    expect(run.ofType(providerTypes.directoryRoleAssignment)).toHaveLength(2);
  });

  it("protects and retains every part of the bypass: users, passwords, GA assignments, group", async () => {
    const { run } = await declare(config());
    const kept = run.constructed.filter((c) => PROTECTED_TYPES.includes(c.type as never));
    expect(kept.map((c) => c.type).sort()).toEqual(
      [
        ...Array(2).fill(providerTypes.user),
        ...Array(2).fill(providerTypes.randomPassword),
        ...Array(2).fill(providerTypes.directoryRoleAssignment),
        providerTypes.group,
      ].sort(),
    );
    for (const c of kept) expect(c.opts, `${c.type} ${c.name}`).toMatchObject({ protect: true, retainOnDelete: true });
  });

  it("gives permanent Global Administrator to the breakglass users and to nobody else", async () => {
    const { run } = await declare(config());
    const assignments = run.ofType(providerTypes.directoryRoleAssignment);
    expect(assignments).toHaveLength(2);
    for (const a of assignments)
      expect(a.inputs).toMatchObject({ roleId: GLOBAL_ADMINISTRATOR, directoryScopeId: "/" });
    expect(assignments.map((a) => a.inputs.principalObjectId).sort()).toEqual(userIds(run).sort());
    // No other standing role path (legacy membership, PIM-for-Groups) is declared.
    expect(run.ofType(providerTypes.directoryRoleMember)).toEqual([]);
    expect(run.ofType(providerTypes.privilegedAccessGroupAssignmentSchedule)).toEqual([]);
  });

  it("puts exactly the breakglass users in a role-assignable security group", async () => {
    const { run, component } = await declare(config());
    const [group] = run.ofType(providerTypes.group);
    expect(group!.inputs).toMatchObject({
      displayName: "Emergency access accounts",
      assignableToRole: true,
      securityEnabled: true,
      mailEnabled: false,
    });
    expect([...group!.inputs.members].sort()).toEqual(userIds(run).sort());
    expect(await promiseOf(component.groupObjectId)).toBe(group!.id);
    expect(await promiseOf(component.objectIds)).toEqual(userIds(run));
  });

  it("makes the emergency accounts the exclusion group's owners, never the deploying identity", async () => {
    const { run } = await declare(config());
    const [group] = run.ofType(providerTypes.group);
    // Declared explicitly: left out, azuread would make the caller (the CI identity) the owner.
    expect([...group!.inputs.owners].sort()).toEqual(userIds(run).sort());
    expect(run.calls.map((c) => c.token)).not.toContain("azuread:index/getClientConfig:getClientConfig");
  });

  it("gives the exclusion group the owners breakglass.groupOwners declares, in lower case", async () => {
    const owner = "3F2504E0-4F89-41D3-9A0C-0305E82C3301";
    const { run } = await declare(config((c) => (c.breakglass.groupOwners = [owner])));
    const [group] = run.ofType(providerTypes.group);
    expect(group!.inputs.owners).toEqual([owner.toLowerCase()]);
  });

  it("refuses an empty owner list even if validation was bypassed (azuread would make the caller the owner)", () => {
    expect(() => exclusionGroupOwners([], [])).toThrow(/breakglass\.groupOwners is empty/);
  });

  it("enables FIDO2 for the group: its own passkey profile, and no tenant-wide setting unless declared", async () => {
    const { run } = await declare(config());
    const [fido2] = run.ofType(dynamicTypeToken("fido2MethodPolicy"));
    const [group] = run.ofType(providerTypes.group);
    expect(fido2!.inputs).toMatchObject({
      ...PUBLIC_CONNECTION,
      state: "enabled",
      targetGroupId: group!.id,
      isSelfServiceRegistrationAllowed: true,
      profile: {
        name: "Emergency access keys",
        attestationEnforcement: "registrationOnly",
        passkeyTypes: "deviceBound",
        keyRestrictions: {
          isEnforced: true,
          enforcementType: "allow",
          aaGuids: ["cb69481e-8ff7-4039-93ec-0a2729a154a8", "ee882879-721c-4913-9775-3dfcce97072a"],
        },
      },
      tenantWide: {},
    });
    expect(fido2!.inputs).not.toHaveProperty("isAttestationEnforced");
    expect(typeof fido2!.inputs.__provider).toBe("string");
  });

  it("passes the declared tenant-wide settings in Graph's field names", async () => {
    const { run } = await declare(
      config((c) => {
        c.breakglass.fido2.profile.passkeyTypes = ["synced", "deviceBound"];
        c.breakglass.fido2.profile.enforceAttestation = false;
        c.breakglass.fido2.tenantWide = {
          enforceAttestation: true,
          aaguids: ["CB69481E-8FF7-4039-93EC-0A2729A154A8"],
          acknowledgeRestrictsEveryone: true,
        };
      }),
    );
    const [fido2] = run.ofType(dynamicTypeToken("fido2MethodPolicy"));
    expect(fido2!.inputs.profile).toMatchObject({
      attestationEnforcement: "disabled",
      passkeyTypes: "deviceBound,synced",
    });
    expect(fido2!.inputs.tenantWide).toEqual({
      isAttestationEnforced: true,
      keyRestrictions: {
        isEnforced: true,
        enforcementType: "allow",
        aaGuids: ["cb69481e-8ff7-4039-93ec-0a2729a154a8"],
      },
    });
    expect(tenantWideSettings({ aaguids: [], acknowledgeRestrictsEveryone: false })).toEqual({
      keyRestrictions: { isEnforced: false },
    });
  });

  it("declares explicit accounts under their own names", async () => {
    const { run } = await declare(
      config((c) => {
        c.breakglass = {
          ...c.breakglass,
          count: undefined,
          accounts: [{ name: "ea-alpha", displayName: "EA Alpha" }, { name: "ea-bravo" }, { name: "ea-charlie" }],
        };
        c.pim.eligibleAdmins = ["adele.vance@contoso.com", "megan.bowen@contoso.com"];
      }),
    );
    expect(run.ofType(providerTypes.user).map((u) => [u.inputs.userPrincipalName, u.inputs.displayName])).toEqual([
      ["ea-alpha@contoso.onmicrosoft.com", "EA Alpha"],
      ["ea-bravo@contoso.onmicrosoft.com", "Emergency access ea-bravo"],
      ["ea-charlie@contoso.onmicrosoft.com", "Emergency access ea-charlie"],
    ]);
    expect(run.ofType(providerTypes.directoryRoleAssignment)).toHaveLength(3);
  });

  it("looks the initial domain up with azuread.getDomains(onlyInitial) when config names none", async () => {
    const cfg = config((c) => {
      delete c.breakglass.domain;
      delete c.tenant.initialDomain;
    });
    const { run } = await declare(cfg, [{ domainName: "Fabrikam.onmicrosoft.com", initial: true }]);
    expect(run.calls.filter((c) => c.token === "azuread:index/getDomains:getDomains").map((c) => c.args)).toEqual([
      { onlyInitial: true },
    ]);
    expect(run.ofType(providerTypes.user).map((u) => u.inputs.userPrincipalName)).toEqual([
      "breakglass-01@fabrikam.onmicrosoft.com",
      "breakglass-02@fabrikam.onmicrosoft.com",
    ]);
  });

  it("fails when the looked-up domain is not a single *.onmicrosoft.com domain", async () => {
    for (const [domains, message] of [
      [
        [{ domainName: "contoso.com", initial: true }],
        /breakglass domain "contoso\.com" is not a \*\.onmicrosoft\.com initial domain/,
      ],
      [[], /returned 0 domains \(none\); set breakglass\.domain/],
    ] as const) {
      let domain!: pulumi.Output<string>;
      await runProgram(
        () => {
          const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
          domain = breakglassDomain(undefined, parent);
        },
        { domains: [...domains] },
      );
      await expect(promiseOf(domain)).rejects.toThrow(message);
    }
  });

  it("refuses a configured domain that is not an initial domain even if validation was bypassed", async () => {
    await runProgram(() => {
      const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
      expect(() => breakglassDomain("contoso.com", parent)).toThrow(/not a \*\.onmicrosoft\.com initial domain/);
    });
  });
});
