/**
 * Reads a stack file (`Pulumi.<stack>.yaml`) the way the Pulumi CLI hands its `config:` to a program: our
 * `entra-baseline:` keys become the raw values that `validateConfig` checks; other namespaces (e.g.
 * `azure-native:location`) pass through as the strings the engine would set.
 *
 * `secure:` values are ciphertext only the Pulumi CLI's secrets provider can decrypt. A webhook URL of ours may be
 * one (it often embeds a token, and the program keeps it secret): it is replaced by a stand-in URL, shown as
 * `[secret]` like every secret. Any other of ours is an error (the plan would otherwise validate and render a
 * program without it); one of another namespace is left out.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, YAMLParseError } from "yaml";
import { UserInputError } from "../cli/errors";
import { displayPath } from "../cli/files";
import { CONFIG_KEYS } from "./schema";
import { CONFIG_NAMESPACE, formatPath, type ConfigIssue } from "./validate";

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
export class StackFileError extends UserInputError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${displayPath(file)}: ${problem}`);
  }
}

export function stackFilePath(cwd: string, stack: string): string {
  return path.resolve(cwd, `Pulumi.${stack}.yaml`);
}

/** The stacks whose files are in `cwd` (`Pulumi.<stack>.yaml`), sorted; a missing directory is a StackFileError. */
export function stackNames(cwd: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(cwd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StackFileError(
      cwd,
      code === "ENOTDIR"
        ? "is not a directory (--cwd names the project directory)"
        : "no such directory (--cwd names the project directory)",
    );
  }
  return entries
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * The stack a command works on: the one named, else the only stack file in `cwd`. With several and none named the
 * command cannot guess (it might audit or plan the wrong tenant), so it asks for --stack.
 */
export function resolveStackName(cwd: string, stack: string | undefined): string {
  if (stack !== undefined) return stack;
  const stacks = stackNames(cwd);
  if (stacks.length === 1) return stacks[0]!;
  if (stacks.length === 0)
    throw new StackFileError(
      cwd,
      "has no Pulumi.<stack>.yaml: pass --cwd with the project directory, or create the stack file",
    );
  throw new StackFileError(
    cwd,
    `has ${stacks.length} stack files (${stacks.map((s) => `Pulumi.${s}.yaml`).join(", ")}): say which with --stack ${stacks.map((s) => s).join(" | --stack ")}`,
  );
}

/** Paths of ours that may hold an encrypted value, and the stand-in the plan validates in its place. */
const ENCRYPTABLE: { path: RegExp; standIn: string }[] = [
  { path: /^monitoring\.actionGroup\.webhooks\[\d+\]$/, standIn: "https://encrypted-webhook.invalid/" },
];

/** What the Pulumi CLI's stack files hold at the top level (anything else is most likely a misspelt `config:`). */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

export function readStackFile(cwd: string, stack: string): StackFile {
  const file = stackFilePath(cwd, stack);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw missingStackFile(cwd, stack, file);
    throw new StackFileError(file, code === "EISDIR" ? "is a directory, not a stack file" : (e as Error).message);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new StackFileError(file, yamlProblem(e, text));
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isRecord(doc)) throw new StackFileError(file, "is not a YAML map (a stack file has a top-level config: map)");
  const strange = Object.keys(doc).filter((k) => !STACK_FILE_KEYS.includes(k));
  if (doc.config === undefined && strange.length > 0) {
    throw new StackFileError(
      file,
      `has no config: map (found ${strange.map((k) => `${k}:`).join(", ")}; the stack's keys go under config:)`,
    );
  }
  const config = doc.config ?? {};
  if (!isRecord(config)) throw new StackFileError(file, "config: is not a map of namespace:key to value");

  const raw: Record<string, unknown> = {};
  const passthrough: Record<string, string> = {};
  const errors: ConfigIssue[] = [];
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, value] of Object.entries(config)) {
    if (fullKey.startsWith(prefix)) {
      const key = fullKey.slice(prefix.length).replace(/^config:/, "");
      let ours = value;
      for (const p of securePaths(value, [key])) {
        const at = formatPath(p);
        const encryptable = ENCRYPTABLE.find((e) => e.path.test(at));
        if (encryptable) {
          ours = replaceAt(ours, p.slice(1), encryptable.standIn);
          continue;
        }
        errors.push({
          path: at,
          message:
            "is an encrypted secure: value, which cannot be decrypted here (that needs the Pulumi CLI and the stack's secrets provider); " +
            "this key holds no secret, so set it in clear text (of the project's keys only monitoring.actionGroup.webhooks[i] may be encrypted)",
        });
      }
      raw[key] = ours;
    } else if (misplaced(fullKey)) {
      const [namespace, key] = misplaced(fullKey)!;
      errors.push({
        path: key,
        message: namespace
          ? `is set as ${fullKey}, in namespace "${namespace}": the project's keys are ${prefix}${key} (rename the key)`
          : `is set as ${fullKey}, without a namespace: write ${prefix}${key}`,
      });
    } else if (securePaths(value, []).length === 0) {
      passthrough[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { path: file, stack, raw, passthrough, errors };
}

/**
 * A stack key meant to be one of ours but not read as such: one of our keys without a namespace, or under a
 * namespace a few typos away from ours (`entra-baselin:pim`). Returns [namespace, key].
 */
function misplaced(fullKey: string): [string, string] | undefined {
  const colon = fullKey.lastIndexOf(":");
  const namespace = colon < 0 ? "" : fullKey.slice(0, colon);
  const key = fullKey.slice(colon + 1);
  if (!(CONFIG_KEYS as string[]).includes(key)) return undefined;
  if (
    namespace === "" ||
    (namespace !== CONFIG_NAMESPACE && editDistance(namespace.toLowerCase(), CONFIG_NAMESPACE) <= 3)
  )
    return [namespace, key];
  return undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** "no such stack file", with the stack files that do exist there (or that there are none: a wrong --cwd). */
function missingStackFile(cwd: string, stack: string, file: string): StackFileError {
  let stacks: string[];
  try {
    stacks = stackNames(cwd);
  } catch (e) {
    return e as StackFileError;
  }
  const found =
    stacks.length > 0
      ? `stack files here: ${stacks.map((s) => `Pulumi.${s}.yaml (--stack ${s})`).join(", ")}`
      : "no Pulumi.<stack>.yaml here: pass --cwd with the project directory";
  return new StackFileError(file, `no such stack file (stack "${stack}" reads Pulumi.${stack}.yaml); ${found}`);
}

/** A YAML error as "line L, column C: problem" with the offending line, from the parser's own position. */
function yamlProblem(e: unknown, text: string): string {
  const message = (e as Error).message.split(" at line ")[0]!.split("\n")[0]!;
  const at = e instanceof YAMLParseError ? e.linePos?.[0] : undefined;
  if (!at) return `is not valid YAML: ${message}`;
  const line = text.split(/\r?\n/)[at.line - 1] ?? "";
  const gutter = `  ${at.line} | `;
  return `is not valid YAML: line ${at.line}, column ${at.col}: ${message}\n${gutter}${line}\n${" ".repeat(gutter.length + at.col - 1)}^`;
}

/** `value` with the element at `at` replaced (copies along the path; the parsed document stays as read). */
function replaceAt(value: unknown, at: PropertyKey[], replacement: unknown): unknown {
  if (at.length === 0) return replacement;
  const [head, ...rest] = at;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, replacement) : v));
  if (isRecord(value)) return { ...value, [head as string]: replaceAt(value[head as string], rest, replacement) };
  return value;
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
