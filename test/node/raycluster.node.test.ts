/**
 * The existing-cluster flow for real, on a real node: the shipped Pulumi.existing.yaml pointed at the harness,
 * `pulumi up` through the real CLI and providers. The chart's operator Deployment runs from its image as a Pod
 * on the node and reaches the API server with its in-cluster configuration, through the `kubernetes` Service;
 * the program's hardened RayCluster runs on a real kubelet — head and worker Running and Ready, each
 * container's process non-root with no capabilities, no privilege escalation and the runtime's seccomp
 * profile, the worker joined to the head through the head Service's DNS name — and `npm run verify` passes all
 * five checks. Then the same cluster with another uid (as OpenShift assigns one), the tutorial's Step 5.1
 * beside it, refused, and `pulumi destroy`.
 */

import { spawnSync } from "child_process";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { podSecurityLabels } from "../../components/namespace/labels";
import { headServiceName } from "../../components/raycluster/rayClusterSpec";
import { evaluateManifest } from "../../pss/evaluateManifest";
import { runVerifyCommand } from "../../verify/cli/verifyCommand";
import { connect } from "../../verify/run/connect";
import { KubeCluster } from "../../verify/kube/kubeCluster";
import { KUBERNETES_SERVICE_IP } from "../support/harness/certificates";
import { KUBERAY_CHART_DIR } from "../support/harness/kuberayOperator";
import { REAL_NODE_NAME } from "../support/harness/realNode";
import { replicaFailure, step51Manifest } from "../support/tutorial/step51";
import { clusterClients, eventually, podAuditEvents, programObjects, rayClusters } from "../support/pulumi/clusterState";
import { HelmRepository, startHelmRepository } from "../support/pulumi/helmRepository";
import { skipAfterFirstFailure } from "../support/pulumi/lifeWalk";
import { PulumiCli } from "../support/pulumi/pulumiCli";
import { printTimings } from "../support/pulumi/timings";
import { runVerify } from "../support/pulumi/verify";
import { programWarnings } from "../support/pulumi/warnings";
import { sharedPath } from "../support/shared";
import { NODE_NAMESPACE as NAMESPACE, NODE_RAY_CLUSTER as RAY_CLUSTER } from "../support/node/names";
import { aliveRayNodes, containerProcessStatus, deleteRayCluster, HARDENED, nodeContainerPods, nodeContainerProcessStatus, podsReady } from "../support/node/rayPods";
import { DEFAULT_RAY_VERSION } from "../../model/ray";
import { NODE_IP, OPERATOR_IMAGE } from "../support/pinned";

const STACK = "node-existing";
const { kubeconfigPath, auditLogPath, runDir } = inject("controlPlane");
const kubeConfig = new k8s.KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath);
const api = clusterClients(kubeConfig);
const cluster = new KubeCluster(kubeConfig);
/** A uid from OpenShift's per-namespace ranges, with the program's group kept. */
const OTHER_UID = 1000680000;
const figures: string[] = [];
let cli: PulumiCli;
let repo: HelmRepository;

beforeAll(async () => {
    cli = new PulumiCli();
    repo = await startHelmRepository(sharedPath(KUBERAY_CHART_DIR));
    await cli.initStack(STACK, "Pulumi.existing.yaml");
    // Only what differs from the shipped file on this node: where the cluster is, the chart mirror, sizes.
    await cli.setConfig(STACK, {
        "cluster.kubeconfig": kubeconfigPath,
        "cluster.context": "e2e",
        "operator.chartRepository": repo.url,
        // Two cores: 0.1 CPU for the operator, 0.4 for each Ray Pod, and room for the uid variant's two. 3 GiB
        // each: with 2 GiB, Ray's memory monitor killed the example's training task once in three runs.
        "ray.head.cpu": "400m",
        "ray.head.memory": "3Gi",
        "ray.workerGroups[0].replicas": "1",
        "ray.workerGroups[0].cpu": "400m",
        "ray.workerGroups[0].memory": "3Gi",
    });
});

// One stack walked through its life: after a failure the later steps would only repeat it.
skipAfterFirstFailure();

afterAll(async () => {
    if (cli) printTimings(cli.calls);
    console.log(`node suite figures:\n  ${figures.join("\n  ")}`);
    // Whatever a failed test left goes with the control plane; the stack's files go here.
    cli?.dispose();
    await repo?.close();
});

async function operatorPod(): Promise<k8s.V1Pod> {
    const pods = (await api.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: "app.kubernetes.io/name=kuberay-operator" })).items;
    expect(pods).toHaveLength(1);
    return pods[0];
}

async function programRayPods(name = RAY_CLUSTER): Promise<k8s.V1Pod[]> {
    return (await podsReady(api.core, NAMESPACE, name, 2))!;
}

