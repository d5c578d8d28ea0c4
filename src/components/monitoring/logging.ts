/**
 * Where the Entra logs go: the Log Analytics workspace (or an existing one) and the tenant's diagnostic setting
 * that streams the configured categories into it.
 *
 * Known issue (docs/references.md, "Azure Resource Manager", unconfirmed): the aadiam API has answered 403 to service principals even when they
 * hold Global Administrator. The reported workaround is an Azure role assignment (e.g. Contributor) for the
 * deploying principal at scope `/providers/Microsoft.aadiam`; see docs/monitoring.md.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aadiam from "@pulumi/azure-native/aadiam";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import type { MonitoringConfig } from "../../config/schema";

export interface LoggingArgs {
  monitoring: MonitoringConfig;
  resourceGroupName: pulumi.Input<string>;
}

export interface Logging {
  /** ARM resource id of the workspace (the alert rules' scope, the workbook's source). */
  workspaceId: pulumi.Output<string>;
  /** The workspace's customer id (GUID) when created here; undefined for an existing workspace. */
  workspaceCustomerId?: pulumi.Output<string>;
  diagnosticSetting: aadiam.DiagnosticSetting;
}

export function declareLogging(name: string, args: LoggingArgs, parent: pulumi.Resource): Logging {
  const { monitoring } = args;
  let workspaceId: pulumi.Output<string>;
  let workspaceCustomerId: pulumi.Output<string> | undefined;
  if (monitoring.existingWorkspaceId) {
    workspaceId = pulumi.output(monitoring.existingWorkspaceId);
  } else {
    const workspace = new operationalinsights.Workspace(
      `${name}-workspace`,
      {
        workspaceName: monitoring.workspaceName,
        resourceGroupName: args.resourceGroupName,
        location: monitoring.location,
        sku: { name: "PerGB2018" },
        retentionInDays: monitoring.retentionInDays,
      },
      { parent },
    );
    workspaceId = workspace.id;
    workspaceCustomerId = workspace.customerId;
  }

  const diagnosticSetting = new aadiam.DiagnosticSetting(
    `${name}-entra-diagnostic-setting`,
    {
      name: monitoring.diagnosticSettingName,
      workspaceId,
      // Retention is the workspace's (retentionInDays); per-category retention applies to storage accounts only.
      logs: monitoring.logCategories.map((category) => ({ category, enabled: true })),
    },
    { parent },
  );
  return { workspaceId, workspaceCustomerId, diagnosticSetting };
}
