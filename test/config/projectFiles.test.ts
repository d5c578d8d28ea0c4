/**
 * The project files as the real Pulumi CLI (v3.248.0) decodes them. The CLI validates Pulumi.yaml against its JSON
 * schema (sdk/go/common/workspace/project.json) and then unmarshals it into Go structs
 * (sdk/go/common/workspace/project.go, sdk/go/common/apitype/templates.go); PulumiPolicy.yaml and the stack files
 * are unmarshalled without a schema. A file that passes the schema but not the Go types fails every `pulumi`
 * command ("cannot unmarshal !!map into string"), so each file is held here to the field types those structs
 * declare (docs/references.md, "Pulumi CLI project files"): a mismatch names the field, its Go type and what was found.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, STACK_FILE } from "../support/stack";

/** The subset of Go's type system the project files decode into. */
type GoType =
  | { kind: "string" | "bool" | "any" }
  | { kind: "map"; values: GoType }
  | { kind: "list"; items: GoType }
  | { kind: "struct"; fields: Record<string, GoType>; required?: string[]; closed?: boolean }
  | { kind: "union"; of: GoType[]; name: string };

const str: GoType = { kind: "string" };
const bool: GoType = { kind: "bool" };
const any: GoType = { kind: "any" };
const map = (values: GoType): GoType => ({ kind: "map", values });
const list = (items: GoType): GoType => ({ kind: "list", items });
const struct = (fields: Record<string, GoType>, opts: { required?: string[]; closed?: boolean } = {}): GoType => ({
  kind: "struct",
  fields,
  ...opts,
});

/** `ProjectRuntimeInfo`: a string, or { name, options } (UnmarshalYAML, project.go 1329-1346; schema closes the object). */
const runtime: GoType = {
  kind: "union",
  name: "ProjectRuntimeInfo",
  of: [str, struct({ name: str, options: map(any) }, { required: ["name"], closed: true })],
};

/** `Project` (project.go 306-356). The top level of project.json allows unknown keys; nested objects do not. */
const PROJECT: GoType = struct(
  {
    name: str,
    runtime,
    main: str,
    description: str,
    author: str,
    website: str,
    license: str,
    stackConfigDir: str,
    requiredPulumiVersion: str,
    config: map(
      struct(
        {
          type: str,
          description: str,
          items: struct({ type: str, items: any }, { closed: true }),
          default: any,
          value: any,
          secret: bool,
        },
        { closed: true },
      ),
    ),
    // apitype.ProjectTemplate and ProjectTemplateConfigValue { Description string; Default string; Secret bool }.
    template: struct(
      {
        displayName: str,
        description: str,
        quickstart: str,
        config: map(struct({ description: str, default: str, secret: bool }, { closed: true })),
        important: bool,
        metadata: map(str),
      },
      { closed: true },
    ),
    backend: struct({ url: str }, { closed: true }),
    plugins: struct(
      Object.fromEntries(
        ["providers", "languages", "analyzers"].map((kind) => [
          kind,
          list(struct({ name: str, version: str, path: str }, { closed: true })),
        ]),
      ),
      { closed: true },
    ),
    options: struct({ refresh: str }, { closed: true }),
  },
  { required: ["name", "runtime"] },
);

/** `PolicyPackProject` (project.go 885-906): runtime required, unknown keys ignored. */
const POLICY_PACK: GoType = struct(
  { runtime, version: str, main: str, description: str, author: str, website: str, license: str },
  { required: ["runtime"] },
);

/** `ProjectStack` (project.go 1212-1228): config values are free-form (config.Map handles objects). */
const STACK: GoType = struct({
  secretsprovider: str,
  encryptedkey: str,
  encryptionsalt: str,
  config: map(any),
  environment: any,
});

function typeName(t: GoType): string {
  switch (t.kind) {
    case "map":
      return `map[string]${typeName(t.values)}`;
    case "list":
      return `[]${typeName(t.items)}`;
    case "struct":
      return "struct";
    case "union":
      return t.name;
    default:
      return t.kind;
  }
}

