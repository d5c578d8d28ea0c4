/**
 * The tenant's FIDO2 / passkey method policy, as far as the emergency accounts need it (docs/references.md, "Microsoft Graph"; EIDSCA AF01–AF06).
 *
 * There is one FIDO2 configuration per tenant, it usually serves other people too (often `all_users`), and Graph
 * writes it only as a whole (`PATCH …/authenticationMethodConfigurations/fido2`). It has two shapes
 * (src/model/fido2.ts decides which): passkey profiles, or the deprecated tenant-wide settings.
 *
 * - **Passkey-profile tenants**: the emergency group gets a profile of its own (`profile`: created with a new GUID id
 *   when missing, else updated — only when no other target uses it, never the default profile) and its include
 *   target names exactly that profile. Nobody else's settings change.
 * - **Tenant-wide tenants**: the group is added to the targets; `isAttestationEnforced` and `keyRestrictions` are
 *   written only when the stack declares them (`tenantWide`, which config validation lets narrow only with
 *   `acknowledgeRestrictsEveryone`): they apply to every FIDO2 user. The tenant is never migrated to profiles.
 * - Both: `state` enabled and `isSelfServiceRegistrationAllowed` (the keys are registered by the accounts
 *   themselves) are tenant-wide settings this resource owns; the group is taken out of `excludeTargets` (an
 *   exclusion wins over an inclusion). Every other include target, exclusion and profile is sent back with all its
 *   properties, and checked unchanged after the write.
 *
 * This module reads and writes; what to write and what the read-back must show is decided, without I/O, in
 * fido2Configuration.ts. Writes happen only when the live policy falls short, and are read back. Delete leaves the policy in place: turning
 * FIDO2 off would take away the emergency accounts' only sign-in method.
 *
 * Upgrade from the props of 0.2 and before (`isAttestationEnforced`, `aaGuids`, written tenant-wide; `graphEndpoint`
 * but no `loginEndpoint` or `tenantId`): the old state reads as `tenantWide` settings this resource owned, so it
 * diffs as an update, never a replace. Since the old state records no passkey profile, no tenant shape and no
 * tenant, the first `pulumi up` shows one update (`profile`, `loginEndpoint`, `tenantId`): in a passkey-profile
 * tenant it creates the group's profile (a real change); in a tenant-wide tenant it reads the policy and writes only
 * if something declared differs. That update records the connection and the tenant's shape; from then on only real
 * changes diff. A refresh before that update runs 0.2's own provider (the engine reads with the provider serialized
 * in the state) and keeps 0.2's props; this provider's `read`, handed props without a connection, refuses with
 * connectionOf's message instead of guessing a tenant.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { GraphClient } from "../../graph/client";
import {
  connectionOf,
  diffProps,
  during,
  graphClientFor,
  notPersisted,
  unexpectedAnswer,
} from "../../graph/dynamicProvider";
import { fido2PolicyFacts } from "@entra-baseline/model";
import {
  currentProps,
  FIDO2_POLICY_PATH,
  fido2PropsFromLive,
  planFido2Write,
  readBackGaps,
  type Fido2Configuration,
  type Fido2MethodPolicyProps,
  type LegacyProps,
  type LivePolicy,
  type PasskeyProfileSettings,
  type TenantWideFido2Settings,
} from "./fido2Configuration";

export {
  FIDO2_ODATA_TYPE,
  FIDO2_POLICY_PATH,
  type Fido2Configuration,
  type Fido2MethodPolicyProps,
  type KeyRestrictions,
  type PasskeyProfileSettings,
  type TenantWideFido2Settings,
} from "./fido2Configuration";

export type Fido2MethodPolicyArgs = {
  graphEndpoint: pulumi.Input<string>;
  loginEndpoint: pulumi.Input<string>;
  tenantId: pulumi.Input<string>;
  state: pulumi.Input<"enabled" | "disabled">;
  targetGroupId: pulumi.Input<string>;
  isSelfServiceRegistrationAllowed: pulumi.Input<boolean>;
  profile: pulumi.Input<PasskeyProfileSettings>;
  tenantWide: pulumi.Input<TenantWideFido2Settings>;
};

type Json = Record<string, unknown>;

const RESOURCE = "Fido2MethodPolicy";

/**
 * The live policy, checked before anything is merged into it (src/model/fido2.ts): a body without its targets
 * would be "merged" into a PATCH naming our group alone — taking FIDO2 away from everyone else — and one that refers
 * to passkey profiles it does not list would lose them.
 */
async function readFido2Policy(client: GraphClient): Promise<LivePolicy> {
  const answer = await client.get<unknown>(FIDO2_POLICY_PATH);
  const checked = fido2PolicyFacts(answer);
  if ("error" in checked)
    throw unexpectedAnswer(`GET ${FIDO2_POLICY_PATH}`, checked.error.expected, checked.error.value);
  return { shape: checked.facts.shape, raw: answer as Fido2Configuration };
}

async function ensureFido2Policy(
  props: Fido2MethodPolicyProps,
  knownProfileId?: string,
): Promise<Fido2MethodPolicyProps> {
  const client: GraphClient = graphClientFor(props, RESOURCE);
  const live = await during(RESOURCE, "reading the tenant's FIDO2 policy (nothing was changed)", () =>
    readFido2Policy(client),
  );
  const plan = await during(RESOURCE, "planning the FIDO2 policy update", async () =>
    planFido2Write(props, live, knownProfileId),
  );
  const outs = { ...props, tenantShape: live.shape, profileId: plan.profileId };
  if (plan.gaps.length === 0) return outs;
  await during(RESOURCE, `updating the tenant's FIDO2 policy (${plan.gaps.join(", ")})`, () =>
    client.patch(FIDO2_POLICY_PATH, plan.body),
  );
  const after = await during(RESOURCE, "reading back the tenant's FIDO2 policy", () => readFido2Policy(client));
  const gaps = await during(RESOURCE, "checking the tenant's FIDO2 policy after the write", async () =>
    readBackGaps(props, live, after, plan.profileId),
  );
  if (gaps.length > 0) throw notPersisted("FIDO2 authentication-method policy", gaps);
  return outs;
}

export const fido2MethodPolicyProvider: pulumi.dynamic.ResourceProvider<
  Fido2MethodPolicyProps,
  Fido2MethodPolicyProps
> = {
  async diff(_id, olds, news) {
    const old = currentProps(olds as Fido2MethodPolicyProps & LegacyProps);
    // Settings of the shape the tenant does not have govern nothing there: changing them is not an update. With
    // no shape in the state (an old state, or never refreshed), both count.
    const ignore = ["tenantShape", "profileId"];
    if (old.tenantShape === "tenantWide") ignore.push("profile");
    if (old.tenantShape === "passkeyProfiles") ignore.push("tenantWide");
    return diffProps(old as Json, news as unknown as Json, { ignore });
  },
  async create(inputs) {
    return { id: "fido2", outs: await ensureFido2Policy(inputs) };
  },
  async update(_id, olds, news) {
    return { outs: await ensureFido2Policy(news, olds.profileId || undefined) };
  },
  async read(id, props) {
    // Props without a connection (a 0.2 state) are refused, naming the fix: see the module comment.
    const connection = connectionOf(RESOURCE, props);
    const live = await during(RESOURCE, "reading the tenant's FIDO2 policy", () =>
      readFido2Policy(graphClientFor(connection, RESOURCE)),
    );
    return { id, props: fido2PropsFromLive(connection, currentProps(props ?? {}), live) };
  },
  async delete() {
    // Deliberately left in place: see the module comment.
  },
};
