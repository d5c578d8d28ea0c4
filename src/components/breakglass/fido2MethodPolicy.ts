/**
 * The tenant's FIDO2 authentication-method policy, as far as the emergency accounts need it: enabled for the
 * breakglass group, attestation enforced, an optional AAGUID allow-list (reference §4; EIDSCA AF01–AF06).
 *
 * There is one FIDO2 policy per tenant and it may already serve other people (often "all users"). So:
 * - includeTargets are MERGED: our group is added when missing, every other target stays as it is;
 * - our group is taken out of excludeTargets (an exclusion wins over an inclusion in Entra), other exclusions stay;
 * - state, attestation, self-service registration and the key restrictions are tenant-wide settings this resource
 *   owns: an allow-list in config applies to every FIDO2 user of the tenant (see docs/breakglass.md).
 * Writes happen only when the live policy differs, and are read back and compared. Delete leaves the policy in
 * place: turning FIDO2 off would take away the emergency accounts' only sign-in method.
 */
import * as pulumi from "@pulumi/pulumi";
import type { GraphClient } from "../../graph/client";
import {
  connectionOf,
  diffProps,
  differences,
  during,
  expectObject,
  graphClientFor,
  notPersisted,
  unexpectedAnswer,
  type GraphConnection,
  type GraphResourceProps,
} from "../../graph/dynamicProvider";
import { dynamicTypes } from "@entra-baseline/model";

export const FIDO2_POLICY_PATH = "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";
export const FIDO2_ODATA_TYPE = "#microsoft.graph.fido2AuthenticationMethodConfiguration";

export interface Fido2MethodPolicyProps extends GraphResourceProps {
  /** Always "enabled"; kept as a prop so that a refresh shows a policy someone turned off. */
  state: "enabled" | "disabled";
  /** Object id of the group that must be able to register keys (the breakglass group). */
  targetGroupId: string;
  isAttestationEnforced: boolean;
  isSelfServiceRegistrationAllowed: boolean;
  /** AAGUID allow-list (tenant-wide). Empty: any model, no key restriction enforced. */
  aaGuids: string[];
}

export type Fido2MethodPolicyArgs = {
  [K in keyof Fido2MethodPolicyProps]: Fido2MethodPolicyProps[K] extends string[]
    ? pulumi.Input<pulumi.Input<string>[]>
    : pulumi.Input<Fido2MethodPolicyProps[K]>;
};

export interface AuthenticationMethodTarget {
  targetType: string;
  id: string;
  isRegistrationRequired?: boolean;
  [field: string]: unknown;
}

export interface Fido2Configuration {
  "@odata.type"?: string;
  state?: string;
  isAttestationEnforced?: boolean;
  isSelfServiceRegistrationAllowed?: boolean;
  keyRestrictions?: { isEnforced?: boolean; enforcementType?: string; aaGuids?: string[] } | null;
  includeTargets?: AuthenticationMethodTarget[];
  excludeTargets?: AuthenticationMethodTarget[];
  [field: string]: unknown;
}

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The PATCH body that makes `live` compliant with `props`, keeping every include target that is not ours and
 * every exclusion that does not name our group. `excludeTargets` is only sent when it must change.
 */
export function fido2PolicyBody(
  props: Fido2MethodPolicyProps,
  live: Fido2Configuration | undefined,
): Fido2Configuration {
  const includes = (live?.includeTargets ?? []).map(targetOnly);
  if (!includes.some((t) => sameId(t.id, props.targetGroupId))) {
    includes.push({ targetType: "group", id: props.targetGroupId, isRegistrationRequired: false });
  }
  const body: Fido2Configuration = {
    "@odata.type": FIDO2_ODATA_TYPE,
    state: props.state,
    isAttestationEnforced: props.isAttestationEnforced,
    isSelfServiceRegistrationAllowed: props.isSelfServiceRegistrationAllowed,
    keyRestrictions: { isEnforced: props.aaGuids.length > 0, enforcementType: "allow", aaGuids: props.aaGuids },
    includeTargets: includes,
  };
  const excludes = live?.excludeTargets ?? [];
  if (excludes.some((t) => sameId(t.id, props.targetGroupId))) {
    body.excludeTargets = excludes.filter((t) => !sameId(t.id, props.targetGroupId)).map(targetOnly);
  }
  return body;
}

/** Only the writable fields of a target (Graph returns annotations on them too). */
function targetOnly(t: AuthenticationMethodTarget): AuthenticationMethodTarget {
  const out: AuthenticationMethodTarget = { targetType: t.targetType, id: t.id };
  if (t.isRegistrationRequired !== undefined) out.isRegistrationRequired = t.isRegistrationRequired;
  return out;
}

