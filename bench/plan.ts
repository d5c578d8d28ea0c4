/**
 * `npm run bench -- plan`: wall time of `npm run plan` end to end on the bundled Pulumi.prod.yaml (target < 3 s),
 * and the same without npm's own start-up and without the policy pack, so a regression can be placed.
 * Figures are printed, never asserted.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_MS = 3000;

interface Variant {
  label: string;
  command: string;
  args: string[];
}

const variants: Variant[] = [
  { label: "npm run plan", command: "npm", args: ["run", "--silent", "plan"] },
  {
    label: "node --import tsx src/tools/plan/cli.ts",
    command: process.execPath,
    args: ["--import", "tsx", "src/tools/plan/cli.ts"],
  },
  {
    label: "  … --no-policy (program under mocks only)",
    command: process.execPath,
    args: ["--import", "tsx", "src/tools/plan/cli.ts", "--no-policy"],
  },
];

let failed = false;
const results: { label: string; median: number; all: number[] }[] = [];
for (const v of variants) {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const res = spawnSync(v.command, v.args, {
      cwd: repo,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.status !== 0) {
      console.error(`${v.label} exited ${res.status}:\n${res.stderr}${res.stdout.split("\n").slice(-12).join("\n")}`);
      failed = true;
      break;
    }
    all.push(ms);
  }
  if (all.length === 0) continue;
  const sorted = [...all].sort((a, b) => a - b);
  results.push({ label: v.label, median: sorted[Math.floor(sorted.length / 2)]!, all });
}

console.log(`plan on Pulumi.prod.yaml, ${runs} runs each (median; all runs)`);
for (const r of results) {
  console.log(
    `  ${r.label.padEnd(46)} ${r.median.toFixed(0).padStart(6)} ms   (${r.all.map((m) => m.toFixed(0)).join(", ")})`,
  );
}
const e2e = results.find((r) => r.label === "npm run plan");
if (e2e)
  console.log(
    `npm run plan end to end: ${e2e.median.toFixed(0)} ms (target < ${TARGET_MS} ms: ${e2e.median < TARGET_MS ? "met" : "NOT met"})`,
  );
process.exit(failed ? 1 : 0);