describe("`pulumi up` of the existing-cluster stack on a real node", () => {
    it("deploys the namespace, the chart and the RayCluster through the real CLI, and returns once the RayCluster is ready", async () => {
        const up = await cli.ok(STACK, ["up", "--yes"]);
        figures.push(`pulumi up (namespace, chart, operator Pod, RayCluster ready): ${(up.ms / 1000).toFixed(0)} s`);
        expect(programWarnings(up.stdout + up.stderr)).toEqual([]);
        const [rayCluster] = await rayClusters(api, NAMESPACE);
        expect(rayCluster.metadata.name).toBe(RAY_CLUSTER);
        expect(rayCluster.status?.state).toBe("ready");
        expect(await cli.outputs(STACK)).toMatchObject({ namespace: NAMESPACE, rayClusterName: RAY_CLUSTER, kubeconfigPath, clusterName: "" });
        const namespace = await api.core.readNamespace({ name: NAMESPACE });
        expect(namespace.metadata?.labels).toMatchObject(podSecurityLabels("restricted", "latest"));
    });

    it("the operator runs from the chart's Deployment and its image as a Pod on the node, hardened, admitted under restricted", async () => {
        const pod = await operatorPod();
        expect(pod.spec?.nodeName).toBe(REAL_NODE_NAME);
        expect(pod.status?.phase).toBe("Running");
        expect(pod.spec?.containers[0].image).toBe(OPERATOR_IMAGE);
        expect(pod.spec?.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
        // The image is distroless (no `cat`): the host reads the container's process.
        expect(nodeContainerProcessStatus(runDir, pod, pod.spec!.containers[0].name)).toEqual({ ...HARDENED, uid: "65532", gid: "65532" });
        // No operator process of the harness's (its binary is .../kuberay-operator): the Pod is the only operator.
        expect(spawnSync("pgrep", ["-f", "/kuberay-operator( |$)"]).status).toBe(1);
        // Every Pod created in the namespace (the operator's by the ReplicaSet controller, the Ray Pods by the
        // operator) was admitted under restricted:latest with no violation.
        const creates = podAuditEvents(auditLogPath, NAMESPACE).filter((e) => e.verb === "create" && e.responseStatus?.code === 201);
        const operatorUser = `system:serviceaccount:${NAMESPACE}:${pod.spec!.serviceAccountName}`;
        expect(creates.filter((e) => e.user?.username !== operatorUser).length).toBeGreaterThanOrEqual(1);
        for (const event of creates) {
            expect(event.annotations?.["pod-security.kubernetes.io/enforce-policy"]).toBe("restricted:latest");
            expect(event.annotations?.["pod-security.kubernetes.io/audit-violations"]).toBeUndefined();
        }
    });

    it("the operator reaches the API server from the Pod network through the `kubernetes` Service, with its in-cluster configuration", async () => {
        const pod = await operatorPod();
        // The Service's endpoint is the API server on the node's address; the Pod gets the Service's address.
        const service = await api.core.readNamespacedService({ name: "kubernetes", namespace: "default" });
        expect(service.spec?.clusterIP).toBe(KUBERNETES_SERVICE_IP);
        const endpoints = await api.core.readNamespacedEndpoints({ name: "kubernetes", namespace: "default" });
        expect(endpoints.subsets?.[0].addresses?.map((address) => address.ip)).toEqual([NODE_IP]);
        expect(pod.spec?.containers[0].env?.some((env) => env.name === "KUBECONFIG") ?? false).toBe(false);
        expect(pod.spec?.volumes?.some((volume) => volume.projected?.sources?.some((source) => source.serviceAccountToken))).toBe(true);
        // Its requests come from the Pod's own address, as its service account: it made the Ray Pods.
        const operatorUser = `system:serviceaccount:${NAMESPACE}:${pod.spec!.serviceAccountName}`;
        const rayPodCreates = podAuditEvents(auditLogPath, NAMESPACE).filter((e) => e.verb === "create" && e.responseStatus?.code === 201 && e.user?.username === operatorUser);
        expect(rayPodCreates.length).toBeGreaterThanOrEqual(2);
        for (const event of rayPodCreates) expect(event.sourceIPs).toEqual([pod.status!.podIP]);
        expect(pod.status!.podIP).not.toBe(NODE_IP);
    });

    it("the RayCluster's head and worker are Running and Ready on the node; no Pod ever pulled", async () => {
        const pods = await programRayPods();
        expect(pods.map((pod) => pod.metadata?.labels?.["ray.io/node-type"]).sort()).toEqual(["head", "worker"]);
        expect(pods.every((pod) => pod.spec?.nodeName === REAL_NODE_NAME && pod.status?.podIP?.startsWith("10.213.0."))).toBe(true);
        // The locally built images are used as they are: the kubelet never pulled.
        const events = (await api.core.listNamespacedEvent({ namespace: NAMESPACE })).items;
        expect(events.filter((event) => event.reason === "Pulling").map((event) => event.message)).toEqual([]);
        const pulled = events.filter((event) => event.reason === "Pulled").map((event) => event.message ?? "");
        expect(pulled.length, JSON.stringify(pulled)).toBeGreaterThanOrEqual(3);
        expect(pulled.every((message) => /^Container image "[^"]+" already present on machine/.test(message)), JSON.stringify(pulled)).toBe(true);
    });

    it("inside each Ray container the process is uid 1000, gid 100, no new privileges, seccomp filtered, no effective capabilities", async () => {
        for (const pod of await programRayPods()) {
            const container = pod.spec!.containers[0].name;
            expect(await containerProcessStatus(cluster, pod, container), `${pod.metadata!.name}/${container}`).toEqual({ ...HARDENED, uid: "1000", gid: "100" });
        }
    });

    it("the worker has joined the head through the head Service's DNS name: two alive Ray nodes", async () => {
        const pods = await programRayPods();
        const head = pods.find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "head")!;
        const worker = pods.find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "worker")!;
        // The operator points the worker at the head by the Service's cluster DNS name, as on any cluster.
        const fqdn = `${headServiceName(RAY_CLUSTER)}.${NAMESPACE}.svc.cluster.local`;
        expect(JSON.stringify(worker.spec)).toContain(fqdn);
        const resolved = await cluster.exec(NAMESPACE, worker.metadata!.name!, worker.spec!.containers[0].name, ["python", "-c", `import socket; print(socket.gethostbyname("${fqdn}"))`], 60_000);
        expect(resolved.exitCode, resolved.stderr).toBe(0);
        // KubeRay 1.7 makes the head Service headless: its name is the head Pod's address.
        const service = await api.core.readNamespacedService({ name: headServiceName(RAY_CLUSTER), namespace: NAMESPACE });
        expect(service.spec!.clusterIP).toBe("None");
        expect(resolved.stdout.trim()).toBe(head.status!.podIP);
        expect(await eventually("two alive Ray nodes", async () => ((await aliveRayNodes(cluster, head)) === 2 ? 2 : undefined), 120_000)).toBe(2);
    });

    it("Service routing: from the worker, a ClusterIP Service for the head's dashboard answers through kube-proxy", async () => {
        const worker = (await programRayPods()).find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "worker")!;
        const service = await api.core.createNamespacedService({
            namespace: NAMESPACE,
            body: { metadata: { name: "dashboard-clusterip" }, spec: { selector: { "ray.io/cluster": RAY_CLUSTER, "ray.io/node-type": "head" }, ports: [{ port: 80, targetPort: 8265 as any }] } },
        });
        try {
            expect(service.spec!.clusterIP).toMatch(/^10\.96\./);
            const url = `http://dashboard-clusterip.${NAMESPACE}.svc.cluster.local/api/version`;
            const fetched = await eventually("the dashboard through the ClusterIP Service", async () => {
                const result = await cluster.exec(NAMESPACE, worker.metadata!.name!, worker.spec!.containers[0].name, ["wget", "-q", "-T", "5", "-O-", url], 30_000);
                return result.exitCode === 0 ? result.stdout : undefined;
            }, 60_000);
            expect(JSON.parse(fetched).ray_version).toBe(DEFAULT_RAY_VERSION);
        } finally {
            await api.core.deleteNamespacedService({ name: "dashboard-clusterip", namespace: NAMESPACE });
        }
    });

    it("`npm run verify` passes all five checks: the job SUCCEEDED through a real port-forward, pip through a real exec", async () => {
        const report = await runVerify(cli, STACK, ["--timeout", "900", "--audit-log", auditLogPath]);
        const statuses = Object.fromEntries(report.json.checks.map((check) => [check.id, check.status]));
        expect(statuses, report.output).toEqual({ raycluster: "passed", pods: "passed", audit: "passed", job: "passed", pip: "passed" });
        expect(report.code).toBe(0);
        const job = report.json.checks.find((check) => check.id === "job")!;
        expect(job.summary).toMatch(/SUCCEEDED/);
        figures.push(`verify's example job on the RayCluster: ${job.summary}`);
    });
});

