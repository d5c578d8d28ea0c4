/**
 * The `pulumi import --file` JSON for the existing objects the planned stack will manage, and what the first `up`
 * does with everything else. Names, types and parents are the program's own: they come from running the program
 * under mocks (src/tools/adopt/plan.ts), never from a list kept here. Ids follow the azuread provider's import
 * formats (docs/references.md). Dynamic resources cannot be imported (pulumi/pulumi#16175): the model's own adopt
 * the existing object in `create`, and the report says which.
 *
 * File format (pulumi/pulumi v3.248.0 pkg/cmd/pulumi/operations/import.go): `resources[]` of `{type, name, id,
 * parent, logicalName, component}`; `parent` names another entry of the file; components are entries with
 * `component: true` and no id; a resource without `parent` goes under the stack. The default azuread provider is
 * used, so no `provider` or `nameTable` is needed.
 */
import {
  ACTIVATION_STRENGTHS,
  BASELINE_POLICY_PURPOSES,
  DYNAMIC_MODULE_PREFIX,
  dynamicTypeToken,
  GUID,
  providerTypes,
  roleName,
  type BaselinePolicyPurpose,
} from "@entra-baseline/model";
import { baselinePolicyArgs } from "../../components/conditionalAccess/policies";
import type { RecordedResource } from "../engine/runProgram";
import { lower } from "../audit/raw";
import type { Proposal } from "./propose";
import { isPermanentGlobalAdministrator, type TenantView } from "./view";

export interface ImportSpec {
  type: string;
  name: string;
  logicalName: string;
  id?: string;
  parent?: string;
  component?: boolean;
}

export interface ImportFile {
  resources: ImportSpec[];
}

export interface PlannedObject {
  urn: string;
  type: string;
  name: string;
  /** What the object is, for the report. */
  what: string;
}

export interface ImportPlan {
  file: ImportFile;
  /** Existing objects imported (`pulumi import --file`). */
  imported: (PlannedObject & { id: string })[];
  /** Existing objects the model's dynamic resources take over in `create`. */
  adoptedInCreate: PlannedObject[];
  /** Objects the first `up` creates. */
  created: PlannedObject[];
  /** Existing objects that stand in the way of a create (a namesake that cannot be adopted). */
  conflicts: string[];
}

type Resolve = (r: RecordedResource) => { id: string; what: string } | { conflict: string } | undefined;

export function importPlan(resources: readonly RecordedResource[], view: TenantView, proposal: Proposal): ImportPlan {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const imported: ImportPlan["imported"] = [];
  const adoptedInCreate: PlannedObject[] = [];
  const created: PlannedObject[] = [];
  const conflicts: string[] = [];
  const resolvers: Record<string, Resolve> = {
    [providerTypes.user]: (r) => {
      const upn = String(r.inputs.userPrincipalName ?? "");
      const user = view.userByRef(upn);
      return user ? { id: `/users/${lower(user.id)}`, what: `emergency account ${upn}` } : undefined;
    },
    [providerTypes.directoryRoleAssignment]: (r) => {
      const principal = lower(r.inputs.principalObjectId);
      const instance = (view.snapshot.sources.roleAssignmentScheduleInstances ?? []).find(
        (i) =>
          lower(i.principalId) === principal &&
          lower(i.roleDefinitionId) === lower(r.inputs.roleId) &&
          isPermanentGlobalAdministrator(i),
      );
      if (!instance) return undefined;
      const origin = instance.roleAssignmentOriginId;
      if (typeof origin !== "string" || origin === "")
        return {
          conflict: `${r.name}: ${view.user(principal!)?.userPrincipalName ?? principal} holds Global Administrator permanently, but its role assignment id (roleAssignmentOriginId) was not returned: import it by hand (GET /v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${principal}')`,
        };
      return {
        id: origin,
        what: `permanent Global Administrator of ${view.user(principal!)?.userPrincipalName ?? principal}`,
      };
    },
    [providerTypes.group]: (r) => {
      const name = String(r.inputs.displayName ?? "");
      const live = liveGroupsNamed(view, proposal, name);
      if (live.length === 0) return undefined;
      const adoptable = live.filter((g) => g.isAssignableToRole === true);
      if (live.length > 1 || adoptable.length === 0)
        return {
          conflict: `${r.name}: ${live.length} group(s) are named "${name}" (${live.map((g) => String(g.id)).join(", ")})${adoptable.length === 0 ? ", none role-assignable" : ""}: the program creates a role-assignable group of that name with preventDuplicateNames, so the first up fails; rename the existing group or set breakglass.groupName to another name`,
        };
      return { id: `/groups/${lower(adoptable[0]!.id)}`, what: `exclusion group "${name}"` };
    },
    [providerTypes.conditionalAccessPolicy]: (r) => {
      const purpose = purposeOfDisplayName(String(r.inputs.displayName ?? ""));
      const adopted = proposal.adoptedPolicies.find((p) => p.purpose === purpose);
      return adopted
        ? {
            id: `/identity/conditionalAccess/policies/${adopted.id}`,
            what: `CA policy "${adopted.displayName}" (${adopted.purpose})`,
          }
        : undefined;
    },
    [providerTypes.directoryRoleEligibilityScheduleRequest]: (r) => {
      const principal = lower(r.inputs.principalId);
      const role = lower(r.inputs.roleDefinitionId);
      const instance = (view.snapshot.sources.roleEligibilityScheduleInstances ?? []).find(
        (i) =>
          lower(i.principalId) === principal &&
          lower(i.roleDefinitionId) === role &&
          (lower(i.directoryScopeId) ?? "/") === (lower(r.inputs.directoryScopeId) ?? "/") &&
          (i.memberType === undefined || lower(i.memberType) === "direct"),
      );
      // The provider imports by the eligibility schedule's id, which is its request's (terraform-provider-azuread
      // v3.8.0 directory_role_eligibility_schedule_request_resource.go reads the schedule of the same GUID).
      const schedule = lower(instance?.roleEligibilityScheduleId);
      if (!schedule || !GUID.test(schedule)) return undefined;
      return {
        id: schedule,
        what: `eligibility of ${view.user(principal!)?.userPrincipalName ?? principal} for ${roleName(role ?? "")}`,
      };
    },
  };

  for (const r of resources) {
    if (!r.custom) continue;
    const object = { urn: r.urn, type: r.type, name: r.name };
    const resolved = resolvers[r.type]?.(r);
    if (resolved && "conflict" in resolved) {
      conflicts.push(resolved.conflict);
      created.push({ ...object, what: describe(r) });
    } else if (resolved) imported.push({ ...object, ...resolved });
    else if (r.type.startsWith(DYNAMIC_MODULE_PREFIX)) {
      const adopted = adoptedByCreate(r, view);
      (adopted ? adoptedInCreate : created).push({ ...object, what: adopted ?? describe(r) });
    } else created.push({ ...object, what: describe(r) });
  }

  // Entries: the imported resources and every component above them, parents named by their logical names.
  const entries = new Map<string, ImportSpec>();
  const names = new Map<string, string>();
  const entryName = (r: RecordedResource) => {
    const known = names.get(r.urn);
    if (known) return known;
    const taken = new Set(names.values());
    let name = r.name;
    for (let i = 2; taken.has(name); i++) name = `${r.name}-${i}`;
    names.set(r.urn, name);
    return name;
  };
  const add = (r: RecordedResource, id?: string) => {
    if (entries.has(r.urn)) return;
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) add(parent);
    entries.set(r.urn, {
      type: r.type,
      name: entryName(r),
      logicalName: r.name,
      ...(id ? { id } : { component: true }),
      ...(parent ? { parent: entryName(parent) } : {}),
    });
  };
  for (const i of imported) add(byUrn.get(i.urn)!, i.id);
  // Parents first, as the program declares them (pulumi import resolves them in any order; people read top down).
  const order = new Map(resources.map((r, i) => [r.urn, i]));
  const file: ImportFile = {
    resources: [...entries].sort(([a], [b]) => order.get(a)! - order.get(b)!).map(([, spec]) => spec),
  };
  return { file, imported, adoptedInCreate, created, conflicts };
}

