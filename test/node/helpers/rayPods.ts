/** What the node tests ask of the Ray Pods: readiness, the container's process as the kernel sees it, Ray's own view. */

import * as fs from "fs";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { ctrAt } from "../../e2e/harness/containerd";
import { headServiceName } from "../../../components/raycluster/rayClusterSpec";
import { KubeCluster } from "../../../verify/kube/kubeCluster";
import { PulumiCli } from "../../engine/helpers/pulumiCli";

/** The RayCluster's Pods once `count` of them are Running with every container ready; undefined until then. */
export async function podsReady(core: k8s.CoreV1Api, namespace: string, rayCluster: string, count: number): Promise<k8s.V1Pod[] | undefined> {
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: `ray.io/cluster=${rayCluster}` })).items;
    const ready = pods.filter((pod) => pod.status?.phase === "Running" && !pod.metadata?.deletionTimestamp && pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
    return ready.length === count ? ready : undefined;
}

export interface ProcessStatus {
    uid: string;
    gid: string;
    noNewPrivs: string;
    seccomp: string;
    capEff: string;
}

/** The container's main process (pid 1), from /proc: effective uid and gid, NoNewPrivs, Seccomp mode, CapEff. */
export async function containerProcessStatus(cluster: KubeCluster, pod: k8s.V1Pod, container: string): Promise<ProcessStatus> {
    const result = await cluster.exec(pod.metadata!.namespace!, pod.metadata!.name!, container, ["cat", "/proc/1/status"], 60_000);
    if (result.exitCode !== 0) throw new Error(`cat /proc/1/status in ${pod.metadata!.name}: ${result.error ?? result.stderr}`);
    const field = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, "m").exec(result.stdout)?.[1].trim().split(/\s+/) ?? [];
    return { uid: field("Uid")[1], gid: field("Gid")[1], noNewPrivs: field("NoNewPrivs")[0], seccomp: field("Seccomp")[0], capEff: field("CapEff")[0] };
}

/** Ray's own count of alive nodes, asked from inside the head Pod. */
export async function aliveRayNodes(cluster: KubeCluster, head: k8s.V1Pod): Promise<number> {
    const script = "import ray; ray.init(address='auto', logging_level='ERROR'); print(sum(1 for n in ray.nodes() if n['Alive']))";
    const result = await cluster.exec(head.metadata!.namespace!, head.metadata!.name!, head.spec!.containers[0].name, ["python", "-c", script], 120_000);
    if (result.exitCode !== 0) throw new Error(`ray.nodes() in ${head.metadata!.name}: ${result.error ?? result.stderr}`);
    return Number(result.stdout.trim().split("\n").pop());
}

/** Deletes a RayCluster and waits until its Pods are gone (their CPU is free again). */
export async function deleteRayCluster(custom: k8s.CustomObjectsApi, core: k8s.CoreV1Api, namespace: string, name: string): Promise<void> {
    await custom.deleteNamespacedCustomObject({ group: "ray.io", version: "v1", namespace, plural: "rayclusters", name });
    const deadline = Date.now() + 180_000;
    while ((await core.listNamespacedPod({ namespace, labelSelector: `ray.io/cluster=${name}` })).items.length > 0) {
        if (Date.now() > deadline) throw new Error(`the Pods of RayCluster ${name} were not gone after 180 s`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
}

/** containerd's containers (sandboxes included) of Pods in `namespace`, on the node of the run in `runDir`. */
export function nodeContainersIn(runDir: string, namespace: string): string[] {
    return ctrAt(path.join(runDir, "containerd.sock"))(["containers", "list", "--quiet", `labels."io.kubernetes.pod.namespace"==${namespace}`])
        .split("\n")
        .filter(Boolean);
}

/**
 * A stack whose last deployment produced an existing-cluster's outputs, imported into the real CLI's backend:
 * `verify` reads them exactly as after `pulumi up` (which the engine suite runs; here the operator is the
 * harness's and the images are local, so the chart's Deployment is not deployed).
 */
export async function seedExistingClusterStack(cli: PulumiCli, stack: string, outputs: { kubeconfigPath: string; namespace: string; rayClusterName: string }): Promise<void> {
    await cli.initStack(stack, "Pulumi.existing.yaml");
    const exported = JSON.parse((await cli.ok(stack, ["stack", "export"])).stdout);
    exported.deployment.resources = [
        {
            urn: `urn:pulumi:${stack}::kuberay-pod-security::pulumi:pulumi:Stack::kuberay-pod-security-${stack}`,
            custom: false,
            type: "pulumi:pulumi:Stack",
            outputs: { ...outputs, kubeconfig: "", kubeContext: "", clusterName: "", auditLogPath: "", headServiceName: headServiceName(outputs.rayClusterName) },
        },
    ];
    const file = path.join(cli.home, `${stack}.json`);
    fs.writeFileSync(file, JSON.stringify(exported));
    await cli.ok(stack, ["stack", "import", "--file", file]);
}
