/**
 * `npm run bench`: every benchmark of the project, one after the other, each in its own process so that one's
 * memory does not count against another's. Figures are printed, never asserted (see README "Performance").
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const benches = ["plan", "pack", "audit", "adopt", "transition"];
const only = process.argv.slice(2);
let failed = 0;
for (const name of benches.filter((b) => only.length === 0 || only.includes(b))) {
  const file = path.join(__dirname, `${name}.ts`);
  if (!fs.existsSync(file)) continue;
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, ["--import", "tsx", file], {
    stdio: "inherit",
    cwd: path.resolve(__dirname, ".."),
  });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
