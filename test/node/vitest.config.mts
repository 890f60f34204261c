import * as path from "path";
import { defineConfig } from "vitest/config";

// The real-node suite: one control plane with a real kubelet (started by globalSetup), files one after another.
// Ray Pods take minutes to start on two cores, hence the long timeouts.
export default defineConfig({
    root: path.resolve(import.meta.dirname, "..", ".."),
    test: {
        include: ["test/node/**/*.node.test.ts"],
        globalSetup: ["test/node/globalSetup.ts"],
        fileParallelism: false,
        testTimeout: 600_000,
        hookTimeout: 600_000,
    },
});
