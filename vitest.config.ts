import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/globalSetup.ts"],
    server: {
      deps: {
        // The model package runs as the compiled JavaScript its package.json exports (built by the global setup),
        // loaded by Node itself: the same module objects the Pulumi CLI's program and the dynamic providers see.
        external: [/src\/model\/dist\//],
      },
    },
    // Pulumi mocks are process-global state: each test file gets its own worker process.
    pool: "forks",
    // Many tests wait on child processes (the policy pack, the CLIs) and loopback servers, not on the CPU: more
    // workers than cores overlap that waiting. No test asserts an upper bound on time.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
