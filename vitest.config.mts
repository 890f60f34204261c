import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        exclude: ["test/e2e/**", "node_modules/**"],
        // The Pulumi SDK keeps global state: one process per test file.
        pool: "forks",
        testTimeout: 30_000,
    },
});