/** The baseline purpose whose policy the program declares under this display name (any strength). */
export function purposeOfDisplayName(displayName: string): BaselinePolicyPurpose | undefined {
  return BASELINE_POLICY_PURPOSES.find((purpose) =>
    ACTIVATION_STRENGTHS.some((s) => baselinePolicyArgs(purpose, "enabled", s).displayName === displayName),
  );
}

function liveGroupsNamed(view: TenantView, proposal: Proposal, name: string) {
  const byName = (view.snapshot.sources.breakglassGroups ?? []).filter((g) => g.displayName === name);
  const exclusion = proposal.exclusionGroup;
  if (exclusion && exclusion.displayName === name && !byName.some((g) => lower(g.id) === exclusion.id)) {
    const group = view.group(exclusion.id);
    if (group) byName.push(group);
  }
  return byName;
}

/** What a dynamic resource takes over in `create`, or undefined when there is nothing to take over. */
function adoptedByCreate(r: RecordedResource, view: TenantView): string | undefined {
  switch (r.type) {
    case dynamicTypeToken("roleManagementPolicy"):
      return `the existing PIM policy of ${roleName(String(r.inputs.roleDefinitionId ?? ""))} (every role has one; its rules are converged)`;
    case dynamicTypeToken("roleEligibility"): {
      // RoleEligibility adopts an existing eligibility in create (src/components/pim/eligibilityProvider.ts).
      const principal = lower(r.inputs.principalId);
      const role = lower(r.inputs.roleDefinitionId);
      const live = (view.snapshot.sources.roleEligibilityScheduleInstances ?? []).some(
        (i) =>
          lower(i.principalId) === principal &&
          lower(i.roleDefinitionId) === role &&
          (i.memberType === undefined || lower(i.memberType) === "direct"),
      );
      return live
        ? `the eligibility of ${view.user(principal!)?.userPrincipalName ?? principal} for ${roleName(role ?? "")}`
        : undefined;
    }
    case dynamicTypeToken("fido2MethodPolicy"):
      return "the tenant's one FIDO2 authentication-method policy (merged: other targets stay; the preflight lists what changes tenant-wide)";
    case dynamicTypeToken("authenticationContext"): {
      const id = String(r.inputs.contextId ?? "");
      const live = (view.snapshot.sources.authenticationContexts ?? []).find((c) => lower(c.id) === id.toLowerCase());
      return live
        ? `authentication context ${id} "${String(live.displayName ?? "")}" (renamed to "${String(r.inputs.displayName ?? "")}")`
        : undefined;
    }
    case dynamicTypeToken("graphConditionalAccessPolicy"): {
      const name = String(r.inputs.displayName ?? "");
      const live = view.caPolicies.filter((p) => p.displayName === name);
      return live.length === 1 ? `CA policy "${name}" (${String(live[0]!.id)}), by its display name` : undefined;
    }
    default:
      return undefined;
  }
}

function describe(r: RecordedResource): string {
  const name = r.inputs.displayName ?? r.inputs.userPrincipalName ?? r.inputs.name;
  return typeof name === "string" ? `${r.type.split(":").pop()} "${name}"` : r.type.split(":").pop()!;
}
