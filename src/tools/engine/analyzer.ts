/**
 * Drives the real CrossGuard policy pack over its analyzer gRPC protocol, exactly as the Pulumi engine does
 * (GetAnalyzerInfo → Configure → Analyze per resource → AnalyzeStack), so that `npm run plan`, `npm run check`
 * and the tests exercise the same code path as `pulumi preview --policy-pack policies`.
 *
 * The pack is a child process started in the pack directory (`new PolicyPack()` reads its `package.json` from the
 * cwd) on the file its `package.json` `main` names, as the CLI's run-policy-pack `require`s it: this repository's
 * policies/ from TypeScript (`node --import tsx index.ts`), the published @entra-baseline/policy-pack from its
 * compiled JavaScript (`node index.js`). It prints its port on stdout. Every step has a deadline; on any failure
 * the child is killed and its stderr is part of the error.
 *
 * Secrets: a property value may be a plain value or a Pulumi secret signature object
 * (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`), which is what the engine
 * sends; the pack unwraps it. A secret without a `value` (a `pulumi stack export` holds only `ciphertext`) is sent
 * with the placeholder value `"[secret]"`: no rule reads a secret's value (the password rule checks where the
 * password comes from, via `propertyDependencies`, not what it is).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { RunFailure } from "../../cli/errors";
// The generated protobuf modules ship as CommonJS without types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** What a secret whose value is not available (encrypted state) is sent as. */
export const SECRET_PLACEHOLDER = "[secret]";

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  /** false for components (the engine analyzes custom resources only, so they are not sent). */
  custom: boolean;
  inputs: Record<string, unknown>;
  /** Present for deployed resources (and mocked plans); AnalyzeStack gets outputs when present, as the engine does. */
  outputs?: Record<string, unknown>;
  protect: boolean;
  retainOnDelete?: boolean;
  dependencies: string[];
  /** Top-level input property name → URNs of the resources its value came from. */
  propertyDependencies: Record<string, string[]>;
  /** Provider reference `urn::id`, informational. */
  provider?: string;
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface PackViolation {
  policyName: string;
  policyPackName: string;
  enforcementLevel: EnforcementLevel;
  message: string;
  urn?: string;
  resourceName?: string;
  description?: string;
}

export interface PackPolicyInfo {
  name: string;
  enforcementLevel: string;
  description: string;
  /** Top-level config properties with their JSON-schema (including `default`). */
  configSchema?: Record<string, unknown>;
}

export interface PackRun {
  info: { name?: string; version?: string; policies: PackPolicyInfo[] };
  violations: PackViolation[];
}

export interface AnalyzeOptions {
  /** Directory holding PulumiPolicy.yaml, package.json and the pack's entry. Default: defaultPackDir(). */
  packDir?: string;
  /** Deadline for the pack to print its port. Default 30 s (start-up is ≈ 1 s; CI machines are slow). */
  startTimeoutMs?: number;
  /** Deadline per RPC. Default 60 s. */
  rpcTimeoutMs?: number;
  /** Skip the per-resource Analyze calls (AnalyzeStack only), e.g. for the benchmark. Default false. */
  stackOnly?: boolean;
  /** Called with the pack's pid once it is up (the benchmark samples its memory). */
  onStarted?: (pid: number) => void;
  /** Called with the wall time of each step, in milliseconds (the benchmark prints them). */
  onTiming?: (step: "start" | "configure" | "analyze" | "analyzeStack", ms: number) => void;
}

/**
 * The pack the commands run: the package @entra-baseline/policy-pack as Node resolves it from here. In this
 * repository that is the workspace policies/ (linked into node_modules); where the library is installed, the
 * published package beside it. One lookup, so both run the pack a user's `--policy-pack` would name.
 */
export function defaultPackDir(): string {
  return path.dirname(require.resolve("@entra-baseline/policy-pack/package.json"));
}

/**
 * The file the pack starts from, as `require(<pack dir>)` in the CLI's run-policy-pack finds it: package.json
 * `main`, else index.js, else index.ts (the directory of a pack under test may have no package.json).
 */
