/** Every rule of the pack, in the order they are reported. Side-effect free: importing this starts no server. */
import type { Policies } from "@pulumi/policy";
import { activationPolicy } from "./activationPolicy";
import { baselineAdvisories } from "./baselineAdvisories";
import { breakglassAccounts } from "./breakglassAccounts";
import { breakglassTripwire } from "./breakglassTripwire";
import { caPoliciesExcludeBreakglass } from "./caPoliciesExcludeBreakglass";
import { eligibleAssignmentPrincipals } from "./eligibleAssignmentPrincipals";
import { entraDiagnosticSetting } from "./entraDiagnosticSetting";
import { exclusionGroup } from "./exclusionGroup";
import { fido2MethodPolicy } from "./fido2MethodPolicy";
import { globalAdminCount } from "./globalAdminCount";
import { noForeignWriters } from "./noForeignWriters";
import { noStandingTier0Assignment } from "./noStandingTier0Assignment";
import { sentinelTripwire } from "./sentinelTripwire";

export const policies: Policies = [
  noStandingTier0Assignment,
  eligibleAssignmentPrincipals,
  activationPolicy,
  globalAdminCount,
  breakglassAccounts,
  exclusionGroup,
  caPoliciesExcludeBreakglass,
  entraDiagnosticSetting,
  breakglassTripwire,
  sentinelTripwire,
  fido2MethodPolicy,
  noForeignWriters,
  baselineAdvisories,
];
