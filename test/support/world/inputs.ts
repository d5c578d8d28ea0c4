/**
 * What a fixture may declare for each resource type the tests build, typed by the provider SDK's own Args (for the
 * project's dynamic resources, by their providers' own props), unwrapped to plain values as the engine hands them to
 * the pack. A provider property renamed in an SDK upgrade, or misspelt in a fixture, then fails to compile, instead
 * of leaving a test that judges a property no program declares.
 *
 * Top-level properties are optional (a fixture declares what the rule under test reads); nested objects are the
 * SDK's, required fields included. Besides the SDK's value, a value at any depth may be what the engine puts there:
 * a secret (`Secret`: Pulumi's signature beside the value) or, at preview, the unknown sentinel (`Unknown`, a string
 * at run time). Update-mode stacks carry the outputs the provider returned beside the inputs (a user's `objectId`),
 * so those are allowed too, typed as the SDK's resource class declares them.
 *
 * Types with no SDK here (other providers, other people's dynamic resources, components) are built untyped
 * (`untypedResource` in ./stack.ts); tests that model an attack with a shape the SDK forbids build the resource
 * typed and then write the forbidden value through `inputs`, which stays `Record<string, unknown>`.
 */
import type * as aadiam from "@pulumi/azure-native/aadiam";
import type * as applicationinsights from "@pulumi/azure-native/applicationinsights";
import type * as automation from "@pulumi/azure-native/automation";
import type * as monitor from "@pulumi/azure-native/monitor";
import type * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import type * as resources from "@pulumi/azure-native/resources";
import type * as securityinsights from "@pulumi/azure-native/securityinsights";
import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import type * as random from "@pulumi/random";
import type { DynamicKind, DynamicTypeToken, providerTypes } from "@entra-baseline/model";
import type { Fido2MethodPolicyProps } from "../../../src/components/breakglass/fido2Configuration";
import type { AuthenticationContextProps } from "../../../src/components/conditionalAccess/authenticationContextProvider";
import type { GraphCaPolicyProps } from "../../../src/components/conditionalAccess/graphPolicyProvider";
import type { SentinelNrtRuleProps } from "../../../src/components/monitoring/sentinelNrtRuleProvider";
import type { RoleEligibilityOutputs } from "../../../src/components/pim/eligibilityProvider";
import type { RoleManagementPolicyOutputs } from "../../../src/components/pim/provider";
import type { DYNAMIC_PROVIDER_KEY } from "../../../src/tools/engine/secrets";
import type { SECRET_SIG, SECRET_SIG_KEY } from "../../../src/tools/engine/analyzer";
import type { Unknown } from "../pack/unknowns";

/** A secret as the engine hands it to the pack: Pulumi's signature beside the plain value. */
export type Secret<T> = { [K in typeof SECRET_SIG_KEY]: typeof SECRET_SIG } & { value: T };

/**
 * A value as the pack may see it, at any depth (the engine marks and leaves unknown nested values too): as declared,
 * as a secret, or unknown at preview.
 */
type EngineValue<T> = T extends undefined ? T : Plain<T> | Secret<Plain<T>> | Unknown;
type Plain<T> = T extends readonly (infer U)[]
  ? EngineValue<U>[]
  : T extends object
    ? { [K in keyof T]: EngineValue<T[K]> }
    : T;

/** The output properties a resource class declares besides its Args (the ids the service assigns), unwrapped. */
type OutputsOf<R, Args> = {
  [
    K in keyof R as K extends "id" | "urn" | keyof Args
      ? never
      : R[K] extends pulumi.OutputInstance<unknown>
        ? K
        : never
  ]: pulumi.Unwrap<R[K]>;
};

/** A provider resource's properties: its Args unwrapped, plus the outputs of its resource class. */
type ProviderProps<Args, R> = { [K in keyof Args]: pulumi.Unwrap<Args[K]> } & OutputsOf<R, Args>;

/** Every property optional, each as the engine may hand it. */
type Declared<P> = { [K in keyof P]?: EngineValue<P[K]> };

/** A dynamic resource's props, and the serialized provider the engine records beside them. */
type Dynamic<P> = Declared<P> & { [K in typeof DYNAMIC_PROVIDER_KEY]?: string };

