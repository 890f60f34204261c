/**
 * The kind stack — the shipped Pulumi.dev.yaml — through the real Pulumi CLI and command provider, with the
 * kind stand-in (test/engine/kind) first on PATH: `kind` runs a harness control plane per cluster as a
 * detached daemon, honouring the kind config the program generates (the API server's audit policy is the
 * program's file, through the config's kubeadmConfigPatches and extraMounts), and `docker exec … cat` reads
 * the node's audit log. One stack walked through its life: first up, verify, a node image change (the
 * cluster replaced, deleting first), destroy, up again, a cluster deleted behind Pulumi's back, destroy, stack rm.
 */

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { AUDIT_LOG_PATH, auditLogCommand, buildAuditPolicy } from "../../components/kind/kindConfig";
import { KUBERAY_CHART_DIR } from "../e2e/harness/kuberayOperator";
import { sharedPath } from "../helpers/shared";
import { ClusterClients, clusterClients, namespaceExists, rayClusters } from "./helpers/clusterState";
import { HelmRepository, startHelmRepository } from "./helpers/helmRepository";
import { pruneOldRuns } from "../helpers/runDirs";
import { PROJECT_DIR, PulumiCli } from "./helpers/pulumiCli";
import { printTimings } from "./helpers/timings";
import { programWarnings } from "./helpers/warnings";
import { runVerify } from "./helpers/verify";
import { runningStandinProcesses, stopAllDaemons } from "./kind/daemonControl";
import { isRunning } from "./kind/liveness";
import { ClusterRecord, clusterPaths, DaemonRecord, readEvents, readJson } from "./kind/state";

const STACK = "engine-kind";
// What the shipped Pulumi.dev.yaml and Pulumi.yaml's defaults make of this stack.
const CLUSTER = "kuberay-engine-kind";
const NAMESPACE = "pod-security";
const RAY_CLUSTER = "raycluster-pod-security";
const DEFAULT_IMAGE = (parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")).config["cluster.nodeImage"] as { default: string }).default;
const NEW_IMAGE = "kindest/node:v1.36.4";
const STANDIN_BIN = path.join(__dirname, "kind", "bin");

let tmp: string;
let state: string;
let workDir: string;
let cli: PulumiCli;
let repo: HelmRepository;
/** What every CLI call (and verify, kind, docker) gets on top of the CLI's environment. */
let env: NodeJS.ProcessEnv;
let failed = false;

beforeAll(async () => {
    pruneOldRuns("krps-engine-kind-", 2);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "krps-engine-kind-"));
    state = path.join(tmp, "kind-standin");
    const xdgStateHome = path.join(tmp, "xdg-state");
    workDir = path.join(xdgStateHome, "kuberay-pod-security", "kind", CLUSTER);
    cli = new PulumiCli();
    env = { PATH: `${STANDIN_BIN}:${cli.env.PATH}`, KIND_STANDIN_STATE: state, XDG_STATE_HOME: xdgStateHome };
    repo = await startHelmRepository(sharedPath(KUBERAY_CHART_DIR));
    await cli.initStack(STACK, "Pulumi.dev.yaml");
    // The chart from the loopback mirror, small Ray Pods (kwok's node does not care, but a laptop would).
    await cli.setConfig(STACK, {
        "operator.chartRepository": repo.url,
        "ray.head.cpu": "500m",
        "ray.head.memory": "1Gi",
        "ray.workerGroups[0].cpu": "500m",
        "ray.workerGroups[0].memory": "1Gi",
        "ray.readyTimeoutSeconds": "300",
    });
});

beforeEach(({ skip, onTestFailed }) => {
    // One stack walked through its life: after a failure the later steps would only repeat it.
    if (failed) skip();
    onTestFailed(() => {
        failed = true;
    });
});

afterAll(async () => {
    if (cli) printTimings(cli.calls);
    // Whatever a failed test left running: every daemon and its control plane.
    const left = state ? await stopAllDaemons(state) : [];
    cli?.dispose();
    await repo?.close();
    if (failed) {
        console.log(`kind stand-in state and logs kept in ${tmp} (stopped: ${left.join("; ") || "nothing"})`);
    } else {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
        expect(left, "stand-in processes left running after a passing run").toEqual([]);
    }
});

