/** Every rule of the pack, in the order they are reported. Side-effect free: importing this starts no server. */
import type { Policies } from "@pulumi/policy";
import { breakglassAccounts } from "./breakglassAccounts";
import { breakglassTripwire } from "./breakglassTripwire";
import { caPoliciesExcludeBreakglass } from "./caPoliciesExcludeBreakglass";
import { eligibleAssignmentPrincipals } from "./eligibleAssignmentPrincipals";
import { entraDiagnosticSetting } from "./entraDiagnosticSetting";
import { gaActivationPolicy } from "./gaActivationPolicy";
import { globalAdminCount } from "./globalAdminCount";
import { noStandingTier0Assignment } from "./noStandingTier0Assignment";

export const policies: Policies = [
  noStandingTier0Assignment,
  eligibleAssignmentPrincipals,
  gaActivationPolicy,
  globalAdminCount,
  breakglassAccounts,
  caPoliciesExcludeBreakglass,
  entraDiagnosticSetting,
  breakglassTripwire,
];
