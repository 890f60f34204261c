/**
 * Starts the control plane with a real node once for the suite and always stops it; the stop fails the suite
 * if any process, mount, link, network namespace, netfilter table, kernel setting or cgroup is left behind.
 * Peak memory is sampled for the whole run and printed with the node's start-up phases.
 */

import * as fs from "fs";
import type { TestProject } from "vitest/node";
import { startControlPlane } from "../support/harness/controlPlane";
import { runningProcesses } from "../support/harness/processes";
import { pruneOldRuns } from "../support/runDirs";
import { failingRunOnError } from "../support/teardown";
import type { ControlPlaneInfo } from "../support/harness/provided";
import { MemorySampler } from "../support/node/memory";
import { NODE_NAMESPACE } from "../support/node/names";

export default async function setup(project: TestProject) {
    if (process.getuid?.() !== 0) throw new Error("the node suite runs a kubelet and containerd: it must run as root");
    pruneOldRuns("krps-node-", 3);
    const memory = new MemorySampler();
    const plane = await startControlPlane({
        auditNamespace: NODE_NAMESPACE,
        node: "real",
        // The program's chart runs the operator, from its image, as a Pod on the node.
        operator: "in-cluster",
        runDir: fs.mkdtempSync("/tmp/krps-node-"),
    });
    const { kubeconfigPath, auditLogPath, runDir, version, apiServerReadyMs, readyMs } = plane;
    project.provide("controlPlane", { kubeconfigPath, auditLogPath, runDir, version, apiServerReadyMs, readyMs } satisfies ControlPlaneInfo);
    const phases = Object.entries(plane.phases).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(", ");
    console.log(`control plane ${version} with a real node: everything in ${(readyMs / 1000).toFixed(1)} s (${phases}; logs: ${runDir})`);
    return () =>
        failingRunOnError(async () => {
            try {
                await plane.stop();
            } finally {
                console.log(`node suite: ${memory.stop()}; logs kept in ${runDir}`);
            }
            const left = runningProcesses();
            if (left.length > 0) throw new Error(`processes left behind after the node suite: ${left.join(", ")}`);
        });
}
