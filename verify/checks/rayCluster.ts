/** What a RayCluster's status and spec say: its conditions, and how many workers it should run. Pure. */

import { Condition, RayClusterLike } from "../../model/k8s/types";

export function condition(rayCluster: RayClusterLike | undefined, type: string): Condition | undefined {
    return rayCluster?.status?.conditions?.find((c) => c.type === type);
}

export function isTrue(rayCluster: RayClusterLike | undefined, type: string): boolean {
    return condition(rayCluster, type)?.status === "True";
}

/**
 * Workers the operator should run: its own count, or KubeRay's rule over the spec before it reports one;
 * undefined when the RayCluster could not be read.
 */
export function expectedWorkers(rayCluster: RayClusterLike | undefined): number | undefined {
    if (rayCluster === undefined) return undefined;
    const desired = rayCluster?.status?.desiredWorkerReplicas;
    if (typeof desired === "number") return desired;
    return (rayCluster?.spec?.workerGroupSpecs ?? []).reduce((sum, group) => {
        if (group.suspend) return sum;
        const min = group.minReplicas ?? 0;
        const max = group.maxReplicas ?? Number.MAX_SAFE_INTEGER;
        const replicas = Math.min(Math.max(group.replicas ?? min, min), max);
        return sum + replicas * (group.numOfHosts ?? 1);
    }, 0);
}