function found(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Every place `value` does not fit `type`, as "path: expected T, found X". */
function mismatches(value: unknown, type: GoType, at = ""): string[] {
  const here = at || "(root)";
  if (value === null || value === undefined) return [];
  switch (type.kind) {
    case "any":
      return [];
    case "string":
      return typeof value === "string" ? [] : [`${here}: expected a Go string, found ${found(value)}`];
    case "bool":
      return typeof value === "boolean" ? [] : [`${here}: expected a Go bool, found ${found(value)}`];
    case "list":
      return Array.isArray(value)
        ? value.flatMap((v, i) => mismatches(v, type.items, `${at}[${i}]`))
        : [`${here}: expected ${typeName(type)}, found ${found(value)}`];
    case "map":
      if (typeof value !== "object" || Array.isArray(value))
        return [`${here}: expected ${typeName(type)}, found ${found(value)}`];
      return Object.entries(value).flatMap(([k, v]) => mismatches(v, type.values, at ? `${at}.${k}` : k));
    case "union":
      return type.of.some((t) => mismatches(value, t, at).length === 0)
        ? []
        : [`${here}: expected ${type.name}, found ${found(value)}`];
    case "struct": {
      if (typeof value !== "object" || Array.isArray(value))
        return [`${here}: expected a struct, found ${found(value)}`];
      const record = value as Record<string, unknown>;
      const out: string[] = [];
      for (const r of type.required ?? []) if (record[r] === undefined) out.push(`${at ? `${at}.` : ""}${r}: required`);
      for (const [k, v] of Object.entries(record)) {
        const field = type.fields[k];
        if (field) out.push(...mismatches(v, field, at ? `${at}.${k}` : k));
        else if (type.closed)
          out.push(
            `${at ? `${at}.` : ""}${k}: not a field of this object (the CLI's schema rejects unknown keys here)`,
          );
      }
      return out;
    }
  }
}

const read = (file: string) => parse(fs.readFileSync(file, "utf8")) as unknown;

describe("project files decode into the Pulumi CLI's Go types (v3.248.0)", () => {
  it("Pulumi.yaml", () => {
    expect(mismatches(read(path.join(ROOT, "Pulumi.yaml")), PROJECT)).toEqual([]);
  });

  it("policies/PulumiPolicy.yaml", () => {
    expect(mismatches(read(path.join(ROOT, "policies", "PulumiPolicy.yaml")), POLICY_PACK)).toEqual([]);
  });

  it.each([
    ["Pulumi.prod.yaml", path.join(ROOT, "Pulumi.prod.yaml")],
    ["the test stack", STACK_FILE],
    ["the examples' stack", path.join(ROOT, "examples", "Pulumi.example.yaml")],
  ])("%s", (_name, file) => {
    expect(mismatches(read(file), STACK)).toEqual([]);
  });

  it("project-level config entries follow the CLI's rules: a foreign namespace takes `value` only, an array names its items", () => {
    const config =
      (read(path.join(ROOT, "Pulumi.yaml")) as { config?: Record<string, Record<string, unknown>> }).config ?? {};
    for (const [key, entry] of Object.entries(config)) {
      if (typeof entry !== "object" || entry === null) continue;
      const foreign = key.includes(":") && !key.startsWith("entra-baseline:");
      if (foreign) expect([entry.type, entry.default, entry.value !== undefined]).toEqual([undefined, undefined, true]);
      if (entry.type === "array") expect(entry.items).toBeDefined();
      if (entry.type !== undefined) expect(["string", "integer", "boolean", "array", "object"]).toContain(entry.type);
    }
  });

  it("would have caught the object defaults the generator once wrote into template.config", () => {
    const broken = {
      name: "x",
      runtime: "nodejs",
      template: {
        config: { "entra-baseline:graph": { description: "d", default: { endpoint: "https://graph.microsoft.com" } } },
      },
    };
    expect(mismatches(broken, PROJECT)).toEqual([
      "template.config.entra-baseline:graph.default: expected a Go string, found a map",
    ]);
    expect(mismatches({ name: "x", runtime: { name: "nodejs", typescript: true } }, PROJECT)).toEqual([
      "runtime: expected ProjectRuntimeInfo, found a map",
    ]);
    expect(mismatches({ runtime: "nodejs" }, POLICY_PACK)).toEqual([]);
    expect(mismatches({ version: "1" }, POLICY_PACK)).toEqual(["runtime: required"]);
  });
});
