/**
 * A compliant synthetic stack in the shape the engine hands the pack (and `analyzeWithPack` takes), in two modes:
 * `update` (ids known, as after `pulumi up` or in a stack export) and `preview` (ids of resources created in the
 * same update are the engine's unknown sentinel; provenance is in propertyDependencies). Tests mutate it one fact
 * at a time; the benchmark scales it.
 */
import { unknownStringValue } from "./unknowns";
import type { PlannedResource } from "../../../src/tools/engine/analyzer";
import {
  ALERT_RULES,
  breakglassSignInQuery,
  dynamicTypeToken,
  GLOBAL_ADMINISTRATOR,
  providerTypes,
  REQUIRED_LOG_CATEGORIES,
  TRIPWIRE,
} from "@entra-baseline/model";

export type Mode = "update" | "preview";

export const DOMAIN = "contoso.onmicrosoft.com";
export const BREAKGLASS_UPNS = [`breakglass-01@${DOMAIN}`, `breakglass-02@${DOMAIN}`];
export const GROUP_NAME = "Emergency access accounts";
export const ELIGIBLE_IDS = [
  "aaaaaaaa-0000-4000-8000-000000000001",
  "aaaaaaaa-0000-4000-8000-000000000002",
  "aaaaaaaa-0000-4000-8000-000000000003",
];
export const APPROVER_IDS = ["bbbbbbbb-0000-4000-8000-000000000001", ELIGIBLE_IDS[0]!];
export const USER_IDS = ["cccccccc-0000-4000-8000-000000000001", "cccccccc-0000-4000-8000-000000000002"];
export const GROUP_ID = "dddddddd-0000-4000-8000-000000000001";
export const WORKSPACE_ID =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-entra-baseline/providers/Microsoft.OperationalInsights/workspaces/law-entra-baseline";

