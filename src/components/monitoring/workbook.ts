/**
 * The "PIM activation review" workbook: the weekly review as an Azure Monitor workbook on the workspace. Its
 * sections run the same base query as `npm run review` (src/model/kql/pimActivationReview.ts), over every role the
 * stack makes just-in-time.
 */
import * as pulumi from "@pulumi/pulumi";
import * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import { managedRoles } from "../../config/managedRoles";
import type { MonitoringConfig, PimConfig } from "../../config/schema";
import { pimReviewWorkbookQueries, type PimReviewOptions } from "@entra-baseline/model";
import { stableUuid } from "./stableUuid";

export const WORKBOOK_DISPLAY_NAME = "PIM activation review";
const WORKBOOK_SCHEMA = "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json";

/** Workbook JSON (Notebook/1.0): a heading, then one KQL table per review section. */
export function pimReviewWorkbookContent(options: PimReviewOptions, workspaceId: string): Record<string, unknown> {
  const intro = {
    type: 1,
    name: "intro",
    content: {
      json: [
        `## ${WORKBOOK_DISPLAY_NAME}`,
        `Activations of the last 7 days of every managed role (${options.roles.join(", ")}): who, which role, when,`,
        "for how long, the justification and ticket, who approved; counts per role, per admin and per role and admin;",
        "activations outside working hours; denied requests.",
        "The same review is produced as Markdown by `npm run review` (entra-baseline).",
      ].join("\n"),
    },
  };
  const sections = pimReviewWorkbookQueries(options).map((q) => ({
    type: 3,
    name: q.name,
    content: {
      version: "KqlItem/1.0",
      title: q.title,
      query: q.query,
      size: 0,
      queryType: 0,
      resourceType: "microsoft.operationalinsights/workspaces",
      crossComponentResources: [workspaceId],
      visualization: "table",
    },
  }));
  return {
    version: "Notebook/1.0",
    items: [intro, ...sections],
    fallbackResourceIds: [workspaceId],
    $schema: WORKBOOK_SCHEMA,
  };
}

export function declareWorkbook(
  name: string,
  args: {
    monitoring: MonitoringConfig;
    pim: PimConfig;
    resourceGroupName: pulumi.Input<string>;
    workspaceId: pulumi.Input<string>;
  },
  parent: pulumi.Resource,
): applicationinsights.Workbook {
  const { monitoring } = args;
  const options: PimReviewOptions = {
    roles: managedRoles(args.pim).map((r) => r.name),
    ticketPattern: monitoring.routineJitUse.ticketPattern,
    workingHours: monitoring.workingHours,
  };
  return new applicationinsights.Workbook(
    `${name}-pim-activation-review`,
    {
      // Workbook names must be GUIDs: a stable one, so re-runs do not replace the workbook.
      resourceName: stableUuid(`${monitoring.resourceGroupName}/${name}/pim-activation-review`),
      resourceGroupName: args.resourceGroupName,
      location: monitoring.location,
      displayName: WORKBOOK_DISPLAY_NAME,
      category: "workbook",
      kind: "shared",
      version: "Notebook/1.0",
      sourceId: args.workspaceId,
      serializedData: pulumi
        .output(args.workspaceId)
        .apply((id) => JSON.stringify(pimReviewWorkbookContent(options, id))),
    },
    { parent },
  );
}
