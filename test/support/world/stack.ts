/**
 * The compliant stack of a world config, in the shape the engine hands the pack: `update` (ids known, as after
 * `pulumi up` or in a stack export) or `preview` (ids of resources created in the same update are the engine's
 * unknown sentinel; provenance is in propertyDependencies). It declares what the program declares for that config
 * (emergency accounts, exclusion group with its owners, eligibilities and one PIM policy per managed role, the
 * activation context and its CA policy, the baseline CA policies, logging, tripwires) plus the exceptions' holdings,
 * so the pack's judgement of every declared path is exercised. Cases mutate it one fact at a time.
 */
import {
  ALERT_RULES,
  breakglassSignInQuery,
  dynamicTypeToken,
  type DynamicTypeToken,
  GLOBAL_ADMINISTRATOR,
  providerTypes,
  SENTINEL_ALERT_RULE_IDS,
  TRIPWIRE,
  TRIPWIRE_RULE_KEYS,
} from "@entra-baseline/model";
import { activationContexts, roleActivationSettings } from "../../../src/config/activationSettings";
import { managedRoles } from "../../../src/config/managedRoles";
import { derivePackConfig } from "../../../src/config/packConfig";
import type { BaselineConfig } from "../../../src/config/validate";
import { activationPolicyBody } from "../../../src/components/conditionalAccess/policies";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import { planObjectId } from "../../../src/tools/plan/mocks";
import { unknownStringValue } from "../pack/unknowns";
import type { FixtureInputs, FixtureType } from "./inputs";

export type Mode = "update" | "preview";

