/**
 * The tutorial's claim for real: the program's hardened RayCluster (its own builders, default configuration)
 * in a namespace enforcing `restricted:latest` runs on a real kubelet — head and worker Pods Running and
 * Ready, each container's process non-root with no capabilities, no privilege escalation and the runtime's
 * seccomp profile, the worker joined to the head through the head Service's DNS name — and `npm run verify`
 * passes all five checks through a real port-forward and a real exec. Then the same cluster with another
 * uid (as OpenShift assigns one), and the tutorial's Step 5.1 cluster next to it, refused as before.
 */

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadStackConfig } from "../../components/config/stackConfig";
import { DEFAULT_RAY_VERSION } from "../../components/config/schema";
import { podSecurityLabels } from "../../components/namespace/labels";
import { buildExampleConfigMap, EXAMPLE_CONFIGMAP_NAME, headServiceName } from "../../components/raycluster/rayClusterSpec";
import { rayClusterPlan, SecureRayCluster } from "../../components/raycluster/secureRayCluster";
import { evaluateManifest } from "../../pss/evaluateManifest";
import { KubeCluster } from "../../verify/kube/kubeCluster";
import { PulumiCli } from "../engine/helpers/pulumiCli";
import { runVerify } from "../engine/helpers/verify";
import { clients, createNamespace, eventually } from "../e2e/helpers/cluster";
import { E2E_NAMESPACE } from "../e2e/helpers/names";
import { step51Manifest } from "../e2e/helpers/step51";
import { STEP51_NAMESPACE } from "./helpers/names";
import { aliveRayNodes, containerProcessStatus, deleteRayCluster, nodeContainersIn, podsReady, seedExistingClusterStack } from "./helpers/rayPods";

const { kubeConfig, core, custom } = clients();
const cluster = new KubeCluster(kubeConfig);
const config = loadStackConfig({}, { stack: "node", resolvePath: (p) => p, isReadableFile: () => false });
const manifest = SecureRayCluster.manifest(rayClusterPlan({ ...config, namespace: E2E_NAMESPACE }));
const name = manifest.metadata.name!;
/** A uid from OpenShift's per-namespace ranges, with the program's group kept. */
const OTHER_UID = 1000680000;
const figures: string[] = [];
let cli: PulumiCli;

function rayClusterResource(body: object) {
    return custom.createNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: E2E_NAMESPACE, plural: "rayclusters", body });
}

beforeAll(async () => {
    cli = new PulumiCli();
    await createNamespace(core, E2E_NAMESPACE, podSecurityLabels(config.podSecurity.level, config.podSecurity.version));
    await core.createNamespacedConfigMap({ namespace: E2E_NAMESPACE, body: buildExampleConfigMap(EXAMPLE_CONFIGMAP_NAME) as any });
});

afterAll(() => {
    cli?.dispose();
    console.log(`node suite figures:\n  ${figures.join("\n  ")}`);
});

