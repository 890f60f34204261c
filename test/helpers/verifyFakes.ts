/**
 * Fakes for driving `verify` without a cluster: a fake clock, RayCluster objects in each state the operator
 * reports, the Pods it runs, and a ClusterApi over them; plus the two deployments the README shows.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fileAuditLog } from "../../verify/audit/auditLogSource";
import { ClusterApi, ExecResult } from "../../verify/kube/clusterApi";
import { PodLike, RayClusterLike } from "../../model/k8s/types";
import { RayJobsClient } from "../../verify/ray/rayJobsClient";
import { VerifyDeps } from "../../verify/run/runVerify";
import { VerifyTarget } from "../../verify/stack/stackOutputs";
import { Clock } from "../../verify/time/clock";
import { admittedPodCreate, HEAD_REFUSAL, podGet, podList, refusedPodCreate, toLines } from "./verifyAuditEvents";
import { FakeJobsServer, JobScript, startFakeJobsServer } from "./verifyJobsServer";

export function fakeClock(start = 0): Clock & { slept: number[] } {
    let now = start;
    const slept: number[] = [];
    return {
        slept,
        now: () => now,
        sleep: async (ms) => {
            slept.push(ms);
            now += ms;
        },
    };
}

const condition = (type: string, status: string, reason: string, message = "") => ({ type, status, reason, message, lastTransitionTime: "2025-06-02T09:14:07Z", observedGeneration: 1 });
const notSuspended = [condition("RayClusterSuspended", "False", "RayClusterSuspended"), condition("RayClusterSuspending", "False", "RayClusterSuspending")];
const spec = (suspend = false) => ({ suspend, workerGroupSpecs: [{ groupName: "small-group", replicas: 1, minReplicas: 1, maxReplicas: 5, numOfHosts: 1 }] });

export function readyRayCluster(name = "raycluster-pod-security"): RayClusterLike {
    return {
        metadata: { name, namespace: "pod-security" },
        spec: spec(),
        status: {
            state: "ready",
            conditions: [
                condition("HeadPodReady", "True", "HeadPodRunningAndReady"),
                condition("RayClusterProvisioned", "True", "AllPodRunningAndReadyFirstTime", "All Ray Pods are ready for the first time"),
                ...notSuspended,
            ],
            desiredWorkerReplicas: 1,
            readyWorkerReplicas: 1,
            head: { podName: `${name}-head-8w2kq`, serviceName: `${name}-head-svc` },
        },
    };
}

export function provisioningRayCluster(name = "raycluster-pod-security"): RayClusterLike {
    return {
        metadata: { name, namespace: "pod-security" },
        spec: spec(),
        status: {
            conditions: [
                condition("HeadPodReady", "False", "ContainersNotReady", "containers with unready status: [ray-head]"),
                condition("RayClusterProvisioned", "False", "RayClusterPodsProvisioning", "RayCluster Pods are being provisioned for first time"),
                ...notSuspended,
            ],
            desiredWorkerReplicas: 1,
            readyWorkerReplicas: 0,
        },
    };
}

/** Step 5.1: the head Pod refused by Pod Security; KubeRay joins reason and API error with "\n". */
export function refusedRayCluster(name = "raycluster-complete"): RayClusterLike {
    return {
        metadata: { name, namespace: "pod-security" },
        spec: spec(),
        status: {
            conditions: [
                condition("ReplicaFailure", "True", "FailedCreateHeadPod", `FailedCreateHeadPod\npods "${name}-head-x7k2p" is forbidden: ${HEAD_REFUSAL}`),
                condition("HeadPodReady", "False", "HeadPodNotFound", "Head Pod not found"),
                condition("RayClusterProvisioned", "False", "RayClusterPodsProvisioning", "RayCluster Pods are being provisioned for first time"),
                ...notSuspended,
            ],
            desiredWorkerReplicas: 1,
            readyWorkerReplicas: 0,
        },
    };
}