/** The pack config `derivePackConfig` produces for this stack (see src/config/packConfig.ts). */
export const PACK_CONFIG = {
  "no-standing-tier0-assignment": { breakglassUpns: BREAKGLASS_UPNS },
  "eligible-assignment-principals": { breakglassUpns: BREAKGLASS_UPNS, breakglassGroupName: GROUP_NAME },
  "ga-activation-policy": {
    maxActivationDuration: "PT4H",
    authenticationContextId: "c1",
    activationStrength: "phishingResistant",
  },
  "global-admin-count": { min: 2, max: 8 },
  "breakglass-accounts": { breakglassUpns: BREAKGLASS_UPNS, breakglassGroupName: GROUP_NAME },
  "ca-policies-exclude-breakglass": { breakglassUpns: BREAKGLASS_UPNS, breakglassGroupName: GROUP_NAME },
  "entra-diagnostic-setting": { minRetentionInDays: 90 },
  "breakglass-tripwire": { breakglassUpns: BREAKGLASS_UPNS, maxEvaluationFrequency: "PT5M" },
};

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::entra-baseline::${type}::${name}`;
}

export interface StackShape {
  mode: Mode;
  /** azuread CA policies besides the Graph one (default 2). */
  caPolicies?: number;
  /** GA eligibility requests (default 3). Counts above global-admin max are for the benchmark. */
  eligibilityRequests?: number;
}

export function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<PlannedResource> = {},
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

function dependsOn(r: PlannedResource, property: string, ...sources: PlannedResource[]): PlannedResource {
  r.propertyDependencies[property] = [...(r.propertyDependencies[property] ?? []), ...sources.map((s) => s.urn)];
  r.dependencies = [...new Set([...r.dependencies, ...sources.map((s) => s.urn)])];
  return r;
}

/** Builds the compliant stack. */
export function compliantStack(shape: StackShape): PlannedResource[] {
  const preview = shape.mode === "preview";
  const known = (value: string) => (preview ? unknownStringValue : value);
  const out: PlannedResource[] = [];

  const passwords = [0, 1].map((i) =>
    resource(providerTypes.randomPassword, `breakglass-0${i + 1}-password`, { length: 256, special: true }),
  );
  const users = [0, 1].map((i) =>
    dependsOn(
      resource(
        providerTypes.user,
        `breakglass-0${i + 1}`,
        {
          userPrincipalName: BREAKGLASS_UPNS[i],
          displayName: `Emergency access breakglass-0${i + 1}`,
          mailNickname: `breakglass-0${i + 1}`,
          password: {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            value: preview ? unknownStringValue : "x".repeat(256),
          },
          disablePasswordExpiration: true,
          accountEnabled: true,
          objectId: known(USER_IDS[i]!),
        },
        { protect: true, retainOnDelete: true },
      ),
      "password",
      passwords[i]!,
    ),
  );
  const group = dependsOn(
    resource(
      providerTypes.group,
      "breakglass-group",
      {
        displayName: GROUP_NAME,
        securityEnabled: true,
        assignableToRole: true,
        members: users.map((_, i) => known(USER_IDS[i]!)),
        objectId: known(GROUP_ID),
      },
      { protect: true },
    ),
    "members",
    ...users,
  );
  const gaAssignments = users.map((u, i) =>
    dependsOn(
      resource(
        providerTypes.directoryRoleAssignment,
        `breakglass-0${i + 1}-global-admin`,
        {
          roleId: GLOBAL_ADMINISTRATOR,
          principalObjectId: known(USER_IDS[i]!),
          directoryScopeId: "/",
        },
        { protect: true },
      ),
      "principalObjectId",
      u,
    ),
  );
  out.push(...passwords, ...users, group, ...gaAssignments);

  const eligible = Array.from({ length: shape.eligibilityRequests ?? 3 }, (_, i) =>
    resource(providerTypes.directoryRoleEligibilityScheduleRequest, `eligible-${i}`, {
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      principalId: ELIGIBLE_IDS[i] ?? `eeeeeeee-0000-4000-8000-${String(i).padStart(12, "0")}`,
      directoryScopeId: "/",
      justification: "Eligible Global Administrator managed by entra-baseline",
    }),
  );
  out.push(...eligible);

  const context = resource(dynamicTypeToken("authenticationContext"), "activation-context", {
    id: "c1",
    displayName: "PIM activation",
    isAvailable: true,
  });
  const contextPolicy = dependsOn(
    resource(dynamicTypeToken("graphConditionalAccessPolicy"), "activation-context-policy", {
      displayName: "Fresh phishing-resistant MFA for PIM activation",
      state: "enabled",
      conditions: {
        users: { includeUsers: ["All"], excludeGroups: [known(GROUP_ID)] },
        applications: { includeAuthenticationContextClassReferences: ["c1"] },
        clientAppTypes: ["all"],
      },
      grantControls: { operator: "OR", authenticationStrength: { id: "00000000-0000-0000-0000-000000000004" } },
      sessionControls: {
        signInFrequency: {
          isEnabled: true,
          frequencyInterval: "everyTime",
          authenticationType: "primaryAndSecondaryAuthentication",
        },
      },
    }),
    "conditions",
    group,
  );
  const pimPolicy = dependsOn(
    resource(dynamicTypeToken("roleManagementPolicy"), "global-admin-activation", {
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      maxActivationDuration: "PT4H",
      requireJustification: true,
      requireTicket: true,
      requireMfa: false,
      authenticationContextId: known("c1"),
      approval: { required: true, approvers: APPROVER_IDS.map((id) => ({ kind: "user", id })) },
      eligibilityExpiration: { required: false, maximumDuration: null },
      activeAssignmentExpiration: { required: true, maximumDuration: "P15D" },
      notificationRecipients: ["secops@contoso.com"],
      graphEndpoint: "https://graph.microsoft.com",
      loginEndpoint: "https://login.microsoftonline.com",
      tenantId: "11111111-2222-3333-4444-555555555555",
      __provider: "exports.handler = …",
    }),
    "authenticationContextId",
    context,
  );
  out.push(context, contextPolicy, pimPolicy);

  for (let i = 0; i < (shape.caPolicies ?? 2); i++) {
    out.push(
      dependsOn(
        resource(providerTypes.conditionalAccessPolicy, `ca-${i}`, {
          displayName: `Baseline policy ${i}`,
          state: "enabledForReportingButNotEnforced",
          conditions: {
            clientAppTypes: ["all"],
            applications: { includedApplications: ["All"] },
            users: { includedUsers: ["All"], excludedGroups: [known(GROUP_ID)] },
          },
          grantControls: { operator: "OR", builtInControls: ["mfa"] },
        }),
        "conditions",
        group,
      ),
    );
  }

  const workspace = resource(providerTypes.workspace, "workspace", {
    workspaceName: "law-entra-baseline",
    retentionInDays: 180,
    resourceGroupName: "rg-entra-baseline",
  });
  const diagnostic = dependsOn(
    resource(providerTypes.diagnosticSetting, "entra-logs", {
      name: "entra-baseline",
      workspaceId: known(WORKSPACE_ID),
      logs: [...REQUIRED_LOG_CATEGORIES, "ServicePrincipalSignInLogs"].map((category) => ({ category, enabled: true })),
    }),
    "workspaceId",
    workspace,
  );
  const actionGroup = resource(providerTypes.actionGroup, "action-group", {
    groupShortName: "entrabase",
    enabled: true,
  });
  out.push(workspace, diagnostic, actionGroup);

  for (const key of ["breakglassSignIn", "breakglassNonInteractiveSignIn"] as const) {
    const { ruleName, displayName, table } = ALERT_RULES[key];
    const query = breakglassSignInQuery(table as "SigninLogs" | "AADNonInteractiveUserSignInLogs", {
      userPrincipalNames: BREAKGLASS_UPNS,
      objectIds: USER_IDS,
    });
    out.push(
      dependsOn(
        dependsOn(
          resource(providerTypes.scheduledQueryRule, `monitoring-${ruleName}`, {
            ruleName,
            displayName,
            enabled: true,
            severity: TRIPWIRE.severity,
            evaluationFrequency: TRIPWIRE.evaluationFrequency,
            windowSize: TRIPWIRE.windowSize,
            scopes: [known(WORKSPACE_ID)],
            criteria: {
              allOf: [
                {
                  query: preview ? unknownStringValue : query,
                  timeAggregation: "Count",
                  operator: "GreaterThan",
                  threshold: 0,
                },
              ],
            },
            actions: { actionGroups: [known(`${WORKSPACE_ID}/../actionGroups/ag-entra-baseline`)] },
          }),
          "criteria",
          ...users,
        ),
        "actions",
        actionGroup,
      ),
    );
    dependsOn(out.at(-1)!, "scopes", workspace);
  }
  return out;
}

/** Finds a resource of the fixture by name (throws when absent, so a mutation never silently misses). */
export function byName(stack: PlannedResource[], name: string): PlannedResource {
  const r = stack.find((x) => x.name === name);
  if (!r) throw new Error(`fixture has no resource named ${name}`);
  return r;
}
