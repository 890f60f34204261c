/** The real VerifyDeps for a stack: client-node for the cluster, HTTP for Ray, docker or a file for the audit log. */

import { auditLogsFor } from "../audit/auditLogSource";
import { RayJobsClient } from "../ray/rayJobsClient";
import { VerifyTarget } from "../stack/stackOutputs";
import { systemClock } from "../time/clock";
import { VerifyDeps } from "./runVerify";

/**
 * `auditLogFiles`: the files given with --audit-log (a rotated set may be several), relative to `cwd`, the
 * user's folder; empty: the kind node's log, if any.
 */
export async function connect(target: VerifyTarget, auditLogFiles: readonly string[], progress: (line: string) => void, cwd?: string): Promise<VerifyDeps> {
    // Loaded here, not at the top: `verify audit` and the tests never need client-node.
    const { KubeCluster, loadKubeConfig } = await import("../kube/kubeCluster");
    return {
        cluster: new KubeCluster(loadKubeConfig(target.kubeconfig, target.kubeContext, target.kubeconfigPath)),
        auditLogs: () => auditLogsFor(target, auditLogFiles, cwd),
        jobsClient: (baseUrl) => new RayJobsClient(baseUrl),
        clock: systemClock,
        progress,
    };
}
