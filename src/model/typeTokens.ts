/**
 * Type tokens of the resources the model is enforced on. Dynamic resources get their own tokens
 * (`pulumi-nodejs:dynamic/<module>:<type>`) so that the policy pack can match each kind; components get
 * `entra-baseline:<module>:<Type>` (policies never target components: the engine cannot match them).
 */
export const DYNAMIC_MODULE_PREFIX = "pulumi-nodejs:dynamic/";

export const dynamicTypes = {
  /** A directory role's PIM policy rules, owned through Graph (src/components/pim). */
  roleManagementPolicy: { module: "pim", type: "RoleManagementPolicy" },
  /** A PIM eligibility of a principal for a directory role, owned through Graph schedule requests (src/components/pim). */
  roleEligibility: { module: "pim", type: "RoleEligibility" },
  /** An authentication context class reference (src/components/conditionalAccess). */
  authenticationContext: { module: "conditionalAccess", type: "AuthenticationContext" },
  /** A CA policy written through Graph because azuread cannot target authentication contexts. */
  graphConditionalAccessPolicy: { module: "conditionalAccess", type: "GraphConditionalAccessPolicy" },
  /** The tenant's FIDO2 authentication-method policy (src/components/breakglass). */
  fido2MethodPolicy: { module: "breakglass", type: "Fido2MethodPolicy" },
  /** A Sentinel near-real-time analytics rule, over the ARM API (azure-native 3.28 cannot declare NRT rules). */
  sentinelNrtAlertRule: { module: "monitoring", type: "SentinelNrtAlertRule" },
} as const;

export type DynamicKind = keyof typeof dynamicTypes;

/** The token of a dynamic resource kind, as its literal type: a token then tells the compiler which kind it is. */
export type DynamicTypeToken<K extends DynamicKind = DynamicKind> = K extends DynamicKind
  ? `${typeof DYNAMIC_MODULE_PREFIX}${(typeof dynamicTypes)[K]["module"]}:${(typeof dynamicTypes)[K]["type"]}`
  : never;

export function dynamicTypeToken<K extends DynamicKind>(kind: K): DynamicTypeToken<K> {
  const { module, type } = dynamicTypes[kind];
  return `${DYNAMIC_MODULE_PREFIX}${module}:${type}` as DynamicTypeToken<K>;
}

export const componentTypes = {
  breakglass: "entra-baseline:breakglass:Breakglass",
  jitGlobalAdmin: "entra-baseline:pim:JitGlobalAdmin",
  jitRoles: "entra-baseline:pim:JitRoles",
  conditionalAccess: "entra-baseline:conditionalAccess:ConditionalAccessBaseline",
  monitoring: "entra-baseline:monitoring:Monitoring",
} as const;

/** Provider resource tokens the policy pack inspects. */
export const providerTypes = {
  user: "azuread:index/user:User",
  servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
  group: "azuread:index/group:Group",
  groupMember: "azuread:index/groupMember:GroupMember",
  directoryRoleAssignment: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
  directoryRole: "azuread:index/directoryRole:DirectoryRole",
  directoryRoleMember: "azuread:index/directoryRoleMember:DirectoryRoleMember",
  customDirectoryRole: "azuread:index/customDirectoryRole:CustomDirectoryRole",
  administrativeUnitRoleMember: "azuread:index/administrativeUnitRoleMember:AdministrativeUnitRoleMember",
  groupRoleManagementPolicy: "azuread:index/groupRoleManagementPolicy:GroupRoleManagementPolicy",
  directoryRoleEligibilityScheduleRequest:
    "azuread:index/directoryRoleEligibilityScheduleRequest:DirectoryRoleEligibilityScheduleRequest",
  privilegedAccessGroupAssignmentSchedule:
    "azuread:index/privilegedAccessGroupAssignmentSchedule:PrivilegedAccessGroupAssignmentSchedule",
  privilegedAccessGroupEligibilitySchedule:
    "azuread:index/privilegedAccessGroupEligibilitySchedule:PrivilegedAccessGroupEligibilitySchedule",
  conditionalAccessPolicy: "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
  randomPassword: "random:index/randomPassword:RandomPassword",
  workspace: "azure-native:operationalinsights:Workspace",
  diagnosticSetting: "azure-native:aadiam:DiagnosticSetting",
  actionGroup: "azure-native:monitor:ActionGroup",
  scheduledQueryRule: "azure-native:monitor:ScheduledQueryRule",
  workbook: "azure-native:applicationinsights:Workbook",
  sentinelOnboardingState: "azure-native:securityinsights:SentinelOnboardingState",
  sentinelScheduledAlertRule: "azure-native:securityinsights:ScheduledAlertRule",
  sentinelWatchlist: "azure-native:securityinsights:Watchlist",
  sentinelWatchlistItem: "azure-native:securityinsights:WatchlistItem",
  sentinelAutomationRule: "azure-native:securityinsights:AutomationRule",
} as const;
