/** @entra-baseline/model: the vocabulary and the rules of the baseline. Pure: imports nothing outside this package. */
export * from "./activationContextPolicy";
export * from "./activationPolicy";
export * from "./breakglassExclusion";
export * from "./duration";
export * from "./identifiers";
export * from "./logAlertQuery";
export * from "./logCategories";
export * from "./pimPolicyRules";
export * from "./policyNames";
export * from "./roles";
export * from "./tripwire";
export * from "./typeTokens";
export * from "./kql";
