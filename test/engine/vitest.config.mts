import * as path from "path";
import { defineConfig } from "vitest/config";

// The engine suite: the real Pulumi CLI and providers against real control planes. Files one after another
// (each starts its own control plane); every CLI call can take minutes.
export default defineConfig({
    root: path.resolve(import.meta.dirname, "..", ".."),
    test: {
        include: ["test/engine/**/*.engine.test.ts"],
        fileParallelism: false,
        testTimeout: 900_000,
        hookTimeout: 900_000,
    },
});
