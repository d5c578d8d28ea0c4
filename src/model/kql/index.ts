/** KQL builders: pure functions of config and the breakglass identities. Checked by test/kql with Kusto.Language. */
export * from "./breakglassPrincipals";
export * from "./breakglassSignIn";
export * from "./breakglassAccountChanged";
export * from "./roleAssignedOutsidePim";
export * from "./routineJitUse";
export * from "./pimActivationReview";
export { PIM_OPERATIONS, type PimEvent } from "./common";
