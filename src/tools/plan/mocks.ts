/**
 * What `npm run plan` answers in place of the providers and the engine: deterministic ids and outputs for every
 * resource — the baseline's and, under `--program`, the user's own of any type (ids derived from type and name,
 * inputs echoed as outputs, as providers do) — and the few provider functions the baseline calls (`getUser`,
 * `getDomains`, `getClientConfig`). Everything is derived from the stack config and the program, so the same stack
 * file always plans the same way.
 *
 * A function the plan has no offline answer for fails loudly, naming its token: a silently made-up answer would
 * be a plan of a program nobody wrote.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { BaselineConfig } from "../../config/validate";

export const PLAN_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";

/** The functions the plan answers offline (by token), named in the error for any other. */
const ANSWERED = [
  "azuread:index/getUser:getUser",
  "azuread:index/getDomains:getDomains",
  "azuread:index/getClientConfig:getClientConfig",
  "azure-native:authorization:getClientConfig",
];

/** A stable GUID-shaped id derived from a seed (UUID v5 layout over SHA-1), so plans are reproducible. */
export function planObjectId(seed: string): string {
  const h = createHash("sha1").update(`entra-baseline-plan:${seed}`).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The stand-in value of a RandomPassword's `result`: deterministic so that tests can prove it never reaches the
 * plan's output. It is a secret like the real one and is masked everywhere.
 */
export function planPassword(resourceName: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${resourceName}:${i}`).digest("base64");
  return out.slice(0, length);
}

export function planMocks(config: BaselineConfig): pulumi.runtime.Mocks {
  // The stack's own tenant: the program's tenant check (src/components/tenantPin.ts) passes offline, as it does
  // against providers signed in to the right tenant.
  const tenantId = config.tenant.tenantId;
  const initialDomain = config.tenant.initialDomain ?? config.breakglass.domain ?? "contoso.onmicrosoft.com";
  // An adopted emergency account (breakglass.accounts[].objectId) is imported before the first up: its id is known.
  const domain = (config.breakglass.domain ?? initialDomain).toLowerCase();
  const adopted = new Map(
    config.breakglass.accounts.flatMap((a) => (a.objectId ? [[`${a.name}@${domain}`.toLowerCase(), a.objectId]] : [])),
  );
  return {
    newResource(args) {
      // Components and the stack have no provider: the engine gives them no id and no outputs of their own.
      if (!args.custom) return { id: "", state: {} };
      const upn = typeof args.inputs.userPrincipalName === "string" ? args.inputs.userPrincipalName.toLowerCase() : "";
      const id =
        (args.type === "azuread:index/user:User" ? adopted.get(upn) : undefined) ??
        resourceId(args.type, args.name, args.inputs);
      return { id, state: { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs, id, tenantId) } };
    },
    call(args) {
      switch (args.token) {
        case "azuread:index/getUser:getUser": {
          const upn = args.inputs.userPrincipalName as string | undefined;
          const objectId =
            (args.inputs.objectId as string | undefined) ?? planObjectId(`user:${String(upn).toLowerCase()}`);
          return {
            id: objectId,
            objectId,
            userPrincipalName: upn ?? `${objectId}@${initialDomain}`,
            accountEnabled: true,
          };
        }
        case "azuread:index/getDomains:getDomains":
          return {
            id: tenantId,
            domains: [
              { domainName: initialDomain, initial: true, verified: true, default: true, managedByMicrosoft: true },
            ],
          };
        case "azuread:index/getClientConfig:getClientConfig":
          return {
            id: tenantId,
            tenantId,
            clientId: planObjectId("deployer-client"),
            objectId: planObjectId("deployer"),
          };
        case "azure-native:authorization:getClientConfig":
          return {
            tenantId,
            subscriptionId: PLAN_SUBSCRIPTION_ID,
            clientId: planObjectId("deployer-client"),
            objectId: planObjectId("deployer"),
          };
        case "azure-native:logic:listWorkflowTriggerCallbackUrl": {
          // A Teams or Slack receiver's Logic App trigger (src/components/monitoring/chatReceivers.ts): a
          // stand-in with the real URL's shape, a secret like the real one (the program wraps it).
          const workflow = String(args.inputs.workflowName);
          const trigger = String(args.inputs.triggerName);
          const basePath = `https://plan.invalid/workflows/${planObjectId(`workflow/${workflow}`).replace(/-/g, "")}/triggers/${trigger}/paths/invoke`;
          return {
            value: `${basePath}?api-version=2019-05-01&sp=%2Ftriggers%2F${trigger}%2Frun&sv=1.0&sig=plan`,
            basePath,
            method: "POST",
            relativePath: `/triggers/${trigger}/paths/invoke`,
          };
        }
        default:
          throw unanswered(args.token);
      }
    },
  };
}

