/** verify's command run in-process on a fake deployment, as its command-line tests need it. */

import { fileAuditLog } from "../../verify/audit/auditLogSource";
import { VerifyCommandDeps } from "../../verify/cli/verifyCommand";
import { runCli } from "../../verify/main";
import { FakeDeployment } from "./verifyFakes";

export async function cli(args: string[], deps?: VerifyCommandDeps) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, deps);
    return { code, stdout, stderr };
}

/** Outputs as `pulumi stack output --json --show-secrets` prints them for the dev stack. */
export function outputsFor(deployment: FakeDeployment) {
    const { target } = deployment;
    return {
        kubeconfig: "apiVersion: v1\nkind: Config\n",
        kubeContext: target.kubeContext,
        clusterName: target.clusterName,
        namespace: target.namespace,
        rayClusterName: target.rayClusterName,
        headServiceName: target.headServiceName,
        dashboardPortForwardCommand: `kubectl --context ${target.kubeContext} port-forward -n ${target.namespace} svc/${target.headServiceName} 8265:8265`,
        auditLogPath: target.auditLogPath,
        auditLogCommand: `docker exec ${target.clusterName}-control-plane cat ${target.auditLogPath}`,
    };
}

/** The fake deployment, reading the --audit-log files when there are any (as connect does), else its kind node's log. */
export function depsFor(d: FakeDeployment, seen: { stack?: string; auditLogs?: readonly string[] } = {}): VerifyCommandDeps {
    return {
        stackOutputs: async (stack) => {
            seen.stack = stack;
            return outputsFor(d);
        },
        connect: async (_target, auditLogs, progress, cwd) => {
            seen.auditLogs = auditLogs;
            return { ...d.deps, auditLogs: () => (auditLogs.length > 0 ? auditLogs.map((file) => fileAuditLog(file, cwd)) : d.deps.auditLogs()), progress };
        },
    };
}

export const neverCalled: VerifyCommandDeps = {
    stackOutputs: () => Promise.reject(new Error("must not read outputs")),
    connect: () => Promise.reject(new Error("must not connect")),
};
