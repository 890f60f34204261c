/**
 * The Ray side of the tutorial as plain data: the Ray version, the image's user, the head's ports, the
 * example's place in the Pods, the two RayCluster variants, a worker group's shape (the config reads it, the components take it).
 */

/** The Ray release KubeRay 1.7.0's own samples and tests run. */
export const DEFAULT_RAY_VERSION = "2.52.0";

/** rayproject/ray runs as this numeric user and group (USER $RAY_UID, HOME=/home/ray). */
export const RAY_UID = 1000;
export const RAY_GID = 100;

export const HEAD_PORTS = { gcs: 6379, dashboard: 8265, client: 10001 } as const;

export const EXAMPLE_CONFIGMAP_NAME = "ray-example";
export const EXAMPLE_SCRIPT_KEY = "xgboost_example.py";
export const EXAMPLE_MOUNT_PATH = "/home/ray/samples";
export const EXAMPLE_SCRIPT_PATH = `${EXAMPLE_MOUNT_PATH}/${EXAMPLE_SCRIPT_KEY}`;

/** `pod-security`: the hardened cluster (tutorial Step 5.2); `complete`: Step 5.1's, no securityContext. */
export const RayClusterVariant = {
    /** The hardened RayCluster (tutorial Step 5.2): admitted under restricted. */
    PodSecurity: "pod-security",
    /** The tutorial's Step 5.1 RayCluster, no securityContext: refused under restricted. */
    Complete: "complete",
} as const;
export type RayClusterVariant = (typeof RayClusterVariant)[keyof typeof RayClusterVariant];
export const RAY_CLUSTER_VARIANTS: readonly RayClusterVariant[] = Object.values(RayClusterVariant);

/** A worker group: its name, replica bounds and each Pod's CPU and memory (requests = limits). */
export interface WorkerGroup {
    /** The group's name (`groupName`), unique in the cluster. */
    name: string;
    /** Workers to start with. */
    replicas: number;
    /** The fewest workers the autoscaler may leave. */
    minReplicas: number;
    /** The most workers the autoscaler may start. */
    maxReplicas: number;
    /** A CPU quantity, e.g. "1" or "500m". */
    cpu: string;
    /** A memory quantity, e.g. "2Gi". */
    memory: string;
}
