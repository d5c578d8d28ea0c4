/**
 * The emergency bypass: two or more cloud-only accounts on the tenant's initial *.onmicrosoft.com domain, each with
 * a 256-character random password (or, for an adopted account that keeps it, the password it already has) and
 * permanent active Global Administrator (the one permanent GA path of the project), a role-assignable group holding
 * exactly them and owned by the declared owners (the exclusion of every CA policy), and the FIDO2 method policy that
 * lets them register keys.
 *
 * Nothing this program does may remove the bypass: users, passwords, GA assignments and the group are `protect`ed
 * (an update that would delete or replace one fails) and `retainOnDelete` (a `pulumi destroy` or a removal from the
 * program leaves them in the tenant). Passwords stay in Pulumi's secret store: never exported, logged or printed.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { BaselineConfig } from "../../config/validate";
import type { BreakglassConfig, TenantConfig } from "../../config/schema";
import {
  ATTESTATION_ENFORCEMENT,
  componentTypes,
  GLOBAL_ADMINISTRATOR,
  isOnMicrosoftDomain,
  passkeyTypesFlags,
} from "@entra-baseline/model";
import type { Endpoints } from "@entra-baseline/model";
import { graphConnection } from "../../graph/dynamicProvider";
import { Fido2MethodPolicy } from "./fido2MethodPolicy";
import { type PasskeyProfileSettings, type TenantWideFido2Settings } from "./fido2MethodPolicyProvider";
import { PASSWORD_ARGS } from "./password";

export interface BreakglassArgs {
  breakglass: BaselineConfig["breakglass"];
  tenant: TenantConfig;
  /** The tenant cloud's hosts (config `endpoints`). */
  endpoints: Endpoints;
}

export class Breakglass extends pulumi.ComponentResource {
  readonly userPrincipalNames: pulumi.Output<string[]>;
  readonly objectIds: pulumi.Output<string[]>;
  readonly groupObjectId: pulumi.Output<string>;
  /** The emergency users, in config order. */
  readonly users: azuread.User[];
  readonly group: azuread.Group;
  readonly fido2MethodPolicy: Fido2MethodPolicy;

  constructor(name: string, args: BreakglassArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentTypes.breakglass, name, {}, opts);
    const bg = args.breakglass;
    const domain = breakglassDomain(bg.domain ?? args.tenant.initialDomain, this);
    // Protected and retained: no destroy, rename or refactor can delete the bypass (see the module comment).
    const keep: pulumi.CustomResourceOptions = { parent: this, protect: true, retainOnDelete: true };

    this.users = bg.accounts.map((account) => {
      // An adopted account that keeps its password (keepExisting) gets no generator and no password input: azuread
      // leaves an imported user's password alone until the input changes, so the custodians' sealed copies stay
      // valid. Rotating it is the custody runbook's explicit step (password: generate), never a side effect.
      const password =
        account.password === "keepExisting"
          ? undefined
          : new random.RandomPassword(`${name}-${account.name}-password`, PASSWORD_ARGS, {
              ...keep,
              // Already secret in @pulumi/random; stated here so that no provider upgrade can change it.
              additionalSecretOutputs: ["result", "bcryptHash"],
            });
      const user = new azuread.User(
        `${name}-${account.name}`,
        {
          userPrincipalName: pulumi.interpolate`${account.name}@${domain}`,
          displayName: account.displayName,
          mailNickname: account.name,
          ...(password ? { password: pulumi.secret(password.result) } : {}),
          disablePasswordExpiration: true,
          disableStrongPassword: false,
          forcePasswordChange: false,
          accountEnabled: true,
          ...(bg.usageLocation ? { usageLocation: bg.usageLocation } : {}),
          // Never onpremisesImmutableId: a synced (or sync-matchable) account would depend on on-premises AD.
        },
        keep,
      );
      new azuread.DirectoryRoleAssignment(
        `${name}-${account.name}-global-administrator`,
        { roleId: GLOBAL_ADMINISTRATOR, principalObjectId: user.objectId, directoryScopeId: "/" },
        keep,
      );
      return user;
    });

    this.group = new azuread.Group(
      `${name}-group`,
      {
        displayName: bg.groupName,
        description:
          "Emergency access (breakglass) accounts: excluded from every Conditional Access policy. Managed by entra-baseline; members are exactly the emergency accounts.",
        securityEnabled: true,
        mailEnabled: false,
        // Role-assignable: only Privileged Role Administrators, Global Administrators and its owners can change
        // its members.
        assignableToRole: true,
        preventDuplicateNames: true,
        members: this.users.map((u) => u.objectId),
        // Declared, never defaulted: azuread makes the deploying identity the owner when `owners` is left out, and
        // an owner can add anyone to the group — exempting them from every CA policy. See docs/breakglass.md.
        owners: exclusionGroupOwners(bg.groupOwners, this.users),
      },
      keep,
    );

