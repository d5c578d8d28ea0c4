/**
 * Microsoft's own KQL parser and semantic analyzer (@kusto/language-service-next) against declared schemas of the
 * tables our queries read. Columns and types are those of docs/references.md, "Tables and columns" and Azure Monitor's table
 * reference (docs/references.md, "Logs and KQL", §4) — nothing more, so a query that relies on an undocumented column fails here. The same
 * schemas type the records the tests evaluate queries over (`logTables`).
 *
 * The package is a Bridge.NET build: its runtime (bridge.min.js) must be loaded before Kusto.Language, and both
 * install globals (`Bridge`, `Kusto`); requiring the package's main alone fails with "Bridge is not defined".
 */
import { createRequire } from "node:module";
import * as path from "node:path";

const localRequire = createRequire(__filename);
const packageDir = path.dirname(localRequire.resolve("@kusto/language-service-next/package.json"));

/** Columns of SigninLogs (docs/references.md, "Tables and columns"): ResultType is a string ("0" = success); the details are dynamic. */
export const SIGNIN_LOGS_COLUMNS: Record<string, string> = {
  TimeGenerated: "datetime",
  CreatedDateTime: "datetime",
  UserPrincipalName: "string",
  UserId: "string",
  UserDisplayName: "string",
  ResultType: "string",
  ResultDescription: "string",
  IPAddress: "string",
  AppDisplayName: "string",
  AppId: "string",
  ClientAppUsed: "string",
  ConditionalAccessStatus: "string",
  AuthenticationRequirement: "string",
  LocationDetails: "dynamic",
  DeviceDetail: "dynamic",
  Status: "dynamic",
  MfaDetail: "dynamic",
  ConditionalAccessPolicies: "dynamic",
  CorrelationId: "string",
  RiskLevelDuringSignIn: "string",
};

/** The same core columns, but the details are JSON strings (parse_json before use). */
export const NON_INTERACTIVE_SIGNIN_COLUMNS: Record<string, string> = {
  ...SIGNIN_LOGS_COLUMNS,
  LocationDetails: "string",
  DeviceDetail: "string",
  Status: "string",
  MfaDetail: "string",
  ConditionalAccessPolicies: "string",
};

/**
 * Every column of AuditLogs as Azure Monitor's table reference lists them (docs/references.md, "Logs and KQL", azure-monitor-docs
 * articles/azure-monitor/reference/tables/auditlogs.md), in its alphabetical order. AdditionalDetails is where PIM
 * records the justification; InitiatedBy and TargetResources are dynamic.
 */
export const AUDIT_LOGS_COLUMNS: Record<string, string> = {
  AADOperationType: "string",
  AADTenantId: "string",
  ActivityDateTime: "datetime",
  ActivityDisplayName: "string",
  AdditionalDetails: "dynamic",
  _BilledSize: "real",
  Category: "string",
  CorrelationId: "string",
  DurationMs: "long",
  Id: "string",
  Identity: "string",
  InitiatedBy: "dynamic",
  _IsBillable: "string",
  Level: "string",
  Location: "string",
  LoggedByService: "string",
  OperationName: "string",
  OperationVersion: "string",
  Resource: "string",
  ResourceGroup: "string",
  ResourceId: "string",
  ResourceProvider: "string",
  Result: "string",
  ResultDescription: "string",
  ResultReason: "string",
  ResultSignature: "string",
  ResultType: "string",
  SourceSystem: "string",
  TargetResources: "dynamic",
  TimeGenerated: "datetime",
  Type: "string",
};

export const TABLES: Record<string, Record<string, string>> = {
  SigninLogs: SIGNIN_LOGS_COLUMNS,
  AADNonInteractiveUserSignInLogs: NON_INTERACTIVE_SIGNIN_COLUMNS,
  AuditLogs: AUDIT_LOGS_COLUMNS,
};

export interface KqlDiagnostic {
  code: string;
  severity: string;
  message: string;
  start: number;
}

export interface KqlAnalysis {
  diagnostics: KqlDiagnostic[];
  /** Errors only (the analyzer also reports warnings and suggestions). */
  errors: KqlDiagnostic[];
  /** The output schema, `name → type`, in order. */
  columns: { name: string; type: string }[];
}

type KustoLanguage = any;
let cached: { K: KustoLanguage; globals: unknown } | undefined;

function load(): { K: KustoLanguage; globals: unknown } {
  if (cached) return cached;
  localRequire(path.join(packageDir, "bridge.min.js"));
  localRequire(path.join(packageDir, "Kusto.Language.Bridge.min.js"));
  const K = (globalThis as unknown as { Kusto: { Language: KustoLanguage } }).Kusto.Language;
  const tables = Object.entries(TABLES).map(
    ([name, columns]) =>
      new K.Symbols.TableSymbol.$ctor7(
        name,
        `(${Object.entries(columns)
          .map(([c, t]) => `${c}:${t}`)
          .join(", ")})`,
        null,
      ),
  );
  const database = new K.Symbols.DatabaseSymbol.$ctor2("workspace", null, tables);
  cached = { K, globals: K.GlobalState.Default.WithDatabase(database) };
  return cached;
}

/** Parses and semantically analyzes a query against the declared workspace tables. */
export function analyzeKql(query: string): KqlAnalysis {
  const { K, globals } = load();
  const code = K.KustoCode.ParseAndAnalyze(query, globals);
  const list = code.GetDiagnostics();
  const diagnostics: KqlDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    diagnostics.push({ code: d.Code, severity: d.Severity, message: d.Message, start: d.Start });
  }
  const columns: { name: string; type: string }[] = [];
  const resultColumns = code.ResultType?.Columns;
  if (resultColumns) {
    for (let i = 0; i < resultColumns.Count; i++) {
      const c = resultColumns.getItem(i);
      columns.push({ name: c.Name, type: c.Type.Name });
    }
  }
  return { diagnostics, errors: diagnostics.filter((d) => d.severity === "Error"), columns };
}

/** A readable failure message: each error with the line it is on. */
export function describeErrors(query: string, errors: KqlDiagnostic[]): string {
  return errors
    .map((e) => {
      const line = query.slice(0, e.start).split("\n").length;
      return `${e.code} at line ${line}: ${e.message}\n    ${query.split("\n")[line - 1]}`;
    })
    .join("\n");
}
