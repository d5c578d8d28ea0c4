/**
 * Which Microsoft Graph application permission each call needs (least privileged first), so that a 401/403 tells
 * the operator exactly what to grant instead of "Insufficient privileges". Source: reference graph-arm-kql.md
 * §1–§4 and the Graph permission reference pages of each API.
 */
export interface PermissionRule {
  methods: readonly string[];
  path: RegExp;
  /** When set, the rule applies only to calls whose (decoded) query matches too: one path, two kinds of object. */
  query?: RegExp;
  permissions: readonly string[];
  /** Directory role alternative for delegated (user) sign-in, e.g. `az login` locally. */
  role?: string;
}

const READ = ["GET"];
const WRITE = ["POST", "PATCH", "PUT", "DELETE"];

export const PERMISSION_RULES: readonly PermissionRule[] = [
  {
    // PIM for Groups: a group's member and owner policies (scopeType Group) need the group permission, not the
    // directory one (Graph "PIM for groups APIs" overview, permissions table).
    methods: READ,
    path: /^\/(v1\.0|beta)\/policies\/roleManagementPolic/i,
    query: /scopeType eq 'Group'/i,
    permissions: ["RoleManagementPolicy.Read.AzureADGroup"],
    role: "Global Reader",
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/identityGovernance\/privilegedAccess\/group\/assignmentSchedule/i,
    permissions: ["PrivilegedAssignmentSchedule.Read.AzureADGroup"],
    role: "Global Reader",
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/identityGovernance\/privilegedAccess\/group\/eligibilitySchedule/i,
    permissions: ["PrivilegedEligibilitySchedule.Read.AzureADGroup"],
    role: "Global Reader",
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/policies\/roleManagementPolic/i,
    permissions: ["RoleManagementPolicy.Read.Directory"],
    role: "Privileged Role Administrator",
  },
  {
    methods: WRITE,
    path: /^\/(v1\.0|beta)\/policies\/roleManagementPolic/i,
    permissions: ["RoleManagementPolicy.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"],
    role: "Privileged Role Administrator",
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/roleManagement\/directory\/roleEligibilitySchedule/i,
    permissions: ["RoleEligibilitySchedule.Read.Directory", "RoleManagement.Read.Directory"],
  },
  {
    methods: WRITE,
    path: /^\/(v1\.0|beta)\/roleManagement\/directory\/roleEligibilitySchedule/i,
    permissions: ["RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"],
    role: "Privileged Role Administrator",
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/roleManagement\/directory\/roleAssignmentSchedule/i,
    permissions: ["RoleAssignmentSchedule.Read.Directory", "RoleManagement.Read.Directory"],
  },
  {
    methods: WRITE,
    path: /^\/(v1\.0|beta)\/roleManagement\/directory\/roleAssignmentSchedule/i,
    permissions: ["RoleAssignmentSchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"],
    role: "Privileged Role Administrator",
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/roleManagement\/directory\//i,
    permissions: ["RoleManagement.Read.Directory"],
  },
  {
    methods: WRITE,
    path: /^\/(v1\.0|beta)\/roleManagement\/directory\//i,
    permissions: ["RoleManagement.ReadWrite.Directory"],
    role: "Privileged Role Administrator",
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/identity\/conditionalAccess\/authenticationContextClassReferences/i,
    permissions: ["Policy.Read.ConditionalAccess", "Policy.Read.All"],
  },
  {
    methods: WRITE,
    path: /^\/(v1\.0|beta)\/identity\/conditionalAccess\/authenticationContextClassReferences/i,
    permissions: ["Policy.ReadWrite.ConditionalAccess"],
    role: "Conditional Access Administrator",
  },
  { methods: READ, path: /^\/(v1\.0|beta)\/identity\/conditionalAccess\//i, permissions: ["Policy.Read.All"] },
  // Application.Read.All is a documented known issue of the CA write APIs (docs/references.md, "Authentication contexts and Conditional Access").
  {
    methods: WRITE,
    path: /^\/(v1\.0|beta)\/identity\/conditionalAccess\//i,
    permissions: ["Policy.ReadWrite.ConditionalAccess", "Policy.Read.All", "Application.Read.All"],
    role: "Conditional Access Administrator",
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/policies\/authenticationMethodsPolicy/i,
    permissions: ["Policy.Read.AuthenticationMethod", "Policy.ReadWrite.AuthenticationMethod"],
  },
  {
    methods: WRITE,
    path: /^\/(v1\.0|beta)\/policies\/authenticationMethodsPolicy/i,
    permissions: ["Policy.ReadWrite.AuthenticationMethod"],
    role: "Authentication Policy Administrator",
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/users\/[^/]+\/authentication\//i,
    permissions: ["UserAuthenticationMethod.Read.All"],
    role: "Privileged Authentication Administrator",
  },
  // PIM for Groups (docs/references.md, "Microsoft Graph"; permission names from Graph's privilegedAccessGroup list pages, unconfirmed here).
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/identityGovernance\/privilegedAccess\/group\/eligibility/i,
    permissions: ["PrivilegedEligibilitySchedule.Read.AzureADGroup", "PrivilegedAccess.Read.AzureADGroup"],
  },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/identityGovernance\/privilegedAccess\/group\/assignment/i,
    permissions: ["PrivilegedAssignmentSchedule.Read.AzureADGroup", "PrivilegedAccess.Read.AzureADGroup"],
  },
  // userRegistrationDetails (the methods each admin registered; adopt, transition): AuditLog.Read.All is the least,
  // docs/references.md, "Microsoft Graph" (Entra ID P1 or P2).
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/reports\/authenticationMethods\//i,
    permissions: ["AuditLog.Read.All", "UserAuthenticationMethod.Read.All"],
    role: "Reports Reader",
  },
  { methods: READ, path: /^\/(v1\.0|beta)\/users/i, permissions: ["User.Read.All"] },
  { methods: READ, path: /^\/(v1\.0|beta)\/groups/i, permissions: ["GroupMember.Read.All", "Group.Read.All"] },
  {
    methods: READ,
    path: /^\/(v1\.0|beta)\/(domains|organization)/i,
    permissions: ["Domain.Read.All", "Directory.Read.All"],
  },
];

/** The permissions a call needs, or undefined when this table does not know the endpoint. */
export function requiredPermissions(method: string, path: string): PermissionRule | undefined {
  const [pathname, search = ""] = path.split("?") as [string, string?];
  const query = safeDecode(search);
  return PERMISSION_RULES.find(
    (r) =>
      r.methods.includes(method.toUpperCase()) &&
      r.path.test(pathname) &&
      (r.query === undefined || r.query.test(query)),
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