    // No protect: its delete leaves the tenant's FIDO2 policy in place by design.
    this.fido2MethodPolicy = new Fido2MethodPolicy(
      `${name}-fido2`,
      {
        ...graphConnection(args.endpoints, args.tenant.tenantId),
        state: "enabled",
        targetGroupId: this.group.objectId,
        // The accounts register their own keys (docs/breakglass.md, runbook); a tenant-wide setting.
        isSelfServiceRegistrationAllowed: true,
        profile: passkeyProfileSettings(bg.fido2.profile),
        tenantWide: tenantWideSettings(bg.fido2.tenantWide),
      },
      { parent: this },
    );

    this.userPrincipalNames = pulumi.all(this.users.map((u) => u.userPrincipalName));
    this.objectIds = pulumi.all(this.users.map((u) => u.objectId));
    this.groupObjectId = this.group.objectId;
    this.registerOutputs({
      userPrincipalNames: this.userPrincipalNames,
      objectIds: this.objectIds,
      groupObjectId: this.groupObjectId,
    });
  }
}

/**
 * The exclusion group's owners: `breakglass.groupOwners` when set, else the emergency accounts (they hold Global
 * Administrator anyway, so owning the group gives them nothing new). Never the deploying identity.
 */
export function exclusionGroupOwners(
  groupOwners: readonly string[] | undefined,
  users: readonly azuread.User[],
): pulumi.Input<string>[] {
  if (groupOwners !== undefined && groupOwners.length === 0) {
    // Validation rejects it; stated here too because azuread would then make the caller the owner.
    throw new Error("breakglass.groupOwners is empty: leave it out to make the emergency accounts the owners");
  }
  return groupOwners ? [...new Set(groupOwners.map((id) => id.toLowerCase()))] : users.map((u) => u.objectId);
}

/** `breakglass.fido2.profile` as the emergency group's passkey profile, in Graph's field names. */
export function passkeyProfileSettings(profile: BreakglassConfig["fido2"]["profile"]): PasskeyProfileSettings {
  const aaGuids = [...new Set(profile.aaguids.map((a) => a.toLowerCase()))];
  return {
    name: profile.name,
    attestationEnforcement: profile.enforceAttestation ? ATTESTATION_ENFORCEMENT.enforced : ATTESTATION_ENFORCEMENT.off,
    passkeyTypes: passkeyTypesFlags(profile.passkeyTypes),
    keyRestrictions: { isEnforced: aaGuids.length > 0, enforcementType: "allow", aaGuids },
  };
}

/** `breakglass.fido2.tenantWide` in Graph's field names: only what it declares. */
export function tenantWideSettings(wide: BreakglassConfig["fido2"]["tenantWide"]): TenantWideFido2Settings {
  const settings: TenantWideFido2Settings = {};
  if (wide.enforceAttestation !== undefined) settings.isAttestationEnforced = wide.enforceAttestation;
  if (wide.aaguids !== undefined) {
    const aaGuids = [...new Set(wide.aaguids.map((a) => a.toLowerCase()))];
    settings.keyRestrictions =
      aaGuids.length > 0 ? { isEnforced: true, enforcementType: "allow", aaGuids } : { isEnforced: false };
  }
  return settings;
}

/**
 * The configured domain, else the tenant's initial domain from `azuread.getDomains(onlyInitial)`. Anything that is
 * not a single *.onmicrosoft.com domain fails the deployment: the bypass must not depend on DNS or federation.
 */
export function breakglassDomain(configured: string | undefined, parent: pulumi.Resource): pulumi.Output<string> {
  if (configured !== undefined) {
    if (!isOnMicrosoftDomain(configured)) throw new Error(notInitialDomain(configured));
    return pulumi.output(configured.toLowerCase());
  }
  return azuread.getDomainsOutput({ onlyInitial: true }, { parent }).apply((result) => {
    const names = result.domains.map((d) => d.domainName);
    if (names.length !== 1) {
      throw new Error(
        `azuread.getDomains(onlyInitial) returned ${names.length} domains (${names.join(", ") || "none"}); set breakglass.domain to the tenant's initial *.onmicrosoft.com domain`,
      );
    }
    if (!isOnMicrosoftDomain(names[0]!)) throw new Error(notInitialDomain(names[0]!));
    return names[0]!.toLowerCase();
  });
}

function notInitialDomain(domain: string): string {
  return `breakglass domain "${domain}" is not a *.onmicrosoft.com initial domain: emergency accounts must not depend on a custom or federated domain`;
}
