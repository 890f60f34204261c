import * as path from "path";
import { defineConfig } from "vitest/config";

// The end-to-end suite: one real control plane (started by globalSetup) shared by every file, files one
// after another so they do not compete for the machine's two cores.
export default defineConfig({
    root: path.resolve(import.meta.dirname, "..", ".."),
    test: {
        include: ["test/e2e/**/*.e2e.test.ts"],
        globalSetup: ["test/e2e/globalSetup.ts"],
        fileParallelism: false,
        testTimeout: 180_000,
        hookTimeout: 180_000,
    },
});
