/**
 * The README's main path, for real: the shipped Pulumi.dev.yaml — changed only where this machine needs it
 * (the node image built here, the operator and Ray images to load, a chart mirror on loopback, the two config
 * patches a cgroup v1 host that withholds CAP_SYS_RESOURCE needs, Ray Pods sized for two cores) — through the
 * real Pulumi CLI and providers, on a real kind cluster in the suite's own Docker engine. Faults first (nothing
 * made), then one stack walked through its life: up, the cluster and what runs in it, verify, Step 5.1, a
 * no-op preview, a cluster deleted behind Pulumi's back, destroy, a cluster of that name the stack did not make.
 */

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse, stringify } from "yaml";
import { AUDIT_LOG_PATH, AUDIT_POLICY_PATH, auditLogCommand, buildAuditPolicy } from "../../components/kind/kindConfig";
import { podSecurityLabels } from "../../components/namespace/labels";
import { evaluateManifest } from "../../pss/evaluateManifest";
import { KubeCluster } from "../../verify/kube/kubeCluster";
import { KUBERAY_CHART_DIR } from "../support/harness/kuberayOperator";
import { replicaFailure, step51Manifest } from "../support/tutorial/step51";
import { clusterClients, ClusterClients, namespaceExists, rayClusters } from "../support/pulumi/clusterState";
import { HelmRepository, startHelmRepository } from "../support/pulumi/helmRepository";
import { skipAfterFirstFailure } from "../support/pulumi/lifeWalk";
import { PulumiCli, runPrintedCommand } from "../support/pulumi/pulumiCli";
import { printTimings } from "../support/pulumi/timings";
import { runVerify } from "../support/pulumi/verify";
import { programWarnings } from "../support/pulumi/warnings";
import { eventually } from "../support/eventually";
import { sharedPath } from "../support/shared";
import { aliveRayNodes, HARDENED, podsReady } from "../support/node/rayPods";
import { docker, inNode, nodeContainerStatus } from "../support/kind/node";
import { OPERATOR_IMAGE } from "../support/pinned";

const STACK = "engine-kind-real";
// What the shipped Pulumi.dev.yaml and Pulumi.yaml's defaults make of this stack.
const CLUSTER = `kuberay-${STACK}`;
const NODE = `${CLUSTER}-control-plane`;
const NAMESPACE = "pod-security";
const RAY_CLUSTER = "raycluster-pod-security";
/** What this machine needs of kind: a kubelet that runs on cgroup v1, a containerd that never lowers oom_score_adj. */
const KUBELET_PATCH = "kind: KubeletConfiguration\nfailCgroupV1: false\n";
const CONTAINERD_PATCH = '[plugins."io.containerd.grpc.v1.cri"]\n  restrict_oom_score_adj = true\n';
/** The Ray containers' process: uid 1000, gid 100, hardened. */
const RAY_PROCESS = { ...HARDENED, uid: "1000", gid: "100" };

const suite = inject("kind");
let tmp: string;
let workDir: string;
let kubeconfigFile: string;
let cli: PulumiCli;
let repo: HelmRepository;
/** What every CLI call (and verify, kind, docker) gets on top of the CLI's environment. */
let env: NodeJS.ProcessEnv;
const figures: string[] = [];

beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "krps-kind-stack-"));
    const xdgStateHome = path.join(tmp, "xdg-state");
    workDir = path.join(xdgStateHome, "kuberay-pod-security", "kind", CLUSTER);
    // kind writes its kubeconfig context here, not into the user's ~/.kube/config.
    kubeconfigFile = path.join(tmp, "kubeconfig");
    cli = new PulumiCli();
    env = { ...suite.dockerEnv, PATH: `${suite.dockerEnv.PATH.split(":")[0]}:${cli.env.PATH}`, XDG_STATE_HOME: xdgStateHome, KUBECONFIG: kubeconfigFile };
    repo = await startHelmRepository(sharedPath(KUBERAY_CHART_DIR));
    await cli.initStack(STACK, "Pulumi.dev.yaml");
    await cli.setConfig(STACK, {
        "cluster.nodeImage": suite.nodeImage,
        "cluster.imageArchives[0]": suite.operatorArchive,
        "cluster.imageArchives[1]": suite.rayArchive,
        "cluster.kubeadmConfigPatches[0]": KUBELET_PATCH,
        "cluster.containerdConfigPatches[0]": CONTAINERD_PATCH,
        "operator.chartRepository": repo.url,
        // Two cores: kind's control plane and kube-system Pods request 0.95 CPU and the operator 0.1; 0.4 for each Ray Pod.
        "ray.head.cpu": "400m",
        "ray.workerGroups[0].cpu": "400m",
    });
});

