/**
 * The daemon of one stand-in cluster — what the node container is for kind: `node --import register.mjs
 * daemon.ts <cluster folder>`, started detached by `kind create cluster`. It runs the harness control plane
 * with the API server's audit policy and log where the cluster's kind config put them, writes the cluster's
 * kubeconfig (kind's names) once everything is ready, and on SIGTERM/SIGINT/SIGHUP stops the control plane and
 * exits. If it dies any other way, the harness's processes.ts kills its children on exit, and `kind delete
 * cluster` kills whatever still carries the cluster's marker.
 */

import * as fs from "fs";
import * as path from "path";
import { ControlPlane, startControlPlane } from "../../e2e/harness/controlPlane";
import { kindKubeconfig } from "./kubeconfig";
import { ClusterRecord, clusterPaths, logEvent, readJson, writeFileAtomic } from "./state";

const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

function main(): void {
    const dir = process.argv[2];
    if (!dir || !path.isAbsolute(dir)) throw new Error("usage: daemon.ts <absolute cluster folder>");
    const root = path.dirname(dir);
    const paths = clusterPaths(root, path.basename(dir));
    const record = readJson<ClusterRecord>(paths.record);
    if (!record) throw new Error(`no cluster record in ${paths.record}`);

    let plane: ControlPlane | undefined;
    let stopping = false;
    const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${new Date().toISOString()} ${signal}: stopping the control plane`);
        try {
            // Still starting: exiting is enough, processes.ts kills every child it started on exit.
            await plane?.stop();
        } finally {
            console.log(`${new Date().toISOString()} stopped`);
            process.exit(0);
        }
    };
    // processes.ts answers these signals by killing the children at once and exiting: the daemon stops the
    // control plane in order instead (the operator first, then each process with a grace period).
    for (const signal of SIGNALS) {
        process.removeAllListeners(signal);
        process.on(signal, () => void shutdown(signal));
    }

    console.log(`${new Date().toISOString()} cluster ${record.name} (image ${record.image}): starting the control plane`);
    console.log(`  audit policy ${record.audit.policyFlag} -> ${record.audit.policyFile}`);
    console.log(`  audit log    ${record.audit.logFlag} -> ${record.audit.logFile}`);
    console.log(`  operator watches ${record.namespaces.join(", ")}`);
    startControlPlane({
        // Unused: the policy file is given. The operator runs while the program's chart is installed.
        auditNamespace: record.namespaces[0],
        operatorNamespaces: record.namespaces,
        operator: "await-chart",
        auditPolicyFile: record.audit.policyFile,
        auditLogPath: record.audit.logFile,
        runDir: paths.runDir,
    }).then(
        (started) => {
            plane = started;
            const phases = Object.entries(started.phases).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(", ");
            console.log(`${new Date().toISOString()} ready: ${started.server} (${started.version}; ${phases})`);
            writeFileAtomic(paths.kubeconfig, kindKubeconfig(fs.readFileSync(started.kubeconfigPath, "utf8"), record.name), 0o600);
            logEvent(root, `ready ${record.name} pid=${process.pid} server=${started.server} in ${(started.readyMs / 1000).toFixed(1)}s`);
        },
        (error: Error) => {
            console.error(`${new Date().toISOString()} the control plane did not start: ${error.message}`);
            writeFileAtomic(paths.failed, error.message);
            process.exit(1);
        },
    );
    // The operator's supervision loop keeps the event loop busy; this makes sure nothing else is needed.
    setInterval(() => undefined, 1 << 30);
}

try {
    main();
} catch (error) {
    console.error((error as Error).message);
    process.exit(2);
}