export function suspendedRayCluster(name = "raycluster-pod-security"): RayClusterLike {
    return {
        metadata: { name, namespace: "pod-security" },
        spec: spec(true),
        status: {
            state: "suspended",
            conditions: [
                condition("RayClusterProvisioned", "False", "RayClusterPodsProvisioning", "RayCluster has been suspended"),
                condition("RayClusterSuspending", "False", "RayClusterSuspending"),
                condition("RayClusterSuspended", "True", "RayClusterSuspended"),
            ],
            desiredWorkerReplicas: 0,
            readyWorkerReplicas: 0,
        },
    };
}

export function rayPod(name: string, nodeType: "head" | "worker", phase = "Running", waitingReason?: string): PodLike {
    const container = nodeType === "head" ? "ray-head" : "ray-worker";
    return {
        metadata: {
            name,
            labels: { "ray.io/cluster": "raycluster-pod-security", "ray.io/node-type": nodeType, "ray.io/group": nodeType === "head" ? "headgroup" : "small-group" },
        },
        spec: { containers: [{ name: container }] },
        status: {
            phase,
            containerStatuses: [{ name: container, state: waitingReason ? { waiting: { reason: waitingReason } } : {} }],
        },
    };
}

export const HEALTHY_PODS = [rayPod("raycluster-pod-security-head-8w2kq", "head"), rayPod("raycluster-pod-security-small-group-worker-t5x9c", "worker")];

export const PIP_OK: ExecResult = {
    exitCode: 0,
    stdout: "Collecting jsonpatch\n  Downloading jsonpatch-1.33-py2.py3-none-any.whl (12 kB)\nCollecting jsonpointer>=1.9\n  Downloading jsonpointer-3.0.0-py2.py3-none-any.whl (7.6 kB)\nInstalling collected packages: jsonpointer, jsonpatch\nSuccessfully installed jsonpatch-1.33 jsonpointer-3.0.0\n",
    stderr: "",
    timedOut: false,
};

export interface FakeClusterState {
    rayClusters: (RayClusterLike | undefined)[];
    pods: PodLike[];
    exec?: ExecResult;
    /** Where port-forwards lead: the fake Jobs API. */
    jobsPort?: number;
}

/** Each getRayCluster returns the next object in `rayClusters` (the last one repeats). */
export function fakeCluster(state: FakeClusterState): ClusterApi & { calls: string[] } {
    const calls: string[] = [];
    let reads = 0;
    return {
        calls,
        getRayCluster: async (namespace, name) => {
            calls.push(`get rayclusters ${namespace}/${name}`);
            return state.rayClusters[Math.min(reads++, state.rayClusters.length - 1)];
        },
        listRayPods: async (namespace, name) => {
            calls.push(`list pods ${namespace} ray.io/cluster=${name}`);
            return state.pods;
        },
        exec: async (namespace, pod, container, command) => {
            calls.push(`exec ${namespace}/${pod} -c ${container} -- ${command.join(" ")}`);
            return state.exec ?? PIP_OK;
        },
        portForward: async (namespace, pod, remotePort) => {
            calls.push(`port-forward ${namespace}/${pod} ${remotePort}`);
            if (state.jobsPort === undefined) throw new Error(`error upgrading connection: unable to forward port ${remotePort}`);
            return { port: state.jobsPort, failure: () => undefined, close: async () => void calls.push("port-forward closed") };
        },
    };
}

export const EXAMPLE_JOB_LOGS = [
    "2025-06-02 09:16:02,114\tINFO worker.py:1692 -- Connecting to existing Ray cluster at address: 10.244.0.7:6379...",
    "2025-06-02 09:16:02,131\tINFO worker.py:1863 -- Connected to Ray cluster. View the dashboard at 10.244.0.7:8265",
    "Installing xgboost-cpu==3.1.2 with pip",
    "(RayTrainWorker pid=412, ip=10.244.0.8) [0]\ttrain-logloss:0.46298\tvalid-logloss:0.47876",
    "Training finished.",
    '{"train-logloss": 0.0107, "train-error": 0.0, "valid-logloss": 0.0788, "valid-error": 0.0234}',
].join("\n");

/** Scratch file holding an audit log (text, or bytes such as gzip). */
export function auditLogFile(content: string | Buffer, name = "kube-apiserver-audit.log"): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "verify-audit-")), name);
    fs.writeFileSync(file, content);
    return file;
}

