/**
 * `npx tsx bench/pack.ts` (or `npm run bench -- pack`): the policy pack's AnalyzeStack over synthetic stacks of
 * 1k, 10k and 50k resources, through the real analyzer protocol. The 10k stack is the shape: 2,000 CA
 * policies, 5,000 GA eligibility requests, 50 breakglass-related resources, the rest ordinary users. Prints wall
 * time per step and the pack process's peak RSS (VmHWM); target for 10k: AnalyzeStack < 2 s, < 500 MB.
 * Figures are printed, never asserted.
 */
import { readFileSync } from "node:fs";
import { analyzeWithPack, type PlannedResource } from "../src/tools/engine/analyzer";
import { providerTypes } from "@entra-baseline/model";
import { PACK_CONFIG, compliantStack, resource } from "../test/support/pack/stackFixture";

/** A stack of `total` resources in the 10k stack's proportions. */
export function syntheticStack(total: number, mode: "update" | "preview" = "update"): PlannedResource[] {
  const scale = total / 10_000;
  const stack = compliantStack({
    mode,
    caPolicies: Math.round(2_000 * scale),
    eligibilityRequests: Math.round(5_000 * scale),
  });
  // Breakglass-related resources beyond the core fixture: extra GA-excluded helpers (group members, alert rules).
  let i = 0;
  while (stack.length < Math.round(50 * scale) + 5_000 * scale + 2_000 * scale) {
    stack.push(
      resource(providerTypes.groupMember, `breakglass-member-${i++}`, {
        groupObjectId: "dddddddd-0000-4000-8000-000000000001",
        memberObjectId: "cccccccc-0000-4000-8000-000000000001",
      }),
    );
  }
  i = 0;
  while (stack.length < total) {
    stack.push(
      resource(providerTypes.user, `user-${i}`, {
        userPrincipalName: `user-${i}@contoso.com`,
        displayName: `User ${i}`,
        objectId: `0000${String(i++).padStart(4, "0")}-0000-4000-8000-000000000000`,
      }),
    );
  }
  return stack;
}

function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function measure(total: number) {
  const stack = syntheticStack(total);
  const timings: Record<string, number> = {};
  let pid = 0;
  let peak = 0;
  const sampler = setInterval(() => {
    if (pid) peak = Math.max(peak, peakRssMb(pid) ?? 0);
  }, 10);
  const run = await analyzeWithPack(stack, PACK_CONFIG, {
    stackOnly: true,
    onStarted: (p) => (pid = p),
    onTiming: (step, ms) => {
      timings[step] = ms;
      // Read the high-water mark right after the stack analysis, before the pack is stopped.
      if (step === "analyzeStack" && pid) peak = Math.max(peak, peakRssMb(pid) ?? 0);
    },
  });
  clearInterval(sampler);
  return { total: stack.length, timings, peak, violations: run.violations.length };
}

async function main() {
  const sizes = (process.argv[2] ?? "1000,10000,50000").split(",").map(Number);
  console.log("resources  start(ms)  analyzeStack(ms)  ms/1k res  pack peak RSS(MB)  violations");
  const rows: { total: number; ms: number }[] = [];
  for (const size of sizes) {
    const r = await measure(size);
    const ms = r.timings.analyzeStack ?? NaN;
    rows.push({ total: r.total, ms });
    console.log(
      `${String(r.total).padStart(9)}  ${String(r.timings.start).padStart(9)}  ${String(ms).padStart(16)}  ${(ms / (r.total / 1000)).toFixed(1).padStart(9)}  ${r.peak.toFixed(0).padStart(17)}  ${String(r.violations).padStart(10)}`,
    );
  }
  if (rows.length > 1) {
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    console.log(
      `growth: ${(last.total / first.total).toFixed(0)}× resources → ${(last.ms / first.ms).toFixed(1)}× AnalyzeStack time (linear ≈ equal factors)`,
    );
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
