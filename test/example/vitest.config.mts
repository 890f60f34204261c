import { defineConfig } from "vitest/config";

// The example suite: one real Ray head (started by globalSetup) shared by every file, files one after
// another so that a job never competes with another for the head's two CPUs.
export default defineConfig({
    test: {
        include: ["test/example/**/*.example.test.ts"],
        globalSetup: ["test/example/globalSetup.ts"],
        fileParallelism: false,
        testTimeout: 600_000,
        hookTimeout: 120_000,
    },
});
