/**
 * The real pack over its analyzer gRPC protocol (GetAnalyzerInfo → Configure → Analyze → AnalyzeStack), as the
 * Pulumi engine drives it. Start-up costs ≈ 1 s, so the tests that are not about start-up share one pack process
 * (each analysis sends its own Configure, which replaces the previous config, as in the pack's server).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_POLICY_NAMES, GLOBAL_ADMINISTRATOR, policyNames, providerTypes } from "@entra-baseline/model";
import {
  analyzeWithPack,
  openPack,
  packEntry,
  startPack,
  type PackSession,
  type PlannedResource,
} from "../../src/tools/engine/analyzer";
import { mutate } from "../support/pack/harness";
import { worldConfig } from "../support/world/config";
import {
  byName,
  idOf,
  resource,
  untypedResource,
  worldPackConfig,
  worldStack,
  type Mode,
} from "../support/world/stack";

// The world's compliant stack and the pack config `npm run plan` derives for it (test/support/world).
const config = worldConfig();
const PACK_CONFIG = worldPackConfig(config);
const compliantStack = ({ mode }: { mode: Mode }) => worldStack(config, mode);
/** The one verdict the compliant world gets: its activation strength is plain MFA, which the pack advises against. */
const ADVISORY = "baseline-advisories advisory (stack)";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const summary = (v: { policyName: string; enforcementLevel: string; resourceName?: string }[]) =>
  v.map((x) => `${x.policyName} ${x.enforcementLevel} ${x.resourceName ?? "(stack)"}`);

let pack: PackSession;
beforeAll(async () => {
  pack = await openPack();
}, 60_000);
afterAll(() => pack?.close());

describe("one pack over the protocol", () => {
  it("lists every rule with its enforcement level, and passes the compliant stack at update and preview time", async () => {
    const run = await pack.analyze(compliantStack({ mode: "update" }), PACK_CONFIG);
    expect(run.info.policies.map((p) => [p.name, p.enforcementLevel])).toEqual(
      ALL_POLICY_NAMES.map((n) => [n, n === policyNames.advisories ? "advisory" : "mandatory"]),
    );
    expect(run.info.policies.every((p) => p.description.length > 0)).toBe(true);
    expect(summary(run.violations)).toEqual([ADVISORY]);
    expect(run.violations[0]!.message).toContain("Tier-0 activation (pim.activationStrength) demands Multifactor");
    const preview = await pack.analyze(compliantStack({ mode: "preview" }), PACK_CONFIG);
    expect(summary(preview.violations)).toEqual([ADVISORY]);
  });

  it("rejects drift with the right rule, naming the resource and its URN", async () => {
    const stack = mutate(compliantStack({ mode: "update" }), (s) => {
      s.push(
        resource(providerTypes.directoryRoleAssignment, "adele-ga", {
          roleId: GLOBAL_ADMINISTRATOR,
          principalObjectId: idOf("adele.vance@contoso.com"),
          directoryScopeId: "/",
        }),
      );
      const ca = byName(s, "ca-0");
      (ca.inputs as any).conditions.users.excludedGroups = [];
      ca.propertyDependencies = {};
      (byName(s, "global-administrator-activation-policy").inputs as any).approval.required = false;
    });
    const run = await pack.analyze(stack, PACK_CONFIG);
    // Adele is already eligible, so the count stays at five: only the three rules that own these facts fire (and
    // the world's one advisory).
    expect(summary(run.violations).sort()).toEqual([
      "activation-policy mandatory global-administrator-activation-policy",
      ADVISORY,
      "ca-policies-exclude-breakglass mandatory ca-0",
      "no-standing-tier0-assignment mandatory adele-ga",
    ]);
    const ga = run.violations.find((v) => v.policyName === "no-standing-tier0-assignment")!;
    expect(ga.urn).toBe(
      "urn:pulumi:test::entra-baseline::azuread:index/directoryRoleAssignment:DirectoryRoleAssignment::adele-ga",
    );
    expect(ga.message).toContain("holds Global Administrator standing through a permanent direct assignment");
    expect(ga.message).not.toContain(ga.description!); // the description is kept apart from the message
  });

  it("applies Configure: a stricter limit changes the verdict, and enforcementLevel overrides reach the pack", async () => {
    const stack = compliantStack({ mode: "update" });
    const stricter = worldPackConfig(
      worldConfig((raw) => {
        raw.limits.activationDuration.max = "PT2H";
        raw.pim.maxActivationDuration = "PT2H";
      }),
    );
    const strict = await pack.analyze(stack, {
      ...PACK_CONFIG,
      "activation-policy": stricter["activation-policy"]!,
      "global-admin-count": { ...PACK_CONFIG["global-admin-count"], max: 4, enforcementLevel: "advisory" },
    });
    expect(summary(strict.violations)).toEqual([
      "activation-policy mandatory global-administrator-activation-policy",
      "activation-policy mandatory privileged-role-administrator-activation-policy",
      "global-admin-count advisory (stack)",
      ADVISORY,
    ]);
    expect(strict.violations[0]!.message).toContain("exceeds the allowed 2 hours");
    expect(strict.violations[2]!.message).toBe(
      "5 Global Administrators (3 eligible + 2 active); CISA MS.AAD.7.1 and this stack allow 2–4.",
    );
    // The next Configure replaces the config: back to the stack's limits, back to a clean verdict.
    expect(summary((await pack.analyze(stack, PACK_CONFIG)).violations)).toEqual([ADVISORY]);
  });

  it("rejects config for a policy the pack does not have, before analyzing anything", async () => {
    await expect(pack.analyze([], { "no-such-rule": {} })).rejects.toThrow(
      /pack config names unknown policies: no-such-rule/,
    );
  });

  it("does not send component resources (the engine never analyzes them)", async () => {
    const component: PlannedResource = {
      ...untypedResource("entra-baseline:breakglass:Breakglass", "breakglass", {}),
      custom: false,
    };
    const run = await pack.analyze([...compliantStack({ mode: "update" }), component], PACK_CONFIG);
    expect(summary(run.violations)).toEqual([ADVISORY]);
  });
});