export function packEntry(packDir: string): string {
  let main: string | undefined;
  try {
    main = (JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { main?: string }).main;
  } catch {
    main = undefined;
  }
  const candidates = main ? [main, `${main}.js`, `${main}.ts`, path.join(main, "index.js")] : ["index.js", "index.ts"];
  return candidates.find((c) => fs.existsSync(path.join(packDir, c))) ?? main ?? "index.js";
}

/**
 * A pack in TypeScript (this repository's policies/) runs through tsx's loader, resolved from this package rather
 * than from the pack directory: ≈ 1 s to the port, against ≈ 3.4 s through ts-node. tsx is a development
 * dependency, so it is looked up only for such a pack; a published pack is JavaScript and runs on plain node.
 */
function launchArgs(entry: string): string[] {
  if (!/\.[cm]?ts$/.test(entry)) return [entry];
  const loader = path.join(path.dirname(require.resolve("tsx/package.json")), "dist/loader.mjs");
  return ["--import", pathToFileURL(loader).href, entry];
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const LEVEL_CODES: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

export class PackError extends RunFailure {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(stderr.trim() ? `${message}\n--- policy pack stderr ---\n${stderr.trim()}` : message);
  }
}

/**
 * Runs the pack over `resources` with `packConfig` (policy name → config; an `enforcementLevel` key overrides the
 * policy's level). Config values missing from `packConfig` get the defaults of each policy's configSchema, as the
 * Pulumi CLI does. Component resources are not sent (the engine never analyzes them).
 * `resources` may still be coming: the pack starts and is configured meanwhile (the plan overlaps the pack's
 * start-up with running the program).
 */
export async function analyzeWithPack(
  resources: PlannedResource[] | Promise<PlannedResource[]>,
  packConfig: Record<string, unknown>,
  opts: AnalyzeOptions = {},
): Promise<PackRun> {
  const pending = Promise.resolve(resources);
  pending.catch(() => undefined); // awaited by analyze; a failure must not count as unhandled while the pack starts
  const started = Date.now();
  const session = await openPack(opts);
  opts.onTiming?.("start", Date.now() - started);
  try {
    return await session.analyze(pending, packConfig, opts);
  } finally {
    session.close();
  }
}

/** A running pack that analyzes one stack after another, each with its own Configure (as one engine run does once). */
export interface PackSession {
  info: PackRun["info"];
  analyze(
    resources: PlannedResource[] | Promise<PlannedResource[]>,
    packConfig: Record<string, unknown>,
    opts?: Pick<AnalyzeOptions, "stackOnly" | "onTiming">,
  ): Promise<PackRun>;
  close(): void;
}

