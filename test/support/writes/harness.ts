/**
 * Runs the write commands in-process against the brownfield fake tenant, through their real entry points (the CLI's
 * `main`, the stack file on disk, the production credential chain with only `az` faked, the production Graph client
 * with short backoff steps so that faults cost milliseconds).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DefaultAzureCredential } from "@azure/identity";
import { memoryIo } from "../../../src/cli/io";
import { runCommand, type CommandMain } from "../../../src/cli/run";
import { createGraphClient } from "../../../src/graph/client";
import type { WriteRunDeps } from "../../../src/tools/writes/run";
import type { WriteReport } from "../../../src/tools/writes/report";
import { useFakeAzureCli } from "../fakes/azureCli";
import { loopbackGraphTarget } from "../fakes/loopbackGraph";
import {
  brownfieldConfig,
  brownfieldTenant,
  deployerToken,
  TENANT_ID,
  writeBrownfieldStack,
  type Brownfield,
  type BrownfieldOptions,
} from "../fakes/rolloutTenant";
import { startFakeTenant, type FakeTenant } from "../fakes/tenant";
import { installTenantWrites, type FakeTenantWrites } from "../fakes/tenantWrites";

export type WriteMain = (argv: string[], io: ReturnType<typeof memoryIo>, deps?: WriteRunDeps) => Promise<number>;

export interface RunResult {
  code: number;
  out: string;
  err: string;
  /** The report, when --json was passed and the command printed one. */
  report?: WriteReport;
}

export interface BrownfieldHarness {
  dir: string;
  stack: string;
  tenant: FakeTenant;
  writes: FakeTenantWrites;
  brownfield: Brownfield;
  /** Signs the fake `az` in with this token (an unsigned JWT, or any string). */
  signIn(token: string): void;
  run(main: WriteMain, argv: string[], options?: { timeoutMs?: number; maxRetries?: number }): Promise<RunResult>;
  close(): Promise<void>;
}

export async function startBrownfield(options: BrownfieldOptions = {}): Promise<BrownfieldHarness> {
  const restoreCli = useFakeAzureCli();
  const savedToken = process.env.FAKE_AZ_TOKEN;
  const brownfield = brownfieldTenant(brownfieldConfig(options), options);
  const tenant = await startFakeTenant(brownfield.data);
  const writes = installTenantWrites(tenant, TENANT_ID);
  writes.registrations = brownfield.registrations;
  for (const id of brownfield.managedPolicies) writes.managedPolicies.add(id);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "entra-baseline-writes-"));
  const stack = writeBrownfieldStack(dir, { ...options, graphUrl: tenant.graph.url });
  const signIn = (token: string) => {
    process.env.FAKE_AZ_TOKEN = token;
    tenant.graph.expectedToken = token;
    tenant.arm.expectedToken = token;
  };
  signIn(deployerToken());
  return {
    dir,
    stack,
    tenant,
    writes,
    brownfield,
    signIn,
    async run(main, argv, o = {}) {
      const io = memoryIo({ cwd: dir, env: { ...process.env } });
      const credential = new DefaultAzureCredential();
      const deps: WriteRunDeps = {
        credential,
        graph: createGraphClient(loopbackGraphTarget(tenant.graph.url, TENANT_ID), {
          credential,
          retryBaseDelayMs: 10,
          maxRetryDelayMs: 100,
          timeoutMs: o.timeoutMs ?? 5_000,
          ...(o.maxRetries !== undefined ? { maxRetries: o.maxRetries } : {}),
        }),
        readBackDelaysMs: [20, 50],
      };
      const code = await runCommand((a, i) => main(a, i as ReturnType<typeof memoryIo>, deps), argv, io);
      let report: WriteReport | undefined;
      if (argv.includes("--json") && io.out.trim().startsWith("{")) report = JSON.parse(io.out) as WriteReport;
      return { code, out: io.out, err: io.err, ...(report ? { report } : {}) };
    },
    async close() {
      await tenant.close();
      fs.rmSync(dir, { recursive: true, force: true });
      if (savedToken === undefined) delete process.env.FAKE_AZ_TOKEN;
      else process.env.FAKE_AZ_TOKEN = savedToken;
      restoreCli();
    },
  };
}

/** The journal files the runs wrote into the harness directory. */
export function journalsIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => path.join(dir, f));
}

export type { CommandMain };