/** The stand-in itself, as the scripts and users run it. */
function tool(command: string, args: string[]): { stdout: string; stderr: string } {
    const result = spawnSync(command, args, { cwd: PROJECT_DIR, env: { ...cli.env, ...env }, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return { stdout: result.stdout, stderr: result.stderr };
}

function record(): ClusterRecord | undefined {
    return readJson<ClusterRecord>(clusterPaths(state, CLUSTER).record);
}

function daemon(): DaemonRecord | undefined {
    return readJson<DaemonRecord>(clusterPaths(state, CLUSTER).daemon);
}

/** The stack's kubeconfig output, at the stack's kubeContext output (kind's `kind-<name>`). */
async function stackClients(): Promise<{ api: ClusterClients; server: string }> {
    const outputs = await cli.outputs(STACK);
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromString(outputs.kubeconfig as string);
    kubeConfig.setCurrentContext(outputs.kubeContext as string);
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new Error(`the kubeconfig output has no cluster for context ${outputs.kubeContext}`);
    return { api: clusterClients(kubeConfig), server };
}

async function readyRayCluster(api: ClusterClients): Promise<any> {
    const [cluster] = (await rayClusters(api, NAMESPACE)).filter((rc) => rc.metadata.name === RAY_CLUSTER);
    expect(cluster?.status?.state, JSON.stringify(cluster?.status)).toBe("ready");
    expect(cluster.status.conditions.find((c: any) => c.type === "RayClusterProvisioned")?.status).toBe("True");
    return cluster;
}


/** `create` and `deleted` lines of the stand-in's events.log, without time and pid. */
function lifecycleEvents(): string[] {
    return readEvents(state)
        .map((line) => line.split(" ").slice(2).join(" "))
        .filter((what) => what.startsWith(`create ${CLUSTER} `) || what.startsWith(`deleted ${CLUSTER} `))
        .map((what) => what.replace(/ config=.*$/, ""));
}

describe("the kind stack, with the kind stand-in on PATH", () => {
    let firstServer = "";

    it("the first `pulumi up` on an empty stack creates the cluster and returns once the RayCluster is ready", async () => {
        expect(await cli.stateResources(STACK)).toEqual([]);
        // up previews first: the kubeconfig is the output of a command not yet run (pulumi-kubernetes#3027).
        const up = await cli.ok(STACK, ["up", "--yes"], { env });
        const { api, server } = await stackClients();
        firstServer = server;
        await readyRayCluster(api);
        const outputs = await cli.outputs(STACK);
        expect(outputs).toMatchObject({
            clusterName: CLUSTER,
            kubeContext: `kind-${CLUSTER}`,
            kubeconfigPath: "",
            namespace: NAMESPACE,
            rayClusterName: RAY_CLUSTER,
            auditLogPath: AUDIT_LOG_PATH,
            auditLogCommand: auditLogCommand(CLUSTER),
        });
        expect((await cli.outputs(STACK, false)).kubeconfig).toBe("[secret]");
        // The node image the stack asked for reached kind.
        expect(record()?.image).toBe(DEFAULT_IMAGE);
        expect(lifecycleEvents()).toEqual([`create ${CLUSTER} image=${DEFAULT_IMAGE}`]);
        expect(repo.requests.filter((r) => r.status === 200).map((r) => r.path)).toEqual(expect.arrayContaining(["/charts/index.yaml", "/charts/kuberay-operator-1.7.0.tgz"]));
        expect(programWarnings(up.stdout + up.stderr)).toEqual([]);
    });

    it("wrote its generated files under XDG_STATE_HOME, and the API server ran with them: the program's policy, the log in the node", () => {
        const configFile = path.join(workDir, "kind-config.yaml");
        const policyFile = path.join(workDir, "audit-policy.yaml");
        expect(fs.readFileSync(policyFile, "utf8")).toBe(stringify(buildAuditPolicy(NAMESPACE)));
        const cluster = record()!;
        expect(cluster.configFile).toBe(configFile);
        expect(cluster.audit.policyFile).toBe(policyFile);
        const logFile = path.join(clusterPaths(state, CLUSTER).nodeRoot, AUDIT_LOG_PATH);
        expect(cluster.audit.logFile).toBe(logFile);
        // The harness logs each process's command line first.
        const apiServerCommand = fs.readFileSync(path.join(clusterPaths(state, CLUSTER).runDir, "logs", "kube-apiserver.log"), "utf8").split("\n")[0];
        expect(apiServerCommand).toContain(` --audit-policy-file=${policyFile}`);
        expect(apiServerCommand).toContain(` --audit-log-path=${logFile}`);

        // Read as the README says, with the stack's own auditLogCommand (through the docker stand-in).
        const log = tool("bash", ["-c", auditLogCommand(CLUSTER)]).stdout;
        const podEvents = log
            .split("\n")
            .filter((line) => line.trim() !== "")
            .map((line) => JSON.parse(line))
            .filter((e) => e.stage === "ResponseComplete" && e.objectRef?.resource === "pods" && e.objectRef?.namespace === NAMESPACE && !e.objectRef?.subresource);
        // Only what the program's policy logs: Pod requests in its namespace, at Metadata level.
        expect(log.split("\n").filter((line) => line.trim() !== "").every((line) => JSON.parse(line).objectRef?.namespace === NAMESPACE)).toBe(true);
        const creates = podEvents.filter((e) => e.verb === "create");
        const admitted = creates.filter((e) => e.responseStatus.code === 201);
        // The operator's Pod (from the chart's Deployment), the head and the worker.
        expect(admitted.length).toBeGreaterThanOrEqual(3);
        for (const event of admitted) {
            expect(event.level).toBe("Metadata");
            expect(event.annotations["pod-security.kubernetes.io/enforce-policy"]).toBe("restricted:latest");
            expect(event.annotations).not.toHaveProperty(["pod-security.kubernetes.io/audit-violations"]);
        }
        // No Pod was refused by Pod Security. The only refusal there may be: the chart's objects are created
        // together, so the ReplicaSet controller can try the operator's Pod before its ServiceAccount exists
        // (403 "error looking up service account"), and retries.
        for (const event of creates.filter((e) => e.responseStatus.code !== 201)) {
            expect(event.responseStatus.message).toMatch(/error looking up service account pod-security\/kuberay-operator/);
        }
    });

    it("`npm run verify` reads the audit log from the node as for any kind cluster; RayCluster, Pods and audit pass", async () => {
        const report = await runVerify(cli, STACK, [], env);
        const byId = Object.fromEntries(report.json.checks.map((check) => [check.id, check]));
        expect([byId.raycluster.status, byId.pods.status, byId.audit.status], report.output).toEqual(["passed", "passed", "passed"]);
        expect(byId.audit.summary).toContain(`from ${CLUSTER}-control-plane:${AUDIT_LOG_PATH}`);
        // kwok's Pods run no container: there is no dashboard to port-forward to and submit the job through,
        // and no process to exec pip in (nor a kubelet for the API server to reach). Those two cannot pass here.
        expect(byId.job.status).not.toBe("passed");
        expect(byId.pip.status).not.toBe("passed");
    });

    it("changing cluster.nodeImage replaces the cluster, deleting the old one first, and gets ready again on the new one", async () => {
        const old = daemon()!;
        await cli.setConfig(STACK, { "cluster.nodeImage": NEW_IMAGE });
        const up = await cli.ok(STACK, ["up", "--yes"], { env });
        const output = up.stdout + up.stderr;
        // The name is fixed: the old cluster (and its daemon) had to be gone before the new one was created.
        expect(lifecycleEvents()).toEqual([`create ${CLUSTER} image=${DEFAULT_IMAGE}`, `deleted ${CLUSTER} pid=${old.pid}`, `create ${CLUSTER} image=${NEW_IMAGE}`]);
        expect(isRunning(old.pid, old.startTime)).toBe(false);
        expect(record()?.image).toBe(NEW_IMAGE);
        // The replacement's create deleted the old cluster; the original's delete, run last, left the new one.
        expect(output).toContain(`kind cluster ${CLUSTER} has another definition: deleting it to create it anew`);
        expect(output).toContain(`kind cluster ${CLUSTER} has been made anew from another definition: leaving it and its files`);
        expect(output).toMatch(/\+-\d+ replaced/);
        // The cluster's objects went with it: the originals are dropped from the state as unreachable (deleteUnreachable).
        for (const warning of programWarnings(output)) expect(warning).toMatch(/configured Kubernetes cluster is unreachable/);
        const { api, server } = await stackClients();
        expect(server).not.toBe(firstServer);
        await readyRayCluster(api);
        expect(await namespaceExists(api, NAMESPACE)).toBe(true);
        expect(fs.readFileSync(path.join(workDir, "owner"), "utf8")).toMatch(new RegExp(`^kuberay-pod-security/${STACK} [0-9a-f]{16}\n$`));
    });

    it("`pulumi destroy` removes the cluster and its generated files", async () => {
        const running = daemon()!;
        await cli.ok(STACK, ["destroy", "--yes"], { env });
        expect(tool("kind", ["get", "clusters"])).toEqual({ stdout: "", stderr: "No kind clusters found.\n" });
        expect(isRunning(running.pid, running.startTime)).toBe(false);
        expect(runningStandinProcesses(state)).toEqual([]);
        expect(fs.existsSync(workDir)).toBe(false);
        expect(await cli.stateResources(STACK)).toEqual([]);
    });

    it("a cluster deleted outside Pulumi does not stop `pulumi destroy`", async () => {
        await cli.ok(STACK, ["up", "--yes"], { env });
        await readyRayCluster((await stackClients()).api);
        const deleted = tool("kind", ["delete", "cluster", "--name", CLUSTER]);
        expect(deleted.stderr).toContain(`Deleting cluster "${CLUSTER}" ...`);
        const destroy = await cli.ok(STACK, ["destroy", "--yes"], { env });
        expect(destroy.stdout + destroy.stderr).toContain(`kind cluster ${CLUSTER} is already gone`);
        expect(fs.existsSync(workDir)).toBe(false);
        expect(runningStandinProcesses(state)).toEqual([]);
        expect(await cli.stateResources(STACK)).toEqual([]);
    });

    it("`pulumi stack rm` removes the stack", async () => {
        await cli.ok(STACK, ["stack", "rm", "--yes"]);
        expect(fs.existsSync(cli.stackFile(STACK))).toBe(false);
    });
});