describe("analyzeWithPack (one pack per run, as plan and check use it)", () => {
  it("starts the pack, analyzes, and stops it", async () => {
    let pid = 0;
    const run = await analyzeWithPack(compliantStack({ mode: "preview" }), PACK_CONFIG, {
      onStarted: (p) => (pid = p),
    });
    expect(run.info.policies).toHaveLength(ALL_POLICY_NAMES.length);
    expect(summary(run.violations)).toEqual([ADVISORY]);
    expect(pid).toBeGreaterThan(0);
    await expect.poll(() => isRunning(pid), { timeout: 5_000 }).toBe(false);
  });

  it("fails with the pack's stderr when the pack crashes, and times out when it never reports a port", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pack-"));
    writeFileSync(path.join(dir, "index.ts"), 'throw new Error("pack exploded on load");\n');
    await expect(analyzeWithPack([], {}, { packDir: dir })).rejects.toThrow(
      /exited \(code 1\) before reporting its port[\s\S]*pack exploded on load/,
    );
    const silent = mkdtempSync(path.join(tmpdir(), "pack-"));
    writeFileSync(
      path.join(silent, "index.ts"),
      'console.error("starting slowly"); setInterval(() => undefined, 1000);\n',
    );
    await expect(analyzeWithPack([], {}, { packDir: silent, startTimeoutMs: 6000 })).rejects.toThrow(
      /did not report its port within 6000 ms[\s\S]*starting slowly/,
    );
  });
});

describe("starting a pack", () => {
  it("a port reported while this process was busy past the deadline is still read (the plan compiling a program)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "pack-"));
    writeFileSync(path.join(dir, "index.js"), 'process.stdout.write("4242\\n"); setInterval(() => undefined, 1000);\n');
    const starting = startPack(dir, 500);
    // Block the event loop well past the deadline, as a synchronous ts-node type-check does.
    for (const end = Date.now() + 5000; Date.now() < end;);
    const pack = await starting;
    expect(pack.port).toBe(4242);
    pack.stop();
  });

  it("starts the file package.json main names, else index.js, else index.ts", () => {
    const dir = (files: Record<string, string>) => {
      const at = mkdtempSync(path.join(tmpdir(), "pack-"));
      for (const [f, text] of Object.entries(files)) writeFileSync(path.join(at, f), text);
      return at;
    };
    expect(packEntry(dir({ "package.json": '{"main": "dist.js"}', "dist.js": "", "index.ts": "" }))).toBe("dist.js");
    expect(packEntry(dir({ "index.js": "", "index.ts": "" }))).toBe("index.js");
    expect(packEntry(dir({ "index.ts": "" }))).toBe("index.ts");
  });
});
