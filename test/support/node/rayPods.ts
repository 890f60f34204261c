/** What the node tests ask of the Ray Pods: readiness, the container's process as the kernel sees it, Ray's own view. */

import * as fs from "fs";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { ctrAt } from "../harness/containerd";
import { KubeCluster } from "../../../verify/kube/kubeCluster";

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
    return processStatus(result.stdout);
}

/** The same, read by the host from the container's task in the node's containerd: for images with no `cat` (distroless). */
export function nodeContainerProcessStatus(runDir: string, pod: k8s.V1Pod, container: string): ProcessStatus {
    const ctr = ctrAt(path.join(runDir, "containerd.sock"));
    const labels = { "io.kubernetes.pod.namespace": pod.metadata!.namespace!, "io.kubernetes.pod.name": pod.metadata!.name!, "io.kubernetes.container.name": container };
    const filter = Object.entries(labels).map(([key, value]) => `labels."${key}"==${value}`).join(",");
    const ids = ctr(["containers", "list", "--quiet", filter]).split("\n").filter(Boolean);
    const tasks = ctr(["tasks", "list"]).split("\n").slice(1).map((line) => line.trim().split(/\s+/));
    const running = tasks.filter(([id, , status]) => ids.includes(id) && status === "RUNNING");
    if (running.length !== 1) throw new Error(`${pod.metadata!.name}/${container}: ${running.length} running tasks in containerd (containers ${ids.join(", ")})`);
    return processStatus(fs.readFileSync(`/proc/${running[0][1]}/status`, "utf8"));
}

/** A hardened container's process, as `restricted` and the program ask: no new privileges, seccomp filter, no capabilities. */
export const HARDENED = { noNewPrivs: "1", seccomp: "2", capEff: "0000000000000000" };

/** The fields of a /proc/<pid>/status text. */
export function processStatus(text: string): ProcessStatus {
    const field = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, "m").exec(text)?.[1].trim().split(/\s+/) ?? [];
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

/** The Pod names of containerd's containers (sandboxes included) in `namespace`, on the node of the run in `runDir`. */
export function nodeContainerPods(runDir: string, namespace: string): string[] {
    const ctr = ctrAt(path.join(runDir, "containerd.sock"));
    const ids = ctr(["containers", "list", "--quiet", `labels."io.kubernetes.pod.namespace"==${namespace}`]).split("\n").filter(Boolean);
    return ids.map((id) => JSON.parse(ctr(["containers", "info", id])).Labels["io.kubernetes.pod.name"] as string);
}
