/**
 * Reads a stack file (`Pulumi.<stack>.yaml`) the way the Pulumi CLI hands its `config:` to a program: our
 * `entra-baseline:` keys become the raw values that `validateConfig` checks; other namespaces (e.g.
 * `azure-native:location`) pass through as the strings the engine would set.
 *
 * `secure:` values are ciphertext only the Pulumi CLI's secrets provider can decrypt. One of ours is an error
 * (the plan would otherwise validate and render a program without it); one of another namespace is left out.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, formatPath, type ConfigIssue } from "../config";

export interface StackFile {
  /** Absolute path of the file read. */
  path: string;
  stack: string;
  /** Our keys without the namespace (`pim`, `breakglass`, …), as parsed from YAML. */
  raw: Record<string, unknown>;
  /** Other namespaces' keys (`namespace:key`) as the strings a program receives. */
  passthrough: Record<string, string>;
  /** Problems with our keys that only the file shows (encrypted values). */
  errors: ConfigIssue[];
}

/** The file is missing or is not a stack file at all. */
export class StackFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "StackFileError";
  }
}

export function stackFilePath(cwd: string, stack: string): string {
  return path.resolve(cwd, `Pulumi.${stack}.yaml`);
}

export function readStackFile(cwd: string, stack: string): StackFile {
  const file = stackFilePath(cwd, stack);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StackFileError(file, code === "ENOENT" ? `no such stack file (stack "${stack}" reads Pulumi.${stack}.yaml)` : (e as Error).message);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new StackFileError(file, `is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isRecord(doc)) throw new StackFileError(file, "is not a YAML map (a stack file has a top-level config: map)");
  const config = doc.config ?? {};
  if (!isRecord(config)) throw new StackFileError(file, "config: is not a map of namespace:key to value");

  const raw: Record<string, unknown> = {};
  const passthrough: Record<string, string> = {};
  const errors: ConfigIssue[] = [];
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, value] of Object.entries(config)) {
    if (fullKey.startsWith(prefix)) {
      const key = fullKey.slice(prefix.length).replace(/^config:/, "");
      const secure = securePaths(value, [key]);
      for (const p of secure) {
        errors.push({
          path: formatPath(p),
          message: `is an encrypted secure: value, which npm run plan cannot decrypt offline (no Pulumi CLI or secrets provider here); the project's keys hold no secrets, so set it in clear text`,
        });
      }
      raw[key] = value;
    } else if (securePaths(value, []).length === 0) {
      passthrough[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { path: file, stack, raw, passthrough, errors };
}

/** Key paths of every `{secure: "..."}` value inside `value`. */
function securePaths(value: unknown, at: PropertyKey[]): PropertyKey[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => securePaths(v, [...at, i]));
  if (!isRecord(value)) return [];
  if (Object.keys(value).length === 1 && typeof value.secure === "string") return [at];
  return Object.entries(value).flatMap(([k, v]) => securePaths(v, [...at, k]));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