/** The provider resources the pack inspects, by their key in `providerTypes`: the SDK's Args and resource class. */
interface ProviderTypeProps {
  user: ProviderProps<azuread.UserArgs, azuread.User>;
  servicePrincipal: ProviderProps<azuread.ServicePrincipalArgs, azuread.ServicePrincipal>;
  group: ProviderProps<azuread.GroupArgs, azuread.Group>;
  groupMember: ProviderProps<azuread.GroupMemberArgs, azuread.GroupMember>;
  directoryRoleAssignment: ProviderProps<azuread.DirectoryRoleAssignmentArgs, azuread.DirectoryRoleAssignment>;
  directoryRole: ProviderProps<azuread.DirectoryRoleArgs, azuread.DirectoryRole>;
  directoryRoleMember: ProviderProps<azuread.DirectoryRoleMemberArgs, azuread.DirectoryRoleMember>;
  customDirectoryRole: ProviderProps<azuread.CustomDirectoryRoleArgs, azuread.CustomDirectoryRole>;
  administrativeUnitRoleMember: ProviderProps<
    azuread.AdministrativeUnitRoleMemberArgs,
    azuread.AdministrativeUnitRoleMember
  >;
  groupRoleManagementPolicy: ProviderProps<azuread.GroupRoleManagementPolicyArgs, azuread.GroupRoleManagementPolicy>;
  directoryRoleEligibilityScheduleRequest: ProviderProps<
    azuread.DirectoryRoleEligibilityScheduleRequestArgs,
    azuread.DirectoryRoleEligibilityScheduleRequest
  >;
  privilegedAccessGroupAssignmentSchedule: ProviderProps<
    azuread.PrivilegedAccessGroupAssignmentScheduleArgs,
    azuread.PrivilegedAccessGroupAssignmentSchedule
  >;
  privilegedAccessGroupEligibilitySchedule: ProviderProps<
    azuread.PrivilegedAccessGroupEligibilityScheduleArgs,
    azuread.PrivilegedAccessGroupEligibilitySchedule
  >;
  conditionalAccessPolicy: ProviderProps<azuread.ConditionalAccessPolicyArgs, azuread.ConditionalAccessPolicy>;
  randomPassword: ProviderProps<random.RandomPasswordArgs, random.RandomPassword>;
  workspace: ProviderProps<operationalinsights.WorkspaceArgs, operationalinsights.Workspace>;
  diagnosticSetting: ProviderProps<aadiam.DiagnosticSettingArgs, aadiam.DiagnosticSetting>;
  actionGroup: ProviderProps<monitor.ActionGroupArgs, monitor.ActionGroup>;
  scheduledQueryRule: ProviderProps<monitor.ScheduledQueryRuleArgs, monitor.ScheduledQueryRule>;
  workbook: ProviderProps<applicationinsights.WorkbookArgs, applicationinsights.Workbook>;
  sentinelOnboardingState: ProviderProps<
    securityinsights.SentinelOnboardingStateArgs,
    securityinsights.SentinelOnboardingState
  >;
  sentinelScheduledAlertRule: ProviderProps<
    securityinsights.ScheduledAlertRuleArgs,
    securityinsights.ScheduledAlertRule
  >;
  sentinelWatchlist: ProviderProps<securityinsights.WatchlistArgs, securityinsights.Watchlist>;
  sentinelWatchlistItem: ProviderProps<securityinsights.WatchlistItemArgs, securityinsights.WatchlistItem>;
  sentinelAutomationRule: ProviderProps<securityinsights.AutomationRuleArgs, securityinsights.AutomationRule>;
}

/** Provider resources the fixtures build besides those: the pack reads some by literal token, the rest are bait. */
interface OtherProviderResources {
  "azuread:index/namedLocation:NamedLocation": ProviderProps<azuread.NamedLocationArgs, azuread.NamedLocation>;
  "azure-native:operationalinsights:Table": ProviderProps<operationalinsights.TableArgs, operationalinsights.Table>;
  "azure-native:monitor:DataCollectionRule": ProviderProps<monitor.DataCollectionRuleArgs, monitor.DataCollectionRule>;
  "azure-native:automation:Runbook": ProviderProps<automation.RunbookArgs, automation.Runbook>;
  "azure-native:resources:AzureCliScript": ProviderProps<resources.AzureCliScriptArgs, resources.AzureCliScript>;
}

/** Every provider resource by type token; a `providerTypes` entry without its SDK types above fails to compile. */
type ProviderResources = {
  [K in keyof typeof providerTypes as (typeof providerTypes)[K]]: ProviderTypeProps[K];
} & OtherProviderResources;

/** The project's dynamic resources by kind: the props their providers read and return. */
interface DynamicProps {
  roleEligibility: RoleEligibilityOutputs;
  roleManagementPolicy: RoleManagementPolicyOutputs;
  authenticationContext: AuthenticationContextProps;
  graphConditionalAccessPolicy: GraphCaPolicyProps;
  fido2MethodPolicy: Fido2MethodPolicyProps;
  sentinelNrtAlertRule: SentinelNrtRuleProps;
}

type DynamicResources = { [K in DynamicKind as DynamicTypeToken<K>]: DynamicProps[K] };

export type FixtureInputsByType = { [T in keyof ProviderResources]: Declared<ProviderResources[T]> } & {
  [T in keyof DynamicResources]: Dynamic<DynamicResources[T]>;
};

/** A resource type a fixture builds with typed inputs. */
export type FixtureType = keyof FixtureInputsByType;

/** What a fixture may declare for `T`. */
export type FixtureInputs<T extends FixtureType> = FixtureInputsByType[T];
