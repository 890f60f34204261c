import * as path from "path";
import { defineConfig } from "vitest/config";

// The kind suite: the user's main path for real — `pulumi up` on the kind stack through the real CLI, a real
// kind cluster on a Docker engine of the suite's own (started by globalSetup), the node image and every image
// in it built here. One stack walked through its life; each CLI call takes minutes on two cores.
export default defineConfig({
    root: path.resolve(import.meta.dirname, "..", ".."),
    test: {
        include: ["test/kind/**/*.kind.test.ts"],
        globalSetup: ["test/kind/globalSetup.ts"],
        fileParallelism: false,
        testTimeout: 900_000,
        hookTimeout: 900_000,
    },
});