describe("the same RayCluster with another uid (as OpenShift assigns one), beside the program's", () => {
    const otherName = `${RAY_CLUSTER}-uid`;

    it("runs Ray as uid 1000680000, but pip and so the job fail: the image's Python environment belongs to uid 1000", async () => {
        // The program's RayCluster as deployed, under another name and uid.
        const [deployed] = await rayClusters(api, NAMESPACE);
        const other = { apiVersion: "ray.io/v1", kind: "RayCluster", metadata: { name: otherName }, spec: structuredClone(deployed.spec) };
        for (const template of [other.spec.headGroupSpec.template, ...(other.spec.workerGroupSpecs ?? []).map((group: any) => group.template)]) {
            template.spec.securityContext = { ...template.spec.securityContext, runAsUser: OTHER_UID };
        }
        await api.custom.createNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: NAMESPACE, plural: "rayclusters", body: other });
        try {
            const pods = await eventually("Pods Ready", () => podsReady(api.core, NAMESPACE, otherName, 2), 480_000);
            for (const pod of pods) {
                expect(await containerProcessStatus(cluster, pod, pod.spec!.containers[0].name)).toEqual({ ...HARDENED, uid: String(OTHER_UID), gid: "100" });
            }
            const head = pods.find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "head")!;
            expect(await eventually("two alive Ray nodes", async () => ((await aliveRayNodes(cluster, head)) === 2 ? 2 : undefined), 120_000)).toBe(2);

            // verify's own command on the stack's outputs, pointed at this cluster (it is not the stack's).
            const outputs = { ...(await cli.outputs(STACK)), rayClusterName: otherName, headServiceName: headServiceName(otherName) };
            let stdout = "";
            let stderr = "";
            const code = await runVerifyCommand(
                ["--json", "--timeout", "900", "--audit-log", auditLogPath],
                { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
                { stackOutputs: async () => outputs, connect },
            );
            const checks = Object.fromEntries((JSON.parse(stdout).checks as Array<{ id: string; status: string; summary: string }>).map((check) => [check.id, check]));
            expect(Object.fromEntries(Object.entries(checks).map(([id, check]) => [id, check.status])), stderr).toEqual({ raycluster: "passed", pods: "passed", audit: "passed", job: "failed", pip: "failed" });
            expect(code).toBe(1);
            const denied = "Permission denied: '/home/ray/anaconda3/lib/python3.11/site-packages/";
            expect(checks.pip.summary).toBe(`\`pip install jsonpatch\` in ${head.metadata!.name} exited 1`);
            expect(JSON.stringify(checks.pip)).toContain(denied);
            // The example pip-installs xgboost into the driver's Python first, and stops there.
            expect(checks.job.summary).toMatch(/ended FAILED/);
            expect(JSON.stringify(checks.job)).toContain(denied);
            figures.push(`uid ${OTHER_UID}: Ray runs (two nodes); pip and the job fail with Permission denied on the image's site-packages`);
        } finally {
            await deleteRayCluster(api.custom, api.core, NAMESPACE, otherName);
        }
    });
});

