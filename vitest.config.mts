import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        // The end-to-end, engine, node and example suites have their own configs (real control plane, real node, real Ray).
        exclude: ["test/e2e/**", "test/engine/**", "test/node/**", "test/kind/**", "test/example/**", "node_modules/**"],
        // The Pulumi SDK keeps global state: one process per test file.
        pool: "forks",
        testTimeout: 30_000,
    },
});
