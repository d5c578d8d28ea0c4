/**
 * Pulumi entry point: load and validate the stack config (nothing is declared if it is invalid), declare the
 * baseline, export non-secret outputs only. Breakglass passwords never leave the state's secret store.
 */
import { loadConfig } from "./config/load";
import { declareBaseline } from "./components/baseline";

const baseline = declareBaseline(loadConfig());

export const breakglassUserPrincipalNames = baseline.breakglass.userPrincipalNames;
export const breakglassObjectIds = baseline.breakglass.objectIds;
export const breakglassGroupObjectId = baseline.breakglass.groupObjectId;
export const eligibleGlobalAdminObjectIds = baseline.jitGlobalAdmin.eligiblePrincipalIds;
export const workspaceId = baseline.monitoring.workspaceId;
export const tripwireRuleId = baseline.monitoring.tripwireRuleId;