describe("the program's hardened RayCluster on a real node", () => {
    it("runs: head and worker Pods Running and Ready", async () => {
        expect(manifest.spec.workerGroupSpecs?.[0].replicas).toBe(1);
        const created = Date.now();
        await rayClusterResource(manifest);
        const pods = await eventually("head and worker Pods Ready", () => podsReady(core, E2E_NAMESPACE, name, 2), 480_000);
        figures.push(`RayCluster created → head and worker Running and Ready: ${((Date.now() - created) / 1000).toFixed(0)} s`);
        expect(pods.map((pod) => pod.metadata?.labels?.["ray.io/node-type"]).sort()).toEqual(["head", "worker"]);
        expect(pods.every((pod) => pod.spec?.nodeName === "krps-node-0" && pod.status?.podIP?.startsWith("10.213.0."))).toBe(true);
        // The locally built image is used as it is: the kubelet never pulled.
        const events = (await core.listNamespacedEvent({ namespace: E2E_NAMESPACE })).items.filter((event) => pods.some((pod) => pod.metadata?.name === event.involvedObject.name));
        expect(events.filter((event) => event.reason === "Pulling")).toEqual([]);
        const image = manifest.spec.headGroupSpec.template.spec!.containers[0].image;
        const pulled = events.filter((event) => event.reason === "Pulled").map((event) => event.message ?? "");
        expect(pulled.length, JSON.stringify(pulled)).toBeGreaterThan(0);
        expect(pulled.every((message) => message.startsWith(`Container image "${image}" already present on machine`)), JSON.stringify(pulled)).toBe(true);
    });

    it("inside each container the process is uid 1000, gid 100, no new privileges, seccomp filtered, no effective capabilities", async () => {
        const pods = await podsReady(core, E2E_NAMESPACE, name, 2);
        for (const pod of pods!) {
            const container = pod.spec!.containers[0].name;
            const status = await containerProcessStatus(cluster, pod, container);
            expect(status, `${pod.metadata!.name}/${container}`).toEqual({ uid: "1000", gid: "100", noNewPrivs: "1", seccomp: "2", capEff: "0000000000000000" });
        }
    });

    it("the worker has joined the head through the head Service's DNS name: two alive Ray nodes", async () => {
        const pods = (await podsReady(core, E2E_NAMESPACE, name, 2))!;
        const head = pods.find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "head")!;
        const worker = pods.find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "worker")!;
        // The operator points the worker at the head by the Service's cluster DNS name, as on any cluster.
        const fqdn = `${headServiceName(name)}.${E2E_NAMESPACE}.svc.cluster.local`;
        expect(JSON.stringify(worker.spec)).toContain(fqdn);
        const resolved = await cluster.exec(E2E_NAMESPACE, worker.metadata!.name!, worker.spec!.containers[0].name, ["python", "-c", `import socket; print(socket.gethostbyname("${fqdn}"))`], 60_000);
        expect(resolved.exitCode, resolved.stderr).toBe(0);
        // KubeRay 1.7 makes the head Service headless: its name is the head Pod's address.
        const service = await core.readNamespacedService({ name: headServiceName(name), namespace: E2E_NAMESPACE });
        expect(service.spec!.clusterIP).toBe("None");
        expect(resolved.stdout.trim()).toBe(head.status!.podIP);
        expect(await eventually("two alive Ray nodes", async () => ((await aliveRayNodes(cluster, head)) === 2 ? 2 : undefined), 120_000)).toBe(2);
    });

    it("Service routing: from the worker, a ClusterIP Service for the head's dashboard answers through kube-proxy", async () => {
        const pods = (await podsReady(core, E2E_NAMESPACE, name, 2))!;
        const worker = pods.find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "worker")!;
        const service = await core.createNamespacedService({
            namespace: E2E_NAMESPACE,
            body: { metadata: { name: "dashboard-clusterip" }, spec: { selector: { "ray.io/cluster": name, "ray.io/node-type": "head" }, ports: [{ port: 80, targetPort: 8265 as any }] } },
        });
        try {
            expect(service.spec!.clusterIP).toMatch(/^10\.96\./);
            const url = `http://dashboard-clusterip.${E2E_NAMESPACE}.svc.cluster.local/api/version`;
            const fetched = await eventually("the dashboard through the ClusterIP Service", async () => {
                const result = await cluster.exec(E2E_NAMESPACE, worker.metadata!.name!, worker.spec!.containers[0].name, ["wget", "-q", "-T", "5", "-O-", url], 30_000);
                return result.exitCode === 0 ? result.stdout : undefined;
            }, 60_000);
            expect(JSON.parse(fetched).ray_version).toBe(DEFAULT_RAY_VERSION);
        } finally {
            await core.deleteNamespacedService({ name: "dashboard-clusterip", namespace: E2E_NAMESPACE });
        }
    });

    it("`npm run verify` passes all five checks: the job SUCCEEDED through a real port-forward, pip through a real exec", async () => {
        const stack = "engine-node";
        await seedExistingClusterStack(cli, stack, { kubeconfigPath: inject("controlPlane").kubeconfigPath, namespace: E2E_NAMESPACE, rayClusterName: name });
        const report = await runVerify(cli, stack, ["--timeout", "900", "--audit-log", inject("controlPlane").auditLogPath]);
        const statuses = Object.fromEntries(report.json.checks.map((check) => [check.id, check.status]));
        expect(statuses, report.output).toEqual({ raycluster: "passed", pods: "passed", audit: "passed", job: "passed", pip: "passed" });
        expect(report.code).toBe(0);
        const job = report.json.checks.find((check) => check.id === "job")!;
        expect(job.summary).toMatch(/SUCCEEDED/);
        figures.push(`verify's example job on the RayCluster: ${job.summary}`);
    });
});