export interface FakeDeployment {
    target: VerifyTarget;
    deps: VerifyDeps;
    cluster: ReturnType<typeof fakeCluster>;
    jobs: FakeJobsServer;
    progress: string[];
    close(): Promise<void>;
}

async function deployment(target: VerifyTarget, state: Omit<FakeClusterState, "jobsPort">, auditLog: string, script: JobScript): Promise<FakeDeployment> {
    const jobs = await startFakeJobsServer(() => script);
    const cluster = fakeCluster({ ...state, jobsPort: Number(new URL(jobs.url).port) });
    const progress: string[] = [];
    const file = auditLogFile(auditLog);
    const deps: VerifyDeps = {
        cluster,
        // Labelled as the kind node's log, as a kind stack would read it.
        auditLogs: () => [{ ...fileAuditLog(file), label: `${target.clusterName}-control-plane:${target.auditLogPath}` }],
        jobsClient: (url) => new RayJobsClient(url),
        clock: fakeClock(Date.UTC(2025, 5, 2, 9, 15)),
        progress: (line) => progress.push(line),
    };
    return { target, deps, cluster, jobs, progress, close: () => jobs.close() };
}

const kindTarget = (stack: string, rayClusterName: string): VerifyTarget => ({
    stack,
    kubeContext: `kind-kuberay-${stack}`,
    clusterName: `kuberay-${stack}`,
    namespace: "pod-security",
    rayClusterName,
    headServiceName: `${rayClusterName}-head-svc`,
    auditLogPath: "/var/log/kubernetes/kube-apiserver-audit.log",
});

/** The shipped dev stack after `pulumi up`: everything passes. The kind audit policy omits RequestReceived. */
export function healthyDeployment(): Promise<FakeDeployment> {
    const head = "raycluster-pod-security-head-8w2kq";
    const worker = "raycluster-pod-security-small-group-worker-t5x9c";
    const audit = toLines([
        admittedPodCreate({ time: "2025-06-02T09:12:41.102311Z" }),
        podList("raycluster-pod-security", { time: "2025-06-02T09:12:41.210476Z" }),
        admittedPodCreate({ time: "2025-06-02T09:12:41.309872Z" }),
        podGet(head, { time: "2025-06-02T09:12:52.771020Z" }),
        podGet(worker, { time: "2025-06-02T09:13:02.140395Z" }),
        podGet(head, { time: "2025-06-02T09:13:21.506114Z" }),
        podList("raycluster-pod-security", { time: "2025-06-02T09:13:21.611987Z" }),
    ]);
    const running = Array.from({ length: 40 }, () => "RUNNING" as const);
    return deployment(
        kindTarget("dev", "raycluster-pod-security"),
        { rayClusters: [provisioningRayCluster(), readyRayCluster()], pods: HEALTHY_PODS },
        audit,
        { statuses: ["PENDING", "PENDING", "PENDING", "PENDING", ...running, "SUCCEEDED"], logs: EXAMPLE_JOB_LOGS },
    );
}

/**
 * Step 5.1, as a stack of its own (`ray.variant: complete`, `podSecurity.failOnViolation: false`): the RayCluster
 * without securityContext under `restricted`; the operator's head Pod is refused on every retry.
 */
export function step51Deployment(): Promise<FakeDeployment> {
    const name = "raycluster-complete";
    const audit = toLines([
        refusedPodCreate(`${name}-head-x7k2p`, { time: "2025-06-02T09:12:41.102311Z" }),
        podList(name, { time: "2025-06-02T09:12:41.201530Z" }),
        refusedPodCreate(`${name}-head-q4m8d`, { time: "2025-06-02T09:12:41.388514Z" }),
        refusedPodCreate(`${name}-head-bz9rw`, { time: "2025-06-02T09:12:42.015733Z" }),
        refusedPodCreate(`${name}-head-5jvkt`, { time: "2025-06-02T09:12:43.301946Z" }),
    ]);
    return deployment(kindTarget("step51", name), { rayClusters: [refusedRayCluster(name)], pods: [] }, audit, { statuses: ["SUCCEEDED"] });
}
