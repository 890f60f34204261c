/** Starts the control plane once for the whole e2e suite and always stops it, keeping every process's log. */

import type { TestProject } from "vitest/node";
import { startControlPlane } from "../support/harness/controlPlane";
import "../support/harness/provided";
import { runningProcesses } from "../support/harness/processes";
import { E2E_NAMESPACE } from "../support/harness/names";
import { pruneOldRuns } from "../support/runDirs";
import { failingRunOnError } from "../support/teardown";

export default async function setup(project: TestProject) {
    pruneOldRuns("krps-e2e-", 4);
    const plane = await startControlPlane({ auditNamespace: E2E_NAMESPACE, operatorNamespaces: [E2E_NAMESPACE] });
    const { kubeconfigPath, auditLogPath, runDir, version, apiServerReadyMs, readyMs } = plane;
    project.provide("controlPlane", { kubeconfigPath, auditLogPath, runDir, version, apiServerReadyMs, readyMs });
    const phases = Object.entries(plane.phases).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(", ");
    console.log(`control plane ${version}: API server ready in ${(apiServerReadyMs / 1000).toFixed(1)} s, everything in ${(readyMs / 1000).toFixed(1)} s (${phases}; logs: ${runDir})`);
    return () =>
        failingRunOnError(async () => {
            await plane.stop();
            const left = runningProcesses();
            console.log(`control plane stopped; logs kept in ${runDir}`);
            if (left.length > 0) {
                throw new Error(`processes left behind after the e2e suite: ${left.join(", ")}`);
            }
        });
}