describe("the same RayCluster with another uid (as OpenShift assigns one)", () => {
    const otherName = `${name}-uid`;
    const other = structuredClone(manifest);
    other.metadata.name = otherName;
    for (const template of [other.spec.headGroupSpec.template, ...(other.spec.workerGroupSpecs ?? []).map((group) => group.template)]) {
        template.spec!.securityContext = { ...template.spec!.securityContext, runAsUser: OTHER_UID };
    }

    it("runs Ray as uid 1000680000, but pip and so the job fail: the image's Python environment belongs to uid 1000", async () => {
        // Two CPUs: the first cluster makes room.
        await deleteRayCluster(custom, core, E2E_NAMESPACE, name);
        await rayClusterResource(other);
        const pods = await eventually("Pods Ready", () => podsReady(core, E2E_NAMESPACE, otherName, 2), 480_000);
        for (const pod of pods) {
            const status = await containerProcessStatus(cluster, pod, pod.spec!.containers[0].name);
            expect(status).toEqual({ uid: String(OTHER_UID), gid: "100", noNewPrivs: "1", seccomp: "2", capEff: "0000000000000000" });
        }
        const head = pods.find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "head")!;
        expect(await eventually("two alive Ray nodes", async () => ((await aliveRayNodes(cluster, head)) === 2 ? 2 : undefined), 120_000)).toBe(2);

        const stack = "engine-node-uid";
        await seedExistingClusterStack(cli, stack, { kubeconfigPath: inject("controlPlane").kubeconfigPath, namespace: E2E_NAMESPACE, rayClusterName: otherName });
        const report = await runVerify(cli, stack, ["--timeout", "900", "--audit-log", inject("controlPlane").auditLogPath]);
        const checks = Object.fromEntries(report.json.checks.map((check) => [check.id, check]));
        expect(Object.fromEntries(Object.entries(checks).map(([id, check]) => [id, check.status])), report.output).toEqual({ raycluster: "passed", pods: "passed", audit: "passed", job: "failed", pip: "failed" });
        const denied = "Permission denied: '/home/ray/anaconda3/lib/python3.11/site-packages/";
        expect(checks.pip.summary).toBe(`\`pip install jsonpatch\` in ${head.metadata!.name} exited 1`);
        expect(JSON.stringify(checks.pip)).toContain(denied);
        // The example pip-installs xgboost into the driver's Python first, and stops there.
        expect(checks.job.summary).toMatch(/ended FAILED/);
        expect(JSON.stringify(checks.job)).toContain(denied);
        figures.push(`uid ${OTHER_UID}: Ray runs (two nodes); pip and the job fail with Permission denied on the image's site-packages`);
    });
});

describe("the tutorial's Step 5.1 cluster next to it", () => {
    const step51 = step51Manifest();
    const predicted = evaluateManifest(step51, "restricted", "latest");

    it("is refused as on the kwok node: ReplicaFailure word for word the checker's, no Pod, nothing started on the node", async () => {
        await createNamespace(core, STEP51_NAMESPACE, podSecurityLabels("restricted", "latest"));
        await custom.createNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: STEP51_NAMESPACE, plural: "rayclusters", body: step51 });
        const failure = await eventually("ReplicaFailure condition", async () => {
            const object = (await custom.getNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: STEP51_NAMESPACE, plural: "rayclusters", name: step51.metadata.name })) as any;
            return object.status?.conditions?.find((c: any) => c.type === "ReplicaFailure" && c.status === "True");
        });
        expect(failure.reason).toBe("FailedCreateHeadPod");
        expect(/pods "[^"]*" is forbidden: (.*)$/s.exec(failure.message)?.[1]).toBe(predicted.evaluated ? predicted.pods[0].message : "");
        expect((await core.listNamespacedPod({ namespace: STEP51_NAMESPACE })).items).toEqual([]);
        // containerd's own record: no container for the namespace, though the filter finds the program's.
        expect(nodeContainersIn(inject("controlPlane").runDir, E2E_NAMESPACE).length).toBeGreaterThan(0);
        expect(nodeContainersIn(inject("controlPlane").runDir, STEP51_NAMESPACE)).toEqual([]);
        // The program's cluster beside it is untouched.
        expect(await podsReady(core, E2E_NAMESPACE, `${name}-uid`, 2)).toHaveLength(2);
    });
});