describe("the tutorial's Step 5.1 cluster in the same namespace", () => {
    const step51 = step51Manifest();
    const predicted = evaluateManifest(step51, "restricted", "latest");

    it("is refused: ReplicaFailure word for word the checker's, no Pod, nothing started on the node, the program's cluster untouched", async () => {
        await api.custom.createNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: NAMESPACE, plural: "rayclusters", body: step51 });
        try {
            const failure = await replicaFailure(api.custom, NAMESPACE, step51.metadata.name);
            expect(failure.reason).toBe("FailedCreateHeadPod");
            expect(/pods "[^"]*" is forbidden: (.*)$/s.exec(failure.message)?.[1]).toBe(predicted.evaluated ? predicted.pods[0].message : "");
            expect((await api.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: `ray.io/cluster=${step51.metadata.name}` })).items).toEqual([]);
            // containerd's own record: the namespace's containers are the program's and the operator's only.
            const onNode = nodeContainerPods(runDir, NAMESPACE);
            expect(onNode.length).toBeGreaterThan(0);
            expect(onNode.filter((pod) => pod.startsWith(step51.metadata.name))).toEqual([]);
            expect(await programRayPods()).toHaveLength(2);
        } finally {
            await deleteRayCluster(api.custom, api.core, NAMESPACE, step51.metadata.name);
        }
    });
});

describe("`pulumi destroy`", () => {
    it("removes the RayCluster, the operator, the CRDs and the namespace: nothing of the program's on the cluster or the node", async () => {
        const destroy = await cli.ok(STACK, ["destroy", "--yes"]);
        figures.push(`pulumi destroy: ${(destroy.ms / 1000).toFixed(0)} s`);
        expect(await programObjects(api, NAMESPACE)).toEqual({ Namespace: [], CustomResourceDefinition: [], ClusterRole: [], ClusterRoleBinding: [] });
        expect(await eventually("the node's containers of the namespace gone", async () => (nodeContainerPods(runDir, NAMESPACE).length === 0 ? [] : undefined), 120_000)).toEqual([]);
        expect((await cli.stateResources(STACK)).filter((resource) => resource.type.startsWith("kubernetes:"))).toEqual([]);
        await cli.ok(STACK, ["stack", "rm", "--yes"]);
    });
});
