/**
 * Builds the model package (src/model → src/model/dist) once per test run. Tests load it the way the Pulumi CLI's
 * ts-node and a consumer of the package do: as compiled JavaScript through its package.json exports, so what is
 * tested is what ships, and a stale build can never be what the tests saw.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

export default function setup(): void {
  const root = path.resolve(__dirname, "..", "..");
  execFileSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "src/model/tsconfig.build.json")],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
}