export const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::entra-baseline::${type}::${name}`;
}

/**
 * A planned resource of a type the fixtures know, its inputs typed by the provider SDK's Args or the project's
 * dynamic provider props (./inputs.ts): a property name the SDK does not have fails to compile.
 */
export function resource<T extends FixtureType>(
  type: T,
  name: string,
  inputs: FixtureInputs<T>,
  extra: Partial<PlannedResource> = {},
): PlannedResource {
  return planned(type, name, inputs, extra);
}

/**
 * A planned resource of a type with no SDK in this project (another provider's, a dynamic resource not ours, a
 * component), so its inputs cannot be typed. A type `resource` knows is refused: it must go through `resource`.
 */
export function untypedResource<T extends string>(
  type: T extends FixtureType ? never : T,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<PlannedResource> = {},
): PlannedResource {
  return planned(type, name, inputs, extra);
}

function planned(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<PlannedResource>,
): PlannedResource {
  return {
    urn: urnOf(type, name),
    type,
    name,
    custom: true,
    inputs,
    protect: false,
    dependencies: [],
    propertyDependencies: {},
    ...extra,
  };
}

/** Records that `property` of `r` came from `sources` (and that `r` depends on them). */
export function dependsOn(r: PlannedResource, property: string, ...sources: PlannedResource[]): PlannedResource {
  r.propertyDependencies[property] = [...(r.propertyDependencies[property] ?? []), ...sources.map((s) => s.urn)];
  r.dependencies = [...new Set([...r.dependencies, ...sources.map((s) => s.urn)])];
  return r;
}

/** The object id a UPN or id stands for in the stack (getUser answers, deterministic). */
export function idOf(ref: string): string {
  return /^[0-9a-f-]{36}$/i.test(ref) ? ref.toLowerCase() : planObjectId(`user:${ref.toLowerCase()}`);
}

export const ids = {
  user: (name: string) => planObjectId(`breakglass-user:${name}`),
  group: planObjectId("exclusion-group"),
  workspace: (rg: string, name: string) =>
    `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${name}`,
  actionGroup: (rg: string, name: string) =>
    `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Insights/actionGroups/${name}`,
};

export function worldStack(config: BaselineConfig, mode: Mode): PlannedResource[] {
  const preview = mode === "preview";
  const known = (value: string) => (preview ? unknownStringValue : value);
  const out: PlannedResource[] = [];
  const domain = config.breakglass.domain!;
  const rg = config.monitoring.resourceGroupName;

  // An adopted account keeps its object id (the stack imported it); a new one gets the id Graph would give it.
  const objectIdOf = (name: string) =>
    config.breakglass.accounts.find((a) => a.name === name)?.objectId ?? ids.user(name);
  // An adopted account exists before the update: its id is known at preview too.
  const accountId = (name: string) =>
    config.breakglass.accounts.find((a) => a.name === name)?.objectId ?? known(ids.user(name));
  const accounts = config.breakglass.accounts.map((a) => {
    const password = resource(providerTypes.randomPassword, `breakglass-${a.name}-password`, {
      length: 256,
      special: true,
      upper: true,
      lower: true,
      numeric: true,
    });
    const user = dependsOn(
      resource(
        providerTypes.user,
        `breakglass-${a.name}`,
        {
          userPrincipalName: `${a.name}@${domain}`,
          displayName: a.displayName,
          mailNickname: a.name,
          password: {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            value: preview ? unknownStringValue : "x".repeat(256),
          },
          disablePasswordExpiration: true,
          accountEnabled: true,
          usageLocation: "US",
          objectId: accountId(a.name),
        },
        { protect: true, retainOnDelete: true },
      ),
      "password",
      password,
    );
    return { password, user };
  });
  const users = accounts.map((a) => a.user);
  const group = resource(
    providerTypes.group,
    "breakglass-group",
    {
      displayName: config.breakglass.groupName,
      securityEnabled: true,
      assignableToRole: true,
      mailEnabled: false,
      members: users.map((u) => accountId(u.name.replace(/^breakglass-/, ""))),
      owners: users.map((u) => accountId(u.name.replace(/^breakglass-/, ""))),
      objectId: known(ids.group),
    },
    { protect: true, retainOnDelete: true },
  );
  dependsOn(group, "members", ...users);
  dependsOn(group, "owners", ...users);
  const gaAssignments = users.map((u) =>
    dependsOn(
      resource(
        providerTypes.directoryRoleAssignment,
        `${u.name}-global-administrator`,
        {
          roleId: GLOBAL_ADMINISTRATOR,
          principalObjectId: accountId(u.name.replace(/^breakglass-/, "")),
          directoryScopeId: "/",
        },
        { protect: true, retainOnDelete: true },
      ),
      "principalObjectId",
      u,
    ),
  );
  const fido2 = config.breakglass.fido2;
  const fido2Policy = dependsOn(
    resource(dynamicTypeToken("fido2MethodPolicy"), "breakglass-fido2", {
      graphEndpoint: config.endpoints.graph,
      state: "enabled",
      targetGroupId: known(ids.group),
      isSelfServiceRegistrationAllowed: true,
      profile: {
        name: fido2.profile.name,
        attestationEnforcement: fido2.profile.enforceAttestation ? "registrationOnly" : "disabled",
        passkeyTypes: fido2.profile.passkeyTypes.join(","),
        keyRestrictions: {
          isEnforced: fido2.profile.aaguids.length > 0,
          enforcementType: "allow",
          aaGuids: fido2.profile.aaguids.map((a) => a.toLowerCase()),
        },
      },
      tenantWide: {},
      __provider: "exports.handler = …",
    }),
    "targetGroupId",
    group,
  );
  out.push(...accounts.flatMap((a) => [a.password, a.user]), group, ...gaAssignments, fido2Policy);

  // Eligibilities and one activation policy per managed role; approvers and admins resolved by getUser (known).
  const contexts = activationContexts(config).map((c) =>
    resource(dynamicTypeToken("authenticationContext"), `activation-context-${c.contextId}`, {
      contextId: c.contextId,
      displayName: `entra-baseline PIM activation (${c.strength})`,
      isAvailable: true,
    }),
  );
  for (const role of managedRoles(config.pim)) {
    // As the program declares them (src/components/pim/managedRole.ts): Global Administrator's admins on azuread's
    // request resource unless pim.eligibilityResource is "schedule" (both under "migrate"), everything else on the
    // model's RoleEligibility.
    const mode = role.path === "pim" ? config.pim.eligibilityResource : "schedule";
    const principals = [
      ...role.eligibleUsers.map((ref) => ({ ref, id: idOf(ref), user: true })),
      ...role.eligibleGroups.map((ref) => ({ ref, id: ref.toLowerCase(), user: false })),
    ];
    for (const p of principals) {
      const name = `${role.slug}-eligible-${p.ref.replace(/[^a-z0-9]+/gi, "-")}`;
      const inputs = {
        roleDefinitionId: role.roleDefinitionId,
        principalId: p.id,
        directoryScopeId: "/",
        justification: `Eligible ${role.name} managed by entra-baseline`,
      } satisfies FixtureInputs<typeof providerTypes.directoryRoleEligibilityScheduleRequest> &
        FixtureInputs<DynamicTypeToken<"roleEligibility">>;
      if (p.user && mode !== "schedule")
        out.push(resource(providerTypes.directoryRoleEligibilityScheduleRequest, name, inputs));
      if (!p.user || mode !== "request")
        out.push(
          resource(dynamicTypeToken("roleEligibility"), name, {
            ...inputs,
            duration: role.eligibilityDuration ?? null,
            graphEndpoint: config.endpoints.graph,
            __provider: "exports.handler = …",
          }),
        );
    }
    const approvers = [
      ...role.rules.approvers.users.map((u) => ({ kind: "user" as const, id: idOf(u) })),
      ...role.rules.approvers.groups.map((g) => ({ kind: "group" as const, id: g.toLowerCase() })),
    ];
    const settings = roleActivationSettings(role, approvers);
    const context = contexts.find((c) => c.inputs.contextId === settings.authenticationContextId);
    const policy = resource(dynamicTypeToken("roleManagementPolicy"), `${role.slug}-activation-policy`, {
      ...settings,
      authenticationContextId: context
        ? known(String(settings.authenticationContextId))
        : settings.authenticationContextId,
      graphEndpoint: config.endpoints.graph,
      __provider: "exports.handler = …",
    });
    if (context) dependsOn(policy, "authenticationContextId", context);
    out.push(policy);
  }
  out.push(...contexts);
  for (const c of activationContexts(config)) {
    const body = activationPolicyBody(c.contextId, config.conditionalAccess.activationPolicyState, c.strength);
    out.push(
      dependsOn(
        resource(dynamicTypeToken("graphConditionalAccessPolicy"), `activation-policy-${c.contextId}`, {
          ...body,
          conditions: { ...body.conditions, users: { ...body.conditions.users, excludeGroups: [known(ids.group)] } },
          graphEndpoint: config.endpoints.graph,
        }),
        "conditions",
        group,
      ),
    );
  }
  for (const [i, name] of ["block legacy authentication", "MFA for all users"].entries()) {
    out.push(
      dependsOn(
        resource(providerTypes.conditionalAccessPolicy, `ca-${i}`, {
          displayName: `entra-baseline: ${name}`,
          state: "enabledForReportingButNotEnforced",
          conditions: {
            clientAppTypes: i === 0 ? ["exchangeActiveSync", "other"] : ["all"],
            applications: { includedApplications: ["All"] },
            users: { includedUsers: ["All"], excludedGroups: [known(ids.group)] },
          },
          grantControls: { operator: "OR", builtInControls: [i === 0 ? "block" : "mfa"] },
        }),
        "conditions",
        group,
      ),
    );
  }

  // The exceptions' holdings, declared in the stack (the pack must honour the same exceptions as the audit).
  for (const e of config.exceptions) {
    for (const roleId of e.roles) {
      out.push(
        resource(providerTypes.directoryRoleAssignment, `exception-${e.principal.slice(0, 8)}-${roleId.slice(0, 8)}`, {
          roleId,
          principalObjectId: e.principal,
          directoryScopeId: "/",
        }),
      );
    }
  }

  const m = config.monitoring;
  const workspaceId = ids.workspace(rg, m.workspaceName);
  const workspace = resource(providerTypes.workspace, "monitoring-workspace", {
    workspaceName: m.workspaceName,
    resourceGroupName: rg,
    retentionInDays: m.retentionInDays,
    sku: { name: "PerGB2018" },
  });
  const diagnostic = dependsOn(
    resource(providerTypes.diagnosticSetting, "monitoring-entra-logs", {
      name: m.diagnosticSettingName,
      workspaceId: known(workspaceId),
      logs: m.logCategories.map((category) => ({ category, enabled: true })),
    }),
    "workspaceId",
    workspace,
  );
  const actionGroupId = ids.actionGroup(rg, m.actionGroup.name);
  const actionGroup = resource(providerTypes.actionGroup, "monitoring-action-group", {
    actionGroupName: m.actionGroup.name,
    resourceGroupName: rg,
    groupShortName: m.actionGroup.shortName,
    enabled: true,
    location: "Global",
    emailReceivers: m.actionGroup.emails.map((e, i) => ({
      name: `email-${i}`,
      emailAddress: e,
      useCommonAlertSchema: true,
    })),
  });
  out.push(workspace, diagnostic, actionGroup);

  const refs = users.map((u) => ({
    upn: String(u.inputs.userPrincipalName),
    id: objectIdOf(u.name.replace(/^breakglass-/, "")),
  }));
  for (const key of TRIPWIRE_RULE_KEYS) {
    const { ruleName, displayName, table } = ALERT_RULES[key];
    const query = breakglassSignInQuery(table as "SigninLogs" | "AADNonInteractiveUserSignInLogs", {
      userPrincipalNames: refs.map((r) => r.upn),
      objectIds: refs.map((r) => r.id),
    });
    const rule = resource(providerTypes.scheduledQueryRule, `monitoring-${ruleName}`, {
      ruleName,
      displayName,
      resourceGroupName: rg,
      kind: "LogAlert",
      enabled: true,
      severity: TRIPWIRE.severity,
      evaluationFrequency: TRIPWIRE.evaluationFrequency,
      windowSize: TRIPWIRE.windowSize,
      scopes: [known(workspaceId)],
      criteria: {
        allOf: [
          {
            query: preview ? unknownStringValue : query,
            timeAggregation: "Count",
            operator: "GreaterThan",
            threshold: 0,
            failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
          },
        ],
      },
      actions: { actionGroups: [known(actionGroupId)] },
    });
    dependsOn(rule, "criteria", ...users);
    dependsOn(rule, "actions", actionGroup);
    dependsOn(rule, "scopes", workspace);
    out.push(rule);
    if (config.monitoring.sentinel.enabled) out.push(sentinelTripwire(config, key, query, workspace, users, preview));
  }
  return out;
}

/**
 * The Sentinel tripwire the program declares with monitoring.sentinel.enabled: an NRT rule (dynamic resource, the
 * workspace by id) or, with nearRealTime false, a scheduled rule every 5 minutes over 15 (the workspace by name).
 */
function sentinelTripwire(
  config: BaselineConfig,
  key: (typeof TRIPWIRE_RULE_KEYS)[number],
  query: string,
  workspace: PlannedResource,
  users: PlannedResource[],
  preview: boolean,
): PlannedResource {
  const m = config.monitoring;
  const common = {
    ruleId: SENTINEL_ALERT_RULE_IDS[key],
    displayName: ALERT_RULES[key].displayName,
    severity: "High",
    enabled: true,
    query: preview ? unknownStringValue : query,
    suppressionEnabled: false,
    suppressionDuration: "PT1H",
    incidentConfiguration: { createIncident: true },
    eventGroupingSettings: { aggregationKind: "AlertPerResult" },
  } satisfies FixtureInputs<typeof providerTypes.sentinelScheduledAlertRule> &
    FixtureInputs<DynamicTypeToken<"sentinelNrtAlertRule">>;
  const name = `monitoring-sentinel-${ALERT_RULES[key].ruleName}`;
  const rule = m.sentinel.nearRealTime
    ? dependsOn(
        resource(dynamicTypeToken("sentinelNrtAlertRule"), name, {
          ...common,
          workspaceId: preview ? unknownStringValue : ids.workspace(m.resourceGroupName, m.workspaceName),
        }),
        "workspaceId",
        workspace,
      )
    : dependsOn(
        resource(providerTypes.sentinelScheduledAlertRule, name, {
          ...common,
          kind: "Scheduled",
          resourceGroupName: m.resourceGroupName,
          workspaceName: preview ? unknownStringValue : m.workspaceName,
          queryFrequency: "PT5M",
          queryPeriod: "PT15M",
          triggerOperator: "GreaterThan",
          triggerThreshold: 0,
        }),
        "workspaceName",
        workspace,
      );
  return dependsOn(rule, "query", ...users);
}

/** The pack config `npm run plan` derives for the world config. */
export function worldPackConfig(config: BaselineConfig): Record<string, Record<string, unknown>> {
  return derivePackConfig(config);
}

/** A resource of the stack by name (throws when absent, so a mutation never silently misses). */
export function byName(stack: PlannedResource[], name: string): PlannedResource {
  const r = stack.find((x) => x.name === name);
  if (!r) throw new Error(`world stack has no resource named ${name} (has: ${stack.map((x) => x.name).join(", ")})`);
  return r;
}

export function byType(stack: PlannedResource[], type: string): PlannedResource[] {
  return stack.filter((x) => x.type === type);
}
