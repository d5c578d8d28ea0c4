/**
 * A user's Pulumi program as the Pulumi CLI (v3.248.0) finds and loads it, so that `plan --program` runs it under the
 * plan's mocks the way `pulumi preview` runs it for real (facts and sources: docs/library.md):
 *
 * - the project is the nearest Pulumi.yaml: its `name` goes into every URN, `runtime` must be nodejs, `main` picks
 *   the entry (pkg/engine/project.go getPwdMain: a directory runs there; a file runs in its directory), and
 *   `stackConfigDir` holds the stack files;
 * - an entry of "." is resolved like @pulumi/pulumi's cmd/run: package.json `exports` ("." string, or its
 *   default/require/import), else `main`, else the directory itself (index.js, then index.ts);
 * - TypeScript is compiled by ts-node with the tsconfig.json of the directory the program runs in, type-checked unless
 *   PULUMI_NODEJS_TRANSPILE_ONLY or `noCheck` say otherwise — the ts-node and TypeScript that @pulumi/pulumi's own
 *   helpers pick (the program's, else the ones it vendors);
 * - the module is `require`d; if what it exports is a function, it is called and its result is the stack's
 *   outputs (CommonJS semantics of cmd/run: `export = async () => …`).
 *
 * ES-module programs (`"type": "module"`) are refused with a clear message: cmd/run loads them through a loader hook
 * this in-process runner does not reproduce.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { UserInputError } from "../../cli/errors";
import { displayPath } from "../../cli/files";

export interface PulumiProgram {
  /** The directory holding Pulumi.yaml. */
  projectDir: string;
  /** The project's name (Pulumi.yaml `name`): the project segment of every URN. */
  project: string;
  /** Where the program runs (its cwd): relative file reads and tsconfig.json resolve against it. */
  pwd: string;
  /** What is `require`d: a file, or a directory Node resolves (index.js / index.ts). */
  entry: string;
  /** Pulumi.yaml `runtime.options.typescript` (default true). */
  typescript: boolean;
  /** tsconfig path relative to `pwd` (PULUMI_NODEJS_TSCONFIG_PATH, else runtime.options.tsconfig, else tsconfig.json). */
  tsconfig: string;
  /** Where the stack files are (Pulumi.yaml `stackConfigDir`, else the project directory). */
  stackConfigDir: string;
  /** Project-level config values and defaults (Pulumi.yaml `config:`), as full `namespace:key` strings. */
  projectConfig: Record<string, string>;
}

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];

/**
 * The program `target` names: a project directory (its Pulumi.yaml `main` decides the entry), or a file or directory
 * inside a project (that is the entry; the project is the nearest Pulumi.yaml above it).
 */
export function resolveProgram(target: string, env: NodeJS.ProcessEnv = process.env): PulumiProgram {
  const absolute = path.resolve(target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new UserInputError(
      `--program ${target}: no such file or directory (name a Pulumi project directory or its entry file)`,
    );
  }
  const start = stat.isDirectory() ? absolute : path.dirname(absolute);
  const projectFile = findProjectFile(start);
  if (!projectFile)
    throw new UserInputError(
      `--program ${target}: no Pulumi.yaml in ${displayPath(start)} or above it (a program belongs to a Pulumi project)`,
    );
  const projectDir = path.dirname(projectFile);
  const project = readProject(projectFile);

  let pwd: string;
  let main: string;
  if (stat.isDirectory() && absolute === projectDir) [pwd, main] = pwdMain(projectDir, project.main, projectFile);
  else if (stat.isDirectory()) [pwd, main] = [absolute, "."];
  else [pwd, main] = [path.dirname(absolute), path.basename(absolute)];

  const options = project.runtimeOptions;
  requireSameSdk(pwd);
  return {
    projectDir,
    project: project.name,
    pwd,
    entry: main === "." ? packageEntry(pwd) : path.join(pwd, main),
    typescript: options.typescript !== false && options.typescript !== "false",
    tsconfig:
      env.PULUMI_NODEJS_TSCONFIG_PATH ?? (typeof options.tsconfig === "string" ? options.tsconfig : "tsconfig.json"),
    stackConfigDir: path.resolve(projectDir, project.stackConfigDir ?? "."),
    projectConfig: project.config,
  };
}

