/**
 * Audit integrity: Entra logs streamed to Log Analytics, the breakglass tripwires and the other alert rules, an
 * action group, and the weekly PIM activation review workbook (docs/monitoring.md).
 */
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import type { MonitoringConfig, PimConfig } from "../../config/schema";
import {
  type AlertRuleKey,
  AZURE_PORTALS,
  type BreakglassPrincipals,
  type CloudName,
  componentTypes,
  type Endpoints,
  type StandingException,
} from "@entra-baseline/model";
import { declareActionGroup } from "./actionGroup";
import { declareAlertRules } from "./alertRules";
import { declareChatReceivers } from "./chatReceivers";
import { declareLogging } from "./logging";
import { declareSentinel } from "./sentinel";
import { armConnection } from "../../graph/dynamicProvider";
import { declareWorkbook } from "./workbook";

export interface MonitoringArgs {
  monitoring: MonitoringConfig;
  /** Config `pim`: the PIM review workbook covers every role it makes just-in-time (managedRoles). */
  pim: PimConfig;
  /** Config `exceptions`: the outside-PIM alert does not fire for their live principal/role pairs. */
  exceptions?: readonly StandingException[];
  breakglass: {
    userPrincipalNames: pulumi.Input<string[]>;
    objectIds: pulumi.Input<string[]>;
    groupObjectId: pulumi.Input<string>;
  };
  /** The tenant's cloud (tenant.cloud): its portal is where message links fall back to. Default public. */
  cloud?: CloudName;
  /**
   * The stack's endpoints and tenant (config `endpoints`, `tenant.tenantId`): where the Sentinel near-real-time rules
   * are written. Required when `monitoring.sentinel.enabled` with near-real-time rules.
   */
  endpoints?: Pick<Endpoints, "arm" | "login">;
  tenantId?: string;
}

export class Monitoring extends pulumi.ComponentResource {
  /** ARM resource id of the Log Analytics workspace (created, or config's existingWorkspaceId). */
  readonly workspaceId: pulumi.Output<string>;
  /** ARM resource id of the interactive sign-in tripwire rule. */
  readonly tripwireRuleId: pulumi.Output<string>;
  /** ARM resource id of the non-interactive sign-in tripwire rule. */
  readonly nonInteractiveTripwireRuleId: pulumi.Output<string>;
  /** Every alert rule's ARM resource id, by the same keys as config `monitoring.severities`. */
  readonly alertRuleIds: pulumi.Output<Record<AlertRuleKey, string>>;
  readonly actionGroupId: pulumi.Output<string>;
  readonly resourceGroupName: pulumi.Output<string>;
  readonly workbookId: pulumi.Output<string>;
  /** Every Sentinel analytics rule's ARM id, by the same keys; undefined unless monitoring.sentinel.enabled. */
  readonly sentinelRuleIds?: pulumi.Output<Record<AlertRuleKey, string>>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super(componentTypes.monitoring, name, {}, opts);
    const { monitoring } = args;

    const resourceGroupName = declareResourceGroup(name, monitoring, this);

    const logging = declareLogging(name, { monitoring, resourceGroupName }, this);
    const chatReceivers = declareChatReceivers(
      name,
      {
        actionGroupName: monitoring.actionGroup.name,
        teams: monitoring.actionGroup.teams,
        slack: monitoring.actionGroup.slack,
        resourceGroupName,
        location: monitoring.location,
        portalUrl: AZURE_PORTALS[args.cloud ?? "public"],
        runbookUrl: monitoring.sentinel.runbookUrl,
      },
      this,
    );
    const actionGroup = declareActionGroup(
      name,
      { actionGroup: monitoring.actionGroup, resourceGroupName, chatReceivers },
      this,
    );
    const { rules } = declareAlertRules(
      name,
      {
        monitoring,
        exceptions: args.exceptions ?? [],
        resourceGroupName,
        workspaceId: logging.workspaceId,
        actionGroupId: actionGroup.id,
        breakglass: args.breakglass,
      },
      // Rules read tables the diagnostic setting creates: declare them after it.
      { parent: this, dependsOn: [logging.diagnosticSetting] },
    );
    if (monitoring.sentinel.enabled) {
      if (!args.endpoints || !args.tenantId)
        throw new Error("Monitoring: monitoring.sentinel.enabled needs the stack's endpoints and tenantId");
      const sentinel = declareSentinel(
        name,
        {
          monitoring,
          exceptions: args.exceptions ?? [],
          workspaceId: logging.workspaceId,
          breakglass: pulumi
            .all([args.breakglass.userPrincipalNames, args.breakglass.objectIds, args.breakglass.groupObjectId])
            .apply(([userPrincipalNames, objectIds, groupObjectId]): BreakglassPrincipals => ({
              userPrincipalNames,
              objectIds,
              groupObjectId,
            })),
          connection: armConnection(args.endpoints, args.tenantId),
          dependsOn: [logging.diagnosticSetting],
        },
        this,
      );
      this.sentinelRuleIds = sentinel.ruleIds;
    }
    const workbook = declareWorkbook(
      name,
      { monitoring, pim: args.pim, resourceGroupName, workspaceId: logging.workspaceId },
      this,
    );

    this.workspaceId = logging.workspaceId;
    this.tripwireRuleId = rules.breakglassSignIn.id;
    this.nonInteractiveTripwireRuleId = rules.breakglassNonInteractiveSignIn.id;
    this.alertRuleIds = pulumi.all(
      Object.fromEntries(Object.entries(rules).map(([k, r]) => [k, r.id])),
    ) as pulumi.Output<Record<AlertRuleKey, string>>;
    this.actionGroupId = actionGroup.id;
    this.resourceGroupName = resourceGroupName;
    this.workbookId = workbook.id;

    this.registerOutputs({
      workspaceId: this.workspaceId,
      tripwireRuleId: this.tripwireRuleId,
      nonInteractiveTripwireRuleId: this.nonInteractiveTripwireRuleId,
      alertRuleIds: this.alertRuleIds,
      actionGroupId: this.actionGroupId,
      resourceGroupName: this.resourceGroupName,
      workbookId: this.workbookId,
      ...(this.sentinelRuleIds ? { sentinelRuleIds: this.sentinelRuleIds } : {}),
    });
  }
}

/**
 * The monitoring resource group's name, carried through the group's id when this stack declares it so that every
 * child waits for the group to exist. With `existingResourceGroup` the group is someone else's: its name is used
 * as is and nothing is declared, so nothing here can delete it. A declared group is retained on delete, so that
 * switching to `existingResourceGroup` (or `pulumi destroy`) never deletes a group — and whatever else it holds —
 * with it; see docs/monitoring.md.
 */
function declareResourceGroup(
  name: string,
  monitoring: MonitoringConfig,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (monitoring.existingResourceGroup) return pulumi.output(monitoring.resourceGroupName);
  const resourceGroup = new resources.ResourceGroup(
    `${name}-rg`,
    { resourceGroupName: monitoring.resourceGroupName, location: monitoring.location },
    { parent, retainOnDelete: true },
  );
  return resourceGroup.id.apply(() => monitoring.resourceGroupName);
}
