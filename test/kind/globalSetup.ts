/**
 * Starts the suite's Docker engine once (its own data root, socket and `kind` network; the wheelhouse the Ray
 * image's pip.conf names, on that network) and puts the locally built node image into it, as `docker load` of
 * a downloaded kindest/node would. Always stops it; the stop fails the suite if any process, mount, link,
 * network namespace, netfilter table, kernel setting or cgroup is left behind. Peak memory is printed.
 */

import * as fs from "fs";
import type { TestProject } from "vitest/node";
import { execFileSync } from "child_process";
import * as path from "path";
import { pruneOldRuns } from "../support/runDirs";
import { failingRunOnError } from "../support/teardown";
import { MemorySampler } from "../support/node/memory";
import { DOCKER_CGROUP, startDockerEngine } from "../support/kind/dockerEngine";
import { kindImages } from "../support/kind/images";

export interface KindSuiteInfo {
    runDir: string;
    /** DOCKER_HOST and a PATH with the engine's docker first. */
    dockerEnv: { DOCKER_HOST: string; PATH: string };
    nodeImage: string;
    operatorArchive: string;
    rayArchive: string;
    /** Seconds `docker import` of the node image took. */
    nodeImportSeconds: number;
}

declare module "vitest" {
    export interface ProvidedContext {
        kind: KindSuiteInfo;
    }
}

export default async function setup(project: TestProject) {
    if (process.getuid?.() !== 0) throw new Error("the kind suite runs a Docker engine: it must run as root");
    pruneOldRuns("krps-kind-", 2);
    const images = kindImages();
    const memory = new MemorySampler(`/sys/fs/cgroup/memory/${DOCKER_CGROUP}/memory.max_usage_in_bytes`);
    const runDir = fs.mkdtempSync("/tmp/krps-kind-");
    let engine: Awaited<ReturnType<typeof startDockerEngine>>;
    try {
        engine = await startDockerEngine({ runDir, wheelhouse: images.wheelhouse });
    } catch (error) {
        memory.stop();
        throw error;
    }
    try {
        const started = Date.now();
        const nodeImage = fs.readFileSync(path.join(images.nodeDir, "ref"), "utf8").trim();
        const importArgs = fs.readFileSync(path.join(images.nodeDir, "import.args"), "utf8").split("\n").filter(Boolean);
        execFileSync("docker", ["import", ...importArgs, path.join(images.nodeDir, "rootfs.tar"), nodeImage], { env: { ...process.env, ...engine.env }, stdio: ["ignore", "ignore", "pipe"] });
        const nodeImportSeconds = (Date.now() - started) / 1000;
        console.log(`kind suite: Docker engine ready, node image ${nodeImage} imported in ${nodeImportSeconds.toFixed(1)} s (logs: ${runDir})`);
        project.provide("kind", { runDir, dockerEnv: engine.env, nodeImage, operatorArchive: images.operatorArchive, rayArchive: images.rayArchive, nodeImportSeconds });
    } catch (error) {
        // No teardown is registered yet: the engine (and what it changed on the host) goes now.
        await engine.stop().catch((stopError) => ((error as Error).message += `\n${(stopError as Error).message}`));
        memory.stop();
        throw error;
    }
    return () =>
        failingRunOnError(async () => {
            try {
                await engine.stop();
            } finally {
                console.log(`kind suite: ${memory.stop()}; logs kept in ${runDir}`);
            }
        });
}