/**
 * Loads the program: registers TypeScript when it needs it, then `require`s the entry with `pwd` as the process's
 * working directory (restored afterwards by the caller's `restore`). Returns what cmd/run would: the module's
 * exports, or the result of calling them when they are a function.
 */
export function loadProgram(program: PulumiProgram): unknown {
  refuseEsm(program);
  if (program.typescript) registerTypeScript(program);
  const entry =
    isDirectory(program.entry) && !program.entry.endsWith(path.sep) ? program.entry + path.sep : program.entry;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported: unknown = require(entry);
  return typeof exported === "function" ? (exported as () => unknown)() : exported;
}

/** Runs `fn` with the program's directory as the working directory, as the CLI starts it there. */
export async function inProgramDirectory<T>(program: PulumiProgram, fn: () => Promise<T>): Promise<T> {
  const previous = process.cwd();
  process.chdir(program.pwd);
  try {
    return await fn();
  } finally {
    process.chdir(previous);
  }
}

/**
 * The program must resolve the very @pulumi/pulumi this runner set its mocks on: the SDK's runtime state is per copy,
 * so a program on another copy (a globally installed entra-baseline planning a project with its own node_modules)
 * would register its resources with an engine that is not there.
 */
function requireSameSdk(pwd: string): void {
  const ours = fs.realpathSync(require.resolve("@pulumi/pulumi/package.json"));
  let theirs: string;
  try {
    theirs = fs.realpathSync(require.resolve("@pulumi/pulumi/package.json", { paths: [pwd] }));
  } catch {
    throw new UserInputError(
      `${displayPath(pwd)}: @pulumi/pulumi is not installed for this program (run npm install in its project)`,
    );
  }
  if (theirs !== ours)
    throw new UserInputError(
      `${displayPath(pwd)} uses @pulumi/pulumi from ${path.dirname(theirs)}, and this plan runs on ${path.dirname(ours)}: run the entra-baseline installed in the program's own node_modules (npx entra-baseline …), so that one SDK runs both`,
    );
}

function findProjectFile(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    const found = PROJECT_FILES.map((f) => path.join(current, f)).find((f) => fs.existsSync(f));
    if (found) return found;
    if (path.dirname(current) === current) return undefined;
  }
}

interface ProjectFile {
  name: string;
  main?: string;
  stackConfigDir?: string;
  runtimeOptions: Record<string, unknown>;
  config: Record<string, string>;
}