/** Starts the pack and reads its GetAnalyzerInfo. Close the session when done: it kills the pack. */
export async function openPack(opts: Omit<AnalyzeOptions, "stackOnly" | "onTiming"> = {}): Promise<PackSession> {
  const packDir = opts.packDir ?? defaultPackDir();
  const rpcTimeoutMs = opts.rpcTimeoutMs ?? 60_000;
  const pack = await startPack(packDir, opts.startTimeoutMs ?? 30_000);
  opts.onStarted?.(pack.child.pid!);
  const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
    "grpc.max_send_message_length": -1,
    "grpc.max_receive_message_length": -1,
  });
  const close = () => {
    client.close();
    pack.stop();
  };
  const diedDuring = (method: string): Promise<never> => {
    const died = pack.exited.then((): never => {
      throw new PackError(`policy pack exited during ${method}`, pack.stderr());
    });
    died.catch(() => undefined); // observed by the race; the pack is killed when the session closes
    return died;
  };
  const call = <T>(method: string, request: unknown): Promise<T> =>
    Promise.race([
      new Promise<T>((resolve, reject) => {
        client[method](request, { deadline: Date.now() + rpcTimeoutMs }, (err: grpc.ServiceError | null, res: T) =>
          err
            ? reject(new PackError(`policy pack ${method} failed: ${err.details || err.message}`, pack.stderr()))
            : resolve(res),
        );
      }),
      diedDuring(method),
    ]);
  let info: PackRun["info"];
  try {
    info = readInfo(await call<any>("getAnalyzerInfo", new Empty()));
  } catch (e) {
    close();
    throw e;
  }

  const analyze: PackSession["analyze"] = async (resources, packConfig, runOpts = {}) => {
    let t = Date.now();
    const lap = (step: Parameters<NonNullable<AnalyzeOptions["onTiming"]>>[0]) => {
      const now = Date.now();
      runOpts.onTiming?.(step, now - t);
      t = now;
    };
    await call("configure", configureRequest(info.policies, packConfig));
    lap("configure");
    const custom = (await resources).filter((r) => r.custom);
    const violations: PackViolation[] = [];
    if (!runOpts.stackOnly) {
      // The engine analyzes resources one by one; a bounded number in flight keeps large stacks quick.
      const inFlight = 32;
      for (let i = 0; i < custom.length; i += inFlight) {
        const batch = custom.slice(i, i + inFlight);
        const responses = await Promise.all(batch.map((r) => call<any>("analyze", analyzeRequest(r))));
        for (const res of responses) violations.push(...readDiagnostics(res, info.name));
      }
    }
    lap("analyze");
    const stackReq = new analyzerPb.AnalyzeStackRequest();
    stackReq.setResourcesList(custom.map(analyzerResource));
    violations.push(...readDiagnostics(await call<any>("analyzeStack", stackReq), info.name));
    lap("analyzeStack");
    return { info, violations };
  };
  return { info, analyze, close };
}

export interface RunningPack {
  child: ChildProcess;
  port: number;
  stderr(): string;
  exited: Promise<void>;
  stop(): void;
}

/**
 * Starts the pack and waits for the port line. The deadline cannot be tripped by this process being busy: while a
 * program compiles synchronously (ts-node type-checking a user's program) the event loop reads nothing, and a timer
 * that fires once it is free would otherwise beat the port line that has long been waiting in the pipe. So an
 * expired deadline first lets pending I/O be read (setImmediate runs after the poll phase), then gives up.
 */
export function startPack(packDir: string, timeoutMs: number): Promise<RunningPack> {
  const child = spawn(process.execPath, launchArgs(packEntry(packDir)), {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  let stderr = "";
  let stdout = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    if (stderr.length < 64_000) stderr += d;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: PackError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        setImmediate(() =>
          fail(new PackError(`policy pack in ${packDir} did not report its port within ${timeoutMs} ms`, stderr)),
        ),
      timeoutMs,
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(
        new PackError(
          `policy pack in ${packDir} exited (${signal ?? `code ${code}`}) before reporting its port`,
          stderr,
        ),
      );
    child.once("error", (e) =>
      fail(new PackError(`could not start the policy pack in ${packDir}: ${e.message}`, stderr)),
    );
    child.once("exit", onExit);
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const m = /^(\d+)\s*$/m.exec(stdout);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        child.off("exit", onExit); // `exited` keeps its own listener: a pack that dies later is still noticed
        resolve({ child, port: Number(m[1]), stderr: () => stderr, exited, stop });
      }
    });
  });
}

function readInfo(msg: any): PackRun["info"] {
  return {
    name: msg.getName(),
    version: msg.getVersion(),
    policies: msg.getPoliciesList().map((p: any) => {
      const schema = p.getConfigschema();
      return {
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
        configSchema: schema?.getProperties()?.toJavaScript(),
      } satisfies PackPolicyInfo;
    }),
  };
}