/** The runtime reports a failed call by the gRPC error's `details`, so the message goes there too. */
function unanswered(token: string): Error {
  const message =
    `the plan has no offline answer for the function ${token}: it answers ${ANSWERED.join(", ")}; ` +
    "a program that calls another function cannot be planned offline (docs/library.md; answers live in src/tools/plan/mocks.ts)";
  return Object.assign(new Error(message), { details: message });
}

/** ARM resource types by azure-native token: the provider namespace, the type path and the input naming it. */
const ARM_TYPES: Readonly<Record<string, { path: string; nameInput: string }>> = {
  "azure-native:operationalinsights:Workspace": {
    path: "Microsoft.OperationalInsights/workspaces",
    nameInput: "workspaceName",
  },
  "azure-native:monitor:ActionGroup": { path: "Microsoft.Insights/actionGroups", nameInput: "actionGroupName" },
  "azure-native:monitor:ScheduledQueryRule": { path: "Microsoft.Insights/scheduledQueryRules", nameInput: "ruleName" },
  "azure-native:monitor:DataCollectionRule": {
    path: "Microsoft.Insights/dataCollectionRules",
    nameInput: "dataCollectionRuleName",
  },
  "azure-native:applicationinsights:Workbook": { path: "Microsoft.Insights/workbooks", nameInput: "resourceName" },
  "azure-native:logic:Workflow": { path: "Microsoft.Logic/workflows", nameInput: "workflowName" },
};

/** Ids shaped as ARM and Graph give them, so that the pack judges a plan exactly as it judges a deployment. */
function resourceId(type: string, name: string, inputs: Record<string, unknown>): string {
  if (type.startsWith("azure-native:")) {
    const [, module, kind] = type.split(":");
    const group = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg-plan";
    const named = (key: string) => (typeof inputs[key] === "string" ? (inputs[key] as string) : name);
    if (kind === "ResourceGroup")
      return `/subscriptions/${PLAN_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName ?? name}`;
    if (type === "azure-native:aadiam:DiagnosticSetting")
      return `/providers/microsoft.aadiam/diagnosticSettings/${named("name")}`;
    if (type === "azure-native:operationalinsights:Table") {
      return `/subscriptions/${PLAN_SUBSCRIPTION_ID}/resourceGroups/${group}/providers/Microsoft.OperationalInsights/workspaces/${named("workspaceName")}/tables/${named("tableName")}`;
    }
    if (type === "azure-native:authorization:RoleAssignment") {
      return `${typeof inputs.scope === "string" ? inputs.scope : `/subscriptions/${PLAN_SUBSCRIPTION_ID}`}/providers/Microsoft.Authorization/roleAssignments/${typeof inputs.roleAssignmentName === "string" ? inputs.roleAssignmentName : planObjectId(`roleAssignment/${name}`)}`;
    }
    const arm = ARM_TYPES[type];
    if (arm)
      return `/subscriptions/${PLAN_SUBSCRIPTION_ID}/resourceGroups/${group}/providers/${arm.path}/${named(arm.nameInput)}`;
    return `/subscriptions/${PLAN_SUBSCRIPTION_ID}/resourceGroups/${group}/providers/plan.${module}/${kind}/${name}`;
  }
  return planObjectId(`${type}/${name}`);
}

/** Outputs the programs read back from providers; inputs pass through as state, as providers echo them. */
function computedOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  id: string,
  tenantId: string,
): Record<string, unknown> {
  if (type === "random:index/randomPassword:RandomPassword") {
    const length = typeof inputs.length === "number" ? inputs.length : 16;
    return {
      result: planPassword(name, length),
      bcryptHash: `$2a$10$${planObjectId(`bcrypt/${name}`).replace(/-/g, "")}`,
    };
  }
  if (type.startsWith("azuread:")) return { objectId: inputs.objectId ?? id };
  if (type === "azure-native:operationalinsights:Workspace")
    return { customerId: planObjectId(`workspace/${name}`), name: inputs.workspaceName ?? name };
  // A resource created with a system-assigned identity (the alert rules) gets its principal from Azure.
  const identity = inputs.identity as { type?: unknown } | undefined;
  if (typeof identity?.type === "string" && identity.type.includes("SystemAssigned"))
    return {
      name: inputs[`${lowerFirst(type.split(":")[2]!)}Name`] ?? name,
      identity: { ...identity, principalId: planObjectId(`identity/${name}`), tenantId },
    };
  if (type.startsWith("azure-native:")) return { name: inputs[`${lowerFirst(type.split(":")[2]!)}Name`] ?? name };
  return {};
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