// One stack walked through its life: after a failure the later steps would only repeat it.
const walk = skipAfterFirstFailure();

afterAll(async () => {
    if (cli) printTimings(cli.calls);
    if (figures.length > 0) console.log(`kind suite figures:\n  ${figures.join("\n  ")}`);
    // Whatever a failed test left: the stack's cluster (the engine's stop removes every container anyway).
    try {
        docker(suite.dockerEnv, ["rm", "-f", "-v", NODE]);
    } catch {
        // not there
    }
    cli?.dispose();
    await repo?.close();
    if (tmp && !walk.failed) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The `kind` command as a user runs it beside the stack (same PATH, Docker and kubeconfig). */
function kind(args: string[]): { status: number | null; stderr: string } {
    return spawnSync("kind", args, { env: { ...cli.env, ...env }, encoding: "utf8" });
}

function stackContainers(): string[] {
    return docker(suite.dockerEnv, ["ps", "-a", "--filter", `label=io.x-k8s.kind.cluster=${CLUSTER}`, "--format", "{{.Names}}"]).split("\n").filter(Boolean);
}

function kubeContexts(): string[] {
    if (!fs.existsSync(kubeconfigFile)) return [];
    return ((parse(fs.readFileSync(kubeconfigFile, "utf8")) ?? {}).contexts ?? []).map((c: { name: string }) => c.name);
}

async function stackClients(): Promise<{ api: ClusterClients; kubeConfig: k8s.KubeConfig }> {
    const outputs = await cli.outputs(STACK);
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromString(outputs.kubeconfig as string);
    kubeConfig.setCurrentContext(outputs.kubeContext as string);
    return { api: clusterClients(kubeConfig), kubeConfig };
}

async function readyRayCluster(api: ClusterClients): Promise<any> {
    const [cluster] = (await rayClusters(api, NAMESPACE)).filter((rc) => rc.metadata.name === RAY_CLUSTER);
    expect(cluster?.status?.state, JSON.stringify(cluster?.status)).toBe("ready");
    return cluster;
}

/** The state holds nothing, no container and no generated file is left: what a failed first `up` must leave. */
async function expectNothingMade(): Promise<void> {
    // Component resources and default providers are registered before anything runs; no resource of the cluster is.
    const made = (await cli.stateResources(STACK)).filter((r) => !r.type.startsWith("pulumi:") && !r.type.startsWith("kuberay-pod-security:index:"));
    expect(made.map((r) => r.urn)).toEqual([]);
    expect(stackContainers()).toEqual([]);
    expect(fs.existsSync(workDir)).toBe(false);
}

describe("faults: `pulumi up` fails with one message naming the cause, and makes nothing", () => {
    it("Docker not running", async () => {
        const up = await cli.run(STACK, ["up", "--yes", "--skip-preview"], { env: { ...env, DOCKER_HOST: `unix://${path.join(tmp, "no-docker.sock")}` } });
        expect(up.code).not.toBe(0);
        expect(up.stdout + up.stderr).toContain(`kind could not list its clusters, so kind cluster ${CLUSTER} was not created: is Docker running and reachable (DOCKER_HOST=unix://${path.join(tmp, "no-docker.sock")})?`);
        await expectNothingMade();
    });

    it("a node image that is not there (and cannot be pulled)", async () => {
        await cli.setConfig(STACK, { "cluster.nodeImage": "kindest/node:v1.37.2-missing" });
        const up = await cli.run(STACK, ["up", "--yes", "--skip-preview"], { env });
        await cli.setConfig(STACK, { "cluster.nodeImage": suite.nodeImage });
        expect(up.code).not.toBe(0);
        const output = up.stdout + up.stderr;
        expect(output).toContain(`kind could not create cluster ${CLUSTER} from node image kindest/node:v1.37.2-missing (kind's error is above); nothing of it is left`);
        expect(output).toContain(`failed to pull image "kindest/node:v1.37.2-missing"`);
        await expectNothingMade();
    });

    it("an image archive that does not exist: refused before anything runs", async () => {
        const missing = path.join(tmp, "missing-ray.tar");
        await cli.setConfig(STACK, { "cluster.imageArchives[1]": missing });
        const preview = await cli.run(STACK, ["preview"], { env });
        await cli.setConfig(STACK, { "cluster.imageArchives[1]": suite.rayArchive });
        expect(preview.code).not.toBe(0);
        expect(preview.stdout + preview.stderr).toContain(`Configuration "cluster.imageArchives[1]": "${missing}" is not allowed`);
        await expectNothingMade();
    });
});

describe("the kind stack on a real kind cluster", () => {
    it("`pulumi up` creates the cluster, loads the images, deploys, and returns once the RayCluster is ready", async () => {
        const up = await cli.ok(STACK, ["up", "--yes"], { env });
        figures.push(`pulumi up (kind cluster, images, operator, RayCluster ready): ${(up.ms / 1000).toFixed(0)} s`);
        const { api } = await stackClients();
        await readyRayCluster(api);
        expect(await cli.outputs(STACK)).toMatchObject({
            clusterName: CLUSTER,
            kubeContext: `kind-${CLUSTER}`,
            namespace: NAMESPACE,
            rayClusterName: RAY_CLUSTER,
            auditLogPath: AUDIT_LOG_PATH,
            auditLogCommand: auditLogCommand(CLUSTER),
        });
        expect(stackContainers()).toEqual([NODE]);
        expect(kubeContexts()).toContain(`kind-${CLUSTER}`);
        const output = up.stdout + up.stderr;
        expect(output).toContain(`loaded 2 image archive(s) and 0 local image(s) into kind cluster ${CLUSTER}`);
        expect(programWarnings(output)).toEqual([]);
    });

    it("prints commands that run as printed: the RayCluster's Pods, the node's audit log", async () => {
        const outputs = await cli.outputs(STACK);
        expect(runPrintedCommand(String(outputs.rayPodsCommand), env)).toMatch(new RegExp(`^${RAY_CLUSTER}-head-\\S+ +1/1 +Running`, "m"));
        expect(runPrintedCommand(String(outputs.auditLogCommand), env)).toMatch(/"kind":"Event"/);
    });

    it("the API server's static Pod carries the program's audit flags and mounts; the policy is the program's; the namespace has its six labels", async () => {
        const manifest = parse(inNode(suite.dockerEnv, NODE, ["cat", "/etc/kubernetes/manifests/kube-apiserver.yaml"]));
        const container = manifest.spec.containers[0];
        expect(container.command).toEqual(expect.arrayContaining([`--audit-log-path=${AUDIT_LOG_PATH}`, `--audit-policy-file=${AUDIT_POLICY_PATH}`]));
        const mounts = Object.fromEntries(container.volumeMounts.map((m: { name: string; mountPath: string; readOnly?: boolean }) => [m.name, m]));
        expect(mounts["audit-policies"]).toMatchObject({ mountPath: path.dirname(AUDIT_POLICY_PATH), readOnly: true });
        expect(mounts["audit-logs"]).toMatchObject({ mountPath: path.dirname(AUDIT_LOG_PATH) });
        expect(parse(inNode(suite.dockerEnv, NODE, ["cat", AUDIT_POLICY_PATH]))).toEqual(buildAuditPolicy(NAMESPACE));
        // The patches reached the node: the kubelet's config and containerd's.
        expect(inNode(suite.dockerEnv, NODE, ["cat", "/var/lib/kubelet/config.yaml"])).toMatch(/^failCgroupV1: false$/m);
        expect(inNode(suite.dockerEnv, NODE, ["cat", "/etc/containerd/config.toml"])).toMatch(/restrict_oom_score_adj = true/);
        const { api } = await stackClients();
        const namespace = await api.core.readNamespace({ name: NAMESPACE });
        expect(namespace.metadata?.labels).toMatchObject(podSecurityLabels("restricted", "latest"));
    });

    it("the operator runs from the chart's Deployment and its image, hardened in the running container, admitted under restricted", async () => {
        const { api } = await stackClients();
        const [pod] = (await api.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: "app.kubernetes.io/name=kuberay-operator" })).items;
        expect(pod.status?.phase).toBe("Running");
        expect(pod.spec?.containers[0].image).toBe(OPERATOR_IMAGE);
        expect(pod.spec?.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
        expect(nodeContainerStatus(suite.dockerEnv, NODE, pod.metadata!.name!, "kuberay-operator")).toEqual({ ...HARDENED, uid: "65532", gid: "65532" });
        const events = inNode(suite.dockerEnv, NODE, ["cat", AUDIT_LOG_PATH]).split("\n").filter(Boolean).map((line) => JSON.parse(line));
        const created = events.filter((e) => e.stage === "ResponseComplete" && e.verb === "create" && e.objectRef?.resource === "pods" && !e.objectRef?.subresource && e.responseStatus?.code === 201);
        // The operator's Pod is the one the ReplicaSet controller creates (generateName: no name in the event).
        const operatorCreates = created.filter((e) => e.user?.username === "system:serviceaccount:kube-system:replicaset-controller");
        expect(operatorCreates.length).toBeGreaterThanOrEqual(1);
        for (const event of operatorCreates) expect(event.annotations?.["pod-security.kubernetes.io/enforce-policy"]).toBe("restricted:latest");
        expect(created.every((e) => !e.annotations?.["pod-security.kubernetes.io/audit-violations"])).toBe(true);
    });

    it("the RayCluster's head and worker run hardened and form one Ray cluster; no Pod ever pulled", async () => {
        const { api, kubeConfig } = await stackClients();
        const pods = (await podsReady(api.core, NAMESPACE, RAY_CLUSTER, 2))!;
        expect(pods).toHaveLength(2);
        for (const pod of pods) {
            expect(nodeContainerStatus(suite.dockerEnv, NODE, pod.metadata!.name!, pod.spec!.containers[0].name)).toEqual(RAY_PROCESS);
        }
        const head = pods.find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "head")!;
        expect(await eventually("two alive Ray nodes", async () => ((await aliveRayNodes(new KubeCluster(kubeConfig), head)) === 2 ? 2 : undefined), 120_000)).toBe(2);
        const events = (await api.core.listEventForAllNamespaces({})).items;
        expect(events.filter((event) => event.reason === "Pulling").map((event) => event.message)).toEqual([]);
    });

    it("`npm run verify` passes all five checks, the audit log read from the node itself, the example job SUCCEEDED", async () => {
        // The example job takes minutes on two cores (pip installs xgboost on each node first).
        const report = await runVerify(cli, STACK, ["--timeout", "900"], env);
        const byId = Object.fromEntries(report.json.checks.map((check) => [check.id, check]));
        expect(Object.fromEntries(Object.entries(byId).map(([id, check]) => [id, check.status])), report.output).toEqual({ raycluster: "passed", pods: "passed", audit: "passed", job: "passed", pip: "passed" });
        expect(report.code).toBe(0);
        expect(byId.audit.summary).toContain(`from ${NODE}:${AUDIT_LOG_PATH}`);
        expect(byId.job.summary).toMatch(/SUCCEEDED/);
        figures.push(`verify (5 checks, the example job): ${byId.job.summary}`);
    });

    it("Step 5.1 on the same cluster: accepted, its Pods refused with the API server's words, found by verify in kind's own log", async () => {
        const { api } = await stackClients();
        const manifest = step51Manifest();
        const predicted = evaluateManifest(manifest, "restricted", "latest");
        const expected = predicted.evaluated ? predicted.pods[0].message : "?";
        await api.custom.createNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: NAMESPACE, plural: "rayclusters", body: manifest });
        try {
            const failure = await replicaFailure(api.custom, NAMESPACE, manifest.metadata.name);
            expect(/pods "[^"]*" is forbidden: (.*)$/s.exec(failure.message)?.[1]).toBe(expected);
            const report = await runVerify(cli, STACK, [], env);
            const audit = report.json.checks.find((check) => check.id === "audit") as unknown as { status: string; details: string[]; data: { source: string } };
            expect(audit.status, report.output).toBe("failed");
            expect(audit.data.source).toBe(`${NODE}:${AUDIT_LOG_PATH}`);
            expect(audit.details.join("\n")).toContain(expected);
        } finally {
            await api.custom.deleteNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: NAMESPACE, plural: "rayclusters", name: manifest.metadata.name });
        }
    });

    it("a second `pulumi preview --expect-no-changes` passes", async () => {
        const preview = await cli.ok(STACK, ["preview", "--expect-no-changes"], { env });
        figures.push(`pulumi preview, no change: ${(preview.ms / 1000).toFixed(0)} s`);
    });

    it("a cluster deleted behind Pulumi's back (`kind delete`) is found and made again by the next `pulumi up`", async () => {
        const before = docker(suite.dockerEnv, ["inspect", "--format", "{{.Id}}", NODE]).trim();
        const deleted = kind(["delete", "cluster", "--name", CLUSTER]);
        expect(deleted.status, deleted.stderr).toBe(0);
        expect(stackContainers()).toEqual([]);
        const up = await cli.ok(STACK, ["up", "--yes"], { env });
        figures.push(`pulumi up after kind delete (cluster made again, images, operator, RayCluster ready): ${(up.ms / 1000).toFixed(0)} s`);
        expect(docker(suite.dockerEnv, ["inspect", "--format", "{{.Id}}", NODE]).trim()).not.toBe(before);
        const { api } = await stackClients();
        await readyRayCluster(api);
        expect(await namespaceExists(api, NAMESPACE)).toBe(true);
        await cli.ok(STACK, ["preview", "--expect-no-changes"], { env });
    });

    it("a change of the cluster's definition (a kubeadm patch) replaces the cluster: the old one deleted first, the new one ready", async () => {
        const before = docker(suite.dockerEnv, ["inspect", "--format", "{{.Id}}", NODE]).trim();
        await cli.setConfig(STACK, { "cluster.kubeadmConfigPatches[1]": "kind: KubeletConfiguration\nmaxPods: 50\n" });
        const up = await cli.ok(STACK, ["up", "--yes"], { env });
        figures.push(`pulumi up replacing the cluster (a new kubeadm patch): ${(up.ms / 1000).toFixed(0)} s`);
        const output = up.stdout + up.stderr;
        // The name is fixed: the replacement's create deleted the old cluster; the original's delete, run last, left the new one.
        expect(output).toContain(`kind cluster ${CLUSTER} has another definition: deleting it to create it anew`);
        expect(output).toContain(`kind cluster ${CLUSTER} has been made anew from another definition: leaving it and its files`);
        expect(docker(suite.dockerEnv, ["inspect", "--format", "{{.Id}}", NODE]).trim()).not.toBe(before);
        expect(inNode(suite.dockerEnv, NODE, ["cat", "/var/lib/kubelet/config.yaml"])).toMatch(/^maxPods: 50$/m);
        const { api } = await stackClients();
        await readyRayCluster(api);
        // The cluster's objects went with it: the originals are dropped from the state as unreachable (deleteUnreachable).
        for (const warning of programWarnings(output)) expect(warning).toMatch(/configured Kubernetes cluster is unreachable/);
    });

    it("`pulumi destroy` leaves no container, no kubeconfig context, no generated file", async () => {
        const networksBefore = docker(suite.dockerEnv, ["network", "ls", "--format", "{{.Name}}"]);
        const destroy = await cli.ok(STACK, ["destroy", "--yes"], { env });
        figures.push(`pulumi destroy: ${(destroy.ms / 1000).toFixed(0)} s`);
        expect(stackContainers()).toEqual([]);
        expect(docker(suite.dockerEnv, ["volume", "ls", "--quiet"]).trim()).toBe("");
        // kind's network is shared by every kind cluster of the engine (here made by the suite): it stays.
        expect(docker(suite.dockerEnv, ["network", "ls", "--format", "{{.Name}}"])).toBe(networksBefore);
        expect(kubeContexts()).not.toContain(`kind-${CLUSTER}`);
        expect(fs.existsSync(workDir)).toBe(false);
        expect(await cli.stateResources(STACK)).toEqual([]);
    });

    it("a kind cluster of that name the stack did not make is refused, never used or deleted", async () => {
        const config = path.join(tmp, "by-hand.yaml");
        fs.writeFileSync(config, stringify({ kind: "Cluster", apiVersion: "kind.x-k8s.io/v1alpha4", kubeadmConfigPatches: [KUBELET_PATCH], containerdConfigPatches: [CONTAINERD_PATCH] }));
        const byHand = kind(["create", "cluster", "--name", CLUSTER, "--image", suite.nodeImage, "--config", config]);
        expect(byHand.status, byHand.stderr).toBe(0);
        const id = docker(suite.dockerEnv, ["inspect", "--format", "{{.Id}}", NODE]).trim();
        const up = await cli.run(STACK, ["up", "--yes", "--skip-preview"], { env });
        expect(up.code).not.toBe(0);
        expect(up.stdout + up.stderr).toContain(`kind cluster ${CLUSTER} exists, but ${path.join(workDir, "owner")} does not say kuberay-pod-security/${STACK} made it`);
        expect(docker(suite.dockerEnv, ["inspect", "--format", "{{.Id}}", NODE]).trim()).toBe(id);
        expect(fs.existsSync(path.join(workDir, "owner"))).toBe(false);
        expect(kind(["delete", "cluster", "--name", CLUSTER]).status).toBe(0);
        expect(stackContainers()).toEqual([]);
    });

    it("`pulumi destroy` after that failed `up` (nothing of it in the cluster) and `pulumi stack rm` remove the stack", async () => {
        // The failed `up` recorded only its component resources and providers.
        await cli.ok(STACK, ["destroy", "--yes"], { env });
        expect(await cli.stateResources(STACK)).toEqual([]);
        expect(stackContainers()).toEqual([]);
        await cli.ok(STACK, ["stack", "rm", "--yes"]);
        expect(fs.existsSync(cli.stackFile(STACK))).toBe(false);
    });
});