function configureRequest(policies: PackPolicyInfo[], packConfig: Record<string, unknown>): unknown {
  const known = new Set(policies.map((p) => p.name));
  const unknown = Object.keys(packConfig).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new PackError(
      `pack config names unknown policies: ${unknown.join(", ")} (known: ${[...known].join(", ")})`,
      "",
    );
  }
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  const map = req.getPolicyconfigMap();
  for (const policy of policies) {
    const given = (packConfig[policy.name] ?? {}) as Record<string, unknown>;
    const { enforcementLevel, ...props } = given;
    const level = (enforcementLevel ?? policy.enforcementLevel) as EnforcementLevel;
    if (!LEVELS.includes(level))
      throw new PackError(`pack config for ${policy.name}: unknown enforcementLevel ${JSON.stringify(level)}`, "");
    // The Pulumi CLI fills in schema defaults before Configure; do the same so both paths see one config.
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema ?? {})) {
      const d = (schema as { default?: unknown })?.default;
      if (d !== undefined) defaults[key] = d;
    }
    const pc = new analyzerPb.PolicyConfig();
    pc.setEnforcementlevel(LEVEL_CODES[level]);
    pc.setProperties(Struct.fromJavaScript(toWire({ ...defaults, ...props })));
    map.set(policy.name, pc);
  }
  return req;
}

function resourceOptions(r: PlannedResource): unknown {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.protect);
  o.setIgnorechangesList([]);
  o.setAdditionalsecretoutputsList([]);
  o.setAliasesList([]);
  if (r.parent) o.setParent(r.parent);
  return o;
}

interface ResourceMessage {
  setType(type: string): void;
  setUrn(urn: string): void;
  setName(name: string): void;
  setProperties(properties: unknown): void;
  setOptions(options: unknown): void;
}

/** What an AnalyzeRequest and a stack's AnalyzerResource both carry: identity, properties and options. */
function resourceMessage<M extends ResourceMessage>(
  message: M,
  r: PlannedResource,
  properties: Record<string, unknown>,
): M {
  message.setType(r.type);
  message.setUrn(r.urn);
  message.setName(r.name);
  message.setProperties(Struct.fromJavaScript(toWire(properties)));
  message.setOptions(resourceOptions(r));
  return message;
}

/** Analyze sees a resource's inputs, as the engine sends them before the resource is created or updated. */
function analyzeRequest(r: PlannedResource): unknown {
  return resourceMessage(new analyzerPb.AnalyzeRequest(), r, r.inputs);
}

function analyzerResource(r: PlannedResource): unknown {
  const res = resourceMessage(new analyzerPb.AnalyzerResource(), r, r.outputs ?? r.inputs);
  if (r.parent) res.setParent(r.parent);
  res.setDependenciesList(r.dependencies);
  const deps = res.getPropertydependenciesMap();
  for (const [prop, urns] of Object.entries(r.propertyDependencies)) {
    const d = new analyzerPb.AnalyzerPropertyDependencies();
    d.setUrnsList(urns);
    deps.set(prop, d);
  }
  return res;
}

function readDiagnostics(res: any, packName: string | undefined): PackViolation[] {
  return res.getDiagnosticsList().map((d: any) => {
    const urn: string = d.getUrn();
    const description: string = d.getDescription();
    // The pack prefixes each message with the policy description; keep only what this violation says.
    const full: string = d.getMessage();
    const message = description && full.startsWith(`${description}\n`) ? full.slice(description.length + 1) : full;
    return {
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname() || packName || "",
      enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
      message,
      description: description || undefined,
      urn: urn || undefined,
      resourceName: urn ? resourceNameOf(urn) : undefined,
    } satisfies PackViolation;
  });
}

/** The resource name is the last `::` segment of a URN. */
export function resourceNameOf(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/**
 * Makes a property bag safe for `Struct.fromJavaScript`: drops `undefined`, and gives encrypted secrets a
 * placeholder value (the pack's deserializer requires `value` on every secret).
 */
export function toWire(value: unknown): any {
  if (value === null || typeof value !== "object") return value === undefined ? null : value;
  if (Array.isArray(value)) return value.map((v) => toWire(v));
  const obj = value as Record<string, unknown>;
  if (obj[SECRET_SIG_KEY] === SECRET_SIG) {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value: "value" in obj ? toWire(obj.value) : SECRET_PLACEHOLDER };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = toWire(v);
  return out;
}