/** Where `live` falls short of `props` (empty = compliant, no write needed). */
export function fido2PolicyGaps(props: Fido2MethodPolicyProps, live: Fido2Configuration | undefined): string[] {
  if (!live) return ["(policy not readable)"];
  const {
    "@odata.type": _type,
    includeTargets: _includes,
    excludeTargets: _excludes,
    ...settings
  } = fido2PolicyBody(props, live);
  const gaps = differences(settings, live);
  if (!(live.includeTargets ?? []).some((t) => sameId(t.id, props.targetGroupId))) gaps.push("includeTargets");
  if ((live.excludeTargets ?? []).some((t) => sameId(t.id, props.targetGroupId))) gaps.push("excludeTargets");
  return gaps;
}

const RESOURCE = "Fido2MethodPolicy";

/**
 * The live policy, checked before anything is merged into it: includeTargets must be a list of targets with ids.
 * A body without them would be "merged" into a PATCH naming our group alone — taking FIDO2 away from everyone else.
 */
async function readFido2Policy(client: GraphClient): Promise<Fido2Configuration> {
  const call = `GET ${FIDO2_POLICY_PATH}`;
  const live = expectObject(await client.get<unknown>(FIDO2_POLICY_PATH), call) as Fido2Configuration;
  for (const field of ["includeTargets", "excludeTargets"] as const) {
    const targets: unknown = live[field];
    if (targets === undefined && field === "excludeTargets") continue;
    const valid =
      Array.isArray(targets) &&
      targets.every((t) => typeof t === "object" && t !== null && typeof (t as { id?: unknown }).id === "string");
    if (!valid) throw unexpectedAnswer(call, `${field} as a list of targets with ids`, targets);
  }
  return live;
}

async function ensureFido2Policy(props: Fido2MethodPolicyProps): Promise<Fido2MethodPolicyProps> {
  const client: GraphClient = graphClientFor(props, RESOURCE);
  const live = await during(RESOURCE, "reading the tenant's FIDO2 policy (nothing was changed)", () =>
    readFido2Policy(client),
  );
  if (fido2PolicyGaps(props, live).length === 0) return props;
  await during(RESOURCE, "updating the tenant's FIDO2 policy", () =>
    client.patch(FIDO2_POLICY_PATH, fido2PolicyBody(props, live)),
  );
  const after = await during(RESOURCE, "reading back the tenant's FIDO2 policy", () => readFido2Policy(client));
  const gaps = fido2PolicyGaps(props, after);
  if (gaps.length > 0) throw notPersisted("FIDO2 authentication-method policy", gaps);
  return props;
}

/** The live policy as this resource's props (what refresh stores). */
export function fido2PropsFromLive(
  connection: GraphConnection,
  targetGroupId: string,
  live: Fido2Configuration,
): Fido2MethodPolicyProps {
  const included = (live.includeTargets ?? []).some((t) => sameId(t.id, targetGroupId));
  const excluded = (live.excludeTargets ?? []).some((t) => sameId(t.id, targetGroupId));
  const restrictions = live.keyRestrictions;
  const allowList =
    restrictions?.isEnforced === true && restrictions.enforcementType === "allow" ? (restrictions.aaGuids ?? []) : [];
  return {
    ...connection,
    state: live.state === "enabled" ? "enabled" : "disabled",
    // A group that is not (effectively) targeted reads back as "", so the next update puts it back.
    targetGroupId: included && !excluded ? targetGroupId : "",
    isAttestationEnforced: live.isAttestationEnforced === true,
    isSelfServiceRegistrationAllowed: live.isSelfServiceRegistrationAllowed === true,
    aaGuids: allowList,
  };
}

export const fido2MethodPolicyProvider: pulumi.dynamic.ResourceProvider<
  Fido2MethodPolicyProps,
  Fido2MethodPolicyProps
> = {
  async diff(_id, olds, news) {
    return diffProps(olds as unknown as Record<string, unknown>, news as unknown as Record<string, unknown>);
  },
  async create(inputs) {
    return { id: "fido2", outs: await ensureFido2Policy(inputs) };
  },
  async update(_id, _olds, news) {
    return { outs: await ensureFido2Policy(news) };
  },
  async read(id, props) {
    const connection = connectionOf(RESOURCE, props);
    const live = await during(RESOURCE, "reading the tenant's FIDO2 policy", () =>
      readFido2Policy(graphClientFor(connection, RESOURCE)),
    );
    return { id, props: fido2PropsFromLive(connection, props?.targetGroupId ?? "", live) };
  },
  async delete() {
    // Deliberately left in place: see the module comment.
  },
};

export class Fido2MethodPolicy extends pulumi.dynamic.Resource {
  declare readonly state: pulumi.Output<string>;
  declare readonly targetGroupId: pulumi.Output<string>;
  declare readonly isAttestationEnforced: pulumi.Output<boolean>;
  declare readonly aaGuids: pulumi.Output<string[]>;

  constructor(name: string, args: Fido2MethodPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    const { module, type } = dynamicTypes.fido2MethodPolicy;
    super(fido2MethodPolicyProvider, name, { ...args }, opts, module, type);
  }
}
