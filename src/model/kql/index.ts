/**
 * The project's KQL: each query one structured definition (ast.ts), rendered to text (render.ts) for the alert
 * rules, the workbook and the review, and evaluated over documented-shape records (evaluate.ts) by the tests.
 * Pure functions of config and the breakglass identities.
 */
export * as kqlAst from "./ast";
export type { KqlQuery, KqlType, Operator, Pipeline, Scalar } from "./ast";
export { renderKql } from "./render";
export { evaluateKql, INGESTION_TIME_FIELD, type KqlColumn, type KqlResult, type KqlTable } from "./evaluate";
export * from "./breakglassPrincipals";
export * from "./breakglassSignIn";
export * from "./breakglassAccountChanged";
export * from "./roleAssignedOutsidePim";
export * from "./routineJitUse";
export * from "./pimActivationReview";
export {
  PIM_JUSTIFICATION_DETAIL_KEY,
  PIM_OPERATIONS,
  PIM_SERVICE_NAMES,
  PIM_TICKET_DETAIL_KEYS,
  TICKET_SOURCES,
  type PimEvent,
  type TicketSource,
} from "./common";