function readProject(file: string): ProjectFile {
  const where = displayPath(file);
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UserInputError(`${where}: cannot be read as YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!isRecord(doc))
    throw new UserInputError(`${where}: is not a Pulumi project file (a YAML map with name: and runtime:)`);
  if (typeof doc.name !== "string" || doc.name === "")
    throw new UserInputError(`${where}: has no project name (name:)`);
  const runtime = doc.runtime;
  const runtimeName = typeof runtime === "string" ? runtime : isRecord(runtime) ? runtime.name : undefined;
  if (runtimeName !== "nodejs")
    throw new UserInputError(
      `${where}: runtime is ${JSON.stringify(runtimeName ?? null)}; the plan runs nodejs programs (TypeScript or JavaScript) only`,
    );
  const options = isRecord(runtime) && isRecord(runtime.options) ? runtime.options : {};
  return {
    name: doc.name,
    main: typeof doc.main === "string" && doc.main !== "" ? doc.main : undefined,
    stackConfigDir:
      typeof doc.stackConfigDir === "string" && doc.stackConfigDir !== "" ? doc.stackConfigDir : undefined,
    runtimeOptions: options,
    config: projectConfig(doc.config, doc.name),
  };
}

/** pkg/engine/project.go getPwdMain: no main runs the root; a directory runs there; a file runs in its directory. */
function pwdMain(root: string, main: string | undefined, projectFile: string): [string, string] {
  if (main === undefined) return [root, "."];
  const joined = path.resolve(root, main);
  if (!fs.existsSync(joined))
    throw new UserInputError(`${displayPath(projectFile)}: project 'main' could not be read: ${main} does not exist`);
  return isDirectory(joined) ? [joined, "."] : [path.dirname(joined), path.basename(joined)];
}

/** cmd/run's entry for ".": package.json `exports`, else `main` (when the file exists), else the directory. */
function packageEntry(pwd: string): string {
  const root = packageRoot(pwd);
  const pkg = root ? readPackageJson(root) : undefined;
  if (!root || !pkg) return pwd;
  const exported = pkg.exports;
  let named: unknown;
  if (typeof exported === "string") named = exported;
  else if (isRecord(exported)) {
    const main = exported["."];
    named = isRecord(main) ? (main.default ?? main.require ?? main.import) : main;
  } else named = pkg.main;
  if (typeof named !== "string") return pwd;
  const file = path.join(root, named);
  return fs.existsSync(file) ? file : pwd;
}

function packageRoot(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, "package.json"))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

function readPackageJson(dir: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function refuseEsm(program: PulumiProgram): void {
  const root = packageRoot(program.pwd);
  if (root && readPackageJson(root)?.type === "module")
    throw new UserInputError(
      `${displayPath(path.join(root, "package.json"))}: "type": "module" programs cannot be planned offline yet (the plan runs CommonJS programs, TypeScript or JavaScript)`,
    );
}

interface TsUtils {
  typeScriptRequireStrings(): { tsnodeRequire: string; typescriptRequire: string };
  loadTypeScriptCompilerOptions(tsConfigPath: string): Record<string, unknown>;
}

/**
 * ts-node registered as @pulumi/pulumi's cmd/run registers it for a CommonJS program. Skipped when `.ts` files
 * already load (this repository's commands run under tsx, which compiles them without type-checking).
 */
function registerTypeScript(program: PulumiProgram): void {
  if (require.extensions[".ts"]) return;
  // @pulumi/pulumi's own helpers, so the choice of ts-node and TypeScript is the CLI's, version for version.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsutils = require("@pulumi/pulumi/tsutils") as TsUtils;
  const tsconfig = path.resolve(program.pwd, program.tsconfig);
  const skipProject = !fs.existsSync(tsconfig);
  if (skipProject && program.tsconfig !== "tsconfig.json")
    throw new UserInputError(`tsconfig path was set to ${program.tsconfig} but the file was not found`);
  const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsconfig);
  const transpileOnlyEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
  const transpileOnly = transpileOnlyEnv ? transpileOnlyEnv === "true" : compilerOptions.noCheck;
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require(typescriptRequire) as { version: string };
  const [major = 0, minor = 0] = ts.version.split(".").map(Number);
  const nodeNext = major > 4 || (major === 4 && minor >= 7);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tsNode = require(tsnodeRequire) as { register(options: Record<string, unknown>): void };
  tsNode.register({
    compiler: typescriptRequire,
    transpileOnly,
    project: tsconfig,
    skipProject,
    compilerOptions: {
      target: "ES2020",
      module: nodeNext ? "nodenext" : "commonjs",
      moduleResolution: nodeNext ? "nodenext" : "node",
      sourceMap: "true",
      ...compilerOptions,
    },
  });
}

/**
 * Pulumi.yaml `config:` as the engine gives it to the program before the stack file's values: a shorthand value or a
 * declaration's `value`/`default`, under the project's namespace unless the key names its own.
 */
function projectConfig(config: unknown, project: string): Record<string, string> {
  if (!isRecord(config)) return {};
  const out: Record<string, string> = {};
  for (const [key, declared] of Object.entries(config)) {
    const value = isRecord(declared) ? (declared.value ?? declared.default) : declared;
    if (value === undefined || value === null) continue;
    out[namespacedKey(key, project)] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

/** A config key as the engine passes it: `key` without a namespace belongs to the project. */
export function namespacedKey(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
